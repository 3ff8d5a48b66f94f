/**
 * An impact question right after an edit, as the app asks it: the edit moves
 * the data stamp, so the answer patches the graph index and runs the health
 * rules afresh for its CIs (HealthService.rulesForCis). Each round edits one
 * CI's description (updateCi), then times ImpactService.impact; and, apart, the scoped
 * value-variants rule for the answer's CIs and the health rules as a whole
 * (rawFindings with a scope, ms per rule). Medians of --runs.
 *
 *   npx tsx tests/bench/impact-after-edit-bench.ts --db /tmp/copy.db [--key san-000001] [--runs 5]
 *
 * The database is opened for writing: pass a copy (`cmdb generate` then
 * `cmdb import` make one; the figures in docs/performance.md are at 1,000,000
 * CIs with 100,000 owners, a few spellings of an environment, a status and
 * some owners, and about 110,000 retired CIs).
 */
import { parseArgs } from 'node:util';
import { rawFindings } from '../../electron/cmdb/health/compute.js';
import { loadHealthRules } from '../../electron/cmdb/health/rules-file.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { median } from './timing.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    key: { type: 'string', default: 'san-000001' },
    limit: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
  },
});
if (!values.db) throw new Error('Give --db PATH: a copy of a CMDB (the bench edits it).');
const svc = CmdbService.open(values.db, { source: 'bench' });
try {
  const query = { keys: [values.key], direction: 'downstream' as const, limit: Number(values.limit) };
  // An edit as the app makes it (journalled, so the graph index is patched, not rebuilt).
  const edit = async (i: number) => {
    const r = await svc.call('updateCi', { key: values.key!, fields: { description: `bench edit ${i}` } }, 'cli');
    if (!r.ok) throw new Error(r.error.message);
  };
  const asked = () => svc.impacts.impact(query);
  asked(); // builds the graph index once, as the app does at start
  const impact: number[] = [];
  const variants: number[] = [];
  const rules: Array<Partial<Record<string, number>>> = [];
  let listed = 0;
  for (let i = 0; i < Number(values.runs); i++) {
    await edit(i);
    const t0 = performance.now();
    const answer = asked();
    impact.push(performance.now() - t0);
    listed = answer.impacted.length;
    const ids = svc.db
      .prepare('SELECT id FROM cis WHERE key IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(answer.impacted.map((c) => c.key))) as number[];
    const config = loadHealthRules(values.db).config;
    const { ruleMs } = rawFindings(svc.db, config, svc.impacts.indexHolder.get(), Date.now(), new Set(ids));
    rules.push(ruleMs);
    variants.push(ruleMs['value-variants'] ?? 0);
  }
  const cis = (svc.db.prepare('SELECT count(*) FROM cis').pluck().get() as number).toLocaleString('en-US');
  const f = (xs: number[]) => `${xs.map((t) => t.toFixed(1)).join(', ')} ms (median ${median(xs).toFixed(1)})`;
  console.log(`${cis} CIs; impact of ${values.key}, ${listed} CIs listed`);
  console.log(`impact after an edit: ${f(impact)}`);
  console.log(`value-variants for the answer's CIs: ${f(variants)}`);
  console.log(`health rules for the answer's CIs, last run (ms): ${JSON.stringify(rules[rules.length - 1])}`);
} finally {
  svc.close();
}
