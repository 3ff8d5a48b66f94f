/**
 * "Open the default CMDB, or create it from the demo": what the Electron app
 * and `cmdb serve` do when no CMDB file is named. Shared so both behave alike.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CmdbError } from '../../shared/errors.js';
import { defaultDbPath, demoFiles } from './paths.js';
import { CmdbService } from './service.js';

export interface OpenedCmdb {
  service: CmdbService;
  path: string;
  /** True when the file did not exist and was created now. */
  created: boolean;
  /** True when the new file was filled from the demo inventory. */
  fromDemo: boolean;
}

export interface DefaultCmdbOptions {
  /** The CMDB file; defaults to defaultDbPath() ($CMDB_DB, or cmdb.db in the user data folder). */
  path?: string;
  /** Recorded in history as who made edits ('ui', 'web', 'cli'). */
  source?: string;
  /** The demo CSV files (defaults to assets/demo). */
  demo?: { cis: string; relationships: string };
  /** The connection's busy timeout (db.ts): the interactive doors pass INTERACTIVE_BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
}

/**
 * Opens the CMDB at `path` (default: the default CMDB). When the file does
 * not exist yet it is created and filled from the demo inventory. The demo
 * is imported into a temporary file that is renamed into place only when
 * complete, so an interrupted first start never leaves a half-filled CMDB.
 */
export async function openDefaultCmdb(options: DefaultCmdbOptions = {}): Promise<OpenedCmdb> {
  const path = options.path ?? defaultDbPath();
  const source = options.source ?? 'ui';
  const busyTimeoutMs = options.busyTimeoutMs;
  if (existsSync(path)) {
    return { service: CmdbService.open(path, { source, create: false, busyTimeoutMs }), path, created: false, fromDemo: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  const demo = options.demo ?? demoFiles();
  const haveDemo = existsSync(demo.cis) && existsSync(demo.relationships);
  if (haveDemo) await createFromDemo(path, demo);
  return { service: CmdbService.open(path, { source, busyTimeoutMs }), path, created: true, fromDemo: haveDemo };
}

/** Creates `path` as a new CMDB holding the demo inventory. Refuses to overwrite an existing file. */
export async function createFromDemo(path: string, demo: { cis: string; relationships: string } = demoFiles()): Promise<void> {
  if (existsSync(path)) throw new CmdbError('CONFLICT', `${path} already exists; choose a new file name for the demo CMDB.`);
  for (const f of [demo.cis, demo.relationships]) {
    if (!existsSync(f)) throw new CmdbError('FILE_NOT_FOUND', `The demo inventory ${f} is missing; reinstall the app or name a CMDB file.`);
  }
  const tmp = `${path}.creating-${process.pid}`;
  removeDbFiles(tmp);
  const svc = CmdbService.open(tmp, { source: 'demo' });
  try {
    const r = await svc.call('importCsv', {
      cis: { name: basename(demo.cis), content: readFileSync(demo.cis, 'utf8') },
      relationships: { name: basename(demo.relationships), content: readFileSync(demo.relationships, 'utf8') },
    });
    if (!r.ok) throw new CmdbError(r.error.code, `The demo inventory could not be imported: ${r.error.message}`, r.error.details);
  } catch (err) {
    svc.close();
    removeDbFiles(tmp);
    throw err;
  }
  svc.close(); // checkpoints the WAL into the file, so the rename moves everything
  renameSync(tmp, path);
  removeDbFiles(tmp);
}

function removeDbFiles(base: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${base}${suffix}`, { force: true });
}
