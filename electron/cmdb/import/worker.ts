/**
 * The import worker thread: opens its own connection to the CMDB, runs one
 * import, and reports progress, the result or the error to its parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors.js';
import { type Db, openDatabase } from '../db.js';
import { runImport } from './engine.js';
import { ErrorsCsvWriter } from './errors-csv.js';
import type { WarmWorkerData, WorkerData, WorkerInput, WorkerMessage } from './jobs.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
let cancelled = false;
let onJob: (data: WorkerData) => void = () => {};
const job = new Promise<WorkerData>((resolve) => (onJob = resolve));
port.on('message', (m: WorkerInput) => {
  if (m.type === 'cancel') cancelled = true;
  else if (m.type === 'job') onJob(m.data);
});
// A warm worker (prewarmImportWorker) was started before its job, which comes as a message.
const given = workerData as WorkerData | WarmWorkerData;
const { dbPath, spec, cancelFlag } = 'warm' in given ? await job : given;
const send = (m: WorkerMessage) => port.postMessage(m);
send({ type: 'ready' });

let db: Db | null = null;
let errors: ErrorsCsvWriter | null = null;
try {
  db = openDatabase(dbPath);
  errors = spec.errorsFile ? new ErrorsCsvWriter(spec.errorsFile) : null;
  const { errorsFile: _ignored, ...input } = spec;
  const writer = errors;
  const result = await runImport(db, {
    ...input,
    isCancelled: () => cancelled || (cancelFlag !== undefined && Atomics.load(cancelFlag, 0) === 1),
    onProgress: (progress) => send({ type: 'progress', progress }),
    onRowError: writer ? (e) => writer.write(e) : undefined,
  });
  send({ type: 'done', result });
} catch (err) {
  send({ type: 'failed', error: toErrorInfo(err) });
} finally {
  errors?.close();
  db?.close();
  port.close();
}
