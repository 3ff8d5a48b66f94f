/**
 * "emptyCells" (the mapping's, the request's, `cmdb import --empty-cells`): an empty cell of a field or
 * attribute column clears that field or attribute of the CI or relationship an import updates (`clear`, the
 * default), or leaves the stored value (`keep`). A new CI takes the cell, else the mapping's default, either
 * way. The dry run says what the import writes; a row that changes nothing is unchanged, read by its digest
 * alone where only fields are left empty, and writes nothing; undo puts back what was there.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { RelPlanner } from '../../electron/cmdb/import/bulk/rel-planner.js';
import { StoredCis } from '../../electron/cmdb/import/stages/stored-cis.js';
import { mappingSchema } from '../../shared/import.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, lines: string[]) => ({ name, content: `${lines.join('\n')}\n` });

const FULL = file('inv.csv', [
  'id,name,type,owner,description,criticality,environment,rack',
  'web-1,Web 1,server,team-a,Front end,2 - somewhat critical,production,A1',
  'web-2,Web 2,server,team-b,Back end,low,staging,A2',
]);
/** The same CIs with cells left empty: web-1's owner, description, criticality and rack; web-2's environment, and a new owner. */
const PARTIAL = file('inv.csv', [
  'id,name,type,owner,description,criticality,environment,rack',
  'web-1,Web 1,server,,,,production,',
  'web-2,Web 2,server,team-z,Back end,low,,A2',
]);

const cis = (db: Db) =>
  db.prepare('SELECT key, owner, description, criticality, environment, attributes FROM cis ORDER BY key').all() as Array<
    Record<string, string | null>
  >;

/** Every UPDATE of a CI or relationship, counted by triggers of the test's own. */
function countWrites(db: Db): () => { ciUpdates: number; relUpdates: number; history: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS writes(what TEXT);
    CREATE TRIGGER IF NOT EXISTS w_ci AFTER UPDATE ON cis BEGIN INSERT INTO writes VALUES ('ci'); END;
    CREATE TRIGGER IF NOT EXISTS w_rel AFTER UPDATE ON relationships BEGIN INSERT INTO writes VALUES ('rel'); END;
    DELETE FROM writes;`);
  const history0 = db.prepare('SELECT count(*) FROM history').pluck().get() as number;
  return () => ({
    ciUpdates: db.prepare("SELECT count(*) FROM writes WHERE what = 'ci'").pluck().get() as number,
    relUpdates: db.prepare("SELECT count(*) FROM writes WHERE what = 'rel'").pluck().get() as number,
    history: (db.prepare('SELECT count(*) FROM history').pluck().get() as number) - history0,
  });
}

describe('emptyCells on a CI update', () => {
  it('clear (the default): an empty cell clears its field, attribute and the field’s source text', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const r = await ok(svc, 'importCsv', { cis: PARTIAL, rowsLimit: 10 });
    expect(r.counts).toMatchObject({ updated: 2, unchanged: 0 });
    expect(cis(svc.db)).toEqual([
      { key: 'web-1', owner: null, description: null, criticality: null, environment: 'production', attributes: '{}' },
      { key: 'web-2', owner: 'team-z', description: 'Back end', criticality: 'low', environment: null, attributes: '{"rack":"A2"}' },
    ]);
  });

  it('keep: an empty cell leaves the stored field, attribute and source text; a filled one still updates', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const before = cis(svc.db);
    expect(before[0]).toMatchObject({ criticality: 'high', attributes: '{"rack":"A1","criticality_source":"2 - somewhat critical"}' });
    const r = await ok(svc, 'importCsv', { cis: PARTIAL, mapping: { emptyCells: 'keep' }, rowsLimit: 10 });
    expect(r.counts).toMatchObject({ updated: 1, unchanged: 1 });
    expect(r.rows.map((x) => [x.key, x.action, x.changes])).toEqual([
      ['web-1', 'unchanged', null],
      ['web-2', 'update', { owner: { from: 'team-b', to: 'team-z' } }],
    ]);
    expect(cis(svc.db)).toEqual([before[0], { ...before[1], owner: 'team-z' }]);
    const history = svc.db.prepare("SELECT ci_key, changes FROM history WHERE action = 'update'").raw().all();
    expect(history).toEqual([['web-2', JSON.stringify({ owner: { from: 'team-b', to: 'team-z' } })]]);
  });

  it('keep, given with the request (as --empty-cells sends it), overrides the mapping’s clear', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const before = cis(svc.db);
    await ok(svc, 'importCsv', { cis: PARTIAL, mapping: { emptyCells: 'clear' }, emptyCells: 'keep' });
    expect(cis(svc.db)).toEqual([before[0], { ...before[1], owner: 'team-z' }]);
  });

  it('keep with a default: a new CI takes the default, a stored CI keeps its value', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const mapping = { emptyCells: 'keep' as const, ciDefaults: { environment: 'development' } };
    const lines = ['id,name,type,environment', 'web-2,Web 2,server,', 'web-3,Web 3,server,'];
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', lines), mapping });
    expect(r.counts).toMatchObject({ created: 1, unchanged: 1 });
    expect(cis(svc.db).map((c) => [c.key, c.environment])).toEqual([
      ['web-1', 'production'],
      ['web-2', 'staging'],
      ['web-3', 'development'],
    ]);
    // Under clear the same file gives the stored CI the default, as it always did.
    await ok(svc, 'importCsv', { cis: file('inv.csv', lines), mapping: { ciDefaults: { environment: 'development' } } });
    expect(cis(svc.db).find((c) => c.key === 'web-2')?.environment).toBe('development');
  });

  it('keep: the dry run reports exactly what the import then writes, and writes nothing', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const before = cis(svc.db);
    const req = { cis: PARTIAL, mapping: { emptyCells: 'keep' as const }, rowsLimit: 10 };
    const dry = await ok(svc, 'importCsv', { ...req, dryRun: true });
    expect(cis(svc.db)).toEqual(before);
    const real = await ok(svc, 'importCsv', req);
    expect(dry.counts).toEqual(real.counts);
    expect(dry.rows).toEqual(real.rows);
    expect(dry.rows.find((x) => x.key === 'web-1')?.action).toBe('unchanged');
  });

  it('keep: a re-import whose empty cells the CIs have values for is unchanged, by digest for its fields, and writes nothing', async () => {
    const svc = freshService();
    const lines = ['id,name,type,owner,description,environment', 'web-1,Web 1,server,team-a,Front end,production'];
    for (let i = 2; i <= 40; i++) lines.push(`web-${i},Web ${i},server,team-${i % 3},CI ${i},staging`);
    await ok(svc, 'importCsv', { cis: file('inv.csv', lines) });
    // Every other CI's owner and description left empty; a few of the environments too.
    const partial = lines.map((l, i) => {
      if (i === 0 || i % 2 === 1) return l;
      const [id, name, type, , , env] = l.split(',');
      return [id, name, type, '', '', i % 4 === 0 ? '' : env].join(',');
    });
    const writes = countWrites(svc.db);
    const full = vi.spyOn(StoredCis.prototype, 'full');
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', partial), mapping: { emptyCells: 'keep' }, mode: 'sync' });
    expect(r.counts).toMatchObject({ unchanged: 40, updated: 0, retired: 0 });
    expect(writes()).toEqual({ ciUpdates: 0, relUpdates: 0, history: 0 });
    // No CI was read whole: the digest said each row changes nothing.
    expect(full).not.toHaveBeenCalled();
    full.mockRestore();
  });

  it('keep: an empty attribute cell the CI has a value for is unchanged too (its CI read whole), and writes nothing', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const writes = countWrites(svc.db);
    const lines = ['id,name,type,rack', 'web-1,Web 1,server,', 'web-2,Web 2,server,A2'];
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', lines), mapping: { emptyCells: 'keep' } });
    expect(r.counts).toMatchObject({ unchanged: 2, updated: 0 });
    expect(writes()).toEqual({ ciUpdates: 0, relUpdates: 0, history: 0 });
  });

  it('keep: undo of the update puts back what the CIs held', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: FULL });
    const before = cis(svc.db);
    const lines = ['id,name,type,owner,description,rack', 'web-1,Web 1,server,,New text,', 'web-2,Web 2,server,team-q,,B7'];
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', lines), mapping: { emptyCells: 'keep' } });
    expect(r.counts).toMatchObject({ updated: 2 });
    const after = cis(svc.db);
    expect(after[0]).toMatchObject({ owner: 'team-a', description: 'New text' });
    expect(after[1]).toMatchObject({ owner: 'team-q', description: 'Back end', attributes: '{"rack":"B7"}' });
    await ok(svc, 'undoImport', { id: r.importId! });
    expect(cis(svc.db)).toEqual(before);
  });

  it('keep: a CI a sync retired, listed again with its status cell empty, gets back the status it had', async () => {
    const svc = freshService();
    const lines = ['id,name,type,status', 'web-1,Web 1,server,maintenance', 'web-2,Web 2,server,operational'];
    await ok(svc, 'importCsv', { cis: file('inv.csv', lines), mode: 'sync' });
    await ok(svc, 'importCsv', { cis: file('inv.csv', [lines[0]!, lines[2]!]), mode: 'sync' });
    const status = () => svc.db.prepare("SELECT status FROM cis WHERE key = 'web-1'").pluck().get();
    expect(status()).toBe('retired');
    const again = ['id,name,type,status', 'web-1,Web 1,server,', lines[2]!];
    const r = await ok(svc, 'importCsv', { cis: file('inv.csv', again), mode: 'sync', mapping: { emptyCells: 'keep' } });
    expect(status()).toBe('maintenance');
    expect(r.warnings.join(' ')).toContain('listed again');
  });

  it('the mapping takes clear or keep only, and a saved profile keeps it', async () => {
    expect(mappingSchema.safeParse({ emptyCells: 'keep' }).success).toBe(true);
    expect(mappingSchema.safeParse({ emptyCells: 'ignore' }).success).toBe(false);
    const svc = freshService();
    const e = await fails(svc, 'importCsv', { cis: FULL, mapping: { emptyCells: 'skip' } });
    expect(e.code).toBe('INVALID_REQUEST');
    await ok(svc, 'saveMappingProfile', { name: 'partial', mapping: { emptyCells: 'keep' } });
    const p = await ok(svc, 'listMappingProfiles', {});
    expect(p.items[0]!.mapping.emptyCells).toBe('keep');
    await ok(svc, 'importCsv', { cis: FULL });
    const before = cis(svc.db);
    await ok(svc, 'importCsv', { cis: PARTIAL, profile: 'partial' });
    expect(cis(svc.db)).toEqual([before[0], { ...before[1], owner: 'team-z' }]);
  });
});

describe('emptyCells on a relationship update', () => {
  const CIS = file('c.csv', ['id,name,type', 'a,A,application', 'b,B,server', 'c,C,server']);
  const RELS = file('r.csv', ['source,target,type,redundancy_group,min_up,port', 'a,b,runs_on,pool,1,443', 'a,c,runs_on,pool,1,8443']);
  const EMPTY = file('r.csv', ['source,target,type,redundancy_group,min_up,port', 'a,b,runs_on,,,', 'a,c,runs_on,pool,1,9000']);
  const rels = (db: Db) =>
    db.prepare('SELECT redundancy_group AS grp, min_up AS minUp, attributes FROM relationships ORDER BY id').all() as Array<
      Record<string, unknown>
    >;

  it('clear: empty group, min_up and attribute cells clear them', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: CIS, relationships: RELS });
    const r = await ok(svc, 'importCsv', { relationships: EMPTY });
    expect(r.counts).toMatchObject({ relationshipsUpdated: 2 });
    expect(rels(svc.db)[0]).toEqual({ grp: null, minUp: null, attributes: '{}' });
  });

  it('keep: they stay as stored (unchanged, nothing written); a filled cell still updates; the dry run agrees; undo restores', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: CIS, relationships: RELS });
    const before = rels(svc.db);
    const req = { relationships: EMPTY, mapping: { emptyCells: 'keep' as const }, rowsLimit: 10 };
    const dry = await ok(svc, 'importCsv', { ...req, dryRun: true });
    expect(rels(svc.db)).toEqual(before);
    const writes = countWrites(svc.db);
    const r = await ok(svc, 'importCsv', req);
    expect(r.counts).toMatchObject({ relationshipsUnchanged: 1, relationshipsUpdated: 1 });
    expect(dry.counts).toEqual(r.counts);
    expect(dry.rows).toEqual(r.rows);
    expect(writes()).toMatchObject({ relUpdates: 1 });
    expect(rels(svc.db)).toEqual([before[0], { ...before[1], attributes: '{"port":"9000"}' }]);
    await ok(svc, 'undoImport', { id: r.importId! });
    expect(rels(svc.db)).toEqual(before);
  });

  it('keep: a big re-import planned on the other thread keeps the groups and min_ups its empty cells leave', async () => {
    const key = (i: number) => `node-${i}.eu-west.example.internal`;
    const ciLines = ['id,name,type', ...Array.from({ length: 60 }, (_, i) => `${key(i)},Node ${i},server`)];
    const relLines = (grouped: boolean) => [
      'source,target,type,redundancy_group,min_up',
      ...Array.from({ length: 59 }, (_, i) => `${key(i + 1)},${key(i)},depends_on,${grouped && i % 3 === 0 ? `pool-${i},1` : ','}`),
    ];
    const path = join(tempDir(), 'cmdb.db');
    const db = openDatabase(path);
    try {
      await runImport(db, { cis: file('c.csv', ciLines), relationships: file('r.csv', relLines(true)) });
      const groups = () => db.prepare('SELECT count(*) FROM relationships WHERE redundancy_group IS NOT NULL AND min_up = 1').pluck().get();
      expect(groups()).toBe(20);
      const planned = vi.spyOn(RelPlanner.prototype, 'results');
      const again = { relationships: file('r.csv', relLines(false)), parallelFrom: 0, rowsLimit: 0 };
      const kept = await runImport(db, { ...again, mapping: { emptyCells: 'keep', endpointMatch: 'key' } });
      expect(planned).toHaveBeenCalled();
      expect(kept.counts).toMatchObject({ relationshipsUnchanged: 59, relationshipsUpdated: 0 });
      expect(groups()).toBe(20);
      const cleared = await runImport(db, { ...again, mapping: { endpointMatch: 'key' } });
      expect(cleared.counts).toMatchObject({ relationshipsUnchanged: 39, relationshipsUpdated: 20 });
      expect(groups()).toBe(0);
      planned.mockRestore();
    } finally {
      db.close();
    }
  });
});
