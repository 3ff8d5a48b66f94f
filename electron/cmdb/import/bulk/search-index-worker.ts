/**
 * The search-index worker (see search-index.ts): indexes the CIs the import
 * sends, under their ids, in a scratch database of its own, on the other
 * core, and answers with how many it indexed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Unpacker } from './packed.js';
import type { SearchIndexMessage, SearchIndexReply, SearchIndexWorkerData } from './search-index.js';

/** FTS5's pending-terms table while the index is built, and its default (put back before the index is copied in). */
const BUILD_HASH_BYTES = 16 * 2 ** 20;
const DEFAULT_HASH_BYTES = 2 ** 20;

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
// FTS5 merges its segments as it goes, by default 4 at a time: over a million CIs most of the build is
// merging. Merging 16 at a time builds the same index in about 30% less time, and it answers as fast.
// The CMDB's own setting (the default) is put back before the index is copied in.
db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('automerge', 16)");
// Its terms are written out as a new segment each time they fill FTS5's pending-terms table (1 MB by
// default): 98,125 CIs left 14 small segments, and the CMDB's first write to the index after the load
// (the next import's changes, or one edit) then had to merge them all (about 0.1 s). A 16 MB table
// leaves 3 segments there, and builds as fast.
db.exec(`INSERT INTO ci_fts(ci_fts, rank) VALUES ('hashsize', ${BUILD_HASH_BYTES})`);
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
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('automerge', 4)");
      db.exec(`INSERT INTO ci_fts(ci_fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_BYTES})`);
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
