/**
 * What the health of a change costs an impact answer: the impact of the
 * shared CI of the impact bench's CMDB (the widest blast radius) answered
 * with its data-quality findings (ImpactService.impact) and without them
 * (the same analysis, analysis.ts analyse), taken in turns in the same
 * process, medians of 3; and the first answer's health alone, when the
 * duplicate rule reads the names of the types asked about (duplicates.ts).
 *
 *   npx tsx tests/bench/impact-health-bench.ts --db /tmp/ih/bench.db
 *
 * The database is the impact bench's (tests/bench/impact-bench.ts,
 * `cmdb-impact-bench-<cis>-<seed>.db` in the OS temp folder): pass a copy,
 * the service opens it for writing.
 */
import { parseArgs } from 'node:util';
import { healthConfig } from '../../shared/health.js';
import { ciRulesByKey } from '../../electron/cmdb/health/ci-rules.js';
import { impactHealth } from '../../electron/cmdb/health/on-impact.js';
import { analyse } from '../../electron/cmdb/impact/analysis.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { median, time } from './timing.js';

const HUB_KEY = 'infra-000000';

const { values } = parseArgs({ options: { db: { type: 'string' }, limit: { type: 'string', default: '1000' } } });
if (!values.db) throw new Error('Give --db PATH: a copy of the impact bench database.');
const limit = Number(values.limit);
const svc = CmdbService.open(values.db, { source: 'bench' });
try {
  const { index, attrs } = svc.impacts.indexHolder.getWithAttrs();
  const query = { keys: [HUB_KEY], direction: 'downstream' as const, limit };
  const plain = analyse(svc.db, index, attrs, query).result;
  const config = healthConfig();
  const [first, coldMs] = time(() => impactHealth(plain, config, (keys) => ciRulesByKey(svc.db, keys, config, index)));
  const without: number[] = [];
  const withHealth: number[] = [];
  const healthOnly: number[] = [];
  for (let i = 0; i < 3; i++) {
    without.push(time(() => analyse(svc.db, index, attrs, query))[1]);
    withHealth.push(time(() => svc.impacts.impact(query))[1]);
    healthOnly.push(time(() => impactHealth(plain, config, (keys) => ciRulesByKey(svc.db, keys, config, index)))[1]);
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
} finally {
  svc.close();
}
