/**
 * Which stored rows (CIs or relationships, by id) the import's file has
 * listed so far, and on which line: a duplicate row is told from the first,
 * and sync retires what was not listed. Kept in memory, not in a temporary
 * table: a re-import marks every row of the file, and a typed array costs a
 * store where a table costs an insert.
 */

/** Ids below this go in the typed array (4 bytes each, grown as needed); any above, in a Map. */
const DENSE_LIMIT = 1 << 26;

export class SeenRows {
  private lines = new Int32Array(1024);
  private sparse: Map<number, number> | null = null;
  /** How many ids have been listed. */
  size = 0;

  /** Marks id as listed on `line` (a file line, 1 or more). Returns the line it was listed on before, or 0 when this is the first. */
  mark(id: number, line: number): number {
    if (id >= DENSE_LIMIT || id < 0) {
      this.sparse ??= new Map();
      const prev = this.sparse.get(id);
      if (prev !== undefined) return prev;
      this.sparse.set(id, line);
      this.size++;
      return 0;
    }
    if (id >= this.lines.length) {
      let n = this.lines.length;
      while (n <= id) n *= 2;
      const grown = new Int32Array(Math.min(n, DENSE_LIMIT));
      grown.set(this.lines);
      this.lines = grown;
    }
    const prev = this.lines[id]!;
    if (prev === 0) {
      this.lines[id] = line;
      this.size++;
    }
    return prev;
  }

  /** The line id was listed on, or 0 when it has not been. */
  lineOf(id: number): number {
    if (id >= DENSE_LIMIT || id < 0) return this.sparse?.get(id) ?? 0;
    return id < this.lines.length ? this.lines[id]! : 0;
  }

  /** Whether id has been listed. */
  has(id: number): boolean {
    if (id >= DENSE_LIMIT || id < 0) return this.sparse?.has(id) ?? false;
    return id < this.lines.length && this.lines[id] !== 0;
  }
}
