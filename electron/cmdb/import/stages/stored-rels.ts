/**
 * The relationships a CMDB holds, read once for a re-import whose file
 * lists many of them: each one's id by its endpoints and type, and whether
 * it is plain (no redundancy group, no min_up, no attributes). A plain row
 * of the file that finds a plain stored relationship is unchanged without
 * reading that relationship back; anything else is read back as before.
 * An open-addressing hash table in typed arrays: 16 bytes a relationship,
 * nothing for the garbage collector.
 */
import type { Db } from '../../db.js';

/** The bytes of a relationships row, about (two endpoints each). */
export const REL_ROW_BYTES = 50;

/** Whether a relationships file of relsBytes lists enough of storedCount stored relationships to read them all once. */
export function readsAllStored(relsBytes: number, storedCount: number): boolean {
  return relsBytes / REL_ROW_BYTES > storedCount / 2;
}

/** Relationship ids read per query. */
const CHUNK = 65_536;

export class StoredRels {
  private readonly mask: number;
  private readonly src: Int32Array;
  private readonly tgt: Int32Array;
  private readonly typ: Int32Array;
  /** The relationship's id, negated when it is not plain; 0 for an empty slot. */
  private readonly ids: Int32Array;
  private readonly typeIdx = new Map<string, number>();

  private constructor(count: number) {
    let cap = 1024;
    while (cap < count * 2) cap *= 2;
    this.mask = cap - 1;
    this.src = new Int32Array(cap);
    this.tgt = new Int32Array(cap);
    this.typ = new Int32Array(cap);
    this.ids = new Int32Array(cap);
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
          const id = f[0]!;
          const src = f[1]!;
          const tgt = f[2]!;
          const t = f[3]!;
          const plain = f[4]!;
          const i = this.slot(src, tgt, t);
          this.src[i] = src;
          this.tgt[i] = tgt;
          this.typ[i] = t;
          this.ids[i] = plain === 1 && t > 0 ? id : -id;
        }
      }
    }
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

  /** The slot holding these endpoints and type, or the empty slot where they would go. */
  private slot(src: number, tgt: number, t: number): number {
    let h = Math.imul(src, 0x9e3779b1) ^ Math.imul(tgt + t, 0x85ebca6b);
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.ids[i] !== 0 && (this.src[i] !== src || this.tgt[i] !== tgt || this.typ[i] !== t)) i = (i + 1) & this.mask;
    return i;
  }

  /** The id of a plain stored relationship with these endpoints and type; null when there is none or it is not plain. */
  plainId(src: number, tgt: number, type: string): number | null {
    const t = this.typeOf(type);
    if (t === 0) return null;
    const id = this.ids[this.slot(src, tgt, t)]!;
    return id > 0 ? id : null;
  }
}
