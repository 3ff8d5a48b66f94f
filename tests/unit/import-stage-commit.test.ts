/**
 * The last stage (import/stages/commit.ts) through its own interface: a dry
 * run rolls back to exactly the CMDB it found and still answers with what it
 * would have done; row errors roll back with IMPORT_REJECTED naming the
 * first; skip bad rows commits the others.
 */
import { describe, expect, it } from 'vitest';
import type { CmdbError } from '../../shared/errors.js';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import { importCis } from '../../electron/cmdb/import/stages/cis.js';
import { commitOrRollBack } from '../../electron/cmdb/import/stages/commit.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { finishImport } from '../../electron/cmdb/import/stages/finish.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { dumpDb, freshService, ok } from './helpers.js';

const noHelpers: Helpers = { searchIndex: null, planner: null, close: async () => {} };

/** Every stage before this one, in runImport's order; returns the context and the finished result. */
async function finished(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, noHelpers);
  if (sources.cis) await importCis(ctx, sources.cis);
  return { ctx, result: await finishImport(ctx, sources) };
}

const GOOD = { name: 'cis.csv', content: 'id,name,type,owner\nweb-1,Web 1,server,team-b\nnew-1,New,gizmo,x\n' };
const BAD = { name: 'cis.csv', content: 'id,name,type\nok-1,Fine,server\nbad-1,,server\nbad-2,,server\n' };

async function seeded() {
  const svc = freshService();
  await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: 'id,name,type,owner\nweb-1,Web 1,server,team-a\n' } });
  return svc;
}

describe('commit or roll back', () => {
  it('a dry run rolls back, leaving the CMDB exactly as it was, and answers with what it would have done', async () => {
    const svc = await seeded();
    const before = dumpDb(svc.db);
    const { ctx, result } = await finished(svc.db, { cis: GOOD, dryRun: true });
    expect(result.importId).toBeNull();
    const out = commitOrRollBack(ctx, result);
    expect(svc.db.inTransaction).toBe(false);
    expect(out).toMatchObject({ importId: null, dryRun: true, counts: { created: 1, updated: 1 }, createdTypes: ['gizmo'] });
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('row errors under all-or-nothing: rolled back, IMPORT_REJECTED naming the first error and how many more', async () => {
    const svc = await seeded();
    const before = dumpDb(svc.db);
    const { ctx, result } = await finished(svc.db, { cis: BAD });
    let err: CmdbError | undefined;
    try {
      commitOrRollBack(ctx, result);
    } catch (e) {
      err = e as CmdbError;
    }
    expect(err).toMatchObject({ code: 'IMPORT_REJECTED' });
    expect(err!.message).toMatch(/^cis\.csv line 3, column name: .*\(and 1 more row error\)\. Nothing was imported/);
    expect(err!.details).toMatchObject({ errorsTruncated: false, counts: { created: 1, rejected: 2 }, result: { importId: null } });
    expect(svc.db.inTransaction).toBe(false);
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('skip bad rows commits the good rows and keeps the errors in the result', async () => {
    const svc = await seeded();
    const { ctx, result } = await finished(svc.db, { cis: BAD, skipBadRows: true });
    const out = commitOrRollBack(ctx, result);
    expect(svc.db.inTransaction).toBe(false);
    expect(out.importId).toBe(ctx.importId);
    expect(out.errors.map((e) => e.line)).toEqual([3, 4]);
    expect((await ok(svc, 'getCi', { key: 'ok-1' })).ci.importId).toBe(ctx.importId);
  });

  it('a quote never closed leaves the rest of the file unread: refused even with skip bad rows, not the first rows imported', async () => {
    const svc = await seeded();
    const before = dumpDb(svc.db);
    const cis = { name: 'cis.csv', content: 'id,name,type,notes\nok-1,Fine,server,x\nq-1,Open,server,"never closed\nok-2,Lost,server,y\n' };
    const { ctx, result } = await finished(svc.db, { cis, skipBadRows: true });
    expect(() => commitOrRollBack(ctx, result)).toThrow(
      /^cis\.csv line 3: bad quoting: a quoted field is never closed.*Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows\.$/,
    );
    expect(svc.db.inTransaction).toBe(false);
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('names first the error that refuses the import as a whole, not an earlier one that could be skipped (found by a tester)', async () => {
    const svc = await seeded();
    const cis = { name: 'cis.csv', content: 'id,name,type\nok-1,Fine,server\nbad-1,,server\nq-1,"Open,server\nok-2,Lost,server\n' };
    for (const skipBadRows of [true, false]) {
      const { ctx, result } = await finished(svc.db, { cis, skipBadRows });
      expect(ctx.errors.map((e) => e.line)).toEqual([3, 4]);
      expect(() => commitOrRollBack(ctx, result)).toThrow(
        skipBadRows
          ? /^cis\.csv line 4: bad quoting: .*\(and 1 more row error\)\. Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows\.$/
          : /^cis\.csv line 4: bad quoting: .*\(and 1 more row error\)\. Nothing was imported: fix the rows\.$/,
      );
    }
  });
});
