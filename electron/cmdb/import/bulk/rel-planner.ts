/**
 * The relationship planner: in a bulk load (an empty CMDB), the
 * relationships file is read, checked and resolved on the other core
 * (rel-planner-worker.ts) while the import thread writes the CIs and builds
 * their indexes, and then only writes what the planner hands it. The planner
 * learns every CI's key and id by reading the CIs file with the import's own
 * checks (ci-rows.ts); the import thread uses its plan only when the
 * planner's fingerprint of those ids and keys matches its own. It finds
 * endpoints by key only: at the first row that needs a name lookup it stops
 * and hands the rest of the file back, with the redundancy groups it has
 * seen, and the import thread goes on from that line with its own checks.
 */
import type { Worker } from 'node:worker_threads';
import type { Mapping } from '../../../../shared/import.js';
import { type Packed, Packer } from './packed.js';
import type { GroupRow } from '../rel-rows.js';
import type { CsvSource, ReadOptions } from '../source.js';
import { StoredRels, type StoredRelsData } from '../stages/stored-rels.js';
import { newWorker } from './workers.js';
import { plannerScript, takeWarmWorker } from '../warm-worker.js';

export interface PlanRequest {
  source: CsvSource;
  readOptions: ReadOptions;
  mapping: Mapping;
  /** The registry's relationship types and their dependent end. */
  relTypes: Array<[string, 'source' | 'target']>;
  /** A re-import: the CMDB file to read the stored keys from (after 'begun'). */
  stored?: string;
  /**
   * A re-import's planner reads the stored relationships too, for the import thread, while that thread writes
   * the CIs; false when there are no CIs to write: the import thread, idle till the planned rows come, reads
   * them itself meanwhile (the planner's 'stored' message then carries none).
   */
  readsRels?: boolean;
  /** False when the relationships file is the CIs file: its other columns are the CIs' (rel-rows.ts relLayout). */
  attributes?: boolean;
  /** How far the planner may run ahead of the import thread (default: rel-planner-worker.ts). */
  ahead?: { rows: number; bytes: number };
}

/** Planned rows in file order: a problem (row index, column, message) or a relationship to create. */
export interface PlannedRows {
  type: 'rows';
  lines: Int32Array;
  /** Source and target id of row i at 2i and 2i + 1 (0 for a problem row). */
  ends: Int32Array;
  /** min_up of row i, 0 for none. */
  minUps: Int32Array;
  /** Row i's relationship type: an index into the names sent so far (newTypes of this and earlier messages). */
  typeIdx: Uint16Array;
  newTypes: string[];
  /** Redundancy group per row; null when the file has no group column. */
  groups: Packed | null;
  /** The attributes per row as JSON; null when the file has no attribute columns. */
  attrs: Packed | null;
  problems: Array<[index: number, column: string | null, message: string, whole: boolean]>;
  bytesRead: number;
}
/** The import thread's messages: 'begun' (a re-import's, holding the write lock), the ids and (packed) keys of the CIs it creates, then 'cis-done'. */
export type PlannerInput =
  | { type: 'begun' }
  | { type: 'keys'; ids: Int32Array; keys: Packed }
  | { type: 'cis-done'; deletedKeys: string[] }
  /** A warm planner's job (see warm-worker.ts). */
  | { type: 'job'; data: PlannerWorkerData };
export type PlannerOutput =
  /** A re-import's planner, first: the stored relationships (null: ids past 31 bits, see StoredRels.read). */
  | { type: 'stored'; rels: StoredRelsData | null }
  | PlannedRows
  /** `namesDeleted`: the rows before `line` (or in the file) naming a CI the CIs file marks deleted, left out. */
  /** `typeCounts`: the rows of each relationship type value read (type-tally.ts), for the result's newTypeValues. */
  | { type: 'handover'; line: number; groups: GroupRow[]; namesDeleted: number; typeCounts: Array<[string, number]> }
  | {
      type: 'end';
      digest: string;
      bytesRead: number;
      namesDeleted: number;
      typeCounts: Array<[string, number]>;
      /** The columns without a header name in which a row holds a value (unnamed-columns.ts). */
      unnamedWithData: number[];
    }
  | { type: 'failed'; message: string };

export interface PlannerWorkerData {
  /** [0]: rows the import thread has taken (the planner waits when too far ahead). */
  consumed: Int32Array;
  plan: PlanRequest;
}

/** Keys per message to the planner. */
const KEY_BATCH = 8192;

export class RelPlanner {
  private queue: PlannerOutput[] = [];
  private ids: number[] = [];
  private keys = new Packer();
  private wake: (() => void) | null = null;
  private taken = 0;
  private cisSaid = false;

  private constructor(
    private readonly worker: Worker,
    private readonly consumedRows: Int32Array,
    /** A re-import's planner (PlanRequest.stored), not a bulk load's. */
    readonly readsStored: boolean,
    /** It reads the stored relationships too (PlanRequest.readsRels). */
    readonly readsStoredRels: boolean,
  ) {
    const push = (m: PlannerOutput) => {
      this.queue.push(m);
      this.wake?.();
    };
    worker.on('message', push);
    worker.on('error', (err) => push({ type: 'failed', message: err.message }));
    worker.on('exit', (code) => push({ type: 'failed', message: `the relationship planner stopped (exit ${code})` }));
  }

  /** Starts the worker on the two files; null where no worker script is found. */
  static start(plan: PlanRequest): RelPlanner | null {
    const script = plannerScript();
    if (!script) return null;
    const consumed = new Int32Array(new SharedArrayBuffer(4));
    const data: PlannerWorkerData = { consumed, plan };
    // The thread the import worker started as it loaded (prewarmPlanner), where there is one.
    const worker = takeWarmWorker(script, data) ?? newWorker(script, data);
    const stored = plan.stored !== undefined;
    return new RelPlanner(worker, consumed, stored, stored && plan.readsRels !== false);
  }

  /** A re-import's: the import holds the write lock, the planner may read the CMDB. */
  begun(): void {
    this.worker.postMessage({ type: 'begun' } satisfies PlannerInput);
  }

  /** A CI the import created. */
  addKey(key: string, id: number): void {
    this.ids.push(id);
    this.keys.push(key);
    if (this.ids.length >= KEY_BATCH) this.flushKeys();
  }

  private flushKeys(): void {
    if (this.ids.length === 0) return;
    const ids = Int32Array.from(this.ids);
    this.worker.postMessage({ type: 'keys', ids, keys: this.keys.take() } satisfies PlannerInput, [ids.buffer]);
    this.ids = [];
  }

  /**
   * Every CI is created: the planner goes on to the relationships. Said once (the relationship stage says it too).
   * `deletedKeys`: the keys of the CIs file's rows marked deleted, whose relationships it leaves out (read once).
   */
  cisDone(deletedKeys: () => string[]): void {
    if (this.cisSaid) return;
    this.cisSaid = true;
    this.flushKeys();
    this.worker.postMessage({ type: 'cis-done', deletedKeys: deletedKeys() } satisfies PlannerInput);
  }

  /**
   * A re-import's stored relationships, read by the planner as it started (its first message): null when they
   * cannot be read so, undefined when the planner failed first (its failure then comes from results()).
   */
  async storedRels(): Promise<StoredRels | null | undefined> {
    while (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
    const m = this.queue[0]!;
    if (m.type !== 'stored') return undefined;
    this.queue.shift();
    return m.rels === null ? null : StoredRels.from(m.rels);
  }

  /** The planner's output in order, ending with 'end' or 'handover'; a failure throws. */
  async *results(): AsyncGenerator<Exclude<PlannerOutput, { type: 'failed' | 'stored' }>> {
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
      const m = this.queue.shift()!;
      if (m.type === 'failed') throw new Error(`the relationship planner failed: ${m.message}`);
      if (m.type === 'stored') continue; // not asked for (storedRels)
      yield m;
      if (m.type === 'handover' || m.type === 'end') return;
    }
  }

  /** The import thread has taken n more rows (lets the planner run ahead by a bounded amount). */
  consumed(n: number): void {
    this.taken += n;
    Atomics.store(this.consumedRows, 0, this.taken);
    Atomics.notify(this.consumedRows, 0);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
