/**
 * The importer's part of the contract: column mappings, import options, the
 * import log and import jobs. The result of an import itself is
 * `importResultSchema` in domain.ts.
 */
import * as z from 'zod';
import { type CsvOptions, toCsv } from './csv.js';
import { formatCount, formatCountOf } from './format.js';
import {
  csvFileSchema,
  importCountsSchema,
  type ImportResult,
  importResultSchema,
  type RowError,
  unrecognisedValueSchema,
} from './domain.js';
import { cutList } from './format.js';
import { CSV_EXTENSIONS_TEXT } from './file-name.js';
import { vocabMappingProblems } from './import-vocab.js';
import { CI_MAP_FIELDS, ERROR_COLUMNS, errorReportRow, REL_MAP_FIELDS } from './import-fields.js';

export { CI_MAP_FIELDS, earlierSourcesOf, ERROR_COLUMNS, errorReportRow, isKeyCollision, REL_MAP_FIELDS } from './import-fields.js';
export type { EarlierSource } from './import-fields.js';
export type { CiMapField, RelMapField } from './import-fields.js';

/**
 * The fields an import needs a column for, per kind of file (a type may come
 * from the mapping's ciDefaults.type or relDefaults.type instead).
 */
export const REQUIRED_FIELDS = { cis: ['name', 'type'], relationships: ['source', 'target', 'type'] } as const;

/** The CI fields a mapping's ciDefaults may fill. */
export const CI_DEFAULT_FIELDS = ['type', 'status', 'environment', 'owner', 'criticality'] as const;

/** How the engine's encoding names (source.ts) read to a person: the app's file card and `cmdb preview`. */
export function encodingLabel(encoding: string): string {
  switch (encoding) {
    case 'utf8':
      return 'UTF-8';
    case 'utf16le':
      return 'UTF-16 (little-endian)';
    case 'utf16be':
      return 'UTF-16 (big-endian)';
    case 'windows1252':
      return 'Windows-1252 (not UTF-8)';
    case 'macintosh':
      return 'Mac Roman (not UTF-8)';
    default:
      return encoding;
  }
}

export const importModeSchema = z.enum(['upsert', 'create-only', 'update-only', 'sync']);
export type ImportMode = z.infer<typeof importModeSchema>;

/** How a relationship endpoint is found: by CI key, by CI name, or key first then name (auto). */
export const endpointMatchSchema = z.enum(['auto', 'key', 'name']);

/**
 * What an empty cell of a field or attribute column does to a CI or relationship an import updates: `clear`
 * (the default) clears that field or attribute (the export says it has none); `keep` leaves the stored value
 * (no value given, as ServiceNow's import and partial exports mean it). A new CI has no value either way, or
 * the mapping's default.
 */
export const emptyCellsSchema = z.enum(['clear', 'keep']);
export type EmptyCells = z.infer<typeof emptyCellsSchema>;

/**
 * A column mapping: which header holds which field. Columns not mapped (and
 * not ignored) are kept as attributes under their header name.
 */
export const mappingSchema = z
  .object({
    /**
     * CI field -> header; or `COLUMN.KEY`, one key of a column holding JSON (`tags.owner`), when no header has that name;
     * or "" for none: the field is read from no column, not even one of its usual names (`"id": ""` keys CIs by type and
     * name in a file with an `Asset Tag` column). A field left out is found by its usual names.
     */
    cis: z.partialRecord(z.enum(CI_MAP_FIELDS), z.string()).optional(),
    relationships: z.partialRecord(z.enum(REL_MAP_FIELDS), z.string()).optional(),
    /** Values used when the file has no column for a field, e.g. { type: "server" }. */
    ciDefaults: z.partialRecord(z.enum(CI_DEFAULT_FIELDS), z.string()).optional(),
    /**
     * The relationship type of rows whose file has no type column (or an empty
     * cell), read like a value of that column: { "type": "depends_on" } for an
     * iTop link export (`Application solution->Name`; `Functional CI->Name`).
     */
    relDefaults: z
      .object({ type: z.string().trim().min(1) })
      .strict()
      .optional(),
    /** Maps CI type values found in the file onto registry types, e.g. { "cmdb_ci_linux_server": "server" }. */
    typeValues: z.record(z.string(), z.string()).optional(),
    /** Maps relationship type values onto registry types, e.g. { "Depends on::Used by": "depends_on" }. */
    relTypeValues: z.record(z.string(), z.string()).optional(),
    /**
     * Maps criticality values found in the file onto the criticality scale
     * (critical, high, medium, low), e.g. { "Gold": "critical" }. ServiceNow's
     * choice list needs no map. Targets off the scale are refused.
     */
    criticalityValues: z.record(z.string(), z.string()).optional(),
    /** Maps status values onto the status scale (operational, non-operational, maintenance, standby, planned, retired), e.g. { "Live": "operational" }. */
    statusValues: z.record(z.string(), z.string()).optional(),
    /** Columns to drop rather than keep as attributes. */
    ignore: z.object({ cis: z.array(z.string()).optional(), relationships: z.array(z.string()).optional() }).optional(),
    endpointMatch: endpointMatchSchema.optional(),
    /**
     * A relationships row whose target cell is empty: an error (`reject`, the
     * default), or no relationship (`skip`: counted and reported), for a CIs
     * export read as relationships through a reference column that some CIs
     * leave empty (Jira Assets' `Running on`, NetBox's `Cluster`).
     */
    emptyTarget: z.enum(['reject', 'skip']).optional(),
    /** An empty cell on an update: clears the field or attribute (`clear`, the default) or keeps the stored value (`keep`). */
    emptyCells: emptyCellsSchema.optional(),
    /**
     * A row with fewer fields than the header: an error (`reject`, the default), or its missing last cells read as
     * empty (`empty`), as Excel writes rows whose last cells are empty in some blocks of a sheet.
     */
    shortRows: z.enum(['reject', 'empty']).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    // Value maps onto the scales, and defaults that mean a scale value: shared/import-vocab.ts.
    for (const p of vocabMappingProblems(m)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type Mapping = z.infer<typeof mappingSchema>;

export const mappingProfileSchema = z.object({
  name: z.string().min(1).max(200),
  mapping: mappingSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MappingProfile = z.infer<typeof mappingProfileSchema>;

/** A file the engine was given by a door that may name files (see `openFile`), referred to by its id from then on. */
export const fileRefSchema = z.object({
  fileId: z.string().min(1).max(100),
  name: z.string(),
  size: z.number().int(),
});
export type FileRef = z.infer<typeof fileRefSchema>;

/**
 * Uploads: where the web host takes a file's bytes (`POST`, raw body,
 * `?name=`), how large one may be, and which names it takes. The host
 * stores the bytes and opens the file for the engine (openFile, temporary).
 */
export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_LIMIT = 4 * 1024 * 1024 * 1024;
export { CSV_EXTENSIONS_TEXT, CSV_FILE_NAME, isUploadName } from './file-name.js';

/** Why a file of this name is not imported, and what to do: a spreadsheet's own file is to be saved as CSV first. */
export function notCsvText(name: string): string {
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(name))
    return `${name} is a spreadsheet workbook, not a CSV file. Open it and save it as "CSV UTF-8 (Comma delimited)", then import that file.`;
  // A tool's own export format (Zabbix's YAML, XML or JSON configuration export, found by a tester): renaming it does not make it CSV.
  if (/\.(json|ya?ml|xml)$/i.test(name))
    return `${name} is not a CSV file but ${name.replace(/^.*\./, '').toUpperCase()}, which the importer does not read. Export the same list from its tool as CSV (a report's or a list's CSV download, or its API's output written as CSV), then import that file (ending in ${CSV_EXTENSIONS_TEXT}).`;
  return `${name} is not a CSV file. Import files ending in ${CSV_EXTENSIONS_TEXT}.`;
}

/**
 * A CSV given by content, by the id of a file opened or uploaded earlier
 * (the app: files the user picked, dropped or uploaded), or by path (only
 * from the doors the contract's policy lets name files: shared/api.ts).
 */
export const csvInputSchema = z.union([
  csvFileSchema,
  z.object({ fileId: z.string().min(1).max(100) }).strict(),
  z.object({ name: z.string().min(1).optional(), path: z.string().min(1) }),
]);
export type CsvInput = z.infer<typeof csvInputSchema>;

export const importOptionsSchema = z.object({
  mode: importModeSchema.default('upsert'),
  dryRun: z.boolean().default(false),
  /** Import the good rows and report the bad ones, instead of rejecting the whole import. */
  skipBadRows: z.boolean().default(false),
  /** The import source label that sync mode retires CIs and removes relationships by (default: the CIs file name, else the relationships file name). */
  source: z.string().min(1).optional(),
  /**
   * Import rows that rename CIs another source wrote even when they are most of the rows whose key is another
   * source's CI (a key collision, refused by default): the file's rows are those CIs, renamed. `cmdb import --allow-renames`.
   */
  allowRenames: z.boolean().default(false),
  mapping: mappingSchema.optional(),
  /** A saved mapping profile to use (ignored when `mapping` is given). */
  profile: z.string().min(1).optional(),
  /** Overrides the mapping's (or the profile's) emptyCells: `cmdb import --empty-cells`. */
  emptyCells: emptyCellsSchema.optional(),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
  /** How many per-row results to return (dry run review). */
  rowsLimit: z.number().int().min(0).max(10000).default(200),
  /** Which rows count towards rowsLimit: every row, or only those that change the CMDB (created or updated). */
  rowsKept: z.enum(['all', 'changes']).default('all'),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const importRecordSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  files: z.array(z.string()),
  contentHash: z.string().nullable(),
  mode: z.string(),
  source: z.string().nullable(),
  counts: importCountsSchema.partial(),
  durationMs: z.number().nullable(),
  undoneAt: z.string().nullable(),
  createdTypes: z.array(z.string()),
  createdRelTypes: z.array(z.string()),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;

export const undoResultSchema = z.object({
  importId: z.number().int(),
  cisDeleted: z.number().int(),
  cisRestored: z.number().int(),
  relationshipsDeleted: z.number().int(),
  relationshipsRestored: z.number().int(),
  typesRemoved: z.array(z.string()),
});
export type UndoResult = z.infer<typeof undoResultSchema>;

/** What an undo did, in one sentence: the CLI, the import wizard's summary and the import log say it alike. */
export function undoneText(u: UndoResult): string {
  const rels =
    u.relationshipsDeleted + u.relationshipsRestored > 0
      ? `; ${formatCountOf(u.relationshipsDeleted, 'relationship', 'relationships')} removed, ${formatCount(u.relationshipsRestored)} restored`
      : '';
  const types = u.typesRemoved.length > 0 ? ` Types removed: ${u.typesRemoved.join(', ')}.` : '';
  return `Import #${u.importId} undone: ${formatCountOf(u.cisDeleted, 'CI', 'CIs')} removed, ${formatCount(u.cisRestored)} restored${rels}.${types}`;
}

export const previewSchema = z.object({
  name: z.string(),
  headers: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  encoding: z.string(),
  delimiter: z.string(),
  /** Whether the headers look like a CIs file or a relationships file. */
  kind: z.enum(['cis', 'relationships']),
  suggested: mappingSchema,
  warnings: z.array(z.string()),
  /**
   * Indexes (from 0) of the columns without a header name whose values no attribute keeps, as far as the rows read
   * tell (the warnings say why): every other column that no field takes is kept as an attribute.
   */
  ignoredColumns: z.array(z.number().int()),
  /**
   * For each column of a usual status name, the columns a CI's status is read from, in order, where its cell is
   * empty, were it the status column (operational_status: [install_status]); statusFallbacksFor takes a mapping's.
   */
  statusFallbacks: z.record(z.string(), z.array(z.string())),
  /** Criticality and status values of the rows shown that are not on the scale, read with the suggested mapping. */
  unrecognisedValues: z.array(unrecognisedValueSchema),
});
export type Preview = z.infer<typeof previewSchema>;

export const importJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  rowsDone: z.number().int(),
  total: z.number().int().nullable(),
  rate: z.number(),
  /** The import's result when state is done. */
  result: importResultSchema.optional(),
  /** The error when state is failed or cancelled. */
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

/** The row-error report for a list of errors, as CSV text (formula-guarded: it echoes file content). */
export function errorsToCsv(errors: readonly RowError[], options: CsvOptions = {}): string {
  return toCsv([[...ERROR_COLUMNS], ...errors.map(errorReportRow)], options);
}

/**
 * The types an import adds to the registry, flagged for review, a line per kind, as the CLI and the import
 * wizard say it (a dry run's would be added: nothing is written). A name may be both kinds (`virtual` of a
 * Device42 export read for CIs and, through its `type` column, for relationships). A relationship type the
 * registry does not know decides impact: the line says how it is read, and how to read it otherwise. Where to
 * map a type value: a mapping's typeValues and relTypeValues (`cli`), the file card's “Values to map” box (`app`).
 */
export function newTypesLines(
  r: Pick<ImportResult, 'createdTypes' | 'createdRelTypes'>,
  dryRun: boolean,
  surface: 'cli' | 'app' = 'cli',
): string[] {
  const added = dryRun ? 'would be added' : 'added';
  const again = dryRun ? '' : ' and import again';
  const where =
    surface === 'app'
      ? (kind: string) => `map them to a known ${kind} in the file card’s “Values to map” box${again}`
      : (_kind: string, key: string) => `${key} in a mapping, docs/import.md`;
  const lines: string[] = [];
  if (r.createdTypes.length > 0)
    lines.push(
      `New CI types ${added} to the registry and flagged for review${surface === 'app' ? ` (${where('CI type', 'typeValues')})` : ''}: ${r.createdTypes.join(', ')}`,
    );
  if (r.createdRelTypes.length > 0)
    lines.push(
      `New relationship types ${added} to the registry and flagged for review, each read as a hard depends_on (the source goes down with the target) until mapped to a known type (${where('relationship type', 'relTypeValues')}): ${r.createdRelTypes.join(', ')}`,
    );
  return lines;
}

/**
 * What a sync took away because its files no longer list it, a sentence per
 * kind naming the first ten (the CLI and the import wizard say it alike): a
 * dry run's is what it would do, for a look before the real one.
 */
export function unlistedLines(r: Pick<ImportResult, 'dryRun' | 'counts' | 'unlisted'>): string[] {
  const lines: string[] = [];
  const named = r.unlisted.labels ?? r.unlisted;
  if (r.counts.retired > 0)
    lines.push(`${r.dryRun ? 'Would retire' : 'Retired'} (no longer listed): ${cutList(named.retired, 10, r.counts.retired)}.`);
  if (r.counts.relationshipsRemoved > 0)
    lines.push(
      `${r.dryRun ? 'Would remove' : 'Removed'} (no longer listed): ${cutList(named.removed, 10, r.counts.relationshipsRemoved)}.`,
    );
  return lines;
}
