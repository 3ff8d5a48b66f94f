/**
 * Reading the cells of a CSV row, shared by the CIs (ci-rows.ts) and
 * relationships (rel-rows.ts) checks: trimmed cells, ragged rows, attribute
 * columns, and the messages for a row or a header that cannot be used.
 */
import { CmdbError } from '../../../shared/errors.js';
import { unguardFormula } from '../../../shared/csv.js';
import { canonicalText } from '../../../shared/text.js';
import { ADVICE } from './advice.js';
import { isPlaceName } from '../../../shared/import-fields.js';

/** Why a row cannot be imported: the column (null for the whole row) and what to do. */
export interface RowProblem {
  column: string | null;
  message: string;
  /** A row that is no CI or relationship at all (a totals row, a note under a sheet's table): it leaves none unlisted. */
  artefact?: true;
  /**
   * The row refuses the import as a whole, even with skipBadRows (ImportContext.rejectWhole): a row at odds with
   * its redundancy group's earlier rows, which skipped alone would leave the group half-updated.
   */
  whole?: true;
}

/** A parsed row: its values, or the reader's error for it (bad quoting, too long: with the index of the column at fault). */
export type ParsedRow =
  | { values: string[]; error?: undefined; afterBlank?: true; strayBreak?: true }
  | { error: string; column?: number; values?: unknown; afterBlank?: undefined; strayBreak?: undefined };

/**
 * A row's values, or the problem with the row: the reader's error (on its column, when it names one), or a ragged
 * row. `afterData`: an empty row sets this one off from data rows above it (isNoteRow).
 */
export function rowValues(
  item: ParsedRow,
  l: { headers: string[]; nCols: number; shortRowsEmpty?: boolean; fieldCols?: readonly number[] },
  afterData = false,
): string[] | RowProblem {
  if (item.error !== undefined) return { column: item.column === undefined ? null : (l.headers[item.column] ?? null), message: item.error };
  const v = item.values;
  // A row that ran on past a line end of another kind holds parts of two rows (mixed line ends), whatever its length.
  if (item.strayBreak) return { column: null, message: raggedMessage(v, l.nCols, true) };
  const error = l.fieldCols ? formulaError(v, l.headers, l.fieldCols) : null;
  if (error) return error;
  // "shortRows": "empty": the missing last cells of a short row (Excel leaves out their delimiters) are empty.
  if (l.shortRowsEmpty && v.length < l.nCols) return [...v, ...Array.from({ length: l.nCols - v.length }, () => '')];
  if (v.length !== l.nCols && !raggedOk(v, l.nCols)) {
    // A note or totals line written alone (by hand: a sheet writes every column) reads as a sheet's: its checks name it.
    if (v.length === 1 && (isNoteRow(v, afterData) || isTotalsName(v[0]!.trim())))
      return [v[0]!, ...Array.from({ length: l.nCols - 1 }, () => '')];
    return { column: null, message: raggedMessage(v, l.nCols, false) };
  }
  return v;
}

/**
 * The error values a spreadsheet writes for a formula that failed: Excel's and Google Sheets' `#N/A`, `#REF!`,
 * `#VALUE!`..., LibreOffice's `Err:502`. Saved into a CSV they read as values: an owner `#N/A` became a team to
 * notify, a relationship's end `#N/A` an unknown CI to import first (found by a tester).
 */
const FORMULA_ERROR =
  /^\s*(?:#(?:N\/A|VALUE!|REF!|DIV\/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|ERROR!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)|Err:\d{3})\s*$/;

/**
 * The first cell of the field columns `cols` (not an attribute's, not an ignored column's: a lookup column nobody
 * maps must not refuse an estate, found by a reviewer) holding a spreadsheet's formula error, as the row's problem
 * on its column; null when none.
 */
function formulaError(v: readonly string[], headers: readonly string[], cols: readonly number[]): RowProblem | null {
  for (const i of cols) {
    if (i >= v.length) continue;
    // The first character only, but for a cell that starts as an error value does (#, E of Err:, or a space before one).
    const c = v[i]!.charCodeAt(0);
    if ((c !== 35 /* # */ && c !== 69 /* E */ && c !== 32) || !FORMULA_ERROR.test(v[i]!)) continue;
    const value = v[i]!.trim();
    return {
      column: headers[i] ?? null,
      message: `spreadsheet formula error: the cell holds ${value}, the error a spreadsheet shows where a formula found no value, and it would be imported as that text. Fix the formula in the sheet (or paste the values you mean over it) and export the file again.`,
    };
  }
  return null;
}

/** The columns a layout reads as fields (`idx`), in the file's own columns (not a JSON column's keys past them). */
export function fieldColumns(idx: Partial<Record<string, number>>, nCols: number): number[] {
  return [...new Set(Object.values(idx).filter((i): i is number => i !== undefined && i < nCols))];
}

/** The header of column i, for a row problem; null when the field has no column. */
export function headerAt(l: { headers: string[] }, i: number | undefined): string | null {
  return i === undefined ? null : l.headers[i]!;
}

/** Where a file keeps its attributes: one column each, and the `attributes_json` column. */
export interface AttributeLayout {
  headers: string[];
  attrCols: Array<{ name: string; index: number }>;
  attributesJson: number | undefined;
}

/** Whether rows of this layout can carry attributes at all. */
export function hasAttributes(l: AttributeLayout): boolean {
  return l.attrCols.length > 0 || l.attributesJson !== undefined;
}

/**
 * A row's attributes: the values of its attribute columns, and those of its
 * `attributes_json` cell, taken exactly as written there (no trimming, empty
 * values kept). `cleared` lists the columns left empty, which an update
 * removes. A JSON cell that is not an object of text values, or names an
 * attribute that a filled column also gives, is the row's problem.
 */
export function rowAttributes(v: string[], l: AttributeLayout): { attrs: Record<string, string>; cleared: string[] } | RowProblem {
  if (!hasAttributes(l)) return { attrs: {}, cleared: [] };
  const entries: Array<[string, string]> = [];
  const cleared: string[] = [];
  for (const a of l.attrCols) {
    const val = cell(v, a.index);
    if (val !== null) entries.push([a.name, val]);
    // A column without a header name (named by its place) only ever adds: empty, it is a spreadsheet's empty
    // column, and it cleared what another file kept under that name (found by a reviewer).
    else if (!isPlaceName(a.name, a.index)) cleared.push(a.name);
  }
  const json = jsonAttributes(v, l);
  if (!Array.isArray(json)) return json;
  if (json.length > 0) {
    const fromColumns = new Set(entries.map(([k]) => k));
    for (const [k] of json) {
      if (fromColumns.has(k)) {
        return {
          column: headerAt(l, l.attributesJson),
          message: `attribute "${k}" is given twice, in its own column and in ${headerAt(l, l.attributesJson)}. Keep one of them.`,
        };
      }
    }
    const given = new Set(json.map(([k]) => k));
    entries.push(...json);
    return { attrs: Object.fromEntries(entries), cleared: cleared.filter((k) => !given.has(k)) };
  }
  // fromEntries, not assignment, so an attribute named __proto__ stays an attribute.
  return { attrs: Object.fromEntries(entries), cleared };
}

/** The attributes of a row's `attributes_json` cell, in their order (none when the cell is empty). */
function jsonAttributes(v: string[], l: AttributeLayout): Array<[string, string]> | RowProblem {
  if (l.attributesJson === undefined) return [];
  const raw = v[l.attributesJson] ?? '';
  if (raw.trim() === '') return [];
  const bad = (why: string): RowProblem => ({
    column: headerAt(l, l.attributesJson),
    message: `${why}. This column holds attributes as a JSON object of names and text values, for example {"rack": "R1", "note": " spaced "}. Fix the cell, or rename the column to keep it as an ordinary attribute.`,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('not a JSON object');
  const out = Object.entries(parsed as Record<string, unknown>);
  for (const [k, val] of out) {
    if (typeof val !== 'string') return bad(`the value of "${k}" is not text (write every value in double quotes)`);
  }
  return out as Array<[string, string]>;
}

/** Caches a function of a string (bounded, so a file of all-distinct values cannot grow it without end). */
export function memo<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      if (cache.size < 10_000) cache.set(s, v);
    }
    return v;
  };
}

/** What kubectl (and oc, helm) write in an empty cell: read as empty, not as a value or a CI named `<none>`. */
const NONE = '<none>';
/** A cell that is only a dash, as the AWS console writes an empty one (–, an en dash; some tools an em dash): empty too. */
const isDashAlone = (v: string) => v.length === 1 && (v === '\u2013' || v === '\u2014');

/**
 * A trimmed cell; null when empty (or `<none>`, or a dash alone: – or —) or when the field has no column. Its text in the CMDB's canonical form
 * (shared/text.ts: no-break spaces as plain spaces, Unicode NFC), so that `srv\u00a0app-04` and
 * `srv app-04`, or `café` composed and decomposed, name the same CI, key and relationship end.
 */
export function cell(values: string[], i: number | undefined): string | null {
  if (i === undefined) return null;
  const raw = values[i];
  if (raw === undefined || raw === '') return null;
  const trimmed = raw.trim();
  // A formula guard (a safe export's apostrophe, shared/csv.ts) read back off; what it guarded may be white space.
  const unguarded = unguardFormula(trimmed);
  const v = unguarded === trimmed ? trimmed : unguarded.trim();
  if (v === '' || v === NONE || isDashAlone(v)) return null;
  return canonicalText(v);
}

/** A row with more fields than the header is fine when the extra fields are all empty (trailing delimiters). */
function raggedOk(values: string[], nCols: number): boolean {
  if (values.length < nCols) return false;
  for (let i = nCols; i < values.length; i++) if (values[i]!.trim() !== '') return false;
  return true;
}

function raggedMessage(values: string[], want: number, strayBreak: boolean): string {
  const got = values.length;
  // A line break in an unquoted value: the reader ends rows at the file's own line end (CRLF, say), and this one has another (LF).
  if (strayBreak) {
    const base =
      got === want
        ? 'row runs on: it holds a line break outside quotes.'
        : `ragged row: it has ${got} field${got === 1 ? '' : 's'} but the header has ${want}.`;
    return `${base} It runs on past a line end of another kind, so it holds the row below it too (rejected with it): the file mixes line ends (CRLF and LF), as when rows are added by another program. Save it with one kind of line end (an editor's line-endings setting, or dos2unix), or quote the values that hold line breaks.`;
  }
  const base = `ragged row: it has ${got} field${got === 1 ? '' : 's'} but the header has ${want}.`;
  // A header of one column above rows of several: the line read as the header is a title above the real one.
  if (want === 1) return `${base} If the header line is a title above the real header (a report's name and date), delete it.`;
  // Excel leaves out the delimiters of empty last cells in some blocks of rows.
  if (got < want)
    return `${base} Check for a missing delimiter; if its last ${want - got === 1 ? 'cell is' : `${want - got} cells are`} empty in the sheet (Excel leaves out their delimiters in some rows), ${ADVICE.shortRows.cli}.`;
  return `${base} Check for a missing or extra delimiter, or an unquoted value that contains the delimiter.`;
}

export function missingColumn(
  { file, headers, headerLine }: HeaderRow,
  field: string,
  what: string,
  examples: string,
  extra = '',
): CmdbError {
  return new CmdbError(
    'CSV_ERROR',
    `${file} line ${headerLine}: no column holds ${what} (${field}). Name a column ${examples}, ${ADVICE.mapColumn.cli}${extra}. The columns are: ${headers.filter(Boolean).join(', ')}.${titleLineHint(headers) ?? headerShapeHint(headers)}`,
    { file, line: headerLine, column: field },
  );
}

/**
 * Why a header may lack a required column, beyond a title of one cell (titleLineHint): a header of one
 * column that holds another separator (a delimiter given wrongly), a few named cells beside empty ones
 * (a title line of several cells, `Report: Servers,Generated 2024-11-03,,`), or one column of three words
 * or more (a title written without the delimiters: `Server inventory - exported 2024-05-01`). Empty when none.
 */
function headerShapeHint(headers: readonly string[]): string {
  // A column named by its place had no name in the file (unnamed-columns.ts): a title's empty cells.
  const named = headers.filter((h, i) => h !== '' && !isPlaceName(h, i));
  const sep = headers.length === 1 ? [',', ';', '\t', '|'].find((s) => headers[0]!.includes(s)) : undefined;
  if (sep !== undefined) {
    const shown = sep === '\t' ? 'tabs' : `"${sep}"`;
    // A pipe is never detected (a value may hold one): it is given by name.
    const remedy = sep === '|' ? ADVICE.delimiterPipe.cli : ADVICE.delimiterDetected.cli;
    return ` The header is one column that holds ${shown}: if the file is separated by ${shown}, ${remedy}.`;
  }
  const titled =
    (named.length >= 2 && named.length <= 3 && named.length < headers.length) ||
    (headers.length === 1 && /\S+\s+\S+\s+\S+/.test(headers[0]!));
  if (titled)
    return ` If the first line (${named.map((h) => `"${h}"`).join(', ')}) is a title above the real header, delete it (the header is the first line with a name in it).`;
  return '';
}

/** A file's header row: its names, and the line it is on (rows of empty cells above it are skipped). */
export interface HeaderRow {
  file: string;
  headers: string[];
  headerLine: number;
}

/**
 * What to do when the header row names its first column only, beside
 * columns without a name: a title line above the real header (a Google or
 * Excel sheet's "Server inventory (updated weekly)"), read as the header.
 * Null for any other header.
 */
export function titleLineHint(headers: readonly string[]): string | null {
  const named = headers.filter((h) => h !== '');
  if (headers.length < 2 || named.length !== 1 || headers[0] === '') return null;
  return ` The header row names only its first column ("${headers[0]}"): if that line is a title above the real header, delete it (the header is the first line with a name in it).`;
}

/**
 * A header that is one column of names lined up with spaces (`NAMESPACE   NAME   NODE`): a table printed for
 * reading (`kubectl get -o custom-columns`, `column -t`, `docker ps`), not CSV. Null for any other header.
 */
export function alignedTableError({ file, headers, headerLine }: HeaderRow): CmdbError | null {
  if (headers.length !== 1) return null;
  const names = headers[0]!.trim().split(/ {2,}/);
  if (names.length < 2) return null;
  return new CmdbError(
    'CSV_ERROR',
    `${file} line ${headerLine}: the header is one column whose names are lined up with spaces (${names.join(', ')}): the file is a table printed for reading, as kubectl get -o custom-columns or column -t print one, not CSV. Write it as tab-separated text: for a table whose cells hold no spaces, pipe it through awk -v OFS='\\t' '{$1=$1} 1' (tabs, not commas: a cell may hold a comma, as kubectl's PORT(S) 80/TCP,443/TCP does), and import that; see "Other tools' exports" in docs/import.md.`,
    { file, line: headerLine },
  );
}

/** A column named MarkAsDeleted (BMC Helix) among those no field takes. */
export function markedDeletedColumn(cols: ReadonlyArray<{ name: string; index: number }>): number | undefined {
  return cols.find((c) => c.name.replace(/[\s_]/g, '').toLowerCase() === 'markasdeleted')?.index;
}

/** A MarkAsDeleted cell that says the row is deleted. */
export const isMarkedDeleted = (value: string | null): boolean => value !== null && /^(yes|true|1)$/i.test(value);

/** Names a spreadsheet's totals row writes, in the languages the importer knows other words of (shared/vocab.ts). */
const TOTALS = new Set(['total', 'totals', 'grand total', 'sum', 'subtotal', 'sub-total', 'summe', 'gesamt', 'total général', 'totale']);

/** Whether a CI name is what a spreadsheet's totals row writes (`Total`, `Grand total`). */
export function isTotalsName(name: string): boolean {
  return name.length <= 14 && TOTALS.has(name.toLowerCase());
}

/**
 * How a note under a spreadsheet's table reads: a bullet (`* app03 retired in June`), a label ending in a colon
 * (`Notes:`, `Source: the asset team`).
 */
const NOTE_TEXT =
  /^[*•·–—-]\s|:$|^(?:notes?|nb|n\.b\.|comments?|remarks?|legend|sources?|hinweise?|anmerkung(?:en)?|bemerkung(?:en)?|remarques?|nota)\s*:/i;

/**
 * Whether a row is a note under a spreadsheet's table rather than a CI: only its first cell is filled, and it
 * is set off from the data above by an empty row (`afterData`) or reads as a note (NOTE_TEXT). A CI's row
 * with only its name filled and no empty row above it is no note. Cheap for a CI's row: its second cell ends it.
 */
export function isNoteRow(values: readonly string[], afterData: boolean): boolean {
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v !== '' && v.trim() !== '') return false;
  }
  const first = values[0]?.trim() ?? '';
  return first !== '' && (afterData || NOTE_TEXT.test(first));
}

/** A row's text as a message quotes it: at most 60 characters. */
export function shownText(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
