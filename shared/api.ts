/**
 * The one contract between the engine and every host (Electron IPC, the
 * loopback web host, the CLI). Each method has a request and a response
 * schema; hosts derive their handlers from this map, never by hand.
 */
import * as z from 'zod';
import {
  ciDetailSchema,
  ciFieldsSchema,
  ciFiltersSchema,
  ciSchema,
  ciTypeSchema,
  directionSchema,
  FILTER_FIELDS,
  graphEdgeSchema,
  graphNodeSchema,
  historyEntrySchema,
  relatedSchema,
  importResultSchema,
  relationshipSchema,
  relTypeSchema,
  SORT_FIELDS,
  statsSchema,
  attributesSchema,
  dataExportFormatSchema,
} from './domain.js';
import {
  graphExportFormatSchema,
  graphGroupingSchema,
  graphGroupSchema,
  graphViewSpecSchema,
  groupEdgeSchema,
  impliedEdgeSchema,
  savedViewSchema,
} from './graph.js';
import {
  healthReportSchema,
  healthRequestSchema,
  mergeRecordSchema,
  mergeRequestSchema,
  unifyValuesRequestSchema,
  unifyValuesResultSchema,
} from './health.js';
import { baselineNameSchema, baselineSchema, diffRequestSchema, diffSchema } from './baseline.js';
import {
  csvInputSchema,
  fileRefSchema,
  importJobSchema,
  importOptionsSchema,
  importRecordSchema,
  mappingProfileSchema,
  mappingSchema,
  previewSchema,
  undoResultSchema,
} from './import.js';
import {
  changeDetailSchema,
  changedCisSchema,
  changeInputSchema,
  changeSummarySchema,
  otherChangeSchema,
  compareWithSchema,
  exportFormatSchema,
  impactRequestSchema,
  impactResultSchema,
} from './impact.js';

const empty = z.object({}).strict();

/** A CI a ref named (resolveCis): by its key, or by its name. */
export const resolvedCiSchema = z.object({
  ref: z.string(),
  key: z.string(),
  name: z.string(),
  type: z.string(),
  matchedBy: z.enum(['key', 'name']),
});
export type ResolvedCi = z.infer<typeof resolvedCiSchema>;

/** The details of resolveCis' error: each ref that named no CI, or several (with the candidates). */
export const ciRefProblemsSchema = z.object({
  problems: z.array(
    z.object({
      ref: z.string(),
      problem: z.enum(['not_found', 'ambiguous']),
      /**
       * ambiguous: the CIs with that name, at most CANDIDATES_SHOWN; not_found: the closest matches of a
       * search for the ref's words, at most CLOSE_SHOWN. `more` counts the rest.
       */
      candidates: z.array(z.object({ key: z.string(), name: z.string(), type: z.string() })),
      more: z.number().int(),
      /** A key a merge took (not_found): the CI it was merged into, followed to one that exists, and the merge. */
      /** Where a merge took the key: the CI kept at the chain's end, the first merge, and every merge of the chain in order. */
      mergedInto: z.object({ key: z.string(), mergeId: z.number().int(), mergeIds: z.array(z.number().int()).optional() }).optional(),
    }),
  ),
});
export type CiRefProblems = z.infer<typeof ciRefProblemsSchema>;

const MiB = 1024 * 1024;

/**
 * Who is asking. `cli`: the `cmdb` command; `main`: a host process itself
 * (Electron's main process for files the user picked or dropped, the web
 * host for an upload it has just stored); `renderer`: the app's page over
 * IPC; `web`: a page through the loopback web host.
 */
export const DOORS = ['cli', 'main', 'renderer', 'web'] as const;
export type Door = (typeof DOORS)[number];

/** The doors that act for the person at this machine: the only ones that may name a file by its path. */
export const LOCAL_DOORS: readonly Door[] = ['cli', 'main'];

/** What differs between the doors for one method, declared beside it; the hosts and the service apply it, none by hand. */
export interface MethodPolicy {
  /** The doors that may call the method at all (default: every door). */
  doors?: readonly Door[];
  /** Request fields holding a CSV input: a `path` in them is accepted only from LOCAL_DOORS. */
  files?: readonly string[];
  /** Request fields naming a file to write: accepted only from LOCAL_DOORS. */
  writes?: readonly string[];
  /** Largest request body the web host reads for it, in bytes (default DEFAULT_BODY_LIMIT). */
  bodyLimit?: number;
  /**
   * Long or memory-hungry work: the web host runs a few at a time, reads the body of one only once its turn has
   * come, and drops queued calls whose client left.
   */
  heavy?: boolean;
  /** The answer is written as it is made (CmdbService.stream), never held whole: the web host sends it as it comes. */
  stream?: boolean;
}

/** The body limit of methods that declare none. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;
/** CSV text sent inline in a request; larger files are uploaded (the web host's /api/upload) and named by file id. */
export const INLINE_CSV_LIMIT = 32 * MiB;

/** CIs read at most to form a grouped neighbourhood (a hub's dependents). */
export const GROUPED_READ_LIMIT = 200_000;

const neighbourhoodRequestSchema = z.object({
  key: z.string().min(1),
  depth: z.number().int().min(0).max(10).default(1),
  direction: directionSchema.default('both'),
  ciTypes: z.array(z.string()).optional(),
  relTypes: z.array(z.string()).optional(),
  maxNodes: z.number().int().min(1).max(20000).default(2000),
  grouping: graphGroupingSchema.optional(),
  /**
   * Without `grouping`: when maxNodes would cut the neighbourhood (a hub), answer it grouped by
   * this instead, in the same call (the answer's `autoGrouped` says so).
   */
  autoGroup: graphGroupingSchema.optional(),
  /** Draw chains through CIs of filtered-out types as implied edges. */
  implied: z.boolean().default(true),
});

export const api = {
  /** Size and shape of the open CMDB. */
  stats: { request: empty, response: statsSchema },

  /** Search (FTS) and/or filter CIs, one page at a time. */
  listCis: {
    request: z.object({
      query: z.string().max(500).optional(),
      filters: ciFiltersSchema.optional(),
      /** criticality sorts by severity: ascending critical, high, medium, low; descending low first; values off the scale, then none, last either way. */
      sort: z.enum(SORT_FIELDS).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(50),
    }),
    response: z.object({
      items: z.array(ciSchema),
      total: z.number().int(),
      /** True when a search matched more than `total` CIs (10,000) and was not counted exactly: show "10,000+". */
      totalIsEstimate: z.boolean().optional(),
    }),
  },

  /**
   * Where the CI `key` stands in the list listCis gives for the same search, filters and sort: its row, from 0 (the
   * table brings a CI opened elsewhere into view). Null when the list does not hold it, or its place is not worked
   * out: in criticality order, or among a search's matches past the 10,000 that are ranked.
   */
  ciPosition: {
    request: z.object({
      key: z.string().min(1),
      query: z.string().max(500).optional(),
      filters: ciFiltersSchema.optional(),
      sort: z.enum(SORT_FIELDS).optional(),
      order: z.enum(['asc', 'desc']).optional(),
    }),
    response: z.object({ index: z.number().int().nullable() }),
  },

  /** Counts of the most common values of each filterable field for a search, for facets. */
  facets: {
    request: z.object({
      query: z.string().max(500).optional(),
      filters: ciFiltersSchema.optional(),
      limit: z.number().int().min(1).max(200).default(30),
    }),
    response: z.object({
      facets: z.array(
        z.object({
          field: z.enum(FILTER_FIELDS),
          /** The most common values, up to `limit`; criticality's in severity order (critical, high, medium, low, others, none). */
          values: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
          /** How many values the field has in all (the rest through facetValues). */
          total: z.number().int(),
          /** The values chosen in `filters` for this field that are not among `values`, with their counts (0 when no CI has them). */
          chosen: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
        }),
      ),
    }),
  },

  /**
   * CIs named by key, or by name where exactly one CI has it: each ref is a
   * key if a CI has that key; else a name matched exactly (case-sensitive),
   * else case-insensitively, by exactly one CI. A name several CIs share is
   * refused (AMBIGUOUS, with the candidates' key, name and type in the error's
   * details), and so is a ref nothing matches (NOT_FOUND); every ref is
   * checked before the answer, so one error names all that failed.
   */
  resolveCis: {
    request: z.object({ refs: changedCisSchema }),
    response: z.object({ cis: z.array(resolvedCiSchema) }),
  },

  /** One CI with its relationships in both directions and its history. */
  getCi: {
    request: z.object({
      key: z.string().min(1),
      /** Relationships returned per side; the rest are paged with ciRelationships (totals in the answer). */
      relLimit: z.number().int().min(0).max(1000).default(100),
      /** History entries returned; the rest are paged with ciHistory. */
      historyLimit: z.number().int().min(0).max(1000).default(100),
    }),
    response: ciDetailSchema,
  },

  /**
   * The neighbourhood of a CI to N hops, for the graph. `upstream` follows
   * relationships the way they run (what the CI depends on), `downstream`
   * against it (what depends on it); `both` is the union of those two walks
   * from the centre, never a walk that turns (a sibling reached down then up
   * is not in it). `ciTypes` keeps CIs of those types: the walk still goes
   * through the others, which are not drawn, and with `implied` each chain
   * through them is one implied edge. With `grouping`, CIs (never the centre)
   * that share a value of the field are one group node unless the value is
   * expanded; `maxNodes` then caps what is drawn (CIs + groups), and up to
   * GROUPED_READ_LIMIT CIs are read to form the groups.
   */
  neighbourhood: {
    request: neighbourhoodRequestSchema,
    response: z.object({
      center: z.string(),
      nodes: z.array(graphNodeSchema),
      edges: z.array(graphEdgeSchema),
      /** True when maxNodes (or GROUPED_READ_LIMIT) cut the result; `omitted` says how many CIs were left out at the frontier (exact, or past a hub an upper bound). */
      truncated: z.boolean(),
      omitted: z.number().int(),
      groups: z.array(graphGroupSchema).default([]),
      groupEdges: z.array(groupEdgeSchema).default([]),
      implied: z.array(impliedEdgeSchema).default([]),
      /** CIs walked through but not drawn because their type was filtered out. */
      hidden: z.number().int().default(0),
      /** Set when the answer is grouped by the request's `autoGroup` because maxNodes cut it: how many CIs the cut left out. */
      autoGrouped: z.object({ omitted: z.number().int() }).optional(),
    }),
  },

  /**
   * A neighbourhood (the same request) written as GraphML (yEd, Gephi), DOT
   * (Graphviz), draw.io or JSON by shared/graph-export.ts; every format holds
   * the same nodes and edges, types and states as attributes/styles.
   */
  exportGraph: {
    request: neighbourhoodRequestSchema.extend({ format: graphExportFormatSchema }),
    /** `truncated` and `omitted` as the neighbourhood's: the file then holds a cut graph, and says so. */
    response: z.object({ filename: z.string(), mime: z.string(), content: z.string(), truncated: z.boolean(), omitted: z.number().int() }),
    policy: { heavy: true },
  },

  /** Saved graph views, by name. */
  listViews: { request: empty, response: z.object({ views: z.array(savedViewSchema) }) },
  /**
   * Saves a view; an existing name is refused (CONFLICT) unless `replace`. The name is checked by the
   * engine (viewNameProblem: INVALID_REQUEST with a message for a person), not here.
   */
  saveView: {
    request: z.object({
      name: z.string(),
      note: z.string().max(2000).nullable().default(null),
      spec: graphViewSpecSchema,
      replace: z.boolean().default(false),
    }),
    response: savedViewSchema,
  },
  /** Renames a view: NOT_FOUND when there is none by `name`; `newName` is checked as saveView's name, and refused (CONFLICT) when another view has it. */
  renameView: {
    request: z.object({ name: z.string().min(1), newName: z.string() }),
    response: savedViewSchema,
  },
  deleteView: { request: z.object({ name: z.string().min(1) }), response: z.object({ deleted: z.boolean() }) },

  /** One page of a CI's relationships on one side, for hubs with thousands (optionally of one type, or whose other end matches `query`). */
  ciRelationships: {
    request: z.object({
      key: z.string().min(1),
      side: z.enum(['incoming', 'outgoing']),
      type: z.string().optional(),
      query: z.string().max(200).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    response: z.object({
      items: z.array(relatedSchema),
      total: z.number().int(),
      /** On the first page (offset 0): every relationship type on this side with its count, for a type filter. */
      types: z.array(z.object({ type: z.string(), count: z.number().int() })).optional(),
    }),
  },

  /** One page of a CI's history, newest first. */
  ciHistory: {
    request: z.object({
      key: z.string().min(1),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    response: z.object({ items: z.array(historyEntrySchema), total: z.number().int() }),
  },

  /** Every value of one facet field for a search, paged, optionally those containing `contains` (case-insensitive). */
  facetValues: {
    request: z.object({
      query: z.string().max(500).optional(),
      filters: ciFiltersSchema.optional(),
      field: z.enum(FILTER_FIELDS),
      contains: z.string().max(200).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    response: z.object({
      values: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
      total: z.number().int(),
    }),
  },

  /** The CI and relationship types registry, with counts. */
  getTypes: {
    request: empty,
    response: z.object({ ciTypes: z.array(ciTypeSchema), relTypes: z.array(relTypeSchema) }),
  },

  /**
   * Import CIs and/or relationships from CSV (text, or a path for local hosts) and wait for the result.
   * With row errors and without skipBadRows it fails with IMPORT_REJECTED (details: errors, counts) and writes nothing.
   */
  importCsv: {
    request: importOptionsSchema.extend({
      cis: csvInputSchema.optional(),
      relationships: csvInputSchema.optional(),
    }),
    response: importResultSchema,
    policy: { files: ['cis', 'relationships'], bodyLimit: INLINE_CSV_LIMIT, heavy: true },
  },
  /** Starts the same import as a background job (worker thread); progress arrives as `import-progress` events. */
  startImport: {
    request: importOptionsSchema.extend({
      cis: csvInputSchema.optional(),
      relationships: csvInputSchema.optional(),
      /** Where to stream every row error as CSV while the job runs (`cmdb import --errors`; local doors only). */
      errorsFile: z.string().min(1).optional(),
    }),
    response: z.object({ jobId: z.string() }),
    // Heavy for its body (an inline CSV of up to 32 MB): read only once a slot is free, not held by every queued call.
    policy: { files: ['cis', 'relationships'], writes: ['errorsFile'], bodyLimit: INLINE_CSV_LIMIT, heavy: true },
  },
  /** A job's state, progress, and its result or error once finished. */
  getImportJob: { request: z.object({ jobId: z.string().min(1) }), response: importJobSchema },
  /** Cancels a running import job: it rolls back and writes nothing. */
  cancelImport: { request: z.object({ jobId: z.string().min(1) }), response: z.object({ cancelled: z.boolean() }) },
  /** The import log, newest first. */
  listImports: {
    request: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(50) }),
    response: z.object({ items: z.array(importRecordSchema), total: z.number().int() }),
  },
  /** Reverts one import as a whole; fails with CONFLICT (saying why) when later changes touched the same CIs. */
  undoImport: { request: z.object({ id: z.number().int() }), response: undoResultSchema },
  /** The header, first rows, detected encoding and delimiter of a CSV, and a suggested mapping. */
  previewCsv: {
    request: z.object({
      file: csvInputSchema,
      rows: z.number().int().min(0).max(1000).default(20),
      encoding: z.string().optional(),
      delimiter: z.string().optional(),
    }),
    response: previewSchema,
    policy: { files: ['file'], bodyLimit: INLINE_CSV_LIMIT, heavy: true },
  },
  /**
   * Lets the engine read a local file the person chose, named by its id from
   * then on (in previewCsv, importCsv, startImport). Only the doors that act
   * for the person may name a path; `temporary` files (uploads the host
   * stored) are deleted when the engine lets go of them.
   */
  openFile: {
    request: z.object({ path: z.string().min(1), name: z.string().min(1).optional(), temporary: z.boolean().default(false) }),
    response: fileRefSchema,
    policy: { doors: LOCAL_DOORS },
  },
  /** A mapping suggested from header names (a CIs file, a relationships file, or headers of either kind). */
  suggestMapping: {
    request: z.object({
      headers: z.array(z.string()).optional(),
      cis: z.array(z.string()).optional(),
      relationships: z.array(z.string()).optional(),
    }),
    response: z.object({ kind: z.enum(['cis', 'relationships']).nullable(), mapping: mappingSchema }),
  },
  saveMappingProfile: { request: z.object({ name: z.string().min(1).max(200), mapping: mappingSchema }), response: mappingProfileSchema },
  listMappingProfiles: { request: empty, response: z.object({ items: z.array(mappingProfileSchema) }) },
  deleteMappingProfile: { request: z.object({ name: z.string().min(1) }), response: z.object({ deleted: z.boolean() }) },

  /**
   * Export the whole CMDB as CSV text in the default formats. Spreadsheet-safe
   * by default: a cell starting with = + - @, a tab or a CR gets a leading
   * apostrophe. `exact: true` writes every cell as stored, so importing the
   * files into a new CMDB reproduces it exactly.
   */
  exportCsv: {
    request: z.object({ exact: z.boolean().optional() }).strict(),
    response: z.object({
      cis: z.string(),
      relationships: z.string(),
      /** Data rows written (a value with line breaks spans several lines of the text). */
      rows: z.object({ cis: z.number().int(), relationships: z.number().int() }),
    }),
    policy: { heavy: true, stream: true },
  },
  /**
   * Writes the same export to files, streamed (a million CIs take no more
   * memory than a page of them): for the CLI and the desktop app's Export….
   */
  exportCsvFiles: {
    request: z.object({ cis: z.string().min(1), relationships: z.string().min(1).optional(), exact: z.boolean().optional() }).strict(),
    response: z.object({ rows: z.object({ cis: z.number().int(), relationships: z.number().int() }) }),
    policy: { doors: LOCAL_DOORS, heavy: true },
  },

  createCi: {
    // Fields the contract does not know are refused, not dropped: a `key` among the fields would else make another key.
    request: z.object({ key: z.string().min(1).optional(), fields: ciFieldsSchema.strict() }),
    response: ciSchema,
  },
  updateCi: {
    request: z.object({
      key: z.string().min(1),
      fields: ciFieldsSchema.partial().strict(),
      /**
       * The CI's updatedAt as the editor read it: the edit is refused (CONFLICT) when the CI changed since, so a
       * form opened before another's save does not write its stale values over it.
       */
      since: z.string().optional(),
    }),
    response: ciSchema,
  },
  deleteCi: {
    request: z.object({ key: z.string().min(1) }),
    response: z.object({ deleted: z.boolean(), relationshipsDeleted: z.number().int() }),
  },
  createRelationship: {
    request: z.object({
      source: z.string().min(1),
      target: z.string().min(1),
      type: z.string().min(1),
      redundancyGroup: z.string().nullable().optional(),
      minUp: z.number().int().min(1).nullable().optional(),
      attributes: attributesSchema.optional(),
    }),
    response: relationshipSchema,
  },
  deleteRelationship: {
    request: z.object({ id: z.number().int() }),
    response: z.object({ deleted: z.boolean() }),
  },

  /** What goes down or is degraded if these CIs go down (downstream), or what they depend on (upstream), with paths. */
  impact: { request: impactRequestSchema, response: impactResultSchema },
  /** Saves a change assessment with its impact now; the same reference again updates it. */
  saveChange: {
    request: changeInputSchema,
    response: z.object({
      change: changeSummarySchema,
      created: z.boolean(),
      result: impactResultSchema,
      /** The other saved changes on the same CIs (absent when none). */
      others: z.array(otherChangeSchema).optional(),
    }),
  },
  listChanges: {
    request: z.object({
      query: z.string().max(200).optional(),
      /** Only the change of this reference, case aside, as saving and reopening find it (at most one). */
      ref: z.string().min(1).max(200).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(50),
    }),
    response: z.object({ items: z.array(changeSummarySchema), total: z.number().int() }),
  },
  /** A saved change re-evaluated now, with what differs from the result saved with it. */
  getChange: {
    request: z.object({
      id: z.number().int().optional(),
      ref: z.string().min(1).optional(),
      /** A baseline name: also compare the change's blast radius now with the same change asked of that baseline. */
      compare: compareWithSchema.optional(),
      limit: z.number().int().min(0).max(1_000_000).default(1000),
    }),
    response: changeDetailSchema,
  },
  /**
   * A saved change's title, planned window or description edited, its assessment (and when it was made) kept: moving
   * a window is no new assessment, and re-saving one hid what had changed since the board saw it (found by a tester).
   * A field left out keeps its value; a window or description of null clears it.
   */
  editChange: {
    request: z.object({
      ref: changeInputSchema.shape.ref,
      title: changeInputSchema.shape.title.optional(),
      window: changeInputSchema.shape.window,
      description: changeInputSchema.shape.description,
    }),
    response: z.object({ change: changeSummarySchema }),
  },
  deleteChange: { request: z.object({ id: z.number().int() }), response: z.object({ deleted: z.boolean() }) },
  /**
   * An analysis' report without saving a change: every impacted CI (no list
   * limit), rendered as saved changes are, titled by the CIs it is about. The
   * page downloads `content` as `filename`; the web host streams it as made.
   */
  exportImpact: {
    request: z.object({ request: impactRequestSchema, format: exportFormatSchema }),
    response: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
    policy: { heavy: true, stream: true },
  },
  /** A change's report, re-evaluated now: Markdown, printable HTML, CSV or JSON. */
  exportChange: {
    request: z.object({
      id: z.number().int().optional(),
      ref: z.string().min(1).optional(),
      format: exportFormatSchema,
      /** A baseline name: the report also says how the change's blast radius now differs from that baseline's. */
      compare: compareWithSchema.optional(),
    }),
    response: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
    policy: { heavy: true },
  },

  /**
   * Saves a baseline: a consistent, read-only copy of the whole CMDB (SQLite's
   * online backup) in the baselines folder beside the CMDB file. A name in
   * use is refused (CONFLICT).
   */
  saveBaseline: {
    request: z.object({
      name: baselineNameSchema,
      note: z.string().max(2000, "a baseline's note is at most 2,000 characters").nullable().default(null),
    }),
    response: baselineSchema,
    policy: { heavy: true },
  },
  /**
   * The baselines, oldest first; `unreadable`: files in the baselines folder that cannot be read as one
   * (damaged, or put there by hand), by name: each still holds its name until deleted (deleteBaseline).
   */
  /** `otherFolders`: the `*.baselines` folders of other CMDB files beside this one, when it has none of its own (renamed or copied). */
  listBaselines: {
    request: empty,
    response: z.object({ baselines: z.array(baselineSchema), unreadable: z.array(z.string()), otherFolders: z.array(z.string()) }),
  },
  deleteBaseline: { request: z.object({ name: z.string().min(1) }), response: z.object({ deleted: z.boolean() }) },
  /** What changed between two points in time (baseline names or `now`). An unknown name is refused (NOT_FOUND) listing the baselines. */
  diff: { request: diffRequestSchema, response: diffSchema, policy: { heavy: true } },
  /** A diff as CSV, Markdown or JSON (every entry, no limit), for an audit or a CAB pack. */
  exportDiff: {
    request: diffRequestSchema.omit({ limit: true }).extend({ format: dataExportFormatSchema }),
    response: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
    policy: { heavy: true, stream: true },
  },

  /**
   * The CMDB's health (issue 18): the score, each rule's counts and the
   * findings asked for (paged). Computed once per state of the CMDB and rules.
   */
  health: { request: healthRequestSchema, response: healthReportSchema, policy: { heavy: true } },
  /**
   * Every finding asked for (all, a rule's, a search's) as a file for an audit or to route the work: CSV (one row
   * per CI of each finding, with its name, type and owner), Markdown or JSON.
   */
  exportHealth: {
    request: healthRequestSchema.omit({ offset: true, limit: true }).extend({
      format: dataExportFormatSchema,
      /** The file the inline `rules` were read from (the CLI's --rules), for the file's words. */
      rulesName: z.string().min(1).max(4096).optional(),
    }),
    response: z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
    policy: { heavy: true },
  },
  /**
   * One spelling for a value spelled several ways (the value-variants rule): every CI holding another
   * spelling of `to` takes `to`, in one transaction, each recorded in history. A `to` no CI holds, or
   * one spelled one way only, is refused naming the spellings.
   */
  unifyValues: { request: unifyValuesRequestSchema, response: unifyValuesResultSchema },
  /**
   * Merges a duplicate into the CI kept: its relationships move to the kept
   * CI, its attributes and fields fill what the kept CI lacks, it is deleted;
   * all in history, in one transaction, undoable with undoMerge.
   */
  mergeCis: { request: mergeRequestSchema, response: mergeRecordSchema },
  /** Undoes a merge: the merged CI comes back with its key, fields and relationships; the kept CI as it was. */
  undoMerge: { request: z.object({ id: z.number().int() }), response: mergeRecordSchema },
  /** Merges, the newest first. */
  listMerges: {
    request: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(50) }),
    response: z.object({ items: z.array(mergeRecordSchema) }),
  },
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export const METHOD_NAMES = Object.keys(api) as MethodName[];

export type Request<M extends MethodName> = z.input<Api[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<Api[M]['request']>;
export type Response<M extends MethodName> = z.output<Api[M]['response']>;

/** What the renderer calls: one async function per method. */
export type CmdbApi = { [M in MethodName]: (req: Request<M>) => Promise<Response<M>> };

/**
 * What the engine implements: the same methods, taking parsed (defaulted)
 * requests, and a signal that aborts when the caller left (long work stops).
 */
export type CmdbHandlers = {
  [M in MethodName]: (req: ParsedRequest<M>, signal?: AbortSignal) => Response<M> | Promise<Response<M>>;
};

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** A method's policy (an empty one where it declares none). */
export function policyOf(method: MethodName): MethodPolicy {
  const entry = api[method] as { policy?: MethodPolicy };
  return entry.policy ?? {};
}

const HOW_TO_GIVE_A_FILE: Record<Door, string> = {
  cli: '',
  main: '',
  renderer: 'Choose the file with File > Import CSV… or drop it on the window.',
  web: 'Upload the file instead (the Import screen does), or import it with `cmdb import`.',
};

/**
 * Why `door` may not make this request, or null when it may: a method
 * closed to the door, or a file named by path from a door that may not name
 * files. Checked on the parsed request by every host, through CmdbService.call.
 */
export function doorRefusal(method: MethodName, door: Door, req: unknown): string | null {
  const policy = policyOf(method);
  if (policy.doors && !policy.doors.includes(door)) {
    return `${method} is not available from ${doorName(door)}. ${HOW_TO_GIVE_A_FILE[door]}`.trim();
  }
  if (LOCAL_DOORS.includes(door)) return null;
  const fields = req as Record<string, unknown>;
  for (const field of policy.files ?? []) {
    const input = fields[field];
    if (typeof input === 'object' && input !== null && 'path' in input) {
      return `${method}: a file path cannot be given from ${doorName(door)}. ${HOW_TO_GIVE_A_FILE[door]}`;
    }
  }
  for (const field of policy.writes ?? []) {
    if (fields[field] !== undefined) return `${method}: a file to write (${field}) cannot be named from ${doorName(door)}.`;
  }
  return null;
}

function doorName(door: Door): string {
  switch (door) {
    case 'cli':
      return 'the cmdb command';
    case 'main':
      return 'the host process';
    case 'renderer':
      return "the app's window";
    case 'web':
      return 'the web host';
  }
}
