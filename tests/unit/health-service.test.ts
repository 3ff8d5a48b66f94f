/**
 * HealthService: the report cached per state of the CMDB and rules, filtered
 * and paged; rulesForCis from the cache or computed for just those CIs.
 */
import { describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

async function messy(): Promise<CmdbService> {
  const svc = freshService();
  const ci = (key: string, type: string, name: string, more: Record<string, unknown> = {}) =>
    ok(svc, 'createCi', { key, fields: { type, name, owner: 'team-a', criticality: 'high', ...more } });
  await ci('web-01', 'server', 'web-01');
  await ci('web-01b', 'server', 'WEB 01');
  await ci('app', 'application', 'Shop app', { owner: null });
  await ci('db', 'database', 'Orders DB', { status: 'retired' });
  await ci('lonely', 'server', 'Lonely');
  for (const [source, target] of [
    ['app', 'web-01'],
    ['app', 'web-01b'],
    ['app', 'db'],
  ])
    await ok(svc, 'createRelationship', { source: source!, target: target!, type: 'depends_on' });
  return svc;
}

describe('HealthService', () => {
  it('computes once per state of the CMDB and rules; an edit or other rules compute again', async () => {
    const svc = await messy();
    const first = await ok(svc, 'health', {});
    expect(first.total).toBe(4);
    expect(first.findings.map((f) => f.rule)).toEqual(['retired-dependency', 'duplicate', 'missing-owner', 'orphan']);
    await ok(svc, 'health', { rule: 'orphan' });
    await ok(svc, 'health', { query: 'web' });
    expect(svc.health.computations).toBe(1);
    await ok(svc, 'updateCi', { key: 'app', fields: { owner: 'team-b' } });
    const after = await ok(svc, 'health', {});
    expect(svc.health.computations).toBe(2);
    expect(after.rules.find((r) => r.rule === 'missing-owner')?.findings).toBe(0);
    await ok(svc, 'health', { rules: { rules: { orphan: { enabled: false } } } });
    expect(svc.health.computations).toBe(3);
  });

  it('filters by rule and by key or name, pages, and the summary still covers every rule', async () => {
    const svc = await messy();
    const byRule = await ok(svc, 'health', { rule: 'duplicate' });
    expect(byRule.findings.map((f) => f.keys)).toEqual([['web-01', 'web-01b']]);
    expect(byRule.rules).toHaveLength(12);
    // "orders" is in the name of db, not in any key.
    expect((await ok(svc, 'health', { query: 'ORDERS' })).findings.map((f) => f.keys)).toEqual([['app', 'db']]);
    const page = await ok(svc, 'health', { offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.findings.map((f) => f.rule)).toEqual(['duplicate', 'missing-owner']);
  });

  it('rulesForCis answers from a fresh report, and the same when computed for just those CIs', async () => {
    const svc = await messy();
    const id = (key: string) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key) as number;
    const ids = ['app', 'web-01b', 'lonely', 'db', 'web-01'].map(id);
    const expected = new Map([
      [id('app'), ['missing-owner', 'retired-dependency']],
      [id('web-01b'), ['duplicate']],
      [id('lonely'), ['orphan']],
      [id('db'), ['retired-dependency']],
      [id('web-01'), ['duplicate']],
    ]);
    // No report yet: computed for these CIs only (no report made).
    expect(svc.health.rulesForCis(ids)).toEqual(expected);
    expect(svc.health.computations).toBe(0);
    // A fresh report answers.
    await ok(svc, 'health', {});
    expect(svc.health.rulesForCis(ids)).toEqual(expected);
    expect(svc.health.rulesForCis([id('lonely')])).toEqual(new Map([[id('lonely'), ['orphan']]]));
    // After an edit the report is stale: computed again for the CIs asked.
    await ok(svc, 'createRelationship', { source: 'lonely', target: 'web-01', type: 'connects_to' });
    expect(svc.health.rulesForCis([id('lonely'), id('web-01')])).toEqual(new Map([[id('web-01'), ['duplicate']]]));
    expect(svc.health.computations).toBe(1);
  });
});
