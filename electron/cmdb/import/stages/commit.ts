/**
 * The last stage: the transaction commits, or rolls back, for a dry run
 * (which still answers with what it would have done) or for row errors under
 * the all-or-nothing policy (IMPORT_REJECTED, naming the first error, or the first
 * that refuses the import as a whole). A
 * rolled-back import leaves the database exactly as it was.
 */
import type { ImportResult } from '../../../../shared/domain.js';
import { CmdbError } from '../../../../shared/errors.js';
import { ADVICE } from '../advice.js';
import { Cancelled, type ImportContext } from './context.js';

/** Commits, or rolls back a dry run (resolving with its result) or a rejected import (throwing IMPORT_REJECTED). */
export function commitOrRollBack(ctx: ImportContext, result: ImportResult): ImportResult {
  const { db, errors, errorsTotal, counts } = ctx;
  if (ctx.dryRun || (errorsTotal > 0 && (!ctx.skipBadRows || ctx.rejectWhole))) {
    db.exec('ROLLBACK');
    if (ctx.dryRun) return { ...result, importId: null };
    // The error that refuses the import as a whole comes first: the others alone could be skipped.
    const first = ctx.wholeError ?? errors[0]!;
    const why = ctx.rejectWhole && ctx.skipBadRows ? ', as this error refuses the whole import even when bad rows are skipped' : '';
    throw new CmdbError(
      'IMPORT_REJECTED',
      `${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message.replace(/\.$/, '')}${
        errorsTotal > 1 ? ` (and ${errorsTotal - 1} more row error${errorsTotal > 2 ? 's' : ''})` : ''
      }. Nothing was imported${why}: fix the rows${ctx.rejectWhole ? '' : `, or ${ADVICE.skipBadRows.cli} to import the others`}.`,
      { errors, errorsTruncated: result.errorsTruncated, counts, result: { ...result, importId: null } },
    );
  }
  // The last word for a cancel: after this, the door is told it came too late (cancel-gate.ts).
  if (ctx.input.claimCommit?.() === false) throw new Cancelled();
  db.exec('COMMIT');
  ctx.trace('committed');
  return result;
}
