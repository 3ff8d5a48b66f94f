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
 */
import type { ImportCounts, ImportResult, ImportRowResult, RowError } from '../../../shared/domain.js';
import { CmdbError } from '../../../shared/errors.js';
import type { ImportMode, Mapping } from '../../../shared/import.js';
import { beginWrite, busyError, isBusyError } from '../busy.js';
import { type Db, describeDbError } from '../db.js';
import { announceWriter, doorOf } from '../holder.js';
import type { Changes } from '../history.js';
import { type CiRow, nowIso, parseAttributes } from '../rows.js';
import { unknownRelType } from '../types-registry.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { Unpacker } from './bulk/packed.js';
import {
  type CiField,
  type CiOptionalField,
  checkCiRow,
  ciLayout,
  ciTypeMapper,
  duplicateKeyMessage,
  newCiValues,
  OPTIONAL_FIELDS,
} from './ci-rows.js';
import { RelPlanner } from './bulk/rel-planner.js';
import { checkGroup, checkRelRow, groupTable, relLayout, relTypeMapper, selfMessage, unknownKeyMessage } from './rel-rows.js';
import { cell, headerAt } from './row-cells.js';
import { BatchedInsert } from './bulk/batched-insert.js';
import { ParallelSearchIndex } from './bulk/search-index.js';
import { type CsvItem, type CsvSource, type Encoding, type OpenedCsv, openCsv } from './source.js';

export interface ImportProgress {
  phase: 'parsing' | 'validating' | 'applying';
  file: string | null;
  rowsDone: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

export interface RunImportInput {
  cis?: CsvSource | undefined;
  relationships?: CsvSource | undefined;
  mode?: ImportMode;
  dryRun?: boolean;
  skipBadRows?: boolean;
  /** The import source label (sync retires by it); default the CIs file name. */
  source?: string | undefined;
  mapping?: Mapping | undefined;
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  rowsLimit?: number;
  /** Who ran it, for history: 'cli', 'ui', 'web'. */
  actor?: string;
  /** Checked between batches; when true the import rolls back and fails with CANCELLED. */
  isCancelled?: () => boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Defer index maintenance to the end for files of at least this many bytes (default: 16 MB and bigger than the CMDB). */
  deferIndexesFrom?: number;
  /** Give a bulk load helper threads (search index, relationships) for files of at least this many bytes (default 16 MB). */
  parallelFrom?: number;
  /** Load through a rollback journal (alone with an empty CMDB) for files of at least this many bytes (default 16 MB). */
  rollbackJournalFrom?: number;
  /** How far the helper threads may run ahead of the import (rows or CIs, and bytes); tests make them small. */
  helperLimits?: HelperLimits;
  /** Every row error, as it is found (the result keeps the first 1000). */
  onRowError?: (e: RowError) => void;
}

const MAX_ERRORS = 1000;
/** Files at least this big (and bigger than the CMDB, at ~100 bytes a row) defer index maintenance to the end. */
const LARGE_LOAD_BYTES = 16 * 1024 * 1024;
const PROGRESS_EVERY = 5000;
/** Relationships per INSERT statement in a bulk load. */
const REL_BATCH = 256;
/** CIs per INSERT statement in a bulk load. */
const CI_BATCH = 64;
/**
 * The import connection's page cache, in KiB as SQLite takes it (negative): 32 MB. A million-CI load
 * runs as fast with 32 MB as with 64 or 128 (measured), and 70 MB less resident.
 */
const IMPORT_CACHE_KIB = -32768;

/** Bounds on what a helper thread holds ahead of the import thread: rows (or CIs) and bytes. */
export interface HelperLimits {
  /** The search-index worker's lag behind the CIs written. */
  searchLag?: { rows: number; bytes: number };
  /** The relationship planner's lead over the rows written. */
  planAhead?: { rows: number; bytes: number };
}

export const emptyCounts = (): ImportCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  retired: 0,
  rejected: 0,
  relationshipsCreated: 0,
  relationshipsUpdated: 0,
  relationshipsUnchanged: 0,
  relationshipsRejected: 0,
  skipped: 0,
  relationshipsSkipped: 0,
});

/** A stored CI as the importer compares a row with it. */
type ExistingCi = Pick<CiRow, 'id' | 'type' | 'name' | CiOptionalField | 'attributes' | 'import_id'>;

interface ExistingRel {
  id: number;
  redundancy_group: string | null;
  min_up: number | null;
  attributes: string;
  import_id: number | null;
}

/** Secondary objects dropped for a bulk load into an empty CMDB, recreated at the end. */
interface Dropped {
  cisIndexes: string[];
  otherIndexes: string[];
  triggers: string[];
}

class Cancelled extends Error {}

/** CMDB_IMPORT_TRACE=1 prints each phase's time since the import started to stderr (for profiling). */
const traceOn = Boolean(process.env.CMDB_IMPORT_TRACE);
function tracer(started: number): (what: string) => void {
  return traceOn ? (what) => process.stderr.write(`[import] ${Math.round(performance.now() - started)} ms: ${what}\n`) : () => {};
}

/** Runs one import. Resolves with the result; rejects with CmdbError (IMPORT_REJECTED, CSV_ERROR, CANCELLED...). */
export async function runImport(db: Db, input: RunImportInput): Promise<ImportResult> {
  const started = performance.now();
  const trace = tracer(started);
  const mode = input.mode ?? 'upsert';
  const dryRun = input.dryRun ?? false;
  const skipBadRows = input.skipBadRows ?? false;
  const mapping = input.mapping ?? {};
  const rowsLimit = input.rowsLimit ?? 200;
  const actor = input.actor ?? 'import';
  if (!input.cis && !input.relationships) {
    throw new CmdbError('INVALID_REQUEST', 'Nothing to import: give a CIs file, a relationships file, or both.');
  }
  if (mode === 'sync' && !input.cis) {
    throw new CmdbError('INVALID_REQUEST', 'Sync mode needs a CIs file: it retires the CIs of the source that the file no longer lists.');
  }
  const readOpts = { encoding: input.encoding, delimiter: input.delimiter };
  const cisCsv = input.cis ? await openCsv(input.cis, readOpts) : null;
  let relsCsv: OpenedCsv | null;
  try {
    relsCsv = input.relationships ? await openCsv(input.relationships, readOpts) : null;
  } catch (err) {
    cisCsv?.destroy();
    throw err;
  }
  const source = input.source ?? input.cis?.name ?? input.relationships!.name;
  const counts = emptyCounts();
  const errors: RowError[] = [];
  let errorsTotal = 0;
  const rows: ImportRowResult[] = [];
  const warnings: string[] = [...(cisCsv?.warnings ?? []), ...(relsCsv?.warnings ?? [])];
  const createdTypes: string[] = [];
  const createdRelTypes: string[] = [];
  const bytesTotal = (cisCsv?.bytesTotal ?? 0) + (relsCsv?.bytesTotal ?? 0);
  let rowsDone = 0;
  let bytesBefore = 0;

  const rowError = (file: string, line: number, column: string | null, message: string) => {
    const e = { file, line, column, message };
    errorsTotal++;
    if (errors.length < MAX_ERRORS) errors.push(e);
    input.onRowError?.(e);
    if (rows.length < rowsLimit) rows.push({ file, line, key: '', action: 'reject', changes: null });
  };
  const noteRow = (r: ImportRowResult) => {
    if (rows.length < rowsLimit) rows.push(r);
  };
  /** bytesRead: how far into csv, when another thread reads it. */
  const progress = (phase: ImportProgress['phase'], csv: OpenedCsv | null, bytesRead: number | null = null) => {
    input.onProgress?.({
      phase,
      file: csv?.file ?? null,
      rowsDone,
      bytesDone: bytesBefore + (bytesRead ?? csv?.bytesRead() ?? 0),
      bytesTotal,
      elapsedMs: performance.now() - started,
    });
  };
  // Type values repeat on almost every row: map each distinct value once.
  const ciTypeOf = ciTypeMapper(mapping);
  const relTypeOf = relTypeMapper(mapping);
  const checkCancel = () => {
    if (input.isCancelled?.()) throw new Cancelled();
  };

  const now = nowIso();
  const files = [input.cis?.name, input.relationships?.name].filter((f): f is string => Boolean(f));
  let importId: number;
  let dropped: Dropped | null = null;
  /** The relationships file's digest, when the planner read it. */
  let relsDigest: string | null = null;

  // The importer resolves every endpoint id and ensures every type and the import row itself, inside its
  // transaction, so SQLite's per-row foreign-key lookups (five per relationship) only repeat its checks.
  // The pragma cannot change inside a transaction: it is set around it and restored after.
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  if (fkWasOn) db.pragma('foreign_keys = OFF');
  // Index builds and big INSERT ... SELECTs sort through temporary storage: on disk for an import, so a
  // million-row load does not hold its sorts in memory (the connection's default keeps them in RAM).
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  if (tempStore !== 1) db.pragma('temp_store = FILE');
  // A bigger page cache for the import: a million-row load's B-tree inserts and index builds stay in
  // memory instead of re-reading pages (restored after, so a shared connection keeps its own size).
  const cacheSize = db.pragma('main.cache_size', { simple: true }) as number;
  db.pragma(`main.cache_size = ${IMPORT_CACHE_KIB}`);
  const emptyBefore = isEmptyCmdb(db);
  // A big load into an empty CMDB that no other connection has open writes through a rollback journal
  // instead of the WAL: its pages are written once, not once to the WAL and again by the checkpoint.
  const journal =
    !dryRun && emptyBefore && bytesTotal >= (input.rollbackJournalFrom ?? LARGE_LOAD_BYTES) ? rollbackJournalForLoad(db) : null;
  // A big load into an empty CMDB has two helper threads: one builds the search index of the CIs it is
  // sent, the other reads and plans the relationships file once it knows every CI's key (endpoints by
  // key: not when every endpoint is a name). Both start now, before the transaction (see ATTACH).
  const helpers = emptyBefore && cisCsv && mode !== 'update-only' && bytesTotal >= (input.parallelFrom ?? LARGE_LOAD_BYTES);
  const limits = input.helperLimits;
  const searchIndex = helpers ? ParallelSearchIndex.start(db, limits?.searchLag) : null;
  const planner =
    searchIndex && relsCsv && mapping.endpointMatch !== 'name'
      ? RelPlanner.start({
          source: input.relationships!,
          readOptions: readOpts,
          mapping,
          relTypes: db.prepare('SELECT name, dependent FROM rel_types').raw().all() as Array<[string, 'source' | 'target']>,
          ahead: limits?.planAhead,
        })
      : null;
  /** After the transaction: the connection's own settings back (foreign keys, temp store, cache; WAL, see rollbackJournalForLoad). */
  const restoreSettings = () => {
    if (db.inTransaction) return;
    if (fkWasOn) db.pragma('foreign_keys = ON');
    if (tempStore !== 1) db.pragma(`temp_store = ${tempStore}`);
    db.pragma(`main.cache_size = ${cacheSize}`);
    journal?.restore();
  };
  /**
   * After the transaction, before restoreSettings: stops the helper threads and detaches the search index's
   * scratch database (a helper still writing to it would otherwise hold locks the journal switch waits on).
   */
  const closeHelpers = async () => {
    await searchIndex?.close(db);
    await planner?.close();
  };
  try {
    // With the search index's scratch database attached, the transaction begins DEFERRED (IMMEDIATE would
    // lock the scratch file against its worker) and takes the CMDB's write lock with a first, empty write.
    // Another import (or undo) holding the CMDB is named at once, not after the busy timeout.
    beginWrite(db, searchIndex ? 'BEGIN; DELETE FROM main.imports WHERE 0;' : 'BEGIN IMMEDIATE');
  } catch (err) {
    await closeHelpers();
    restoreSettings();
    cisCsv?.destroy();
    relsCsv?.destroy();
    throw err instanceof CmdbError ? err : new CmdbError('INTERNAL', `The import could not start: ${String(err)}. Nothing was imported.`);
  }
  // Holding the write lock: say so beside the CMDB, so whoever finds it locked can tell who and since when.
  const writer = announceWriter(db.name, {
    what: `${dryRun ? 'a dry run of an import' : 'an import'} of ${files.join(' and ')}`,
    ...doorOf(actor, 'import'),
    filling: journal !== null,
  });
  try {
    importId = Number(
      db
        .prepare('INSERT INTO imports(started_at, files, mode, source, status, options) VALUES (?, ?, ?, ?, ?, ?)')
        .run(now, JSON.stringify(files), mode, source, 'running', JSON.stringify({ skipBadRows, mapping, actor })).lastInsertRowid,
    );
    const bulk = isEmptyCmdb(db);
    // Only a bulk load takes the helpers' work (the CMDB was empty when they started and still is);
    // closeHelpers stops them either way.
    const search = bulk ? searchIndex : null;
    const plan = bulk ? planner : null;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen_ci(id INTEGER PRIMARY KEY, line INTEGER NOT NULL)');
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen_rel(id INTEGER PRIMARY KEY, line INTEGER NOT NULL)');
    db.exec('DELETE FROM temp.import_seen_ci; DELETE FROM temp.import_seen_rel;');
    // A load much bigger than what the CMDB holds also defers the secondary indexes and the search index to
    // the end (rebuilding them once is cheaper than maintaining them row by row), keeping the per-row checks.
    const existingCis = bulk ? 0 : ((db.prepare('SELECT max(id) FROM cis').pluck().get() as number | null) ?? 0);
    const largeLoad =
      input.deferIndexesFrom !== undefined
        ? bytesTotal >= input.deferIndexesFrom
        : bytesTotal >= LARGE_LOAD_BYTES && bytesTotal / 100 > existingCis;
    if (bulk || largeLoad) dropped = dropSecondary(db);

    const history = db.prepare(
      `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

    // ---- CIs -------------------------------------------------------------
    if (cisCsv) {
      const csv = cisCsv;
      const file = csv.file;
      const CL = ciLayout(file, csv.headers, mapping);
      const idx = CL.idx;
      const keyColumn = CL.keyColumn;
      const knownTypes = new Set(db.prepare('SELECT name FROM ci_types').pluck().all() as string[]);
      const addType = db.prepare('INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES (?, ?, 1)');
      const getCi = db.prepare(
        'SELECT id, type, name, status, environment, owner, criticality, description, attributes, import_id FROM cis WHERE key = ?',
      );
      const insertCi = db.prepare(
        `INSERT INTO cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id, created_import_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
      );
      /** A bulk load's created CI goes to the helper threads too. The search index's columns: key, name, type, owner, description, attributes. */
      const created = (id: number, key: string, name: string, type: string, vals: Array<string | null>, attrsJson: string) => {
        search?.add(id, key, name, type, vals[2]!, vals[4]!, attrsJson);
        plan?.addKey(key, id);
      };
      /** A CI this import creates; created_import_id records the create (no history row). */
      const insertNewCi = (key: string, type: string, name: string, v: string[], attrs: Record<string, string>) => {
        const vals = newCiValues(v, CL);
        const attrsJson = JSON.stringify(attrs);
        const r = insertCi.run(
          key,
          type,
          name,
          vals[0],
          vals[1],
          vals[2],
          vals[3],
          vals[4],
          attrsJson,
          source,
          now,
          now,
          importId,
          importId,
        );
        if (bulk && r.changes > 0) created(Number(r.lastInsertRowid), key, name, type, vals, attrsJson);
        return r;
      };
      // A bulk load writes its CIs CI_BATCH to a statement once the per-row results are no longer wanted.
      type PendingCi = { key: string; name: string; type: string; vals: Array<string | null>; attrsJson: string; line: number };
      const ciIdOf = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
      const ciBatch = bulk
        ? new BatchedInsert<PendingCi>({
            db,
            sql: (n) =>
              `INSERT INTO cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id, created_import_id)
               VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, @source, @now, @now, @importId, @importId)').join(', ')}
               ON CONFLICT(key) DO NOTHING`,
            perRow: 9,
            width: CI_BATCH,
            shared: { source, now, importId },
            table: 'cis',
            idOf: (p) => ciIdOf.get(p.key) as number,
            identity: (p) => p.key,
            written: (p, id) => created(id, p.key, p.name, p.type, p.vals, p.attrsJson),
            duplicate: (p) => {
              rowError(file, p.line, keyColumn, duplicateKeyMessage(p.key));
              counts.rejected++;
              counts.created--;
            },
          })
        : null;
      const updateCi = db.prepare(
        `UPDATE cis SET type = ?, name = ?, status = ?, environment = ?, owner = ?, criticality = ?, description = ?,
         attributes = ?, source = ?, updated_at = ?, import_id = ? WHERE id = ?`,
      );
      const seenInsert = db.prepare('INSERT OR IGNORE INTO temp.import_seen_ci(id, line) VALUES (?, ?)');
      const seenLine = db.prepare('SELECT line FROM temp.import_seen_ci WHERE id = ?').pluck();
      const optIdx = OPTIONAL_FIELDS.map((f) => idx[f]);
      let n = 0;
      for await (const batch of csv.batches)
        for (const item of batch) {
          rowsDone++;
          if (++n % PROGRESS_EVERY === 0) {
            checkCancel();
            progress('applying', csv);
          }
          const line = item.line;
          const c = checkCiRow(item, CL, ciTypeOf);
          if (!('key' in c)) {
            ciBatch?.flush(); // so errors come in line order
            rowError(file, line, c.column, c.message);
            counts.rejected++;
            continue;
          }
          const { key, type, name, rawType, attrs, cleared } = c;
          const v = c.values;
          if (!knownTypes.has(type)) {
            if (addType.run(type, ciTypeLabel(type)).changes > 0) createdTypes.push(type);
            knownTypes.add(type);
          }

          if (bulk) {
            // Nothing existed before this import: a key already present was created by an earlier row of this file.
            if (mode === 'update-only') {
              counts.skipped++;
              noteRow({ file, line, key, action: 'skip', changes: null });
              continue;
            }
            if (ciBatch && rows.length >= rowsLimit) {
              const vals = newCiValues(v, CL);
              const attrsJson = JSON.stringify(attrs);
              counts.created++; // taken back if the batch finds the key already written
              ciBatch.params.push(key, type, name, vals[0], vals[1], vals[2], vals[3], vals[4], attrsJson);
              ciBatch.add({ key, name, type, vals, attrsJson, line });
              continue;
            }
            ciBatch?.flush();
            const r = insertNewCi(key, type, name, v, attrs);
            if (r.changes === 0) {
              rowError(file, line, keyColumn, duplicateKeyMessage(key));
              counts.rejected++;
              continue;
            }
            counts.created++;
            if (rows.length < rowsLimit)
              noteRow({ file, line, key, action: 'create', changes: createdChanges(type, name, newCiValues(v, CL), attrs) });
            continue;
          }

          const existing = getCi.get(key) as ExistingCi | undefined;
          if (existing) {
            if (existing.import_id === importId) {
              rowError(
                file,
                line,
                keyColumn,
                `duplicate key "${key}": an earlier row of this file has the same key. Each CI must appear once.`,
              );
              counts.rejected++;
              continue;
            }
            if (seenInsert.run(existing.id, line).changes === 0) {
              const prev = seenLine.get(existing.id) as number;
              rowError(file, line, keyColumn, `duplicate key "${key}" (also on line ${prev}). Each CI must appear once.`);
              counts.rejected++;
              continue;
            }
            if (mode === 'create-only') {
              counts.skipped++;
              noteRow({ file, line, key, action: 'skip', changes: null });
              continue;
            }
            const after: Record<CiField, string | null> = {
              type: rawType !== null ? type : existing.type,
              name,
              status: existing.status,
              environment: existing.environment,
              owner: existing.owner,
              criticality: existing.criticality,
              description: existing.description,
            };
            OPTIONAL_FIELDS.forEach((f, k) => {
              const i = optIdx[k];
              if (i !== undefined) after[f] = cell(v, i);
            });
            const changes: Changes = {};
            for (const f of ['type', 'name', ...OPTIONAL_FIELDS] as const) {
              if (after[f] !== existing[f]) changes[f] = { from: existing[f], to: after[f] };
            }
            const mergedJson = mergeAttributes(existing.attributes, attrs, cleared, changes);
            if (Object.keys(changes).length === 0) {
              counts.unchanged++;
              noteRow({ file, line, key, action: 'unchanged', changes: null });
              continue;
            }
            updateCi.run(
              after.type,
              after.name,
              after.status,
              after.environment,
              after.owner,
              after.criticality,
              after.description,
              mergedJson,
              source,
              now,
              importId,
              existing.id,
            );
            history.run(
              now,
              'ci',
              existing.id,
              key,
              null,
              'update',
              `Changed ${Object.keys(changes).join(', ')}`,
              JSON.stringify(changes),
              actor,
              importId,
            );
            counts.updated++;
            noteRow({ file, line, key, action: 'update', changes });
            continue;
          }
          if (mode === 'update-only') {
            counts.skipped++;
            noteRow({ file, line, key, action: 'skip', changes: null });
            continue;
          }
          insertNewCi(key, type, name, v, attrs);
          // No history row for a create: the row's created_import_id records it (history.ts shows the entry).
          counts.created++;
          if (rows.length < rowsLimit)
            noteRow({ file, line, key, action: 'create', changes: createdChanges(type, name, newCiValues(v, CL), attrs) });
        }
      bytesBefore += csv.bytesRead();
      ciBatch?.flush();
      trace(
        `CIs read and written (${rowsDone} rows)${search ? `, ${Math.round(search.waitedMs)} ms of it waiting for the search index` : ''}`,
      );
      plan?.cisDone();
      if (dropped) {
        // The relationships pass looks CIs up by name: their indexes come back now.
        progress('validating', csv);
        for (const sql of dropped.cisIndexes) db.exec(sql);
        dropped.cisIndexes = [];
        trace('CI indexes built');
      }
      checkCancel();
    }

    // ---- Relationships ---------------------------------------------------
    if (relsCsv) {
      const csv = relsCsv;
      const file = csv.file;
      const L = relLayout(file, csv.headers, mapping);
      const idx = L.idx;
      const header = (i: number | undefined) => headerAt(L, i);
      const match = mapping.endpointMatch ?? 'auto';
      const relTypes = new Map(
        (db.prepare('SELECT name, dependent FROM rel_types').all() as Array<{ name: string; dependent: 'source' | 'target' }>).map((t) => [
          t.name,
          t.dependent,
        ]),
      );
      const addRelType = db.prepare(
        'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, ?, ?, 1)',
      );
      const idByKey = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
      const keyById = db.prepare('SELECT key FROM cis WHERE id = ?').pluck();
      const keyOf = (id: number) => keyById.get(id) as string;
      const byName = db.prepare('SELECT id, key, type FROM cis WHERE name = ? COLLATE NOCASE LIMIT 50');
      const getRel = db.prepare(
        'SELECT id, redundancy_group, min_up, attributes, import_id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
      );
      const insertRel = db.prepare(
        `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id, created_import_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, target_id, type) DO NOTHING`,
      );
      const updateRel = db.prepare(
        'UPDATE relationships SET redundancy_group = ?, min_up = ?, attributes = ?, updated_at = ?, import_id = ? WHERE id = ?',
      );
      const duplicateMessage = (src: number, type: string, tgt: number) =>
        `duplicate relationship ${keyOf(src)} ${type} ${keyOf(tgt)}: an earlier row of this file has the same source, target and type.`;
      // A bulk load writes its relationships REL_BATCH to a statement once the per-row results are no longer wanted.
      // Each row: source id, target id, type, group, min_up, attributes (null for none: most rows have none,
      // and a null binds for less than a string). The row's line is all that is kept besides.
      const relIdOf = db.prepare('SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?').pluck();
      const relBatch = bulk
        ? new BatchedInsert<number>({
            db,
            sql: (n) =>
              `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id, created_import_id)
               VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, coalesce(?, '{}'), @now, @now, @importId, @importId)").join(', ')}
               ON CONFLICT(source_id, target_id, type) DO NOTHING`,
            perRow: 6,
            width: REL_BATCH,
            shared: { now, importId },
            table: 'relationships',
            idOf: (_line, r) => relIdOf.get(r[0], r[1], r[2]) as number,
            identity: (_line, r) => `${r[0] as number} ${r[1] as number} ${r[2] as string}`,
            duplicate: (line, r) => {
              rowError(file, line, header(idx.target), duplicateMessage(r[0] as number, r[2] as string, r[1] as number));
              counts.relationshipsRejected++;
              counts.relationshipsCreated--;
            },
          })
        : null;
      const seenInsert = db.prepare('INSERT OR IGNORE INTO temp.import_seen_rel(id, line) VALUES (?, ?)');
      const seenLine = db.prepare('SELECT line FROM temp.import_seen_rel WHERE id = ?').pluck();
      // Redundancy groups seen in this file, per dependent CI: in a temporary table, not in memory (a big
      // estate has close to a million of them).
      const groups = groupTable(db, 'temp', 'import_groups');

      const reject = (line: number, column: string | null, message: string) => {
        relBatch?.flush(); // so errors come in line order
        rowError(file, line, column, message);
        counts.relationshipsRejected++;
      };
      /** The registry's dependent end of a type, adding (and flagging) a type the registry lacks. */
      const dependentOf = (type: string): 'source' | 'target' => {
        let dependent = relTypes.get(type);
        if (dependent === undefined) {
          const u = unknownRelType(type);
          if (addRelType.run(u.name, u.label, u.reverseLabel, u.dependent, u.strength).changes > 0) createdRelTypes.push(type);
          relTypes.set(type, u.dependent);
          dependent = u.dependent;
        }
        return dependent;
      };
      /** A relationship this import creates: batched in a bulk load once per-row results are no longer noted. */
      const createRel = (
        line: number,
        src: number,
        tgt: number,
        type: string,
        group: string | null,
        minUp: number | null,
        attrsJson: string,
      ) => {
        if (relBatch && rows.length >= rowsLimit) {
          counts.relationshipsCreated++; // taken back if the batch finds it already written
          relBatch.params.push(src, tgt, type, group, minUp, attrsJson === '{}' ? null : attrsJson);
          relBatch.add(line);
          return;
        }
        relBatch?.flush();
        if (insertRel.run(src, tgt, type, group, minUp, attrsJson, now, now, importId, importId).changes === 0) {
          reject(line, header(idx.target), duplicateMessage(src, type, tgt));
          return;
        }
        counts.relationshipsCreated++;
        if (rows.length < rowsLimit) {
          const changes: Changes = {
            source: { from: null, to: keyOf(src) },
            target: { from: null, to: keyOf(tgt) },
            type: { from: null, to: type },
          };
          if (group !== null) changes.redundancyGroup = { from: null, to: group };
          if (minUp !== null) changes.minUp = { from: null, to: minUp };
          const attrs = parseAttributes(attrsJson);
          if (Object.keys(attrs).length > 0) changes.attributes = { from: null, to: attrs };
          noteRow({ file, line, key: `${keyOf(src)} ${type} ${keyOf(tgt)}`, action: 'create', changes });
        }
      };

      type Endpoint = { id: number; key: string } | { error: string };
      // The last source found by key: files list the relationships of one source together (no CI changes in this pass).
      let lastSource: { id: number; key: string } | null = null;
      const resolve = (raw: string, typeHint: string | null, role: 'source' | 'target'): Endpoint => {
        if (match !== 'name') {
          if (role === 'source' && lastSource !== null && raw === lastSource.key) return lastSource;
          const id = idByKey.get(raw) as number | undefined;
          if (id !== undefined) {
            const e = { id, key: raw };
            if (role === 'source') lastSource = e;
            return e;
          }
          if (match === 'key') return { error: unknownKeyMessage(role, raw) };
        }
        let found = byName.all(raw) as Array<{ id: number; key: string; type: string }>;
        if (typeHint !== null) {
          const t = ciTypeOf(typeHint);
          found = found.filter((c) => c.type === t);
        }
        if (found.length === 1) return { id: found[0]!.id, key: found[0]!.key };
        if (found.length === 0) {
          return {
            error: `unknown ${role} CI "${raw}": no CI has that ${match === 'name' ? '' : 'key or '}name${typeHint ? ` with type ${typeHint}` : ''}. Import that CI first, or correct the value.`,
          };
        }
        const kinds = [...new Set(found.map((c) => c.type))].join(', ');
        return {
          error: `ambiguous ${role} CI "${raw}": ${found.length} CIs have that name (${kinds}; keys ${found
            .slice(0, 3)
            .map((c) => c.key)
            .join(', ')}${found.length > 3 ? ', ...' : ''}). Use the CI key, or add a ${role} type column to tell them apart.`,
        };
      };

      /** One row read here (not planned by the worker): every check, then create or update. */
      const applyRow = (item: CsvItem) => {
        const line = item.line;
        const c = checkRelRow(item, L, relTypeOf);
        if (!('srcRaw' in c)) return reject(line, c.column, c.message);
        const v = item.values!;
        const { srcRaw, tgtRaw, group, minUp, type } = c;
        const s = resolve(srcRaw, cell(v, idx.source_type), 'source');
        if ('error' in s) return reject(line, header(idx.source), s.error);
        const t = resolve(tgtRaw, cell(v, idx.target_type), 'target');
        if ('error' in t) return reject(line, header(idx.target), t.error);
        const src = c.reverse ? t : s;
        const tgt = c.reverse ? s : t;
        if (src.id === tgt.id) return reject(line, header(idx.target), selfMessage(srcRaw));
        const dependent = dependentOf(type);
        const relKey = `${src.key} ${type} ${tgt.key}`;
        if (group !== null) {
          const dep = dependent === 'source' ? src : tgt;
          const problem = checkGroup(groups, L, { group, type, minUp, depId: dep.id, depKey: dep.key, line });
          if (problem) return reject(line, problem.column, problem.message);
        }
        const { attrs, cleared } = c;
        const existing = bulk ? undefined : (getRel.get(src.id, tgt.id, type) as ExistingRel | undefined);
        if (existing) {
          if (existing.import_id === importId) {
            return reject(
              line,
              header(idx.target),
              `duplicate relationship ${relKey}: an earlier row of this file has the same source, target and type.`,
            );
          }
          if (seenInsert.run(existing.id, line).changes === 0) {
            return reject(
              line,
              header(idx.target),
              `duplicate relationship ${relKey} (also on line ${seenLine.get(existing.id) as number}).`,
            );
          }
          if (mode === 'create-only') {
            counts.relationshipsSkipped++;
            return noteRow({ file, line, key: relKey, action: 'skip', changes: null });
          }
          const changes: Changes = {};
          const newGroup = idx.redundancy_group !== undefined ? group : existing.redundancy_group;
          const newMinUp = idx.min_up !== undefined ? minUp : existing.min_up;
          if (newGroup !== existing.redundancy_group) changes.redundancyGroup = { from: existing.redundancy_group, to: newGroup };
          if (newMinUp !== existing.min_up) changes.minUp = { from: existing.min_up, to: newMinUp };
          const mergedJson = mergeAttributes(existing.attributes, attrs, cleared, changes);
          if (Object.keys(changes).length === 0) {
            counts.relationshipsUnchanged++;
            return noteRow({ file, line, key: relKey, action: 'unchanged', changes: null });
          }
          updateRel.run(newGroup, newMinUp, mergedJson, now, importId, existing.id);
          history.run(now, 'relationship', existing.id, src.key, tgt.key, 'update', relKey, JSON.stringify(changes), actor, importId);
          counts.relationshipsUpdated++;
          return noteRow({ file, line, key: relKey, action: 'update', changes });
        }
        if (mode === 'update-only') {
          counts.relationshipsSkipped++;
          return noteRow({ file, line, key: relKey, action: 'skip', changes: null });
        }
        createRel(line, src.id, tgt.id, type, group, minUp, JSON.stringify(attrs));
      };

      let n = 0;
      const counted = () => {
        rowsDone++;
        if (++n % PROGRESS_EVERY === 0) {
          checkCancel();
          progress('applying', csv, relsBytes);
        }
      };
      // A bulk load's relationships are planned on the other core (rel-planner-worker.ts: the same checks,
      // endpoints by key, redundancy groups); here they are only written. A row the planner cannot finish
      // (an endpoint to find by name) hands the rest of the file back to this thread, from that line.
      let resumeAt = 0;
      let relsBytes: number | null = null;
      if (plan) {
        let taken = 0;
        try {
          const typeNames: string[] = [];
          for await (const m of plan.results()) {
            if (m.type === 'rows') {
              taken += m.lines.length;
              relsBytes = m.bytesRead;
              typeNames.push(...m.newTypes);
              const groupsOf = m.groups ? new Unpacker(m.groups) : null;
              const attrsOf = m.attrs ? new Unpacker(m.attrs) : null;
              let e = 0;
              for (let i = 0; i < m.lines.length; i++) {
                counted();
                const line = m.lines[i]!;
                const group = groupsOf?.next() ?? null;
                const attrsJson = attrsOf?.next() ?? '{}';
                if (e < m.problems.length && m.problems[e]![0] === i) {
                  const [, column, message] = m.problems[e++]!;
                  reject(line, column, message);
                  continue;
                }
                const type = typeNames[m.typeIdx[i]!]!;
                dependentOf(type);
                const minUp = m.minUps[i]!;
                createRel(line, m.ends[2 * i]!, m.ends[2 * i + 1]!, type, group, minUp === 0 ? null : minUp, attrsJson);
              }
              plan.consumed(m.lines.length);
            } else if (m.type === 'handover') {
              groups.load(m.groups);
              resumeAt = m.line;
              relsBytes = null;
              trace(`relationships planned up to line ${m.line}; the rest is read here`);
              break;
            } else {
              resumeAt = Number.POSITIVE_INFINITY;
              relsDigest = m.digest;
              relsBytes = m.bytesRead;
              break;
            }
          }
        } catch (err) {
          // A planner that fails before handing over a row costs nothing but time: this thread reads the file.
          if (taken > 0 || err instanceof Cancelled) throw err;
          trace(`the relationship planner failed (${err instanceof Error ? err.message : String(err)}); relationships read here`);
          resumeAt = 0;
          relsBytes = null;
        }
      }
      if (resumeAt !== Number.POSITIVE_INFINITY) {
        for await (const batch of csv.batches)
          for (const item of batch) {
            if (item.line < resumeAt) continue;
            counted();
            applyRow(item);
          }
      }
      relBatch?.flush();
      bytesBefore += relsBytes ?? csv.bytesRead();
      checkCancel();
    }

    // ---- Sync: retire what the source's file no longer lists --------------
    if (mode === 'sync' && cisCsv && counts.rejected > 0) {
      // A rejected row may be a CI the file still means to list: retiring by its absence would be wrong.
      warnings.push(
        `Sync retired nothing: ${counts.rejected} CI row${counts.rejected === 1 ? ' was' : 's were'} rejected, and a rejected row may be a CI the file still lists. Fix the rows and sync again.`,
      );
    } else if (mode === 'sync' && cisCsv) {
      const gone = db
        .prepare(
          `SELECT id, key, status FROM cis WHERE source = ? AND (import_id IS NULL OR import_id != ?)
           AND id NOT IN (SELECT id FROM temp.import_seen_ci) AND (status IS NULL OR status != 'retired')`,
        )
        .all(source, importId) as Array<{ id: number; key: string; status: string | null }>;
      const retire = db.prepare("UPDATE cis SET status = 'retired', updated_at = ?, import_id = ? WHERE id = ?");
      const history = db.prepare(
        `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
         VALUES (?, 'ci', ?, ?, NULL, 'update', ?, ?, ?, ?)`,
      );
      for (const c of gone) {
        const changes: Changes = { status: { from: c.status, to: 'retired' } };
        retire.run(now, importId, c.id);
        history.run(now, c.id, c.key, `Retired: no longer listed by ${source}`, JSON.stringify(changes), actor, importId);
        counts.retired++;
        noteRow({ file: cisCsv.file, line: 0, key: c.key, action: 'retire', changes });
      }
    }

    if (relsCsv) trace(`relationships read and written (${rowsDone} rows in all)`);
    if (dropped) {
      progress('validating', null);
      await restoreSecondary(db, dropped, trace, search);
      dropped = null;
    }
    checkCancel();

    const durationMs = Math.round(performance.now() - started);
    const hash = [cisCsv?.digest(), relsDigest ?? relsCsv?.digest()].filter(Boolean).join(':');
    db.prepare(
      `UPDATE imports SET finished_at = ?, counts = ?, duration_ms = ?, content_hash = ?, status = 'committed',
       created_types = ?, created_rel_types = ?, history_mark = (SELECT coalesce(max(id), 0) FROM history) WHERE id = ?`,
    ).run(nowIso(), JSON.stringify(counts), durationMs, hash, JSON.stringify(createdTypes), JSON.stringify(createdRelTypes), importId);

    const result: ImportResult = {
      importId: dryRun ? null : importId,
      dryRun,
      mode,
      counts,
      errors,
      errorsTruncated: errorsTotal > errors.length,
      rows,
      warnings,
      createdTypes,
      createdRelTypes,
      durationMs,
    };
    if (dryRun || (errorsTotal > 0 && !skipBadRows)) {
      db.exec('ROLLBACK');
      await closeHelpers();
      restoreSettings();
      if (dryRun) return { ...result, importId: null };
      const first = errors[0]!;
      throw new CmdbError(
        'IMPORT_REJECTED',
        `${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message.replace(/\.$/, '')}${
          errorsTotal > 1 ? ` (and ${errorsTotal - 1} more row error${errorsTotal > 2 ? 's' : ''})` : ''
        }. Nothing was imported: fix the rows, or import with skip bad rows to import the others.`,
        { errors, errorsTruncated: result.errorsTruncated, counts, result: { ...result, importId: null } },
      );
    }
    db.exec('COMMIT');
    trace('committed');
    await closeHelpers();
    restoreSettings();
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    await closeHelpers();
    restoreSettings();
    cisCsv?.destroy();
    relsCsv?.destroy();
    if (err instanceof Cancelled) throw new CmdbError('CANCELLED', 'The import was cancelled. Nothing was imported.');
    if (err instanceof CmdbError) throw err;
    if (isBusyError(err)) {
      // Someone else kept this import from finishing: its own note must not be named as the holder.
      writer.end();
      if (!journal) throw busyError(db.name);
      throw new CmdbError(
        'BUSY',
        `The import could not finish: another program opened the CMDB while this load into the empty CMDB needed it alone. Nothing was imported. Close it (the app, \`cmdb serve\`, another \`cmdb\` command) and import again.`,
        { path: db.name, writer: null },
      );
    }
    // A read-only or damaged CMDB says so, and what to do, rather than SQLite's words.
    const known = describeDbError(db.name, err);
    if (known instanceof CmdbError) throw known;
    throw new CmdbError('INTERNAL', `The import failed and nothing was imported: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    writer.end();
  }
}

/** A row's attributes over the stored ones (cleared cells remove theirs); records the change in `changes`. Returns the JSON to store. */
function mergeAttributes(storedJson: string, attrs: Record<string, string>, cleared: string[], changes: Changes): string {
  const oldAttrs = parseAttributes(storedJson);
  const merged: Record<string, string> = { ...oldAttrs };
  for (const k of cleared) delete merged[k];
  Object.assign(merged, attrs);
  const mergedJson = JSON.stringify(merged);
  if (mergedJson !== JSON.stringify(oldAttrs)) changes.attributes = { from: oldAttrs, to: merged };
  return mergedJson;
}

function createdChanges(type: string, name: string, vals: Array<string | null>, attrs: Record<string, string>): Changes {
  const c: Changes = { type: { from: null, to: type }, name: { from: null, to: name } };
  OPTIONAL_FIELDS.forEach((f, k) => {
    if (vals[k] !== null && vals[k] !== undefined) c[f] = { from: null, to: vals[k] };
  });
  if (Object.keys(attrs).length > 0) c.attributes = { from: null, to: attrs };
  return c;
}

/**
 * Switches a WAL-mode CMDB to a rollback journal for one bulk load, when this connection is the only
 * one (SQLite refuses the switch otherwise, and the load then goes through the WAL as usual). A load
 * into an empty database journals almost nothing: pages past the old end of the file need no copy,
 * and a rollback (or a kill, on the next open) truncates them away. synchronous is FULL meanwhile, as
 * a rollback journal needs for power-loss safety. restore() goes back to WAL.
 */
function rollbackJournalForLoad(db: Db): { restore(): void } | null {
  if (db.memory || db.pragma('main.journal_mode', { simple: true }) !== 'wal') return null;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  const synchronous = db.pragma('main.synchronous', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  let switched = false;
  try {
    switched = db.pragma('main.journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // another connection has the CMDB open: stay in WAL mode
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  if (!switched) return null;
  db.pragma('main.synchronous = FULL');
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      try {
        db.pragma('main.journal_mode = WAL');
      } catch (err) {
        if (!isBusyError(err)) throw err;
        // A reader holds the CMDB at this moment. The load is over either way (committed or rolled back):
        // the CMDB stays in rollback-journal mode, safe with synchronous FULL, until the next open switches
        // it back (db.ts).
        return;
      }
      db.pragma(`main.synchronous = ${synchronous}`);
    },
  };
}

function isEmptyCmdb(db: Db): boolean {
  const r = db.prepare('SELECT EXISTS(SELECT 1 FROM cis) AS c, EXISTS(SELECT 1 FROM relationships) AS r').get() as { c: number; r: number };
  return r.c === 0 && r.r === 0;
}

/** Drops the secondary (non-unique) indexes of cis, relationships and history, and the search triggers. */
function dropSecondary(db: Db): Dropped {
  const indexes = db
    .prepare(
      `SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('cis', 'relationships', 'history') AND sql NOT LIKE 'CREATE UNIQUE%'`,
    )
    .all() as Array<{ name: string; tbl_name: string; sql: string }>;
  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'cis' AND name LIKE 'cis\\_fts\\_%' ESCAPE '\\'`)
    .all() as Array<{ name: string; sql: string }>;
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  return {
    cisIndexes: indexes.filter((i) => i.tbl_name === 'cis').map((i) => i.sql),
    otherIndexes: indexes.filter((i) => i.tbl_name !== 'cis').map((i) => i.sql),
    triggers: triggers.map((t) => t.sql),
  };
}

async function restoreSecondary(db: Db, d: Dropped, trace: (what: string) => void, search: ParallelSearchIndex | null): Promise<void> {
  for (const sql of [...d.cisIndexes, ...d.otherIndexes]) db.exec(sql);
  trace('indexes built');
  for (const sql of d.triggers) db.exec(sql);
  if (d.triggers.length > 0) {
    const copied = search !== null && (await search.copyInto(db, db.prepare('SELECT count(*) FROM cis').pluck().get() as number));
    if (!copied) db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('rebuild')");
    trace(copied ? 'search index copied from its worker' : 'search index rebuilt');
  }
}
