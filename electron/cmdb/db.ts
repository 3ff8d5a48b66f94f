/**
 * Opening a CMDB file: pragmas, migrations, and clear refusals for files that
 * are not a CMDB, are damaged, or come from a newer version of the app.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { CmdbError } from '../../shared/errors.js';
import { busyError, isBusyError, withoutWaitingOnWriter } from './busy.js';
import { currentWriter } from './holder.js';
import { MIGRATIONS } from './migrations/index.js';
import { CI_TYPE_SEEDS, REL_TYPE_SEEDS } from './types-registry.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** How long a statement waits for a lock another connection holds: the CLI and the import workers (one command, no one waiting on them). */
export const BUSY_TIMEOUT_MS = 5000;
/**
 * The same for the interactive doors (the web host, the desktop app's engine): better-sqlite3 waits
 * synchronously, so every other request waits as long; a write that finds the CMDB locked fails soon
 * with a BUSY error naming the holder instead.
 */
export const INTERACTIVE_BUSY_TIMEOUT_MS = 250;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when missing (default true). */
  create?: boolean;
  /** The connection's busy timeout (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/** Opens (creating and migrating as needed) the CMDB at `path`, or ':memory:'. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:' || path === '';
  if (!memory) checkFileLooksLikeSqlite(path, options.create ?? true);
  let db: Db;
  try {
    // CMDB_SQLITE_NATIVE_BINDING names a better-sqlite3 build for another ABI (Electron's), set by the Electron shell.
    const nativeBinding = process.env.CMDB_SQLITE_NATIVE_BINDING || undefined;
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: !(options.create ?? true),
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    throw mapOpenError(path, err);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    // Refuse a newer or foreign database before any pragma that writes (journal_mode = WAL
    // rewrites the header), so a refused file is left byte-for-byte untouched. The first read is the
    // first lock: a bulk load filling the CMDB (see busy.ts) is named at once, not after the busy timeout.
    withoutWaitingOnWriter(db, () => checkVersion(db, path));
    configure(db, path, memory, options.readonly ?? false);
    if (!options.readonly) migrate(db, path);
    else checkVersion(db, path);
    return db;
  } catch (err) {
    db.close();
    throw mapOpenError(path, err);
  }
}

function checkFileLooksLikeSqlite(path: string, create: boolean): void {
  if (!existsSync(path)) {
    if (!create) throw new CmdbError('DB_NOT_FOUND', `${path}: no such CMDB file. Check the path, or import into it to create it.`);
    return;
  }
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new CmdbError(
        'DB_CORRUPT',
        `${path} is not a CMDB database (it is not an SQLite file). Choose another file; this one was left untouched.`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

function mapOpenError(path: string, err: unknown): CmdbError {
  if (err instanceof CmdbError) return err;
  if (isBusyError(err)) return busyError(path);
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new CmdbError(
      'DB_CORRUPT',
      `${path} is damaged or not a CMDB database (${message}). Restore it from a backup; it was left untouched.`,
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new CmdbError('DB_NOT_FOUND', `${path}: cannot open the CMDB file (${message}). Check the path and its permissions.`);
  }
  return new CmdbError('INTERNAL', `${path}: ${message}`);
}

function configure(db: Db, path: string, memory: boolean, readonly: boolean): void {
  // Into WAL mode, unless it is already (nothing to write) or a bulk load is filling it through a rollback
  // journal (it goes back to WAL when it ends; switching needs the lock it holds).
  if (!memory && !readonly && db.pragma('journal_mode', { simple: true }) !== 'wal' && !currentWriter(path)?.filling) {
    db.pragma('journal_mode = WAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // 16 MB of page cache per connection: at 1M CIs a 64 MB cache filled up in every scan and added
  // ~40 MB to each process's resident memory, for no measurable gain in search or graph answers
  // (the OS file cache holds the pages anyway).
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
}

function checkVersion(db: Db, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new CmdbError(
      'DB_NEWER',
      `${path} was written by a newer version of CMDB Explorer (schema ${version}; this version knows up to ${SCHEMA_VERSION}). Update the app to open it; the file was left untouched.`,
      { fileVersion: version, appVersion: SCHEMA_VERSION },
    );
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      throw new CmdbError(
        'DB_CORRUPT',
        `${path} is an SQLite database but not a CMDB (it has tables and no CMDB schema version). Choose another file; this one was left untouched.`,
      );
    }
  }
  return version;
}

/**
 * Checks migration order, then applies pending ones (and seeds missing built-in types) in one
 * transaction. When there is nothing to do it takes no write lock, so opening a CMDB to read it
 * does not wait behind a writer.
 */
export function migrate(
  db: Db,
  path = ':memory:',
  migrations: readonly { version: number; name: string; up: string }[] = MIGRATIONS,
): void {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1]!;
    const cur = migrations[i]!;
    if (cur.version <= prev.version) {
      throw new Error(`Migration ${cur.version} (${cur.name}) is out of order after ${prev.version}.`);
    }
  }
  const pending = () => {
    const current = checkVersion(db, path);
    return migrations.filter((m) => m.version > current);
  };
  if (pending().length === 0 && seeded(db)) return;
  const apply = db.transaction(() => {
    // Again under the write lock: another process may have migrated the file meanwhile.
    for (const m of pending()) {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }
    seedTypes(db);
  });
  apply.immediate();
}

/** Whether every built-in type is in the registry (a read). */
function seeded(db: Db): boolean {
  const present = (table: string, seeds: ReadonlyArray<{ name: string }>) => {
    const names = seeds.map((t) => t.name);
    const sql = `SELECT count(*) FROM ${table} WHERE name IN (${names.map(() => '?').join(', ')})`;
    return (
      db
        .prepare(sql)
        .pluck()
        .get(...names) === names.length
    );
  };
  return present('ci_types', CI_TYPE_SEEDS) && present('rel_types', REL_TYPE_SEEDS);
}

function seedTypes(db: Db): void {
  const ci = db.prepare('INSERT OR IGNORE INTO ci_types(name, label, builtin) VALUES (?, ?, 1)');
  for (const t of CI_TYPE_SEEDS) ci.run(t.name, t.label);
  const rel = db.prepare(
    'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, builtin) VALUES (?, ?, ?, ?, ?, 1)',
  );
  for (const t of REL_TYPE_SEEDS) rel.run(t.name, t.label, t.reverseLabel, t.dependent, t.strength);
}
