/**
 * The search-index worker: builds a bulk load's full-text index in a
 * scratch database of its own, on the other core, while the import thread
 * goes on writing CIs, indexes and relationships. The import thread sends
 * every CI it created (rowid and the indexed columns) and, at the end, copies
 * the finished index's tables into the CMDB (search-index.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SearchIndexMessage, SearchIndexWorkerData } from './search-index.js';

const port = parentPort;
if (!port) throw new Error('search-index-worker.ts runs as a worker thread');
const { path, createSql, progress } = workerData as SearchIndexWorkerData;

const db = new Database(path);
// A scratch file, deleted after: no journal, no syncs.
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -32768');
db.exec(createSql);
db.exec('BEGIN');
const insert = db.prepare('INSERT INTO ci_fts(rowid, key, name, type, owner, description, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)');
let docs = 0;

port.on('message', (m: SearchIndexMessage) => {
  try {
    if (m.type === 'docs') {
      const v = m.values;
      for (let i = 0; i + 6 < v.length; i += 7) insert.run(v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6]);
      docs += v.length / 7;
      Atomics.store(progress, 0, docs);
      Atomics.notify(progress, 0);
    } else if (m.type === 'end') {
      db.exec('COMMIT');
      db.close();
      port.postMessage({ type: 'done', docs });
      port.close();
    }
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    if (db.open) db.close();
    port.close();
  }
});
