import * as z from 'zod';
import { FILE_NAME_RULE, isUploadName } from './file-name.js';

/** Which end of a relationship depends on the other (is impacted when the other fails). */
export const dependentEndSchema = z.enum(['source', 'target']);
/** How hard a dependency is: hard = goes down with it, soft = degraded, none = not propagated. */
export const strengthSchema = z.enum(['hard', 'soft', 'none']);
export type Strength = z.infer<typeof strengthSchema>;

/**
 * Whether a relationship of this strength carries impact: every strength but
 * `none`. The one rule the impact engine follows (GraphIndex.typeMask, the
 * engine's followMask), the Impact screen ticks by default and
 * `cmdb impact --types` states.
 */
export function propagates(strength: Strength): boolean {
  return strength !== 'none';
}

/** The strengths that carry impact (propagates), in the registry's order: hard, soft. */
export const PROPAGATING_STRENGTHS: readonly Strength[] = strengthSchema.options.filter(propagates);

export const ciTypeSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** Created by an import because the registry lacked it; review it. */
  flagged: z.boolean(),
  builtin: z.boolean(),
  count: z.number().int(),
});
export type CiType = z.infer<typeof ciTypeSchema>;

export const relTypeSchema = z.object({
  name: z.string(),
  label: z.string(),
  reverseLabel: z.string(),
  dependent: dependentEndSchema,
  strength: strengthSchema,
  flagged: z.boolean(),
  builtin: z.boolean(),
  count: z.number().int(),
});
export type RelType = z.infer<typeof relTypeSchema>;

const stringRecord = z.record(z.string(), z.string());

/**
 * A CI's or a relationship's attributes: names to text. Checked as a record of strings, but the result is built
 * from the request's own entries: zod's record assigns each key (`out[key] = value`), and an attribute named
 * `__proto__` (which an import keeps from attributes_json) would set the object's prototype instead, so an edit
 * through the API silently dropped it. `Object.fromEntries` defines each key as the object's own, that one too.
 */
export const attributesSchema = z
  .custom<Record<string, string>>(() => true)
  .superRefine((v, ctx) => {
    const checked = stringRecord.safeParse(v);
    if (!checked.success) for (const i of checked.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
  })
  .transform((v) => Object.fromEntries(Object.entries(v)));

export const ciSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  type: z.string(),
  name: z.string(),
  status: z.string().nullable(),
  environment: z.string().nullable(),
  owner: z.string().nullable(),
  criticality: z.string().nullable(),
  description: z.string().nullable(),
  attributes: attributesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  importId: z.number().int().nullable(),
});
export type Ci = z.infer<typeof ciSchema>;

/** The editable fields of a CI (everything but identity and bookkeeping). */
export const ciFieldsSchema = z.object({
  type: z.string().min(1),
  name: z.string().min(1),
  status: z.string().nullable().optional(),
  environment: z.string().nullable().optional(),
  owner: z.string().nullable().optional(),
  criticality: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  attributes: attributesSchema.optional(),
});
export type CiFields = z.infer<typeof ciFieldsSchema>;

export const ciRefSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.string().nullable(),
  criticality: z.string().nullable(),
});
export type CiRef = z.infer<typeof ciRefSchema>;

export const relationshipSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  target: z.string(),
  type: z.string(),
  redundancyGroup: z.string().nullable(),
  minUp: z.number().int().nullable(),
  attributes: attributesSchema,
});
export type Relationship = z.infer<typeof relationshipSchema>;

/** A relationship seen from one CI, with the CI at the other end. */
export const relatedSchema = relationshipSchema.extend({ other: ciRefSchema });
export type Related = z.infer<typeof relatedSchema>;

export const historyEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  entity: z.enum(['ci', 'relationship']),
  action: z.enum(['create', 'update', 'delete']),
  ciKey: z.string().nullable(),
  summary: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  source: z.string(),
  importId: z.number().int().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const ciDetailSchema = z.object({
  ci: ciSchema,
  /** Relationships where this CI is the source. */
  outgoing: z.array(relatedSchema),
  /** Relationships where this CI is the target. */
  incoming: z.array(relatedSchema),
  history: z.array(historyEntrySchema),
  /** How many there are in all: the lists above stop at the request's limits. */
  outgoingTotal: z.number().int(),
  incomingTotal: z.number().int(),
  historyTotal: z.number().int(),
});
export type CiDetail = z.infer<typeof ciDetailSchema>;

export const FILTER_FIELDS = ['type', 'status', 'environment', 'owner', 'criticality'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/**
 * The most values a filter takes per field, and the longest: each value is a bound SQL variable, and five fields'
 * worth stays far below SQLite's limit on them (32,766), so a request past it is refused as a request, not in SQL.
 */
export const FILTER_VALUES_MAX = 1000;
export const FILTER_VALUE_LENGTH_MAX = 10_000;
const filterValues = z.array(z.string().max(FILTER_VALUE_LENGTH_MAX)).max(FILTER_VALUES_MAX).optional();
export const ciFiltersSchema = z.object({
  type: filterValues,
  status: filterValues,
  environment: filterValues,
  owner: filterValues,
  criticality: filterValues,
});
export type CiFilters = z.infer<typeof ciFiltersSchema>;

export const SORT_FIELDS = ['name', 'key', 'type', 'status', 'environment', 'owner', 'criticality', 'updatedAt'] as const;

export const directionSchema = z.enum(['upstream', 'downstream', 'both']);
/**
 * upstream = what this CI depends on; downstream = what depends on it
 * (what it would impact); both = the union of those two walks from the CI
 * (never a walk that turns, so a CI's siblings are not in it).
 */
export type Direction = z.infer<typeof directionSchema>;

export const graphNodeSchema = ciRefSchema.extend({
  id: z.number().int(),
  environment: z.string().nullable(),
  owner: z.string().nullable(),
  depth: z.number().int(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const graphEdgeSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  target: z.string(),
  type: z.string(),
  redundancyGroup: z.string().nullable(),
  minUp: z.number().int().nullable(),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const statsSchema = z.object({
  path: z.string(),
  cis: z.number().int(),
  relationships: z.number().int(),
  byType: z.array(z.object({ type: z.string(), count: z.number().int() })),
  relationshipsByType: z.array(z.object({ type: z.string(), count: z.number().int() })),
  flaggedTypes: z.array(z.string()),
  schemaVersion: z.number().int(),
  lastImportAt: z.string().nullable(),
});
export type Stats = z.infer<typeof statsSchema>;

/** One rejected CSV row: where it is and what to do. */
export const rowErrorSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

export const importCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  retired: z.number().int(),
  rejected: z.number().int(),
  relationshipsCreated: z.number().int(),
  relationshipsUpdated: z.number().int(),
  relationshipsUnchanged: z.number().int(),
  relationshipsRejected: z.number().int(),
  /** Relationships a sync removed: its source's, no longer listed by its relationships file. */
  relationshipsRemoved: z.number().int(),
  /** Rows left alone by the mode: existing keys in create-only, new keys in update-only. */
  skipped: z.number().int(),
  relationshipsSkipped: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

/** What an import did (or, in a dry run, would do) with one row. */
export const importRowResultSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  /** The CI key, or `source type target` for a relationship. */
  key: z.string(),
  action: z.enum(['create', 'update', 'unchanged', 'skip', 'retire', 'remove', 'reject']),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
});
export type ImportRowResult = z.infer<typeof importRowResultSchema>;

/**
 * A criticality or status value of an imported file that is not on the
 * registry's scale (shared/vocab.ts) and that no value map translates: stored
 * as given, and named with the rows that hold it (shared/import-vocab.ts).
 */
export const unrecognisedValueSchema = z.object({
  field: z.enum(['criticality', 'status']),
  /** The header the values came from (null: the mapping's default). */
  column: z.string().nullable(),
  /**
   * The status column whose empty cells this column stood in for (`operational_status`, for a value read
   * from `install_status` where it was empty); absent for a value read from the mapped column itself.
   */
  fallbackOf: z.string().optional(),
  value: z.string(),
  count: z.number().int(),
});
export type UnrecognisedValue = z.infer<typeof unrecognisedValueSchema>;

/**
 * A CI type value (`type`) or relationship type value (`relType`) of an imported file that makes a type the
 * registry did not have (`createdTypes`, `createdRelTypes`), with the rows that hold it: mapped onto a known
 * type by the mapping's typeValues or relTypeValues, it makes none.
 */
export const newTypeValueSchema = z.object({
  field: z.enum(['type', 'relType']),
  /** The header the values came from (null: the mapping's default, the file having no type column). */
  column: z.string().nullable(),
  value: z.string(),
  /** The new type the value is read as (`storage_array` for `Storage Array`). */
  type: z.string(),
  count: z.number().int(),
});
export type NewTypeValue = z.infer<typeof newTypeValueSchema>;

export const importResultSchema = z.object({
  importId: z.number().int().nullable(),
  dryRun: z.boolean(),
  mode: z.enum(['upsert', 'create-only', 'update-only', 'sync']),
  counts: importCountsSchema,
  /** The row errors (the first 1000; `errorsTruncated` says when there were more). */
  errors: z.array(rowErrorSchema),
  errorsTruncated: z.boolean(),
  /**
   * Set when a row error refuses the import as a whole, even skipping bad rows (a group's conflicting settings, a
   * quote never closed): a dry run's import would be refused. Absent otherwise.
   */
  refusedWhole: z.literal(true).optional(),
  /** Per-row results for the first rows (options.rowsLimit), in file order: of every kind, or only those created or updated (`rowsKept`). */
  rows: z.array(importRowResultSchema),
  /** Which rows `rows` holds: every row (`all`), or only those the import creates or updates (`changes`), as the request asked. */
  rowsKept: z.enum(['all', 'changes']),
  /** Things worth knowing that did not reject anything (ignored columns, detected encoding). */
  warnings: z.array(z.string()),
  /** Criticality and status values not on the scale, most frequent first per field (kept as given; map them with criticalityValues / statusValues). */
  unrecognisedValues: z.array(unrecognisedValueSchema),
  createdTypes: z.array(z.string()),
  createdRelTypes: z.array(z.string()),
  /** The type values that make those types, most frequent first per field (the first 100 of each; absent from older results). */
  newTypeValues: z.array(newTypeValueSchema).optional(),
  /**
   * What a sync took away because its files no longer list it, the first
   * UNLISTED_SHOWN of each (the counts give the totals): the CIs it retired
   * (keys) and the relationships it removed (`source type target`); `labels`, the same for a person to
   * read, each CI by name and key (`Old host (srv-9)`, `App (a) runs_on Old host (srv-9)`).
   */
  unlisted: z.object({
    retired: z.array(z.string()),
    removed: z.array(z.string()),
    labels: z.object({ retired: z.array(z.string()), removed: z.array(z.string()) }).optional(),
  }),
  durationMs: z.number(),
});
export { UNLISTED_SHOWN } from './import-fields.js';
export type ImportResult = z.infer<typeof importResultSchema>;

/**
 * A CSV file handed to the engine by content (UI, web host) rather than by path. Its name is what the import's
 * messages and log show as the file: the uploads' rule (a bare CSV file name, shared/file-name.ts), not any text.
 */
export const csvFileSchema = z.object({
  name: z.string().refine(isUploadName, { message: `must be ${FILE_NAME_RULE}` }),
  content: z.string(),
});

/** The formats a data export (a comparison, the health findings) is written in. */
export const DATA_EXPORT_FORMATS = ['csv', 'markdown', 'json'] as const;
export const dataExportFormatSchema = z.enum(DATA_EXPORT_FORMATS);
export type DataExportFormat = z.infer<typeof dataExportFormatSchema>;
