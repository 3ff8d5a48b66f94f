/**
 * Health's benchmark (issue 18): the whole health report of the CMDB
 * (`CmdbService` `health`, in a new service each run, so the graph index is
 * built and every rule runs) against the plain SQL doing the same rules'
 * queries (GROUP BY and anti-joins, counts only) on a bare connection, in the
 * same process, alternating, medians of `runs`. Hard cycles have no plain-SQL
 * equivalent (a recursive search for cycles is no baseline), so the product
 * does one rule more than its baseline. Also: the report recomputed with the
 * index already held (the app after an edit: the impact engine's index is
 * shared), and each rule's own time.
 *   node --import tsx tests/bench/health-bench.ts DB [RUNS]
 */
import Database from 'better-sqlite3';
import { pathToFileURL } from 'node:url';
import { CmdbService } from '../../electron/cmdb/service.js';
import { DEFAULT_IDENTIFYING_ATTRIBUTES, DEFAULT_PRODUCTION_ENVIRONMENTS, DEFAULT_STALE_DAYS } from '../../shared/health.js';
import { median, time, timeAsync } from './timing.js';

const log = (msg: string) => process.stderr.write(`  [health] ${msg}\n`);
const round = (x: number) => Math.round(x * 10) / 10;
/** Retired CIs are not asked for owners, criticality, relationships or fresh data (docs/health.md). */
const LIVE = "(c.status IS NULL OR c.status != 'retired')";
const list = (xs: string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');

/** The rules' queries in plain SQL, each counting what the rule finds (default rules). */
export function plainHealthSql(): Array<{ rule: string; sql: string }> {
  const cutoff = new Date(Date.now() - DEFAULT_STALE_DAYS * 86_400_000).toISOString();
  return [
    { rule: 'duplicate (names)', sql: 'SELECT count(*) FROM (SELECT 1 FROM cis GROUP BY type, lower(name) HAVING count(*) > 1)' },
    ...DEFAULT_IDENTIFYING_ATTRIBUTES.map((a) => ({
      rule: `duplicate (${a})`,
      sql: `SELECT count(*) FROM (SELECT type, lower(trim(json_extract(attributes, '$.${a}'))) AS v FROM cis
            WHERE attributes != '{}' AND v IS NOT NULL AND v != '' GROUP BY type, v HAVING count(*) > 1)`,
    })),
    {
      rule: 'orphan',
      sql: `SELECT count(*) FROM cis c WHERE ${LIVE} AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.source_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.target_id = c.id)`,
    },
    { rule: 'missing-owner', sql: `SELECT count(*) FROM cis c WHERE ${LIVE} AND (owner IS NULL OR trim(owner) = '')` },
    {
      rule: 'missing-criticality',
      sql: `SELECT count(*) FROM cis c WHERE ${LIVE} AND lower(trim(environment)) IN (${list(DEFAULT_PRODUCTION_ENVIRONMENTS)})
            AND (criticality IS NULL OR trim(criticality) = '')`,
    },
    {
      rule: 'stale',
      sql: `SELECT count(*) FROM cis c LEFT JOIN imports i ON i.id = c.import_id AND i.undone_at IS NULL
            WHERE ${LIVE} AND max(c.updated_at, coalesce(i.finished_at, '')) < '${cutoff}'`,
    },
    {
      rule: 'retired-dependency',
      // One query per dependent end, each from the retired CIs through an index on the relationship's other end.
      sql: `SELECT count(*) FROM (
              SELECT r.source_id AS d FROM relationships r JOIN rel_types t ON t.name = r.type
              WHERE t.dependent = 'source' AND t.strength != 'none' AND r.target_id IN (SELECT id FROM cis WHERE status = 'retired')
              UNION ALL
              SELECT r.target_id FROM relationships r JOIN rel_types t ON t.name = r.type
              WHERE t.dependent = 'target' AND t.strength != 'none' AND r.source_id IN (SELECT id FROM cis WHERE status = 'retired')
            ) p JOIN cis c ON c.id = p.d WHERE c.status IS NULL OR c.status != 'retired'`,
    },
    {
      rule: 'unsatisfiable-group',
      sql: `SELECT count(*) FROM (SELECT 1 FROM relationships r JOIN rel_types t ON t.name = r.type AND t.strength = 'hard'
            WHERE r.redundancy_group IS NOT NULL
            GROUP BY CASE t.dependent WHEN 'source' THEN r.source_id ELSE r.target_id END, r.redundancy_group
            HAVING max(coalesce(r.min_up, 1)) > count(*))`,
    },
    {
      rule: 'unreviewed-type',
      sql: 'SELECT count(*) FROM (SELECT type FROM cis WHERE type IN (SELECT name FROM ci_types WHERE flagged = 1) GROUP BY type)',
    },
  ];
}

/** Every plain query once on a new bare connection: total ms, each one's, and what each counted. */
function plainRun(dbFile: string): { ms: number; each: Record<string, number>; counts: Record<string, number> } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const each: Record<string, number> = {};
    const counts: Record<string, number> = {};
    const t0 = performance.now();
    for (const q of plainHealthSql()) {
      const [n, ms] = time(() => db.prepare(q.sql).pluck().get() as number);
      each[q.rule] = Math.round(ms);
      counts[q.rule] = n;
    }
    return { ms: performance.now() - t0, each, counts };
  } finally {
    db.close();
  }
}

/** Runs the health figures on `dbFile`; returns rows for the bench table. */
export async function runHealthBench(a: { dbFile: string; runs?: number }): Promise<Record<string, unknown>> {
  const runs = a.runs ?? 3;
  const cold: number[] = [];
  const warm: number[] = [];
  const plain: number[] = [];
  let ruleMs: Record<string, number> = {};
  let plainEach: Record<string, number> = {};
  let summary = '';
  let cis = 0;
  const wrong: string[] = [];
  for (let i = 0; i < runs; i++) {
    const p = plainRun(a.dbFile);
    plain.push(p.ms);
    plainEach = p.each;
    const svc = CmdbService.open(a.dbFile, { source: 'bench', readonly: true });
    try {
      const [r, ms] = await timeAsync(() => svc.call('health', { limit: 200 }));
      if (!r.ok) throw new Error(`health failed: ${r.error.message}`);
      cold.push(ms);
      ruleMs = svc.health.lastTimings() as Record<string, number>;
      cis = r.value.cis;
      summary = `score ${r.value.score}; ${r.value.rules.map((x) => `${x.rule} ${x.findings}`).join(', ')}`;
      // The bench's own check: the rules that name one CI per finding, and the groups, count what plain SQL counts.
      if (i === 0)
        for (const rule of ['orphan', 'missing-owner', 'missing-criticality', 'stale', 'unsatisfiable-group'] as const) {
          const found = r.value.rules.find((x) => x.rule === rule)?.findings;
          if (found !== p.counts[rule]) wrong.push(`${rule}: health found ${found}, plain SQL ${p.counts[rule]}`);
        }
      // The same report again with other rules (a new signature): every rule runs, the index is already held.
      const [w, wms] = await timeAsync(() => svc.call('health', { limit: 200, rules: { rules: {} } }));
      if (!w.ok) throw new Error(`health failed: ${w.error.message}`);
      warm.push(wms);
    } finally {
      svc.close();
    }
    log(`health ${Math.round(cold[i]!)} ms (index held: ${Math.round(warm[i]!)} ms); plain SQL ${Math.round(p.ms)} ms`);
  }
  const runsText = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  const rows = [
    {
      figure: 'health report (index built)',
      product: round(median(cold)),
      baseline: round(median(plain)),
      baselineName: 'plain SQL: the rules as GROUP BY, anti-joins and counts',
      note: `${cis} CIs; ${summary}; median of ${runs}, alternating: ${runsText(cold)} vs ${runsText(plain)} s; rules (ms): ${JSON.stringify(ruleMs)}; plain (ms): ${JSON.stringify(plainEach)}; target within 3x`,
    },
    {
      figure: 'health report (graph index already held)',
      product: round(median(warm)),
      baseline: round(median(plain)),
      baselineName: 'plain SQL: the rules as GROUP BY, anti-joins and counts',
      note: `the app after an edit (the impact engine's index is shared); median of ${runs}: ${runsText(warm)} s`,
    },
  ];
  return {
    rows,
    ratio: median(cold) / median(plain),
    warmRatio: median(warm) / median(plain),
    ...(wrong.length > 0 ? { wrongAnswer: `health and plain SQL disagree: ${wrong.join('; ')}` } : {}),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [db, runs] = process.argv.slice(2);
  if (!db) {
    process.stderr.write('usage: node --import tsx tests/bench/health-bench.ts DB [RUNS]\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await runHealthBench({ dbFile: db, runs: runs ? Number(runs) : 3 }), null, 2)}\n`);
}
