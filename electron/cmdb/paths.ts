/** Where CMDB files live by default, and where the demo inventory ships. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The per-user data folder, as Electron's userData would place it. */
export function userDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'CMDB Explorer');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'CMDB Explorer');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'CMDB Explorer');
  }
}

/** The CMDB used when none is named: $CMDB_DB, or cmdb.db in the user data folder. */
export function defaultDbPath(): string {
  return process.env.CMDB_DB ? resolve(process.env.CMDB_DB) : join(userDataDir(), 'cmdb.db');
}

/** The project (or packaged app) root: the nearest folder above this module with assets/. */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'assets', 'demo'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function demoFiles(): { cis: string; relationships: string } {
  const dir = join(appRoot(), 'assets', 'demo');
  return { cis: join(dir, 'cis.csv'), relationships: join(dir, 'relationships.csv') };
}
