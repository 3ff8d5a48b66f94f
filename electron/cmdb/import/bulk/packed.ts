/**
 * Strings sent between the import's threads packed into one string and
 * their lengths, instead of as arrays of strings: a message then costs one
 * copy of its text rather than one serialised object per value (millions
 * of them in a bulk load).
 */

/** Packed strings: `text` holds them end to end; `lens[i]` is the length of the i-th, or -1 for null. */
export interface Packed {
  text: string;
  lens: Int32Array;
}

export class Packer {
  private parts: string[] = [];
  private lens: number[] = [];

  get size(): number {
    return this.lens.length;
  }

  push(s: string | null): void {
    if (s === null) this.lens.push(-1);
    else {
      this.parts.push(s);
      this.lens.push(s.length);
    }
  }

  /** The packed strings so far; the packer starts over. */
  take(): Packed {
    const p = { text: this.parts.join(''), lens: Int32Array.from(this.lens) };
    this.parts = [];
    this.lens = [];
    return p;
  }
}

/** Reads packed strings back in order. */
export class Unpacker {
  private i = 0;
  private at = 0;

  constructor(private readonly p: Packed) {}

  next(): string | null {
    const len = this.p.lens[this.i++]!;
    if (len < 0) return null;
    const s = this.p.text.slice(this.at, this.at + len);
    this.at += len;
    return s;
  }
}
