/**
 * CmdbService: the one door into the engine. It serves every method of the
 * contract in `shared/api.ts` through one handler map composed of the
 * engine's slices (`handlers.ts`); hosts call `call()`, which validates the
 * request against the contract and the door's policy and dispatches.
 */
import { api, type CmdbHandlers, type Door, doorRefusal, type MethodName, type ParsedRequest, type Response } from '../../shared/api.js';
import { CmdbError, type Envelope, toErrorInfo } from '../../shared/errors.js';
import { badTextMessage, badTextPath } from '../../shared/well-formed.js';
import type { ExportFormat } from '../../shared/impact.js';
import { type CmdbEventListener, type CmdbEventSource, EventHub } from '../../shared/events.js';
import { type Db, describeDbError, openDatabase, type OpenOptions } from './db.js';
import { ELSEWHERE_POLL_MS, watchElsewhere } from './elsewhere.js';
import { exportChunks } from './export.js';
import { BaselineService } from './baselines/baseline-service.js';
import {
  baselineHandlers,
  browseHandlers,
  exportHandlers,
  fileHandlers,
  graphHandlers,
  type Handler,
  healthHandlers,
  impactHandlers,
  impactReportSubject,
  importHandlers,
  mergeHandlers,
  pageHandlers,
  storeHandlers,
} from './handlers.js';
import { reportFile, reportPieces, type ReportSubject } from './impact/report.js';
import { nowIso } from './rows.js';
import { ImportService } from './import/import-service.js';
import { Search } from './search.js';
import { Store } from './store.js';
import { ImpactService } from './impact/impact-service.js';
import { MergeService } from './health/merge.js';
import { HealthService } from './health/health-service.js';

/** A request as the contract reads it; text that cannot be stored as given (shared/well-formed.ts) is refused first. */
function parseRequest<M extends MethodName>(method: M, raw: unknown): ParsedRequest<M> {
  const bad = badTextPath(raw);
  if (bad !== null) throw new CmdbError('INVALID_REQUEST', badTextMessage(bad.path, bad.why), { path: bad.path });
  return api[method].request.parse(raw ?? {}) as ParsedRequest<M>;
}

export class CmdbService implements CmdbEventSource {
  readonly store: Store;
  /** Impact analysis on a graph index rebuilt when the data changed; change assessments. */
  readonly impacts: ImpactService;
  /** Progress and other events for the hosts to forward (IPC, SSE); engine code calls `events.emit`. */
  readonly events = new EventHub();
  /** Imports, import jobs, the import log and undo, mapping profiles. */
  readonly imports: ImportService;
  /** Baselines beside the CMDB file, diffs between points in time, impact compared with a baseline. */
  readonly baselines: BaselineService;
  /** Merging duplicate CIs (issue 18) and undoing merges. */
  readonly merges: MergeService;
  /** The CMDB's health: rules over the data, a score, findings; cached per state of the CMDB and rules. */
  readonly health: HealthService;
  /** Every method of the contract, by name: the slices of each area, composed once. */
  private readonly handlers: CmdbHandlers;

  constructor(
    readonly db: Db,
    readonly path: string,
    /** Recorded in history as who made an edit: 'ui', 'cli', 'web'. */
    readonly source = 'ui',
    /** Import jobs get the file alone (see ImportService): for a door that runs one command. */
    exclusiveJobs = false,
  ) {
    this.store = new Store(db);
    this.imports = new ImportService(db, path, source, this.events, exclusiveJobs);
    this.baselines = new BaselineService(db, path);
    this.impacts = new ImpactService(db, (ids) => this.health.rulesForCis(ids), this.baselines);
    this.merges = new MergeService(this.store, source);
    this.health = new HealthService(db, path, () => this.impacts.indexHolder.get());
    const search = new Search(db);
    this.handlers = {
      ...browseHandlers(db, path, search),
      ...storeHandlers(this.store, source),
      ...pageHandlers(this.store, search),
      ...importHandlers(this.imports),
      ...fileHandlers(this.imports.files),
      ...exportHandlers(db),
      ...impactHandlers(this.impacts),
      ...graphHandlers(db),
      ...baselineHandlers(this.baselines),
      ...mergeHandlers(this.merges),
      ...healthHandlers(this.health, this.store, source),
    } satisfies CmdbHandlers;
  }

  static open(path: string, options: OpenOptions & { source?: string; exclusiveJobs?: boolean } = {}): CmdbService {
    return new CmdbService(openDatabase(path, options), path, options.source, options.exclusiveJobs);
  }

  onEvent(listener: CmdbEventListener): () => void {
    return this.events.onEvent(listener);
  }

  /** Watchers of edits made elsewhere, and the one poll they share. */
  private elsewhere = { watchers: 0, stop: (): void => undefined };

  /**
   * Emits `cmdb-edited-elsewhere` when another program or connection commits
   * to this CMDB (elsewhere.ts), until the returned function is called: a
   * host calls it while a window shows the CMDB. Watchers share one poll.
   */
  watchEditsElsewhere(intervalMs = ELSEWHERE_POLL_MS): () => void {
    if (this.elsewhere.watchers++ === 0) {
      this.elsewhere.stop = watchElsewhere({
        db: this.db,
        intervalMs,
        ownWrites: () => this.imports.ownWrites(),
        baselines: { listing: () => this.baselines.store.listing(), own: () => this.baselines.store.ownListing },
        onEdited: () => this.events.emit({ type: 'cmdb-edited-elsewhere', path: this.path }),
      });
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.elsewhere.watchers === 0) this.elsewhere.stop();
    };
  }

  close(): void {
    this.elsewhere.stop();
    this.imports.files.dispose();
    this.baselines.close();
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
      const req = parseRequest(method, raw);
      const refused = doorRefusal(method, door, req);
      if (refused) throw new CmdbError('UNTRUSTED_SENDER', refused);
      const handler = this.handlers[method] as Handler<M>;
      const value = await handler(req, signal);
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
   * without holding it whole. A refusal, or an error before the answer
   * begins (an unknown CI), is one piece, the error envelope.
   */
  async *stream(method: MethodName, raw: unknown, door: Door = this.defaultDoor, signal?: AbortSignal): AsyncGenerator<string> {
    let pieces: AsyncIterable<string> | Iterable<string>;
    try {
      pieces = this.streamed(method, raw, door, signal);
    } catch (err) {
      yield JSON.stringify({ ok: false, error: toErrorInfo(describeDbError(this.path, err)) });
      return;
    }
    yield* pieces;
  }

  /** Checks a streaming request and does the work that may fail before the answer begins; the pieces come after. */
  private streamed(method: MethodName, raw: unknown, door: Door, signal?: AbortSignal): AsyncIterable<string> | Iterable<string> {
    const parse = <M extends 'exportCsv' | 'exportImpact' | 'exportDiff'>(m: M): ParsedRequest<M> => {
      const req = parseRequest(m, raw);
      const refused = doorRefusal(m, door, req);
      if (refused) throw new CmdbError('UNTRUSTED_SENDER', refused);
      return req;
    };
    switch (method) {
      case 'exportCsv':
        return this.exportCsvPieces(parse('exportCsv'), signal);
      case 'exportImpact': {
        const req = parse('exportImpact');
        return reportEnvelope(impactReportSubject(this.impacts, req.request, req.format), req.format, nowIso());
      }
      case 'exportDiff': {
        // The diff is computed before the answer begins (an unknown baseline is one error envelope), then sent as one piece.
        const file = this.baselines.exportDiff(parse('exportDiff'));
        return [JSON.stringify({ ok: true, value: file })];
      }
      default:
        throw new CmdbError('INVALID_REQUEST', `${method} does not stream its answer.`);
    }
  }

  private async *exportCsvPieces(req: ParsedRequest<'exportCsv'>, signal?: AbortSignal): AsyncGenerator<string> {
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
}

/** A report's answer envelope ({filename, mime, content}) as JSON text, its content piece by piece as the report makes it. */
function* reportEnvelope(subject: ReportSubject, format: ExportFormat, generatedAt: string): Generator<string> {
  const file = reportFile(subject, format);
  yield `{"ok":true,"value":{"filename":${JSON.stringify(file.filename)},"mime":${JSON.stringify(file.mime)},"content":"`;
  for (const piece of reportPieces(subject, format, generatedAt)) yield JSON.stringify(piece).slice(1, -1);
  yield '"}}';
}
