/**
 * Opening a CMDB file: pragmas, migrations, and clear refusals for files that
 * are not a CMDB, are damaged, come from a newer version of the app, or cannot
 * be written when a change needs to.
 */
import Database from 'better-sqlite3';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CmdbError } from '../../shared/errors.js';
import { MIGRATIONS } from './migrations/index.js';
import { CI_TYPE_SEEDS, REL_TYPE_SEEDS } from './types-registry.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface OpenOptions {
  /**
   * Open for reading only: a file (or a folder) that cannot be written still
   * opens, and a write through the connection fails with DB_READONLY. (An
   * older schema is still upgraded in place when the file can be written, as
   * every open does.)
   */
  readonly?: boolean;
  /** Create the file when missing (default true; never with `readonly`). */
  create?: boolean;
}

/** Opens (creating and migrating as needed) the CMDB at `path`, or ':memory:'. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:' || path === '';
  if (options.readonly && !memory) return openReadOnly(path);
  return openWritable(path, path, options.create ?? true);
}

/** better-sqlite3's constructor, with the native build the host asked for. */
function connect(file: string, options: { readonly: boolean; fileMustExist: boolean }): Db {
  // CMDB_SQLITE_NATIVE_BINDING names a better-sqlite3 build for another ABI (Electron's), set by the Electron shell.
  const nativeBinding = process.env.CMDB_SQLITE_NATIVE_BINDING || undefined;
  return new Database(file, { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

/** Opens `file` for reading and writing; `name` is the path the messages give (the user's file, when `file` is a copy). */
function openWritable(file: string, name: string, create: boolean): Db {
  const memory = file === ':memory:' || file === '';
  if (!memory) checkFileLooksLikeSqlite(file, name, create);
  let db: Db;
  try {
    db = connect(file, { readonly: false, fileMustExist: !create });
  } catch (err) {
    throw mapOpenError(name, err);
  }
  try {
    // Refuse a newer, foreign or incomplete database before any pragma that writes (journal_mode = WAL
    // rewrites the header), so a refused file is left byte-for-byte untouched.
    checkTables(db, name, checkVersion(db, name));
    configure(db, memory, false);
    migrate(db, name);
    return db;
  } catch (err) {
    db.close();
    throw mapOpenError(name, err);
  }
}

/**
 * Opens `path` for reading only. Where the file and its folder can be written,
 * that is a read-write connection refusing writes (`query_only`): it reads the
 * same, upgrades an older schema as every open does, and, closing last, tidies
 * the -wal and -shm away as a read-only connection cannot. Elsewhere it is a
 * read-only connection; and where SQLite cannot read in place even so (a WAL
 * CMDB in a read-only folder has no -shm), or the schema needs an upgrade that
 * cannot be written, a private copy is read instead.
 */
function openReadOnly(path: string): Db {
  checkFileLooksLikeSqlite(path, path, false);
  if (canWrite(path)) return queryOnly(openWritable(path, path, false));
  let db: Db | undefined;
  try {
    db = connect(path, { readonly: true, fileMustExist: true });
    const version = checkVersion(db, path);
    if (version < SCHEMA_VERSION) {
      db.close();
      return openPrivateCopy(path);
    }
    checkTables(db, path, version);
    configure(db, false, true);
    return db;
  } catch (err) {
    db?.close();
    if (!(err instanceof CmdbError) && cannotReadInPlace(err)) return openPrivateCopy(path);
    throw mapOpenError(path, err);
  }
}

/** Whether this process may write the file and create files beside it (the -wal and -shm). */
function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The connection with every write refused: a write fails with SQLITE_READONLY (DB_READONLY, see describeDbError). */
function queryOnly(db: Db): Db {
  db.pragma('query_only = ON');
  return db;
}

/** SQLite could not read the file where it is because it cannot write beside it (the WAL index). */
function cannotReadInPlace(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN');
}

/**
 * A private, temporary copy of `path` (and its `-wal`), opened with writes
 * refused (`query_only`) and removed when the connection closes or the process
 * exits. The checks and messages still name `path`.
 */
function openPrivateCopy(path: string): Db {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-readonly-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = join(dir, 'cmdb.db');
    try {
      copyFileSync(path, copy);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
      // The copies keep the original's mode: a 0444 original would make a copy its owner cannot upgrade.
      for (const f of [copy, `${copy}-wal`]) if (existsSync(f)) chmodSync(f, 0o600);
    } catch (err) {
      throw mapOpenError(path, err);
    }
    const db = queryOnly(openWritable(copy, path, false));
    process.once('exit', remove);
    const close = db.close.bind(db);
    db.close = () => {
      close();
      process.off('exit', remove);
      remove();
      return db;
    };
    return db;
  } catch (err) {
    remove();
    throw err;
  }
}

function checkFileLooksLikeSqlite(path: string, name: string, create: boolean): void {
  if (!existsSync(path)) {
    if (!create) throw new CmdbError('DB_NOT_FOUND', `${name}: no such CMDB file. Check the path, or import into it to create it.`);
    return;
  }
  const stat = statSync(path);
  if (stat.isDirectory()) {
    throw new CmdbError(
      'DB_NOT_FOUND',
      `${name} is a folder, not a CMDB file. Pass the CMDB file itself, such as ${join(name, 'cmdb.db')}.`,
    );
  }
  if (!stat.isFile()) {
    throw new CmdbError('DB_NOT_FOUND', `${name} is not a regular file (a device or a pipe). Pass the path of a CMDB file.`);
  }
  if (stat.size === 0) return;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw mapOpenError(name, err);
  }
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new CmdbError(
        'DB_CORRUPT',
        `${name} is not a CMDB database (it is not an SQLite file). Choose another file; this one was left untouched.`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The CmdbError for what SQLite said about the CMDB at `path`: it cannot be
 * written, or it is damaged. Anything else is returned as it is. Used on open
 * and by the service for errors that happen later (a write on a connection
 * opened read-only, or on a private copy, whose writes `query_only` refuses).
 */
export function describeDbError(path: string, err: unknown): unknown {
  if (err instanceof CmdbError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_READONLY')) {
    return new CmdbError(
      'DB_READONLY',
      `${path} cannot be written (the file or its folder is read-only, or it was opened for reading only), so nothing was changed. Copy it somewhere writable and use the copy, or change its permissions.`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new CmdbError(
      'DB_CORRUPT',
      `${path} is damaged or not a CMDB database (${message}). Restore it from a backup; it was left untouched.`,
    );
  }
  return err;
}

function mapOpenError(path: string, err: unknown): CmdbError {
  const known = describeDbError(path, err);
  if (known instanceof CmdbError) return known;
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CmdbError(
      'DB_NOT_FOUND',
      `${path}: permission denied reading the CMDB file. Check its permissions, or use a copy you can read.`,
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

/** The tables a CMDB at each schema version has, from running its migrations on an empty database (once per version). */
const tablesByVersion = new Map<number, readonly string[]>();

function expectedTables(version: number): readonly string[] {
  let tables = tablesByVersion.get(version);
  if (!tables) {
    const scratch = connect(':memory:', { readonly: false, fileMustExist: false });
    try {
      for (const m of MIGRATIONS) if (m.version <= version) scratch.exec(m.up);
      tables = tableNames(scratch);
    } finally {
      scratch.close();
    }
    tablesByVersion.set(version, tables);
  }
  return tables;
}

function tableNames(db: Db): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .pluck()
    .all() as string[];
}

/**
 * Refuses a file whose schema version promises tables it does not have (one
 * was dropped, or another application's SQLite file carries a matching
 * user_version), before anything reads them and fails with raw SQL.
 */
function checkTables(db: Db, path: string, version: number): void {
  if (version === 0) return;
  const present = new Set(tableNames(db));
  const missing = expectedTables(version).filter((t) => !present.has(t));
  if (missing.length === 0) return;
  const shown = missing.length > 6 ? `${missing.slice(0, 6).join(', ')} and ${missing.length - 6} more` : missing.join(', ');
  throw new CmdbError(
    'DB_CORRUPT',
    `${path} is damaged or not a CMDB: it lacks the table${missing.length === 1 ? '' : 's'} ${shown} that a CMDB at schema ${version} has. Restore it from a backup copy, or open another CMDB file; it was left untouched.`,
    { missingTables: missing },
  );
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
