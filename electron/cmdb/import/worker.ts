/**
 * The import worker thread: opens its own connection to the CMDB, runs one
 * import, and reports progress, the result or the error to its parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors.js';
import { type Db, openDatabase } from '../db.js';
import { runImport } from './engine.js';
import { ErrorsCsvWriter } from './errors-csv.js';
import { claimCommit, isCancelRequested } from './cancel-gate.js';
import { dropWarmWorkers, prewarmPlanner } from './warm-worker.js';
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
// A big import's relationship planner loads now too, while this thread waits for its job (see bulk/helpers.ts).
if ('warm' in given && given.planner) prewarmPlanner();
const { dbPath, spec, cancelFlag } = 'warm' in given ? await job : given;
const send = (m: WorkerMessage) => port.postMessage(m);
send({ type: 'ready' });

let db: Db | null = null;
let errors: ErrorsCsvWriter | null = null;
let outcome: WorkerMessage;
try {
  db = openDatabase(dbPath);
  errors = spec.errorsFile ? new ErrorsCsvWriter(spec.errorsFile) : null;
  const { errorsFile: _ignored, ...input } = spec;
  const writer = errors;
  const result = await runImport(db, {
    ...input,
    isCancelled: () => cancelled || (cancelFlag !== undefined && isCancelRequested(cancelFlag)),
    claimCommit: () => cancelFlag === undefined || claimCommit(cancelFlag),
    onProgress: (progress) => send({ type: 'progress', progress }),
    onRowError: writer ? (e) => writer.write(e) : undefined,
  });
  outcome = { type: 'done', result };
} catch (err) {
  outcome = { type: 'failed', error: toErrorInfo(err) };
}
// A warm planner this import did not need.
await dropWarmWorkers();
// The error report and the CMDB closed (its WAL checkpointed) before the outcome is told: whoever reports it,
// and may then end the process, finds both files complete.
try {
  errors?.close();
  db?.close();
} catch {
  // The outcome stands: the import had committed, or failed, before this; a connection that will not close is
  // closed with the thread.
}
send(outcome);
port.close();
