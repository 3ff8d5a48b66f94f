/**
 * Opening a CMDB file: pragmas, migrations, and clear refusals for files that
 * are not a CMDB, are damaged, or come from a newer version of the app.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { CmdbError } from '../../shared/errors.js';
import { MIGRATIONS } from './migrations/index.js';
import { CI_TYPE_SEEDS, REL_TYPE_SEEDS } from './types-registry.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when missing (default true). */
  create?: boolean;
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
    // Refuse a newer or foreign database before any pragma that writes (journal_mode = WAL
    // rewrites the header), so a refused file is left byte-for-byte untouched.
    checkVersion(db, path);
    configure(db, memory, options.readonly ?? false);
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

function configure(db: Db, memory: boolean, readonly: boolean): void {
  if (!memory && !readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
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

/** Checks migration order, then applies pending ones in one transaction. */
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
  const current = checkVersion(db, path);
  const pending = migrations.filter((m) => m.version > current);
  const apply = db.transaction(() => {
    for (const m of pending) {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }
    seedTypes(db);
  });
  apply.immediate();
}

function seedTypes(db: Db): void {
  const ci = db.prepare('INSERT OR IGNORE INTO ci_types(name, label, builtin) VALUES (?, ?, 1)');
  for (const t of CI_TYPE_SEEDS) ci.run(t.name, t.label);
  const rel = db.prepare(
    'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, builtin) VALUES (?, ?, ?, ?, ?, 1)',
  );
  for (const t of REL_TYPE_SEEDS) rel.run(t.name, t.label, t.reverseLabel, t.dependent, t.strength);
}
