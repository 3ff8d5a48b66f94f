/**
 * A CMDB file an import created, removed again when the import failed, so a failed first import leaves no new
 * file behind; but only while no other process uses it and nothing was written into it. Two imports started
 * together into a path that did not exist both see it new: the one that fails must not delete what the other
 * wrote, or is writing.
 */
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect } from '../cmdb/db.js';

/** The folders above `path` that do not exist yet (the import creates them with the file), the deepest first. */
export function missingFolders(path: string): string[] {
  const missing: string[] = [];
  for (let dir = dirname(path); !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) missing.push(dir);
  return missing;
}

/**
 * Removes the CMDB file at `path` (and its WAL and shared-memory files) if it is unused and holds nothing, and
 * then `folders` (made for it: missingFolders) that are left empty; true if the file was removed.
 */
export function removeUnusedNewCmdb(path: string, folders: readonly string[] = []): boolean {
  let db;
  try {
    db = connect(path, { readonly: false, fileMustExist: true });
  } catch {
    return false; // gone already, or not ours to open
  }
  let unused: boolean;
  try {
    db.pragma('busy_timeout = 0');
    // SQLite leaves WAL mode only when no other connection has the file open: the test that no process uses it.
    unused = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    if (unused) {
      // Held while the files go: a process opening the file meanwhile waits, then finds it gone.
      db.exec('BEGIN EXCLUSIVE');
      unused = !written(db);
    }
    if (unused) for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(f, { force: true });
  } catch {
    unused = false; // in use (locked), or not a CMDB: left as it is
  } finally {
    db.close();
  }
  if (unused) {
    for (const dir of folders) {
      try {
        rmdirSync(dir); // only an empty one: another file put there meanwhile keeps it
      } catch {
        break;
      }
    }
  }
  return unused;
}

/**
 * Whether anything was written into the file beyond a CMDB's schema: a CI, a relationship, or an import recorded
 * (or tables of another kind). An empty file (its schema never committed) holds nothing.
 */
function written(db: ReturnType<typeof connect>): boolean {
  const has = (table: string) => db.prepare(`SELECT EXISTS(SELECT 1 FROM ${table})`).pluck().get() === 1;
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  if (tables.size === 0) return false;
  return ['cis', 'relationships', 'imports'].some((t) => !tables.has(t) || has(t));
}
