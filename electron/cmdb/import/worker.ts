/**
 * The import worker thread: opens its own connection to the CMDB, runs one
 * import, and reports progress, the result or the error to its parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors.js';
import { type Db, openDatabase } from '../db.js';
import { runImport } from './engine.js';
import { ErrorsCsvWriter } from './errors-csv.js';
import type { WorkerData, WorkerMessage } from './jobs.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
const { dbPath, spec, cancelFlag } = workerData as WorkerData;
let cancelled = false;
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') cancelled = true;
});
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
