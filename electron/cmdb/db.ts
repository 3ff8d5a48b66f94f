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
import { commandLine, shellWord } from '../../shared/next-command.js';
import { baselinePlaceOf } from './baselines/layout.js';
import { busyError, isBusyError, withoutWaitingOnWriter } from './busy.js';
import { currentWriter } from './holder.js';
import { type Migration, MIGRATIONS } from './migrations/index.js';
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
  /**
   * Open for reading only: a file (or a folder) that cannot be written still
   * opens, and a write through the connection fails with DB_READONLY. (An
   * older schema is still upgraded in place when the file can be written, as
   * every open does.)
   */
  readonly?: boolean;
  /** Create the file when missing (default true; never with `readonly`). */
  create?: boolean;
  /** The connection's busy timeout (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** A baseline's temporary copy, upgraded to be read: migrations that only rebuild a derived index are skipped. */
  baselineCopy?: boolean;
}

/** Opens (creating and migrating as needed) the CMDB at `path`, or ':memory:'. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:' || path === '';
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  if (options.readonly && !memory) return openReadOnly(path, busyTimeoutMs);
  return openWritable(path, path, options.create ?? true, busyTimeoutMs, { skipDerivedIndexes: options.baselineCopy === true });
}

/** better-sqlite3's constructor, with the native build the host asked for. */
export function connect(file: string, options: { readonly: boolean; fileMustExist: boolean }): Db {
  // CMDB_SQLITE_NATIVE_BINDING names a better-sqlite3 build for another ABI (Electron's), set by the Electron shell.
  const nativeBinding = process.env.CMDB_SQLITE_NATIVE_BINDING || undefined;
  return new Database(file, { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

/** Opens `file` for reading and writing; `name` is the path the messages give (the user's file, when `file` is a copy). */
function openWritable(file: string, name: string, create: boolean, busyTimeoutMs: number, how: MigrateOptions = {}): Db {
  const memory = file === ':memory:' || file === '';
  if (!memory) checkFileLooksLikeSqlite(file, name, create);
  let db: Db;
  try {
    db = connect(file, { readonly: false, fileMustExist: !create });
  } catch (err) {
    throw openError(name, file, err);
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Refuse a newer, foreign or incomplete database before any pragma that writes (journal_mode = WAL
    // rewrites the header), so a refused file is left byte-for-byte untouched. The first read is the
    // first lock: a bulk load filling the CMDB (see busy.ts) is named at once, not after the busy timeout.
    const version = withoutWaitingOnWriter(db, () => checkVersion(db, name));
    if (!memory) refuseSavedBaseline(db, file, name);
    checkTables(db, name, version);
    configure(db, file, memory, false);
    migrate(db, name, MIGRATIONS, how);
    return db;
  } catch (err) {
    db.close();
    throw openError(name, file, err);
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
function openReadOnly(path: string, busyTimeoutMs: number): Db {
  checkFileLooksLikeSqlite(path, path, false);
  // A saved baseline is read through a read-only connection even where it could be written (by root):
  // the writable one would switch it to WAL, and upgrade an older one, in place.
  if (canWrite(path) && baselinePlaceOf(path) === null) return queryOnly(openWritable(path, path, false, busyTimeoutMs));
  let db: Db | undefined;
  try {
    const conn = connect(path, { readonly: true, fileMustExist: true });
    db = conn;
    conn.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const version = withoutWaitingOnWriter(conn, () => checkVersion(conn, path));
    if (version < SCHEMA_VERSION) {
      db.close();
      return openPrivateCopy(path, busyTimeoutMs);
    }
    checkTables(db, path, version);
    configure(db, path, false, true);
    return db;
  } catch (err) {
    db?.close();
    if (!(err instanceof CmdbError) && cannotReadInPlace(err)) return openPrivateCopy(path, busyTimeoutMs);
    throw openError(path, path, err);
  }
}

/**
 * Refuses to open a saved baseline (a file in a CMDB's baselines folder holding the `baseline_info` table a
 * save adds) for writing: its read-only mode keeps out everyone but root, and a baseline written to would be
 * read by every later diff as what the CMDB was. A copy of it elsewhere is a CMDB like any other.
 */
function refuseSavedBaseline(db: Db, file: string, name: string): void {
  const place = baselinePlaceOf(file);
  if (place === null) return;
  const stamped = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'baseline_info'").get() !== undefined;
  if (!stamped) return;
  const diff = commandLine({ command: 'diff', args: [place.name] }, place.cmdb);
  throw new CmdbError(
    'DB_READONLY',
    `${name} is the saved baseline "${place.name}" of the CMDB ${place.cmdb}: a saved baseline is never changed (diffs read it as what the CMDB was), so nothing was written. To work on it, copy it elsewhere and use the copy (cp ${shellWord(name)} restored.db); to compare with it: ${diff}.`,
    { cmdb: place.cmdb, baseline: place.name },
  );
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
function openPrivateCopy(path: string, busyTimeoutMs: number): Db {
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
    const db = queryOnly(openWritable(copy, path, false, busyTimeoutMs));
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

/**
 * Refuses what cannot be a CMDB file before SQLite opens it: a folder, a device. Whether it is an SQLite file is
 * left to SQLite (its first read fails with SQLITE_NOTADB, see openError): reading the header here would open and
 * close the file, and closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
 * too. A connection of this process already open on the CMDB (the app's, while the import opens its own) would
 * lose its lock, and another program closing the CMDB would take itself for the last user and delete the -wal
 * and -shm this process still uses.
 */
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
}

/**
 * The error for a failed open of `file` (named `name`): a file SQLite found is not a database and that does not
 * start as an SQLite file does is said to be another kind of file, not a damaged CMDB. Its header is read only
 * then, when no connection of this process can hold a lock on it (see checkFileLooksLikeSqlite).
 */
function openError(name: string, file: string, err: unknown): unknown {
  if ((err as { code?: unknown }).code === 'SQLITE_NOTADB' && !startsAsSqlite(file)) {
    return new CmdbError(
      'DB_CORRUPT',
      `${name} is not a CMDB database (it is not an SQLite file). Choose another file; this one was left untouched.`,
    );
  }
  return err instanceof CmdbError ? err : mapOpenError(name, err);
}

/** Whether the file begins with SQLite's header (an empty or unreadable one is not said otherwise: true). */
function startsAsSqlite(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return true;
  }
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 0 || buf.toString('latin1') === SQLITE_HEADER;
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
  if (isBusyError(err)) return busyError(path);
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

/** What a CMDB at a schema version holds: its tables, and its triggers and views by name (their SQL, see `codeOf`). */
interface ExpectedSchema {
  tables: readonly string[];
  code: ReadonlyMap<string, string>;
}

/** The schema a CMDB at each version has, from running its migrations on an empty database (once per version). */
const schemaByVersion = new Map<number, ExpectedSchema>();

function expectedSchema(version: number): ExpectedSchema {
  let schema = schemaByVersion.get(version);
  if (!schema) {
    const scratch = connect(':memory:', { readonly: false, fileMustExist: false });
    try {
      for (const m of MIGRATIONS) if (m.version <= version) scratch.exec(m.up);
      schema = { tables: tableNames(scratch), code: new Map(codeOf(scratch).map((o) => [o.name, o.sql])) };
    } finally {
      scratch.close();
    }
    schemaByVersion.set(version, schema);
  }
  return schema;
}

/** The triggers and views of a database, their SQL with runs of white space as one space (a migration's layout is not its meaning). */
function codeOf(db: Db): Array<{ type: string; name: string; sql: string }> {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view')").all() as Array<{
    type: string;
    name: string;
    sql: string | null;
  }>;
  return rows.map((r) => ({ type: r.type, name: r.name, sql: (r.sql ?? '').replace(/\s+/g, ' ').trim() }));
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
 * user_version), before anything reads them and fails with raw SQL; and one
 * with triggers or views a CMDB does not have, or has with other SQL: another
 * tool added or changed them, and they would run inside this app's own
 * writes (an edit, an import) and could change what it writes.
 */
function checkTables(db: Db, path: string, version: number): void {
  if (version === 0) return;
  const expected = expectedSchema(version);
  const present = new Set(tableNames(db));
  const missing = expected.tables.filter((t) => !present.has(t));
  if (missing.length > 0) {
    throw new CmdbError(
      'DB_CORRUPT',
      `${path} is damaged or not a CMDB: it lacks the table${missing.length === 1 ? '' : 's'} ${someOf(missing)} that a CMDB at schema ${version} has. Restore it from a backup copy, or open another CMDB file; it was left untouched.`,
      { missingTables: missing },
    );
  }
  const foreign = codeOf(db).filter((o) => expected.code.get(o.name) !== o.sql);
  if (foreign.length > 0) {
    // Names as JSON strings: they come from the file, and a control character in one must not reach a terminal.
    const names = foreign.map((o) => `${o.type} ${JSON.stringify(o.name)}`);
    const one = foreign.length === 1;
    throw new CmdbError(
      'DB_CORRUPT',
      `${path} has ${one ? 'a trigger or view' : 'triggers or views'} that a CMDB does not: ${someOf(names)}. Another tool added or changed ${one ? 'it' : 'them'}, and ${one ? 'it' : 'they'} would run inside this app's own writes. The file was left untouched: open a backup copy, or, if you trust its data, drop ${one ? 'it' : 'them'} from a copy with sqlite3 (DROP TRIGGER, DROP VIEW) and open the copy.`,
      { foreignObjects: foreign.map((o) => ({ type: o.type, name: o.name })) },
    );
  }
}

/** Up to six names, then how many more. */
function someOf(names: readonly string[]): string {
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

/** How to migrate: `skipDerivedIndexes` for a baseline's read-only copy (see Migration.derivedIndex). */
export interface MigrateOptions {
  skipDerivedIndexes?: boolean;
}

/**
 * Checks migration order, then applies pending ones (and seeds missing built-in types) in one
 * transaction. When there is nothing to do it takes no write lock, so opening a CMDB to read it
 * does not wait behind a writer.
 */
export function migrate(db: Db, path = ':memory:', migrations: readonly Migration[] = MIGRATIONS, how: MigrateOptions = {}): void {
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
      if (!(how.skipDerivedIndexes && m.derivedIndex)) db.exec(m.up);
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
