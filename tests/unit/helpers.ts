/**
 * Shared helpers of the foundation and CLI tests: fresh services on real
 * SQLite (in memory or in a temp dir), envelope unwrapping, a full dump of a
 * database for before/after comparisons, and the demo inventory.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { Door, MethodName, Request, Response } from '../../shared/api.js';
import type { ErrorInfo } from '../../shared/errors.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import type { Db } from '../../electron/cmdb/db.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEMO_CIS = join(ROOT, 'assets', 'demo', 'cis.csv');
export const DEMO_RELS = join(ROOT, 'assets', 'demo', 'relationships.csv');

/** A new temporary directory, removed when the current test (or, outside a test, the process) ends. */
export function tempDir(prefix = 'cmdb-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    process.once('exit', remove);
  }
  return dir;
}

/** A service on a new CMDB (in memory unless a path is given), closed when the current test ends. */
export function freshService(path = ':memory:', source = 'test'): CmdbService {
  const svc = CmdbService.open(path, { source });
  try {
    onTestFinished(() => svc.close());
  } catch {
    // used outside a test (beforeAll): the caller closes it
  }
  return svc;
}

/** Calls a method through the envelope (as the CLI would, unless another door is named) and returns its value; fails with the error's code and message otherwise. */
export async function ok<M extends MethodName>(svc: CmdbService, method: M, req: Request<M>, door: Door = 'cli'): Promise<Response<M>> {
  const r = await svc.call(method, req, door);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Calls a method that must fail (as the CLI would, unless another door is named) and returns the error info. */
export async function fails<M extends MethodName>(svc: CmdbService, method: M, req: unknown, door: Door = 'cli'): Promise<ErrorInfo> {
  const r = await svc.call(method, req, door);
  if (r.ok) throw new Error(`${method} was expected to fail but returned ${JSON.stringify(r.value).slice(0, 300)}`);
  return r.error;
}

/**
 * Every row of every table (FTS shadow tables included), the schema and
 * user_version, as one string: two dumps are equal exactly when the
 * databases hold the same data.
 */
export function dumpDb(db: Db): string {
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string; sql: string }>;
  const schema = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  const out: Record<string, unknown> = { user_version: db.pragma('user_version', { simple: true }), schema };
  for (const t of tables) {
    if (/VIRTUAL TABLE/i.test(t.sql)) continue; // its shadow tables hold the data
    // Sorted in JS: some tables (FTS shadow tables) are WITHOUT ROWID.
    const rows = (db.prepare(`SELECT * FROM "${t.name}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r, jsonSafe));
    out[t.name] = rows.sort();
  }
  return JSON.stringify(out);
}

const jsonSafe = (_k: string, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? v.toString() : v);

/** Dumps a CMDB file without changing it (read-only connection). */
export function dumpFile(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return dumpDb(db);
  } finally {
    db.close();
  }
}

/** Every CI and relationship, by key, with every field and attribute: what a lossless round trip must keep. */
export function cmdbContent(svc: CmdbService) {
  const cis = svc.db
    .prepare('SELECT key, type, name, status, environment, owner, criticality, description, attributes FROM cis ORDER BY key')
    .all() as Array<Record<string, string | null>>;
  const rels = svc.db
    .prepare(
      `SELECT s.key AS source, t.key AS target, r.type, r.redundancy_group, r.min_up, r.attributes
       FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY s.key, t.key, r.type`,
    )
    .all() as Array<Record<string, string | number | null>>;
  const parse = (r: Record<string, unknown>) => ({ ...r, attributes: JSON.parse(r.attributes as string) as unknown });
  return { cis: cis.map(parse), relationships: rels.map(parse) };
}

export function demoCsv(): { cis: { name: string; content: string }; relationships: { name: string; content: string } } {
  return {
    cis: { name: 'cis.csv', content: readFileSync(DEMO_CIS, 'utf8') },
    relationships: { name: 'relationships.csv', content: readFileSync(DEMO_RELS, 'utf8') },
  };
}

/** Data rows of a CSV (lines after the header, ignoring quoted line breaks, which the demo has none of). */
export function csvDataRows(path: string): number {
  return (
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '').length - 1
  );
}

// ---------------------------------------------------------------------------
// The CLI.

const CLI = join(ROOT, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than the sources it bundles. */
export function ensureCliBuilt(): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const sources = Math.max(newestSource(join(ROOT, 'electron')), newestSource(join(ROOT, 'shared')));
  if (built >= sources) return;
  const r = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build:node failed:\n${r.stderr}`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/cmdb.js ...args` and returns its exit code and output. */
export function cmdb(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'cmdb.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
