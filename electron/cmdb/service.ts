/**
 * CmdbService: the one door into the engine. It implements every method of
 * the contract in `shared/api.ts`; hosts validate requests against the
 * contract and call `call()`.
 */
import { api, type CmdbHandlers, type Door, doorRefusal, type MethodName, type ParsedRequest, type Response } from '../../shared/api.js';
import { CmdbError, type Envelope, toErrorInfo } from '../../shared/errors.js';
import { type CmdbEventListener, type CmdbEventSource, EventHub } from '../../shared/events.js';
import { type Db, describeDbError, openDatabase, type OpenOptions } from './db.js';
import { exportChunks, exportCsv, exportCsvFiles } from './export.js';
import { ImportService } from './import/import-service.js';
import { neighbourhood } from './neighbourhood.js';
import { getStats, getTypes } from './registry.js';
import { Search } from './search.js';
import { Store } from './store.js';
import { ImpactService } from './impact/impact-service.js';

export class CmdbService implements CmdbHandlers, CmdbEventSource {
  readonly store: Store;
  private readonly search: Search;
  /** Impact analysis on a graph index rebuilt when the data changed; change assessments. */
  readonly impacts: ImpactService;
  /** Progress and other events for the hosts to forward (IPC, SSE); engine code calls `events.emit`. */
  readonly events = new EventHub();
  /** Imports, import jobs, the import log and undo, mapping profiles. */
  readonly imports: ImportService;

  constructor(
    readonly db: Db,
    readonly path: string,
    /** Recorded in history as who made an edit: 'ui', 'cli', 'web'. */
    readonly source = 'ui',
  ) {
    this.store = new Store(db);
    this.imports = new ImportService(db, path, source, this.events);
    this.search = new Search(db);
    this.impacts = new ImpactService(db);
  }

  static open(path: string, options: OpenOptions & { source?: string } = {}): CmdbService {
    return new CmdbService(openDatabase(path, options), path, options.source);
  }

  onEvent(listener: CmdbEventListener): () => void {
    return this.events.onEvent(listener);
  }

  close(): void {
    this.imports.files.dispose();
    if (this.db.open) this.db.close();
  }

  /**
   * The door a call comes through when the caller names none: the web
   * host's and the app's services ('web', 'ui') take calls from pages unless
   * their host process says it is calling itself; other in-process callers
   * (the CLI, the benchmark, tests) act for the person at the machine.
   */
  private get defaultDoor(): Door {
    return this.source === 'web' ? 'web' : this.source === 'ui' ? 'renderer' : 'cli';
  }

  /**
   * Validates a raw request against the contract and the door's policy, runs
   * the method, and wraps the answer. `signal` aborts when the caller left:
   * an import waited for then cancels and writes nothing.
   */
  async call<M extends MethodName>(
    method: M,
    raw: unknown,
    door: Door = this.defaultDoor,
    signal?: AbortSignal,
  ): Promise<Envelope<Response<M>>> {
    try {
      const req = api[method].request.parse(raw ?? {}) as ParsedRequest<M>;
      const refused = doorRefusal(method, door, req);
      if (refused) throw new CmdbError('UNTRUSTED_SENDER', refused);
      const handler = this[method as MethodName] as unknown as (r: ParsedRequest<M>, s?: AbortSignal) => Response<M> | Promise<Response<M>>;
      const value = await handler.call(this, req, signal);
      return { ok: true, value };
    } catch (err) {
      // A lock another connection holds says who holds it; a write on a read-only CMDB, or a page found
      // damaged, says so (and what to do) rather than SQLite's words.
      return { ok: false, error: toErrorInfo(describeDbError(this.path, err)) };
    }
  }

  /**
   * A method whose policy streams (`stream`), answered as the JSON text of
   * its envelope, piece by piece as it is made, for a host to send on
   * without holding it whole. A refusal is one piece, the error envelope.
   */
  async *stream(method: MethodName, raw: unknown, door: Door = this.defaultDoor, signal?: AbortSignal): AsyncGenerator<string> {
    let req: ParsedRequest<'exportCsv'>;
    try {
      if (method !== 'exportCsv') throw new CmdbError('INVALID_REQUEST', `${method} does not stream its answer.`);
      req = api.exportCsv.request.parse(raw ?? {});
      const refused = doorRefusal(method, door, req);
      if (refused) throw new CmdbError('UNTRUSTED_SENDER', refused);
    } catch (err) {
      yield JSON.stringify({ ok: false, error: toErrorInfo(describeDbError(this.path, err)) });
      return;
    }
    const rows = { cis: 0, relationships: 0 };
    let part: string | null = null;
    yield '{"ok":true,"value":{';
    for await (const chunk of exportChunks(this.db, { exact: req.exact }, rows, signal)) {
      if (chunk.part !== part) {
        yield `${part === null ? '' : '",'}${JSON.stringify(chunk.part)}:"`;
        part = chunk.part;
      }
      yield JSON.stringify(chunk.text).slice(1, -1);
    }
    yield `","rows":${JSON.stringify(rows)}}}`;
  }

  stats(): Response<'stats'> {
    return getStats(this.db, this.path);
  }

  listCis(req: ParsedRequest<'listCis'>): Response<'listCis'> {
    return this.search.list(req);
  }

  facets(req: ParsedRequest<'facets'>): Response<'facets'> {
    return this.search.facets(req);
  }

  getCi(req: ParsedRequest<'getCi'>): Response<'getCi'> {
    return this.store.getCi(req.key);
  }

  neighbourhood(req: ParsedRequest<'neighbourhood'>): Response<'neighbourhood'> {
    return neighbourhood(this.db, req);
  }

  getTypes(): Response<'getTypes'> {
    return getTypes(this.db);
  }

  importCsv(req: ParsedRequest<'importCsv'>, signal?: AbortSignal): Promise<Response<'importCsv'>> {
    return this.imports.importCsv(req, signal);
  }

  startImport(req: ParsedRequest<'startImport'>): Response<'startImport'> {
    return this.imports.startImport(req);
  }

  getImportJob(req: ParsedRequest<'getImportJob'>): Response<'getImportJob'> {
    return this.imports.getImportJob(req);
  }

  cancelImport(req: ParsedRequest<'cancelImport'>): Response<'cancelImport'> {
    return this.imports.cancelImport(req);
  }

  listImports(req: ParsedRequest<'listImports'>): Response<'listImports'> {
    return this.imports.listImports(req);
  }

  undoImport(req: ParsedRequest<'undoImport'>): Response<'undoImport'> {
    return this.imports.undoImport(req);
  }

  previewCsv(req: ParsedRequest<'previewCsv'>): Promise<Response<'previewCsv'>> {
    return this.imports.previewCsv(req);
  }

  openFile(req: ParsedRequest<'openFile'>): Response<'openFile'> {
    return this.imports.files.open(req.path, { name: req.name, temporary: req.temporary });
  }

  suggestMapping(req: ParsedRequest<'suggestMapping'>): Response<'suggestMapping'> {
    return this.imports.suggestMapping(req);
  }

  saveMappingProfile(req: ParsedRequest<'saveMappingProfile'>): Response<'saveMappingProfile'> {
    return this.imports.saveMappingProfile(req);
  }

  listMappingProfiles(): Response<'listMappingProfiles'> {
    return this.imports.listMappingProfiles();
  }

  deleteMappingProfile(req: ParsedRequest<'deleteMappingProfile'>): Response<'deleteMappingProfile'> {
    return this.imports.deleteMappingProfile(req);
  }

  exportCsv(req: ParsedRequest<'exportCsv'>): Promise<Response<'exportCsv'>> {
    return exportCsv(this.db, { exact: req.exact });
  }

  exportCsvFiles(req: ParsedRequest<'exportCsvFiles'>, signal?: AbortSignal): Promise<Response<'exportCsvFiles'>> {
    return exportCsvFiles(this.db, req, signal);
  }

  createCi(req: ParsedRequest<'createCi'>): Response<'createCi'> {
    return this.store.createCi(req.key, req.fields, this.source);
  }

  updateCi(req: ParsedRequest<'updateCi'>): Response<'updateCi'> {
    return this.store.updateCi(req.key, req.fields, this.source);
  }

  deleteCi(req: ParsedRequest<'deleteCi'>): Response<'deleteCi'> {
    return this.store.deleteCi(req.key, this.source);
  }

  createRelationship(req: ParsedRequest<'createRelationship'>): Response<'createRelationship'> {
    return this.store.createRelationship(req, this.source);
  }

  deleteRelationship(req: ParsedRequest<'deleteRelationship'>): Response<'deleteRelationship'> {
    return this.store.deleteRelationship(req.id, this.source);
  }

  impact(req: ParsedRequest<'impact'>): Response<'impact'> {
    return this.impacts.impact(req);
  }

  saveChange(req: ParsedRequest<'saveChange'>): Response<'saveChange'> {
    return this.impacts.saveChange(req);
  }

  listChanges(req: ParsedRequest<'listChanges'>): Response<'listChanges'> {
    return this.impacts.listChanges(req);
  }

  getChange(req: ParsedRequest<'getChange'>): Response<'getChange'> {
    return this.impacts.getChange(req);
  }

  deleteChange(req: ParsedRequest<'deleteChange'>): Response<'deleteChange'> {
    return this.impacts.deleteChange(req);
  }

  exportChange(req: ParsedRequest<'exportChange'>): Response<'exportChange'> {
    return this.impacts.exportChange(req);
  }
}
