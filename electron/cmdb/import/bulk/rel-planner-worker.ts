/**
 * The relationship planner's thread (see rel-planner.ts): reads the
 * relationships file, runs every check that needs no database (rel-rows.ts),
 * finds endpoints among the CIs the import created (and, for a re-import,
 * the CIs stored before it), checks redundancy groups, and sends the import
 * thread rows ready to write (for a re-import, to compare), in file order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { unknownRelType } from '../../types-registry.js';
import type { PlannedRows, PlannerInput, PlannerOutput, PlannerWorkerData } from './rel-planner.js';
import { checkGroup, checkRelRow, groupTable, relLayout, relTypeMapper, selfMessage, unknownKeyMessage } from '../rel-rows.js';
import { hasAttributes, headerAt } from '../row-cells.js';
import { isPlaceName } from '../../../../shared/import-fields.js';
import { TypeTally } from '../type-tally.js';
import { KeyIndex } from './key-index.js';
import { StoredRels } from '../stages/stored-rels.js';
import { Backlog } from './backlog.js';
import { type Packed, Packer } from './packed.js';
import { type OpenedCsv, openCsv } from '../source.js';
import type { WarmWorkerData } from '../warm-worker.js';

const port = parentPort;
if (!port) throw new Error('rel-planner-worker.ts runs as a worker thread');
const send = (m: PlannerOutput, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Rows per message. */
const BATCH = 4096;
/**
 * How far the planner may run ahead of the import thread (rows, and their bytes): far enough to plan
 * through the seconds the import spends building the CI indexes, so that it then writes relationships
 * without waiting; no further, as the rows ahead are held in memory.
 */
const MAX_AHEAD_ROWS = 1_000_000;
const MAX_AHEAD_BYTES = 40 << 20;
/** typeIdx of a problem row. */
const NO_TYPE = 0xffff;

/** CMDB_IMPORT_TRACE=1 prints the planner's phases to stderr, as the import does its own. */
const started = performance.now();
const trace = (what: string) => {
  if (process.env.CMDB_IMPORT_TRACE)
    process.stderr.write(
      `[planner] ${Math.round(performance.now() - started)} ms, process +${Math.round(process.uptime() * 1000)} ms: ${what}\n`,
    );
};

/** The CIs the import created, key to id, as it sends them (a re-import's also those stored before); complete at its 'cis-done'. */
const ids = new KeyIndex();
/** The keys of the CIs file's rows marked deleted (known at 'cis-done'): a row naming one makes no relationship. */
let deletedKeys: ReadonlySet<string> = new Set();
let onBegun: () => void = () => {};
const begun = new Promise<void>((resolve) => (onBegun = resolve));
let onJob: (data: PlannerWorkerData) => void = () => {};
const job = new Promise<PlannerWorkerData>((resolve) => (onJob = resolve));
const cisDone = new Promise<void>((resolve) => {
  port.on('message', (m: PlannerInput) => {
    if (m.type === 'keys') ids.addPacked(m.keys, m.ids);
    else if (m.type === 'begun') onBegun();
    else if (m.type === 'job') onJob(m.data);
    else {
      deletedKeys = new Set(m.deletedKeys);
      resolve();
    }
  });
});
// A warm planner (prewarmPlanner) was started before its job, which comes as a message.
const given = workerData as PlannerWorkerData | WarmWorkerData;
const data = 'warm' in given ? await job : given;
const { consumed } = data;

/**
 * A re-import's CMDB as it was when the import began (the import thread holds the write lock from then on, and
 * the WAL keeps its own writes from this connection): every CI's key into `ids`; and the stored relationships,
 * sent to the import thread, which compares the planned rows with them after its CIs (this core reads them
 * while that one does the CIs).
 */
async function readStored(file: string, readsRels: boolean): Promise<void> {
  await begun;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  // Every stored CI is read once: through a memory map, without a read() per page.
  db.pragma(`mmap_size = ${4 * 2 ** 30}`);
  try {
    ids.addCis(db);
    trace(`${ids.size} stored CI keys read`);
    const rels = readsRels ? StoredRels.read(db) : null;
    const out = rels?.transfer();
    send({ type: 'stored', rels: out?.data ?? null }, out?.buffers);
    if (readsRels) trace('stored relationships read');
  } finally {
    db.close();
  }
}

async function plan({ plan: req }: PlannerWorkerData): Promise<void> {
  if (req.stored !== undefined) await readStored(req.stored, req.readsRels ?? true);
  // A bulk load's planner knows every key once the CIs are done; a re-import's knows the stored ones now.
  let allKeys = req.stored === undefined;
  if (allKeys) {
    await cisDone;
    trace(`${ids.size} CI keys read`);
  }
  const csv = await openCsv(req.source, req.readOptions);
  const L = relLayout(csv.file, csv.headers, req.mapping, csv.headerLine, req.attributes ?? true);
  const relTypes = new TypeTally(relTypeMapper(req.mapping));
  const relTypeOf = relTypes.of;
  const dependents = new Map(req.relTypes);
  const dependentOf = (t: string) => dependents.get(t) ?? unknownRelType(t).dependent;
  const match = req.mapping.endpointMatch ?? 'auto';
  // Redundancy groups in a scratch database of this thread (a big estate has close to a million).
  const scratch = new Database('');
  scratch.pragma('journal_mode = OFF');
  scratch.exec('BEGIN'); // one transaction, never committed: the file goes when the thread closes it
  const groups = groupTable(scratch, 'main', 'groups');

  const hasGroups = L.idx.redundancy_group !== undefined;
  // Columns without a header name (named by their place) carry attributes only in the rows that fill them: a
  // re-import hands the rest over from the first such row, not from the first row (a trailing delimiter, an
  // empty column, made every big re-import read its whole relationships file on one thread; found by a reviewer).
  const placeOnly =
    req.stored !== undefined &&
    L.attributesJson === undefined &&
    L.attrCols.length > 0 &&
    L.attrCols.every((a) => isPlaceName(a.name, a.index));
  const hasAttrs = hasAttributes(L) && !placeOnly;
  if (req.stored !== undefined && hasAttrs) {
    // A re-import merges each row's attributes with the stored ones: the import thread reads the whole file.
    send({ type: 'handover', line: 0, groups: [], namesDeleted: 0, typeCounts: [] });
    csv.destroy();
    scratch.close();
    return;
  }

  const ahead = new Backlog(req.ahead?.rows ?? MAX_AHEAD_ROWS, req.ahead?.bytes ?? MAX_AHEAD_BYTES);
  const box = new Outbox(csv, hasGroups, hasAttrs, ahead);
  /** Rows naming a CI the CIs file marks deleted: no relationship, counted for the import thread's note. */
  let namesDeleted = 0;
  /** Hands the rest of the file, from `line`, to the import thread, with the file's groups so far. */
  const handOver = (line: number) => {
    box.flush();
    relTypes.takeBack();
    send({ type: 'handover', line, groups: groups.all(), namesDeleted, typeCounts: relTypes.counts() });
    csv.destroy();
    scratch.close();
  };

  /** The file's first data row: a row set off by an empty row below it is after data (a note under the table). */
  let firstLine = 0;
  let lastSrcRaw: string | null = null;
  let lastSrc: number | undefined;
  for await (const batch of csv.batches) {
    for (let bi = 0; bi < batch.length; bi++) {
      const item = batch[bi]!;
      // Let go of each row once taken: a batch that keeps its rows alive to the end makes most of them survive
      // a scavenge, and V8 then allocates rows straight into the old generation (pretenuring): the heap grows
      // by 200 MB between full collections.
      batch[bi] = undefined as never;
      const line = item.line;
      if (firstLine === 0) firstLine = line;
      if (placeOnly && L.attrCols.some((a) => (item.values?.[a.index] ?? '').trim() !== '')) return handOver(line);
      relTypes.nextRow();
      const c = checkRelRow(item, L, relTypeOf, dependentOf, item.afterBlank === true && line > firstLine);
      if ('noTarget' in c || ('artefact' in c && c.artefact)) {
        // A row without a target ("emptyTarget": "skip") is counted and reported by the import thread, and so is a
        // totals row or a note under the table (whether it names a stored CI): it takes the rest.
        return handOver(line);
      }
      if (!('srcRaw' in c)) {
        box.problem(line, c.column, c.message);
        continue;
      }
      // Files list the relationships of one source together: the last source's id is kept.
      let s: number | undefined;
      if (match === 'name') s = undefined;
      else if (c.srcRaw === lastSrcRaw) s = lastSrc;
      else {
        s = ids.get(c.srcRaw);
        lastSrcRaw = c.srcRaw;
        lastSrc = s;
      }
      let t = s === undefined ? undefined : ids.get(c.tgtRaw);
      if ((s === undefined || t === undefined) && !allKeys && match !== 'name') {
        // A re-import's row naming a CI not stored before: one the import may yet create.
        await cisDone;
        allKeys = true;
        trace(`${ids.size} CI keys with those the import created (waited at line ${line})`);
        s = lastSrc = ids.get(c.srcRaw);
        t = s === undefined ? undefined : ids.get(c.tgtRaw);
      }
      if (s === undefined || t === undefined) {
        if (deletedKeys.size > 0 && deletedKeys.has(s === undefined ? c.srcRaw : c.tgtRaw)) {
          namesDeleted++;
          continue;
        }
        if (match === 'key') {
          const role = s === undefined ? 'source' : 'target';
          const raw = s === undefined ? c.srcRaw : c.tgtRaw;
          box.problem(
            line,
            headerAt(L, s === undefined ? L.idx.source : L.idx.target),
            unknownKeyMessage(role, raw, (p) => ids.get(p) !== undefined, ids.caseTwin(raw)),
          );
          continue;
        }
        // Found by name, or not at all: the import thread's lookups take it from here.
        return handOver(line);
      }
      const src = c.reverse ? t : s;
      const tgt = c.reverse ? s : t;
      const srcKey = c.reverse ? c.tgtRaw : c.srcRaw;
      const tgtKey = c.reverse ? c.srcRaw : c.tgtRaw;
      if (src === tgt) {
        box.problem(line, headerAt(L, L.idx.target), selfMessage(c.srcRaw));
        continue;
      }
      if (c.group !== null) {
        const dependent = dependents.get(c.type) ?? unknownRelType(c.type).dependent;
        const p = checkGroup(groups, L, {
          group: c.group,
          type: c.type,
          minUp: c.minUp,
          depId: dependent === 'source' ? src : tgt,
          depKey: dependent === 'source' ? srcKey : tgtKey,
          line,
        });
        if (p) {
          box.problem(line, p.column, p.message, p.whole);
          continue;
        }
      }
      box.planned(line, src, tgt, c);
    }
  }
  box.flush();
  trace(`relationships planned (${Math.round(box.waited)} ms waiting for the import thread)`);
  scratch.close();
  send({
    type: 'end',
    digest: csv.digest(),
    bytesRead: csv.bytesRead(),
    namesDeleted,
    typeCounts: relTypes.counts(),
    unnamedWithData: csv.unnamedWithData(),
  });
}

/** The planned rows on their way to the import thread, BATCH to a message, no further ahead than `ahead` allows. */
class Outbox {
  out = fresh();
  /** The row being filled in. */
  n = 0;
  /** ms spent waiting for the import thread to take rows. */
  waited = 0;
  private readonly typeIds = new Map<string, number>();
  private readonly newTypes: string[] = [];

  constructor(
    private readonly csv: OpenedCsv,
    private readonly hasGroups: boolean,
    private readonly hasAttrs: boolean,
    private readonly ahead: Backlog,
  ) {}

  /** A relationship type's number (its name goes with the next message the first time). */
  typeIndex(t: string): number {
    let i = this.typeIds.get(t);
    if (i === undefined) {
      i = this.typeIds.size;
      if (i >= NO_TYPE) throw new Error('more than 65,535 relationship types');
      this.typeIds.set(t, i);
      this.newTypes.push(t);
    }
    return i;
  }

  /** Row n is filled in. */
  next(): void {
    if (++this.n === BATCH) this.flush();
  }

  /** A row planned: its line, the ids of its ends, and what the checks read of it. */
  planned(line: number, src: number, tgt: number, c: { minUp: number | null; type: string; group: string | null; attrs: unknown }): void {
    const { out, n } = this;
    out.lines[n] = line;
    out.ends[2 * n] = src;
    out.ends[2 * n + 1] = tgt;
    out.minUps[n] = c.minUp ?? 0;
    out.typeIdx[n] = this.typeIndex(c.type);
    out.groups.push(c.group);
    if (this.hasAttrs) out.attrs.push(JSON.stringify(c.attrs));
    this.next();
  }

  /** `whole`: the problem refuses the import as a whole (RowProblem.whole). */
  problem(line: number, column: string | null, message: string, whole = false): void {
    const { out, n } = this;
    out.lines[n] = line;
    out.typeIdx[n] = NO_TYPE;
    out.groups.push(null);
    if (this.hasAttrs) out.attrs.push(null);
    out.problems.push([n, column, message, whole]);
    this.next();
  }

  flush(): void {
    const { out, n } = this;
    if (n === 0) return;
    const rows: PlannedRows = {
      type: 'rows',
      lines: out.lines.slice(0, n),
      ends: out.ends.slice(0, 2 * n),
      minUps: out.minUps.slice(0, n),
      typeIdx: out.typeIdx.slice(0, n),
      newTypes: this.newTypes.splice(0),
      groups: this.hasGroups ? out.groups.take() : null,
      attrs: this.hasAttrs ? out.attrs.take() : null,
      problems: out.problems,
      bytesRead: this.csv.bytesRead(),
    };
    const packedBytes = (p: Packed | null) => (p ? p.lens.byteLength + p.text.length : 0);
    const bytes =
      rows.lines.byteLength +
      rows.ends.byteLength +
      rows.minUps.byteLength +
      rows.typeIdx.byteLength +
      packedBytes(rows.groups) +
      packedBytes(rows.attrs) +
      rows.problems.reduce((b, [, , message]) => b + 64 + message.length, 0);
    // (The typed arrays are moved, not copied: they are empty here after the send.)
    send(rows, [rows.lines.buffer, rows.ends.buffer, rows.minUps.buffer, rows.typeIdx.buffer] as ArrayBuffer[]);
    this.ahead.sent(n, bytes);
    this.out = fresh();
    this.n = 0;
    // Wait while too far ahead of the import thread (its rows would pile up in memory).
    for (let taken = Atomics.load(consumed, 0); this.ahead.over(taken); taken = Atomics.load(consumed, 0)) {
      const w0 = performance.now();
      Atomics.wait(consumed, 0, taken, 1000);
      this.waited += performance.now() - w0;
    }
  }
}

function fresh() {
  return {
    lines: new Int32Array(BATCH),
    ends: new Int32Array(2 * BATCH),
    minUps: new Int32Array(BATCH),
    typeIdx: new Uint16Array(BATCH),
    groups: new Packer(),
    attrs: new Packer(),
    problems: [] as PlannedRows['problems'],
  };
}

plan(data).catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
