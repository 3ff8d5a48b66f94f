/**
 * The import pipeline: parse -> map -> validate -> reconcile -> apply, row by
 * row as the CSV streams in, inside one transaction. At the end the
 * transaction commits, or rolls back (dry run, cancellation, or row errors
 * under the all-or-nothing policy), so a failed import leaves the database
 * exactly as it was.
 *
 * Into an empty CMDB it takes a bulk path: secondary indexes and the search
 * triggers are dropped for the load and rebuilt once at the end. Created rows
 * carry created_import_id instead of a history row each (history.ts shows the
 * 'create' entry from it); updates and retirements write field-level history. A file much bigger than the
 * CMDB it goes into defers the indexes the same way, with the usual per-row
 * checks against what exists.
 *
 * runImport runs the stages in stages/ in order, sharing one ImportContext:
 * open the files, prepare (in the transaction), CIs, relationships, sync
 * retirement and removal, finish, then commit or roll back. The bulk-load machinery (the
 * helper threads, batched inserts, dropped indexes) is in bulk/.
 */
import type { ImportResult } from '../../../shared/domain.js';
import { CmdbError } from '../../../shared/errors.js';
import { beginWrite } from '../busy.js';
import { type Db, describeDbError } from '../db.js';
import { announceWriter, doorOf } from '../holder.js';
import { type Helpers, startHelpers } from './bulk/helpers.js';
import { importCis } from './stages/cis.js';
import { commitOrRollBack } from './stages/commit.js';
import { isEmptyCmdb, rollbackJournalForLoad, tuneConnection } from './stages/connection.js';
import { ImportContext, LARGE_LOAD_BYTES, type RunImportInput } from './stages/context.js';
import { importFailure } from './stages/failure.js';
import { finishImport } from './stages/finish.js';
import { closeSources, openSources } from './stages/open-sources.js';
import { importRelationships } from './stages/relationships.js';
import { retireUnlisted } from './stages/retire.js';
import { checkStoredGroups } from './stages/stored-groups.js';
import { removeUnlistedRelationships } from './stages/unlisted-rels.js';
import { recreatedWarnings } from '../health/merged-keys.js';
import { prepareImport } from './stages/prepare.js';

export { emptyCounts, type HelperLimits, type ImportProgress, type RunImportInput } from './stages/context.js';

/** Runs one import. Resolves with the result; rejects with CmdbError (IMPORT_REJECTED, CSV_ERROR, CANCELLED...). */
export async function runImport(db: Db, input: RunImportInput): Promise<ImportResult> {
  const started = performance.now();
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, started);
  let tuned: { restore(): void } | null = null;
  let journal: { restore(): void } | null = null;
  let helpers: Helpers | null = null;
  /** After the transaction: the connection's own settings back (foreign keys, temp store, cache; WAL, see rollbackJournalForLoad). */
  const restoreSettings = () => {
    if (db.inTransaction) return;
    tuned?.restore();
    journal?.restore();
  };
  try {
    // These read the CMDB already (a damaged one fails here, before the transaction): their errors are said as
    // the transaction's are, not in SQLite's words.
    const emptyBefore = isEmptyCmdb(db);
    tuned = tuneConnection(db, { reads: !emptyBefore });
    // A big load into an empty CMDB that no other connection has open writes through a rollback journal
    // instead of the WAL: its pages are written once, not once to the WAL and again by the checkpoint.
    journal =
      !ctx.dryRun && emptyBefore && ctx.bytesTotal >= (input.rollbackJournalFrom ?? LARGE_LOAD_BYTES) ? rollbackJournalForLoad(db) : null;
    helpers = startHelpers(db, ctx, sources, emptyBefore);
    // With the search index's scratch database attached, the transaction begins DEFERRED (IMMEDIATE would
    // lock the scratch file against its worker) and takes the CMDB's write lock with a first, empty write.
    // Another import (or undo) holding the CMDB is named at once, not after the busy timeout.
    beginWrite(db, helpers.searchIndex ? 'BEGIN; DELETE FROM main.imports WHERE 0;' : 'BEGIN IMMEDIATE');
  } catch (err) {
    await helpers?.close();
    restoreSettings();
    closeSources(sources);
    // A busy, read-only or damaged CMDB in the words every door uses (describeDbError).
    const known = describeDbError(db.name, err);
    throw known instanceof CmdbError
      ? known
      : new CmdbError('INTERNAL', `The import could not start: ${String(err)}. Nothing was imported.`);
  }
  // Holding the write lock: say so beside the CMDB, so whoever finds it locked can tell who and since when.
  const writer = announceWriter(db.name, {
    what: `${ctx.dryRun ? 'a dry run of an import' : 'an import'} of ${ctx.files.join(' and ')}`,
    ...doorOf(ctx.actor, 'import'),
    filling: journal !== null,
  });
  try {
    ctx.trace('begun');
    prepareImport(ctx, helpers);
    if (sources.cis) await importCis(ctx, sources.cis);
    if (sources.rels) await importRelationships(ctx, sources.rels);
    retireUnlisted(ctx, sources.cis);
    removeUnlistedRelationships(ctx, sources.rels);
    // A group at odds with the CMDB is found once its rows are written: --skip-bad-rows cannot leave them out.
    if (sources.rels) checkStoredGroups(ctx, sources.rels.file);
    if (sources.cis) ctx.warnings.push(...recreatedWarnings(db, ctx.importId));
    ctx.trace('retired and checked');
    const result = commitOrRollBack(ctx, await finishImport(ctx, sources));
    await helpers.close();
    restoreSettings();
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    await helpers.close();
    restoreSettings();
    closeSources(sources);
    throw importFailure(err, db, writer, journal !== null);
  } finally {
    writer.end();
  }
}
