/**
 * A CI field read from one key of a JSON column, named in a mapping as `COLUMN.KEY` (`tags.Name`): the
 * rule that tells such a name from a header, for the import (electron/cmdb/import/json-keys.ts reads the
 * values) and for the wizard, which shows a profile's `tags.Name` as a column of the file.
 */

/** A column made of one key of a JSON column: its mapping name, the JSON column's index, the key. */
export interface JsonKeyColumn {
  header: string;
  from: number;
  key: string;
}

/** `COLUMN.KEY` as a key of a JSON column, when COLUMN is one of the headers (case-insensitive); else null. */
export function jsonKeyColumn(header: string, byName: ReadonlyMap<string, number>): JsonKeyColumn | null {
  const h = header.trim();
  for (let dot = h.indexOf('.'); dot > 0; dot = h.indexOf('.', dot + 1)) {
    const from = byName.get(h.slice(0, dot).toLowerCase());
    const key = h.slice(dot + 1);
    if (from !== undefined && key !== '') return { header: h, from, key };
  }
  return null;
}

/** A file's headers by name, as the import finds a mapping's column: case ignored. */
export function headersByName(headers: readonly string[]): Map<string, number> {
  return new Map(headers.map((h, i) => [h.toLowerCase(), i]));
}

/**
 * The column a mapping's name for a field reads in a file with these headers, as the import reads it: the
 * header of that name (case ignored), or, for a CI field, one key of a JSON column (`tags.Name`); null when the
 * file has no such column.
 */
export function mappedColumn(headers: readonly string[], name: string, kind: 'cis' | 'relationships'): string | null {
  const byName = headersByName(headers);
  const i = byName.get(name.trim().toLowerCase());
  if (i !== undefined) return headers[i]!;
  return kind === 'cis' ? (jsonKeyColumn(name, byName)?.header ?? null) : null;
}
