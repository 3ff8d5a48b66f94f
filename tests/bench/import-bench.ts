/**
 * The importer's benchmark entry: imports a CIs file and a relationships
 * file into a new CMDB file with `cmdb import` itself (the built dist/cli.js,
 * in a process of its own: worker threads, one transaction, indexes, search
 * index, history and import log included) and reports the wall time, that
 * process's peak RSS and the counts. Without a build it runs the same import
 * job from the sources in this process.
 *
 *   node --import tsx tests/bench/import-bench.ts CIS.csv RELS.csv DB
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ImportCounts } from '../../shared/domain.js';
import { openDatabase } from '../../electron/cmdb/db.js';
import { startImportJob } from '../../electron/cmdb/import/jobs.js';

/** A process's peak resident set size so far (VmHWM, which only grows), in kB; null where /proc cannot tell (not Linux, exited). */
function vmHwmKb(pid: number | 'self'): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Peak resident set size of this process so far, in MB; falls back to the current RSS. */
function peakRssMb(): number {
  const kb = vmHwmKb('self');
  return Math.round(kb === null ? process.memoryUsage().rss / 2 ** 20 : kb / 1024);
}

/** The built CLI; CMDB_BENCH_CLI names another build's (an earlier commit's, to measure before and after in one run). */
const CLI = process.env.CMDB_BENCH_CLI ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

type BenchResult = { ms: number; peakRssMb: number; counts: ImportCounts; threaded: boolean; rowsPerSecond: number; via: string };

const rate = (c: ImportCounts, ms: number) =>
  Math.round(
    ((c.created + c.updated + c.unchanged + c.rejected + c.relationshipsCreated + c.relationshipsUpdated + c.relationshipsUnchanged) *
      1000) /
      ms,
  );

/** `cmdb import` in a child process; its peak RSS is read from /proc while it runs (VmHWM only grows). */
function viaCli(a: BenchInput): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        ...(process.env.CMDB_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        a.cli ?? CLI,
        'import',
        '--db',
        a.dbFile,
        '--cis',
        a.cisFile,
        '--relationships',
        a.relsFile,
        '--json',
        '--progress',
        'none',
        '--rows',
        '0',
        ...(a.mode ? ['--mode', a.mode] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      peakKb = Math.max(peakKb, (child.pid && vmHwmKb(child.pid)) || 0);
    }, 20);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Math.round(performance.now() - t0);
      if (code !== 0) return reject(new Error(`cmdb import failed (exit ${code}): ${err.trim() || out.trim()}`));
      const result = JSON.parse(out) as { counts: ImportCounts };
      resolve({
        ms,
        peakRssMb: Math.round(peakKb / 1024),
        counts: result.counts,
        threaded: true,
        rowsPerSecond: rate(result.counts, ms),
        via: 'dist/cli.js import',
      });
    });
  });
}

/** The files to import and the CMDB: a new one, unless mode is given (a re-import into the CMDB as it is). */
type BenchInput = { cisFile: string; relsFile: string; dbFile: string; mode?: 'upsert' | 'sync'; cli?: string };

export async function runImportBench(a: BenchInput): Promise<BenchResult> {
  if (!a.mode) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${a.dbFile}${suffix}`, { force: true });
  if ((a.cli || existsSync(CLI)) && process.platform === 'linux') return viaCli(a);
  const t0 = performance.now();
  // Create and migrate the file, as `cmdb import --db NEW` does, and close that connection before the
  // import runs in its worker, as the CLI does.
  openDatabase(a.dbFile).close();
  const job = startImportJob(a.dbFile, null, {
    cis: { name: 'cis.csv', path: a.cisFile },
    relationships: { name: 'relationships.csv', path: a.relsFile },
    ...(a.mode ? { mode: a.mode } : {}),
    actor: 'bench',
    rowsLimit: 0,
  });
  const result = await job.done;
  const ms = Math.round(performance.now() - t0);
  return {
    ms,
    peakRssMb: peakRssMb(),
    counts: result.counts,
    threaded: job.threaded,
    rowsPerSecond: rate(result.counts, ms),
    via: 'import job from sources',
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [cisFile, relsFile, dbFile] = process.argv.slice(2);
  if (!cisFile || !relsFile || !dbFile) {
    process.stderr.write('usage: node --import tsx tests/bench/import-bench.ts CIS.csv RELS.csv DB\n');
    process.exit(2);
  }
  const r = await runImportBench({ cisFile, relsFile, dbFile });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
