/**
 * CI keys to ids for the relationship planner: a million keys, looked up
 * millions of times, without a million-entry Map. The keys stay in the
 * packed texts they arrived in (one string per message); an open-addressing
 * table of typed arrays points at them. Beside a `Map<string, number>` this
 * holds about a third of the memory, makes no string per key, and gives the
 * garbage collector almost nothing to trace.
 */
import type { Db } from '../../db.js';
import { type Packed, Packer } from './packed.js';

/** FNV-1a over the string's UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A UTF-16 code unit with ASCII A-Z lower-cased: SQLite's NOCASE folds those alone, and so does caseTwin. */
const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** FNV-1a over the string's code units, ASCII case folded. */
function foldedHashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ fold(s.charCodeAt(i)), 0x01000193);
  return h | 0;
}

/** Keys read from the CMDB per query, and the separators between a chunk's records and within one. */
const CHUNK = 65_536;
const RS = '\x1e';
const US_CODE = 0x1f;

export class KeyIndex {
  private texts: string[] = [];
  /** Per entry: its hash, which text holds its key, where, how long, and its id. */
  private hash = new Int32Array(1024);
  private text = new Int32Array(1024);
  private at = new Int32Array(1024);
  private len = new Int32Array(1024);
  private ids = new Int32Array(1024);
  private n = 0;
  /** Open addressing, linear probing: entry number + 1, or 0 for free. Never more than half full. */
  private slots = new Int32Array(2048);

  /**
   * For caseTwin, built at its first call and extended to keys added since: each entry's hash with ASCII case
   * folded, and a table of its own over them. Only a key no CI has is asked about (its error message), so a
   * table that is never asked for costs nothing.
   */
  private foldHash: Int32Array | null = null;
  private foldSlots = new Int32Array(0);
  /** Entries whose folded hash is computed, and those in foldSlots. */
  private hashed = 0;
  private placed = 0;

  get size(): number {
    return this.n;
  }

  /** A key added that differs from `key` only in ASCII case (`SRV-3` for `srv-3`), or undefined. */
  caseTwin(key: string): string | undefined {
    this.foldNew();
    const h = foldedHashOf(key);
    const mask = this.foldSlots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.foldSlots[s]! - 1;
      if (e < 0) return undefined;
      if (this.foldHash![e] !== h || this.len[e] !== key.length) continue;
      const text = this.texts[this.text[e]!]!;
      const at = this.at[e]!;
      let same = true;
      let exact = true;
      for (let i = 0; i < key.length && same; i++) {
        const a = text.charCodeAt(at + i);
        const b = key.charCodeAt(i);
        if (a !== b) exact = false;
        same = fold(a) === fold(b);
      }
      if (same && !exact) return text.slice(at, at + key.length);
    }
  }

  /** The folded table brought up to every key added. */
  private foldNew(): void {
    if (this.foldHash !== null && this.placed === this.n) return;
    if (this.foldHash === null || this.foldHash.length < this.n) {
      const grown = new Int32Array(this.hash.length);
      if (this.foldHash) grown.set(this.foldHash.subarray(0, this.hashed));
      this.foldHash = grown;
    }
    for (let e = this.hashed; e < this.n; e++) {
      const text = this.texts[this.text[e]!]!;
      const end = this.at[e]! + this.len[e]!;
      let h = 0x811c9dc5;
      for (let i = this.at[e]!; i < end; i++) h = Math.imul(h ^ fold(text.charCodeAt(i)), 0x01000193);
      this.foldHash[e] = h | 0;
    }
    this.hashed = this.n;
    if (this.foldSlots.length === 0 || this.foldSlots.length < 2 * this.n) {
      let size = Math.max(1024, this.foldSlots.length);
      while (size < 2 * this.n) size *= 2;
      this.foldSlots = new Int32Array(size);
      this.placed = 0; // each placed again in the bigger table
    }
    const mask = this.foldSlots.length - 1;
    for (let e = this.placed; e < this.n; e++) {
      let s = this.foldHash[e]! & mask;
      while (this.foldSlots[s] !== 0) s = (s + 1) & mask;
      this.foldSlots[s] = e + 1;
    }
    this.placed = this.n;
  }

  /** Adds the packed keys (no nulls) with their ids. A key added twice keeps its first id. */
  addPacked(keys: Packed, ids: Int32Array): void {
    const t = this.texts.length;
    this.texts.push(keys.text);
    let at = 0;
    for (let k = 0; k < ids.length; k++) {
      const len = keys.lens[k]!;
      if (len < 0) throw new Error('KeyIndex: a null key');
      this.insert(keys.text, t, at, len, ids[k]!);
      at += len;
    }
  }

  /** The id of the key, or undefined. */
  get(key: string): number | undefined {
    const h = hashOf(key);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return undefined;
      if (this.hash[e] === h && this.len[e] === key.length && this.texts[this.text[e]!]!.startsWith(key, this.at[e])) return this.ids[e];
    }
  }

  /**
   * Adds every CI the CMDB holds, key to id. SQLite hands them over CHUNK at a time as one text,
   * `id<US>key<RS>id<US>key...`, which stays in `texts`: a row handed to JavaScript as an array costs
   * several times what SQLite takes to read it (98,125 keys, read alone: 71-145 ms this way, 144-272 ms row by
   * row; tests/bench/RESULTS.md). A
   * chunk with a key that holds the record separator itself is read again row by row.
   */
  addCis(db: Db): void {
    const chunk = db.prepare(
      `SELECT count(*) AS n, max(id) AS last, group_concat(id || char(31) || key, char(30)) AS text
         FROM (SELECT id, key FROM cis WHERE id > ? ORDER BY id LIMIT ${CHUNK})`,
    );
    const rows = db.prepare(`SELECT key, id FROM cis WHERE id > ? ORDER BY id LIMIT ${CHUNK}`).raw();
    for (let after = -1; ;) {
      const c = chunk.get(after) as { n: number; last: number | null; text: string | null };
      if (c.n === 0 || c.last === null || c.text === null) return;
      if (!this.addDelimited(c.text, c.n)) {
        const packer = new Packer();
        const ids: number[] = [];
        for (const [key, id] of rows.iterate(after) as IterableIterator<[string, number]>) {
          packer.push(key);
          ids.push(id);
        }
        this.addPacked(packer.take(), Int32Array.from(ids));
      }
      after = c.last;
    }
  }

  /** Adds `n` records of `id<US>key` between record separators; false, adding nothing, when the text holds another number of them. */
  private addDelimited(text: string, n: number): boolean {
    let records = 1;
    for (let p = text.indexOf(RS); p >= 0; p = text.indexOf(RS, p + 1)) records++;
    if (records !== n) return false;
    const t = this.texts.length;
    this.texts.push(text);
    for (let p = 0; p < text.length;) {
      let id = 0;
      let c = text.charCodeAt(p);
      while (c !== US_CODE && p < text.length) {
        id = id * 10 + (c - 48);
        c = text.charCodeAt(++p);
      }
      const at = p + 1;
      let end = text.indexOf(RS, at);
      if (end < 0) end = text.length;
      this.insert(text, t, at, end - at, id);
      p = end + 1;
    }
    return true;
  }

  private insert(text: string, t: number, at: number, len: number, id: number): void {
    let h = 0x811c9dc5;
    for (let i = at; i < at + len; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h |= 0;
    if (this.n === this.hash.length) this.growEntries();
    if (2 * (this.n + 1) > this.slots.length) this.growSlots();
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (let e = this.slots[s]! - 1; e >= 0; s = (s + 1) & mask, e = this.slots[s]! - 1)
      if (this.hash[e] === h && this.len[e] === len && this.sameKey(e, text, at, len)) return;
    const e = this.n++;
    this.hash[e] = h;
    this.text[e] = t;
    this.at[e] = at;
    this.len[e] = len;
    this.ids[e] = id;
    this.slots[s] = e + 1;
  }

  private sameKey(e: number, text: string, at: number, len: number): boolean {
    const other = this.texts[this.text[e]!]!;
    const from = this.at[e]!;
    for (let i = 0; i < len; i++) if (other.charCodeAt(from + i) !== text.charCodeAt(at + i)) return false;
    return true;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.hash[e]! & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hash = grow(this.hash);
    this.text = grow(this.text);
    this.at = grow(this.at);
    this.len = grow(this.len);
    this.ids = grow(this.ids);
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let e = 0; e < this.n; e++) this.place(e);
  }
}
