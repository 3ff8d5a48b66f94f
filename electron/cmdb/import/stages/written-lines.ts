/**
 * The file line each relationship this import wrote came from, by the relationship's id: a later row repeating
 * one is then told the line it repeats, also in a bulk load, where rows are written in another order than the
 * file's (bulk/sorted-rels.ts). An import's new ids follow one another from the first, so the lines are kept in
 * a typed array from that id on: 4 bytes a relationship.
 */
export class WrittenLines {
  private lines = new Int32Array(1024);
  private base = -1;

  /** Relationship `id` was written from `line`. */
  set(id: number, line: number): void {
    if (this.base < 0) this.base = id;
    const i = id - this.base;
    if (i < 0) return; // not after the first (another connection's write): not kept
    if (i >= this.lines.length) {
      let size = this.lines.length * 2;
      while (size <= i) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[i] = line;
  }

  /** The line relationship `id` was written from, or 0 when this import did not write it. */
  get(id: number): number {
    const i = id - this.base;
    return this.base < 0 || i < 0 || i >= this.lines.length ? 0 : this.lines[i]!;
  }
}
