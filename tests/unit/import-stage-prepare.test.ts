/**
 * The prepare stage (import/stages/prepare.ts), inside the transaction: the
 * import's 'running' row in the log, bulk (an empty CMDB) or not, the helper
 * threads taken only by a bulk load, and the secondary indexes dropped for a
 * bulk load or a load much bigger than the CMDB (deferIndexesFrom), not for
 * a small one.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import type { ParallelSearchIndex } from '../../electron/cmdb/import/bulk/search-index.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { freshService, ok } from './helpers.js';

const CIS = { name: 'cis.csv', content: 'id,name,type\na,A,server\n' };
/** Stand-ins for the helper threads: the stage only decides whether the import takes them. */
const fakeHelpers: Helpers = { searchIndex: {} as ParallelSearchIndex, planner: null, close: async () => {} };

async function start(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, fakeHelpers);
  return ctx;
}

describe('the prepare stage', () => {
  it('records the import as running, with its files, mode, source and options', async () => {
    const svc = freshService();
    const ctx = await start(svc.db, { cis: CIS, mode: 'create-only', actor: 'ui', source: 'inventory' });
    expect(ctx.importId).toBeGreaterThan(0);
    expect(svc.db.prepare('SELECT files, mode, source, status, options FROM imports WHERE id = ?').get(ctx.importId)).toEqual({
      files: '["cis.csv"]',
      mode: 'create-only',
      source: 'inventory',
      status: 'running',
      options: JSON.stringify({ skipBadRows: false, mapping: {}, actor: 'ui', withCis: true }),
    });
    svc.db.exec('ROLLBACK');
  });

  it('into an empty CMDB: a bulk load, taking the helpers, with the secondary indexes dropped', async () => {
    const svc = freshService();
    const ctx = await start(svc.db, { cis: CIS });
    expect(ctx.bulk).toBe(true);
    expect(ctx.search).toBe(fakeHelpers.searchIndex);
    expect(ctx.dropped).toMatchObject({ cisIndexes: expect.arrayContaining([expect.stringMatching(/^CREATE INDEX/)]) });
    expect(ctx.dropped!.triggers.length).toBeGreaterThan(0);
    svc.db.exec('ROLLBACK');
  });

  it('into a CMDB with CIs: no bulk load, no helpers; indexes kept for a small file, dropped past deferIndexesFrom', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: 'id,name,type\nz,Z,server\n' } });
    const small = await start(svc.db, { cis: CIS });
    expect([small.bulk, small.search, small.dropped]).toEqual([false, null, null]);
    svc.db.exec('ROLLBACK');
    const deferred = await start(svc.db, { cis: CIS, deferIndexesFrom: 1 });
    expect(deferred.bulk).toBe(false);
    expect(deferred.dropped).not.toBeNull();
    svc.db.exec('ROLLBACK');
  });
});
