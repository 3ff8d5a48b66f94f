/**
 * Numbered keys a sheet wrote its own way: a tool's export opened and saved again in a spreadsheet turns the
 * key 1001 into `1,001` (a thousands separator), `1 001` or `1001.0`, and each such row, matching no stored
 * CI by its exact key, would make a new CI beside the one it is, and a sync would retire that one (found by
 * a tester). A row whose key is a number so written, and matches no stored CI, is looked up by its digits
 * (a query for such rows only); when two or more name a stored CI so, the import is refused, nothing
 * written, naming the rows and what to do: write the key column without separators or decimals. One such
 * row goes ahead with a note.
 */
import { CmdbError } from '../../../../shared/errors.js';
import { formatCount } from '../../../../shared/format.js';
import type { Db } from '../../db.js';

/** A number a sheet formatted: digits grouped by commas or spaces, or `.0` after them. */
const FORMATTED = /^\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+(?:\.0+)?$|^\d+\.0+$/;

/** Whether a key is a tool's own number, as it wrote it or as a sheet formatted it (the key-collision check, renames.ts). */
export const isNumberedKey = (key: string) => /^\d+$/.test(key) || FORMATTED.test(key);
/** Rows a message names as examples. */
const EXAMPLES = 2;
/** One row is no pattern: a key `1,5` in a sheet of such keys is its own. */
const REFUSED_FROM = 2;

/** The key as its digits: separators and a trailing `.0` taken off. */
export const keyDigits = (key: string) => key.replace(/[ ,\u00a0\u202f]/g, '').replace(/\.0+$/, '');

export class ReformattedKeys {
  private count = 0;
  private readonly examples: string[] = [];
  private readonly stored: ReturnType<Db['prepare']>;

  constructor(
    db: Db,
    private readonly file: string,
    private readonly keyColumn: string,
  ) {
    this.stored = db.prepare('SELECT name FROM cis WHERE key = ?').pluck();
  }

  /** A row whose key matches no stored CI (it would be created, or skipped as unknown). */
  unmatched(line: number, key: string): void {
    if (!FORMATTED.test(key)) return;
    const digits = keyDigits(key);
    const name = this.stored.get(digits) as string | undefined;
    if (name === undefined) return;
    this.count++;
    if (this.examples.length < EXAMPLES) this.examples.push(`line ${line}: ${JSON.stringify(key)} is the stored CI ${digits}, ${name}`);
  }

  /** After the last row: the refusal when two or more rows are stored CIs' keys written another way; the note for one. */
  end(dryRun: boolean): string | null {
    if (this.count === 0) return null;
    if (this.count < REFUSED_FROM)
      return `${this.file}: 1 row's key (column ${this.keyColumn}) is a stored CI's key written as a spreadsheet formats numbers (${this.examples[0]!}), and ${dryRun ? 'would be' : 'was'} imported as a CI of its own. If it is that CI, ${dryRun ? '' : 'undo this import, '}write the key without separators or decimals and import again.`;
    throw new CmdbError(
      'INVALID_REQUEST',
      `${this.file}: import refused: ${formatCount(this.count)} rows' keys (column ${this.keyColumn}) are stored CIs' keys written as a spreadsheet formats numbers (${this.examples.join('; ')}). Each would make a new CI beside the one it is, and a sync would retire that one. Nothing was imported. Write the key column without separators or decimals (in a spreadsheet, format it as text or as a number without thousands separators) and import again.`,
      { file: this.file, keyColumn: this.keyColumn, rows: this.count },
    );
  }
}
