/**
 * A CI field read from one key of a JSON column, named in a mapping as
 * `COLUMN.KEY`: `"owner": "tags.owner"` for an Azure Resource Graph download
 * (`tags` holds `{"owner":"team-shop"}`), `"name": "tags.Name"` for an AWS
 * Config query (`tags` holds `[{"key":"Name","value":"web-1"}]`). A header
 * of that exact name (`configuration.instanceType`) is a column of its own,
 * never read this way.
 */
import type { JsonKeyColumn } from '../../../shared/json-key.js';
import type { RowProblem } from './row-cells.js';

// The rule that names such a column is shared with the import wizard, which shows it as a column of the file.
export { type JsonKeyColumn, jsonKeyColumn } from '../../../shared/json-key.js';

/** A scalar JSON value as text (null for none, an object or a list). */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** The entry of `obj` named `key`: exactly, else with case ignored. */
function member(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  const k = Object.keys(obj).find((n) => n.toLowerCase() === lower);
  return k === undefined ? undefined : obj[k];
}

/**
 * The value of `key` in a JSON cell: an object's member, or, in a list of
 * `{ "key": ..., "value": ... }` pairs (AWS, either case), the pair's value.
 * Null when the cell is empty or has no such key; a problem when the cell is
 * not such JSON.
 */
export function jsonKeyValue(cell: string, c: JsonKeyColumn, column: string): string | null | RowProblem {
  if (cell.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cell);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed)) {
    for (const pair of parsed) {
      if (pair === null || typeof pair !== 'object') continue;
      const name = text(member(pair as Record<string, unknown>, 'key'));
      if (name !== null && name.toLowerCase() === c.key.toLowerCase()) return text(member(pair as Record<string, unknown>, 'value'));
    }
    return null;
  }
  if (parsed !== null && typeof parsed === 'object') return text(member(parsed as Record<string, unknown>, c.key));
  return {
    column,
    message: `${column} is not a JSON object or a list of key/value pairs, so ${c.header} cannot be read from it. Correct the cell, or map the field to another column.`,
  };
}
