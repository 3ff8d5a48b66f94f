/**
 * What one row of a CIs file means: its columns, required values, type,
 * key and attributes, and the values a new CI gets.
 */
import type { Mapping } from '../../../shared/import.js';
import { mapCiType, resolveColumns } from './mapping.js';
import { cell, headerAt, memo, missingColumn, type ParsedRow, rowAttributes, type RowProblem, rowValues } from './row-cells.js';

export type CiField = 'type' | 'name' | 'status' | 'environment' | 'owner' | 'criticality' | 'description';
export const OPTIONAL_FIELDS = ['status', 'environment', 'owner', 'criticality', 'description'] as const;
export type CiOptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface CiLayout {
  file: string;
  headers: string[];
  idx: Partial<Record<'id' | CiField, number>>;
  nCols: number;
  attrCols: Array<{ name: string; index: number }>;
  attributesJson: number | undefined;
  /** The column a duplicate key is reported against. */
  keyColumn: string | null;
  defaults: NonNullable<Mapping['ciDefaults']>;
}

export function ciLayout(file: string, headers: string[], mapping: Mapping): CiLayout {
  const cols = resolveColumns<'id' | CiField>(file, headers, mapping.cis, 'cis', mapping.ignore?.cis);
  const idx = cols.index;
  const defaults = mapping.ciDefaults ?? {};
  if (idx.name === undefined) throw missingColumn(file, headers, 'name', 'the CI name', 'Name, CI Name');
  if (idx.type === undefined && !defaults.type) {
    throw missingColumn(
      file,
      headers,
      'type',
      'the CI type',
      'Type, Class, sys_class_name',
      ' or give a default type in the mapping (ciDefaults.type)',
    );
  }
  const col = (i: number | undefined) => (i === undefined ? null : headers[i]!);
  return {
    file,
    headers,
    idx,
    nCols: headers.length,
    attrCols: cols.attributes,
    attributesJson: cols.attributesJson,
    keyColumn: idx.id !== undefined ? col(idx.id) : col(idx.name),
    defaults,
  };
}

export function ciTypeMapper(mapping: Mapping): (raw: string) => string {
  return memo((raw: string) => mapCiType(raw, mapping.typeValues));
}

export interface CheckedCi {
  key: string;
  name: string;
  type: string;
  /** The type cell as given (null when the default type applies). */
  rawType: string | null;
  values: string[];
  attrs: Record<string, string>;
  cleared: string[];
}

/** Checks one parsed row of a CIs file. */
export function checkCiRow(item: ParsedRow, l: CiLayout, ciTypeOf: (raw: string) => string): CheckedCi | RowProblem {
  const v = rowValues(item, l);
  if (!Array.isArray(v)) return v;
  const { idx } = l;
  const name = cell(v, idx.name);
  if (name === null)
    return { column: headerAt(l, idx.name), message: 'missing required value: the CI name. Fill it in, or remove the row.' };
  const rawType = idx.type !== undefined ? cell(v, idx.type) : null;
  const typeValue = rawType ?? l.defaults.type ?? null;
  if (typeValue === null) {
    return { column: headerAt(l, idx.type), message: 'missing required value: the CI type (for example server, application). Fill it in.' };
  }
  const type = ciTypeOf(typeValue);
  if (type === '') {
    return {
      column: headerAt(l, idx.type),
      message: `"${typeValue}" is not a usable CI type. Use letters and digits, for example server.`,
    };
  }
  const key = cell(v, idx.id) ?? `${type}:${name}`;
  const a = rowAttributes(v, l);
  if (!('attrs' in a)) return a;
  return { key, name, type, rawType, values: v, attrs: a.attrs, cleared: a.cleared };
}

/** The optional fields of a new CI (status, environment, owner, criticality, description): the cell, else the mapping's default. */
export function newCiValues(v: string[], l: CiLayout): Array<string | null> {
  const out: Array<string | null> = [];
  for (const f of OPTIONAL_FIELDS) out.push(cell(v, l.idx[f]) ?? l.defaults[f as keyof CiLayout['defaults']] ?? null);
  return out;
}

export const duplicateKeyMessage = (key: string): string =>
  `duplicate key "${key}": an earlier row of this file has the same key. Each CI must appear once.`;
