/**
 * Issue 19's import cases on the medium, real-shaped estate (medium-estate.ts),
 * each against `sqlite3 DB .import` of the same two files into plain tables,
 * measured in the same run, alternating, medians of `runs`:
 *
 *   fresh          `cmdb import` into a new CMDB
 *   sync unchanged the same export again, --mode sync, nothing changed
 *   sync 1%        the same export with 1% of its CIs changed, --mode sync
 *   sync churn     a week's churn: 1% of the CIs gone (with their relationships), as many new, --mode sync
 *
 * Each re-import runs on a copy of the fresh import's CMDB (the copy is not timed).
 * With CMDB_BENCH_CLI_BEFORE=path/to/other/dist/cli.js each case also runs with
 * that build, alternating, for a before-and-after in one run ("before" figures).
 *
 *   node --import tsx tests/bench/import-cases.ts DIR [CIS] [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runImportBench } from './import-bench.js';
import { writeMediumEstate } from './medium-estate.js';
import { median } from './timing.js';

type Case = 'fresh' | 'syncUnchanged' | 'syncChanged' | 'syncChurn';
const CASES: readonly Case[] = ['fresh', 'syncUnchanged', 'syncChanged', 'syncChurn'];
const noMs = (): Record<Case, number[]> => ({ fresh: [], syncUnchanged: [], syncChanged: [], syncChurn: [] });
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
  /** CIs gone from the churned export, and new in it (each). */
  churned: number;
  bytes: number;
  baseline: { ms: number; allMs: number[]; via: string };
  cases: Record<Case, CaseFigure>;
  /** The same cases with CMDB_BENCH_CLI_BEFORE's build, when given. */
  before?: Record<Case, CaseFigure>;
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
  const { cisFile, relsFile, changedCisFile, churnCisFile, churnRelsFile } = estate;
  const base = join(dir, 'base.db');
  const work = join(dir, 'work.db');
  const rawDb = join(dir, 'raw.db');
  const raw: number[] = [];
  const builds: Array<{ cli: string | undefined; ms: Record<Case, number[]>; counts: Record<Case, Record<string, number>> }> = [
    { cli: undefined, ms: noMs(), counts: {} as Record<Case, Record<string, number>> },
  ];
  const before = process.env.CMDB_BENCH_CLI_BEFORE;
  if (before) builds.push({ cli: before, ms: noMs(), counts: {} as Record<Case, Record<string, number>> });
  for (let i = 0; i < runs; i++) {
    raw.push(sqliteBaseline(cisFile, relsFile, rawDb));
    for (const b of builds) {
      const fresh = await runImportBench({ cisFile, relsFile, dbFile: base, cli: b.cli });
      b.ms.fresh.push(fresh.ms);
      b.counts.fresh = { ...fresh.counts };
      for (const [c, file, rels] of [
        ['syncUnchanged', cisFile, relsFile],
        ['syncChanged', changedCisFile, relsFile],
        ['syncChurn', churnCisFile, churnRelsFile],
      ] as const) {
        copyDb(base, work);
        const r = await runImportBench({ cisFile: file, relsFile: rels, dbFile: work, mode: 'sync', cli: b.cli });
        b.ms[c].push(r.ms);
        b.counts[c] = { ...r.counts };
      }
      log(
        `run ${i + 1}${b.cli ? ` (${b.cli})` : ''}: sqlite3 ${raw[i]} ms, fresh ${b.ms.fresh[i]} ms, sync unchanged ${b.ms.syncUnchanged[i]} ms, sync 1% ${b.ms.syncChanged[i]} ms, sync churn ${b.ms.syncChurn[i]} ms`,
      );
    }
  }
  removeDb(work);
  removeDb(base);
  const rawMs = median(raw);
  const figures = (b: (typeof builds)[number]): Record<Case, CaseFigure> => {
    const figure = (c: Case): CaseFigure => ({
      ms: median(b.ms[c]),
      allMs: b.ms[c],
      ratio: Math.round((median(b.ms[c]) / rawMs) * 100) / 100,
      counts: b.counts[c],
    });
    return Object.fromEntries(CASES.map((c) => [c, figure(c)])) as Record<Case, CaseFigure>;
  };
  const bytes = spawnSync('stat', ['-c', '%s', cisFile, relsFile], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .reduce((a, b) => a + Number(b), 0);
  return {
    cis: estate.cis,
    relationships: estate.relationships,
    changed: estate.changed,
    churned: estate.churned,
    bytes,
    baseline: { ms: rawMs, allMs: raw, via: 'sqlite3 DB .import --csv (plain tables from the headers)' },
    cases: figures(builds[0]!),
    ...(builds[1] ? { before: figures(builds[1]) } : {}),
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
