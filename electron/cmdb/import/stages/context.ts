/**
 * What the stages of one import share: its options (RunImportInput with the
 * defaults applied), the counters and the per-row results, the row-error and
 * progress reporting, and what the prepare stage decides (the import's id,
 * whether it is a bulk load, its helper threads, the dropped indexes).
 * Each stage takes the context and reads or adds to it; nothing else is
 * shared between them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { ImportCounts, ImportResult, ImportRowResult, RowError } from '../../../../shared/domain.js';
import { UNLISTED_SHOWN } from '../../../../shared/import-fields.js';
import type { ImportMode, Mapping } from '../../../../shared/import.js';
import type { FieldVocab } from '../../../../shared/import-vocab.js';
import type { Db } from '../../db.js';
import { nowIso } from '../../rows.js';
import { ciTypeMapper } from '../ci-rows.js';
import { QUOTE_NOT_CLOSED } from '../csv-reader.js';
import type { RelPlanner } from '../bulk/rel-planner.js';
import { relTypeMapper } from '../rel-rows.js';
import type { ParallelSearchIndex } from '../bulk/search-index.js';
import { TypeTally } from '../type-tally.js';
import type { Dropped } from '../bulk/secondary-indexes.js';
import type { CsvSource, Encoding, OpenedCsv } from '../source.js';
import { MarkedDeletedCis } from './marked-deleted.js';
import { SeenRows } from './seen.js';
import type { CiFileKeys } from './foreign-ends.js';
import type { StoredRels } from './stored-rels.js';
import type { GroupColumns } from './stored-groups.js';

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
  /**
   * Rows that rename CIs another source wrote are the same CIs renamed: not refused as a key collision when they
   * are most of the rows whose key is another source's CI (renames.ts).
   */
  allowRenames?: boolean | undefined;
  mapping?: Mapping | undefined;
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  rowsLimit?: number;
  /** Which rows are kept: every row (default), or only those that change the CMDB (created or updated). */
  rowsKept?: 'all' | 'changes';
  /** Who ran it, for history: 'cli', 'ui', 'web'. */
  actor?: string;
  /** Checked between batches; when true the import rolls back and fails with CANCELLED. */
  isCancelled?: () => boolean;
  /** Called just before COMMIT: false when a cancel came first (the import then rolls back as cancelled). */
  claimCommit?: () => boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Defer index maintenance to the end for files of at least this many bytes (default: 16 MB and bigger than the CMDB). */
  deferIndexesFrom?: number;
  /** Give an import helper threads (search index, relationships) for files of at least this many bytes (default 4 MB). */
  parallelFrom?: number;
  /** Load through a rollback journal (alone with an empty CMDB) for files of at least this many bytes (default 16 MB). */
  rollbackJournalFrom?: number;
  /** How far the helper threads may run ahead of the import (rows or CIs, and bytes); tests make them small. */
  helperLimits?: HelperLimits;
  /** Every row error, as it is found (the result keeps the first 1000). */
  onRowError?: (e: RowError) => void;
}

/** Bounds on what a helper thread holds ahead of the import thread: rows (or CIs) and bytes. */
export interface HelperLimits {
  /** The search-index worker's lag behind the CIs written. */
  searchLag?: { rows: number; bytes: number };
  /** The relationship planner's lead over the rows written. */
  planAhead?: { rows: number; bytes: number };
}

/** The import's files, opened (open-sources.ts). */
export interface Sources {
  cis: OpenedCsv | null;
  rels: OpenedCsv | null;
}

const MAX_ERRORS = 1000;
export { LARGE_LOAD_BYTES } from '../load-size.js';
/** Rows between two progress reports (and cancel checks). */
export const PROGRESS_EVERY = 5000;

/** Thrown by checkCancel; runImport answers it with CANCELLED. */
export class Cancelled extends Error {}

/** Every count at zero. */
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
  relationshipsRemoved: 0,
  skipped: 0,
  relationshipsSkipped: 0,
});

/**
 * CMDB_IMPORT_TRACE=1 prints each phase's time since the import started to stderr (for profiling), and since
 * the process started (the import's own clock does not count the process's start), with the CPU time the
 * import's thread has used so far where the system tells it (Linux): on a machine shared with other work, the
 * wall-clock time says little.
 */
const traceOn = Boolean(process.env.CMDB_IMPORT_TRACE);
function tracer(started: number): (what: string) => void {
  if (!traceOn) return () => {};
  const cpu0 = threadCpuMs();
  return (what) => {
    const cpu = threadCpuMs();
    const used = cpu === null || cpu0 === null ? '' : ` (thread CPU ${cpu - cpu0} ms)`;
    process.stderr.write(
      `[import] ${Math.round(performance.now() - started)} ms${used}, process +${Math.round(process.uptime() * 1000)} ms: ${what}\n`,
    );
  };
}

/** The calling thread's CPU time (user and system), in ms; null where /proc/thread-self is not there. */
function threadCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (100 a second)
  } catch {
    return null;
  }
}

/** Whether two files of an import are the same file (by path, or the same name and content). */
function sameSource(a: CsvSource, b: CsvSource): boolean {
  if ('path' in a || 'path' in b) return 'path' in a && 'path' in b && resolve(a.path) === resolve(b.path);
  return a.name === b.name && a.content === b.content;
}

/** A CIs file's row an import did not import: where, and why. */
export interface CiLeftOut {
  file: string;
  line: number;
  why: 'rejected' | 'skipped';
}

/** Rows not imported kept by key and name, at most (a relationship to one of the rest finds no CI, as before). */
const LEFT_OUT_KEPT = 100_000;

/** One import's shared state; see the module comment. */
export class ImportContext {
  readonly started: number;
  readonly trace: (what: string) => void;
  readonly mode: ImportMode;
  readonly dryRun: boolean;
  readonly skipBadRows: boolean;
  readonly mapping: Mapping;
  readonly rowsLimit: number;
  readonly actor: string;
  /** The import source label (sync retires by it). */
  readonly source: string;
  /** The import's time, on every row it writes. */
  readonly now: string;
  /** The files' names, as the import log lists them. */
  readonly files: string[];
  readonly bytesTotal: number;
  readonly counts = emptyCounts();
  /** The first MAX_ERRORS row errors; errorsTotal counts them all. */
  readonly errors: RowError[] = [];
  errorsTotal = 0;
  /** The per-row results, the first rowsLimit of them. */
  readonly rows: ImportRowResult[] = [];
  /** What a sync retired and removed, the first UNLISTED_SHOWN of each: named apart from the rows (which a big file fills first). */
  readonly unlisted: ImportResult['unlisted'] & { labels: { retired: string[]; removed: string[] } } = {
    retired: [],
    removed: [],
    labels: { retired: [], removed: [] },
  };
  readonly warnings: string[];
  readonly createdTypes: string[] = [];
  readonly createdRelTypes: string[] = [];
  rowsDone = 0;
  /** The bytes of the files already read through (the CIs file, once the relationships' turn comes). */
  bytesBefore = 0;
  // Type values repeat on almost every row: map each distinct value once.
  readonly ciTypeOf: (raw: string) => string;
  readonly relTypeOf: ReturnType<typeof relTypeMapper>;
  /** The CIs file's and the relationships file's type values, counted as read (type-tally.ts): those that make a new type are named. */
  readonly ciTypes: TypeTally<string>;
  readonly relTypes: TypeTally<{ type: string; reverse: boolean }>;
  /** The header of each file's type column, once its stage has read the header (null: none, the default type). */
  readonly typeColumns: { cis: string | null; relationships: string | null } = { cis: null, relationships: null };
  /** The CIs file's criticality and status columns as read (set by the CI stage): the unrecognised values they counted. */
  vocabs: FieldVocab[] = [];

  // Set by the prepare stage (prepare.ts), inside the transaction.
  importId = 0;
  /** Nothing existed before this import: CIs and relationships are written without looking for them first. */
  bulk = false;
  /** The highest CI id before this import (0: none): a CI above it is one this import created. */
  ciIdsBefore = 0;
  /** The CIs file's keys as sampled by the CI stage (null: no CIs file), for the relationship ends' check (foreign-ends.ts). */
  ciFileKeys: CiFileKeys | null = null;
  /** The helper threads, when this bulk load has them. */
  search: ParallelSearchIndex | null = null;
  plan: RelPlanner | null = null;
  /** The secondary indexes and triggers dropped for the load, until finish.ts restores them. */
  dropped: Dropped | null = null;
  /** The history INSERT, the last value the import_id the row had before (0: none; migration 12). */
  history!: Statement;
  /** The relationships file's digest, when the planner read it. */
  relsDigest: string | null = null;
  /** The relationship planner read the whole file: its columns without a header name that held a value (unnamed-columns.ts). */
  relsUnnamedSeen: number[] | null = null;
  /** The stored CIs and relationships the files list, by id, with the line listing each (duplicates, sync retirement). */
  readonly seenCis = new SeenRows();
  readonly seenRels = new SeenRows();
  /** CIs files' rows not imported (rejected, or new under update-only), by the key and name they give (the first LEFT_OUT_KEPT). */
  readonly cisLeftOut = new Map<string, CiLeftOut>();
  /** CIs files' rows marked deleted (MarkAsDeleted Yes): a relationship naming one makes none. */
  readonly cisMarkedDeleted = new MarkedDeletedCis();
  /**
   * Rows rejected that leave nothing of the file unlisted: one repeating an earlier row's CI key or relationship
   * (a ServiceNow table holding the same relationship twice: the file lists it all the same), a totals row or a
   * note under a spreadsheet's table (no CI at all). A sync retires and removes what the file does not list
   * despite them (retire.ts, unlisted-rels.ts), where another rejected row stops it.
   */
  readonly rejectedNoneMissing = { cis: 0, relationships: 0 };
  /** A sync whose CIs file was read whole retired what it does not list (recorded for health's stale rule). */
  retiredUnlisted = false;
  /** The relationships file's group and min_up columns, once its stage has read its header (stored-groups.ts). */
  relGroupColumns: GroupColumns | null = null;
  /** Stored CIs this import's updates took into its source from another (a sync's first-sync note leaves them out). */
  cisTakenIntoSource = 0;
  /**
   * A row error found after its row was written (stored-groups.ts), or one that left the rest of its file
   * unread (a quote never closed): the import is refused even with skipBadRows.
   */
  rejectWhole = false;
  /** The first row error that refuses the import as a whole: the rejection names it first (it is what to fix). */
  wholeError: RowError | null = null;
  /** Every relationship stored before this import, when the relationship stage read them all (a re-import of many). */
  storedRels: StoredRels | null = null;
  /**
   * When one file is both the CIs file and the relationships file (a CIs export whose reference column links
   * each CI to another): the lines whose CI row was rejected, until the relationship stage begins (`cisDone`).
   * Their relationship rows are rejected too: a skipped duplicate's relationship would otherwise attach to
   * the CI the earlier line made.
   */
  readonly ciLinesRejected: Set<number> | null;
  cisDone = false;

  constructor(
    readonly db: Db,
    readonly input: RunImportInput,
    sources: Sources,
    started: number,
  ) {
    this.started = started;
    this.trace = tracer(started);
    this.mode = input.mode ?? 'upsert';
    this.dryRun = input.dryRun ?? false;
    this.skipBadRows = input.skipBadRows ?? false;
    this.mapping = input.mapping ?? {};
    this.rowsLimit = input.rowsLimit ?? 200;
    this.actor = input.actor ?? 'import';
    this.source = input.source ?? input.cis?.name ?? input.relationships!.name;
    this.warnings = [...(sources.cis?.warnings ?? []), ...(sources.rels?.warnings ?? [])];
    this.bytesTotal = (sources.cis?.bytesTotal ?? 0) + (sources.rels?.bytesTotal ?? 0);
    this.ciTypeOf = ciTypeMapper(this.mapping);
    this.ciTypes = new TypeTally(this.ciTypeOf);
    this.relTypes = new TypeTally(relTypeMapper(this.mapping));
    this.relTypeOf = this.relTypes.of;
    this.now = nowIso();
    this.files = [input.cis?.name, input.relationships?.name].filter((f): f is string => Boolean(f));
    this.ciLinesRejected = input.cis && input.relationships && sameSource(input.cis, input.relationships) ? new Set() : null;
  }

  /** Notes a CI row this import did not import, for a relationship to it to say why it finds no CI. */
  noteCiLeftOut(refs: Array<string | null>, why: CiLeftOut): void {
    for (const ref of refs)
      if (ref !== null && this.cisLeftOut.size < LEFT_OUT_KEPT && !this.cisLeftOut.has(ref)) this.cisLeftOut.set(ref, why);
  }

  /**
   * A rejected row: kept (the first MAX_ERRORS), passed to onRowError, and noted as a 'reject' row. `whole`: the
   * error refuses the import as a whole, even with skipBadRows (see rejectWhole).
   */
  rowError(file: string, line: number, column: string | null, message: string, whole = false): void {
    const e = { file, line, column, message };
    // A quote never closed leaves the rest of the file unread: not one bad row to skip, so the import is refused.
    if (whole || message === QUOTE_NOT_CLOSED) {
      this.rejectWhole = true;
      this.wholeError ??= e;
    }
    if (!this.cisDone) this.ciLinesRejected?.add(line);
    this.errorsTotal++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(e);
    this.input.onRowError?.(e);
    if (this.rows.length < this.rowsLimit && this.input.rowsKept !== 'changes')
      this.rows.push({ file, line, key: '', action: 'reject', changes: null });
  }

  /** A row's result, kept while fewer than rowsLimit are. */
  noteRow(r: ImportRowResult): void {
    if (this.rows.length >= this.rowsLimit) return;
    if (this.input.rowsKept === 'changes' && r.action !== 'create' && r.action !== 'update') return;
    this.rows.push(r);
  }

  /** Notes a CI a sync retired or a relationship it removed (`source type target`, and `label` with names), and its row result. */
  noteUnlisted(kind: 'retired' | 'removed', file: string, key: string, label: string, changes: ImportRowResult['changes']): void {
    const list = this.unlisted[kind];
    if (list.length < UNLISTED_SHOWN) {
      list.push(key);
      this.unlisted.labels[kind].push(label);
    }
    this.noteRow({ file, line: 0, key, action: kind === 'retired' ? 'retire' : 'remove', changes });
  }

  /** Reports progress; bytesRead: how far into csv, when another thread reads it. */
  progress(phase: ImportProgress['phase'], csv: OpenedCsv | null, bytesRead: number | null = null): void {
    this.input.onProgress?.({
      phase,
      file: csv?.file ?? null,
      rowsDone: this.rowsDone,
      bytesDone: this.bytesBefore + (bytesRead ?? csv?.bytesRead() ?? 0),
      bytesTotal: this.bytesTotal,
      elapsedMs: performance.now() - this.started,
    });
  }

  /** Throws Cancelled when the caller has asked to cancel. */
  checkCancel(): void {
    if (this.input.isCancelled?.()) throw new Cancelled();
  }
}
