/**
 * The finishing stage, still inside the transaction: the secondary indexes
 * and the search index come back (when the load dropped them), and the
 * import's row in the log is completed (counts, duration, the files' digest,
 * the types it created, its history mark). Returns the import's result
 * (with the criticality and status values the CI stage could not translate);
 * commit.ts then commits it or rolls it back.
 */
import type { ImportResult } from '../../../../shared/domain.js';
import { unrecognisedReport } from '../../../../shared/import-vocab.js';
import { nowIso } from '../../rows.js';
import { restoreSecondary } from '../bulk/secondary-indexes.js';
import type { ImportContext, Sources } from './context.js';
import { mixedVocabNotes } from './mixed-vocab.js';

/** Restores what the load dropped, writes the import log record, and returns the result. */
export async function finishImport(ctx: ImportContext, sources: Sources): Promise<ImportResult> {
  const { db, trace, counts, importId } = ctx;
  if (sources.rels) trace(`relationships read and written (${ctx.rowsDone} rows in all)`);
  if (ctx.dropped) {
    ctx.progress('validating', null);
    await restoreSecondary(db, ctx.dropped, trace, ctx.search);
    ctx.dropped = null;
  }
  ctx.checkCancel();

  const durationMs = Math.round(performance.now() - ctx.started);
  // A sync with a CIs file: whether it retired what the file does not list (health's stale rule); else none.
  const retiredUnlisted = ctx.mode === 'sync' && sources.cis ? (ctx.retiredUnlisted ? 1 : 0) : null;
  const hash = [sources.cis?.digest(), ctx.relsDigest ?? sources.rels?.digest()].filter(Boolean).join(':');
  db.prepare(
    `UPDATE imports SET finished_at = ?, counts = ?, duration_ms = ?, content_hash = ?, status = 'committed',
     created_types = ?, created_rel_types = ?, history_mark = (SELECT coalesce(max(id), 0) FROM history),
     options = CASE WHEN ? IS NULL THEN options ELSE json_set(options, '$.retiredUnlisted', ?) END WHERE id = ?`,
  ).run(
    nowIso(),
    JSON.stringify(counts),
    durationMs,
    hash,
    JSON.stringify(ctx.createdTypes),
    JSON.stringify(ctx.createdRelTypes),
    retiredUnlisted,
    retiredUnlisted,
    importId,
  );

  const unrecognised = unrecognisedReport(ctx.vocabs);
  // Known once the rows are read: whether each column without a header name held a value (kept) or none (ignored).
  const unnamed = [
    ...(sources.cis?.unnamedColumnNotes() ?? []),
    ...(sources.rels?.unnamedColumnNotes(ctx.relsUnnamedSeen ?? undefined) ?? []),
  ];
  return {
    importId: ctx.dryRun ? null : importId,
    dryRun: ctx.dryRun,
    mode: ctx.mode,
    counts,
    errors: ctx.errors,
    errorsTruncated: ctx.errorsTotal > ctx.errors.length,
    ...(ctx.rejectWhole ? { refusedWhole: true as const } : {}),
    rows: ctx.rows,
    rowsKept: ctx.input.rowsKept ?? 'all',
    warnings: [...unnamed, ...ctx.warnings, ...unrecognised.warnings, ...mixedVocabNotes(ctx.vocabs, ctx.dryRun)],
    unrecognisedValues: unrecognised.values,
    createdTypes: ctx.createdTypes,
    createdRelTypes: ctx.createdRelTypes,
    newTypeValues: [
      ...ctx.ciTypes.newValues('type', ctx.typeColumns.cis, ctx.createdTypes, (t) => t),
      ...ctx.relTypes.newValues('relType', ctx.typeColumns.relationships, ctx.createdRelTypes, (m) => m.type),
    ],
    unlisted: ctx.unlisted,
    durationMs,
  };
}
