/**
 * The files a command writes, checked before it opens anything: none may be the CMDB (or its WAL, shared-memory
 * or journal file), a file in its baselines folder, a file the command reads, or another file it writes. Each
 * would be truncated before the command read it, or written over by the other: a CMDB emptied by
 * `cmdb export --cis` naming it, an input emptied by `--errors` naming it. Nor may its folder be missing.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CmdbError } from '../../shared/errors.js';
import { baselinesDir } from '../cmdb/baselines/store.js';
import { defaultDbPath } from '../cmdb/paths.js';

/** An option and the file it names (undefined: not given; '-': standard output, never checked). */
export type NamedFile = [option: string, file: string | undefined];

/** The file's identity: its device and inode where it exists (a link or another spelling is the same file), else its full path. */
function identity(file: string): string {
  try {
    const s = statSync(file);
    return `${s.dev}:${s.ino}`;
  } catch {
    return fullPath(file);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The path with its folder's links resolved (the file itself may not exist yet). */
function fullPath(file: string): string {
  const abs = resolve(file);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/**
 * Refuses (INVALID_REQUEST) an output that is the CMDB `db` (default: the default CMDB), one of its side files or
 * baselines, an input, or another output.
 */
export function refuseOverwrites(db: string | undefined, outputs: NamedFile[], inputs: NamedFile[] = []): void {
  const dbPath = db ?? defaultDbPath();
  const written = outputs.filter((o): o is [string, string] => o[1] !== undefined && o[1] !== '-');
  if (written.length === 0) return;
  const cmdbFiles = ['', '-wal', '-shm', '-journal'].map((suffix) => identity(`${dbPath}${suffix}`));
  const baselines = fullPath(baselinesDir(dbPath)) + sep;
  const read = inputs.filter((i): i is [string, string] => i[1] !== undefined && i[1] !== '-');
  written.forEach(([option, file], n) => {
    const id = identity(file);
    const refuse = (what: string) => {
      throw new CmdbError('INVALID_REQUEST', `${option} ${file} is ${what}: writing it would destroy it. Name another file.`);
    };
    if (cmdbFiles.includes(id)) refuse(`the CMDB ${dbPath} (or one of its own files)`);
    if (fullPath(file).startsWith(baselines)) refuse(`in the CMDB's baselines folder (${baselinesDir(dbPath)})`);
    const input = read.find(([, f]) => identity(f) === id);
    if (input) refuse(`the file ${input[0]} reads`);
    const other = written.slice(0, n).find(([, f]) => identity(f) === id);
    if (other) refuse(`the file ${other[0]} writes too`);
    // Before the work, not after it: an import's report to a folder that is not there would fail once the import ran.
    const folder = dirname(resolve(file));
    if (!isFolder(folder)) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `${option} ${file}: the folder ${folder} does not exist. Create it, or name a file in a folder that does.`,
      );
    }
  });
}
