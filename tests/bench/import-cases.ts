/**
 * Issue 19's import cases on the medium, real-shaped estate (medium-estate.ts),
 * each against `sqlite3 DB .import` of the same two files into plain tables,
 * measured in the same run, alternating, medians of `runs`:
 *
 *   fresh          `cmdb import` into a new CMDB
 *   sync unchanged the same export again, --mode sync, nothing changed
 *   sync 1%        the same export with 1% of its CIs changed, --mode sync
 *
 * Each re-import runs on a copy of the fresh import's CMDB (the copy is not timed).
 *
 *   node --import tsx tests/bench/import-cases.ts DIR [CIS] [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runImportBench } from './import-bench.js';
import { writeMediumEstate } from './medium-estate.js';

type Case = 'fresh' | 'syncUnchanged' | 'syncChanged';
export interface CaseFigure {
  ms: number;
  allMs: number[];
  ratio: number;
  counts: Record<string, number>;
}
export interface ImportCases {
  cis: number;
  relationships: number;
  changed: number;
  bytes: number;
  baseline: { ms: number; allMs: number[]; via: string };
  cases: Record<Case, CaseFigure>;
}

/** `sqlite3 DB` doing `.import --csv` of both files into new plain tables (created from the headers); ms. */
export function sqliteBaseline(cisFile: string, relsFile: string, dbFile: string): number {
  rmSync(dbFile, { force: true });
  const script = `.import --csv '${cisFile}' cis\n.import --csv '${relsFile}' relationships\n`;
  const t0 = performance.now();
  const r = spawnSync('sqlite3', [dbFile], { input: script, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0) throw new Error(`sqlite3 .import failed: ${r.error?.message ?? r.stderr.trim()}`);
  rmSync(dbFile, { force: true });
  return Math.round(ms);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

function removeDb(dbFile: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
}

/** Copies a closed CMDB (its WAL, if any, too). */
function copyDb(from: string, to: string): void {
  removeDb(to);
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

/** Generates the estate in DIR and measures the three cases `runs` times each against the baseline. */
export async function runImportCases(
  dir: string,
  cis = 98_125,
  runs = 3,
  log = (s: string) => process.stderr.write(`${s}\n`),
): Promise<ImportCases> {
  const estate = await writeMediumEstate(dir, cis);
  const { cisFile, relsFile, changedCisFile } = estate;
  const base = join(dir, 'base.db');
  const work = join(dir, 'work.db');
  const rawDb = join(dir, 'raw.db');
  const raw: number[] = [];
  const ms: Record<Case, number[]> = { fresh: [], syncUnchanged: [], syncChanged: [] };
  const counts = {} as Record<Case, Record<string, number>>;
  for (let i = 0; i < runs; i++) {
    raw.push(sqliteBaseline(cisFile, relsFile, rawDb));
    const fresh = await runImportBench({ cisFile, relsFile, dbFile: base });
    ms.fresh.push(fresh.ms);
    counts.fresh = { ...fresh.counts };
    for (const [c, file] of [
      ['syncUnchanged', cisFile],
      ['syncChanged', changedCisFile],
    ] as const) {
      copyDb(base, work);
      const r = await runImportBench({ cisFile: file, relsFile, dbFile: work, mode: 'sync' });
      ms[c].push(r.ms);
      counts[c] = { ...r.counts };
    }
    log(
      `run ${i + 1}: sqlite3 ${raw[i]} ms, fresh ${ms.fresh[i]} ms, sync unchanged ${ms.syncUnchanged[i]} ms, sync 1% ${ms.syncChanged[i]} ms`,
    );
  }
  removeDb(work);
  removeDb(base);
  const rawMs = median(raw);
  const figure = (c: Case): CaseFigure => ({
    ms: median(ms[c]),
    allMs: ms[c],
    ratio: Math.round((median(ms[c]) / rawMs) * 100) / 100,
    counts: counts[c],
  });
  const bytes = spawnSync('stat', ['-c', '%s', cisFile, relsFile], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .reduce((a, b) => a + Number(b), 0);
  return {
    cis: estate.cis,
    relationships: estate.relationships,
    changed: estate.changed,
    bytes,
    baseline: { ms: rawMs, allMs: raw, via: 'sqlite3 DB .import --csv (plain tables from the headers)' },
    cases: { fresh: figure('fresh'), syncUnchanged: figure('syncUnchanged'), syncChanged: figure('syncChanged') },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, n, runs] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node --import tsx tests/bench/import-cases.ts DIR [CIS] [RUNS]\n');
    process.exit(2);
  }
  const r = await runImportCases(dir, n ? Number(n) : undefined, runs ? Number(runs) : undefined);
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
