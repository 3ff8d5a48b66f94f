/**
 * The one CSV writer for every file the app writes for people: exports,
 * row-error reports, change reports (Node and the renderer alike). It writes
 * RFC 4180 CSV through PapaParse's `unparse`, and by default guards cells a
 * spreadsheet would run as a formula.
 *
 * The guard follows OWASP's advice on CSV injection: a cell beginning with
 * `=`, `+`, `-`, `@`, a tab, a carriage return or a NUL (which a reader may
 * drop, leaving the `=` first) gets a leading apostrophe (`'=1+1`), which
 * Excel and LibreOffice read as "this is text". That covers negative numbers
 * too (`-5` is written `'-5`): telling a number from a formula would mean
 * parsing as each spreadsheet and locale does, and a simple rule is one a
 * reader can predict. A spreadsheet whose locale separates cells with `;`
 * (German, French, ...) opens this comma file splitting at semicolons, where
 * quotes no longer protect anything, so the same characters right after a
 * `;` (and any quotes) get the apostrophe too: `x;=1+1` is written
 * `x;'=1+1`. So do they after a line break inside a value: such a reader
 * ends the row there, and the next line's first cell starts with what
 * follows (found by a security review). Pass `exact: true` for a file that must read back byte for byte
 * (an export meant for re-import).
 *
 * A safe file (not `exact`) also starts with a UTF-8 byte-order mark: Excel on
 * Windows opens a UTF-8 CSV without one in the system's code page, so `München`
 * would read `MÃ¼nchen`. The importer, LibreOffice, pandas and Python's
 * `utf-8-sig` read the mark as the encoding, not as text. An exact file has
 * none: it is read back by programs, byte for byte.
 */
import Papa from 'papaparse';

/** A cell a spreadsheet would evaluate: one that starts with = + - @, a tab, a CR or a NUL (OWASP's and ASVS's lists). */
export const FORMULA_START = /^[=+\-@\t\r\0]/;

/**
 * The same characters where a semicolon-splitting spreadsheet starts a cell: after a `;` or a line break (it reads
 * no quotes, so a quoted value's line break ends its row), and any quotes.
 */
const FORMULA_AFTER_SEMICOLON = /([;\n\r]"*)(?=[=+\-@\t\r\0])/g;
const CELL_BREAK = /[;\n\r]/;

/** The apostrophe after each semicolon or line break a formula follows; the start of the value is Papa's (escapeFormulae), which also quotes it. */
function guardAfterSemicolons(value: string): string {
  return CELL_BREAK.test(value) ? value.replace(FORMULA_AFTER_SEMICOLON, "$1'") : value;
}

/** A value as the safe writer writes it: an apostrophe wherever a spreadsheet would start running it as a formula. */
export function guardFormula(value: string): string {
  const inner = guardAfterSemicolons(value);
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

/** The guard's apostrophes: at the start, and after a semicolon or a line break (and any quotes), before a formula character. */
const GUARD = /(^|[;\n\r]"*)'(?=[=+\-@\t\r\0])/g;

/**
 * A value as it was before guardFormula: the import reads the guard back off, so a safe export (the default)
 * imports back as the values it was written from (`'=1+1` -> `=1+1`, `'-5` -> `-5`, `x;'=1` -> `x;=1`, `x\n'=1` -> `x\n=1`). A value
 * stored with such an apostrophe of its own loses it: an export with `exact` keeps it.
 */
export function unguardFormula(value: string): string {
  return value.includes("'") ? value.replace(GUARD, '$1') : value;
}

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Write every cell as it is, with no formula guard (for a file that must import back exactly). Default false. */
  exact?: boolean | undefined;
  /** The record separator. Default `\n`. */
  newline?: '\n' | '\r\n' | undefined;
  /**
   * Whether the first row is the file's header (default true): the text then starts the file, with the byte-order
   * mark of a safe file. False for rows that continue a file already begun.
   */
  header?: boolean | undefined;
}

/** The UTF-8 byte-order mark a safe file starts with (see above). */
export const UTF8_BOM = '\uFEFF';

/**
 * Rows as CSV text, each row ended by the newline. Null and undefined are
 * empty cells. A field is quoted when it holds the delimiter, a quote, a line
 * break or surrounding spaces; in the header also when it holds a semicolon
 * or a tab, since readers (this app's included) guess the delimiter by
 * counting those in the first line.
 */
export function toCsv(rows: ReadonlyArray<readonly CsvCell[]>, options: CsvOptions = {}): string {
  if (rows.length === 0) return '';
  const newline = options.newline ?? '\n';
  const cell = (v: CsvCell) => (v === null || v === undefined ? '' : options.exact ? String(v) : guardAfterSemicolons(String(v)));
  const text = (r: readonly CsvCell[]) => r.map(cell);
  const config = (header: boolean): Papa.UnparseConfig => ({
    newline,
    // PapaParse's own `escapeFormulae: true` pattern ends in `.*$`, which misses a formula followed by a line break.
    escapeFormulae: options.exact ? false : FORMULA_START,
    quotes: header ? (v: unknown) => /[;\t]/.test(String(v)) : false,
  });
  const withHeader = options.header ?? true;
  const head = withHeader ? `${options.exact ? '' : UTF8_BOM}${Papa.unparse([text(rows[0]!)], config(true))}${newline}` : '';
  const body = withHeader ? rows.slice(1) : rows;
  return body.length === 0 ? head : `${head}${Papa.unparse(body.map(text), config(false))}${newline}`;
}
