/**
 * better-sqlite3 is a native addon built for one ABI. `npm install` builds it
 * for Node (tests, CLI, web host); Electron needs a build for its own ABI. A
 * packaged app gets one from electron-builder. In a development checkout, a
 * separate Electron-ABI build can sit beside the Node one and is loaded via
 * better-sqlite3's `nativeBinding` option (db.ts reads CMDB_SQLITE_NATIVE_BINDING),
 * so one checkout runs both without rebuilding back and forth.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a development checkout keeps its Electron-ABI build (docs/desktop.md: "Desktop app and installers"). */
export function electronBindingPath(appRoot: string, electronModulesVersion: string): string {
  return join(appRoot, 'build', 'native', `electron-${electronModulesVersion}`, 'better_sqlite3.node');
}

/**
 * Decides which binding the engine loads: an explicit CMDB_SQLITE_NATIVE_BINDING
 * wins; a packaged app uses the one electron-builder rebuilt; a checkout uses
 * the side build when it exists. Returns the path chosen, or null for better-sqlite3's own.
 */
export function chooseNativeBinding(opts: {
  env: NodeJS.ProcessEnv;
  packaged: boolean;
  appRoot: string;
  modulesVersion: string;
}): string | null {
  const explicit = opts.env.CMDB_SQLITE_NATIVE_BINDING;
  if (explicit) return explicit;
  if (opts.packaged) return null;
  const side = electronBindingPath(opts.appRoot, opts.modulesVersion);
  return existsSync(side) ? side : null;
}
