/**
 * Criticality sorts and lists by severity, never alphabetically (found by a tester: the Browse table read
 * critical, high, low, medium): ascending critical, high, medium, low, then values off the scale, then none;
 * descending low first, off the scale and none still last. Pages cut across values without overlap, with
 * filters and with a search; the criticality facet lists its values in the same order with or without a search.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

let svc: CmdbService;

// Per value, how many CIs (an import keeps a value off the scale as given, so they are inserted directly).
const SEED: Array<[string | null, number]> = [
  ['low', 3],
  ['medium', 2],
  [null, 2],
  ['n/a', 2],
  ['critical', 2],
  ['high', 3],
  ['tbd', 1],
];

beforeAll(() => {
  svc = freshService();
  const insert = svc.db.prepare(
    `INSERT INTO cis(key, type, name, owner, criticality, created_at, updated_at) VALUES (?, 'server', ?, ?, ?, 't', 't')`,
  );
  let i = 0;
  for (const [value, n] of SEED) {
    for (let k = 0; k < n; k++, i++) insert.run(`box-${String(i).padStart(2, '0')}`, `Box ${i}`, i % 2 ? 'team-a' : 'team-b', value);
  }
  return () => svc.close();
});

const crits = async (req: Record<string, unknown>) => (await ok(svc, 'listCis', req as never)).items.map((c) => c.criticality);
const expand = (order: Array<string | null>) => order.flatMap((v) => Array<string | null>(SEED.find(([s]) => s === v)![1]).fill(v));

describe('sorting by criticality', () => {
  it('ascending reads critical, high, medium, low, then values off the scale, then none', async () => {
    expect(await crits({ sort: 'criticality', order: 'asc', limit: 100 })).toEqual(
      expand(['critical', 'high', 'medium', 'low', 'n/a', 'tbd', null]),
    );
  });

  it('descending reads low first, and keeps values off the scale, then none, last', async () => {
    expect(await crits({ sort: 'criticality', order: 'desc', limit: 100 })).toEqual(
      expand(['low', 'medium', 'high', 'critical', 'n/a', 'tbd', null]),
    );
  });

  it('pages across values without overlap or gap, and counts every CI', async () => {
    const whole = (await ok(svc, 'listCis', { sort: 'criticality', limit: 100 })).items.map((c) => c.key);
    const paged: string[] = [];
    for (let offset = 0; offset < whole.length; offset += 4) {
      const page = await ok(svc, 'listCis', { sort: 'criticality', offset, limit: 4 });
      expect(page.total).toBe(15);
      paged.push(...page.items.map((c) => c.key));
    }
    expect(paged).toEqual(whole);
    expect(await ok(svc, 'listCis', { sort: 'criticality', offset: 15, limit: 4 })).toEqual({ items: [], total: 15 });
  });

  it('keeps the order with filters and with a search', async () => {
    const filtered = await ok(svc, 'listCis', { filters: { owner: ['team-a'] }, sort: 'criticality', limit: 100 });
    expect(filtered.items.every((c) => c.owner === 'team-a')).toBe(true);
    expect(filtered.total).toBe(7);
    const order = ['critical', 'high', 'medium', 'low', 'n/a', 'tbd', null];
    const rank = (v: string | null) => order.indexOf(v);
    const isSorted = (vs: Array<string | null>) => vs.every((v, i) => i === 0 || rank(vs[i - 1]!) <= rank(v));
    expect(isSorted(filtered.items.map((c) => c.criticality))).toBe(true);
    const searched = await crits({ query: 'box', filters: { owner: ['team-b'] }, sort: 'criticality', limit: 100 });
    expect(searched).toHaveLength(8);
    expect(isSorted(searched)).toBe(true);
  });
});

describe('the criticality facet', () => {
  it('lists its values by severity, with or without a search', async () => {
    const facetOf = async (query?: string) =>
      (await ok(svc, 'facets', { query, limit: 30 })).facets.find((f) => f.field === 'criticality')!.values.map((v) => v.value);
    // Most common first would read low and high (3 each) first.
    const expected = ['critical', 'high', 'medium', 'low', 'n/a', 'tbd', null];
    expect(await facetOf()).toEqual(expected);
    expect(await facetOf('box')).toEqual(expected);
  });
});
