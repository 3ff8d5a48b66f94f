/**
 * The relationships a CMDB holds, read once for a re-import whose file
 * lists many of them: each one's id by its endpoints and type, and whether
 * it is plain (no redundancy group, no min_up, no attributes). A plain row
 * of the file that finds a plain stored relationship is unchanged without
 * reading that relationship back; anything else is read back as before.
 *
 * They are kept in id order, which is the order a re-import of the same
 * export lists them in: a row that is the next stored relationship takes it
 * without a look-up. Any other row is looked up in an open-addressing hash
 * table (built at the first such row, 16 bytes a relationship), and the
 * next rows are tried after the one it found. Typed arrays throughout:
 * nothing for the garbage collector.
 */
import type { Db } from '../../db.js';
import type { SeenRows } from './seen.js';

/** The bytes of a relationships row, about (two endpoints each). */
export const REL_ROW_BYTES = 50;

/** Whether a relationships file of relsBytes lists enough of storedCount stored relationships to read them all once. */
export function readsAllStored(relsBytes: number, storedCount: number): boolean {
  return relsBytes / REL_ROW_BYTES > storedCount / 2;
}

/**
 * Whether a relationships file of relsBytes looks up more endpoints than the CMDB has CIs (ciCount), so that reading
 * every CI's key once costs less than a look-up per endpoint (relationships.ts keyLookup; a re-import's planner,
 * which reads them all before it plans a row, bulk/helpers.ts).
 */
export function readsAllKeys(relsBytes: number, ciCount: number): boolean {
  return (2 * relsBytes) / REL_ROW_BYTES > ciCount;
}

/** Relationship ids read per query. */
const CHUNK = 65_536;

/** StoredRels as a message between threads (its arrays are moved, not copied). */
export interface StoredRelsData {
  n: number;
  src: Int32Array;
  tgt: Int32Array;
  typ: Int32Array;
  ids: Int32Array;
  slots: Int32Array | null;
  /** The type names, numbered from 1. */
  types: string[];
}

export class StoredRels {
  /** The relationships in id order (n of them): endpoints, type number, and id, negated when not plain. */
  private n = 0;
  private readonly src: Int32Array;
  private readonly tgt: Int32Array;
  private readonly typ: Int32Array;
  private readonly ids: Int32Array;
  /** The one a row is compared with first: the one after the last found. */
  private next = 0;
  /** Open addressing, linear probing: position + 1, or 0 for free; made at the first row out of order. */
  private slots: Int32Array | null = null;
  private readonly typeIdx = new Map<string, number>();

  private constructor(count: number, from?: StoredRelsData) {
    this.src = from?.src ?? new Int32Array(count);
    this.tgt = from?.tgt ?? new Int32Array(count);
    this.typ = from?.typ ?? new Int32Array(count);
    this.ids = from?.ids ?? new Int32Array(count);
    if (from) {
      this.n = from.n;
      this.slots = from.slots;
      from.types.forEach((t) => this.typeOf(t, true));
    }
  }

  /**
   * For another thread: the relationship planner of a re-import reads them on its core while this one does the
   * CIs (rel-planner-worker.ts), with the look-up table made, and hands them over. This object is unusable after.
   */
  transfer(): { data: StoredRelsData; buffers: ArrayBuffer[] } {
    this.slots ??= this.hashAll();
    const data: StoredRelsData = {
      n: this.n,
      src: this.src,
      tgt: this.tgt,
      typ: this.typ,
      ids: this.ids,
      slots: this.slots,
      types: [...this.typeIdx.keys()],
    };
    const buffers = [this.src, this.tgt, this.typ, this.ids, this.slots].map((a) => a.buffer as ArrayBuffer);
    return { data, buffers };
  }

  /** What transfer() handed over, as it was. */
  static from(data: StoredRelsData): StoredRels {
    return new StoredRels(data.n, data);
  }

  /**
   * Reads every relationship; null when an id does not fit 31 bits (the importer then reads each back).
   * The rows come as one text of numbers per CHUNK ids (group_concat): a row handed to JavaScript as an
   * array costs several times what SQLite takes to read it.
   */
  static read(db: Db): StoredRels | null {
    const { n, maxId } = db
      .prepare('SELECT count(*) AS n, max(coalesce(max(id), 0), (SELECT coalesce(max(id), 0) FROM cis)) AS maxId FROM relationships')
      .get() as { n: number; maxId: number };
    if (maxId >= 2 ** 31) return null;
    const s = new StoredRels(n);
    const types = db.prepare('SELECT DISTINCT name FROM rel_types').pluck().all() as string[];
    types.forEach((t) => s.typeOf(t, true));
    // A type missing from the registry (foreign keys were off once) numbers -1: never plain, read back.
    const typeCase = `CASE type ${types.map((_, i) => `WHEN ? THEN ${i + 1}`).join(' ')} ELSE -1 END`;
    const chunk = db
      .prepare(
        `SELECT group_concat(id || ',' || source_id || ',' || target_id || ',' || ${typeCase} || ',' ||
           (redundancy_group IS NULL AND min_up IS NULL AND attributes = '{}'), ',')
         FROM relationships WHERE id BETWEEN ? AND ?`,
      )
      .pluck();
    for (let from = 0; from <= maxId; from += CHUNK) {
      const text = chunk.get(...types, from, from + CHUNK - 1) as string | null;
      if (text !== null) s.load(text);
    }
    return s;
  }

  /** Adds the rows of one chunk: id, source, target, type number, plain (1 or 0), comma-separated. */
  private load(text: string): void {
    const f = [0, 0, 0, 0, 0];
    let k = 0;
    let v = 0;
    let neg = false;
    for (let p = 0; p <= text.length; p++) {
      const c = p < text.length ? text.charCodeAt(p) : 44;
      if (c === 45) neg = true;
      else if (c !== 44) v = v * 10 + (c - 48);
      else {
        f[k++] = neg ? -v : v;
        v = 0;
        neg = false;
        if (k === 5) {
          k = 0;
          // (None is added after the count was read: the import holds the write lock.)
          const i = this.n++;
          const t = f[3]!;
          this.src[i] = f[1]!;
          this.tgt[i] = f[2]!;
          this.typ[i] = t;
          this.ids[i] = f[4] === 1 && t > 0 ? f[0]! : -f[0]!;
        }
      }
    }
  }

  /** The ids of the stored relationships the file did not list (`seen`), in id order. */
  unlisted(seen: SeenRows): number[] {
    const out: number[] = [];
    for (let at = 0; at < this.n; at++) {
      const id = Math.abs(this.ids[at]!);
      if (!seen.has(id)) out.push(id);
    }
    return out;
  }

  /** A type's number (from 1); 0 for a type no stored relationship has, unless `add`. */
  private typeOf(type: string, add = false): number {
    let t = this.typeIdx.get(type);
    if (t === undefined) {
      if (!add) return 0;
      this.typeIdx.set(type, (t = this.typeIdx.size + 1));
    }
    return t;
  }

  /** The id of a plain stored relationship with these endpoints and type; null when there is none or it is not plain. */
  plainId(src: number, tgt: number, type: string): number | null {
    const t = this.typeOf(type);
    if (t === 0) return null;
    let at = this.next;
    if (at >= this.n || this.src[at] !== src || this.tgt[at] !== tgt || this.typ[at] !== t) {
      at = this.find(src, tgt, t);
      if (at < 0) return null; // a new relationship: the next stored one is still the next
    }
    this.next = at + 1;
    const id = this.ids[at]!;
    return id > 0 ? id : null;
  }

  /** The position of the relationship with these endpoints and type, or -1. */
  private find(src: number, tgt: number, t: number): number {
    const slots = (this.slots ??= this.hashAll());
    const mask = slots.length - 1;
    for (let i = StoredRels.hash(src, tgt, t) & mask; ; i = (i + 1) & mask) {
      const at = slots[i]! - 1;
      if (at < 0) return -1;
      if (this.src[at] === src && this.tgt[at] === tgt && this.typ[at] === t) return at;
    }
  }

  private hashAll(): Int32Array {
    let cap = 1024;
    while (cap < this.n * 2) cap *= 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let at = 0; at < this.n; at++) {
      let i = StoredRels.hash(this.src[at]!, this.tgt[at]!, this.typ[at]!) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = at + 1;
    }
    return slots;
  }

  private static hash(src: number, tgt: number, t: number): number {
    const h = Math.imul(src, 0x9e3779b1) ^ Math.imul(tgt + t, 0x85ebca6b);
    return h ^ (h >>> 15);
  }
}
