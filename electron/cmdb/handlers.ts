/**
 * The contract's methods as handler slices, one per area of the engine
 * (browsing, CIs and relationships, imports, files, export, impact). Each
 * slice is typed as the part of the contract it serves; CmdbService composes
 * them into one map the compiler checks covers every method, and dispatches
 * through it. Adding a method means adding it to the contract and to one
 * slice here: no host, and no forwarder on the service, learns of it by hand.
 */
import type { CmdbHandlers, MethodName, ParsedRequest } from '../../shared/api.js';
import { unknownTypesMessage } from '../../shared/ci-types.js';
import { CmdbError } from '../../shared/errors.js';
import type { ExportFormat } from '../../shared/impact.js';
import type { BaselineService } from './baselines/baseline-service.js';
import type { Db } from './db.js';
import { exportCsv, exportCsvFiles } from './export.js';
import type { FileGrants } from './import/file-grants.js';
import type { HealthService } from './health/health-service.js';
import type { ImportService } from './import/import-service.js';
import type { ImpactService } from './impact/impact-service.js';
import type { MergeService } from './health/merge.js';
import { unifyValues } from './health/unify-values.js';
import { analysisSubject, renderSubject, type ReportSubject } from './impact/report.js';
import { neighbourhoodGraph, writeGraph } from '../../shared/graph-export.js';
import { SavedViews } from './graph/views.js';
import { slug } from './impact/report.js';
import { neighbourhood } from './neighbourhood.js';
import { getStats, typesReader } from './registry.js';
import { resolveCis } from './resolve-cis.js';
import { nowIso } from './rows.js';
import type { Search } from './search.js';
import type { Store } from './store.js';

/** One method's handler (the contract's `CmdbHandlers`). */
export type Handler<M extends MethodName> = CmdbHandlers[M];

/** The handlers of some methods: what one area of the engine serves. */
export type HandlerSlice<K extends MethodName> = Pick<CmdbHandlers, K>;

/**
 * The methods `target` implements under the contract's own names, as a
 * slice: each is bound to `target`, so its class stays the one place that
 * implements it.
 */
export function bindSlice<K extends MethodName>(target: HandlerSlice<K>, names: readonly K[]): HandlerSlice<K> {
  const slice: Partial<HandlerSlice<K>> = {};
  for (const name of names) slice[name] = (target[name] as (...args: never[]) => unknown).bind(target) as HandlerSlice<K>[K];
  return slice as HandlerSlice<K>;
}

/** The import methods ImportService implements by their contract names. */
export const IMPORT_METHODS = [
  'importCsv',
  'startImport',
  'getImportJob',
  'cancelImport',
  'listImports',
  'undoImport',
  'previewCsv',
  'suggestMapping',
  'saveMappingProfile',
  'listMappingProfiles',
  'deleteMappingProfile',
] as const satisfies readonly MethodName[];

/** The impact and change-assessment methods ImpactService implements by their contract names. */
export const IMPACT_METHODS = [
  'impact',
  'saveChange',
  'listChanges',
  'getChange',
  'editChange',
  'deleteChange',
  'exportChange',
] as const satisfies readonly MethodName[];

/** The baseline methods BaselineService implements by their contract names (issue 17). */
export const BASELINE_METHODS = [
  'saveBaseline',
  'listBaselines',
  'deleteBaseline',
  'diff',
  'exportDiff',
] as const satisfies readonly MethodName[];

/** The merge methods MergeService implements by their contract names (issue 18). */
export const MERGE_METHODS = ['mergeCis', 'undoMerge', 'listMerges'] as const satisfies readonly MethodName[];

/** Merging duplicate CIs, undoing a merge, the merges made. */
export function mergeHandlers(merges: MergeService): HandlerSlice<(typeof MERGE_METHODS)[number]> {
  return bindSlice(merges, MERGE_METHODS);
}

/** Baselines: save, list, delete; what changed between two points in time, and its export. */
export function baselineHandlers(baselines: BaselineService): HandlerSlice<(typeof BASELINE_METHODS)[number]> {
  return bindSlice(baselines, BASELINE_METHODS);
}

/** Imports, import jobs, the import log and undo, previews, mappings and profiles. */
export function importHandlers(imports: ImportService): HandlerSlice<(typeof IMPORT_METHODS)[number]> {
  return bindSlice(imports, IMPORT_METHODS);
}

/** Impact analysis and saved change assessments; an analysis' report without saving it. */
export function impactHandlers(impacts: ImpactService): HandlerSlice<(typeof IMPACT_METHODS)[number] | 'exportImpact'> {
  return {
    ...bindSlice(impacts, IMPACT_METHODS),
    exportImpact: (req) => renderSubject(impactReportSubject(impacts, req.request, req.format), req.format, nowIso()),
  };
}

/**
 * An analysis to report on, every impacted CI listed (exportImpact, whole or streamed): a depth asked narrows the
 * CIs listed on screen, not the report's (a CSV handed on for notification left out the services that go down
 * beyond it, found by a tester).
 */
export function impactReportSubject(impacts: ImpactService, request: ParsedRequest<'impact'>, format: ExportFormat): ReportSubject {
  return impacts.withNames(analysisSubject(impacts.impact({ ...request, depth: undefined, limit: Number.MAX_SAFE_INTEGER })), format);
}

/** Reading the CMDB: its size, search and facets, the types registry. */
export function browseHandlers(
  db: Db,
  path: string,
  search: Search,
): HandlerSlice<'stats' | 'listCis' | 'ciPosition' | 'resolveCis' | 'facets' | 'getTypes'> {
  const types = typesReader(db);
  return {
    stats: () => getStats(db, path),
    resolveCis: (req) => resolveCis(db, req.refs),
    listCis: (req) => search.list(req),
    ciPosition: (req) => search.positionOf(req),
    facets: (req) => search.facets(req),
    getTypes: () => types(),
  };
}

/** Refuses types the registry does not have (INVALID_REQUEST), naming the ones it has. */
function knownTypes(db: Db, table: 'ci_types' | 'rel_types', what: string, asked: readonly string[] | undefined): void {
  if (!asked || asked.length === 0) return;
  const known = db.prepare(`SELECT name FROM ${table} ORDER BY name`).pluck().all() as string[];
  const refusal = unknownTypesMessage(what, asked, known);
  if (refusal) throw new CmdbError('INVALID_REQUEST', refusal);
}

/** The graph view: a neighbourhood, the same written as a file, and saved views (saved views are written outside the data stamp: no kept answer looks stale). */
export function graphHandlers(
  db: Db,
): HandlerSlice<'neighbourhood' | 'exportGraph' | 'listViews' | 'saveView' | 'renameView' | 'deleteView'> {
  const views = new SavedViews(db);
  return {
    neighbourhood: (req) => neighbourhood(db, req),
    exportGraph: (req) => {
      const { format, ...request } = req;
      // A file made without looking: a misspelt type would draw the centre alone, and say nothing.
      knownTypes(db, 'ci_types', 'CI', request.ciTypes);
      knownTypes(db, 'rel_types', 'relationship', request.relTypes);
      const n = neighbourhood(db, request);
      const file = writeGraph(format, neighbourhoodGraph(n), `Neighbourhood of ${n.center}`);
      return {
        filename: `graph-${slug(n.center, 'ci')}.${file.extension}`,
        mime: file.mime,
        content: file.content,
        truncated: n.truncated,
        omitted: n.omitted,
      };
    },
    ...bindSlice(views, ['listViews', 'saveView', 'renameView', 'deleteView'] as const),
  };
}

/** One CI and edits to CIs and relationships, recorded in history as made by `source` ('ui', 'cli', 'web'). */
export function storeHandlers(
  store: Store,
  source: string,
): HandlerSlice<'getCi' | 'createCi' | 'updateCi' | 'deleteCi' | 'createRelationship' | 'deleteRelationship'> {
  return {
    getCi: (req) => store.getCi(req.key, req.relLimit, req.historyLimit),
    createCi: (req) => store.createCi(req.key, req.fields, source),
    updateCi: (req) => store.updateCi(req.key, req.fields, source, req.since),
    deleteCi: (req) => store.deleteCi(req.key, source),
    createRelationship: (req) => store.createRelationship(req, source),
    deleteRelationship: (req) => store.deleteRelationship(req.id, source),
  };
}

/** The long lists of a CI's detail and of a facet, one page at a time: a hub's relationships and history, every value of a field. */
export function pageHandlers(store: Store, search: Search): HandlerSlice<'ciRelationships' | 'ciHistory' | 'facetValues'> {
  return {
    ciRelationships: (req) => store.relationships.page(store.requireCi(req.key), req),
    ciHistory: (req) => {
      const ci = store.requireCi(req.key);
      return { items: store.history.page(ci, req.offset, req.limit), total: store.history.count(ci) };
    },
    facetValues: (req) => search.facetValues(req),
  };
}

/** Local files the person chose, named by id from then on (the contract lets only the local doors call it). */
export function fileHandlers(files: FileGrants): HandlerSlice<'openFile'> {
  return {
    openFile: (req) => files.open(req.path, { name: req.name, temporary: req.temporary }),
  };
}

/** The whole CMDB as CSV: as text (streamed by hosts whose door allows it) or written to files. */
export function exportHandlers(db: Db): HandlerSlice<'exportCsv' | 'exportCsvFiles'> {
  return {
    exportCsv: (req) => exportCsv(db, { exact: req.exact }),
    exportCsvFiles: (req, signal) => exportCsvFiles(db, req, signal),
  };
}

/** The CMDB's health (issue 18): the score, each rule's counts, the findings asked for; one spelling for a value spelled several ways. */
export function healthHandlers(
  health: HealthService,
  store: Store,
  source: string,
): HandlerSlice<'health' | 'exportHealth' | 'unifyValues'> {
  return {
    health: (req) => health.health(req),
    exportHealth: (req) => health.exportHealth(req),
    unifyValues: (req) => unifyValues(store, req, source),
  };
}
