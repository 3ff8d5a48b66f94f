/** Search (FTS5 prefixes, filters, paging, totals, hostile input, exact key first) and facets. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Request, Response } from '../../shared/api.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok } from './helpers.js';

interface Seed {
  key: string;
  type: string;
  name: string;
  status?: string;
  environment?: string;
  owner?: string;
  criticality?: string;
  description?: string;
  attributes?: Record<string, string>;
}

const SEEDS: Seed[] = [
  { key: 'bs-checkout', type: 'business_service', name: 'Checkout', owner: 'team-checkout', criticality: 'critical' },
  {
    key: 'app-checkout-api',
    type: 'application',
    name: 'Checkout API',
    owner: 'team-checkout',
    criticality: 'critical',
    environment: 'production',
    attributes: { language: 'Java', repository: 'git.example/checkout/checkout-api' },
  },
  { key: 'app-checkout-api-stg', type: 'application', name: 'Checkout API (staging)', owner: 'team-checkout', environment: 'staging' },
  { key: 'app-cart', type: 'application', name: 'Cart Service', owner: 'team-checkout', environment: 'production', criticality: 'high' },
  {
    key: 'db-orders-primary',
    type: 'database',
    name: 'Orders DB (primary)',
    owner: 'team-dba',
    environment: 'production',
    criticality: 'critical',
    description: 'PostgreSQL primary; takes every write.',
    attributes: { vendor: 'PostgreSQL', ip_address: '10.20.0.55' },
  },
  {
    key: 'db-orders-replica-01',
    type: 'database',
    name: 'Orders DB (replica 01)',
    owner: 'team-dba',
    environment: 'production',
    status: 'maintenance',
    criticality: 'critical',
  },
  { key: 'vm-db-orders-01', type: 'virtual_machine', name: 'Orders DB host 01', owner: 'team-infra', environment: 'production' },
  { key: 'saas-stripe', type: 'saas', name: 'Stripe (card payments)', owner: 'team-payments', criticality: 'critical' },
  {
    key: 'app-legacy',
    type: 'application',
    name: 'Légacy Shop',
    status: 'retired',
    description: 'The old "ATG" monolith (AND it is gone).',
  },
  // Mentions the key of another CI many times, so it ranks high for that word: the exact match must still come first.
  { key: 'doc-checkout-notes', type: 'service', name: 'Notes', description: 'bs-checkout bs-checkout bs-checkout bs-checkout runbook' },
];
// Enough similar rows to page through.
for (let i = 1; i <= 23; i++) {
  SEEDS.push({
    key: `vm-web-${String(i).padStart(2, '0')}`,
    type: 'virtual_machine',
    name: `Web server ${String(i).padStart(2, '0')}`,
    environment: i % 3 === 0 ? 'staging' : 'production',
    status: 'operational',
    owner: 'team-web',
  });
}

let svc: CmdbService;
beforeAll(async () => {
  svc = freshService();
  for (const s of SEEDS) {
    const { key, ...fields } = s;
    await ok(svc, 'createCi', { key, fields });
  }
  return () => svc.close();
});

const keys = async (req: Request<'listCis'> | Record<string, unknown>) => (await ok(svc, 'listCis', req as never)).items.map((c) => c.key);

describe('search', () => {
  it('matches word prefixes in name, key, type, owner, description and attributes', async () => {
    expect(await keys({ query: 'check' })).toEqual(expect.arrayContaining(['bs-checkout', 'app-checkout-api', 'app-checkout-api-stg']));
    expect(await keys({ query: 'postgre' })).toEqual(['db-orders-primary']); // description and attribute
    expect(await keys({ query: 'team-dba' })).toEqual(expect.arrayContaining(['db-orders-primary', 'db-orders-replica-01']));
    expect(await keys({ query: 'saas' })).toEqual(['saas-stripe']); // type
    expect(await keys({ query: '10.20.0.55' })).toEqual(['db-orders-primary']); // attribute value with dots
    expect(await keys({ query: 'legacy' })).toEqual(['app-legacy']); // diacritics removed
  });

  it('needs every word to match', async () => {
    expect((await keys({ query: 'orders replica' })).sort()).toEqual(['db-orders-replica-01']);
    expect((await keys({ query: 'orders host' })).sort()).toEqual(['vm-db-orders-01']);
    expect(await keys({ query: 'orders stripe' })).toEqual([]);
  });

  it('puts an exact key or name match first, ahead of better-ranked text matches', async () => {
    expect((await keys({ query: 'bs-checkout' }))[0]).toBe('bs-checkout');
    expect((await keys({ query: 'Checkout' }))[0]).toBe('bs-checkout'); // its name, case-insensitive
    expect((await keys({ query: 'checkout api' }))[0]).toBe('app-checkout-api');
  });

  it('then names and keys that begin with it, then names holding more of its words, shorter names first, alike in name order (found by a tester)', async () => {
    const local = freshService();
    try {
      // Each host's description is longer than the next one's: bm25, which weighs the whole row, put host 01 last.
      const cis = [
        ['vm-db-orders-03', 'Orders DB host 03', 'VM'],
        ['vm-db-orders-02', 'Orders DB host 02', 'The VM of the orders replica'],
        ['vm-db-orders-01', 'Orders DB host 01', 'The VM of the orders primary database, in London DC1, racked in row 4'],
        ['db-orders-primary', 'Orders DB (primary)', 'The orders database'],
        ['vm-db-stg-orders', 'Staging orders DB host', 'A VM'],
        ['app-reporting', 'Reporting', 'Reads the orders DB every night'],
        ['db-orders-legacy', 'Ordersystem DB', 'The old orders DB, kept for its archive'],
      ];
      for (const [key, name, description] of cis)
        await ok(local, 'createCi', { key: key!, fields: { type: 'server', name: name!, description: description! } });
      const order = async (query: string) => (await ok(local, 'listCis', { query, limit: 20 })).items.map((c) => c.key);
      expect(await order('orders db')).toEqual([
        'db-orders-primary', // begins with it, three words
        'vm-db-orders-01', // begins with it, four words, in name order
        'vm-db-orders-02',
        'vm-db-orders-03',
        'db-orders-legacy', // holds both words (orders as the start of one), does not begin with them, two words
        'vm-db-stg-orders', // holds both words, does not begin with them
        'app-reporting', // only its description matches
      ]);
      // Accents and case folded as the index folds them, spaces runs read as one (found by a reviewer).
      await ok(local, 'createCi', { key: 'gw-zrh', fields: { type: 'server', name: 'Zürich gateway' } });
      await ok(local, 'createCi', { key: 'gw-zrh-2', fields: { type: 'server', name: 'Zurich gateway 2' } });
      expect((await order('zurich  gateway'))[0]).toBe('gw-zrh');
      expect((await order('ZURICH'))[0]).toBe('gw-zrh');
      // Punctuation as the index reads it: `zurich-gateway` is the name Zürich gateway typed as a key would be.
      expect((await order('zurich-gateway'))[0]).toBe('gw-zrh');
      // A key's beginning counts as a name's; paging keeps the order.
      expect((await order('vm-db-orders')).slice(0, 3)).toEqual(['vm-db-orders-01', 'vm-db-orders-02', 'vm-db-orders-03']);
      // Keys typed in part come in key order, whatever their names (found by a tester).
      for (const [key, name] of [
        ['vm-000002', 'ams1-vm-000002'],
        ['vm-000001', 'zrh1-vm-000001'],
        ['vm-000010', 'ams1-vm-000010'],
      ])
        await ok(local, 'createCi', { key: key!, fields: { type: 'server', name: name! } });
      expect(await order('vm-0000')).toEqual(['vm-000001', 'vm-000002', 'vm-000010']);
      const page = async (offset: number) => (await ok(local, 'listCis', { query: 'orders db', limit: 3, offset })).items.map((c) => c.key);
      expect([...(await page(0)), ...(await page(3)), ...(await page(6))]).toEqual(await order('orders db'));
    } finally {
      local.close();
    }
  });

  it('takes quotes, operators and FTS syntax in the input literally, never as an error', async () => {
    const hostile = [
      '"',
      '""',
      'checkout"',
      '"ATG"',
      'AND',
      'OR NOT',
      'checkout AND',
      'NEAR(checkout api)',
      '*',
      'check*',
      '(',
      ')',
      '-',
      '^checkout',
      'name:checkout',
      "'; DROP TABLE cis; --",
      '\\',
      '{key}: checkout',
      '   ',
      '😀',
    ];
    for (const query of hostile) {
      const r = await svc.call('listCis', { query });
      expect(r.ok, `query ${JSON.stringify(query)}: ${r.ok ? '' : r.error.message}`).toBe(true);
    }
    expect(await keys({ query: '"ATG"' })).toEqual(['app-legacy']);
    expect(await keys({ query: 'AND' })).toEqual(['app-legacy']); // the word "AND" in its description
    expect((await keys({ query: 'name:checkout' })).length).toBe(0); // "name:checkout" is one literal word
    expect((await ok(svc, 'stats', {})).cis).toBe(SEEDS.length); // and nothing was dropped
  });

  it('filters by type, status, environment, owner and criticality, with "" meaning no value', async () => {
    expect((await keys({ filters: { type: ['database'] } })).sort()).toEqual(['db-orders-primary', 'db-orders-replica-01']);
    expect(await keys({ filters: { status: ['maintenance'] } })).toEqual(['db-orders-replica-01']);
    expect(await keys({ query: 'checkout', filters: { environment: ['staging'] } })).toEqual(['app-checkout-api-stg']);
    expect((await keys({ filters: { owner: ['team-checkout'], criticality: ['critical'] } })).sort()).toEqual([
      'app-checkout-api',
      'bs-checkout',
    ]);
    // Several values of one field: any of them.
    expect((await keys({ filters: { type: ['saas', 'business_service'] } })).sort()).toEqual(['bs-checkout', 'saas-stripe']);
    // '' selects CIs without a value.
    const noEnv = await keys({ filters: { environment: [''] }, limit: 100 });
    expect(noEnv.sort()).toEqual(
      SEEDS.filter((s) => !s.environment)
        .map((s) => s.key)
        .sort(),
    );
  });

  it('pages with limit and offset; total counts every match; pages are disjoint and cover all', async () => {
    const filters = { owner: ['team-web'] };
    const seen: string[] = [];
    for (let offset = 0; offset < 30; offset += 10) {
      const page = await ok(svc, 'listCis', { filters, offset, limit: 10 });
      expect(page.total).toBe(23);
      seen.push(...page.items.map((c) => c.key));
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    // Without a query or a sort, by name.
    expect(seen).toEqual([...seen].sort());
    const tail = await ok(svc, 'listCis', { filters, offset: 20, limit: 10 });
    expect(tail.items).toHaveLength(3);
    const past = await ok(svc, 'listCis', { filters, offset: 100, limit: 10 });
    expect(past).toEqual({ items: [], total: 23 });
    // The same with a query.
    const q = await ok(svc, 'listCis', { query: 'web', limit: 5 });
    expect(q.total).toBe(23);
    expect(q.items).toHaveLength(5);
  });

  it('sorts by a field in either order', async () => {
    const asc = await keys({ filters: { owner: ['team-web'] }, sort: 'name', order: 'asc', limit: 3 });
    const desc = await keys({ filters: { owner: ['team-web'] }, sort: 'name', order: 'desc', limit: 3 });
    expect(asc).toEqual(['vm-web-01', 'vm-web-02', 'vm-web-03']);
    expect(desc).toEqual(['vm-web-23', 'vm-web-22', 'vm-web-21']);
  });

  it('refuses a page size outside 1..1000 and an unknown sort field', async () => {
    expect((await fails(svc, 'listCis', { limit: 1001 })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'listCis', { offset: -1 })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'listCis', { sort: 'attributes' })).code).toBe('INVALID_REQUEST');
  });

  it('refuses filters past 1,000 values a field or 10,000 characters a value, as a request, before SQL (found by a reviewer)', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `team-${i}`);
    for (const method of ['listCis', 'facets', 'ciPosition'] as const) {
      const req = { filters: { owner: many }, ...(method === 'ciPosition' ? { key: 'bs-checkout' } : {}) };
      const e = await fails(svc, method, req as never);
      expect(e.code, method).toBe('INVALID_REQUEST');
      expect(e.message, method).toMatch(/owner/);
    }
    expect((await fails(svc, 'listCis', { filters: { type: ['x'.repeat(10_001)] } })).code).toBe('INVALID_REQUEST');
    // At the limit, answered (no CI has these owners).
    expect((await ok(svc, 'listCis', { filters: { owner: many.slice(0, 1000) } })).total).toBe(0);
  });
});

describe('words inside keys, names and owners', () => {
  it('are found on their own: hyphens, dots, underscores and @ split words; a whole key or address still finds its CI', async () => {
    const s = freshService();
    try {
      await ok(s, 'createCi', { key: 'lnx-pay-01', fields: { type: 'server', name: 'lnx-pay-01', owner: 'jürgen.müller@example.de' } });
      await ok(s, 'createCi', { key: 'srv_web_02', fields: { type: 'kubernetes_cluster', name: 'srv_web_02', owner: 'anna@example.de' } });
      await ok(s, 'createCi', { key: 'payroll', fields: { type: 'application', name: 'Payroll' } });
      const found = async (query: string) => (await ok(s, 'listCis', { query })).items.map((c) => c.key).sort();
      expect(await found('pay')).toEqual(['lnx-pay-01', 'payroll']);
      expect(await found('web')).toEqual(['srv_web_02']);
      expect(await found('müller')).toEqual(['lnx-pay-01']);
      expect(await found('muller')).toEqual(['lnx-pay-01']); // diacritics aside
      expect(await found('cluster')).toEqual(['srv_web_02']); // the type kubernetes_cluster
      expect(await found('lnx-pay-01')).toEqual(['lnx-pay-01']);
      expect(await found('lnx-pa')).toEqual(['lnx-pay-01']); // the last word as a prefix
      expect(await found('srv_web')).toEqual(['srv_web_02']);
      expect(await found('anna@example.de')).toEqual(['srv_web_02']);
      expect(await found('pay-01 lnx')).toEqual(['lnx-pay-01']); // every word, in any order
      expect(await found('01-pay')).toEqual([]); // a word's own parts in their order
      expect(await found('-')).toEqual([]);
    } finally {
      s.close();
    }
  });
});

describe('facets', () => {
  const facet = (r: Response<'facets'>, field: string) =>
    Object.fromEntries(r.facets.find((f) => f.field === field)!.values.map((v) => [v.value ?? '(none)', v.count]));

  it('counts each value of each filterable field', async () => {
    const r = await ok(svc, 'facets', {});
    expect(r.facets.map((f) => f.field)).toEqual(['type', 'status', 'environment', 'owner', 'criticality']);
    expect(facet(r, 'type')).toMatchObject({ virtual_machine: 24, application: 4, database: 2, saas: 1, business_service: 1, service: 1 });
    expect(facet(r, 'status')).toMatchObject({ operational: 23, maintenance: 1, retired: 1, '(none)': 8 });
  });

  it('narrows by the query and the other fields filters, but not by the field own filter', async () => {
    const r = await ok(svc, 'facets', { query: 'orders', filters: { type: ['database'] } });
    // type: all types that match "orders", so the user can switch type.
    expect(facet(r, 'type')).toEqual({ database: 2, virtual_machine: 1 });
    // other fields: only the databases matching "orders".
    expect(facet(r, 'status')).toEqual({ maintenance: 1, '(none)': 1 });
    expect(facet(r, 'owner')).toEqual({ 'team-dba': 2 });
  });

  it('returns at most `limit` values per field, most common first', async () => {
    const r = await ok(svc, 'facets', { limit: 2 });
    const types = r.facets.find((f) => f.field === 'type')!.values;
    expect(types.map((v) => v.value)).toEqual(['virtual_machine', 'application']);
  });
});
