/**
 * What one row of a CIs file means: its columns, required values, type,
 * key and attributes, and the values a new CI gets.
 */
import type { Mapping } from '../../../shared/import.js';
import { FieldVocab, SOURCE_ATTRIBUTE, VALUE_MAP_KEY, VOCAB_FIELDS, vocabValueOf } from '../../../shared/import-vocab.js';
import { type JsonKeyColumn, jsonKeyValue } from './json-keys.js';
import { type ColumnSample, mapCiType, resolveColumns, statusFallbacks } from './mapping.js';
import {
  cell,
  headerAt,
  fieldColumns,
  isMarkedDeleted,
  isNoteRow,
  isTotalsName,
  markedDeletedColumn,
  memo,
  missingColumn,
  type ParsedRow,
  rowAttributes,
  type RowProblem,
  rowValues,
  shownText,
} from './row-cells.js';
import { ADVICE } from './advice.js';

export type CiField = 'type' | 'name' | 'status' | 'environment' | 'owner' | 'criticality' | 'description';
export const OPTIONAL_FIELDS = ['status', 'environment', 'owner', 'criticality', 'description'] as const;
export type CiOptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface CiLayout {
  file: string;
  headers: string[];
  idx: Partial<Record<'id' | CiField, number>>;
  nCols: number;
  /** The file's columns read as fields (row-cells.ts formulaError). */
  fieldCols: readonly number[];
  attrCols: Array<{ name: string; index: number }>;
  attributesJson: number | undefined;
  /** The column a duplicate key is reported against. */
  keyColumn: string | null;
  /** The mapping's defaults, criticality and status on their scales. */
  defaults: NonNullable<Mapping['ciDefaults']>;
  /** Fields read from a key of a JSON column (`tags.owner`): a row's values get one more cell each, past its own. */
  jsonKeys: JsonKeyColumn[];
  /** The criticality and status columns the file has: values onto the scales, the file's text kept under `attr`. */
  vocab: VocabColumn[];
  /** Attributes an update removes: custom columns now read as fields (mapping.ts, ResolvedColumns.retired). */
  retired: string[];
  /**
   * The mapping's emptyCells is keep: an empty cell of a field or attribute column leaves a stored CI's value
   * (updatedValue), and clears no attribute. A new CI still takes the cell, else the mapping's default.
   */
  keepEmpty: boolean;
  /** The mapping's shortRows is empty: a short row's missing last cells read as empty. */
  shortRowsEmpty: boolean;
  /** BMC Helix's MarkAsDeleted column, among those no field takes: a row it marks Yes is left out (MarkedDeletedCi). */
  markedDeleted: number | undefined;
}

/**
 * A row BMC Helix marks deleted (`MarkAsDeleted` Yes): no CI, and no error; a sync retires one its source had.
 * Its key and name as written, for the relationships that name it to make no relationship either.
 */
export type MarkedDeletedCi = { markedDeleted: true; key: string | null; name: string | null; mark: string };

/** A criticality or status column: where it is, how its values are read, and the attribute that keeps a translated value's text. */
export interface VocabColumn {
  index: number;
  norm: FieldVocab;
  attr: string;
  /** The columns read, in order, where this one's cell is empty (statusFallbacks: install_status beside operational_status), each read by its own list. */
  fallbacks: Array<{ index: number; norm: FieldVocab }>;
}

/**
 * Where a CIs file's fields are; `sample` (its first rows) confirms the columns only their values can tell (mapping.ts).
 * `updateOnly`: a file that only updates CIs needs no name or type column when it has a key column (an owners
 * sheet of keys and owners): its CIs keep their names and types.
 */
export function ciLayout(
  file: string,
  headers: string[],
  mapping: Mapping,
  headerLine = 1,
  sample?: ColumnSample,
  updateOnly = false,
): CiLayout {
  const cols = resolveColumns<'id' | CiField>(file, headers, mapping.cis, 'cis', mapping.ignore?.cis, headerLine, sample);
  const idx = cols.index;
  const defaults = scaleDefaults(mapping);
  const head = { file, headers, headerLine };
  const byKey = updateOnly && idx.id !== undefined;
  const keyHint = updateOnly
    ? ''
    : ` (or, to update CIs only, ${ADVICE.updateOnlyMode.cli} with a key column alone: the CIs keep their names and types)`;
  if (idx.name === undefined && !byKey) throw missingColumn(head, 'name', 'the CI name', 'Name, CI Name', keyHint);
  if (idx.type === undefined && !defaults.type && !byKey) {
    throw missingColumn(
      head,
      'type',
      'the CI type',
      'Type, Class, sys_class_name',
      ` or give a default type ${ADVICE.ciDefaultType.cli}${keyHint}`,
    );
  }
  // A field read from a JSON column's key is named by its mapping name (`tags.owner`) past the file's own headers.
  const named = cols.jsonKeys.length === 0 ? headers : [...headers, ...cols.jsonKeys.map((k) => k.header)];
  const col = (i: number | undefined) => (i === undefined ? null : named[i]!);
  return {
    file,
    headers: named,
    idx,
    nCols: headers.length,
    // The columns of fields, where a spreadsheet's formula error is the row's error (row-cells.ts formulaError).
    fieldCols: fieldColumns(idx, headers.length),
    attrCols: cols.attributes,
    attributesJson: cols.attributesJson,
    keyColumn: idx.id !== undefined ? col(idx.id) : col(idx.name),
    defaults,
    jsonKeys: cols.jsonKeys,
    retired: cols.retired,
    markedDeleted: markedDeletedColumn(cols.attributes),
    keepEmpty: mapping.emptyCells === 'keep',
    shortRowsEmpty: mapping.shortRows === 'empty',
    vocab: VOCAB_FIELDS.flatMap((f) => {
      const i = idx[f];
      if (i === undefined) return [];
      const vocabOf = (j: number, fallbackOf?: string) => new FieldVocab(f, named[j], mapping[VALUE_MAP_KEY[f]], fallbackOf);
      const fallbacks = f === 'status' ? statusFallbacks(headers, i, cols.attributes, sample) : [];
      return [
        {
          index: i,
          norm: vocabOf(i),
          attr: SOURCE_ATTRIBUTE[f],
          fallbacks: fallbacks.map((j) => ({ index: j, norm: vocabOf(j, named[i]) })),
        },
      ];
    }),
  };
}

/** A row's cells with one more per field read from a JSON column's key (empty when the cell lacks the key), or the problem with a cell. */
function withJsonKeys(v: string[], l: CiLayout): string[] | RowProblem {
  const out = v.slice(0, l.nCols);
  while (out.length < l.nCols) out.push('');
  for (const k of l.jsonKeys) {
    const value = jsonKeyValue(v[k.from] ?? '', k, l.headers[k.from]!);
    if (value !== null && typeof value === 'object') return value;
    out.push(value ?? '');
  }
  return out;
}

/** The mapping's defaults with criticality and status on their scales (mappingSchema has refused a default that means none). */
function scaleDefaults(mapping: Mapping): NonNullable<Mapping['ciDefaults']> {
  const d = { ...mapping.ciDefaults };
  for (const f of VOCAB_FIELDS) {
    const raw = d[f]?.trim();
    if (raw) d[f] = vocabValueOf(f, raw, mapping[VALUE_MAP_KEY[f]]) ?? raw;
  }
  return d;
}

export function ciTypeMapper(mapping: Mapping): (raw: string) => string {
  return memo((raw: string) => mapCiType(raw, mapping.typeValues));
}

export interface CheckedCi {
  key: string;
  /** Null when the file has no name column (an update-only file of keys: the CI keeps its name). */
  name: string | null;
  /** Null when the file has no type column and no default type (an update-only file of keys: the CI keeps its type). */
  type: string | null;
  /** The type cell as given (null when the default type applies). */
  rawType: string | null;
  values: string[];
  attrs: Record<string, string>;
  cleared: string[];
  /** The row is a note under a spreadsheet's table (isNoteRow) that reads as a CI all the same (a default type names it). */
  note: boolean;
}

/**
 * Checks one parsed row of a CIs file. `afterData`: an empty row sets it off from rows above it (a note under
 * a spreadsheet's table is written so).
 */
export function checkCiRow(
  item: ParsedRow,
  l: CiLayout,
  ciTypeOf: (raw: string) => string,
  afterData = false,
): CheckedCi | RowProblem | MarkedDeletedCi {
  const read = rowValues(item, l, afterData);
  if (!Array.isArray(read)) return read;
  const mark = l.markedDeleted === undefined ? null : cell(read, l.markedDeleted);
  if (mark !== null && isMarkedDeleted(mark)) {
    // Its key as a live row's would be: the key column's, else made of type and name (below).
    const name = cell(read, l.idx.name);
    const typeValue = (l.idx.type !== undefined ? cell(read, l.idx.type) : null) ?? l.defaults.type ?? null;
    return { markedDeleted: true, key: rowKey(read, l, typeValue === null ? null : ciTypeOf(typeValue), name), name, mark };
  }
  const note = isNoteRow(read, afterData);
  const v = l.jsonKeys.length === 0 ? read : withJsonKeys(read, l);
  if (!Array.isArray(v)) return v;
  const { idx } = l;
  const name = cell(v, idx.name);
  // A note under the table has its text and nothing else: not a CI to complete.
  const noteProblem = (): RowProblem => ({
    artefact: true,
    column: headerAt(l, 0),
    message: `"${shownText(read[0]!.trim())}" alone on its row looks like a note under a spreadsheet's table, not a CI: delete the row from the file.`,
  });
  if (name === null && idx.name !== undefined) {
    if (note) return noteProblem();
    // A totals row whose label is in another column than the name (Total,,): not a CI to complete.
    const first = read.findIndex((c) => c.trim() !== '');
    if (first >= 0 && isTotalsName(read[first]!.trim()))
      return {
        artefact: true,
        column: headerAt(l, first),
        message: `"${read[first]!.trim()}" with no name looks like a spreadsheet's totals row, not a CI: delete the row from the file.`,
      };
    return { column: headerAt(l, idx.name), message: 'missing required value: the CI name. Fill it in, or remove the row.' };
  }
  const rawType = idx.type !== undefined ? cell(v, idx.type) : null;
  const typeValue = rawType ?? l.defaults.type ?? null;
  // No type column and no default: an update-only file of keys (ciLayout), whose CIs keep their types.
  if (typeValue === null && idx.type !== undefined) {
    if (note) return noteProblem();
    // A totals row under the list has a name and nothing else, or a label first and a count (Total;3): not a CI to complete.
    const first = read.findIndex((c) => c.trim() !== '');
    const label = name !== null && isTotalsName(name) ? idx.name : first >= 0 && isTotalsName(read[first]!.trim()) ? first : undefined;
    if (label !== undefined)
      return {
        artefact: true,
        column: headerAt(l, label),
        message: `"${cell(v, label)}" with no type looks like a spreadsheet's totals row, not a CI: delete the row from the file.`,
      };
    return { column: headerAt(l, idx.type), message: 'missing required value: the CI type (for example server, application). Fill it in.' };
  }
  const type = typeValue === null ? null : ciTypeOf(typeValue);
  if (type === '') {
    return {
      column: headerAt(l, idx.type),
      message: `"${typeValue}" is not a usable CI type. Use letters and digits, for example server.`,
    };
  }
  const key = rowKey(v, l, type, name);
  if (key === null)
    return {
      column: headerAt(l, idx.id),
      message:
        'missing required value: the CI key, which names the CI this row updates. Fill it in, or remove the row; if another column holds the keys, map it as the key ("cis": { "id": "COLUMN" }).',
    };
  const a = rowAttributes(v, l);
  if (!('attrs' in a)) return a;
  // Under "emptyCells": "keep" an empty cell clears nothing: neither its attribute nor a field's source text (scaleValues).
  const cleared = l.keepEmpty ? [] : a.cleared;
  scaleValues(v, l.vocab, a.attrs, cleared, l.keepEmpty);
  return { key, name, type, rawType, values: v, attrs: a.attrs, cleared, note };
}

/**
 * A row's CI key: its key column's; in a file without one (keyed by type and name), made of its type and name; null
 * for neither. A row whose key cell is empty has no key: made of its type and name, it would be a second CI once a
 * later export fills the cell, and a sync would retire the first (found by a tester with a Device42 export whose
 * `uuid` column, taken as the key, was empty on most rows).
 */
function rowKey(v: string[], l: CiLayout, type: string | null, name: string | null): string | null {
  if (l.idx.id !== undefined) return cell(v, l.idx.id);
  return name !== null && type !== null ? `${type}:${name}` : null;
}

/**
 * Criticality and status onto their scales, in the row's own values (so
 * what is stored and compared is the scale value). An empty cell takes the
 * first filled cell of the column's fallbacks (VocabColumn). A value stored other than
 * the file wrote it keeps the file's text in its attribute (`criticality_source`,
 * `status_source`); one stored as written (or in another case only), or an empty cell, clears that
 * attribute, unless the file gives it itself (an export's round trip). An unrecognised value is
 * stored as given and counted by its FieldVocab.
 */
function scaleValues(
  v: string[],
  vocab: readonly VocabColumn[],
  attrs: Record<string, string>,
  cleared: string[],
  keepEmpty: boolean,
): void {
  for (const c of vocab) {
    let raw = cell(v, c.index);
    let norm = c.norm;
    for (let k = 0; raw === null && k < c.fallbacks.length; k++) {
      raw = cell(v, c.fallbacks[k]!.index);
      norm = c.fallbacks[k]!.norm;
    }
    if (raw === null) {
      // An empty cell: the field is cleared (or takes the mapping's default), and the text it was read from goes too;
      // under "emptyCells": "keep" the field is kept, and so is that text.
      if (!keepEmpty && !(c.attr in attrs)) cleared.push(c.attr);
      continue;
    }
    const stored = norm.normalise(raw);
    v[c.index] = stored;
    // Only the case told apart ("Operational" stored as operational) is the value as written: nothing to keep.
    if (stored !== raw && stored.toLowerCase() !== raw.toLowerCase()) attrs[c.attr] = raw;
    else if (!(c.attr in attrs)) cleared.push(c.attr);
  }
}

/** An optional field of a row: its cell, else the mapping's default (null when neither). */
function fieldValue(v: string[], l: CiLayout, f: CiOptionalField): string | null {
  return cell(v, l.idx[f]) ?? l.defaults[f as keyof CiLayout['defaults']] ?? null;
}

/**
 * What an update makes of an optional field the file has a column for: the cell, else (an empty cell) the
 * mapping's default or null; undefined under "emptyCells": "keep", where an empty cell leaves the stored value.
 */
export function updatedValue(v: string[], l: CiLayout, f: CiOptionalField): string | null | undefined {
  return l.keepEmpty && cell(v, l.idx[f]) === null ? undefined : fieldValue(v, l, f);
}

/** The optional fields of a new CI (status, environment, owner, criticality, description): the cell, else the mapping's default. */
export function newCiValues(v: string[], l: CiLayout): Array<string | null> {
  return OPTIONAL_FIELDS.map((f) => fieldValue(v, l, f));
}

/** A row whose key an earlier row of the file has (on `earlier`; 0 when not known). */
export const duplicateKeyMessage = (key: string, earlier: number, alsoRelationships = false): string =>
  `duplicate key "${key}": ${earlier > 0 ? `line ${earlier}` : 'an earlier row'} of this file has the same key, and each CI appears once. Remove one of the rows, or give this one its own key.${
    // A sheet of one row per dependency, read as the CIs file too: removing the row would lose its relationship (found by a tester).
    alsoRelationships
      ? ` This file is also the relationships file: if its rows are one per relationship, ${ADVICE.cisThenRelationships.cli}, where a CI's several rows are no duplicates.`
      : ''
  }`;
