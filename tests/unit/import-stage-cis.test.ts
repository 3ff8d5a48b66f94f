/**
 * The CI stage (import/stages/cis.ts) through its own interface, on a real
 * in-memory CMDB: creates, updates, unchanged and rejected rows with their
 * counts and history rows, the bulk path into an empty CMDB (batched writes,
 * no history rows, duplicates still caught), the modes, and the CI indexes
 * back after a load that dropped them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import { importCis } from '../../electron/cmdb/import/stages/cis.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { StoredCis } from '../../electron/cmdb/import/stages/stored-cis.js';
import { fails, freshService, ok } from './helpers.js';

const noHelpers: Helpers = { searchIndex: null, planner: null, close: async () => {} };

/** The stages before the CI stage: the files opened, the transaction begun, the import started. */
async function started(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, noHelpers);
  return { ctx, cis: sources.cis! };
}

const SEED = 'id,name,type,owner\nweb-1,Web 1,server,team-a\nweb-2,Web 2,server,team-a\n';

describe('the CI stage', () => {
  it('into a CMDB with CIs: creates, updates with field-level history, leaves unchanged, rejects a repeated key', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: SEED } });
    const { ctx, cis } = await started(svc.db, {
      cis: {
        name: 'cis.csv',
        content:
          'id,name,type,owner\nweb-1,Web 1,server,team-b\nweb-2,Web 2,server,team-a\nweb-3,Web 3,gizmo,team-c\nweb-1,Again,server,x\n',
      },
    });
    expect(ctx.bulk).toBe(false);
    await importCis(ctx, cis);
    expect(ctx.counts).toMatchObject({ created: 1, updated: 1, unchanged: 1, rejected: 1 });
    expect(ctx.rowsDone).toBe(4);
    expect(ctx.errors).toEqual([
      {
        file: 'cis.csv',
        line: 5,
        column: 'id',
        message: expect.stringMatching(/^duplicate key "web-1": line 2 of this file has the same key/),
      },
    ]);
    expect(ctx.rows.map((r) => [r.line, r.key, r.action])).toEqual([
      [2, 'web-1', 'update'],
      [3, 'web-2', 'unchanged'],
      [4, 'web-3', 'create'],
      [5, '', 'reject'],
    ]);
    // One history row, for the update (the CI passes to this import's source: undo gives the old one back); the
    // create is recorded by created_import_id.
    const history = svc.db.prepare('SELECT ci_key, action, changes FROM history WHERE import_id = ?').all(ctx.importId);
    expect(history).toEqual([
      {
        ci_key: 'web-1',
        action: 'update',
        changes: JSON.stringify({ owner: { from: 'team-a', to: 'team-b' }, source: { from: 'seed.csv', to: 'cis.csv' } }),
      },
    ]);
    expect(svc.db.prepare('SELECT created_import_id FROM cis WHERE key = ?').pluck().get('web-3')).toBe(ctx.importId);
    // A type the registry lacked is added (flagged) and listed.
    expect(ctx.createdTypes).toEqual(['gizmo']);
  });

  it('create-only skips the CIs that exist; update-only skips the new ones', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: SEED } });
    const content = 'id,name,type,owner\nweb-1,Web 1,server,team-b\nweb-9,Web 9,server,team-c\n';
    const a = await started(svc.db, { cis: { name: 'cis.csv', content }, mode: 'create-only' });
    await importCis(a.ctx, a.cis);
    expect(a.ctx.counts).toMatchObject({ created: 1, updated: 0, skipped: 1 });
    svc.db.exec('ROLLBACK');
    const b = await started(svc.db, { cis: { name: 'cis.csv', content }, mode: 'update-only' });
    await importCis(b.ctx, b.cis);
    expect(b.ctx.counts).toMatchObject({ created: 0, updated: 1, skipped: 1 });
    svc.db.exec('ROLLBACK');
  });

  it('update-only needs no name or type column beside a key column: its CIs keep their names and types; other modes still need them', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'inv.csv', content: 'id,name,type,owner\nk1,a,server,o1\nk2,b,database,o2\n' } });
    const owners = { name: 'owners.csv', content: 'id,owner\nk1,Team X\nk2,o2\nk9,Team Y\n,Team Z\n' };
    const r = await ok(svc, 'importCsv', { cis: owners, mode: 'update-only', skipBadRows: true });
    expect(r.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1, skipped: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ line: 5, column: 'id', message: expect.stringContaining('missing required value: the CI key') });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci).toMatchObject({ name: 'a', type: 'server', owner: 'Team X' });
    // With a name column and no type: the type stays too.
    await ok(svc, 'importCsv', { cis: { name: 'names.csv', content: 'id,name\nk2,b renamed\n' }, mode: 'update-only' });
    expect((await ok(svc, 'getCi', { key: 'k2' })).ci).toMatchObject({ name: 'b renamed', type: 'database' });
    // A row that changes nothing is told by its digest, as in any re-import: the stored CI is not read whole.
    const full = vi.spyOn(StoredCis.prototype, 'full');
    const again = await ok(svc, 'importCsv', { cis: { name: 'owners.csv', content: 'id,owner\nk1,Team X\nk2,o2\n' }, mode: 'update-only' });
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 2 });
    expect(full).not.toHaveBeenCalled();
    full.mockRestore();
    // A file of keys alone, or of keys and attributes: no field to compare but the attributes.
    const keysOnly = await ok(svc, 'importCsv', { cis: { name: 'k.csv', content: 'id\nk1\nk2\n' }, mode: 'update-only' });
    expect(keysOnly.counts).toMatchObject({ updated: 0, unchanged: 2 });
    const attrs = await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: 'id,rack\nk1,R4\nk2,\nnope,R9\n' }, mode: 'update-only' });
    expect(attrs.counts).toMatchObject({ updated: 1, unchanged: 1, skipped: 1 });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toMatchObject({ rack: 'R4' });
    const upsert = await fails(svc, 'importCsv', { cis: owners });
    expect(upsert.message).toContain('no column holds the CI name (name)');
    expect(upsert.message).toContain('the update-only mode (--mode update-only) with a key column alone');
  });

  it('into an empty CMDB (bulk): batched creates without history rows, a repeated key still rejected, the CI indexes back', async () => {
    const svc = freshService();
    const lines = Array.from({ length: 300 }, (_, i) => `ci-${i},CI ${i},server,team`);
    lines.splice(200, 0, 'ci-7,Again,server,team');
    const { ctx, cis } = await started(svc.db, {
      cis: { name: 'cis.csv', content: `id,name,type,owner\n${lines.join('\n')}\n` },
      rowsLimit: 0, // no per-row results wanted: the rows go CI_BATCH to a statement
    });
    expect(ctx.bulk).toBe(true);
    expect(ctx.dropped!.cisIndexes.length).toBeGreaterThan(0);
    const indexesOf = () =>
      svc.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cis' AND sql IS NOT NULL").pluck().all();
    const dropped = indexesOf();
    await importCis(ctx, cis);
    expect(ctx.counts).toMatchObject({ created: 300, rejected: 1 });
    // Found by the batch's own statement, and still told which line wrote the key first.
    expect(ctx.errors).toEqual([
      {
        file: 'cis.csv',
        line: 202,
        column: 'id',
        message: expect.stringMatching(/^duplicate key "ci-7": line 9 of this file has the same key/),
      },
    ]);
    expect(svc.db.prepare('SELECT count(*) FROM cis WHERE created_import_id = ?').pluck().get(ctx.importId)).toBe(300);
    expect(svc.db.prepare('SELECT name FROM cis WHERE key = ?').pluck().get('ci-7')).toBe('CI 7');
    expect(svc.db.prepare('SELECT count(*) FROM history').pluck().get()).toBe(0);
    // The relationships pass looks CIs up by name: the CI indexes are back, the others wait for the finish.
    expect(ctx.dropped!.cisIndexes).toEqual([]);
    expect(indexesOf().length).toBeGreaterThan(dropped.length);
    svc.db.exec('ROLLBACK');
  });
});
