/**
 * Criticality and status values at import: a file's text onto the registry's
 * scales (shared/vocab.ts), through the mapping's value maps first
 * (`criticalityValues`, `statusValues`), then the built-in words (ServiceNow's
 * choice lists and common habits). A value neither knows is kept as given and
 * counted, so the import can name it. The engine's import loop, the preview
 * and the wizard all read values through this one module.
 */
import type { UnrecognisedValue } from './domain.js';
import { CRITICALITY_SCALE, criticalityOf, STATUS_SCALE, statusOf, vocabKey } from './vocab.js';

/** The CI fields with a scale. */
export const VOCAB_FIELDS = ['criticality', 'status'] as const;
export type VocabField = (typeof VOCAB_FIELDS)[number];

/** The attribute that keeps a file's text when the stored value differs from it: `criticality_source`, `status_source`. */
export const SOURCE_ATTRIBUTE: Record<VocabField, string> = { criticality: 'criticality_source', status: 'status_source' };

/** Each field's scale, and the mapping key of its value map. */
export const VOCAB_SCALES: Record<VocabField, readonly string[]> = { criticality: CRITICALITY_SCALE, status: STATUS_SCALE };
export const VALUE_MAP_KEY = { criticality: 'criticalityValues', status: 'statusValues' } as const satisfies Record<VocabField, string>;

/** Distinct values remembered per field; past this a file's further distinct values are looked up each time and summed apart. */
const MAX_DISTINCT = 10_000;

/** What a value map says a value means: the scale value, looked up by the exact text, then by its vocabulary key. */
function valueMapLookup(map: Record<string, string> | undefined): (raw: string) => string | null {
  if (!map) return () => null;
  const exact = new Map(Object.entries(map).map(([k, v]) => [k, vocabKey(v)]));
  const loose = new Map(Object.entries(map).map(([k, v]) => [vocabKey(k), vocabKey(v)]));
  return (raw) => exact.get(raw) ?? loose.get(vocabKey(raw)) ?? null;
}

/**
 * The scale value a field's text means, or null when neither the value map
 * nor the built-in words know it. `column`: the header the value came from
 * (ServiceNow's numeric status codes are read by their column's list).
 */
export function vocabValueOf(field: VocabField, raw: string, valueMap: Record<string, string> | undefined, column?: string): string | null {
  return valueMapLookup(valueMap)(raw) ?? builtIn(field, raw, column);
}

function builtIn(field: VocabField, raw: string, column: string | undefined): string | null {
  return field === 'criticality' ? criticalityOf(raw) : statusOf(raw, column);
}

interface Seen {
  /** The value to store: the scale value, or the text as given when it is not recognised. */
  stored: string;
  recognised: boolean;
  /** Rows with this text (counted only while unrecognised values are reported). */
  count: number;
}

/**
 * One field's values onto its scale during one import (or one preview):
 * each distinct text is looked up once (the import's hot loop sees the same
 * few words a million times), and unrecognised texts are counted.
 */
export class FieldVocab {
  private readonly seen = new Map<string, Seen>();
  private readonly mapped: (raw: string) => string | null;
  /** Rows with an unrecognised text past the distinct values remembered. */
  private overflowRows = 0;

  constructor(
    readonly field: VocabField,
    /** The header the values come from. */
    readonly column: string | undefined,
    valueMap: Record<string, string> | undefined,
    /** The status column this one is read for where that one's cell is empty (UnrecognisedValue.fallbackOf). */
    readonly fallbackOf?: string,
  ) {
    this.mapped = valueMapLookup(valueMap);
  }

  /** The value to store for a (trimmed, non-empty) cell: its scale value, or the text as given when unrecognised (counted). */
  normalise(raw: string): string {
    let s = this.seen.get(raw);
    if (s === undefined) {
      const v = this.mapped(raw) ?? builtIn(this.field, raw, this.column);
      s = { stored: v ?? raw, recognised: v !== null, count: 0 };
      if (this.seen.size >= MAX_DISTINCT) {
        if (!s.recognised) this.overflowRows++;
        return s.stored;
      }
      this.seen.set(raw, s);
    }
    if (!s.recognised) s.count++;
    return s.stored;
  }

  /** The unrecognised texts with their row counts, most frequent first. */
  unrecognised(): UnrecognisedValue[] {
    const out: UnrecognisedValue[] = [];
    for (const [value, s] of this.seen)
      if (!s.recognised) {
        out.push({
          field: this.field,
          column: this.column ?? null,
          ...(this.fallbackOf !== undefined ? { fallbackOf: this.fallbackOf } : {}),
          value,
          count: s.count,
        });
      }
    return out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }

  /** The texts read onto the scale, each once, in the order first seen, with the scale value each was read as. */
  recognised(): Array<{ value: string; stored: string }> {
    const out: Array<{ value: string; stored: string }> = [];
    for (const [value, s] of this.seen) if (s.recognised) out.push({ value, stored: s.stored });
    return out;
  }

  /** Rows whose unrecognised text was past the distinct values remembered (not listed one by one). */
  get uncountedRows(): number {
    return this.overflowRows;
  }
}

/** At most this many unrecognised values per field are listed in a result; the rest are summed in a warning. */
export const MAX_LISTED = 100;

/** The unrecognised values of some fields for a result: the most frequent MAX_LISTED per field, and a warning for the rest. */
export function unrecognisedReport(vocabs: readonly FieldVocab[]): { values: UnrecognisedValue[]; warnings: string[] } {
  const values: UnrecognisedValue[] = [];
  const warnings: string[] = [];
  for (const v of vocabs) {
    const all = v.unrecognised();
    values.push(...all.slice(0, MAX_LISTED));
    const rest = all.slice(MAX_LISTED);
    const rows = rest.reduce((n, u) => n + u.count, 0) + v.uncountedRows;
    if (rows > 0) {
      warnings.push(
        `${rows} more row${rows === 1 ? '' : 's'} hold ${v.field} values not on the scale beyond the ${MAX_LISTED} listed; they were stored as given.`,
      );
    }
  }
  return { values, warnings };
}

/**
 * The unrecognised criticality and status values in some rows (a preview's
 * first rows): `columns` names the header each field is read from, and
 * `statusFallbacks` the headers a row's status is read from, in order, where
 * the status column's cell is empty (the engine's statusFallbacks), each
 * value of those marked with the column it stood in for.
 */
export function unrecognisedInRows(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  columns: Partial<Record<VocabField, string | undefined>>,
  valueMaps: Partial<Record<(typeof VALUE_MAP_KEY)[VocabField], Record<string, string> | undefined>> = {},
  statusFallbacks: readonly string[] = [],
): UnrecognisedValue[] {
  const out: UnrecognisedValue[] = [];
  const indexOf = (column: string) => headers.findIndex((h) => h.toLowerCase() === column.toLowerCase());
  for (const field of VOCAB_FIELDS) {
    const column = columns[field];
    if (!column) continue;
    const i = indexOf(column);
    if (i < 0) continue;
    const valueMap = valueMaps[VALUE_MAP_KEY[field]];
    const vocab = new FieldVocab(field, headers[i], valueMap);
    const fallbacks = (field === 'status' ? statusFallbacks : [])
      .map(indexOf)
      .filter((j) => j >= 0 && j !== i)
      .map((j) => ({ j, vocab: new FieldVocab(field, headers[j], valueMap, headers[i]) }));
    for (const r of rows) {
      const raw = (r[i] ?? '').trim();
      if (raw !== '') {
        vocab.normalise(raw);
        continue;
      }
      const filled = fallbacks.find((f) => (r[f.j] ?? '').trim() !== '');
      if (filled) filled.vocab.normalise((r[filled.j] ?? '').trim());
    }
    out.push(...vocab.unrecognised(), ...fallbacks.flatMap((f) => f.vocab.unrecognised()));
  }
  return out;
}

/**
 * The columns a CI's status is read from where the status column's cell is empty, for a mapping (a CIs file's
 * fields to headers, and the headers it ignores): the preview's fallbacks of its status column
 * (Preview.statusFallbacks), without those it maps to another field or ignores, as the import reads them.
 */
export function statusFallbacksFor(
  byColumn: Readonly<Record<string, readonly string[]>>,
  cis: Readonly<Partial<Record<string, string | undefined>>>,
  ignored: readonly string[] = [],
): string[] {
  const status = cis.status?.trim().toLowerCase();
  if (!status) return [];
  const own = Object.entries(byColumn).find(([h]) => h.toLowerCase() === status)?.[1] ?? [];
  const taken = new Set(
    [...Object.entries(cis).flatMap(([f, h]) => (f !== 'status' && h ? [h] : [])), ...ignored].map((h) => h.trim().toLowerCase()),
  );
  return own.filter((h) => !taken.has(h.toLowerCase()));
}

/**
 * Unrecognised values for a person, one line per field:
 * `criticality: 'Gold' x 120, 'Silver' x 40 not on the scale critical/high/medium/low; map them with criticalityValues`.
 */
export function unrecognisedLines(values: readonly UnrecognisedValue[]): string[] {
  const lines: string[] = [];
  for (const field of VOCAB_FIELDS) {
    const of = values.filter((u) => u.field === field);
    if (of.length === 0) continue;
    const list = of.map((u) => `'${u.value}' x ${u.count}${u.fallbackOf && u.column ? ` (in ${u.column})` : ''}`).join(', ');
    lines.push(
      `${field}: ${list} not on the scale ${VOCAB_SCALES[field].join('/')}; stored as given. Map them with ${VALUE_MAP_KEY[field]} in the mapping.`,
    );
  }
  return lines;
}

/**
 * Why a value map or default cannot be used, or null when it can: each
 * value map target must be on the field's scale, and a default must mean a
 * scale value (by the value map or the built-in words).
 */
export function vocabMappingProblems(m: {
  criticalityValues?: Record<string, string> | undefined;
  statusValues?: Record<string, string> | undefined;
  ciDefaults?: Partial<Record<string, string>> | undefined;
}): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  for (const field of VOCAB_FIELDS) {
    const key = VALUE_MAP_KEY[field];
    const scale = VOCAB_SCALES[field];
    for (const [from, to] of Object.entries(m[key] ?? {})) {
      if (!scale.includes(vocabKey(to))) {
        problems.push({
          path: [key, from],
          message: `${key} maps "${from}" to "${to}", which is not on the ${field} scale (${scale.join(', ')}). Map each value to one of those.`,
        });
      }
    }
    const def = m.ciDefaults?.[field];
    if (def !== undefined && def.trim() !== '' && vocabValueOf(field, def.trim(), m[key]) === null) {
      problems.push({
        path: ['ciDefaults', field],
        message: `the default ${field} "${def}" is not on the ${field} scale (${scale.join(', ')}) nor a word for one. Give one of those, or map it in ${key}.`,
      });
    }
  }
  return problems;
}
