/**
 * Where baselines live and how they are written and read. A baseline is one
 * SQLite file in a folder beside the CMDB (`<cmdb file>.baselines/<name>.sqlite`):
 * a page-for-page copy made with SQLite's online backup API (consistent: one
 * read transaction of the live CMDB), switched to a rollback journal, given a
 * `baseline_info` table (name, note, when, schema version, counts) and made
 * read-only on disk before it is renamed into place. It is read through
 * read-only connections, or attached to a connection with `query_only` on, so
 * nothing writes it again. A baseline written by an older schema is migrated
 * on read: a temporary copy is upgraded and read instead, the file is left as
 * it is. See docs/baselines.md.
 */
import {
  chmodSync,
  closeSync,
  copyFileSync,
  fsyncSync,
  linkSync,
  openSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Baseline, baselineNameSchema, NOW, savedBaselineNameSchema } from '../../../shared/baseline.js';
import { CmdbError } from '../../../shared/errors.js';
import { commandLine, type NextCommand } from '../../../shared/next-command.js';
import { connect, type Db, openDatabase, SCHEMA_VERSION } from '../db.js';
import { nowIso } from '../rows.js';
import { BASELINE_EXT as EXT, baselinesDir, FOLDER_SUFFIX, otherBaselineFolders } from './layout.js';

export { baselinesDir };

/** Pages copied per backup step: the whole file in one step, as `sqlite3 .backup` does (SQLite's default of 100 yields to the event loop between steps, ~2x slower). */
const PAGES_PER_STEP = 1 << 30;

/** The command that saves a first baseline, as a message suggests it (shared/next-command.ts). */
export const SAVE_ONE: NextCommand = { command: 'baseline save', args: ['NAME'] };

/** Whether `dbPath` names a CMDB that has a folder beside it (not an in-memory database). */
function isFile(dbPath: string): boolean {
  return dbPath !== '' && dbPath !== ':memory:' && !dbPath.startsWith('file::memory:');
}

/** A baseline opened for reading: the file to read (a migrated temporary copy for an older schema), and how to let it go. */
export interface OpenedBaseline {
  info: Baseline;
  /** The file SQLite reads: the baseline itself, or its upgraded copy. */
  file: string;
  /** Removes the temporary copy, if any. */
  release(): void;
}

interface InfoRow {
  name: string;
  note: string | null;
  created_at: string;
  schema_version: number;
  cis: number;
  relationships: number;
}

/** SQLite's reason when it says a file is damaged or not a database; null for any other error. */
export function damageOf(err: unknown): string | null {
  // The migrations' open (of an older baseline's copy) says so itself, naming the copy.
  if (err instanceof CmdbError) return err.code === 'DB_CORRUPT' ? 'its upgraded copy did not read as a CMDB' : null;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code !== 'SQLITE_NOTADB' && !code.startsWith('SQLITE_CORRUPT')) return null;
  return err instanceof Error ? err.message : String(err);
}

/**
 * What to say when reading baseline `name` (its file `file`) failed with
 * `err`: when SQLite found the file damaged, that the baseline is, and that
 * the CMDB is not (left to the service, the error would name the CMDB's
 * file); any other error as it is.
 */
export function baselineError(name: string, file: string, err: unknown): unknown {
  const why = damageOf(err);
  if (why === null) return err;
  const next = { command: 'baseline delete', args: [name] };
  return new CmdbError(
    'DB_CORRUPT',
    `Baseline "${name}" (${file}) is damaged or not a baseline (${why}); the CMDB itself is not affected. Delete the baseline (${commandLine(next)}) and save a new one.`,
    { name, next },
  );
}

/** Whether SQLite can read `schema` of `db` through (a quick check of its pages): false for a damaged file. */
export function readable(db: Db, schema = 'main'): boolean {
  try {
    return (db.pragma(`${schema}.quick_check(1)`, { simple: true }) as string) === 'ok';
  } catch {
    return false;
  }
}

/** Saves begun in this process: each writes its own temporary file. */
let savesStarted = 0;

/**
 * Puts the finished copy `tmp` in place as `target`, refusing (`clash`) when
 * `target` exists: a hard link is made only when the name is free, so of two
 * saves of one name at once the second is refused, not written over the
 * first (a rename would replace it). Where the file system has no hard links,
 * the check and a rename instead.
 */
function placeNew(tmp: string, target: string, clash: () => CmdbError): void {
  try {
    linkSync(tmp, target);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST' || existsSync(target)) throw clash();
    renameSync(tmp, target);
    return;
  }
  rmSync(tmp);
}

export class BaselineStore {
  readonly dir: string;
  /** The folder as this store's own last save or delete left it (`listing`); null before either. */
  ownListing: string | null = null;

  constructor(
    /** The live CMDB's connection (the backup's source). */
    private readonly db: Db,
    /** The CMDB file, as the person named it. */
    private readonly dbPath: string,
  ) {
    this.dir = baselinesDir(dbPath);
  }

  /** Refuses baselines of a CMDB that is not a file. */
  private requireFile(): void {
    if (!isFile(this.dbPath)) {
      throw new CmdbError(
        'INVALID_REQUEST',
        'This CMDB is held in memory, so it has no folder to keep baselines in. Open a CMDB file (--db FILE) to save and compare baselines.',
      );
    }
  }

  /** The file of baseline `name`. */
  fileOf(name: string): string {
    return join(this.dir, `${name}${EXT}`);
  }

  /** Saves the CMDB as it is now under `name`; a name in use (in any letter case) is refused. */
  async save(rawName: string, note: string | null): Promise<Baseline> {
    this.requireFile();
    const name = baselineNameSchema.parse(rawName);
    try {
      // The owner's alone: a baseline is a copy of the whole CMDB, whatever the umask lets others read.
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // A folder an earlier version made (0755) is closed too: it holds every baseline saved before.
      chmodSync(this.dir, 0o700);
    } catch (err) {
      throw folderNotWritable(this.dir, err);
    }
    const exists = (clash: string) => {
      const next = { command: 'baseline delete', args: [clash] };
      return new CmdbError(
        'CONFLICT',
        `A baseline named "${clash}" already exists. Choose another name, or delete it first (${commandLine(next)}).`,
        { name: clash, next },
      );
    };
    const clash = this.names().find((n) => n.toLowerCase() === name.toLowerCase());
    if (clash !== undefined) throw exists(clash);
    const target = this.fileOf(name);
    // Its own temporary file: two saves at once (two requests, two processes) must not write one file.
    const tmp = `${target}.saving-${process.pid}-${++savesStarted}`;
    rmSync(tmp, { force: true });
    try {
      await this.db.backup(tmp, { progress: () => PAGES_PER_STEP });
      const info = stamp(tmp, name, note);
      placeNew(tmp, target, () => exists(name));
      // Read-only, and readable by no one the CMDB file itself is not readable by.
      chmodSync(target, statSync(this.dbPath).mode & 0o444);
      this.ownListing = this.listing();
      return { ...info, bytes: statSync(target).size };
    } catch (err) {
      rmSync(tmp, { force: true });
      rmSync(`${tmp}-journal`, { force: true });
      throw folderNotWritable(this.dir, err);
    }
  }

  /** The baseline names, from the folder (none when it does not exist). */
  names(): string[] {
    if (!isFile(this.dbPath) || !existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(EXT))
      .map((f) => f.slice(0, -EXT.length))
      .filter((n) => savedBaselineNameSchema.safeParse(n).success)
      .sort((a, b) => a.localeCompare(b));
  }

  /**
   * Every baseline, oldest first (the folder read once), and apart the names
   * of files that cannot be read as a baseline (damaged, or put there by
   * hand): never deleted here, and holding their name until deleted, so they
   * are named rather than hidden; and the baselines folders of other CMDB files
   * beside it, when it has none (otherFolders).
   */
  list(): { baselines: Baseline[]; unreadable: string[]; otherFolders: string[] } {
    const baselines: Baseline[] = [];
    const unreadable: string[] = [];
    for (const name of this.names()) {
      try {
        baselines.push(this.readInfo(name));
      } catch {
        unreadable.push(name);
      }
    }
    baselines.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    return { baselines, unreadable, otherFolders: this.otherFolders() };
  }

  /**
   * The name baseline `name` is saved under: names are unique in any letter
   * case (save refuses `V1` beside `v1`), so `V1` finds `v1`. NOT_FOUND,
   * listing the baselines, when there is none (and `now` too, when the
   * question takes it: `orNow`).
   */
  resolve(name: string, orNow = true): string {
    const names = this.names();
    if (names.includes(name)) return name;
    const lower = name.toLowerCase();
    const found = names.find((n) => n.toLowerCase() === lower);
    if (found === undefined) throw this.notFound(name, names, orNow);
    return found;
  }

  /** The baseline `name` (in any letter case), or NOT_FOUND listing the baselines there are. */
  info(name: string): Baseline {
    return this.readInfo(this.resolve(name));
  }

  /** The description kept in the baseline file of `name`, known to be in the folder. */
  private readInfo(name: string): Baseline {
    const file = this.fileOf(name);
    let db: Db;
    let row: InfoRow | undefined;
    try {
      db = connect(file, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw baselineError(name, file, err);
    }
    try {
      try {
        row = db.prepare('SELECT * FROM baseline_info').get() as InfoRow | undefined;
      } catch (err) {
        throw baselineError(name, file, err);
      }
      if (!row)
        throw new CmdbError('DB_CORRUPT', `${file} is not a baseline (it has no baseline_info). Delete it, or move it out of ${this.dir}.`);
      return {
        name,
        note: row.note,
        createdAt: row.created_at,
        schemaVersion: row.schema_version,
        cis: row.cis,
        relationships: row.relationships,
        bytes: statSync(file).size,
      };
    } finally {
      db.close();
    }
  }

  /** Deletes the baseline `name` (in any letter case), or NOT_FOUND listing the baselines there are. */
  delete(name: string): { deleted: boolean } {
    this.requireFile();
    const file = this.fileOf(this.resolve(name));
    // Made read-only when saved: Windows will not remove a read-only file.
    chmodSync(file, 0o600);
    rmSync(file);
    this.ownListing = this.listing();
    return { deleted: true };
  }

  /**
   * What the folder holds, as the poll for edits made elsewhere compares it: each baseline file's name, size
   * and time (a save under way, in its temporary file, is not there yet); empty when there is no folder.
   */
  listing(): string {
    if (!isFile(this.dbPath) || !existsSync(this.dir)) return '';
    const out: string[] = [];
    for (const f of readdirSync(this.dir)
      .filter((x) => x.endsWith(EXT))
      .sort()) {
      try {
        const st = statSync(join(this.dir, f));
        out.push(`${f}\u0000${st.size}\u0000${st.mtimeMs}`);
      } catch {
        // Removed since the folder was read: the next poll sees it gone.
      }
    }
    return out.join('\n');
  }

  /**
   * Opens the baseline `name` for reading. One written by an older schema is
   * copied to a temporary folder and upgraded there (the baseline file is
   * never written); one from a newer version of the app is refused. `info`:
   * the baseline's, when the caller has just read it.
   */
  open(name: string, known?: Baseline): OpenedBaseline {
    this.requireFile();
    const info = known ?? this.info(name);
    const file = this.fileOf(info.name);
    if (info.schemaVersion > SCHEMA_VERSION) {
      throw new CmdbError(
        'DB_NEWER',
        `Baseline "${info.name}" was saved by a newer version of CMDB Explorer (schema ${info.schemaVersion}; this version knows up to ${SCHEMA_VERSION}). Update the app to compare with it.`,
      );
    }
    if (info.schemaVersion === SCHEMA_VERSION) return { info, file, release() {} };
    const dir = mkdtempSync(join(tmpdir(), 'cmdb-baseline-'));
    const remove = (): void => rmSync(dir, { recursive: true, force: true });
    try {
      const copy = join(dir, basename(file));
      copyFileSync(file, copy);
      chmodSync(copy, 0o600);
      try {
        openDatabase(copy, { create: false, baselineCopy: true }).close();
      } catch (err) {
        throw baselineError(info.name, file, err);
      }
      process.once('exit', remove);
      return {
        info,
        file: copy,
        release() {
          process.off('exit', remove);
          remove();
        },
      };
    } catch (err) {
      remove();
      throw err;
    }
  }

  /**
   * The `*.baselines` folders beside the CMDB file, of other CMDB files, when it has no folder of its own
   * (layout.ts otherBaselineFolders); none when it has one.
   */
  otherFolders(): string[] {
    return !isFile(this.dbPath) || existsSync(this.dir) ? [] : otherBaselineFolders(this.dbPath);
  }

  /** A point that is not `now` and names no baseline: NOT_FOUND, listing the baselines. */
  notFound(name: string, names = this.names(), orNow = true): CmdbError {
    if (names.length === 0) {
      const others = this.otherFolders();
      return new CmdbError(
        'NOT_FOUND',
        `No baseline named "${name}": this CMDB has no baselines yet. ${others.length > 0 ? `${otherFoldersText(this.dir, others)} Or save` : 'Save'} one with: ${commandLine(SAVE_ONE)}`,
        { name, baselines: names, next: SAVE_ONE, ...(others.length > 0 ? { otherFolders: others } : {}) },
      );
    }
    return new CmdbError(
      'NOT_FOUND',
      `No baseline named "${name}". The baselines are: ${names.join(', ')}${orNow ? ` (or "${NOW}" for the CMDB as it is)` : ''}.`,
      { name, baselines: names },
    );
  }
}

/**
 * What to say of the `*.baselines` folders `others` beside a CMDB whose own folder `dir` does not exist:
 * whose baselines they hold, and how this CMDB gets them when it is one of those CMDBs renamed or copied.
 */
export function otherFoldersText(dir: string, others: readonly string[]): string {
  const one = others.length === 1;
  const whose = others.map((f) => `${f} holds the baselines of ${f.slice(0, -FOLDER_SUFFIX.length)}`).join('; ');
  return `Beside it, ${whose}: baselines belong to the CMDB file they are named after. If this file is ${one ? 'that CMDB' : 'one of those CMDBs'} under another name, rename ${one ? 'the' : 'its'} folder to ${basename(dir)}.`;
}

/**
 * Writes the baseline's own description into the new copy and leaves it in
 * rollback-journal mode (readable without -wal/-shm files). No journal and no
 * sync while it is written: the copy is not in place yet (a crash leaves a
 * `.saving-` file, never a half baseline); one fsync at the end makes it durable
 * before the rename.
 */
function stamp(file: string, name: string, note: string | null): Omit<Baseline, 'bytes'> {
  const db = connect(file, { readonly: false, fileMustExist: true });
  try {
    db.pragma('synchronous = OFF');
    db.pragma('journal_mode = OFF');
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const createdAt = nowIso();
    const info = db.transaction(() => {
      const cis = db.prepare('SELECT count(*) FROM cis').pluck().get() as number;
      const relationships = db.prepare('SELECT count(*) FROM relationships').pluck().get() as number;
      // A CMDB restored from a baseline (its file copied back as a CMDB) holds that baseline's info: this one replaces it.
      db.exec('DROP TABLE IF EXISTS baseline_info');
      db.exec(`CREATE TABLE baseline_info (
        name TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL, schema_version INTEGER NOT NULL,
        cis INTEGER NOT NULL, relationships INTEGER NOT NULL
      ) STRICT`);
      db.prepare('INSERT INTO baseline_info VALUES (?, ?, ?, ?, ?, ?)').run(name, note, createdAt, schemaVersion, cis, relationships);
      return { name, note, createdAt, schemaVersion, cis, relationships };
    })();
    db.pragma('journal_mode = DELETE');
    return info;
  } finally {
    db.close();
    const fd = openSync(file, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Errors that say the baselines folder cannot be written (permissions, a read-only disk): a reason and a way out, not the system's words. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);

/** `err` as the refusal to save into `dir` when it says the folder cannot be written; anything else as it is. */
export function folderNotWritable(dir: string, err: unknown): unknown {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (!NOT_WRITABLE.has(code)) return err;
  return new CmdbError(
    'DB_READONLY',
    `The baselines folder ${dir} cannot be written (${code}), so no baseline was saved. Make the folder beside the CMDB writable, or copy the CMDB somewhere writable and save the baseline there.`,
  );
}
