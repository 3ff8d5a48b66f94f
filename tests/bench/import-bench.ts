/**
 * The importer's benchmark entry: imports a CIs file and a relationships
 * file into a CMDB file exactly as `cmdb import` does (worker thread, one
 * transaction, indexes, search index, history and import log included) and
 * reports the wall time, the process's peak RSS and the counts.
 *
 *   node --import tsx tests/bench/import-bench.ts CIS.csv RELS.csv DB
 */
import { readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ImportCounts } from '../../shared/domain.js';
import { openDatabase } from '../../electron/cmdb/db.js';
import { startImportJob } from '../../electron/cmdb/import/jobs.js';

/** Peak resident set size of this process so far (VmHWM), in MB; falls back to the current RSS. */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

export async function runImportBench(a: {
  cisFile: string;
  relsFile: string;
  dbFile: string;
}): Promise<{ ms: number; peakRssMb: number; counts: ImportCounts; threaded: boolean; rowsPerSecond: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${a.dbFile}${suffix}`, { force: true });
  const t0 = performance.now();
  // Create and migrate the file, as `cmdb import --db NEW` does, and close that connection before the
  // import runs in its worker, as the CLI does.
  openDatabase(a.dbFile).close();
  const job = startImportJob(a.dbFile, null, {
    cis: { name: 'cis.csv', path: a.cisFile },
    relationships: { name: 'relationships.csv', path: a.relsFile },
    actor: 'bench',
    rowsLimit: 0,
  });
  const result = await job.done;
  const ms = Math.round(performance.now() - t0);
  const c = result.counts;
  const rows =
    c.created + c.updated + c.unchanged + c.rejected + c.relationshipsCreated + c.relationshipsUpdated + c.relationshipsUnchanged;
  return { ms, peakRssMb: peakRssMb(), counts: c, threaded: job.threaded, rowsPerSecond: Math.round((rows * 1000) / ms) };
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
