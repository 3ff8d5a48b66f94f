/**
 * facetValues: every value of one facet field, most common first, paged,
 * optionally those containing a text; the same counts as `facets` (whose
 * top values are its first page), with and without a search and filters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

let svc: CmdbService;
const OWNERS = 40;

beforeAll(async () => {
  svc = freshService();
  const rows = ['id,name,type,owner,environment'];
  // Owner k has k+1 CIs; owner 0 is shared with one CI that has no owner.
  for (let k = 0; k < OWNERS; k++)
    for (let j = 0; j <= k; j++)
      rows.push(
        `c-${k}-${j},Node ${k} ${j},${j % 2 ? 'server' : 'database'},Team ${String(k).padStart(2, '0')},${k % 2 ? 'production' : 'staging'}`,
      );
  rows.push('orphan,Orphan,server,,production');
  await ok(svc, 'importCsv', { cis: { name: 'cis.csv', content: rows.join('\n') } });
});

describe('facetValues', () => {
  it('pages every value most common first, the first page equal to the facet’s top values', async () => {
    const top = (await ok(svc, 'facets', { limit: 12 })).facets.find((f) => f.field === 'owner')!.values;
    const p0 = await ok(svc, 'facetValues', { field: 'owner', offset: 0, limit: 12 });
    expect(p0.values).toEqual(top);
    expect(p0.total).toBe(OWNERS + 1); // the 40 teams and "(none)"
    expect(p0.values[0]).toEqual({ value: 'Team 39', count: 40 });
    const all = [];
    for (let offset = 0; offset < p0.total; offset += 7)
      all.push(...(await ok(svc, 'facetValues', { field: 'owner', offset, limit: 7 })).values);
    expect(all).toHaveLength(OWNERS + 1);
    expect(new Set(all.map((v) => v.value)).size).toBe(OWNERS + 1);
    expect(all.map((v) => v.count)).toEqual([...all.map((v) => v.count)].sort((a, b) => b - a));
    expect(all.find((v) => v.value === null)).toEqual({ value: null, count: 1 });
  });

  it('narrows to values containing a text, case-insensitively', async () => {
    const p = await ok(svc, 'facetValues', { field: 'owner', contains: 'team 3', limit: 100 });
    expect(p.values.map((v) => v.value)).toEqual([
      'Team 39',
      'Team 38',
      'Team 37',
      'Team 36',
      'Team 35',
      'Team 34',
      'Team 33',
      'Team 32',
      'Team 31',
      'Team 30',
    ]);
    expect(p.total).toBe(10);
    expect((await ok(svc, 'facetValues', { field: 'owner', contains: 'none' })).total).toBe(0);
  });

  it('counts among the CIs the other filters and the search select', async () => {
    const prod = await ok(svc, 'facetValues', { field: 'owner', filters: { environment: ['production'] }, limit: 1000 });
    expect(prod.total).toBe(OWNERS / 2 + 1);
    expect(prod.values.every((v) => v.value === null || Number(v.value.slice(5)) % 2 === 1)).toBe(true);
    // The field's own filter does not narrow its values (so another can be added).
    const own = await ok(svc, 'facetValues', { field: 'owner', filters: { owner: ['Team 01'] }, limit: 1000 });
    expect(own.total).toBe(OWNERS + 1);
    const searched = await ok(svc, 'facetValues', { field: 'type', query: 'c-5-', limit: 10 });
    const facet = (await ok(svc, 'facets', { query: 'c-5-', limit: 10 })).facets.find((f) => f.field === 'type')!.values;
    expect(searched.values).toEqual(facet);
    expect(searched.values.reduce((n, v) => n + v.count, 0)).toBe(6);
  });

  it('counts only the field asked for, and facets then count only the fields not yet kept', async () => {
    const db = svc.db;
    const prepare = db.prepare.bind(db);
    const grouped: string[] = [];
    db.prepare = ((sql: string) => {
      const m = /GROUP BY c\.(\w+)/.exec(sql);
      if (m) grouped.push(m[1]!);
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      const filters = { environment: ['staging'], type: ['server'] };
      await ok(svc, 'facetValues', { field: 'owner', filters, limit: 5 });
      await ok(svc, 'facetValues', { field: 'owner', filters, offset: 5, limit: 5 });
      expect(grouped).toEqual(['owner']);
      await ok(svc, 'facets', { filters, limit: 12 });
      expect(grouped).toEqual(['owner', 'type', 'status', 'environment', 'criticality']);
    } finally {
      db.prepare = prepare;
    }
  });

  it('facets say how many values each field has and count the chosen values not among the top ones', async () => {
    const filters = { owner: ['Team 00', '', 'Team 39', 'Nobody'] };
    const { facets } = await ok(svc, 'facets', { filters, limit: 12 });
    const owner = facets.find((f) => f.field === 'owner')!;
    expect(owner.total).toBe(OWNERS + 1);
    expect(owner.values[0]).toEqual({ value: 'Team 39', count: 40 });
    expect(owner.chosen).toEqual([
      { value: 'Team 00', count: 1 },
      { value: null, count: 1 },
      { value: 'Nobody', count: 0 },
    ]);
    const type = facets.find((f) => f.field === 'type')!;
    expect([type.total, type.chosen]).toEqual([2, []]);
    const searched = (await ok(svc, 'facets', { query: 'c-5-', filters: { type: ['router'] }, limit: 1 })).facets;
    expect(searched.find((f) => f.field === 'type')).toMatchObject({ total: 2, chosen: [{ value: 'router', count: 0 }] });
  });

  it('sees a new value after an edit', async () => {
    const before = (await ok(svc, 'facetValues', { field: 'owner', contains: 'Zulu' })).total;
    await ok(svc, 'createCi', { key: 'z', fields: { type: 'server', name: 'Z', owner: 'Zulu ops' } });
    const after = await ok(svc, 'facetValues', { field: 'owner', contains: 'Zulu' });
    expect([before, after.total]).toEqual([0, 1]);
  });
});
