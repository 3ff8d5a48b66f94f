/**
 * What one of the import's threads has sent another and the other has not
 * yet taken, in rows and in bytes. A sender that runs ahead keeps the
 * receiver from ever waiting (the import's threads share two cores, and a
 * thread that waits wastes one), but what it runs ahead with is held in
 * memory: the backlog is bounded by both a row count and a byte count, so
 * wide rows (long descriptions, many attributes) cannot hold more than
 * narrow ones would.
 */
export class Backlog {
  private rows = 0;
  private bytes = 0;
  /** Per message not yet wholly taken: the rows and bytes sent up to and including it. */
  private marks: Array<{ rows: number; bytes: number }> = [];
  private head = 0;
  private bytesTaken = 0;

  constructor(
    readonly maxRows: number,
    readonly maxBytes: number,
  ) {}

  /** A message of `rows` rows, about `bytes` bytes, was sent. */
  sent(rows: number, bytes: number): void {
    this.rows += rows;
    this.bytes += bytes;
    this.marks.push({ rows: this.rows, bytes: this.bytes });
  }

  /** Whether the sender is past either bound, once the receiver has taken `taken` rows. */
  over(taken: number): boolean {
    while (this.head < this.marks.length && this.marks[this.head]!.rows <= taken) this.bytesTaken = this.marks[this.head++]!.bytes;
    if (this.head > 1024) {
      this.marks = this.marks.slice(this.head);
      this.head = 0;
    }
    return this.rows - taken > this.maxRows || this.bytes - this.bytesTaken > this.maxBytes;
  }
}
