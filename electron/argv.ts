/** What a command line (first launch, a second launch, or macOS open-file) asks the app to open. */
import { extname, isAbsolute, resolve } from 'node:path';
import { CMDB_EXTENSIONS, CSV_EXTENSIONS } from '../shared/file-name.js';

export type LaunchFile = { kind: 'cmdb'; path: string } | { kind: 'csv'; path: string };

const CMDB_FILES = new Set(CMDB_EXTENSIONS.map((e) => `.${e}`));
const CSV_FILES = new Set(CSV_EXTENSIONS.map((e) => `.${e}`));

/** Classifies one path by its extension; null when it is neither a CMDB nor a CSV file. */
export function classifyFile(path: string, cwd: string): LaunchFile | null {
  if (path.length === 0 || path.startsWith('-')) return null;
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  const ext = extname(full).toLowerCase();
  if (CMDB_FILES.has(ext)) return { kind: 'cmdb', path: full };
  if (CSV_FILES.has(ext)) return { kind: 'csv', path: full };
  return null;
}

/**
 * The files named on a command line. `argv` is process.argv (or the argv a
 * second instance passed on): the executable, in development the app folder,
 * Chromium switches and our flags are skipped.
 */
export function filesFromArgv(argv: readonly string[], cwd: string): LaunchFile[] {
  const out: LaunchFile[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const f = classifyFile(arg, cwd);
    if (f) out.push(f);
  }
  return out;
}
