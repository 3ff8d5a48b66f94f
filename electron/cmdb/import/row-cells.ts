/**
 * Reading the cells of a CSV row, shared by the CIs (ci-rows.ts) and
 * relationships (rel-rows.ts) checks: trimmed cells, ragged rows, attribute
 * columns, and the messages for a row or a header that cannot be used.
 */
import { CmdbError } from '../../../shared/errors.js';

/** Why a row cannot be imported: the column (null for the whole row) and what to do. */
export interface RowProblem {
  column: string | null;
  message: string;
}

/** A parsed row: its values, or the reader's error for it (bad quoting). */
export type ParsedRow = { values: string[]; error?: undefined } | { error: string; values?: unknown };

/** A row's values, or the problem with the row as a whole: the reader's error, or a ragged row. */
export function rowValues(item: ParsedRow, nCols: number): string[] | RowProblem {
  if (item.error !== undefined) return { column: null, message: item.error };
  const v = item.values;
  if (v.length !== nCols && !raggedOk(v, nCols)) return { column: null, message: raggedMessage(v.length, nCols) };
  return v;
}

/** The header of column i, for a row problem; null when the field has no column. */
export function headerAt(l: { headers: string[] }, i: number | undefined): string | null {
  return i === undefined ? null : l.headers[i]!;
}

/** A row's attribute columns: the values given, and the attributes it clears (empty cells). */
export function rowAttributes(
  v: string[],
  attrCols: Array<{ name: string; index: number }>,
): { attrs: Record<string, string>; cleared: string[] } {
  const attrs: Record<string, string> = {};
  const cleared: string[] = [];
  for (const a of attrCols) {
    const val = cell(v, a.index);
    if (val !== null) attrs[a.name] = val;
    else cleared.push(a.name);
  }
  return { attrs, cleared };
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

/** A trimmed cell; null when empty or when the field has no column. */
export function cell(values: string[], i: number | undefined): string | null {
  if (i === undefined) return null;
  const raw = values[i];
  if (raw === undefined || raw === '') return null;
  const v = raw.trim();
  return v === '' ? null : v;
}

/** A row with more fields than the header is fine when the extra fields are all empty (trailing delimiters). */
function raggedOk(values: string[], nCols: number): boolean {
  if (values.length < nCols) return false;
  for (let i = nCols; i < values.length; i++) if (values[i]!.trim() !== '') return false;
  return true;
}

function raggedMessage(got: number, want: number): string {
  return `ragged row: it has ${got} field${got === 1 ? '' : 's'} but the header has ${want}. Check for a missing or extra delimiter, or an unquoted value that contains the delimiter.`;
}

export function missingColumn(file: string, headers: string[], field: string, what: string, examples: string, extra = ''): CmdbError {
  return new CmdbError(
    'CSV_ERROR',
    `${file} line 1: no column holds ${what} (${field}). Name a column ${examples}, or map one with a mapping${extra}. The columns are: ${headers.filter(Boolean).join(', ')}.`,
    { file, line: 1, column: field },
  );
}
