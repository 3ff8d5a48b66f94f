/**
 * The import worker started ahead of its job. Loading a thread and its bundle takes a tenth of a second or
 * more; started early, that overlaps what the caller does before the import (loading the rest of the CLI,
 * opening the CMDB, reading the files' first rows, checking the request). This module stays small and
 * imports nothing heavy, so the CLI's entry can start the worker before it loads its commands.
 */
import type { Worker } from 'node:worker_threads';
import { newWorker, workerScript } from './bulk/workers.js';
import type { WarmWorkerData, WorkerData, WorkerInput } from './jobs.js';

/** The import worker started ahead of its job, and the script it runs. */
let warm: { worker: Worker; href: string } | null = null;

/**
 * Starts the import worker now, ahead of the job the next startImportJob gives it. Once is enough: a second
 * call while one waits starts no other thread. Until it has a job the worker keeps no process alive.
 */
export function prewarmImportWorker(): void {
  const script = warm ? null : workerScript();
  if (!script) return;
  const worker = newWorker(script, { warm: true } satisfies WarmWorkerData);
  worker.unref();
  // One that fails to start is dropped: the job then starts its own.
  const drop = () => {
    if (warm?.worker === worker) warm = null;
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  warm = { worker, href: script.url.href };
}

/** The warm worker for `script`, given `data` for its job; null when none waits for that script. */
export function takeWarmWorker(script: { url: URL }, data: WorkerData): Worker | null {
  const w = warm;
  if (!w || w.href !== script.url.href) return null;
  warm = null;
  w.worker.removeAllListeners('error').removeAllListeners('exit');
  w.worker.ref();
  w.worker.postMessage({ type: 'job', data } satisfies WorkerInput);
  return w.worker;
}
