/**
 * What a failed import says: every failure comes out as a CmdbError, in the
 * words the user can act on (cancelled, busy, a read-only or damaged CMDB),
 * always with "nothing was imported".
 */
import { CmdbError } from '../../../../shared/errors.js';
import { busyError, isBusyError } from '../../busy.js';
import { type Db, describeDbError } from '../../db.js';
import { Cancelled } from './context.js';

/**
 * The error to throw for err, after the import rolled back. writer: the import's own holder note, ended
 * before a busy error names the holder; journal: whether the load had switched to a rollback journal.
 */
export function importFailure(err: unknown, db: Db, writer: { end(): void }, journal: boolean): CmdbError {
  if (err instanceof Cancelled) return new CmdbError('CANCELLED', 'The import was cancelled. Nothing was imported.');
  if (err instanceof CmdbError) return err;
  if (isBusyError(err)) {
    // Someone else kept this import from finishing: its own note must not be named as the holder.
    writer.end();
    if (!journal) return busyError(db.name);
    return new CmdbError(
      'BUSY',
      `The import could not finish: another program opened the CMDB while this load into the empty CMDB needed it alone. Nothing was imported. Close it (the app, \`cmdb serve\`, another \`cmdb\` command) and import again.`,
      { path: db.name, writer: null },
    );
  }
  // A read-only or damaged CMDB says so, and what to do, rather than SQLite's words.
  const known = describeDbError(db.name, err);
  if (known instanceof CmdbError) return known;
  return new CmdbError('INTERNAL', `The import failed and nothing was imported: ${err instanceof Error ? err.message : String(err)}`);
}
