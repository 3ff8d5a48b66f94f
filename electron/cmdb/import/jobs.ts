/**
 * Import jobs: an import run in a worker thread with its own connection (so
 * the UI and readers keep working), with progress and cancellation. Where no
 * worker can run (an in-memory CMDB, or no worker script), the same engine
 * runs in-process on its own connection.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { ImportResult } from '../../../shared/domain.js';
import { CmdbError, type ErrorInfo, toErrorInfo } from '../../../shared/errors.js';
import { type Db, openDatabase } from '../db.js';
import { type ImportProgress, runImport, type RunImportInput } from './engine.js';
import { ErrorsCsvWriter } from './errors-csv.js';
import { newWorker, workerScript } from './bulk/workers.js';
import { takeWarmWorker } from './warm-worker.js';
import { claimCommit, isCancelRequested, newCancelGate, requestCancel } from './cancel-gate.js';

export { workerScript } from './bulk/workers.js';
export { prewarmImportWorker } from './warm-worker.js';
export type { WarmWorkerData } from './warm-worker.js';

/** What a job needs: plain data, so it can cross to a worker thread. */
export type ImportJobSpec = Omit<RunImportInput, 'isCancelled' | 'onProgress' | 'onRowError'> & {
  /** Where to stream the row error report as CSV. */
  errorsFile?: string | undefined;
};

export interface ImportJobHandle {
  jobId: string;
  /** Settles with the result, or rejects with a CmdbError (CANCELLED when cancelled). */
  done: Promise<ImportResult>;
  /** Asks the import to stop: true when it will stop without writing; false when it came too late (committing, or done). */
  cancel(): boolean;
  /** True when the job runs in a worker thread. */
  threaded: boolean;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: ImportResult }
  | { type: 'failed'; error: ErrorInfo };

export interface WorkerData {
  dbPath: string;
  spec: ImportJobSpec;
  /**
   * The cancel gate (cancel-gate.ts). The import holds the worker's thread in
   * synchronous SQLite calls, so a posted 'cancel' message would only be read
   * after the import ended; shared memory is seen at once.
   */
  cancelFlag?: Int32Array;
}

/** What the import worker is sent: a cancel, or (a warm worker, see warm-worker.ts) its job. */
export type WorkerInput = { type: 'cancel' } | { type: 'job'; data: WorkerData };

/** The warm worker for `script` with `data` for its job, or a new worker. */
function workerFor(script: { url: URL; fromSource: boolean }, data: WorkerData): Worker {
  return takeWarmWorker(script, data) ?? newWorker(script, data);
}

/** Runs a job in-process, on `db` for an in-memory CMDB or on a connection of its own for a file. */
export function runInProcess(
  dbPath: string,
  sharedDb: Db | null,
  spec: ImportJobSpec,
  onProgress?: (p: ImportProgress) => void,
): ImportJobHandle {
  const gate = newCancelGate();
  const run = async () => {
    // The import's own connection waits for locks as long as the door's does (the web host's and the app's
    // in-process imports share their thread with every other request).
    const busyTimeoutMs = sharedDb ? (sharedDb.pragma('busy_timeout', { simple: true }) as number) : undefined;
    const own = dbPath === ':memory:' || dbPath === '' ? null : openDatabase(dbPath, { busyTimeoutMs });
    const db = own ?? sharedDb;
    if (!db) throw new CmdbError('INTERNAL', 'No database to import into.');
    const errors = spec.errorsFile ? new ErrorsCsvWriter(spec.errorsFile) : null;
    try {
      const { errorsFile: _ignored, ...input } = spec;
      return await runImport(db, {
        ...input,
        isCancelled: () => isCancelRequested(gate),
        claimCommit: () => claimCommit(gate),
        onProgress,
        onRowError: errors ? (e) => errors.write(e) : undefined,
      });
    } finally {
      errors?.close();
      own?.close();
    }
  };
  return {
    jobId: randomUUID(),
    done: run(),
    cancel: () => requestCancel(gate),
    threaded: false,
  };
}

/** Runs a job in a worker thread. Falls back to in-process where a worker cannot run. */
export function startImportJob(
  dbPath: string,
  sharedDb: Db | null,
  spec: ImportJobSpec,
  onProgress?: (p: ImportProgress) => void,
  /** The worker script (tests); default workerScript(). */
  scriptOverride?: { url: URL; fromSource: boolean },
): ImportJobHandle {
  const script = dbPath === ':memory:' || dbPath === '' ? null : (scriptOverride ?? workerScript());
  if (!script) return runInProcess(dbPath, sharedDb, spec, onProgress);
  const jobId = randomUUID();
  const cancelFlag = newCancelGate();
  const data: WorkerData = { dbPath, spec, cancelFlag };
  const worker = workerFor(script, data);
  let settled = false;
  let ready = false;
  let fallback: ImportJobHandle | null = null;
  const done = new Promise<ImportResult>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') ready = true;
      else if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new CmdbError(m.error.code, m.error.message, m.error.details));
      }
    });
    worker.on('error', (err) => {
      if (settled) return;
      settled = true;
      if (!ready) {
        // The worker could not even start (a packaging or loader problem): the same import runs here instead.
        fallback = runInProcess(dbPath, sharedDb, spec, onProgress);
        if (isCancelRequested(cancelFlag)) fallback.cancel();
        fallback.done.then(resolve, reject);
        return;
      }
      reject(new CmdbError('INTERNAL', `The import worker failed: ${toErrorInfo(err).message}. Nothing was imported.`));
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new CmdbError('INTERNAL', `The import worker stopped (exit ${code}). Nothing was imported.`));
      settled = true;
    });
  });
  return {
    jobId,
    done,
    cancel: () => {
      if (fallback) return fallback.cancel();
      if (!requestCancel(cancelFlag)) return false;
      worker.postMessage({ type: 'cancel' } satisfies WorkerInput);
      return true;
    },
    threaded: true,
  };
}
