import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Estate, generateCmdb, planEstate } from '../../electron/cmdb/generate.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { REL_TYPE_SEEDS } from '../../electron/cmdb/types-registry.js';
import { NEIGHBOURHOOD_CTE, reachabilityCteSql, summarise } from '../bench/steps.js';

// The benchmark's baselines must compute what they claim, or the ratios mean nothing.
const dir = mkdtempSync(join(tmpdir(), 'cmdb-bench-'));
let svc: CmdbService;
const n = 2500;
const plan = planEstate(n, 4);

beforeAll(async () => {
  const g = await generateCmdb({ cis: n, outDir: dir, seed: 4 });
  svc = CmdbService.open(join(dir, 'cmdb.db'));
  const r = await svc.call(
    'importCsv',
    { cis: { name: 'cis.csv', path: g.cisFile }, relationships: { name: 'relationships.csv', path: g.relsFile } },
    'cli',
  );
  if (!r.ok) throw new Error(r.error.message);
});
afterAll(() => {
  svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything that depends on `key`, by a plain BFS over the generated records. */
function dependents(key: string): number {
  const types = new Map(REL_TYPE_SEEDS.map((t) => [t.name, t]));
  const g = new Map<string, string[]>();
  for (const [source, target, type] of new Estate(plan).relRecords()) {
    const t = types.get(type!)!;
    if (t.strength === 'none') continue;
    const [from, to] = t.dependent === 'source' ? [target!, source!] : [source!, target!];
    g.set(from, [...(g.get(from) ?? []), to]);
  }
  const seen = new Set([key]);
  const queue = [key];
  while (queue.length) {
    for (const d of g.get(queue.pop()!) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
    }
  }
  return seen.size - 1;
}

describe('bench baselines', () => {
  it('the recursive CTE reaches exactly the dependents of a CI', () => {
    const cte = svc.db.prepare(reachabilityCteSql(svc.db)).pluck();
    for (const key of [plan.hubs.storage, plan.hubs.coreSwitch, plan.hubs.dns, plan.hubs.auth, 'vm-000010', 'ctr-000100']) {
      expect(cte.get(key), key).toBe(dependents(key));
    }
    expect(cte.get(plan.hubs.storage) as number).toBeGreaterThan(n * 0.1);
  });

  it('the 2-hop CTE finds the same CIs as the product neighbourhood when nothing is capped', async () => {
    const stmt = svc.db.prepare(NEIGHBOURHOOD_CTE).pluck();
    for (const key of ['app-000003', 'db-000007', 'vm-000100', 'ctr-000500', 'hv-000004']) {
      const r = await svc.call('neighbourhood', { key, depth: 2, direction: 'both', maxNodes: 20000 });
      if (!r.ok) throw new Error(r.error.message);
      const ids = stmt.all(key, 20000) as number[];
      expect(ids.length, key).toBe(r.value.nodes.length);
      expect(new Set(ids), key).toEqual(new Set(r.value.nodes.map((x) => x.id)));
    }
  });

  it('summarise gives nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarise(xs)).toEqual({ n: 100, p50: 50, p95: 95, max: 100, mean: 50.5 });
    expect(summarise([7])).toMatchObject({ p50: 7, p95: 7 });
  });
});
