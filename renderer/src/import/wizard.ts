/**
 * The import wizard's pure logic: which files make the request, the mapping
 * sent with it, what must be mapped before a run, and the key that tells
 * whether a dry run still matches the settings on screen.
 */
import type { ImportResult, NewTypeValue, UnrecognisedValue } from '../../../shared/domain.js';
import { formatCount } from '../../../shared/format.js';
import {
  CI_DEFAULT_FIELDS,
  CI_MAP_FIELDS,
  CSV_FILE_NAME,
  REL_MAP_FIELDS,
  REQUIRED_FIELDS,
  type EmptyCells,
  type ImportMode,
  type Mapping,
  type MappingProfile,
  type Preview,
} from '../../../shared/import.js';
import { mappedColumn } from '../../../shared/json-key.js';
import { statusFallbacksFor, unrecognisedInRows, VALUE_MAP_KEY, type VocabField } from '../../../shared/import-vocab.js';
import type { LoadedFile } from './files.js';

/** What a file holds. */
export type Kind = 'cis' | 'relationships';
/** Which column holds which field: a field left out (shown as none) or "" reads from no column. */
export type FieldMap = Partial<Record<string, string>>;

/** One chosen file in the wizard: how it reads, what it holds, its column mapping and its defaults. */
export interface Entry {
  file: LoadedFile;
  preview: Preview;
  kind: Kind;
  map: FieldMap;
  /** The value of a field where the file has no column or an empty cell (the mapping's ciDefaults, or relDefaults for the type). */
  defaults: FieldMap;
  /** The columns the profile applied last reads fields from that this file lacks (applyProfileTo), said on the card. */
  lacking?: { profile: string; columns: Array<{ field: string; column: string }> };
}

/** The fields a file card shows, per kind of file: each is sent with the request (wizard.ts sentMap). */
export const MAP_FIELDS: Record<Kind, readonly string[]> = { cis: CI_MAP_FIELDS, relationships: REL_MAP_FIELDS };

/** The fields a default may fill, per kind of file (the mapping's ciDefaults; relDefaults has the type only). */
export const DEFAULT_FIELDS: Record<Kind, readonly string[]> = { cis: CI_DEFAULT_FIELDS, relationships: ['type'] };

/** The import modes, as the wizard offers them. */
export const MODES: Array<{ mode: ImportMode; label: string; hint: string }> = [
  { mode: 'upsert', label: 'Create and update', hint: 'New keys are created, known keys updated.' },
  { mode: 'create-only', label: 'Create only', hint: 'Known keys are left alone.' },
  { mode: 'update-only', label: 'Update only', hint: 'New keys are left alone.' },
  {
    mode: 'sync',
    label: 'Sync',
    hint: 'As “create and update”; what this source no longer lists is retired (CIs) or removed (relationships).',
  },
];

/** What an empty cell does to a CI or relationship the import updates (the mapping's emptyCells), as the wizard offers it. */
export const EMPTY_CELLS: Array<{ value: EmptyCells; label: string; hint: string }> = [
  { value: 'clear', label: 'Empty cells clear', hint: 'An empty cell clears the stored value: the file says there is none.' },
  {
    value: 'keep',
    label: 'Empty cells keep',
    hint: 'An empty cell leaves the stored value: for a partial export, or a sheet that fills some values only.',
  },
];

/**
 * The value maps the wizard sends: criticality and status values onto the scales and CI type values onto the
 * registry's types (with the CIs file), relationship type values onto its relationship types (with the
 * relationships file).
 */
export type ValueMaps = Pick<Mapping, 'criticalityValues' | 'statusValues' | 'typeValues' | 'relTypeValues'>;

/** The fields whose values the value mapper maps: the scales' and the types' (a CI's, a relationship's). */
export type MapField = VocabField | NewTypeValue['field'];
/** Each field's value map in the mapping. */
export const MAP_KEY = { ...VALUE_MAP_KEY, type: 'typeValues', relType: 'relTypeValues' } as const satisfies Record<
  MapField,
  keyof ValueMaps
>;

/**
 * A value the value mapper offers to map: one not on a scale (UnrecognisedValue) or one that makes a new type
 * (NewTypeValue, whose `type` is that type), with its rows: `inFile`, counted in the whole file by a dry run,
 * else in the first rows the preview read (`of` of them).
 */
export type ValueToMap = (UnrecognisedValue | NewTypeValue) & { inFile: boolean; of: number };

/** The parts of a mapping the wizard has controls for (the file cards, their defaults, the value mapper). */
const SHOWN_KEYS: readonly string[] = [
  'cis',
  'relationships',
  'ciDefaults',
  'relDefaults',
  'criticalityValues',
  'statusValues',
  'typeValues',
  'relTypeValues',
  'emptyCells',
];

/**
 * The rest of an applied profile (its ignore, endpointMatch, emptyTarget, and any part a later version adds):
 * kept and sent as it is, so the import reads the whole profile, as `cmdb import --profile` does, and saving
 * the mapping keeps it.
 */
export type ProfileExtras = Omit<
  Mapping,
  | 'cis'
  | 'relationships'
  | 'ciDefaults'
  | 'relDefaults'
  | 'criticalityValues'
  | 'statusValues'
  | 'typeValues'
  | 'relTypeValues'
  | 'emptyCells'
>;

/** A profile's parts the wizard has no control for. */
export function extrasOf(p: MappingProfile): ProfileExtras {
  return Object.fromEntries(Object.entries(p.mapping).filter(([k, v]) => v !== undefined && !SHOWN_KEYS.includes(k))) as ProfileExtras;
}

/** How many entries a value map or an ignore list has. */
const sizeOf = (v: unknown): number =>
  Array.isArray(v)
    ? v.length
    : v && typeof v === 'object'
      ? Object.values(v).reduce<number>((n, x) => n + (Array.isArray(x) ? x.length : 1), 0)
      : 1;

const EXTRA_LABEL: Record<string, (v: unknown) => string> = {
  ignore: (v) => `ignored columns (${sizeOf(v)})`,
  endpointMatch: (v) => `endpoints matched by ${String(v)}`,
  emptyTarget: (v) => `empty targets ${v === 'skip' ? 'skipped' : 'rejected'}`,
  shortRows: (v) => (v === 'empty' ? 'short rows read with empty last cells' : 'short rows rejected'),
};

/** The line naming what the wizard carries from a profile besides its controls: "Also from the profile: type values (3)." */
export function extrasText(x: ProfileExtras): string | null {
  const parts = Object.entries(x).map(([k, v]) => (EXTRA_LABEL[k] ?? ((): string => k))(v));
  return parts.length > 0 ? `Also from the profile: ${parts.join(', ')}.` : null;
}

/** The wizard's choices that shape a request. */
interface WizardSettings {
  entries: Entry[];
  mode: ImportMode;
  skipBad: boolean;
  /** The import's source (what a sync retires by); empty: the engine's default, the CIs file's name. */
  source?: string;
  valueMaps?: ValueMaps;
  extras?: ProfileExtras;
  /** What an empty cell does on an update (sent as the mapping's emptyCells); default clear. */
  emptyCells?: EmptyCells;
  /** Rows that rename CIs another source wrote are those CIs renamed: not refused as a key collision (`--allow-renames`). */
  allowRenames?: boolean;
}

/** A new entry for a file just previewed, mapped as the engine suggests for what it looks like. */
export function newEntry(file: LoadedFile, preview: Preview): Entry {
  return { file, preview, kind: preview.kind, map: suggestedMap(preview, preview.kind), defaults: {} };
}

/** The engine's suggested mapping of a preview's headers for one kind of file (a copy, to edit). */
export function suggestedMap(preview: Preview, kind: Kind): FieldMap {
  return { ...(kind === 'cis' ? preview.suggested.cis : preview.suggested.relationships) };
}

/**
 * A field map as the request sends it: every field the card shows, one shown as none (left out, or chosen so)
 * as "", so the import does not find it by its usual names in a column the card does not show for it (a file
 * re-labelled as relationships has no suggestion for its `type` column, which is no relationship type).
 */
export function sentMap(kind: Kind, m: FieldMap): Record<string, string> {
  return Object.fromEntries(MAP_FIELDS[kind].map((f) => [f, m[f] ?? '']));
}

/** An entry's defaults as typed (trimmed), without the empty ones and those its kind cannot default. */
function cleanDefaults(e: Entry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of DEFAULT_FIELDS[e.kind]) {
    const v = e.defaults[f]?.trim();
    if (v) out[f] = v;
  }
  return out;
}

/**
 * Whether a required field of the entry has neither a column nor a default (a CI's or relationship's type may
 * have one). An update-only CIs file with a key column needs no name or type: its CIs keep theirs (the engine's
 * ciLayout).
 */
export function isFieldMissing(e: Entry, field: string, mode?: ImportMode): boolean {
  if (mode === 'update-only' && e.kind === 'cis' && (field === 'name' || field === 'type') && e.map.id) return false;
  return (REQUIRED_FIELDS[e.kind] as readonly string[]).includes(field) && !e.map[field] && !cleanDefaults(e)[field];
}

/** The CIs file and the relationships file of the wizard (the first of each kind). */
function entriesByKind(entries: Entry[]): { cisEntry: Entry | undefined; relEntry: Entry | undefined } {
  return { cisEntry: entries.find((e) => e.kind === 'cis'), relEntry: entries.find((e) => e.kind === 'relationships') };
}

/** The files an import of `entries` reads, named as its log entry names them: the CIs file, then the relationships file. */
export function importedFiles(entries: Entry[]): string[] {
  const { cisEntry, relEntry } = entriesByKind(entries);
  return [cisEntry, relEntry].flatMap((e) => (e ? [e.file.name] : []));
}

/** Whether two files claim to hold the same kind (one import takes one of each). */
export function hasTwoOfAKind(entries: Entry[]): boolean {
  return entries.filter((e) => e.kind === 'cis').length > 1 || entries.filter((e) => e.kind === 'relationships').length > 1;
}

/**
 * The mapping sent with the request: each file's mapped fields and defaults, its value maps (those not empty:
 * the relationships file's relTypeValues, the CIs file's others), what an applied profile brought besides, and
 * emptyCells when it is keep (clear is the engine's default).
 */
export function buildMapping(
  entries: Entry[],
  valueMaps: ValueMaps = {},
  extras: ProfileExtras = {},
  emptyCells: EmptyCells = 'clear',
): Mapping {
  const { cisEntry, relEntry } = entriesByKind(entries);
  const maps = Object.entries(valueMaps).filter(([, m]) => m && Object.keys(m).length > 0);
  const ciMaps = Object.fromEntries(maps.filter(([k]) => k !== MAP_KEY.relType));
  const relMaps = Object.fromEntries(maps.filter(([k]) => k === MAP_KEY.relType));
  const ciDefaults = cisEntry ? cleanDefaults(cisEntry) : {};
  const relType = relEntry ? cleanDefaults(relEntry).type : undefined;
  return {
    ...extras,
    ...(cisEntry ? { cis: sentMap('cis', cisEntry.map), ...ciMaps } : {}),
    ...(Object.keys(ciDefaults).length > 0 ? { ciDefaults } : {}),
    ...(relEntry ? { relationships: sentMap('relationships', relEntry.map), ...relMaps } : {}),
    ...(relType ? { relDefaults: { type: relType } } : {}),
    ...(emptyCells === 'keep' ? { emptyCells } : {}),
  };
}

/** The value maps with one value mapped onto `target`, or its map removed (target null: stored as given, or a new type). */
export function withValueMap(maps: ValueMaps, field: MapField, value: string, target: string | null): ValueMaps {
  const key = MAP_KEY[field];
  const m = { ...maps[key] };
  if (target === null) delete m[value];
  else m[value] = target;
  return { ...maps, [key]: m };
}

/** A profile's emptyCells, for the wizard's choice (clear when it has none). */
export function emptyCellsOf(p: MappingProfile): EmptyCells {
  return p.mapping.emptyCells ?? 'clear';
}

/** A profile's value maps (criticality, status, CI type and relationship type), for the wizard to send with its columns. */
export function valueMapsOf(p: MappingProfile): ValueMaps {
  const out: ValueMaps = {};
  for (const key of Object.values(MAP_KEY)) if (p.mapping[key]) out[key] = p.mapping[key];
  return out;
}

/** The key of one reading of a value (its field, column and the column it stood in for): a later dry run's replaces it. */
const readingKey = (u: UnrecognisedValue | NewTypeValue) =>
  [u.field, u.column ?? '', 'fallbackOf' in u ? (u.fallbackOf ?? '') : '', u.value].join('\u0000');

/**
 * The values the dry runs since the files changed named, with a new dry run's: each reading (field, column,
 * value) once, with the newest count, so that two dry runs of one file do not add up.
 */
export function withDryValues(
  old: ReadonlyArray<UnrecognisedValue | NewTypeValue>,
  result: Pick<ImportResult, 'unrecognisedValues' | 'newTypeValues'>,
): Array<UnrecognisedValue | NewTypeValue> {
  const now = [...result.unrecognisedValues, ...(result.newTypeValues ?? [])];
  const fresh = new Set(now.map(readingKey));
  return [...old.filter((u) => !fresh.has(readingKey(u))), ...now];
}

/**
 * The values a file holds that the value mapper offers to map, with their rows, read with the columns mapped
 * on screen (a value read from a column the mapping does not read it from, a dry run's before a change, is left
 * out: mapping it would change nothing). A CIs file's criticality and status values not on the scales by the
 * built-in words (typeValuesToMap has its type values), in the first rows the preview read (before any value
 * map, a status also from the columns read where the status column is empty) and in the dry runs'
 * (`dryValues`): a dry run's count is of the whole file and replaces the first rows'.
 */
export function valuesToMap(
  e: Entry,
  dryValues: ReadonlyArray<UnrecognisedValue | NewTypeValue>,
  ignored: readonly string[] = [],
): ValueToMap[] {
  const types = typeValuesToMap(e, dryValues);
  if (e.kind !== 'cis') return types;
  const lastDry = dryValues.filter((u): u is UnrecognisedValue => u.field === 'criticality' || u.field === 'status');
  const cols = { criticality: e.map.criticality, status: e.map.status };
  const fallbacks = statusFallbacksFor(e.preview.statusFallbacks ?? {}, e.map, ignored);
  const lower = new Set(fallbacks.map((h) => h.toLowerCase()));
  const readHere = (u: UnrecognisedValue) =>
    cols[u.field] !== undefined &&
    (u.column === null ||
      (u.fallbackOf === undefined ? u.column === cols[u.field] : u.fallbackOf === cols[u.field] && lower.has(u.column.toLowerCase())));
  const shown = unrecognisedInRows(e.preview.headers, e.preview.rows, cols, {}, fallbacks);
  const seen = new Map<string, ValueToMap>();
  for (const [list, inFile] of [
    [shown, false],
    [lastDry, true],
  ] as const) {
    // Within one reading, a value in the status column and in its fallback are other rows: counted together.
    const once = new Map<string, ValueToMap>();
    for (const u of list.filter(readHere)) {
      const k = `${u.field}\u0000${u.value}`;
      const had = once.get(k);
      const count = (had?.count ?? 0) + u.count;
      once.set(
        k,
        had
          ? { field: u.field, column: cols[u.field] ?? null, value: u.value, count, inFile, of: had.of }
          : { ...u, inFile, of: e.preview.rows.length },
      );
    }
    for (const [k, u] of once) seen.set(k, u);
  }
  return [...seen.values(), ...types];
}

/** The type values of a file that the dry runs found make a new type, read from the type column mapped on screen. */
function typeValuesToMap(e: Entry, dryValues: ReadonlyArray<UnrecognisedValue | NewTypeValue>): ValueToMap[] {
  const field = e.kind === 'cis' ? 'type' : 'relType';
  const column = (e.map.type ?? '').toLowerCase();
  return dryValues
    .filter((u): u is NewTypeValue => u.field === field && (u.column ?? '').toLowerCase() === column)
    .map((u) => ({ ...u, inFile: true, of: 0 }));
}

/** Whether a required field (name and type of a CI; source, target and type of a relationship) has no column nor default. */
export function isMissingRequired(entries: Entry[], mode?: ImportMode): boolean {
  const { cisEntry, relEntry } = entriesByKind(entries);
  return [cisEntry, relEntry].some((e) => e && REQUIRED_FIELDS[e.kind].some((f) => isFieldMissing(e, f, mode)));
}

/** The request for a dry run or an import (without `dryRun` and `rowsLimit`). */
export function buildRequest({ entries, mode, skipBad, valueMaps, extras, source, emptyCells, allowRenames }: WizardSettings) {
  const { cisEntry, relEntry } = entriesByKind(entries);
  return {
    ...(cisEntry ? { cis: { fileId: cisEntry.file.fileId } } : {}),
    ...(relEntry ? { relationships: { fileId: relEntry.file.fileId } } : {}),
    mapping: buildMapping(entries, valueMaps, extras, emptyCells),
    mode,
    skipBadRows: skipBad,
    ...(source?.trim() ? { source: source.trim() } : {}),
    ...(allowRenames ? { allowRenames } : {}),
  };
}

/** A key that changes whenever a setting that would change a dry run's answer changes. */
export function settingsKey({ entries, mode, skipBad, valueMaps, extras, source, emptyCells, allowRenames }: WizardSettings): string {
  return JSON.stringify([
    entries.map((e) => [e.file.name, e.file.size, e.kind]),
    buildMapping(entries, valueMaps, extras, emptyCells),
    mode,
    skipBad,
    source?.trim() ?? '',
    allowRenames === true,
  ]);
}

/**
 * An entry mapped by a saved profile. A field the profile names takes that column where this file has it (a
 * header, or one key of a JSON column: `"name": "tags.Name"`, shown as given), or none where the profile reads
 * it from no column (""); a field it does not name, or names a header this file lacks, keeps the suggestion
 * (unless the profile puts that column in another field: a column the mapping names is used for that field
 * only, its key's excepted, as the import reads it). The profile's defaults replace those typed. The columns
 * it names that this file lacks are kept on the entry (`lacking`), for the card to say so.
 */
export function applyProfileTo(e: Entry, p: MappingProfile): Entry {
  const m = e.kind === 'cis' ? p.mapping.cis : p.mapping.relationships;
  const d = e.kind === 'cis' ? p.mapping.ciDefaults : p.mapping.relDefaults;
  if (!m && !d) return e;
  const { lacking: _before, ...rest } = e;
  if (!m) return { ...rest, defaults: { ...d } };
  const named: FieldMap = {};
  const columns: Array<{ field: string; column: string }> = [];
  for (const [f, h] of Object.entries(m)) {
    if (h === undefined) continue;
    const column = h.trim() === '' ? '' : mappedColumn(e.preview.headers, h, e.kind);
    if (column !== null) named[f] = column;
    else columns.push({ field: f, column: h });
  }
  const lacking = columns.length > 0 ? { lacking: { profile: p.name, columns } } : {};
  const elsewhere = new Set(Object.entries(named).flatMap(([f, h]) => (h && f !== 'id' ? [h.toLowerCase()] : [])));
  const kept = Object.entries(suggestedMap(e.preview, e.kind)).filter(([f, h]) => h && !(f in named) && !elsewhere.has(h.toLowerCase()));
  return { ...rest, map: { ...Object.fromEntries(kept), ...named }, defaults: { ...d }, ...lacking };
}

/**
 * Whether a saved profile fits the files loaded: it names columns for a kind of file that is loaded, and every
 * column it names for each loaded file's kind is one of that file's (as applyProfileTo finds it). Next week's
 * export of the same tool fits the profile saved for it; imported without it, its statuses and fields were read
 * afresh and quietly rewrote the good ones (found by a new user).
 */
export function profileFits(p: MappingProfile, entries: readonly Entry[]): boolean {
  let named = 0;
  for (const e of entries) {
    const columns = Object.values((e.kind === 'cis' ? p.mapping.cis : p.mapping.relationships) ?? {}).filter(
      (h): h is string => h !== undefined && h.trim() !== '',
    );
    if (columns.some((h) => mappedColumn(e.preview.headers, h, e.kind) === null)) return false;
    named += columns.length;
  }
  return named > 0;
}

/** The entries with the newly loaded ones added, each replacing a file of the same name. */
export function mergeEntries(old: Entry[], loaded: Entry[]): Entry[] {
  return [...old.filter((o) => !loaded.some((l) => l.file.name === o.file.name)), ...loaded];
}

/** Whether a file name is one the wizard takes (CSV, TSV or text). */
export function isCsvName(name: string): boolean {
  return CSV_FILE_NAME.test(name);
}

/** A running import as the wizard shows it. */
export type Job = {
  jobId: string;
  rowsDone: number;
  total: number | null;
  rate: number;
  phase: string;
  cancelling: boolean;
  /** Started before this page was loaded (a reload during an import), seen from its progress events. */
  adopted?: boolean;
  /** The file it is reading, as its events name it (an adopted job's files are not known otherwise). */
  file?: string | null | undefined;
};

/** How far a job is, in percent, or null while its total is unknown. */
export function jobPercent(job: Job | null): number | null {
  return job && job.total ? Math.min(100, Math.round((job.rowsDone / job.total) * 100)) : null;
}

/**
 * The line of text beside the progress bar: the rows done and how much of the files is read. Not a count of rows
 * to come: the engine's total is the rows so far scaled by the bytes, and a CIs file's long rows ahead of a
 * relationships file's short ones made it read "~407,643" of 768,799 (found by a new user).
 */
export function progressText(job: Job): string {
  const pct = jobPercent(job);
  return job.cancelling
    ? 'Cancelling: rolling back…'
    : `${job.phase} · ${formatCount(job.rowsDone)} rows${pct === null ? '' : ` · ${pct}% of the files read`}${job.rate ? ` · ${formatCount(job.rate)} rows/s` : ''}`;
}
