/**
 * What the health of a change costs an impact answer: the impact of the
 * shared CI of the impact bench's CMDB (the widest blast radius) answered
 * with its data-quality findings (ImpactService.impact) and without them
 * (the same analysis, analysis.ts analyse), taken in turns in the same
 * process, medians of 3; and the health alone (HealthService.rulesForCis
 * with the report not computed: the engine's rules run for the answer's
 * CIs once per state of the CMDB, then answered from memory), the first
 * time on this data too, when the duplicate rule reads the names of the
 * types asked about (rules/duplicate.ts).
 *
 *   npx tsx tests/bench/impact-health-bench.ts --db /tmp/ih/bench.db [--runs 3]
 *
 * The database is the impact bench's (tests/bench/impact-bench.ts,
 * `cmdb-impact-bench-<cis>-<seed>.db` in the OS temp folder): pass a copy,
 * the service opens it for writing.
 */
import { parseArgs } from 'node:util';
import { healthConfig } from '../../shared/health.js';
import { byRows, impactHealth } from '../../electron/cmdb/health/on-impact.js';
import { analyse } from '../../electron/cmdb/impact/analysis.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { median } from './timing.js';

/** Wall and CPU time of fn (ms): CPU time is less sensitive to other processes on a shared machine. */
function time<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [out, wall, (c.user + c.system) / 1000];
}

const HUB_KEY = 'infra-000000';

const { values } = parseArgs({
  options: { db: { type: 'string' }, limit: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } },
});
if (!values.db) throw new Error('Give --db PATH: a copy of the impact bench database.');
const limit = Number(values.limit);
const svc = CmdbService.open(values.db, { source: 'bench' });
try {
  const { index, attrs } = svc.impacts.indexHolder.getWithAttrs();
  const query = { keys: [HUB_KEY], direction: 'downstream' as const, limit };
  const answer = analyse(svc.db, index, attrs, query);
  const plain = answer.result;
  const config = healthConfig();
  const health = () =>
    impactHealth(
      plain,
      config,
      byRows(answer.rows, (asked) => svc.health.rulesForCis(asked.map((r) => r.id))),
    );
  const [first, coldMs] = time(() => health());
  const without: number[] = [];
  const withHealth: number[] = [];
  const healthOnly: number[] = [];
  const cpu = { without: [] as number[], withHealth: [] as number[], healthOnly: [] as number[] };
  // Warm up both (the JIT, SQLite's page cache) before measuring.
  // Without: the service's answer as it was before health (the index holder's check, then the analysis).
  const plainAnswer = () => {
    const held = svc.impacts.indexHolder.getWithAttrs();
    return analyse(svc.db, held.index, held.attrs, query);
  };
  for (let i = 0; i < 3; i++) {
    plainAnswer();
    svc.impacts.impact(query);
  }
  for (let i = 0; i < Number(values.runs); i++) {
    let [, wall, c] = time(plainAnswer);
    without.push(wall);
    cpu.without.push(c);
    [, wall, c] = time(() => svc.impacts.impact(query));
    withHealth.push(wall);
    cpu.withHealth.push(c);
    [, wall, c] = time(() => health());
    healthOnly.push(wall);
    cpu.healthOnly.push(c);
  }
  const cis = (svc.db.prepare('SELECT count(*) FROM cis').pluck().get() as number).toLocaleString('en-US');
  const named = new Set(plain.impacted.flatMap((c) => [c.key, ...c.path.map((s) => s.key)])).size;
  const w = median(withHealth);
  const wo = median(without);
  console.log(
    `${cis} CIs; blast radius ${plain.counts.total.toLocaleString('en-US')}; ${plain.impacted.length} listed, ${named} CIs named with their paths`,
  );
  console.log(`impact without health: ${without.map((t) => t.toFixed(1)).join(', ')} ms (median ${wo.toFixed(1)})`);
  console.log(`impact with health:    ${withHealth.map((t) => t.toFixed(1)).join(', ')} ms (median ${w.toFixed(1)})`);
  console.log(`health alone, warm:    ${healthOnly.map((t) => t.toFixed(1)).join(', ')} ms (median ${median(healthOnly).toFixed(1)})`);
  console.log(`health alone, first answer on this data: ${coldMs.toFixed(1)} ms`);
  console.log(`ratio with/without: ${(w / wo).toFixed(3)}; findings on ${Object.keys(first.byKey).length} CIs`);
  const m = (xs: number[]) => median(xs).toFixed(1);
  const least = (xs: number[]) => Math.min(...xs).toFixed(1);
  console.log(`fastest runs: without ${least(without)} ms, with ${least(withHealth)} ms, health alone ${least(healthOnly)} ms`);
  console.log(
    `CPU medians: without ${m(cpu.without)} ms, with ${m(cpu.withHealth)} ms (ratio ${(median(cpu.withHealth) / median(cpu.without)).toFixed(3)}), health alone ${m(cpu.healthOnly)} ms`,
  );
} finally {
  svc.close();
}
