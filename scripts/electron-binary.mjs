// Where the Electron binary is, found the way the electron package's index.js
// finds it (path.txt + dist/) but without requiring that module: requiring it
// tries to download the binary when it is missing, which must never happen here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @returns {{ bin: string } | { reason: string }} */
export function findElectronBinary(env = process.env) {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!rel && !override) return { reason: `${pathFile} is missing: its download was skipped` };
  const bin = override ? join(override, rel || 'electron') : join(pkgDir, 'dist', rel);
  if (!existsSync(bin)) return { reason: `${bin} does not exist` };
  return { bin };
}
