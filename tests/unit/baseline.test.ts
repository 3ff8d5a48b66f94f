/**
 * Baselines (issue 17): saved as read-only files beside the CMDB, listed and
 * deleted; the diff between any two points (every kind of change, attributes
 * one by one, renamed keys, type filter, undo leaves no difference); its
 * export; and bad input (unknown names, in-memory CMDBs, older schemas).
 */
import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Diff, DiffPoint } from '../../shared/baseline.js';
import { diffSummary } from '../../electron/cmdb/baselines/diff-export.js';
import { BaselineStore, baselinesDir, folderNotWritable } from '../../electron/cmdb/baselines/store.js';
import { SCHEMA_VERSION } from '../../electron/cmdb/db.js';
import { CiAttrs } from '../../electron/cmdb/impact/ci-attrs.js';
import { GraphIndex } from '../../electron/cmdb/impact/graph-index.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

const CIS = [
  'id,name,type,owner,status,rack,os',
  'web-1,Web 1,server,team-web,operational,R1,linux',
  'web-2,Web 2,server,team-web,operational,R2,linux',
  'db-1,DB 1,database,team-dba,operational,R3,',
  'app-1,App 1,application,team-app,operational,,',
].join('\n');
const RELS = [
  'source,target,type,redundancy_group,min_up',
  'app-1,web-1,runs_on,web,1',
  'app-1,web-2,runs_on,web,1',
  'app-1,db-1,depends_on,,',
].join('\n');

/**
 * Saves baseline `name` and rewrites it as schema `version` saved it: `change` takes the file back to that
 * schema's tables; the baseline's info and the file's version then say `version`. Returns the file.
 */
async function savedAtSchema(svc: CmdbService, name: string, version: number, change: (raw: Database.Database) => void): Promise<string> {
  await ok(svc, 'saveBaseline', { name, note: null });
  const path = join(baselinesDir(svc.path), `${name}.sqlite`);
  chmodSync(path, 0o644);
  const raw = new Database(path);
  try {
    change(raw);
    raw.pragma(`user_version = ${version}`);
    raw.prepare('UPDATE baseline_info SET schema_version = ?').run(version);
  } finally {
    raw.close();
  }
  chmodSync(path, 0o444);
  return path;
}

async function demoService() {
  const svc = freshService(join(tempDir(), 'cmdb.db'));
  await ok(svc, 'importCsv', { cis: file('cis.csv', CIS), relationships: file('rels.csv', RELS) });
  return svc;
}

const empty = (d: Diff) => Object.values(d.counts).every((n) => n === 0) && d.types.added.length + d.types.removed.length === 0;

describe('saving, listing and deleting baselines', () => {
  it('saves a read-only file beside the CMDB, with its counts, and lists it', async () => {
    const svc = await demoService();
    const b = await ok(svc, 'saveBaseline', { name: 'Q4 review', note: 'approved at CAB' });
    expect(b).toMatchObject({ name: 'Q4 review', note: 'approved at CAB', cis: 4, relationships: 3, schemaVersion: SCHEMA_VERSION });
    const path = join(baselinesDir(svc.path), 'Q4 review.sqlite');
    expect(existsSync(path)).toBe(true);
    expect(b.bytes).toBe(statSync(path).size);
    expect(statSync(path).mode & 0o222).toBe(0);
    // The owner's alone when the CMDB is: a baseline is a copy of all of it (the folder whatever the umask).
    expect(statSync(baselinesDir(svc.path)).mode & 0o777).toBe(0o700);
    chmodSync(svc.path, 0o600);
    await ok(svc, 'saveBaseline', { name: 'private' });
    expect(statSync(join(baselinesDir(svc.path), 'private.sqlite')).mode & 0o777).toBe(0o400);
    await ok(svc, 'deleteBaseline', { name: 'private' });
    // Readable alone, without -wal or -shm: rollback-journal mode.
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    expect(readdirSync(baselinesDir(svc.path))).toEqual(['Q4 review.sqlite']);
    const list = await ok(svc, 'listBaselines', {});
    expect(list.baselines.map((x) => x.name)).toEqual(['Q4 review']);
  });

  it('closes a baselines folder an earlier version left open (0755) on the next save', async () => {
    const svc = await demoService();
    mkdirSync(baselinesDir(svc.path), { mode: 0o755 });
    chmodSync(baselinesDir(svc.path), 0o755);
    await ok(svc, 'saveBaseline', { name: 'b1' });
    expect(statSync(baselinesDir(svc.path)).mode & 0o777).toBe(0o700);
  });

  it('refuses a name in use (any letter case), "now", and names that are not a file name', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'v1', note: null });
    expect((await fails(svc, 'saveBaseline', { name: 'V1' })).code).toBe('CONFLICT');
    expect((await fails(svc, 'saveBaseline', { name: 'now' })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'saveBaseline', { name: '../escape' })).code).toBe('INVALID_REQUEST');
  });

  it('a baselines folder that cannot be written is named, with what to do; nothing is left behind', async () => {
    const svc = await demoService();
    const dir = baselinesDir(svc.db.name);
    const denied = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
    const backup = vi.spyOn(svc.db, 'backup').mockRejectedValue(denied);
    const e = await fails(svc, 'saveBaseline', { name: 'v1' });
    expect(e.code).toBe('DB_READONLY');
    expect(e.message).toBe(
      `The baselines folder ${dir} cannot be written (SQLITE_CANTOPEN), so no baseline was saved. Make the folder beside the CMDB writable, or copy the CMDB somewhere writable and save the baseline there.`,
    );
    expect(readdirSync(dir)).toEqual([]);
    backup.mockRestore();
    // Another failure is passed on as it is.
    expect(folderNotWritable(dir, new Error('disk full'))).toEqual(new Error('disk full'));
    expect((folderNotWritable(dir, Object.assign(new Error('x'), { code: 'EACCES' })) as Error).message).toContain(
      'cannot be written (EACCES)',
    );
  });

  it('finds a baseline in any letter case (names are unique in any case): diff, compare and delete, under its saved name', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'Before-CHG', note: null });
    await ok(svc, 'saveBaseline', { name: 'after', note: null });
    const d = await ok(svc, 'diff', { from: 'before-chg', to: 'AFTER' });
    expect([d.from, d.to]).toEqual(['Before-CHG', 'after']);
    expect(empty(d)).toBe(true);
    expect((await ok(svc, 'diff', { from: 'BEFORE-chg', to: 'before-CHG' })).from).toBe('Before-CHG');
    expect(await ok(svc, 'deleteBaseline', { name: 'before-chg' })).toEqual({ deleted: true });
    expect((await ok(svc, 'listBaselines', {})).baselines.map((b) => b.name)).toEqual(['after']);
    expect((await fails(svc, 'diff', { from: 'before-chg' })).code).toBe('NOT_FOUND');
  });

  it('survives a restart: a new service on the same file lists and diffs it', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'kept', note: null });
    svc.close();
    const again = freshService(svc.path);
    expect((await ok(again, 'listBaselines', {})).baselines.map((b) => b.name)).toEqual(['kept']);
    expect(empty(await ok(again, 'diff', { from: 'kept' }))).toBe(true);
  });

  it('a CMDB restored from a baseline (its file copied back as a CMDB) takes imports and baselines of its own', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before-release', note: 'the old one' });
    const restored = join(tempDir(), 'cmdb.db');
    copyFileSync(join(baselinesDir(svc.path), 'before-release.sqlite'), restored);
    chmodSync(restored, 0o600);
    const again = freshService(restored);
    await ok(again, 'importCsv', { cis: file('cis.csv', 'id,name,type\nweb-3,Web 3,server\n') });
    const b = await ok(again, 'saveBaseline', { name: 'after-restore', note: null });
    expect(b).toMatchObject({ name: 'after-restore', note: null, cis: 5, relationships: 3 });
    // The new baseline's info replaced the old one's, in the copy only.
    expect((await ok(again, 'listBaselines', {})).baselines).toEqual([expect.objectContaining({ name: 'after-restore', cis: 5 })]);
    const raw = new Database(join(baselinesDir(restored), 'after-restore.sqlite'), { readonly: true });
    expect(raw.prepare('SELECT name, note FROM baseline_info').all()).toEqual([{ name: 'after-restore', note: null }]);
    raw.close();
    expect(empty(await ok(again, 'diff', { from: 'after-restore' }))).toBe(true);
    expect((await ok(svc, 'listBaselines', {})).baselines).toEqual([expect.objectContaining({ name: 'before-release', cis: 4 })]);
  });

  it('a CMDB reached through a link has the baselines of the file it links to', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'kept', note: null });
    const link = join(tempDir(), 'current.db');
    symlinkSync(svc.path, link);
    const linked = freshService(link);
    expect((await ok(linked, 'listBaselines', {})).baselines.map((b) => b.name)).toEqual(['kept']);
    expect(empty(await ok(linked, 'diff', { from: 'kept' }))).toBe(true);
    await ok(linked, 'saveBaseline', { name: 'via-link', note: null });
    expect(readdirSync(baselinesDir(svc.path)).sort()).toEqual(['kept.sqlite', 'via-link.sqlite']);
    expect((await ok(linked, 'diff', { from: 'kept' })).provenance.cmdb).toBe(svc.path);
  });

  it('baselines saved through a link before they followed it stay found where they are (found by a reviewer)', async () => {
    const svc = await demoService();
    const link = join(tempDir(), 'current.db');
    symlinkSync(svc.path, link);
    // An earlier version kept them beside the link; the real file has no folder of its own.
    await ok(svc, 'saveBaseline', { name: 'q4', note: null });
    cpSync(baselinesDir(svc.path), `${link}.baselines`, { recursive: true });
    rmSync(baselinesDir(svc.path), { recursive: true, force: true });
    const linked = freshService(link);
    expect((await ok(linked, 'listBaselines', {})).baselines.map((b) => b.name)).toEqual(['q4']);
    expect(empty(await ok(linked, 'diff', { from: 'q4' }))).toBe(true);
  });

  it('a CMDB copied or renamed without its folder: "no baselines" names the folders beside it and whose they are', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'week1', note: null });
    const dir = tempDir();
    const renamed = join(dir, 'cmdb-2026-12.db');
    copyFileSync(svc.path, renamed);
    cpSync(baselinesDir(svc.path), join(dir, 'cmdb.db.baselines'), { recursive: true });
    const again = freshService(renamed);
    expect(await ok(again, 'listBaselines', {})).toEqual({ baselines: [], unreadable: [], otherFolders: ['cmdb.db.baselines'] });
    const err = await fails(again, 'diff', { from: 'week1' });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(
      'No baseline named "week1": this CMDB has no baselines yet. Beside it, cmdb.db.baselines holds the baselines of cmdb.db: baselines belong to the CMDB file they are named after. If this file is that CMDB under another name, rename the folder to cmdb-2026-12.db.baselines. Or save one with: cmdb baseline save NAME',
    );
    // Once it has baselines of its own, the others are its neighbours' business.
    await ok(again, 'saveBaseline', { name: 'own', note: null });
    expect((await ok(again, 'listBaselines', {})).otherFolders).toEqual([]);
    expect((await ok(svc, 'listBaselines', {})).otherFolders).toEqual([]);
  });

  it('deletes a baseline; an unknown name is NOT_FOUND listing the baselines', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'a', note: null });
    await ok(svc, 'saveBaseline', { name: 'b', note: null });
    expect(await ok(svc, 'deleteBaseline', { name: 'a' })).toEqual({ deleted: true });
    const err = await fails(svc, 'deleteBaseline', { name: 'a' });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('The baselines are: b');
    const diffErr = await fails(svc, 'diff', { from: 'nope' });
    expect(diffErr.code).toBe('NOT_FOUND');
    expect(diffErr.details).toMatchObject({ name: 'nope', baselines: ['b'] });
  });

  it('reads the folder once to list every baseline, and not again to open one whose info was just read', async () => {
    const svc = await demoService();
    for (const name of ['a', 'b', 'c']) await ok(svc, 'saveBaseline', { name, note: null });
    const store = new BaselineStore(svc.db, svc.path);
    const names = vi.spyOn(store, 'names');
    expect(store.list().baselines.map((b) => b.name)).toEqual(['a', 'b', 'c']);
    expect(names).toHaveBeenCalledTimes(1);
    const info = store.info('b');
    expect(names).toHaveBeenCalledTimes(2);
    const opened = store.open('b', info);
    opened.release();
    expect(names).toHaveBeenCalledTimes(2);
    expect(opened.info).toEqual(info);
  });

  it('two saves of one name at once: one is saved, the other refused (not written over it)', async () => {
    const svc = await demoService();
    const [a, b] = await Promise.all([
      svc.call('saveBaseline', { name: 'race', note: 'first' }),
      svc.call('saveBaseline', { name: 'race', note: 'second' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refused = a.ok ? b : a;
    expect(!refused.ok && refused.error.code).toBe('CONFLICT');
    const saved = a.ok ? a.value : b.ok ? b.value : null;
    expect((await ok(svc, 'listBaselines', {})).baselines).toEqual([saved]);
    expect(readdirSync(baselinesDir(svc.db.name))).toEqual(['race.sqlite']);
    expect((await ok(svc, 'diff', { from: 'race' })).counts.cisAdded).toBe(0);
  });

  it('a name or note out of bounds says what is wanted', async () => {
    const svc = await demoService();
    expect((await fails(svc, 'saveBaseline', { name: '  ', note: null })).message).toBe(
      'Invalid request: name: give the baseline a name, e.g. before-migration',
    );
    // A letter outside A to Z is named, not refused as if it were no letter.
    expect((await fails(svc, 'saveBaseline', { name: 'Änderung KW49', note: null })).message).toBe(
      'Invalid request: name: "Ä" cannot be in a baseline name: it is letters A to Z, digits, spaces, dot, dash and underscore, starting with a letter or digit',
    );
    expect((await fails(svc, 'saveBaseline', { name: '../x', note: null })).message).toContain('"/" cannot be in a baseline name');
    // Device names on Windows, alone or with an extension, are no file's name there.
    for (const name of ['CON', 'nul.before', 'Com1', 'lpt9 .x', 'aux']) {
      expect((await fails(svc, 'saveBaseline', { name, note: null })).message, name).toContain('is a device name on Windows');
    }
    for (const name of ['console', 'con-2', 'com10', 'auxiliary.v1']) await ok(svc, 'saveBaseline', { name, note: null });
    // One saved by an earlier version where such names were allowed (not on Windows) is still listed and read.
    copyFileSync(join(baselinesDir(svc.path), 'console.sqlite'), join(baselinesDir(svc.path), 'aux.sqlite'));
    expect((await ok(svc, 'listBaselines', {})).baselines.map((b) => b.name)).toContain('aux');
    expect(empty(await ok(svc, 'diff', { from: 'aux' }))).toBe(true);
    expect((await fails(svc, 'saveBaseline', { name: '.hidden', note: null })).message).toBe(
      'Invalid request: name: a baseline name starts with a letter or digit (it is letters A to Z, digits, spaces, dot, dash and underscore)',
    );
    expect((await fails(svc, 'saveBaseline', { name: 'x'.repeat(101), note: null })).message).toContain(
      'a baseline name is at most 100 characters',
    );
    expect((await fails(svc, 'saveBaseline', { name: 'b', note: 'x'.repeat(2001) })).message).toContain(
      "a baseline's note is at most 2,000 characters",
    );
  });

  it('refuses baselines of an in-memory CMDB, saying what to do', async () => {
    const svc = freshService();
    const err = await fails(svc, 'saveBaseline', { name: 'x' });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/in memory.*Open a CMDB file/);
  });
});

describe('diff', () => {
  it('finds every kind of change: CIs added, removed and changed field by field, relationships and types', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'team-platform', attributes: { rack: 'R9', os: 'linux', cpu: '8' } } });
    await ok(svc, 'deleteCi', { key: 'db-1' });
    await ok(svc, 'createCi', { key: 'q-1', fields: { name: 'Queue 1', type: 'message_queue' } });
    await ok(svc, 'createRelationship', { source: 'app-1', target: 'q-1', type: 'uses' });
    // One member's min_up changed alone (an import refuses a group at odds with itself; older CMDBs may hold one).
    svc.db
      .prepare(
        "UPDATE relationships SET min_up = 2 WHERE source_id = (SELECT id FROM cis WHERE key = 'app-1') AND target_id = (SELECT id FROM cis WHERE key = 'web-1')",
      )
      .run();
    const d = await ok(svc, 'diff', { from: 'before', to: 'now' });
    expect(d.cis.added).toEqual([{ key: 'q-1', name: 'Queue 1', type: 'message_queue', owner: null }]);
    expect(d.cis.removed).toEqual([{ key: 'db-1', name: 'DB 1', type: 'database', owner: 'team-dba' }]);
    expect(d.cis.changed).toEqual([
      {
        key: 'web-1',
        name: 'Web 1',
        type: 'server',
        owner: 'team-platform',
        fields: {
          owner: { from: 'team-web', to: 'team-platform' },
          'attributes.cpu': { from: null, to: '8' },
          'attributes.rack': { from: 'R1', to: 'R9' },
        },
      },
    ]);
    expect(d.relationships.added).toEqual([{ source: 'app-1', target: 'q-1', type: 'uses' }]);
    expect(d.relationships.removed).toEqual([{ source: 'app-1', target: 'db-1', type: 'depends_on' }]);
    expect(d.relationships.changed).toEqual([
      { source: 'app-1', target: 'web-1', type: 'runs_on', fields: { min_up: { from: 1, to: 2 } } },
    ]);
    const types = await ok(svc, 'getTypes', {});
    const hadQueue = types.ciTypes.some((t) => t.name === 'message_queue');
    expect(hadQueue).toBe(true);
    expect(d.counts).toEqual({
      cisAdded: 1,
      cisRemoved: 1,
      cisChanged: 1,
      cisRetired: 0,
      relationshipsAdded: 1,
      relationshipsRemoved: 1,
      relationshipsChanged: 1,
    });
    // And the other way round: the mirror image.
    const back = await ok(svc, 'diff', { from: 'now', to: 'before' });
    expect(back.cis.added.map((c) => c.key)).toEqual(['db-1']);
    expect(back.cis.removed.map((c) => c.key)).toEqual(['q-1']);
    expect(back.cis.changed[0]!.fields.owner).toEqual({ from: 'team-platform', to: 'team-web' });
  });

  it('counts the CIs retired since apart from the other changes (a sync retires what its source no longer lists)', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'week1', note: null });
    // A sync from the source that imported them, no longer listing web-2 and db-1: both retired; app-1 changes owner.
    const weekly = 'id,name,type,owner,status\nweb-1,Web 1,server,team-web,operational\napp-1,App 1,application,team-apps,operational\n';
    await ok(svc, 'importCsv', { cis: file('cis.csv', weekly), mode: 'sync' });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { status: 'maintenance' } });
    const d = await ok(svc, 'diff', { from: 'week1' });
    expect(d.counts).toMatchObject({ cisChanged: 4, cisRetired: 2 });
    expect(diffSummary(d)).toMatch(/^0 CIs added, 0 removed, 4 changed \(2 of them retired\); /);
    // The same in SQL (a large diff), and the other way round none was retired.
    expect(svc.baselines.diffHolding({ from: 'week1', to: 'now', limit: 1 }, 0).counts).toMatchObject({ cisChanged: 4, cisRetired: 2 });
    await ok(svc, 'saveBaseline', { name: 'week2', note: null });
    expect((await ok(svc, 'diff', { from: 'week2', to: 'week1' })).counts).toMatchObject({ cisChanged: 4, cisRetired: 0 });
    expect(diffSummary(await ok(svc, 'diff', { from: 'week2', to: 'week1' }))).toMatch(/^0 CIs added, 0 removed, 4 changed; /);
  });

  it('reports a type new to the registry, and one gone', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\ngz-1,Gizmo,gizmo_appliance\n') });
    const d = await ok(svc, 'diff', { from: 'before' });
    expect(d.types.added).toEqual(['gizmo_appliance']);
    expect((await ok(svc, 'diff', { from: 'now', to: 'before' })).types.removed).toEqual(['gizmo_appliance']);
  });

  it('compares two baselines with each other, and a point with itself finds nothing', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'one', note: null });
    await ok(svc, 'updateCi', { key: 'app-1', fields: { status: 'retired' } });
    await ok(svc, 'saveBaseline', { name: 'two', note: null });
    await ok(svc, 'updateCi', { key: 'app-1', fields: { status: 'operational' } });
    const d = await ok(svc, 'diff', { from: 'one', to: 'two' });
    expect(d.cis.changed).toEqual([expect.objectContaining({ key: 'app-1', fields: { status: { from: 'operational', to: 'retired' } } })]);
    expect(empty(await ok(svc, 'diff', { from: 'one', to: 'now' }))).toBe(true);
    expect(empty(await ok(svc, 'diff', { from: 'two', to: 'two' }))).toBe(true);
  });

  it('undoing an import made after a baseline leaves no difference', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    const r = await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type,owner,rack\nweb-1,Web 1,server,team-new,R7\nnew-1,New,widget,team-new,\n'),
      relationships: file('r.csv', 'source,target,type\nnew-1,web-1,depends_on\napp-1,web-1,runs_on\n'),
    });
    expect(empty(await ok(svc, 'diff', { from: 'before' }))).toBe(false);
    await ok(svc, 'undoImport', { id: r.importId! });
    const d = await ok(svc, 'diff', { from: 'before' });
    expect(d.counts).toEqual({
      cisAdded: 0,
      cisRemoved: 0,
      cisChanged: 0,
      cisRetired: 0,
      relationshipsAdded: 0,
      relationshipsRemoved: 0,
      relationshipsChanged: 0,
    });
    expect(d.types).toEqual({ added: [], removed: [] });
  });

  it('a CI deleted and created again under its key (a new row) with the same fields is no change', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'deleteCi', { key: 'web-1' });
    await ok(svc, 'importCsv', { cis: file('c.csv', CIS), relationships: file('r.csv', RELS) });
    expect(svc.db.prepare("SELECT id FROM cis WHERE key = 'web-1'").pluck().get()).toBe(5);
    expect(empty(await ok(svc, 'diff', { from: 'before' }))).toBe(true);
  });

  it('a new CI that reuses a deleted row id (SQLite reuses the largest) is removed + added, not a rename', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'deleteCi', { key: 'app-1' });
    await new Promise((r) => setTimeout(r, 5)); // another created_at
    await ok(svc, 'createCi', { key: 'app-2', fields: { name: 'App 2', type: 'application' } });
    expect(svc.db.prepare("SELECT id FROM cis WHERE key = 'app-2'").pluck().get()).toBe(4);
    const d = await ok(svc, 'diff', { from: 'before' });
    expect(d.cis.removed.map((c) => c.key)).toEqual(['app-1']);
    expect(d.cis.added.map((c) => c.key)).toEqual(['app-2']);
    expect(d.cis.changed).toEqual([]);
  });

  it('a renamed key (the same row, same created_at) is a change of fields.key, not a removal and an addition', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    // Nothing in the product renames a key; a hand edit of the file does.
    svc.db.prepare("UPDATE cis SET key = 'db-primary', owner = 'team-data' WHERE key = 'db-1'").run();
    const d = await ok(svc, 'diff', { from: 'before' });
    expect(d.cis.added).toEqual([]);
    expect(d.cis.removed).toEqual([]);
    expect(d.cis.changed).toEqual([
      expect.objectContaining({
        key: 'db-primary',
        fields: { key: { from: 'db-1', to: 'db-primary' }, owner: { from: 'team-dba', to: 'team-data' } },
      }),
    ]);
    // Its relationships are the same rows: not reported.
    expect(d.counts.relationshipsAdded + d.counts.relationshipsRemoved).toBe(0);
  });

  it('filters by CI type: CIs of those types, relationships with an end of those types', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'x' } });
    await ok(svc, 'updateCi', { key: 'db-1', fields: { owner: 'y' } });
    await ok(svc, 'createRelationship', { source: 'web-2', target: 'db-1', type: 'depends_on' });
    const d = await ok(svc, 'diff', { from: 'before', types: ['database'] });
    expect(d.cis.changed.map((c) => c.key)).toEqual(['db-1']);
    expect(d.relationships.added).toEqual([{ source: 'web-2', target: 'db-1', type: 'depends_on' }]);
    const apps = await ok(svc, 'diff', { from: 'before', types: ['application'] });
    expect(apps.counts.cisChanged + apps.counts.relationshipsAdded).toBe(0);
    // A type neither side knows (a typo) is refused, not read as "nothing changed".
    const typo = await fails(svc, 'diff', { from: 'before', types: ['database', 'databse'] });
    expect(typo.code).toBe('INVALID_REQUEST');
    expect(typo.message).toMatch(/^Unknown CI type "databse": neither point in time has it\. The CI types are: .*\bdatabase\b/);
    const exported = await fails(svc, 'exportDiff', { from: 'before', types: ['nope'], format: 'csv' });
    expect(exported.message).toContain('Unknown CI type "nope"');
  });

  it('cuts each list at the limit, says so, and counts them all', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    for (const key of ['web-1', 'web-2', 'db-1']) await ok(svc, 'updateCi', { key, fields: { status: 'maintenance' } });
    const d = await ok(svc, 'diff', { from: 'before', limit: 2 });
    expect(d.cis.changed.map((c) => c.key)).toEqual(['db-1', 'web-1']);
    expect(d.counts.cisChanged).toBe(3);
    expect(d.truncated).toBe(true);
  });

  it('never writes a baseline: the file is byte for byte the same after diffs and impact compares', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    const path = join(baselinesDir(svc.path), 'before.sqlite');
    chmodSync(path, 0o644); // even when the file could be written
    const bytes = () => new Database(path, { readonly: true }).serialize().toString('hex');
    const was = bytes();
    const mtime = statSync(path).mtimeMs;
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'x' } });
    await ok(svc, 'diff', { from: 'before' });
    await ok(svc, 'impact', { keys: ['web-1'], compare: 'before' });
    expect(bytes()).toBe(was);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(existsSync(`${path}-wal`) || existsSync(`${path}-journal`)).toBe(false);
    // The diff left the live connection as it found it: writable, nothing attached.
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'y' } });
    expect(svc.db.prepare('PRAGMA database_list').all()).toHaveLength(1);
  });

  it('reads a baseline saved by an older schema through an upgraded temporary copy, leaving it untouched', async () => {
    const svc = await demoService();
    const path = await savedAtSchema(svc, 'old', 5, (raw) =>
      raw.exec('DROP TABLE saved_views; DROP TABLE merges; ALTER TABLE history DROP COLUMN prior_import_id;'),
    );
    const before = statSync(path).mtimeMs;
    await ok(svc, 'updateCi', { key: 'app-1', fields: { owner: 'z' } });
    const d = await ok(svc, 'diff', { from: 'old' });
    expect(d.cis.changed.map((c) => c.key)).toEqual(['app-1']);
    expect(statSync(path).mtimeMs).toBe(before);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(5);
    check.close();
  });

  it('reads a baseline saved at schema 10 with the search index it was saved with (not rebuilt on each read)', async () => {
    const svc = await demoService();
    let indexed = 0;
    const path = await savedAtSchema(svc, 'ten', 10, (raw) => {
      // As schema 10 left the search index: with its two- and three-letter prefix indexes.
      raw.exec(`DROP TABLE ci_fts;
        CREATE VIRTUAL TABLE ci_fts USING fts5(key, name, type, owner, description, attributes, content = 'cis', content_rowid = 'id',
          tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');
        INSERT INTO ci_fts(ci_fts) VALUES ('rebuild');
        ALTER TABLE history DROP COLUMN prior_import_id;`);
      indexed = raw.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck().get('app*') as number;
    });
    expect(indexed).toBeGreaterThan(0);
    const store = new BaselineStore(svc.db, svc.path);
    const opened = store.open('ten');
    try {
      expect(opened.file).not.toBe(path);
      const copy = new Database(opened.file, { readonly: true });
      expect(copy.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(copy.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ci_fts'").pluck().get()).toContain("prefix = '2 3'");
      expect(copy.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck().get('app*')).toBe(indexed);
      // What an impact comparison asks of its search index: which attributes the CIs have.
      const attrs = CiAttrs.build(copy, GraphIndex.build(copy));
      expect([attrs.hasAttribute(copy, 'rack'), attrs.hasAttribute(copy, 'colour')]).toEqual([true, false]);
      copy.close();
    } finally {
      opened.release();
    }
    await ok(svc, 'updateCi', { key: 'app-1', fields: { owner: 'z' } });
    expect((await ok(svc, 'diff', { from: 'ten' })).cis.changed.map((c) => c.key)).toEqual(['app-1']);
  });

  it('refuses a baseline from a newer version of the app, saying to update', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'future', note: null });
    const path = join(baselinesDir(svc.path), 'future.sqlite');
    chmodSync(path, 0o644);
    const raw = new Database(path);
    raw.prepare('UPDATE baseline_info SET schema_version = ?').run(SCHEMA_VERSION + 1);
    raw.close();
    const err = await fails(svc, 'diff', { from: 'future' });
    expect(err.code).toBe('DB_NEWER');
    expect(err.message).toMatch(/Update the app/);
  });
});

describe('a large diff, done in SQL instead of in memory', () => {
  it('gives the same answer as the in-memory diff for every kind of change, renames, type filters and limits', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: 'team-platform', attributes: { rack: 'R9', os: 'linux', cpu: '8' } } });
    await ok(svc, 'deleteCi', { key: 'db-1' });
    await ok(svc, 'createCi', { key: 'q-1', fields: { name: 'Queue 1', type: 'message_queue' } });
    await ok(svc, 'createRelationship', { source: 'app-1', target: 'q-1', type: 'uses' });
    // One member's min_up changed alone (an import refuses a group at odds with itself; older CMDBs may hold one).
    svc.db
      .prepare(
        "UPDATE relationships SET min_up = 2 WHERE source_id = (SELECT id FROM cis WHERE key = 'app-1') AND target_id = (SELECT id FROM cis WHERE key = 'web-1')",
      )
      .run();
    svc.db.prepare("UPDATE cis SET key = 'web-two', name = 'Web Two' WHERE key = 'web-2'").run();
    await ok(svc, 'saveBaseline', { name: 'after', note: null });
    await ok(svc, 'deleteCi', { key: 'web-1' });
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type,owner\nweb-1,Web 1,server,team-platform\n') });
    const requests = [
      { from: 'before', to: 'after', limit: 10_000 },
      { from: 'after', to: 'before', limit: 10_000 },
      { from: 'before', to: 'now', limit: 10_000 },
      { from: 'before', to: 'after', limit: 1 },
      { from: 'before', to: 'after', types: ['server'], limit: 10_000 },
      { from: 'before', to: 'after', types: ['message_queue'], limit: 10_000 },
    ];
    for (const req of requests) {
      const inMemory = svc.baselines.diff(req);
      expect(
        inMemory.counts.cisAdded + inMemory.counts.cisChanged + inMemory.counts.relationshipsAdded,
        JSON.stringify(req),
      ).toBeGreaterThan(0);
      // Relationships of the renamed CI are the same rows in memory; in SQL they read as removed and added, so leave them out.
      const large = svc.baselines.diffHolding(req, 0);
      // When now was read differs between the two diffs.
      const readAt = (p: DiffPoint) => (p.kind === 'now' ? { ...p, at: 'read' } : p);
      const withoutRenamedEnds = (d: Diff) => ({
        ...d,
        provenance: { ...d.provenance, from: readAt(d.provenance.from), to: readAt(d.provenance.to) },
        relationships: Object.fromEntries(
          Object.entries(d.relationships).map(([k, v]) => [
            k,
            v.filter((r) => ![r.source, r.target].some((e) => e.startsWith('web-2') || e === 'web-two')),
          ]),
        ),
        counts: { ...d.counts, relationshipsAdded: 0, relationshipsRemoved: 0 },
      });
      expect(withoutRenamedEnds(large), JSON.stringify(req)).toEqual(withoutRenamedEnds(inMemory));
    }
  });
});

describe('a CI row id SQLite gave again to another CI', () => {
  it('its relationships read as removed and added, in memory and in SQL, whichever table is large', async () => {
    const svc = await demoService();
    // Import 2 creates old-a on db-1; a baseline; import 2 undone; import 3 creates new-a on db-1 under the same ids.
    const two = await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nold-a,Old A,application\n'),
      relationships: file('r.csv', 'source,target,type\nold-a,db-1,depends_on\n'),
    });
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    const oldIds = svc.db
      .prepare("SELECT c.id, r.id FROM cis c JOIN relationships r ON r.source_id = c.id WHERE c.key = 'old-a'")
      .raw()
      .get();
    await ok(svc, 'undoImport', { id: two.importId! });
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nnew-a,New A,application\n'),
      relationships: file('r.csv', 'source,target,type\nnew-a,db-1,depends_on\n'),
    });
    expect(
      svc.db.prepare("SELECT c.id, r.id FROM cis c JOIN relationships r ON r.source_id = c.id WHERE c.key = 'new-a'").raw().get(),
    ).toEqual(oldIds);
    const expected = {
      added: [{ source: 'new-a', target: 'db-1', type: 'depends_on' }],
      removed: [{ source: 'old-a', target: 'db-1', type: 'depends_on' }],
      changed: [],
    };
    for (const cap of [undefined, 0, 1]) {
      const d = svc.baselines.diffHolding({ from: 'before', to: 'now', limit: 100 }, cap);
      expect(
        d.cis.added.map((c) => c.key),
        String(cap),
      ).toEqual(['new-a']);
      expect(
        d.cis.removed.map((c) => c.key),
        String(cap),
      ).toEqual(['old-a']);
      expect(d.relationships, String(cap)).toEqual(expected);
      expect(d.counts).toMatchObject({ relationshipsAdded: 1, relationshipsRemoved: 1, relationshipsChanged: 0 });
    }
    // Only relationships of the application type's CIs: the same.
    expect(svc.baselines.diff({ from: 'before', to: 'now', types: ['application'], limit: 100 }).relationships).toEqual(expected);
  });
});

describe('diff export', () => {
  it('writes CSV through the one CSV writer (formula guard included) and Markdown tables', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { owner: '=HYPERLINK("x")' } });
    await ok(svc, 'createCi', { key: 'n-1', fields: { name: 'New | pipe', type: 'server' } });
    await ok(svc, 'updateCi', { key: 'db-1', fields: { owner: null } });
    const csv = await ok(svc, 'exportDiff', { from: 'before', format: 'csv' });
    expect(csv.filename).toBe('diff-before-to-now.csv');
    const lines = csv.content.trim().split('\r\n');
    expect(lines[0]).toBe('entity,change,key,name,type,owner,source,target,relationship,field,from,to');
    expect(lines).toContain('ci,added,n-1,New | pipe,server,,,,,,,');
    expect(lines.find((l) => l.startsWith('ci,changed,web-1'))).toContain(`owner,team-web,"'=HYPERLINK(""x"")"`);
    const md = await ok(svc, 'exportDiff', { from: 'before', format: 'markdown' });
    expect(md.content).toContain('# What changed from before to now');
    expect(md.content).toContain('| n-1 | New \\| pipe | server |  |');
    // A value not set: an empty CSV cell, and in words for people, as the CLI writes it.
    expect(lines).toContain('ci,changed,db-1,DB 1,database,,,,,owner,team-dba,');
    expect(md.content).toContain('| db-1 | DB 1 | owner | team-dba | (not set) |');
    const json = await ok(svc, 'exportDiff', { from: 'before', format: 'json' });
    expect((JSON.parse(json.content) as Diff).counts.cisAdded).toBe(1);
  });

  it('streams the export to the web door as one envelope, and an unknown name as an error envelope', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'before', note: null });
    let text = '';
    for await (const piece of svc.stream('exportDiff', { from: 'before', format: 'csv' }, 'web')) text += piece;
    expect(JSON.parse(text)).toMatchObject({ ok: true, value: { filename: 'diff-before-to-now.csv' } });
    let bad = '';
    for await (const piece of svc.stream('exportDiff', { from: 'nope', format: 'csv' }, 'web')) bad += piece;
    expect(JSON.parse(bad)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('a damaged baseline file', () => {
  /** Overwrites the first page of `table` in baseline `name`'s file with garbage. */
  function damage(svc: Awaited<ReturnType<typeof demoService>>, name: string, table: string): void {
    const path = join(baselinesDir(svc.db.name), `${name}.sqlite`);
    const raw = new Database(path, { readonly: true });
    const root = raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number;
    const size = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    chmodSync(path, 0o644);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (root - 1) * size);
    closeSync(fd);
  }

  it('is named, with what to do, by diff and impact compare; the CMDB is not blamed and keeps working', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'broken', note: null });
    damage(svc, 'broken', 'cis');
    const said = `Baseline "broken" (${join(baselinesDir(svc.db.name), 'broken.sqlite')}) is damaged or not a baseline`;
    const diff = await fails(svc, 'diff', { from: 'broken' });
    expect(diff.code).toBe('DB_CORRUPT');
    expect(diff.message).toContain(said);
    expect(diff.message).toContain('the CMDB itself is not affected. Delete the baseline (cmdb baseline delete broken)');
    // Another error is not taken for the damage, nor does it pay for a check of every page of the baselines.
    await ok(svc, 'saveBaseline', { name: 'sound', note: null });
    const pragma = vi.spyOn(svc.db, 'pragma');
    expect((await fails(svc, 'diff', { from: 'sound', types: ['nope'] })).code).toBe('INVALID_REQUEST');
    expect(pragma.mock.calls.filter(([sql]) => String(sql).includes('quick_check'))).toEqual([]);
    pragma.mockRestore();
    const compare = await fails(svc, 'impact', { keys: ['db-1'], compare: 'broken' });
    expect(compare.message).toContain(said);
    expect((await ok(svc, 'impact', { keys: ['db-1'] })).counts.total).toBeGreaterThan(1);
    // Not a database at all: the same, from reading its description.
    await ok(svc, 'saveBaseline', { name: 'garbage', note: null });
    const path = join(baselinesDir(svc.db.name), 'garbage.sqlite');
    chmodSync(path, 0o644);
    writeFileSync(path, 'not a database, only text that is long enough to be read as a header of one\n'.repeat(100));
    expect((await fails(svc, 'diff', { from: 'garbage' })).message).toContain('Baseline "garbage" (');
    expect((await ok(svc, 'deleteBaseline', { name: 'broken' })).deleted).toBe(true);
  });

  it('one that cannot be read at all is named apart by the list (it holds its name), not hidden, until deleted', async () => {
    const svc = await demoService();
    await ok(svc, 'saveBaseline', { name: 'sound', note: null });
    writeFileSync(join(baselinesDir(svc.db.name), 'garbage.sqlite'), 'not a database');
    const list = await ok(svc, 'listBaselines', {});
    expect(list.baselines.map((b) => b.name)).toEqual(['sound']);
    expect(list.unreadable).toEqual(['garbage']);
    // Why it is named: the name is taken.
    expect((await fails(svc, 'saveBaseline', { name: 'garbage', note: null })).code).toBe('CONFLICT');
    await ok(svc, 'deleteBaseline', { name: 'garbage' });
    expect((await ok(svc, 'listBaselines', {})).unreadable).toEqual([]);
  });
});
