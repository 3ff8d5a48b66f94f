/**
 * A bulk load's relationships, written in the order of their unique index
 * (source, target, type) instead of the file's. In the file's order each
 * row goes to another page of that index (a real export lists its
 * relationships by record id, in no useful order), and keeping the index
 * costs the load more than writing the rows; in the index's order each row
 * goes after the last. The relationships' ids follow the order they are
 * written in, so in a bulk load they number the relationships by source,
 * target and type (chunk by chunk), not by line.
 *
 * The rows are held (typed arrays, MAX_HELD at most) and written when
 * flush() is called: at the end of the file, before a row error is
 * reported, and when MAX_HELD are held. A held row that repeats an earlier
 * one (same source, target and type) is a duplicate, the earliest line
 * standing, as when the rows are written in file order; the duplicates of
 * a flush are reported in line order before the flush returns, so that row
 * errors still come in line order.
 */
import type { BatchedInsert } from './batched-insert.js';

/** The most rows held before they are written (about 40 bytes each with the sort, and their group and attributes): 20 MB. */
const MAX_HELD = 1 << 19;
/** Rows with one source sorted by insertion up to this many, by the engine's sort beyond. */
const INSERTION_SORT = 16;

export type DuplicateReport = (line: number, src: number, type: string, tgt: number) => void;

export class SortedRels {
  private n = 0;
  private src = new Int32Array(1024);
  private tgt = new Int32Array(1024);
  private typ = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private minUps = new Int32Array(1024);
  private groups: Array<string | null> = [];
  private attrs: Array<string | null> = [];
  private readonly typeIds = new Map<string, number>();
  private readonly types: string[] = [];
  /** The duplicates found by this flush: line, source, target, type. */
  private dupes: Array<[number, number, number, string]> = [];

  /**
   * batch: writes the rows (source id, target id, type, group, min_up, attributes JSON or null), its item
   * the row's line; its duplicate callback must call duplicate(). report: a duplicate row's error.
   */
  constructor(
    private readonly batch: BatchedInsert<number>,
    private readonly report: DuplicateReport,
    private readonly maxHeld = MAX_HELD,
  ) {}

  /** Holds a row to write; minUp null for none, attrsJson null for none. */
  add(line: number, src: number, tgt: number, type: string, group: string | null, minUp: number | null, attrsJson: string | null): void {
    if (this.n === this.src.length) this.grow();
    const i = this.n++;
    let t = this.typeIds.get(type);
    if (t === undefined) {
      t = this.types.length;
      this.typeIds.set(type, t);
      this.types.push(type);
    }
    this.src[i] = src;
    this.tgt[i] = tgt;
    this.typ[i] = t;
    this.lines[i] = line;
    this.minUps[i] = minUp ?? 0;
    this.groups.push(group);
    this.attrs.push(attrsJson);
    if (this.n >= this.maxHeld) this.flush();
  }

  /** The batch's duplicate callback: a held row repeating a relationship written before this flush. */
  duplicate(line: number, row: unknown[]): void {
    this.dupes.push([line, row[0] as number, row[1] as number, row[2] as string]);
  }

  /** Writes the held rows in index order, then reports the duplicates among them in line order. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const { src, tgt, typ, types, batch } = this;
    const order = this.sorted();
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (prev >= 0 && src[i] === src[prev] && tgt[i] === tgt[prev] && typ[i] === typ[prev]) {
        this.dupes.push([this.lines[i]!, src[i]!, tgt[i]!, types[typ[i]!]!]);
        continue;
      }
      prev = i;
      const minUp = this.minUps[i]!;
      batch.params.push(src[i], tgt[i], types[typ[i]!], this.groups[i], minUp === 0 ? null : minUp, this.attrs[i]);
      batch.add(this.lines[i]!);
    }
    batch.flush();
    this.n = 0;
    this.groups = [];
    this.attrs = [];
    const dupes = this.dupes.sort((a, b) => a[0] - b[0]);
    this.dupes = [];
    for (const [line, s, t, type] of dupes) this.report(line, s, type, t);
  }

  /** The held rows' indexes by source, target and type; rows alike stay in line order (so the first line stands). */
  private sorted(): Int32Array {
    const { n, src, tgt, typ } = this;
    let lo = src[0]!;
    let hi = lo;
    for (let i = 1; i < n; i++) {
      const s = src[i]!;
      if (s < lo) lo = s;
      else if (s > hi) hi = s;
    }
    // Types in the index's (binary) order of their names.
    const rank = new Int32Array(this.types.length);
    [...this.types.keys()].sort((a, b) => (this.types[a]! < this.types[b]! ? -1 : 1)).forEach((t, r) => (rank[t] = r));
    const byRest = (a: number, b: number) => tgt[a]! - tgt[b]! || rank[typ[a]!]! - rank[typ[b]!]! || a - b;
    if (hi - lo > 4 * n + 1_000_000) return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => src[a]! - src[b]! || byRest(a, b));
    // Counting sort by source (stable: line order within a source), then each source's rows by target and type.
    const starts = new Int32Array(hi - lo + 2);
    for (let i = 0; i < n; i++) starts[src[i]! - lo + 1]!++;
    for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[starts[src[i]! - lo]!++] = i;
    for (let s = 0; s < n;) {
      let e = s + 1;
      while (e < n && src[order[e]!] === src[order[s]!]) e++;
      if (e - s > INSERTION_SORT) order.subarray(s, e).sort(byRest);
      else
        for (let k = s + 1; k < e; k++) {
          const x = order[k]!;
          let j = k - 1;
          while (j >= s && byRest(order[j]!, x) > 0) {
            order[j + 1] = order[j]!;
            j--;
          }
          order[j + 1] = x;
        }
      s = e;
    }
    return order;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.src = grown(this.src);
    this.tgt = grown(this.tgt);
    this.typ = grown(this.typ);
    this.lines = grown(this.lines);
    this.minUps = grown(this.minUps);
  }
}
