/** What every `cmdb` command shares: opening the CMDB, output, and one-line errors. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { CmdbError, toErrorInfo } from '../../shared/errors.js';
import { CmdbService } from '../cmdb/service.js';
import { defaultDbPath } from '../cmdb/paths.js';

export interface GlobalOpts {
  db?: string;
  json?: boolean;
}

/** Adds the options every command takes. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option('--db <file>', `the CMDB file (default: $CMDB_DB or ${defaultDbPath()})`)
    .option('--json', 'machine-readable JSON on stdout');
}

/** Opens the CMDB named by --db. `create` lets a command make a new file. */
export function openService(opts: GlobalOpts, create = false): CmdbService {
  const path = opts.db ?? defaultDbPath();
  if (!create && !existsSync(path)) {
    throw new CmdbError(
      'DB_NOT_FOUND',
      `${path}: no such CMDB file. Import into it first (cmdb import --db ${path} --cis FILE), or check the path.`,
    );
  }
  if (create) mkdirSync(dirname(path), { recursive: true });
  return CmdbService.open(path, { source: 'cli' });
}

export function readCsvFile(path: string): { name: string; content: string } {
  if (!existsSync(path)) throw new CmdbError('FILE_NOT_FOUND', `${path}: no such file. Check the path.`);
  return { name: basename(path), content: readFileSync(path, 'utf8') };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs a command body: errors become one line on stderr and a non-zero exit. */
export function action<A extends unknown[]>(fn: (...args: A) => unknown | Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      fail(err);
    }
  };
}

export function fail(err: unknown): never {
  const info = toErrorInfo(err);
  process.stderr.write(`cmdb: ${info.message.replace(/\s+/g, ' ')}\n`);
  process.exit(info.code === 'INVALID_REQUEST' ? 2 : 1);
}

/** Unwraps a service envelope or throws its error. */
export async function unwrap<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new CmdbError(r.error.code as never, r.error.message, r.error.details);
  return r.value;
}

/** Pads columns for a plain-text table. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** Opens the CMDB named by --db, runs `body` with it, and closes it whatever happens. */
export async function withService<T>(opts: GlobalOpts, body: (svc: CmdbService) => T | Promise<T>, create = false): Promise<T> {
  const svc = openService(opts, create);
  try {
    return await body(svc);
  } finally {
    svc.close();
  }
}
