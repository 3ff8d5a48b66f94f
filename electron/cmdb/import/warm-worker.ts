/**
 * Import threads started ahead of their job. Loading a thread and its bundle takes a tenth of a second or
 * more; started early, that overlaps what the caller does before the import (loading the rest of the CLI,
 * opening the CMDB, reading the files' first rows, checking the request). A warm thread waits for a
 * `{ type: 'job', data }` message with the workerData it would otherwise have been started with. This
 * module stays small and imports nothing heavy, so the CLI's entry can start the import worker before it
 * loads its commands.
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { newWorker, workerScript } from './bulk/workers.js';
import { PARALLEL_FROM_BYTES } from './load-size.js';

/** What a warm thread is started with. `planner`: the import worker starts a warm relationship planner too. */
export type WarmWorkerData = { warm: true; planner?: boolean };

/** The warm threads, by their script. */
const warm = new Map<string, Worker>();

/** Starts the import worker ahead of its job; with `planner`, it starts a warm relationship planner as it loads. */
export function prewarmImportWorker(opts: { planner?: boolean } = {}): void {
  prewarm(workerScript(), { warm: true, planner: opts.planner === true });
}

/**
 * Whether `cmdb import`'s arguments name a relationships file, and files big enough together that the import
 * will likely plan its relationships on a thread of their own (bulk/helpers.ts decides; an unused planner is
 * stopped). A file it cannot read counts as empty: the import says what is wrong with it.
 */
export function mayPlanRelationships(args: readonly string[]): boolean {
  const file = (option: string): string | undefined => {
    const i = args.findIndex((a) => a === option || a.startsWith(`${option}=`));
    if (i < 0) return undefined;
    return args[i] === option ? args[i + 1] : args[i]!.slice(option.length + 1);
  };
  const size = (f: string | undefined): number => {
    try {
      return f ? statSync(f).size : 0;
    } catch {
      return 0;
    }
  };
  const rels = file('--relationships');
  return rels !== undefined && size(rels) + size(file('--cis')) >= PARALLEL_FROM_BYTES;
}

/** Starts the relationship planner's thread ahead of its job (from the import worker: see rel-planner.ts). */
export function prewarmPlanner(): void {
  prewarm(plannerScript(), { warm: true });
}

/** The relationship planner's script (rel-planner-worker.ts, bundled as dist/rel-planner-worker.js). */
export function plannerScript(): { url: URL; fromSource: boolean } | null {
  return workerScript('rel-planner-worker', './rel-planner-worker.ts');
}

/**
 * Starts `script` now, ahead of the job a takeWarmWorker gives it. Once is enough: a second call while one waits
 * starts no other thread. Until it has a job the thread keeps no process alive.
 */
function prewarm(script: { url: URL; fromSource: boolean } | null, data: WarmWorkerData): void {
  if (!script || warm.has(script.url.href)) return;
  const worker = newWorker(script, data);
  worker.unref();
  // One that fails to start is dropped: the job then starts its own.
  const drop = () => {
    if (warm.get(script.url.href) === worker) warm.delete(script.url.href);
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  warm.set(script.url.href, worker);
}

/** The warm thread for `script`, given `data` for its job; null when none waits for that script. */
export function takeWarmWorker(script: { url: URL }, data: unknown, transfer: ArrayBuffer[] = []): Worker | null {
  const worker = warm.get(script.url.href);
  if (!worker) return null;
  warm.delete(script.url.href);
  worker.removeAllListeners('error').removeAllListeners('exit');
  worker.ref();
  worker.postMessage({ type: 'job', data }, transfer);
  return worker;
}

/** Whether the import worker's thread is waiting, warm, for a job (prewarmImportWorker). */
export function importWorkerWaits(): boolean {
  const script = workerScript();
  return script !== null && warm.has(script.url.href);
}

/** Stops the threads still waiting for a job (an import that did not need them). */
export async function dropWarmWorkers(): Promise<void> {
  const waiting = [...warm.values()];
  warm.clear();
  await Promise.all(waiting.map((w) => w.terminate()));
}
