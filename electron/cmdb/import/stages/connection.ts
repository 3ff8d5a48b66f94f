/**
 * The import connection's settings for the length of one import, and their
 * restoration after: foreign keys off, sorts on disk, a bigger page cache,
 * and for a big load into an empty CMDB a rollback journal instead of the WAL.
 */
import { isBusyError } from '../../busy.js';
import type { Db } from '../../db.js';

/**
 * The import connection's page cache, in KiB as SQLite takes it (negative): 32 MB. A million-CI load
 * runs as fast with 32 MB as with 64 or 128 (measured), and 70 MB less resident.
 */
const IMPORT_CACHE_KIB = -32768;
/**
 * A re-import reads the CMDB file through a memory map (up to this many bytes, or the SQLite build's limit,
 * 2 GB in better-sqlite3's): it reads every stored CI and relationship once, and a page in the map costs no
 * read() into the cache. A load into an empty CMDB reads only what it writes (its index builds): there the
 * map saved about 3% at 1,000,000 CIs and nothing at 98,125, and every page of the new file it touched
 * counted in the process's resident memory (1,015 MB against 440-489 MB at 1,000,000 CIs), so it has none.
 */
const IMPORT_MMAP_BYTES = 4 * 2 ** 30;

/**
 * Sets the connection up for an import (before its transaction: these pragmas cannot change inside one);
 * `reads`: the CMDB holds CIs or relationships the import reads (not an empty one), for the memory map.
 * restore() puts the connection's own settings back (foreign keys, temp store, cache, memory map).
 */
export function tuneConnection(db: Db, { reads }: { reads: boolean }): { restore(): void } {
  // The importer resolves every endpoint id and ensures every type and the import row itself, inside its
  // transaction, so SQLite's per-row foreign-key lookups (five per relationship) only repeat its checks.
  // The pragma cannot change inside a transaction: it is set around it and restored after.
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  if (fkWasOn) db.pragma('foreign_keys = OFF');
  // Index builds and big INSERT ... SELECTs sort through temporary storage: on disk for an import, so a
  // million-row load does not hold its sorts in memory (the connection's default keeps them in RAM).
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  if (tempStore !== 1) db.pragma('temp_store = FILE');
  // A bigger page cache for the import: a million-row load's B-tree inserts and index builds stay in
  // memory instead of re-reading pages (restored after, so a shared connection keeps its own size).
  const cacheSize = db.pragma('main.cache_size', { simple: true }) as number;
  db.pragma(`main.cache_size = ${IMPORT_CACHE_KIB}`);
  const mmapSize = db.pragma('main.mmap_size', { simple: true }) as number;
  if (reads) db.pragma(`main.mmap_size = ${IMPORT_MMAP_BYTES}`);
  return {
    restore() {
      if (fkWasOn) db.pragma('foreign_keys = ON');
      if (tempStore !== 1) db.pragma(`temp_store = ${tempStore}`);
      db.pragma(`main.cache_size = ${cacheSize}`);
      db.pragma(`main.mmap_size = ${mmapSize}`);
    },
  };
}

/**
 * Switches a WAL-mode CMDB to a rollback journal for one bulk load, when this connection is the only
 * one (SQLite refuses the switch otherwise, and the load then goes through the WAL as usual). A load
 * into an empty database journals almost nothing: pages past the old end of the file need no copy,
 * and a rollback (or a kill, on the next open) truncates them away. synchronous is FULL meanwhile, as
 * a rollback journal needs for power-loss safety. restore() goes back to WAL.
 */
export function rollbackJournalForLoad(db: Db): { restore(): void } | null {
  if (db.memory || db.pragma('main.journal_mode', { simple: true }) !== 'wal') return null;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  const synchronous = db.pragma('main.synchronous', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  let switched = false;
  try {
    switched = db.pragma('main.journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // another connection has the CMDB open: stay in WAL mode
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  if (!switched) return null;
  db.pragma('main.synchronous = FULL');
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      try {
        db.pragma('main.journal_mode = WAL');
      } catch (err) {
        if (!isBusyError(err)) throw err;
        // A reader holds the CMDB at this moment. The load is over either way (committed or rolled back):
        // the CMDB stays in rollback-journal mode, safe with synchronous FULL, until the next open switches
        // it back (db.ts).
        return;
      }
      db.pragma(`main.synchronous = ${synchronous}`);
    },
  };
}

/** Whether the CMDB has no CI and no relationship. */
export function isEmptyCmdb(db: Db): boolean {
  const r = db.prepare('SELECT EXISTS(SELECT 1 FROM cis) AS c, EXISTS(SELECT 1 FROM relationships) AS r').get() as { c: number; r: number };
  return r.c === 0 && r.r === 0;
}
