/**
 * The importer's pipeline on real SQLite: modes, history, dry run, every
 * error class with file/line/column, group conflicts, mapping and profiles,
 * name-matched endpoints and ServiceNow relationship types.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportResult, RowError } from '../../shared/domain.js';
import { notCsvText } from '../../shared/import.js';
import { dumpDb, fails, freshService, ok, tempDir } from './helpers.js';
import type { CmdbService } from '../../electron/cmdb/service.js';

const CIS = `id,name,type,status,owner,rack
web-1,Web 1,server,operational,team-a,R1
web-2,Web 2,server,operational,team-a,R2
app-1,Shop,application,operational,team-b,
db-1,Main DB,database,operational,team-c,
`;
const RELS = `source,target,type,redundancy_group,min_up,port
app-1,web-1,runs_on,web,1,443
app-1,web-2,runs_on,web,1,443
app-1,db-1,depends_on,,,5432
`;

const file = (name: string, content: string) => ({ name, content });

async function seed(svc: CmdbService): Promise<ImportResult> {
  return ok(svc, 'importCsv', { cis: file('cis.csv', CIS), relationships: file('rels.csv', RELS) });
}

function rejected(details: unknown): RowError[] {
  return (details as { errors: RowError[] }).errors;
}

describe('upsert (default mode)', () => {
  it('creates CIs and relationships, keeps unmapped columns as attributes, and records the import', async () => {
    const svc = freshService();
    const r = await seed(svc);
    expect(r.counts).toMatchObject({ created: 4, relationshipsCreated: 3, rejected: 0, relationshipsRejected: 0 });
    expect(r.importId).toBeGreaterThan(0);
    const web = (await ok(svc, 'getCi', { key: 'web-1' })).ci;
    expect(web).toMatchObject({ name: 'Web 1', type: 'server', owner: 'team-a', attributes: { rack: 'R1' }, importId: r.importId });
    const app = await ok(svc, 'getCi', { key: 'app-1' });
    expect(app.outgoing.map((o) => [o.other.key, o.type, o.redundancyGroup, o.minUp, o.attributes.port])).toEqual(
      expect.arrayContaining([
        ['web-1', 'runs_on', 'web', 1, '443'],
        ['db-1', 'depends_on', null, null, '5432'],
      ]),
    );
    expect(app.history.some((h) => h.action === 'create' && h.importId === r.importId)).toBe(true);
    const log = await ok(svc, 'listImports', {});
    expect(log.items[0]).toMatchObject({ id: r.importId, mode: 'upsert', files: ['cis.csv', 'rels.csv'], counts: { created: 4 } });
    expect(log.items[0]!.contentHash).toMatch(/^[0-9a-f]{64}:[0-9a-f]{64}$/);
    // Foreign keys are enforced again after the import (it turns SQLite's per-row checks off around its transaction).
    expect(svc.db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Search works after the bulk path rebuilt the FTS index.
    expect((await ok(svc, 'listCis', { query: 'Main' })).items.map((c) => c.key)).toEqual(['db-1']);
  });

  it('updates what changed with field-level history, leaves the rest unchanged, and keeps fields the file has no column for', async () => {
    const svc = freshService();
    await seed(svc);
    await ok(svc, 'updateCi', { key: 'db-1', fields: { environment: 'production' } });
    const r = await ok(svc, 'importCsv', {
      cis: file('cis.csv', CIS.replace('Web 2,server,operational,team-a,R2', 'Web 2,server,maintenance,team-z,')),
    });
    expect(r.counts).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    const web2 = await ok(svc, 'getCi', { key: 'web-2' });
    expect(web2.ci).toMatchObject({ status: 'maintenance', owner: 'team-z', attributes: {} });
    const upd = web2.history.find((h) => h.action === 'update' && h.importId === r.importId)!;
    expect(upd.changes).toEqual({
      status: { from: 'operational', to: 'maintenance' },
      owner: { from: 'team-a', to: 'team-z' },
      attributes: { from: { rack: 'R2' }, to: {} },
    });
    // No environment column in the file: the hand edit stays.
    expect((await ok(svc, 'getCi', { key: 'db-1' })).ci.environment).toBe('production');
  });

  it('updates relationships in place (group, min_up, attributes) with history', async () => {
    const svc = freshService();
    await seed(svc);
    const r = await ok(svc, 'importCsv', { relationships: file('rels.csv', RELS.replace(/web,1,443/g, 'web,2,8443')) });
    expect(r.counts).toMatchObject({ relationshipsUpdated: 2, relationshipsUnchanged: 1 });
    const app = await ok(svc, 'getCi', { key: 'app-1' });
    expect(app.outgoing.find((o) => o.other.key === 'web-2')).toMatchObject({ minUp: 2, attributes: { port: '8443' } });
    const h = app.history.find((x) => x.entity === 'relationship' && x.action === 'update')!;
    expect(h.changes).toMatchObject({ minUp: { from: 1, to: 2 } });
  });
});

describe('modes', () => {
  const NEXT = `id,name,type,status
web-1,Web 1,server,retiring
web-9,Web 9,server,operational
`;

  it('create-only creates new keys and skips existing ones', async () => {
    const svc = freshService();
    await seed(svc);
    const r = await ok(svc, 'importCsv', { cis: file('next.csv', NEXT), mode: 'create-only' });
    expect(r.counts).toMatchObject({ created: 1, updated: 0, skipped: 1 });
    expect((await ok(svc, 'getCi', { key: 'web-1' })).ci.status).toBe('operational');
  });

  it('update-only updates existing keys and skips new ones', async () => {
    const svc = freshService();
    await seed(svc);
    const r = await ok(svc, 'importCsv', { cis: file('next.csv', NEXT), mode: 'update-only' });
    expect(r.counts).toMatchObject({ created: 0, updated: 1, skipped: 1 });
    expect((await ok(svc, 'getCi', { key: 'web-1' })).ci.status).toBe('retiring');
    expect((await fails(svc, 'getCi', { key: 'web-9' })).code).toBe('NOT_FOUND');
  });

  it("update-only leaves a relationship with its source: the source's next sync still removes it when unlisted", async () => {
    const svc = freshService();
    await seed(svc);
    const ports = 'source,target,type,port\napp-1,db-1,depends_on,5433\n';
    const u = await ok(svc, 'importCsv', { relationships: file('ports.csv', ports), mode: 'update-only' });
    expect(u.counts).toMatchObject({ relationshipsUpdated: 1 });
    const later = RELS.split('\n').slice(0, 3).join('\n');
    const sync = await ok(svc, 'importCsv', { relationships: file('rels.csv', later), mode: 'sync', source: 'cis.csv' });
    expect(sync.counts).toMatchObject({ relationshipsRemoved: 1, relationshipsUnchanged: 2 });
    expect((await ok(svc, 'stats', {})).relationships).toBe(2);
  });

  it('sync retires (never deletes) the CIs of the same source that the file no longer lists, with history', async () => {
    const svc = freshService();
    await seed(svc);
    await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type\nx-1,Other,server\n') });
    const r = await ok(svc, 'importCsv', { cis: file('cis.csv', CIS.split('\n').slice(0, 3).join('\n')), mode: 'sync' });
    expect(r.counts).toMatchObject({ retired: 2, unchanged: 2 });
    for (const key of ['app-1', 'db-1']) {
      const d = await ok(svc, 'getCi', { key });
      expect(d.ci.status).toBe('retired');
      expect(d.history[0]!.changes).toEqual({ status: { from: 'operational', to: 'retired' } });
    }
    expect((await ok(svc, 'getCi', { key: 'x-1' })).ci.status).toBeNull(); // another source: untouched
    expect((await ok(svc, 'stats', {})).relationships).toBe(3);
    // With skip-bad-rows, a rejected row could be a CI the file still lists: sync then retires nothing.
    const bad = await ok(svc, 'importCsv', {
      cis: file('cis.csv', 'id,name,type\nweb-1,Web 1,server\nweb-2,Web 2,server,oops\n'),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(bad.counts).toMatchObject({ retired: 0, rejected: 1 });
    expect(bad.warnings.join(' ')).toMatch(/Sync retired nothing/);
    expect((await ok(svc, 'getCi', { key: 'web-2' })).ci.status).toBe('operational');
    // An explicit --source label groups files under one source.
    const s2 = await ok(svc, 'importCsv', {
      cis: file('renamed.csv', 'id,name,type\nweb-1,Web 1,server\n'),
      mode: 'sync',
      source: 'cis.csv',
    });
    expect(s2.counts.retired).toBe(1);
  });
});

describe('a CI a sync retired, listed again', () => {
  const all = 'id,name,type,status\nweb-1,Web 1,server,operational\nweb-2,Web 2,server,maintenance\n';
  const noStatus = 'id,name,type\nweb-1,Web 1,server\nweb-2,Web 2,server\n';
  const onlyFirst = 'id,name,type\nweb-1,Web 1,server\n';
  const status = async (svc: CmdbService, key: string) => (await ok(svc, 'getCi', { key })).ci.status;

  it('has the status it had before that retirement again, with history, a note, and an undo', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('inv.csv', all), source: 'inv' });
    await ok(svc, 'importCsv', { cis: file('inv.csv', onlyFirst), source: 'inv', mode: 'sync' });
    expect(await status(svc, 'web-2')).toBe('retired');
    const dry = await ok(svc, 'importCsv', { cis: file('inv.csv', noStatus), source: 'inv', mode: 'sync', dryRun: true });
    expect(dry.warnings).toContain(
      '1 CI a sync of this source had retired is listed again, and would have the status it had before (Web 2 (web-2): maintenance).',
    );
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', noStatus), source: 'inv', mode: 'sync' });
    expect(r.counts).toMatchObject({ updated: 1, unchanged: 1, retired: 0 });
    expect(r.warnings).toContain(
      '1 CI a sync of this source had retired is listed again, and has the status it had before (Web 2 (web-2): maintenance).',
    );
    const d = await ok(svc, 'getCi', { key: 'web-2' });
    expect(d.ci.status).toBe('maintenance');
    expect(d.history[0]!.changes).toEqual({ status: { from: 'retired', to: 'maintenance' } });
    await ok(svc, 'undoImport', { id: r.importId! });
    expect(await status(svc, 'web-2')).toBe('retired');
    // An upsert of the same export (not a sync) gives it back too: the file lists it.
    const up = await ok(svc, 'importCsv', { cis: file('inv.csv', noStatus), source: 'inv' });
    expect(up.counts).toMatchObject({ updated: 1 });
    expect(await status(svc, 'web-2')).toBe('maintenance');
  });

  it('stays retired when retired otherwise: by hand, by a status column, by another source; a status column says itself', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('inv.csv', all), source: 'inv' });
    await ok(svc, 'updateCi', { key: 'web-1', fields: { status: 'retired' } });
    await ok(svc, 'importCsv', { cis: file('inv.csv', 'id,name,type,status\nweb-2,Web 2,server,retired\n'), source: 'inv' });
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', noStatus), source: 'inv', mode: 'sync' });
    expect(r.counts).toMatchObject({ updated: 0, unchanged: 2 });
    expect([await status(svc, 'web-1'), await status(svc, 'web-2')]).toEqual(['retired', 'retired']);
    // Retired by a sync of another source: listed by this one, it stays so.
    await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type,status\nweb-3,Web 3,server,standby\n'), source: 'other' });
    await ok(svc, 'importCsv', { cis: file('other.csv', 'id,name,type\nweb-9,Web 9,server\n'), source: 'other', mode: 'sync' });
    expect(await status(svc, 'web-3')).toBe('retired');
    await ok(svc, 'importCsv', { cis: file('inv.csv', 'id,name,type\nweb-3,Web 3,server\n'), source: 'inv' });
    expect(await status(svc, 'web-3')).toBe('retired');
    // A file with a status column says the status itself.
    await ok(svc, 'importCsv', {
      cis: file('other.csv', 'id,name,type,status\nweb-3,Web 3,server,planned\nweb-9,Web 9,server,\n'),
      source: 'other',
    });
    expect(await status(svc, 'web-3')).toBe('planned');
  });
});

describe('a field the mapping reads from no column ("")', () => {
  it('is not filled from a column of its usual name: "id": "" keys CIs by type and name beside an Asset Tag column', async () => {
    const svc = freshService();
    const csv = 'Name,Type,Asset Tag,Owner\nweb-01,server,A-1,ops\n';
    const r = await ok(svc, 'importCsv', { cis: file('assets.csv', csv), mapping: { cis: { id: '', owner: '' } } });
    expect(r.rows[0]!.key).toBe('server:web-01');
    const ci = (await ok(svc, 'getCi', { key: 'server:web-01' })).ci;
    expect(ci.owner).toBeNull();
    expect(ci.attributes).toEqual({ 'Asset Tag': 'A-1', Owner: 'ops' });
    // Left out, the field is found by its usual name.
    const again = await ok(svc, 'importCsv', { cis: file('assets.csv', csv), mapping: { cis: { name: 'Name' } }, dryRun: true });
    expect(again.rows[0]!.key).toBe('A-1');
    // A required field read from no column is the same error as a file without one.
    expect((await fails(svc, 'importCsv', { cis: file('assets.csv', csv), mapping: { cis: { name: '' } } })).message).toMatch(/name/);
  });
});

describe('a file keyed by another column than last time', () => {
  const byName = 'name,type,inventory_no\nWeb 1,server,A-1\nWeb 2,server,A-2\nDB 1,database,A-3\n';
  const byTag = { cis: { id: 'inventory_no' } };
  const asBefore = { cis: { id: '' } };
  const rekeyNote = (warnings: string[]) => warnings.filter((w) => w.includes('under another key'));

  it('says how many CIs it created that its source had under another key, names the first and what to do', async () => {
    const svc = freshService();
    // Keyed by type and name (id read from no column), then by the number: three second CIs, and a sync retires the first.
    await ok(svc, 'importCsv', { cis: file('assets.csv', byName), mapping: asBefore, source: 'assets' });
    const dry = await ok(svc, 'importCsv', {
      cis: file('assets.csv', byName),
      mapping: byTag,
      source: 'assets',
      mode: 'sync',
      dryRun: true,
    });
    expect(rekeyNote(dry.warnings)).toEqual([
      'assets.csv: 3 CIs this import would create have the type and name of a CI that source "assets" had before under another key, which the file no longer lists (Web 1, a server, is server:Web 1 in the CMDB and A-1 in this file). The file is likely keyed by another column than the last import of it was: each such row would make a second CI of the same thing. Map id to the column the CMDB\'s keys came from, or, if they were type and name, to none (`"id": ""`).',
    ]);
    const r = await ok(svc, 'importCsv', { cis: file('assets.csv', byName), mapping: byTag, source: 'assets', mode: 'sync' });
    expect(r.counts).toMatchObject({ created: 3, retired: 3 });
    expect(rekeyNote(r.warnings)[0]).toContain('each such row made a second CI of the same thing. Undo this import and map id');
    // Keyed the same way again: nothing created, nothing said.
    const again = await ok(svc, 'importCsv', { cis: file('assets.csv', byName), mapping: byTag, source: 'assets', mode: 'sync' });
    expect(again.counts).toMatchObject({ created: 0, unchanged: 3 });
    expect(rekeyNote(again.warnings)).toEqual([]);
    // The remedy it names: keyed as before, by type and name, the first CIs are back and nothing is created.
    const back = await ok(svc, 'importCsv', {
      cis: file('assets.csv', byName),
      mapping: asBefore,
      source: 'assets',
      mode: 'sync',
      dryRun: true,
    });
    expect(back.counts).toMatchObject({ created: 0, retired: 3 });
  });

  it("says nothing of a CI that shares its name with another source's", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('assets.csv', byName), mapping: asBefore, source: 'other-tool' });
    const r = await ok(svc, 'importCsv', { cis: file('assets.csv', byName), mapping: byTag, source: 'assets' });
    expect(r.counts).toMatchObject({ created: 3 });
    expect(rekeyNote(r.warnings)).toEqual([]);
  });

  it('says nothing of ordinary churn: one instance replaced under the same name among several, or a new CI beside a listed namesake', async () => {
    const svc = freshService();
    const week1 = 'id,name,type\ni-1,web,server\ni-2,api,server\ni-3,db,database\n';
    await ok(svc, 'importCsv', { cis: file('ec2.csv', week1), source: 'ec2' });
    // i-1 replaced by i-9 under the same Name tag: 1 of 3 rows, not a file keyed anew.
    const week2 = 'id,name,type\ni-9,web,server\ni-2,api,server\ni-3,db,database\n';
    const r = await ok(svc, 'importCsv', { cis: file('ec2.csv', week2), source: 'ec2', mode: 'sync' });
    expect(r.counts).toMatchObject({ created: 1, unchanged: 2, retired: 1 });
    expect(rekeyNote(r.warnings)).toEqual([]);
    // A second pod of one name in another namespace, both listed: the earlier one is still in the file.
    await ok(svc, 'importCsv', { cis: file('pods.csv', 'id,name,type\nshop/web-0,web-0,container\n'), source: 'pods' });
    const pods = await ok(svc, 'importCsv', {
      cis: file('pods.csv', 'id,name,type\nshop/web-0,web-0,container\nstaging/web-0,web-0,container\n'),
      source: 'pods',
    });
    expect(pods.counts).toMatchObject({ created: 1, unchanged: 1 });
    expect(rekeyNote(pods.warnings)).toEqual([]);
  });
});

describe('dry run', () => {
  it('reports counts and per-row changes and writes nothing', async () => {
    const svc = freshService();
    await seed(svc);
    const before = dumpDb(svc.db);
    const r = await ok(svc, 'importCsv', {
      cis: file('cis.csv', `${CIS.replace('Main DB', 'Primary DB')}new-1,New,server,,,\n`),
      dryRun: true,
      rowsLimit: 3,
    });
    expect(r.dryRun).toBe(true);
    expect(r.importId).toBeNull();
    expect(r.counts).toMatchObject({ created: 1, updated: 1, unchanged: 3 });
    expect(r.rows).toEqual([
      { file: 'cis.csv', line: 2, key: 'web-1', action: 'unchanged', changes: null },
      { file: 'cis.csv', line: 3, key: 'web-2', action: 'unchanged', changes: null },
      { file: 'cis.csv', line: 4, key: 'app-1', action: 'unchanged', changes: null },
    ]);
    const all = await ok(svc, 'importCsv', { cis: file('cis.csv', CIS.replace('Main DB', 'Primary DB')), dryRun: true, mode: 'sync' });
    expect(all.rows.find((x) => x.key === 'db-1')).toMatchObject({
      action: 'update',
      changes: { name: { from: 'Main DB', to: 'Primary DB' } },
    });
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('a dry run with row errors returns them instead of failing, and still writes nothing', async () => {
    const svc = freshService();
    const before = dumpDb(svc.db);
    const r = await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\na,A,server\nb,,server\n'), dryRun: true });
    expect(r.counts).toMatchObject({ created: 1, rejected: 1 });
    expect(r.errors).toEqual([{ file: 'c.csv', line: 3, column: 'name', message: expect.stringMatching(/missing required value/) }]);
    expect(dumpDb(svc.db)).toBe(before);
  });
});

describe('row errors', () => {
  async function errorsOf(cis: string | null, rels: string | null, pre?: (svc: CmdbService) => Promise<unknown>): Promise<RowError[]> {
    const svc = freshService();
    if (pre) await pre(svc);
    const before = dumpDb(svc.db);
    const e = await fails(svc, 'importCsv', {
      cis: cis === null ? undefined : file('c.csv', cis),
      relationships: rels === null ? undefined : file('r.csv', rels),
    });
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.message).toMatch(/Nothing was imported/);
    expect(dumpDb(svc.db)).toBe(before); // all-or-nothing
    return rejected(e.details);
  }

  it('bad quoting', async () => {
    const errs = await errorsOf('id,name,type\na,A,server\nb,"B"x,server\nc,C,server\n', null);
    expect(errs[0]).toMatchObject({ file: 'c.csv', line: 3, message: expect.stringMatching(/quote/) });
  });

  it('ragged row', async () => {
    const errs = await errorsOf('id,name,type\na,A,server\nb,B,server,extra\nc,C\n', null);
    expect(errs).toEqual([
      { file: 'c.csv', line: 3, column: null, message: expect.stringMatching(/ragged row: it has 4 fields but the header has 3/) },
      { file: 'c.csv', line: 4, column: null, message: expect.stringMatching(/ragged row: it has 2 fields/) },
    ]);
  });

  it('missing required field', async () => {
    const errs = await errorsOf('Key,Name,Class\na,,server\nb,B,\n', null);
    expect(errs).toEqual([
      { file: 'c.csv', line: 2, column: 'Name', message: expect.stringMatching(/missing required value: the CI name/) },
      { file: 'c.csv', line: 3, column: 'Class', message: expect.stringMatching(/missing required value: the CI type/) },
    ]);
  });

  it('duplicate key inside the file, in an empty CMDB and in a populated one, names the line that has it first', async () => {
    const dup = 'id,name,type\na,A,server\nb,B,server\na,A again,server\n';
    const message =
      'duplicate key "a": line 2 of this file has the same key, and each CI appears once. Remove one of the rows, or give this one its own key.';
    expect(await errorsOf(dup, null)).toEqual([{ file: 'c.csv', line: 4, column: 'id', message }]);
    const seed = (cis: string) => (svc: CmdbService) => ok(svc, 'importCsv', { cis: file('s.csv', cis) });
    // The CI stored before, listed unchanged, then again.
    expect(await errorsOf(dup.replace('b,B', 'x,X'), null, seed('id,name,type\na,A,server\nz,Z,server\n'))).toEqual([
      { file: 'c.csv', line: 4, column: 'id', message },
    ]);
    // Stored before and updated by line 2; created by line 3 (b is new) and listed again on line 5.
    expect(await errorsOf(`${dup}b,B again,server\n`, null, seed('id,name,type\na,Old,server\n'))).toEqual([
      { file: 'c.csv', line: 4, column: 'id', message },
      { file: 'c.csv', line: 5, column: 'id', message: expect.stringMatching(/^duplicate key "b": line 3 of this file has the same key/) },
    ]);
  });

  it('unknown and ambiguous endpoints name the value', async () => {
    const cis = 'id,name,type\ns1,db,server\nd1,db,database\na1,App,application\n';
    const errs = await errorsOf(cis, 'source,target,type\na1,nope,depends_on\nghost,a1,depends_on\na1,db,depends_on\n');
    expect(errs).toEqual([
      { file: 'r.csv', line: 2, column: 'target', message: expect.stringMatching(/unknown target CI "nope"/) },
      { file: 'r.csv', line: 3, column: 'source', message: expect.stringMatching(/unknown source CI "ghost"/) },
      {
        file: 'r.csv',
        line: 4,
        column: 'target',
        message: expect.stringMatching(/ambiguous target CI "db": 2 CIs have that name \(server, database/),
      },
    ]);
  });

  it('bad min_up', async () => {
    const errs = await errorsOf(
      CIS,
      'source,target,type,redundancy_group,min_up\napp-1,web-1,runs_on,web,0\napp-1,web-2,runs_on,web,two\napp-1,db-1,depends_on,,2\n',
    );
    expect(errs.map((e) => [e.line, e.column, e.message.slice(0, 16)])).toEqual([
      [2, 'min_up', 'bad min_up "0": '],
      [3, 'min_up', 'bad min_up "two"'],
      [4, 'min_up', 'bad min_up "2": '],
    ]);
    // A whole number as a spreadsheet or pandas writes it from a column of decimals reads as that number; a fraction does not.
    const fractions = await errorsOf(
      CIS,
      'source,target,type,redundancy_group,min_up\napp-1,web-1,runs_on,web,1.5\napp-1,web-2,runs_on,web,"1,5"\n',
    );
    expect(fractions.map((e) => [e.line, e.message.slice(0, 18)])).toEqual([
      [2, 'bad min_up "1.5": '],
      [3, 'bad min_up "1,5": '],
    ]);
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('c.csv', CIS),
      relationships: file(
        'r.csv',
        'source,target,type,redundancy_group,min_up\napp-1,web-1,runs_on,web,2.0\napp-1,web-2,runs_on,web,"2,0"\n',
      ),
    });
    const minUps = svc.db.prepare('SELECT DISTINCT min_up FROM relationships').pluck().all();
    expect(minUps).toEqual([2]);
  });

  it('conflicting group settings: different min_up, or different types, in one group of one dependent', async () => {
    const errs = await errorsOf(
      CIS,
      'source,target,type,redundancy_group,min_up\napp-1,web-1,runs_on,web,1\napp-1,web-2,runs_on,web,2\napp-1,db-1,depends_on,web,\n',
    );
    expect(errs).toEqual([
      {
        file: 'r.csv',
        line: 3,
        column: 'min_up',
        message: expect.stringMatching(/conflicting group settings: .*min_up 1 \(line 2\) and here 2/),
      },
      {
        file: 'r.csv',
        line: 4,
        column: 'redundancy_group',
        message: expect.stringMatching(/conflicting group settings: .*runs_on .*and here depends_on/),
      },
    ]);
  });

  it('conflicting group settings in one file refuse the whole import, even skipping bad rows: a sync would leave the group half-updated (found by a tester)', async () => {
    const svc = freshService();
    const hosts = Array.from({ length: 5 }, (_, i) => `hv-${i},hv-${i},server`).join('\n');
    await ok(svc, 'importCsv', { cis: file('c.csv', `id,name,type\nvsphere,vsphere,cluster\n${hosts}\n`) });
    // NetBox's devices: each member_of its cluster, the cluster's group needing 2 up; a week later one row says 3.
    const rels = (minUps: string[]) =>
      file(
        'r.csv',
        `source,target,type,redundancy_group,min_up\n${minUps.map((m, i) => `hv-${i},vsphere,member_of,vsphere,${m}`).join('\n')}\n`,
      );
    await ok(svc, 'importCsv', { relationships: rels(['2', '2', '2', '2', '2']), mode: 'sync', source: 'nb' });
    const before = dumpDb(svc.db);
    const input = { relationships: rels(['1', '1', '3', '1', '1']), mode: 'sync' as const, source: 'nb', skipBadRows: true };
    const e = await fails(svc, 'importCsv', input);
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.message).toBe(
      'r.csv line 4, column min_up: conflicting group settings: redundancy group "vsphere" of vsphere has min_up 1 (line 2) and here 3 (line 4). Give every row of the group the same min_up (or give it on one row only), and import again (and 1 more row error). Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows.',
    );
    expect(dumpDb(svc.db)).toBe(before);
    // Its dry run says so too.
    const dry = await ok(svc, 'importCsv', { ...input, dryRun: true });
    expect(dry.warnings).toContain(
      'r.csv: a row is at odds with an earlier row of its redundancy group (see the row errors): the import would be refused as a whole, even with --skip-bad-rows, as skipping it would leave the group half-updated.',
    );
    // The whole group given one min_up syncs.
    const good = await ok(svc, 'importCsv', { ...input, relationships: rels(['3', '3', '3', '3', '3']) });
    expect(good.counts).toMatchObject({ relationshipsUpdated: 5, relationshipsRejected: 0 });
  });

  it('conflicting group settings across imports: a group the CMDB holds is extended with its own type and min_up only', async () => {
    const svc = freshService();
    const rels = (content: string) => file('r.csv', `source,target,type,redundancy_group,min_up\n${content}`);
    await ok(svc, 'importCsv', { cis: file('c.csv', CIS), relationships: rels('app-1,web-1,runs_on,web,2\napp-1,web-2,runs_on,web,\n') });
    const before = svc.db.prepare('SELECT * FROM relationships ORDER BY id').all();
    // Another min_up, then another type: each refused, naming the row, the group and the member in the CMDB.
    const minUp = await fails(svc, 'importCsv', { relationships: rels('app-1,db-1,runs_on,web,1\n') });
    expect(minUp.message).toMatch(
      /^r\.csv line 2, column min_up: conflicting group settings: redundancy group "web" of app-1 has min_up 2 in the CMDB \(app-1 runs_on web-1\) and here 1\./,
    );
    const type = await fails(svc, 'importCsv', { relationships: rels('app-1,db-1,depends_on,web,\n'), skipBadRows: true });
    expect(type.message).toMatch(
      /column redundancy_group: conflicting group settings: .* holds runs_on relationships in the CMDB .* and here depends_on/,
    );
    expect(type.message).toMatch(
      /Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows\.$/,
    );
    // A dry run says the import would be refused as a whole, and counts the row once (it was written, then rolled back).
    const dry = await ok(svc, 'importCsv', { relationships: rels('app-1,db-1,runs_on,web,1\n'), skipBadRows: true, dryRun: true });
    expect(dry.warnings).toContainEqual(
      expect.stringMatching(
        /^r\.csv: a redundancy group is at odds with the CMDB .* would be refused as a whole, even with --skip-bad-rows/,
      ),
    );
    expect(dry.counts).toMatchObject({ relationshipsCreated: 1, relationshipsRejected: 0 });
    expect(dry.errors).toHaveLength(1);
    expect(svc.db.prepare('SELECT * FROM relationships ORDER BY id').all()).toEqual(before);
    // A sync that lists the whole group anew may change its settings; the same settings extend it.
    const sync = await ok(svc, 'importCsv', {
      relationships: rels('app-1,web-1,depends_on,web,1\napp-1,web-2,depends_on,web,\n'),
      mode: 'sync',
      source: 'c.csv',
    });
    expect(sync.counts).toMatchObject({ relationshipsCreated: 2, relationshipsRemoved: 2 });
    await ok(svc, 'importCsv', { relationships: rels('app-1,db-1,depends_on,web,\n') });
    expect(svc.db.prepare('SELECT count(*) FROM relationships WHERE redundancy_group = ?').pluck().get('web')).toBe(3);
  });

  it('a relationship to a CI whose row this import left out says so, naming the row', async () => {
    const svc = freshService();
    const rels = file('r.csv', 'source,target,type\na,b,depends_on\n');
    const rejected = await fails(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\na,A,server\nb,B,\n'),
      relationships: rels,
      skipBadRows: false,
    });
    const errors = (rejected.details as { errors: Array<{ file: string; line: number; message: string }> }).errors;
    expect(errors.map((e) => [e.file, e.line, e.message])).toEqual([
      ['c.csv', 3, expect.stringMatching(/missing required value: the CI type/)],
      [
        'r.csv',
        2,
        'unknown target CI "b": its row (line 3 of c.csv) was rejected (see its error), so there is no CI to relate. Fix that row, or leave this relationship out.',
      ],
    ]);
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\na,A,server\n') });
    const skipped = await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\na,A,server\nb,B,server\n'),
      relationships: rels,
      mode: 'update-only',
      skipBadRows: true,
    });
    expect(skipped.errors.map((e) => e.message)).toEqual([
      'unknown target CI "b": its row (line 3 of c.csv) was skipped (--mode update-only imports no new CI), so there is no CI to relate. Fix that row, or leave this relationship out.',
    ]);
  });

  it('duplicate relationship inside the file, and a self-relationship', async () => {
    const errs = await errorsOf(CIS, 'source,target,type\napp-1,web-1,runs_on\napp-1,web-1,Runs on\nweb-1,web-1,depends_on\n');
    expect(errs.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [3, 'duplicate relationship Shop (app-1) runs_on Web 1 (web-1)'],
      [4, '"web-1" cannot have a relationship with itself. Correct the source or target.'],
    ]);
    expect(errs[0]!.message).toContain('Delete this row, or run again with --skip-bad-rows (the earlier row is imported).');
    // With bad rows skipped already, it does not say to skip them (found by a tester).
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('c.csv', CIS) });
    const skipped = await ok(svc, 'importCsv', {
      relationships: file('r.csv', 'source,target,type\napp-1,web-1,runs_on\napp-1,web-1,Runs on\n'),
      skipBadRows: true,
    });
    expect(skipped.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/lists the same source, target and type\. The earlier row is imported; delete this one from the file\.$/),
    ]);
  });

  it('skip bad rows imports the good rows and reports the bad ones', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type\na,A,server\nb,,server\nc,C,server\n'), skipBadRows: true });
    expect(r.counts).toMatchObject({ created: 2, rejected: 1 });
    expect(r.errors).toHaveLength(1);
    expect((await ok(svc, 'stats', {})).cis).toBe(2);
  });

  it('files: empty, duplicate headers get a clear CSV_ERROR', async () => {
    const svc = freshService();
    const msg = async (content: string) => (await fails(svc, 'importCsv', { cis: file('f.csv', content) })).message;
    expect(await msg('')).toMatch(/f\.csv: the file is empty/);
    expect(await msg('\r\n\r\n')).toMatch(/the file is empty/);
    expect(await msg('id,Name,type,name\na,b,c,d\n')).toMatch(/f\.csv line 1: the header "Name" appears twice \(columns 2 and 4\)/);
    // Every repeated header at once, so that one round of fixes is enough.
    expect(await msg('name,type,Owner,Notes,owner,Notes,OWNER\na,server,t1,n1,t2,n2,t3\n')).toBe(
      'f.csv line 1: 2 headers appear more than once: "Owner" 3 times (columns 3, 5 and 7), "Notes" twice (columns 4 and 6). Rename or remove the extra columns so each column has its own name.',
    );
    expect(await msg('id,label\na,b\n')).toMatch(/no column holds the CI name/);
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
  });
});

describe('a preview of a file whose headers repeat', () => {
  it('shows the rows, and names every repeated header in a note (the import refuses the file)', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: file('dh.csv', 'name,type,Owner,Notes,owner,Notes\na,server,t1,n1,t2,n2\n') });
    expect(p.headers).toEqual(['name', 'type', 'Owner', 'Notes', 'owner', 'Notes']);
    expect(p.rows).toEqual([['a', 'server', 't1', 'n1', 't2', 'n2']]);
    expect(p.warnings).toContain(
      'dh.csv line 1: 2 headers appear more than once: "Owner" twice (columns 3 and 5), "Notes" twice (columns 4 and 6). Rename or remove the extra columns so each column has its own name. An import refuses the file until then.',
    );
  });
});

describe('a file of column names only', () => {
  it('lists nothing, with a note: an export without relationships imports again; a sync of one retires and removes nothing', async () => {
    const svc = freshService();
    const cis = file('cis.csv', 'id,name,type\na,A,server\nb,B,server\n');
    const noRels = file('rels.csv', 'source,target,type\n');
    const r = await ok(svc, 'importCsv', { cis, relationships: noRels, mode: 'sync', source: 'inv' });
    expect(r.counts).toMatchObject({ created: 2, relationshipsCreated: 0 });
    expect(r.warnings).toContainEqual(
      expect.stringMatching(/^rels\.csv: the file has a header row but no data rows; read as listing nothing/),
    );
    await ok(svc, 'importCsv', {
      cis,
      relationships: file('rels.csv', 'source,target,type\na,b,depends_on\n'),
      mode: 'sync',
      source: 'inv',
    });
    // A failed scheduled export writes the header alone: a sync of it changes nothing, and says what to do.
    const empty = await ok(svc, 'importCsv', {
      cis: file('cis.csv', 'id,name,type\n'),
      relationships: noRels,
      mode: 'sync',
      source: 'inv',
    });
    expect(empty.counts).toMatchObject({ retired: 0, relationshipsRemoved: 0 });
    expect(empty.warnings).toEqual(
      expect.arrayContaining([
        'Sync retired nothing: cis.csv has no data rows, only its column names, as a failed export writes. If the source "inv" really has no CIs left, retire them by hand, or sync a file that lists the rest.',
        'Sync removed no relationships: rels.csv has no data rows, only its column names, as a failed export writes. If the source "inv" really has no relationships left, delete them by hand.',
      ]),
    );
    expect(await ok(svc, 'stats', {})).toMatchObject({ cis: 2, relationships: 1 });
    // A CIs file of column names only creates nothing, and says so.
    const none = await ok(svc, 'importCsv', { cis: file('more.csv', 'id,name,type\n') });
    expect(none.counts).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(none.warnings).toContainEqual(expect.stringMatching(/^more\.csv: the file has a header row but no data rows/));
  });
});

describe('mapping and profiles', () => {
  const SNOW_CIS = `sys_id,CI Name,sys_class_name,Operational status,Owned by,Environment,Business criticality,Serial number
0a1,web01,cmdb_ci_linux_server,Operational,Linux team,Production,1 - most critical,SN1
0a2,web02,cmdb_ci_linux_server,Operational,Linux team,Production,1 - most critical,SN2
0b1,Shop,cmdb_ci_appl,Operational,Shop team,Production,2 - somewhat critical,
0c1,db01,cmdb_ci_db_instance,Operational,DBA,Production,1 - most critical,
0c2,db01,cmdb_ci_linux_server,Operational,Linux team,Production,3 - less critical,SN3
`;
  const SNOW_RELS = `parent,child,type,child class
Shop,web01,Runs on::Runs,
Shop,web02,Runs on::Runs,
Shop,db01,Depends on::Used by,cmdb_ci_db_instance
web01,db01,Exchanges data with::Exchanges data with,cmdb_ci_linux_server
web02,web01,Weird link::Weird back,
`;

  it('suggests mappings from ServiceNow-style headers', async () => {
    const svc = freshService();
    const s = await ok(svc, 'suggestMapping', { headers: SNOW_CIS.split('\n')[0]!.split(',') });
    expect(s.kind).toBe('cis');
    expect(s.mapping.cis).toEqual({
      id: 'sys_id',
      name: 'CI Name',
      type: 'sys_class_name',
      status: 'Operational status',
      environment: 'Environment',
      owner: 'Owned by',
      criticality: 'Business criticality',
    });
    const r = await ok(svc, 'suggestMapping', { headers: ['Source CI', 'Target CI', 'Relationship type', 'Notes'] });
    expect(r).toEqual({
      kind: 'relationships',
      mapping: { relationships: { source: 'Source CI', target: 'Target CI', type: 'Relationship type' } },
    });
    // A spreadsheet's dependency list: by names, or who consumes what.
    for (const [headers, source, target] of [
      [['Source Name', 'Target Name', 'Relation'], 'Source Name', 'Target Name'],
      [['Consumer', 'Provider', 'Type'], 'Consumer', 'Provider'],
      [['Dependent', 'Depends On', 'Type'], 'Dependent', 'Depends On'],
    ] as const) {
      expect((await ok(svc, 'suggestMapping', { headers: [...headers] })).kind).toBe('relationships');
      expect((await ok(svc, 'suggestMapping', { headers: [...headers] })).mapping.relationships).toEqual({
        source,
        target,
        type: headers[2],
      });
    }
    // Alone, such a column is a CI's own (a provider, a reference column): the file stays a CIs file.
    for (const headers of [
      ['Name', 'Type', 'Owner', 'Source', 'Depends On'],
      ['Hostname', 'Environment', 'Parent', 'Provider'],
      ['Name', 'Type', 'Provider', 'Region', 'From'],
      ['Name', 'Source Name', 'To'],
    ]) {
      expect((await ok(svc, 'suggestMapping', { headers })).kind, headers.join(',')).toBe('cis');
    }
    const p = await ok(svc, 'previewCsv', { file: file('rel.csv', SNOW_RELS), rows: 2 });
    expect(p).toMatchObject({
      kind: 'relationships',
      delimiter: ',',
      encoding: 'utf8',
      rows: [
        ['Shop', 'web01', 'Runs on::Runs', ''],
        ['Shop', 'web02', 'Runs on::Runs', ''],
      ],
    });
    expect(p.suggested.relationships).toMatchObject({ source: 'parent', target: 'child', type: 'type' });
  });

  it("reads ServiceNow's custom columns (u_owner, u_environment) as the fields they name, never as a key, a name or a group", async () => {
    const svc = freshService();
    const suggest = async (headers: string[]) => ok(svc, 'suggestMapping', { headers });
    expect(
      (await suggest(['sys_id', 'name', 'sys_class_name', 'u_owner', 'U_Environment', 'u_criticality', 'u_rack'])).mapping.cis,
    ).toEqual({
      id: 'sys_id',
      name: 'name',
      type: 'sys_class_name',
      owner: 'u_owner',
      environment: 'U_Environment',
      criticality: 'u_criticality',
    });
    // A standard column is taken first; the custom one stays an attribute.
    expect((await suggest(['sys_id', 'name', 'u_owner', 'owned_by'])).mapping.cis).toEqual({
      id: 'sys_id',
      name: 'name',
      owner: 'owned_by',
    });
    // No key, name or type from a custom column: a file without sys_id stays keyed as it was.
    const unkeyed = await suggest(['name', 'sys_class_name', 'u_asset_id', 'u_name', 'u_type', 'u_owner']);
    expect(unkeyed.mapping.cis).toEqual({ name: 'name', type: 'sys_class_name', owner: 'u_owner' });
    // Nothing of a relationship: a custom group is no redundancy group, and custom ends do not make a relationships file.
    expect((await suggest(['parent', 'child', 'type', 'u_group', 'u_min_up'])).mapping.relationships).toEqual({
      source: 'parent',
      target: 'child',
      type: 'type',
    });
    expect((await suggest(['name', 'sys_class_name', 'u_parent', 'u_child'])).kind).toBe('cis');
  });

  it('a re-import that now reads u_owner as the owner removes the u_owner attribute an earlier import kept, once', async () => {
    const svc = freshService();
    const rows = (header: string, row: (i: number) => string) => [header, ...[1, 2, 3].map(row)].join('\n');
    // Kept as an attribute: owned_by gave the owner.
    await ok(svc, 'importCsv', {
      cis: file(
        'snow.csv',
        rows('sys_id,name,sys_class_name,owned_by,u_owner', (i) => `s${i},Host ${i},cmdb_ci_linux_server,ops,team-${i}`),
      ),
    });
    expect((await ok(svc, 'getCi', { key: 's1' })).ci).toMatchObject({ owner: 'ops', attributes: { u_owner: 'team-1' } });
    const again = rows('sys_id,name,sys_class_name,u_owner', (i) => `s${i},Host ${i},cmdb_ci_linux_server,team-${i}`);
    const second = await ok(svc, 'importCsv', { cis: file('snow.csv', again) });
    expect(second.counts).toMatchObject({ updated: 3, unchanged: 0 });
    const ci = (await ok(svc, 'getCi', { key: 's1' })).ci;
    expect(ci.owner).toBe('team-1');
    expect(ci.attributes).not.toHaveProperty('u_owner');
    expect((await ok(svc, 'importCsv', { cis: file('snow.csv', again) })).counts).toMatchObject({ updated: 0, unchanged: 3 });
  });

  it('the retired attribute is matched without case: U_Owner kept by one export goes when the next reads u_owner as the owner', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('snow.csv', 'sys_id,name,sys_class_name,owned_by,U_Owner,U_Rack\ns1,Host 1,cmdb_ci_linux_server,ops,team-1,r1\n'),
    });
    expect((await ok(svc, 'getCi', { key: 's1' })).ci.attributes).toEqual({ U_Owner: 'team-1', U_Rack: 'r1' });
    const r = await ok(svc, 'importCsv', {
      cis: file('snow.csv', 'sys_id,name,sys_class_name,u_owner,U_Rack\ns1,Host 1,cmdb_ci_linux_server,team-2,r1\n'),
    });
    expect(r.rows[0]!.changes).toEqual({
      owner: { from: 'ops', to: 'team-2' },
      attributes: { from: { U_Owner: 'team-1', U_Rack: 'r1' }, to: { U_Rack: 'r1' } },
    });
    expect((await ok(svc, 'getCi', { key: 's1' })).ci).toMatchObject({ owner: 'team-2', attributes: { U_Rack: 'r1' } });
  });

  it('a mapping decides for custom columns: one that maps u_owner retires the attribute, one that leaves the owner out keeps it', async () => {
    const svc = freshService();
    const seed = 'sys_id,name,sys_class_name,owned_by,u_owner\ns1,Host 1,cmdb_ci_linux_server,ops,team-1\n';
    const later = 'sys_id,name,sys_class_name,u_owner\ns1,Host 1,cmdb_ci_linux_server,team-2\n';
    const base = { id: 'sys_id', name: 'name', type: 'sys_class_name' };
    // The wizard's mapping with the owner left out: u_owner stays an attribute, the owner as it was.
    await ok(svc, 'importCsv', { cis: file('seed.csv', seed) });
    await ok(svc, 'importCsv', { cis: file('later.csv', later), mapping: { cis: base } });
    expect((await ok(svc, 'getCi', { key: 's1' })).ci).toMatchObject({ owner: 'ops', attributes: { u_owner: 'team-2' } });
    // The wizard's mapping as suggested (owner <- u_owner): read as the owner, the attribute retired.
    await ok(svc, 'importCsv', { cis: file('later.csv', later), mapping: { cis: { ...base, owner: 'u_owner' } } });
    const ci = (await ok(svc, 'getCi', { key: 's1' })).ci;
    expect(ci.owner).toBe('team-2');
    expect(ci.attributes).not.toHaveProperty('u_owner');
  });

  it('a u_owner the row also gives in attributes_json stays, and an update does not report it changed', async () => {
    const svc = freshService();
    const csv = (owner: string) =>
      `sys_id,name,sys_class_name,u_owner,attributes_json\ns1,Host 1,cmdb_ci_linux_server,${owner},"{""u_owner"": ""from json"", ""z"": ""1""}"\n`;
    await ok(svc, 'importCsv', { cis: file('a.csv', csv('team-1')) });
    expect((await ok(svc, 'getCi', { key: 's1' })).ci).toMatchObject({ owner: 'team-1', attributes: { u_owner: 'from json', z: '1' } });
    const updated = await ok(svc, 'importCsv', { cis: file('a.csv', csv('team-2')) });
    expect(updated.counts).toMatchObject({ updated: 1 });
    expect(Object.keys(updated.rows[0]!.changes ?? {})).toEqual(['owner']);
    expect((await ok(svc, 'getCi', { key: 's1' })).ci.attributes).toEqual({ u_owner: 'from json', z: '1' });
  });

  it('imports a ServiceNow export: classes, name-matched endpoints (narrowed by type), relationship type pairs', async () => {
    const svc = freshService();
    const mapping = { relationships: { target_type: 'child class' } };
    const r = await ok(svc, 'importCsv', {
      cis: file('cmdb_ci.csv', SNOW_CIS),
      relationships: file('cmdb_rel_ci.csv', SNOW_RELS),
      mapping,
    });
    expect(r.counts).toMatchObject({ created: 5, relationshipsCreated: 5 });
    expect(r.createdRelTypes).toEqual(['weird_link']);
    const web = (await ok(svc, 'getCi', { key: '0a1' })).ci;
    expect(web).toMatchObject({
      name: 'web01',
      type: 'server',
      status: 'operational',
      criticality: 'critical',
      owner: 'Linux team',
      environment: 'Production',
    });
    // The file's text is kept where the stored value differs from it, not where only its case does (Operational).
    expect(web.attributes).toEqual({ 'Serial number': 'SN1', criticality_source: '1 - most critical' });
    const shop = await ok(svc, 'getCi', { key: '0b1' });
    expect(shop.ci.type).toBe('application');
    expect(shop.outgoing.map((o) => `${o.type} ${o.other.key}`).sort()).toEqual(['depends_on 0c1', 'runs_on 0a1', 'runs_on 0a2']);
    const types = await ok(svc, 'getTypes', {});
    expect(types.relTypes.find((t) => t.name === 'weird_link')).toMatchObject({ flagged: true, dependent: 'source', strength: 'hard' });
    expect((await ok(svc, 'getCi', { key: '0a1' })).outgoing.map((o) => `${o.type} ${o.other.key}`)).toEqual(['connects_to 0c2']);
  });

  it('reverses ServiceNow pairs whose parent is the depended-on end (Members::Member of)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'name,type\nclu,cluster\nn1,server\n'),
      relationships: file('r.csv', 'parent,child,type\nclu,n1,Members::Member of\n'),
    });
    const n1 = await ok(svc, 'getCi', { key: 'server:n1' });
    expect(n1.outgoing.map((o) => `${o.type} ${o.other.key}`)).toEqual(['member_of cluster:clu']);
  });

  it('an ambiguous name without a type column is a row error; a mapping with value maps and defaults imports a messy sheet', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('cmdb_ci.csv', SNOW_CIS) });
    const e = await fails(svc, 'importCsv', { relationships: file('r.csv', 'parent,child,type\nShop,db01,Depends on::Used by\n') });
    expect(rejected(e.details)[0]).toMatchObject({
      line: 2,
      column: 'child',
      message: expect.stringMatching(/ambiguous target CI "db01"/),
    });

    const sheet = 'Hostname;Kind;Team;Notes;Junk\nalpha;Linux box;ops;first;x\nbeta;;ops;second;y\n';
    const mapping = {
      cis: { name: 'Hostname', type: 'Kind', owner: 'Team', description: 'Notes' },
      typeValues: { 'Linux box': 'server' },
      ciDefaults: { type: 'virtual_machine', environment: 'lab' },
      ignore: { cis: ['Junk'] },
    };
    await ok(svc, 'saveMappingProfile', { name: 'ops sheet', mapping });
    expect((await ok(svc, 'listMappingProfiles', {})).items.map((p) => p.name)).toEqual(['ops sheet']);
    const r = await ok(svc, 'importCsv', { cis: file('sheet.csv', sheet), profile: 'ops sheet' });
    expect(r.counts.created).toBe(2);
    expect((await ok(svc, 'getCi', { key: 'server:alpha' })).ci).toMatchObject({
      owner: 'ops',
      description: 'first',
      environment: 'lab',
      attributes: {},
    });
    expect((await ok(svc, 'getCi', { key: 'virtual_machine:beta' })).ci.type).toBe('virtual_machine');
    expect((await fails(svc, 'importCsv', { cis: file('sheet.csv', sheet), profile: 'nope' })).message).toMatch(
      /No mapping profile named "nope". Saved profiles: ops sheet/,
    );
    const bad = await fails(svc, 'importCsv', { cis: file('sheet.csv', sheet), mapping: { cis: { name: 'Host' } } });
    expect(bad).toMatchObject({
      code: 'CSV_ERROR',
      message: expect.stringMatching(/mapping puts name in column "Host", but the file has no such column/),
    });
    expect(await ok(svc, 'deleteMappingProfile', { name: 'ops sheet' })).toEqual({ deleted: true });
    expect((await ok(svc, 'listMappingProfiles', {})).items).toEqual([]);
  });

  it('endpointMatch "key" refuses name matches', async () => {
    const svc = freshService();
    await seed(svc);
    const e = await fails(svc, 'importCsv', {
      relationships: file('r.csv', 'source,target,type\nShop,Web 1,runs_on\n'),
      mapping: { endpointMatch: 'key' },
    });
    expect(rejected(e.details)[0]!.message).toMatch(/unknown source CI "Shop": no CI has that key/);
    const r = await ok(svc, 'importCsv', { relationships: file('r.csv', 'source,target,type\napp-1,Web 1,uses\n') });
    expect(r.counts.relationshipsCreated).toBe(1);
  });
});

describe('a spreadsheet workbook given for a CSV file', () => {
  it('is refused saying to save it as CSV, whether named .xlsx or renamed .csv (it read as NUL characters)', async () => {
    const svc = freshService();
    const dir = tempDir();
    const book = join(dir, 'inventory.csv');
    writeFileSync(book, Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.alloc(64, 7)]));
    const renamed = await fails(svc, 'importCsv', { cis: { path: book } });
    expect(renamed.message).toBe(
      'inventory.csv is a spreadsheet workbook (Excel\'s .xlsx or .xls, or another zip file), not CSV text. Open it in Excel and save it as "CSV UTF-8 (Comma delimited)" (or export it as CSV from the tool that made it), then import that file.',
    );
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    expect(notCsvText('inventory.xlsx')).toBe(
      'inventory.xlsx is a spreadsheet workbook, not a CSV file. Open it and save it as "CSV UTF-8 (Comma delimited)", then import that file.',
    );
    // A tool's configuration export (Zabbix's YAML or JSON) says to export the list as CSV, not only which names are taken (found by a tester).
    expect(notCsvText('zbx_export_hosts.yaml')).toBe(
      "zbx_export_hosts.yaml is not a CSV file but YAML, which the importer does not read. Export the same list from its tool as CSV (a report's or a list's CSV download, or its API's output written as CSV), then import that file (ending in .csv, .tsv or .txt).",
    );
    expect(notCsvText('hosts.JSON')).toContain('is not a CSV file but JSON');
    expect(notCsvText('hosts.bin')).toBe('hosts.bin is not a CSV file. Import files ending in .csv, .tsv or .txt.');
  });
});

describe('the rows a dry run returns', () => {
  it('with rowsKept "changes", only the rows that create or update, however many unchanged ones come first', async () => {
    const svc = freshService();
    await seed(svc);
    const again = CIS.replace('db-1,Main DB,database,operational,team-c,', 'db-1,Main DB,database,operational,team-d,');
    const all = await ok(svc, 'importCsv', { cis: file('cis.csv', again), dryRun: true, rowsLimit: 2 });
    expect(all.rows.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    const changes = await ok(svc, 'importCsv', { cis: file('cis.csv', again), dryRun: true, rowsLimit: 2, rowsKept: 'changes' });
    expect(changes.rows).toEqual([
      { file: 'cis.csv', line: 5, key: 'db-1', action: 'update', changes: { owner: { from: 'team-c', to: 'team-d' } } },
    ]);
    expect(changes.counts).toMatchObject({ updated: 1, unchanged: 3 });
  });
});
