/**
 * Where a CMDB's baselines are on disk: `<cmdb file>.baselines/<name>.sqlite`,
 * beside the CMDB file they were saved of (the real file: a link to a CMDB
 * has the baselines of the file it links to). Paths and folders only: no
 * CMDB or baseline file is opened here (db.ts, checkFileLooksLikeSqlite, says
 * why opening a CMDB file is not harmless), so db.ts can ask whether a file
 * is a saved baseline before it opens it for writing.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** A baseline file's extension. */
export const BASELINE_EXT = '.sqlite';
/** What a CMDB file's name gains to name its baselines folder. */
export const FOLDER_SUFFIX = '.baselines';

/**
 * The file `path` names, through any link: as typed when no link is on the way (so messages keep the path a
 * person gave), else the real file. A file that does not exist (yet) as typed.
 */
export function realFile(path: string): string {
  try {
    const real = realpathSync(path);
    return real === resolve(path) ? path : real;
  } catch {
    return path;
  }
}

/**
 * The baselines folder of the CMDB file `dbPath`: beside the real file, so a link to a CMDB has its baselines.
 * Where the real file has none but the link has one (where baselines were saved through a link before they
 * followed it), the link's: they are not left unseen (found by a reviewer).
 */
export function baselinesDir(dbPath: string): string {
  const real = `${realFile(dbPath)}${FOLDER_SUFFIX}`;
  const typed = `${dbPath}${FOLDER_SUFFIX}`;
  return real !== typed && !existsSync(real) && existsSync(typed) ? typed : real;
}

/**
 * The other `*.baselines` folders beside the CMDB file `dbPath` (the real file), by name: when the CMDB has
 * no folder of its own, one there is most likely its baselines under another name (the file copied or
 * renamed without its folder being renamed too).
 */
export function otherBaselineFolders(dbPath: string): string[] {
  const own = baselinesDir(dbPath);
  try {
    return readdirSync(dirname(own), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.endsWith(FOLDER_SUFFIX) && e.name !== FOLDER_SUFFIX && e.name !== basename(own))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Where a saved baseline is: the CMDB it was saved of and its name. */
export interface BaselinePlace {
  cmdb: string;
  name: string;
}

/**
 * The CMDB and the name of the baseline `file` would be by where it is (a `.sqlite` file in a CMDB's
 * `.baselines` folder, reached through any link); null elsewhere. Whether it is one is for its content
 * to say (db.ts checks for its `baseline_info` table).
 */
export function baselinePlaceOf(file: string): BaselinePlace | null {
  const real = realFile(file);
  const dir = dirname(real);
  const base = basename(real);
  if (!base.endsWith(BASELINE_EXT) || !dir.endsWith(FOLDER_SUFFIX) || basename(dir) === FOLDER_SUFFIX) return null;
  return { cmdb: dir.slice(0, -FOLDER_SUFFIX.length), name: base.slice(0, -BASELINE_EXT.length) };
}
