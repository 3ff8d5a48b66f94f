/**
 * The search-index worker (see search-index.ts): indexes the CIs the import
 * sends, under their ids, in a scratch database of its own, on the other
 * core, and answers with how many it indexed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { batchSearchSettings } from './fts-settings.js';
import { Unpacker } from './packed.js';
import type { SearchIndexMessage, SearchIndexReply, SearchIndexWorkerData } from './search-index.js';

const port = parentPort;
if (!port) throw new Error('search-index-worker.ts runs as a worker thread');
const { path, createSql, progress } = workerData as SearchIndexWorkerData;

// Nothing else opens the scratch file: a lock on it is a fault, reported at once (no busy waiting).
const db = new Database(path, { timeout: 0 });
// A scratch file, deleted after: no journal, no syncs.
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -16384');
db.exec(createSql);
db.exec('BEGIN');
// FTS5's batch settings (fts-settings.ts): merging 16 segments at a time instead of 4 builds a million CIs'
// index in about 30% less time; a 16 MB pending-terms table leaves 98,125 CIs in 3 segments instead of 14,
// so the CMDB's first write to the index after the load (the next import's changes, or one edit) does not
// merge 14 first (about 0.1 s). The index's own settings are put back before it is copied in.
const ownSettings = batchSearchSettings(db);
const insert = db.prepare('INSERT INTO ci_fts(rowid, key, name, type, owner, description, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)');
let docs = 0;

const reply = (m: SearchIndexReply) => {
  if (m.type === 'failed') {
    Atomics.store(progress, 1, 1);
    Atomics.notify(progress, 0);
  }
  port.postMessage(m);
  if (db.open) db.close();
  port.close();
};

port.on('message', (m: SearchIndexMessage) => {
  try {
    if (m.type === 'docs') {
      const u = new Unpacker(m.docs);
      for (const id of m.ids) insert.run(id, u.next(), u.next(), u.next(), u.next(), u.next(), u.next());
      docs += m.ids.length;
      Atomics.store(progress, 0, docs);
      Atomics.notify(progress, 0);
    } else if (m.type === 'end') {
      ownSettings();
      db.exec('COMMIT');
      reply({ type: 'done', docs });
    } else {
      // The import ended without the index (cancelled, rejected, failed): stop without finishing it.
      db.close();
      port.close();
    }
  } catch (err) {
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});
