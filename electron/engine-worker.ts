/**
 * The engine in a worker thread: the Electron main process hands it API
 * calls and gets envelopes and events back, so a long import or a large
 * query never freezes menus, dialogs or window handling.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { CmdbError, toErrorInfo } from '../shared/errors.js';
import { INTERACTIVE_BUSY_TIMEOUT_MS } from './cmdb/db.js';
import { openDefaultCmdb, type OpenedCmdb } from './cmdb/default-cmdb.js';
import { CmdbService } from './cmdb/service.js';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-protocol.js';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs only as a worker thread.');
const post = (m: FromWorker): void => port.postMessage(m);

async function open(data: EngineWorkerData): Promise<OpenedCmdb> {
  // Interactive: every call waits behind one that waits for a lock, so that wait is short (db.ts).
  const busyTimeoutMs = INTERACTIVE_BUSY_TIMEOUT_MS;
  if (data.mode === 'default') return openDefaultCmdb({ path: data.path, source: data.source, busyTimeoutMs });
  const path = data.path;
  if (!path) throw new CmdbError('INVALID_REQUEST', 'No CMDB file was named.');
  if (data.mode === 'create') {
    if (existsSync(path)) throw new CmdbError('CONFLICT', `${path} already exists. Open it with File > Open CMDB…, or choose a new name.`);
    mkdirSync(dirname(path), { recursive: true });
    return { service: CmdbService.open(path, { source: data.source, busyTimeoutMs }), path, created: true, fromDemo: false };
  }
  return { service: CmdbService.open(path, { source: data.source, create: false, busyTimeoutMs }), path, created: false, fromDemo: false };
}

let opened: OpenedCmdb;
try {
  opened = await open(workerData as EngineWorkerData);
} catch (err) {
  post({ type: 'open-failed', error: toErrorInfo(err) });
  process.exit(0);
}
const service = opened.service;
service.onEvent((event) => post({ type: 'event', event }));
// The worker lives while the window shows this CMDB: edits other programs make to it are news to the window.
service.watchEditsElsewhere();
post({ type: 'ready', path: opened.path, created: opened.created, fromDemo: opened.fromDemo });

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    service.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  void service.call(msg.method, msg.body, msg.door).then((envelope) => post({ type: 'result', id: msg.id, envelope }));
});
