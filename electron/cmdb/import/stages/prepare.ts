/**
 * The prepare stage, right after BEGIN: the import's row in the log ('running' until
 * finish.ts commits it), whether this is a bulk load (an empty CMDB), the
 * temporary tables of rows seen, and for a big load the secondary indexes
 * dropped until the end.
 */
import { dropSecondary } from '../bulk/secondary-indexes.js';
import type { Helpers } from '../bulk/helpers.js';
import { isEmptyCmdb } from './connection.js';
import { type ImportContext, LARGE_LOAD_BYTES } from './context.js';

/** Starts the import inside its transaction; sets ctx.importId, bulk, search, plan, dropped and history. */
export function prepareImport(ctx: ImportContext, helpers: Helpers): void {
  const { db, input } = ctx;
  ctx.importId = Number(
    db.prepare('INSERT INTO imports(started_at, files, mode, source, status, options) VALUES (?, ?, ?, ?, ?, ?)').run(
      ctx.now,
      JSON.stringify(ctx.files),
      ctx.mode,
      ctx.source,
      'running',
      // withCis: whether it read a CIs file (a sync without one retires no CI: health's stale rule asks).
      JSON.stringify({ skipBadRows: ctx.skipBadRows, mapping: ctx.mapping, actor: ctx.actor, withCis: input.cis !== undefined }),
    ).lastInsertRowid,
  );
  const bulk = isEmptyCmdb(db);
  ctx.bulk = bulk;
  // Only a bulk load takes the helpers' work (the CMDB was empty when they started and still is), only a
  // re-import a re-import's planner (it was not); closeHelpers stops them either way.
  ctx.search = bulk ? helpers.searchIndex : null;
  const planner = helpers.planner;
  ctx.plan = planner && planner.readsStored !== bulk ? planner : null;
  // The write lock is held: what the re-import's planner reads now stays as it is but for this import's writes.
  if (ctx.plan?.readsStored) ctx.plan.begun();
  // A load much bigger than what the CMDB holds (ten times its CIs, at ~100 bytes a row) also defers the
  // secondary indexes and the search index to the end (rebuilding them once is cheaper than maintaining
  // them row by row), keeping the per-row checks. Not a re-import: its rows are mostly there already, and
  // an unchanged row writes nothing that an index would need.
  const existingCis = bulk ? 0 : ((db.prepare('SELECT max(id) FROM cis').pluck().get() as number | null) ?? 0);
  ctx.ciIdsBefore = existingCis;
  const largeLoad =
    input.deferIndexesFrom !== undefined
      ? ctx.bytesTotal >= input.deferIndexesFrom
      : ctx.bytesTotal >= LARGE_LOAD_BYTES && ctx.bytesTotal / 1000 > existingCis;
  if (bulk || largeLoad) ctx.dropped = dropSecondary(db);

  // prior_import_id: what an update took the row from (migration 12), for undo to give it back.
  ctx.history = db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id, prior_import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}
