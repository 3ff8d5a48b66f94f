/**
 * The importer's API methods, behind CmdbService: imports (waited for, or
 * as background jobs with progress events and cancellation), the import log
 * and undo, previews, suggested mappings and mapping profiles.
 */
import { basename } from 'node:path';
import type { ParsedRequest, Response } from '../../../shared/api.js';
import type { ImportResult } from '../../../shared/domain.js';
import { CmdbError, toErrorInfo } from '../../../shared/errors.js';
import type { EventHub, ImportProgressEvent } from '../../../shared/events.js';
import type { CsvInput, ImportJob, ImportOptions, Mapping } from '../../../shared/import.js';
import { statusFallbacksFor, unrecognisedInRows } from '../../../shared/import-vocab.js';
import type { Db } from '../db.js';
import type { ImportProgress } from './engine.js';
import { type ImportJobHandle, type ImportJobSpec, prewarmImportWorker, runInProcess, startImportJob } from './jobs.js';
import { listImports } from './log.js';
import { undoImport } from './undo.js';
import { looksLikeRelationships, sampleOf, statusFallbacksByColumn, suggestMapping } from './mapping.js';
import { checkCsvFile, FileGrants } from './file-grants.js';
import { deleteMappingProfile, getMappingProfile, listMappingProfiles, saveMappingProfile } from './profiles.js';
import { type CsvSource, parseDelimiter, parseEncoding, previewCsv } from './source.js';
import { errorInfoInWords, errorInWords, inWords, resultInWords, type Surface, surfaceOf, undoErrorInWords } from './advice.js';

/**
 * A CSV input from the contract as an engine source: text as it came, a
 * granted file by its id, or a path (which the contract's door policy lets
 * only the local doors pass) checked to be a regular .csv, .tsv or .txt file.
 */
export function toSource(input: CsvInput, grants: FileGrants): CsvSource {
  if ('path' in input) {
    checkCsvFile(input.path);
    return { name: input.name ?? basename(input.path), path: input.path };
  }
  if ('fileId' in input) return grants.resolve(input.fileId);
  return { name: input.name, content: input.content };
}

type ImportRequest = ImportOptions & { cis?: CsvInput | undefined; relationships?: CsvInput | undefined; errorsFile?: string | undefined };

interface JobState {
  handle: ImportJobHandle;
  job: ImportJob;
}

const KEEP_JOBS = 20;

export class ImportService {
  private readonly jobs = new Map<string, JobState>();
  /** Imports running on connections of their own (a file CMDB's), and how many have ended: see ownWrites. */
  private ownRunning = 0;
  private ownEnded = 0;
  /** Files the local doors opened (picked, dropped, uploaded), by id. */
  readonly files = new FileGrants();
  /** Who reads the messages of this door's imports and previews: advice in them names that surface's controls (advice.ts). */
  private readonly surface: Surface;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    private readonly actor: string,
    private readonly events: EventHub,
    /**
     * For a door that runs one command (the CLI): an import job gets the CMDB
     * file alone, as this connection closes when the job starts, so a load
     * into an empty CMDB can skip the WAL. Only the job's own methods
     * (getImportJob, cancelImport) answer after that.
     */
    private readonly exclusiveJobs = false,
  ) {
    this.surface = surfaceOf(actor);
  }

  /** The request as a job spec: profile resolved, encoding and delimiter checked. */
  spec(req: ImportRequest): ImportJobSpec {
    let mapping: Mapping | undefined = req.mapping;
    if (!mapping && req.profile) mapping = getMappingProfile(this.db, req.profile).mapping;
    // The request's emptyCells (`cmdb import --empty-cells`) over the mapping's: the engine reads it there.
    if (req.emptyCells) mapping = { ...mapping, emptyCells: req.emptyCells };
    return {
      cis: req.cis ? toSource(req.cis, this.files) : undefined,
      relationships: req.relationships ? toSource(req.relationships, this.files) : undefined,
      mode: req.mode,
      dryRun: req.dryRun,
      skipBadRows: req.skipBadRows,
      source: req.source,
      allowRenames: req.allowRenames,
      mapping,
      encoding: req.encoding ? parseEncoding(req.encoding) : undefined,
      delimiter: req.delimiter ? parseDelimiter(req.delimiter) : undefined,
      rowsLimit: req.rowsLimit,
      rowsKept: req.rowsKept,
      actor: this.actor,
      errorsFile: req.errorsFile,
    };
  }

  /** Runs an import and waits for it (in-process, on its own connection when the CMDB is a file); `signal` cancels it. */
  async importCsv(req: ParsedRequest<'importCsv'>, signal?: AbortSignal): Promise<ImportResult> {
    const handle = runInProcess(this.path, this.db, this.spec(req));
    signal?.addEventListener('abort', () => handle.cancel(), { once: true });
    this.own(handle.done);
    return handle.done.then(
      (r) => resultInWords(r, this.surface),
      (err: unknown) => {
        throw errorInWords(err, this.surface);
      },
    );
  }

  /** Counts an import while it runs: its commits, on a connection of its own, are this service's, not another program's. */
  private own(done: Promise<unknown>): void {
    this.ownRunning++;
    const end = (): void => {
      this.ownRunning--;
      this.ownEnded++;
    };
    done.then(end, end);
  }

  /** For the watch on edits made elsewhere (elsewhere.ts): whether this service's imports ran, ended or run since the last look. */
  ownWrites(): { mark: string; running: boolean } {
    return { mark: `${this.ownRunning}:${this.ownEnded}`, running: this.ownRunning > 0 };
  }

  startImport(req: ParsedRequest<'startImport'>): Response<'startImport'> {
    const spec = this.spec(req);
    const started = performance.now();
    const state: JobState = {
      handle: null as unknown as ImportJobHandle,
      job: { jobId: '', state: 'running', rowsDone: 0, total: null, rate: 0 },
    };
    const emit = (phase: ImportProgressEvent['phase'], message?: string, p?: ImportProgress) => {
      const e: ImportProgressEvent = {
        type: 'import-progress',
        jobId: state.job.jobId,
        phase,
        rowsDone: state.job.rowsDone,
        total: state.job.total,
        rate: state.job.rate,
      };
      if (message !== undefined) e.message = message;
      if (p) Object.assign(e, { file: p.file, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, elapsedMs: p.elapsedMs });
      this.events.emit(e);
    };
    const onProgress = (p: ImportProgress) => {
      state.job.rowsDone = p.rowsDone;
      state.job.total = p.bytesDone > 0 ? Math.max(p.rowsDone, Math.round((p.rowsDone * p.bytesTotal) / p.bytesDone)) : null;
      state.job.rate = p.elapsedMs > 0 ? Math.round((p.rowsDone * 1000) / p.elapsedMs) : 0;
      emit(p.phase, undefined, p);
    };
    if (this.exclusiveJobs && !this.db.memory) this.db.close();
    // An in-memory CMDB cannot be shared with a worker; its import runs here.
    const handle = startImportJob(this.path, this.db.open ? this.db : null, spec, onProgress);
    state.handle = handle;
    state.job.jobId = handle.jobId;
    this.own(handle.done);
    this.jobs.set(handle.jobId, state);
    while (this.jobs.size > KEEP_JOBS) {
      const oldest = [...this.jobs.values()].find((j) => j.job.state !== 'running');
      if (!oldest) break;
      this.jobs.delete(oldest.job.jobId);
    }
    handle.done.then(
      (result) => {
        const rows = result.counts;
        state.job.state = 'done';
        state.job.result = resultInWords(result, this.surface);
        state.job.rowsDone = rows.created + rows.updated + rows.unchanged + rows.rejected + rows.skipped + rows.relationshipsCreated;
        state.job.rowsDone +=
          rows.relationshipsUpdated + rows.relationshipsUnchanged + rows.relationshipsRejected + rows.relationshipsSkipped;
        state.job.total = state.job.rowsDone;
        state.job.rate = Math.round((state.job.rowsDone * 1000) / Math.max(1, performance.now() - started));
        emit('done');
      },
      (err: unknown) => {
        const info = errorInfoInWords(toErrorInfo(err), this.surface);
        state.job.state = info.code === 'CANCELLED' ? 'cancelled' : 'failed';
        state.job.error = info;
        emit(state.job.state, info.message);
      },
    );
    return { jobId: handle.jobId };
  }

  getImportJob(req: ParsedRequest<'getImportJob'>): ImportJob {
    const s = this.jobs.get(req.jobId);
    if (!s) throw new CmdbError('NOT_FOUND', `No import job ${req.jobId}. It may have finished long ago; see the import log.`);
    return { ...s.job };
  }

  /** Waits for a job to finish (for hosts and tests that started one). */
  async waitForJob(jobId: string): Promise<ImportJob> {
    const s = this.jobs.get(jobId);
    if (!s) throw new CmdbError('NOT_FOUND', `No import job ${jobId}.`);
    await s.handle.done.catch(() => undefined);
    await Promise.resolve();
    return { ...s.job };
  }

  cancelImport(req: ParsedRequest<'cancelImport'>): Response<'cancelImport'> {
    const s = this.jobs.get(req.jobId);
    if (!s || s.job.state !== 'running') return { cancelled: false };
    // False when the import was already committing: it will be written (and can be undone).
    return { cancelled: s.handle.cancel() };
  }

  listImports(req: ParsedRequest<'listImports'>): Response<'listImports'> {
    return listImports(this.db, req.limit, req.offset);
  }

  undoImport(req: ParsedRequest<'undoImport'>): Response<'undoImport'> {
    try {
      return undoImport(this.db, req.id, this.actor);
    } catch (err) {
      throw undoErrorInWords(err, this.surface);
    }
  }

  async previewCsv(req: ParsedRequest<'previewCsv'>): Promise<Response<'previewCsv'>> {
    const source = toSource(req.file, this.files);
    const p = await previewCsv(source, {
      rows: req.rows,
      encoding: req.encoding ? parseEncoding(req.encoding) : undefined,
      delimiter: req.delimiter ? parseDelimiter(req.delimiter) : undefined,
    }).catch((err: unknown) => {
      throw errorInWords(err, this.surface);
    });
    // A file previewed in the wizard is imported next: its thread loads now (a tenth of a second or more), not
    // once Import is pressed. Not for the CLI's one command, nor an in-memory CMDB, whose imports run here.
    if (!this.exclusiveJobs && !this.db.memory) prewarmImportWorker();
    const kind = looksLikeRelationships(p.headers) ? 'relationships' : 'cis';
    const sample = sampleOf(p.rows);
    const suggested = suggestMapping(kind === 'cis' ? { cis: p.headers, cisSample: sample } : { relationships: p.headers });
    const statusFallbacks = kind === 'cis' ? statusFallbacksByColumn(p.headers, sample) : {};
    const cis = suggested.cis ?? {};
    return {
      name: source.name,
      headers: p.headers,
      rows: p.rows,
      encoding: p.encoding,
      delimiter: p.delimiter,
      kind,
      suggested,
      warnings: p.warnings.map((w) => inWords(w, this.surface)),
      ignoredColumns: p.ignoredColumns,
      statusFallbacks,
      unrecognisedValues: unrecognisedInRows(p.headers, p.rows, cis, {}, statusFallbacksFor(statusFallbacks, cis)),
    };
  }

  suggestMapping(req: ParsedRequest<'suggestMapping'>): Response<'suggestMapping'> {
    if (req.headers) {
      const kind = looksLikeRelationships(req.headers) ? 'relationships' : 'cis';
      return { kind, mapping: suggestMapping(kind === 'cis' ? { cis: req.headers } : { relationships: req.headers }) };
    }
    return { kind: null, mapping: suggestMapping({ cis: req.cis, relationships: req.relationships }) };
  }

  saveMappingProfile(req: ParsedRequest<'saveMappingProfile'>): Response<'saveMappingProfile'> {
    return saveMappingProfile(this.db, req.name, req.mapping);
  }

  listMappingProfiles(): Response<'listMappingProfiles'> {
    return { items: listMappingProfiles(this.db) };
  }

  deleteMappingProfile(req: ParsedRequest<'deleteMappingProfile'>): Response<'deleteMappingProfile'> {
    return { deleted: deleteMappingProfile(this.db, req.name) };
  }
}
