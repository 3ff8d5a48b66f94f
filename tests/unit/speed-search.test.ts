/**
 * Search over many matches: `total` is exact up to SEARCH_COUNT_CAP and flagged as an estimate past
 * it; past SEARCH_RANK_LIMIT matches the exact key or name match still comes first and pages are
 * disjoint, in id order; filters still apply; small match sets keep the exact count and ranking.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_COUNT_CAP, SEARCH_RANK_LIMIT } from '../../electron/cmdb/search.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

const MANY = 2 * SEARCH_COUNT_CAP;
let svc: CmdbService;

beforeAll(() => {
  svc = freshService();
  // MANY web servers (every 3rd in staging), 30 mail servers, and one CI named exactly "Web" whose key sorts last.
  svc.db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MANY})
      INSERT INTO cis(key, type, name, environment, owner, created_at, updated_at)
      SELECT printf('web-%05d', i), 'server', printf('web-node-%05d', i), CASE WHEN i % 3 = 0 THEN 'staging' ELSE 'production' END,
             'team-web', 't', 't' FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
      INSERT INTO cis(key, type, name, owner, created_at, updated_at)
      SELECT printf('mail-%02d', i), 'server', printf('Mail relay %02d', i), 'team-mail', 't', 't' FROM n;
    INSERT INTO cis(key, type, name, created_at, updated_at) VALUES ('zz-web-portal', 'application', 'Web', 't', 't');
  `);
  return () => svc.close();
});

describe('search over many matches', () => {
  it('caps the total of a common prefix and flags it as an estimate', async () => {
    const r = await ok(svc, 'listCis', { query: 'web', limit: 50 });
    expect(MANY).toBeGreaterThan(SEARCH_RANK_LIMIT);
    expect(r.total).toBe(SEARCH_COUNT_CAP);
    expect(r.totalIsEstimate).toBe(true);
    expect(r.items).toHaveLength(50);
    // The exact name match first, although its id is the last.
    expect(r.items[0]!.key).toBe('zz-web-portal');
    for (const ci of r.items.slice(1)) expect(ci.key).toMatch(/^web-\d{5}$/);
  });

  it('pages a large match set without overlap, in id order after the exact match', async () => {
    const seen = new Set<string>();
    let previous = '';
    for (let page = 0; page < 4; page++) {
      const r = await ok(svc, 'listCis', { query: 'web', offset: page * 25, limit: 25 });
      expect(r.items).toHaveLength(25);
      for (const ci of r.items) {
        expect(seen.has(ci.key)).toBe(false);
        seen.add(ci.key);
        if (ci.key !== 'zz-web-portal') {
          expect(ci.key > previous).toBe(true);
          previous = ci.key;
        }
      }
    }
    expect(seen.has('zz-web-portal')).toBe(true);
    // A page far out reads from the index, past the ids read for the count.
    const far = await ok(svc, 'listCis', { query: 'web', offset: SEARCH_COUNT_CAP + 100, limit: 10 });
    expect(far.items.map((c) => c.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `web-${String(SEARCH_COUNT_CAP + 100 + i).padStart(5, '0')}`),
    );
  });

  it('applies filters to a large match set, and counts exactly once the filtered set is small', async () => {
    const staged = await ok(svc, 'listCis', { query: 'web', filters: { environment: ['staging'] }, limit: 20 });
    expect(staged.items.every((c) => c.environment === 'staging')).toBe(true);
    // A third of MANY are in staging: under the cap, counted exactly, ranked.
    expect(staged.total).toBe(Math.floor(MANY / 3));
    expect(staged.totalIsEstimate).toBeUndefined();
    const big = await ok(svc, 'listCis', { query: 'web', filters: { environment: ['production'] }, limit: 20 });
    expect(big).toMatchObject({ total: SEARCH_COUNT_CAP, totalIsEstimate: true });
    expect(big.items.every((c) => c.environment === 'production')).toBe(true);
    const none = await ok(svc, 'listCis', { query: 'web', filters: { owner: ['team-mail'] }, limit: 20 });
    expect(none).toEqual({ items: [], total: 0 });
  });

  it('keeps exact totals and relevance order for small match sets, and sorts a large set by a field', async () => {
    const mail = await ok(svc, 'listCis', { query: 'mail relay', limit: 5 });
    expect(mail.total).toBe(30);
    expect(mail.totalIsEstimate).toBeUndefined();
    const exactKey = await ok(svc, 'listCis', { query: 'web-00042', limit: 5 });
    expect(exactKey.items[0]!.key).toBe('web-00042');
    const sorted = await ok(svc, 'listCis', { query: 'web', sort: 'name', order: 'desc', limit: 3 });
    expect(sorted.items.map((c) => c.name)).toEqual([`web-node-${MANY}`, `web-node-${MANY - 1}`, `web-node-${MANY - 2}`]);
    expect(sorted.totalIsEstimate).toBe(true);
  });

  it('counts facets of a large search in one pass exactly as GROUP BY does, and sees an edit at once', async () => {
    const filters = { environment: ['staging'], owner: ['team-web', ''] };
    const got = await ok(svc, 'facets', { query: 'web', filters, limit: 10 });
    const fts = `c.id IN (SELECT rowid FROM ci_fts WHERE ci_fts MATCH '"web"*')`;
    const where: Record<string, string> = {
      environment: "c.environment IN ('staging')",
      owner: "(c.owner IN ('team-web') OR c.owner IS NULL)",
    };
    for (const { field, values } of got.facets) {
      const others = Object.entries(where)
        .filter(([f]) => f !== field)
        .map(([, sql]) => ` AND ${sql}`)
        .join('');
      const want = svc.db
        .prepare(
          `SELECT c.${field} AS value, count(*) AS count FROM cis c WHERE ${fts}${others} GROUP BY c.${field} ORDER BY count DESC, value LIMIT 10`,
        )
        .all();
      expect(values).toEqual(want);
    }
    expect(got.facets.find((f) => f.field === 'environment')!.values).toEqual([
      { value: 'production', count: MANY - Math.floor(MANY / 3) },
      { value: 'staging', count: Math.floor(MANY / 3) },
      { value: null, count: 1 },
    ]);

    const before = await ok(svc, 'facets', { limit: 30 });
    await ok(svc, 'createCi', { key: 'web-extra', fields: { type: 'server', name: 'web extra', environment: 'qa' } });
    const after = await ok(svc, 'facets', { limit: 30 });
    expect(before.facets.find((f) => f.field === 'environment')!.values.some((v) => v.value === 'qa')).toBe(false);
    expect(after.facets.find((f) => f.field === 'environment')!.values).toContainEqual({ value: 'qa', count: 1 });
  });
});
