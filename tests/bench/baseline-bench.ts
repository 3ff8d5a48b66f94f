/**
 * Baselines' benchmark (issue 17), beside baselines measured in the same run
 * on the same file, medians of `runs` (alternating product and baseline):
 * - saving a baseline (CmdbService saveBaseline: SQLite's online backup, then
 *   the baseline's own table and journal mode) against `sqlite3 DB ".backup OUT"`
 *   of the same file (better-sqlite3's bare `backup()` when the CLI is missing);
 * - the diff of two baselines with 1% of CIs changed (CmdbService diff)
 *   against a bare `SELECT … EXCEPT SELECT …` of the same two tables (cis and
 *   relationships, every compared column) on a bare connection with both
 *   baselines attached.
 * It works on its own copy of the CMDB (the 1% change is written there).
 *   node --import tsx tests/bench/baseline-bench.ts DB [RUNS]
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CmdbService } from '../../electron/cmdb/service.js';
import { baselinesDir } from '../../electron/cmdb/baselines/store.js';
import { median, time, timeAsync } from './timing.js';

const log = (msg: string) => process.stderr.write(`  [baseline] ${msg}\n`);

const round = (x: number) => Math.round(x * 10) / 10;

const hasSqliteCli = () => spawnSync('sqlite3', ['--version']).status === 0;

/** The plain backup of `src` to `out`: the sqlite3 CLI's `.backup`, or better-sqlite3's bare `backup()` without it. */
async function plainBackup(src: string, out: string, cli: boolean): Promise<number> {
  rmSync(out, { force: true });
  if (cli) {
    const [r, ms] = time(() => spawnSync('sqlite3', [src, `.backup '${out.replace(/'/g, "''")}'`], { encoding: 'utf8' }));
    if (r.status !== 0) throw new Error(`sqlite3 .backup failed: ${r.stderr}`);
    return ms;
  }
  const db = new Database(src, { readonly: true });
  try {
    return (await timeAsync(() => db.backup(out, { progress: () => 1 << 30 })))[1];
  } finally {
    db.close();
  }
}

const CI_COLS = 'key, type, name, status, environment, owner, criticality, description, attributes';
const REL_COLS = 'source_id, target_id, type, redundancy_group, min_up, attributes';

/** The bare EXCEPT of the same tables: rows of the later baseline the earlier one lacks, CIs and relationships. */
function bareExcept(a: string, b: string): { ms: number; rows: number } {
  const db = new Database(':memory:');
  try {
    db.prepare('ATTACH DATABASE ? AS a').run(a);
    db.prepare('ATTACH DATABASE ? AS b').run(b);
    const [rows, ms] = time(
      () =>
        (db.prepare(`SELECT count(*) FROM (SELECT ${CI_COLS} FROM b.cis EXCEPT SELECT ${CI_COLS} FROM a.cis)`).pluck().get() as number) +
        (db
          .prepare(`SELECT count(*) FROM (SELECT ${REL_COLS} FROM b.relationships EXCEPT SELECT ${REL_COLS} FROM a.relationships)`)
          .pluck()
          .get() as number),
    );
    return { ms, rows };
  } finally {
    db.close();
  }
}

export interface BaselineBenchRow {
  figure: string;
  product: number;
  baseline: number;
  baselineName: string;
  note: string;
}

/** Runs the baseline figures on a copy of `dbFile` in `workDir`; returns rows for the bench table, and the raw runs. */
export async function runBaselineBench(a: { dbFile: string; workDir?: string; runs?: number }): Promise<Record<string, unknown>> {
  const runs = a.runs ?? 3;
  const work = a.workDir ?? join(dirname(a.dbFile), 'baseline-bench');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const copy = join(work, 'cmdb.db');
  const cli = hasSqliteCli();
  await plainBackup(a.dbFile, copy, cli);
  const bytes = statSync(copy).size;
  const svc = CmdbService.open(copy, { source: 'bench' });
  try {
    const save: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < runs; i++) {
      plain.push(await plainBackup(copy, join(work, 'plain.sqlite'), cli));
      rmSync(join(work, 'plain.sqlite'), { force: true });
      const [r, ms] = await timeAsync(() => svc.call('saveBaseline', { name: `run-${i}`, note: null }));
      if (!r.ok) throw new Error(`saveBaseline failed: ${r.error.message}`);
      save.push(ms);
      log(`save ${Math.round(ms)} ms; plain backup ${Math.round(plain[i]!)} ms`);
      if (i > 0) await svc.call('deleteBaseline', { name: `run-${i}` });
    }
    // The later baseline: 1% of the CIs get another owner.
    const cis = svc.db.prepare('SELECT count(*) FROM cis').pluck().get() as number;
    const changed = svc.db.prepare("UPDATE cis SET owner = coalesce(owner, '') || '-moved' WHERE id % 100 = 0").run().changes;
    const r2 = await svc.call('saveBaseline', { name: 'changed', note: null });
    if (!r2.ok) throw new Error(`saveBaseline failed: ${r2.error.message}`);
    const dir = baselinesDir(copy);
    const diff: number[] = [];
    const except: number[] = [];
    let found = -1;
    let exceptRows = -1;
    for (let i = 0; i < runs; i++) {
      const e = bareExcept(join(dir, 'run-0.sqlite'), join(dir, 'changed.sqlite'));
      except.push(e.ms);
      exceptRows = e.rows;
      const [d, ms] = time(() => svc.baselines.diff({ from: 'run-0', to: 'changed', limit: 10_000 }));
      diff.push(ms);
      found = d.counts.cisChanged;
      log(`diff ${Math.round(ms)} ms (${found} changed); bare EXCEPT ${Math.round(e.ms)} ms (${e.rows} rows)`);
    }
    const baselineName = cli ? 'sqlite3 DB ".backup OUT"' : 'better-sqlite3 backup() on a bare connection (no sqlite3 CLI)';
    const rows: BaselineBenchRow[] = [
      {
        figure: 'baseline save (backup + its table)',
        product: round(median(save)),
        baseline: round(median(plain)),
        baselineName,
        note: `${cis} CIs, ${Math.round(bytes / 2 ** 20)} MB file; median of ${runs} each, alternating: ${save.map(Math.round).join(', ')} vs ${plain.map(Math.round).join(', ')} ms; target within 1.5x`,
      },
      {
        figure: 'diff of two baselines, 1% of CIs changed',
        product: round(median(diff)),
        baseline: round(median(except)),
        baselineName: 'bare SELECT … EXCEPT SELECT … (cis + relationships)',
        note: `${found} CIs changed found (EXCEPT: ${exceptRows} rows); median of ${runs}: ${diff.map(Math.round).join(', ')} vs ${except.map(Math.round).join(', ')} ms; target within 2x`,
      },
    ];
    return {
      rows,
      saveRatio: median(save) / median(plain),
      diffRatio: median(diff) / median(except),
      ...(found === changed ? {} : { wrongAnswer: `the diff found ${found} changed CIs; ${changed} were changed` }),
    };
  } finally {
    svc.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [db, runs] = process.argv.slice(2);
  if (!db) {
    process.stderr.write('usage: node --import tsx tests/bench/baseline-bench.ts DB [RUNS]\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await runBaselineBench({ dbFile: db, runs: runs ? Number(runs) : 3 }), null, 2)}\n`);
}
