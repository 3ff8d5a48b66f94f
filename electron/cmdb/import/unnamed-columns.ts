/**
 * Columns without a header name. A spreadsheet writes them for empty columns beside its data, and for a column
 * under a merged heading (Excel's "Standort" over the rack and the room): the second holds data, kept as an
 * attribute under the name Excel gives such a column when it makes a table (`Column4`), so a mapping or a profile
 * can name it and a weekly sync finds it under the same name. A column that holds no value is ignored, as before.
 */
import type { ScanItem } from './csv-reader.js';

export class UnnamedColumns {
  /** Indexes (from 0) of the columns without a header name. */
  private readonly columns: number[];
  /** Of those, the ones given a name (none when the header row is a title line: its columns stay unnamed). */
  private readonly names = new Map<number, string>();
  /** The columns given a name another column already had (case ignored): the name they were given instead. */
  private readonly clashes = new Map<number, string>();
  private readonly seen = new Set<number>();
  /** Every row was read (a preview reads the first ones only). */
  complete = false;

  constructor(
    private readonly file: string,
    headers: readonly string[],
  ) {
    this.columns = headers.flatMap((h, i) => (h === '' ? [i] : []));
  }

  /**
   * Names the columns in `headers` (in place), unless the header row names its first column only (a title line).
   * The first column is never named: a merged heading has a named column on its left, and a first column without a
   * name is a row number (pandas' `to_csv`, R's `write.csv`), which kept as an attribute would change on every row
   * each time the rows are listed in another order (found by a reviewer).
   */
  name(headers: string[], titleLine: boolean): void {
    if (titleLine) return;
    const taken = new Set(headers.map((h) => h.toLowerCase()));
    for (const i of this.columns) {
      if (i === 0) continue;
      const base = `Column${i + 1}`;
      let name = base;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
      if (name !== base) this.clashes.set(i, base);
      taken.add(name.toLowerCase());
      this.names.set(i, name);
      headers[i] = name;
    }
  }

  /** Notes the named columns in which a row holds a value. */
  scan(batch: readonly ScanItem[]): void {
    if (this.seen.size === this.names.size) return;
    for (const item of batch) {
      const v = item.values;
      if (v === undefined) continue;
      for (const i of this.names.keys()) if (!this.seen.has(i) && (v[i] ?? '').trim() !== '') this.seen.add(i);
    }
  }

  /** The named columns in which a row read holds a value. */
  withData(): number[] {
    return [...this.seen];
  }

  /**
   * The columns without a name that no attribute keeps, as far as the rows read tell: those not named (the first,
   * all under a title line), ignored whatever they hold, and those without a value so far. A preview's wizard lists
   * the file's other columns as kept (found by a tester: it listed a title line's empty names, which a note ignores).
   */
  unkept(): number[] {
    return this.columns.filter((i) => !this.seen.has(i));
  }

  /** What became of each column without a name; `seenElsewhere`: the columns with a value in rows read elsewhere, all of them. */
  notes(seenElsewhere?: readonly number[]): string[] {
    if (this.columns.length === 0) return [];
    const held = new Set([...this.seen, ...(seenElsewhere ?? [])]);
    const complete = this.complete || seenElsewhere !== undefined;
    const kept = this.columns.filter((i) => held.has(i));
    // Columns not named (the first, or all under a title line) are ignored whatever they hold; a named one without a
    // value is ignored once every row was read, else a value further down would still be kept.
    const ignored = this.columns.filter((i) => !held.has(i) && (complete || !this.names.has(i)));
    const pending = this.columns.filter((i) => !held.has(i) && !complete && this.names.has(i));
    const out: string[] = [];
    const cols = (l: number[]) => `column${l.length === 1 ? '' : 's'} ${l.map((i) => i + 1).join(', ')}`;
    const { file } = this;
    if (kept.length > 0) {
      const one = kept.length === 1;
      const names = kept
        .map((i) => `${this.names.get(i)}${this.clashes.has(i) ? ` (another column is named ${this.clashes.get(i)})` : ''}`)
        .join(', ');
      out.push(
        `${file}: ${cols(kept)} ${one ? 'has' : 'have'} no header name but ${one ? 'holds' : 'hold'} values, kept under the name${one ? '' : 's'} ${names}, as Excel names such a column in a table: a mapping can name ${one ? 'it' : 'them'} so. To give ${one ? 'it a name' : 'them names'} of your own, write ${one ? 'a header' : 'headers'} above ${one ? 'it' : 'them'} in the file.`,
      );
    }
    if (ignored.length > 0) {
      const one = ignored.length === 1;
      out.push(`${file}: ${cols(ignored)} ${one ? 'has' : 'have'} no header name; ${one ? 'its' : 'their'} values are ignored.`);
    }
    if (pending.length > 0) {
      const one = pending.length === 1;
      out.push(
        `${file}: ${cols(pending)} ${one ? 'has' : 'have'} no header name and no value in the rows read; a value further down is kept under the name ${pending.map((i) => this.names.get(i)!).join(', ')}.`,
      );
    }
    return out;
  }
}
