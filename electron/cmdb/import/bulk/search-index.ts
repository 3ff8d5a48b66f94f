/**
 * A bulk load's full-text index, built on another thread. Rebuilding the
 * FTS5 index of a million CIs takes seconds of one core at the end of an
 * import; instead, the import sends each CI it creates (id and indexed
 * columns) to a worker (search-index-worker.ts), which indexes it in a
 * scratch database attached to the import's connection, and at the end the
 * import copies the finished index's tables (ci_fts_data, ci_fts_idx,
 * ci_fts_docsize) into the CMDB inside its own transaction. The copy is the
 * index FTS5 itself built for the same rows under the same definition; it is
 * used only when the worker indexed every CI the CMDB holds, and otherwise
 * (the worker failed) the import rebuilds the index in place.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Db } from '../../db.js';
import { processAlive } from '../../holder.js';
import { Backlog } from './backlog.js';
import { type Packed, Packer } from './packed.js';
import { newWorker, workerScript } from './workers.js';

export interface SearchIndexWorkerData {
  path: string;
  /** The CMDB's own CREATE VIRTUAL TABLE ci_fts statement. */
  createSql: string;
  /** [0]: CIs indexed so far (the worker adds, the import thread waits on it when too far ahead); [1]: 1 once the worker failed. */
  progress: Int32Array;
}

/** Created CIs: ids[i], and six packed strings each (key, name, type, owner, description, attributes). */
export type SearchIndexMessage = { type: 'docs'; ids: Int32Array; docs: Packed } | { type: 'end' } | { type: 'stop' };

export type SearchIndexReply = { type: 'done'; docs: number } | { type: 'failed'; message: string };

/** The scratch folders in the system's temporary folder, and the file in each that names the process using it. */
const SCRATCH_PREFIX = 'cmdb-search-index-';
const OWNER_FILE = 'owner.pid';
/** A scratch folder without an owner file (or an unreadable one) is left alone this long. */
const UNOWNED_GRACE_MS = 60 * 60_000;

/**
 * Removes the scratch folders of bulk loads that died without cleaning up (a killed process cannot):
 * those whose owning process is gone. A folder whose owner still runs is another import's, at work.
 * Returns how many were removed. Never throws: cleaning up must not stop an import.
 */
export function removeStaleScratch(dir = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(SCRATCH_PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const folder = join(dir, name);
    try {
      let stale: boolean;
      try {
        const pid = Number(readFileSync(join(folder, OWNER_FILE), 'utf8'));
        stale = !Number.isInteger(pid) || pid <= 0 || !processAlive(pid);
      } catch {
        stale = Date.now() - statSync(folder).mtimeMs > UNOWNED_GRACE_MS;
      }
      if (stale) {
        rmSync(folder, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** The attached scratch database's schema name. */
const SCHEMA = 'search_build';
const TABLES = ['ci_fts_data', 'ci_fts_idx', 'ci_fts_docsize', 'ci_fts_config'] as const;
/** CIs per message to the worker. */
const BATCH = 2000;
/**
 * How far the worker may lag behind (CIs sent and not yet indexed, and their bytes) before the import
 * thread waits for it: far enough that it never waits while the CIs are written (the worker then
 * finishes while the import builds the CI indexes), and no further (the lag is held in memory).
 */
const MAX_BACKLOG_CIS = 250_000;
const MAX_BACKLOG_BYTES = 40 << 20;

export class ParallelSearchIndex {
  private reply: Promise<SearchIndexReply>;
  private exited: Promise<void>;
  private ids: number[] = [];
  private docs = new Packer();
  private sent = 0;
  private ended = false;
  private copyAsked = false;
  private failed = false;
  /** Time the import thread spent waiting for the worker to catch up. */
  waitedMs = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly dir: string,
    private readonly progress: Int32Array,
    private readonly backlog: Backlog,
  ) {
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.reply = new Promise<SearchIndexReply>((resolve) => {
      worker.once('message', (m: SearchIndexReply) => resolve(m));
      worker.once('error', (err) => resolve({ type: 'failed', message: err.message }));
      worker.once('exit', (code) => resolve({ type: 'failed', message: `the search-index worker stopped (exit ${code})` }));
    });
    void this.reply.then((r) => {
      if (r.type === 'failed') this.failed = true;
    });
  }

  /**
   * Attaches a scratch database and starts the worker. Call it outside a transaction (SQLite cannot
   * attach inside one), and begin the import's transaction DEFERRED, not IMMEDIATE: IMMEDIATE would
   * take the write lock of the attached file too and shut the worker out. Null where no worker runs.
   */
  static start(db: Db, lag = { rows: MAX_BACKLOG_CIS, bytes: MAX_BACKLOG_BYTES }): ParallelSearchIndex | null {
    const script = workerScript('search-index-worker', './search-index-worker.ts');
    const createSql = db.prepare("SELECT sql FROM main.sqlite_schema WHERE name = 'ci_fts'").pluck().get() as string | undefined;
    if (!script || !createSql || db.inTransaction) return null;
    // A bulk load killed outright (SIGKILL, power) could not remove its scratch folder: the next one does.
    removeStaleScratch();
    const dir = mkdtempSync(join(tmpdir(), SCRATCH_PREFIX));
    writeFileSync(join(dir, OWNER_FILE), String(process.pid));
    const path = join(dir, 'search.db');
    try {
      db.prepare(`ATTACH ? AS ${SCHEMA}`).run(path);
      const progress = new Int32Array(new SharedArrayBuffer(8));
      const data: SearchIndexWorkerData = { path, createSql, progress };
      return new ParallelSearchIndex(newWorker(script, data), dir, progress, new Backlog(lag.rows, lag.bytes));
    } catch {
      ParallelSearchIndex.detach(db);
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
  }

  /** One created CI's id and indexed columns, in the order of the ci_fts definition. */
  add(id: number, key: string, name: string, type: string, owner: string | null, description: string | null, attributes: string): void {
    if (this.failed) return;
    this.ids.push(id);
    const d = this.docs;
    d.push(key);
    d.push(name);
    d.push(type);
    d.push(owner);
    d.push(description);
    d.push(attributes);
    if (this.ids.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.ids.length === 0) return;
    const ids = Int32Array.from(this.ids);
    const docs = this.docs.take();
    const n = ids.length;
    const bytes = ids.byteLength + docs.lens.byteLength + docs.text.length;
    // (ids is moved, not copied: empty here after the send.)
    this.worker.postMessage({ type: 'docs', ids, docs } satisfies SearchIndexMessage, [ids.buffer]);
    this.sent += n;
    this.backlog.sent(n, bytes);
    this.ids = [];
    // Backpressure: messages queue without limit, so past the backlog the import thread waits for the
    // worker (a blocking wait: this runs on the import's own thread, and the worker is CPU-bound too).
    // A worker that failed says so in shared memory; one that stopped dead (no progress for a minute)
    // is given up on: either way the import goes on and rebuilds the index in place at the end.
    let stalled = 0;
    for (let done = Atomics.load(this.progress, 0); this.backlog.over(done) && !this.failed;) {
      const w0 = performance.now();
      const r = Atomics.wait(this.progress, 0, done, 1000);
      this.waitedMs += performance.now() - w0;
      const now = Atomics.load(this.progress, 0);
      stalled = r === 'timed-out' && now === done ? stalled + 1 : 0;
      if (Atomics.load(this.progress, 1) === 1 || stalled >= 60) this.failed = true;
      done = now;
    }
  }

  /**
   * Every CI has been sent (the CI stage is over): the worker finishes its index (its last pending terms
   * written, its settings put back, committed) while the import goes on with the relationships, not
   * at the copy. A CI sent after this would not be indexed: the copy then finds the counts differ and
   * the import rebuilds the index in place.
   */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.worker.postMessage({ type: 'end' } satisfies SearchIndexMessage);
    this.ended = true;
  }

  /**
   * Waits for the worker and copies its index into the CMDB's (empty) ci_fts tables, inside the
   * import's transaction, when it indexed every CI the import sent it and the CMDB holds (`expected`).
   * False, with nothing copied, otherwise: the caller then rebuilds in place.
   */
  async copyInto(db: Db, expected: number): Promise<boolean> {
    this.copyAsked = true;
    this.end();
    if (this.failed) return false;
    const reply = await this.reply;
    if (reply.type !== 'done' || reply.docs !== expected || this.sent !== expected) return false;
    // FTS5's shadow tables are read-only to SQL while the connection is defensive (better-sqlite3's default).
    db.unsafeMode(true);
    try {
      for (const t of TABLES) db.exec(`DELETE FROM main.${t}; INSERT INTO main.${t} SELECT * FROM ${SCHEMA}.${t};`);
    } finally {
      db.unsafeMode(false);
    }
    return true;
  }

  /** After the transaction: stops the worker if it still runs, detaches and deletes the scratch file. */
  async close(db: Db): Promise<void> {
    try {
      // Asked to stop, the worker closes its database itself once through the CIs already sent; one
      // that does not within a few seconds is stopped outright.
      if (!this.ended) this.worker.postMessage({ type: 'stop' } satisfies SearchIndexMessage);
      // Told every CI was sent, it is finishing an index the import ended without (cancelled or failed after
      // its CI stage): nothing to wait for, and the scratch file goes below.
      else if (!this.copyAsked) void this.worker.terminate();
      this.ended = true;
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      await this.exited;
      clearTimeout(timer);
      ParallelSearchIndex.detach(db);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private static detach(db: Db): void {
    const attached = (db.prepare('PRAGMA database_list').all() as Array<{ name: string }>).some((d) => d.name === SCHEMA);
    if (attached && !db.inTransaction) db.exec(`DETACH ${SCHEMA}`);
  }
}
