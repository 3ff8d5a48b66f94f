/**
 * A CI's detail in pages: getCi returns at most relLimit relationships per
 * side and historyLimit history entries with exact totals, ciRelationships
 * and ciHistory page the rest (filters, boundaries, a hub past the sorted
 * size), and every statement they run searches an index.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SORTED_SIDE_MAX } from '../../electron/cmdb/ci-pages.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
const HUB_IN = SORTED_SIDE_MAX + 500;

/** A hub `dns` with HUB_IN dependents (two types) from an import, a few outgoing, and some recorded edits. */
async function hubService(): Promise<CmdbService> {
  const svc = freshService();
  const cis = ['id,name,type', 'dns,DNS primary,dns', 'ntp,NTP,server', 'log,Log sink,server'];
  const rels = ['source,target,type', 'dns,ntp,depends_on', 'dns,log,uses'];
  for (let i = 0; i < HUB_IN; i++) {
    const k = `app-${String(i).padStart(5, '0')}`;
    cis.push(`${k},Edge load balancer ${i},application`);
    rels.push(`${k},dns,${i % 3 === 0 ? 'uses' : 'depends_on'}`);
  }
  await ok(svc, 'importCsv', { cis: file('cis.csv', cis.join('\n')), relationships: file('rels.csv', rels.join('\n')) });
  await ok(svc, 'updateCi', { key: 'dns', fields: { owner: 'netops' } });
  await ok(svc, 'updateCi', { key: 'dns', fields: { status: 'operational' } });
  return svc;
}

let hub: CmdbService;
beforeAll(async () => {
  hub = await hubService();
}, 60_000);

describe('getCi on a hub: limits and totals', () => {
  it('returns at most relLimit per side and historyLimit entries, with exact totals', async () => {
    const d = await ok(hub, 'getCi', { key: 'dns', relLimit: 50, historyLimit: 20 });
    expect(d.incoming).toHaveLength(50);
    expect(d.incomingTotal).toBe(HUB_IN);
    expect(d.outgoing.map((r) => `${r.type} ${r.other.key}`)).toEqual(['depends_on ntp', 'uses log']);
    expect(d.outgoingTotal).toBe(2);
    expect(d.history).toHaveLength(20);
    // Two recorded updates, the CI's own create and one create per relationship (either end).
    expect(d.historyTotal).toBe(2 + 1 + HUB_IN + 2);
    // Newest first: the updates, then the imported rows.
    expect(d.history.slice(0, 2).map((h) => h.summary)).toEqual(['Changed status', 'Changed owner']);
  });

  it('defaults to 100 of each, and a limit of 0 still counts', async () => {
    const d = await ok(hub, 'getCi', { key: 'dns' });
    expect([d.incoming.length, d.history.length]).toEqual([100, 100]);
    const none = await ok(hub, 'getCi', { key: 'dns', relLimit: 0, historyLimit: 0 });
    expect([none.incoming.length, none.outgoing.length, none.history.length]).toEqual([0, 0, 0]);
    expect([none.incomingTotal, none.outgoingTotal, none.historyTotal]).toEqual([HUB_IN, 2, HUB_IN + 5]);
  });

  it('a small CI has totals equal to its lists', async () => {
    const d = await ok(hub, 'getCi', { key: 'app-00001' });
    expect(d.outgoing).toHaveLength(1);
    expect([d.outgoingTotal, d.incomingTotal, d.historyTotal]).toEqual([1, 0, d.history.length]);
    expect(d.history.map((h) => h.entity).sort()).toEqual(['ci', 'relationship']);
  });
});

describe('ciRelationships', () => {
  it('pages through every relationship of a side exactly once, the last page short', async () => {
    const seen = new Set<number>();
    let pages = 0;
    for (let offset = 0; ; offset += 700) {
      const p = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', offset, limit: 700 });
      expect(p.total).toBe(HUB_IN);
      for (const r of p.items) {
        expect(r.target).toBe('dns');
        expect(r.source).toBe(r.other.key);
        seen.add(r.id);
      }
      pages++;
      if (p.items.length < 700) {
        expect(p.items).toHaveLength(HUB_IN % 700);
        break;
      }
    }
    expect(pages).toBe(Math.ceil(HUB_IN / 700));
    expect(seen.size).toBe(HUB_IN);
    const past = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', offset: HUB_IN, limit: 10 });
    expect(past).toEqual({ items: [], total: HUB_IN });
  });

  it('filters by type and by the other end key or name, with the filtered total', async () => {
    const uses = Math.ceil(HUB_IN / 3);
    const t = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', type: 'uses', limit: 10 });
    expect(t.total).toBe(uses);
    expect(t.items.every((r) => r.type === 'uses')).toBe(true);
    const byName = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', query: 'BALANCER 12', limit: 1000 });
    // "Edge load balancer 12", 120-129, 1200-1299 (and 12000+ when the hub is that big).
    const expected = [...Array(HUB_IN).keys()].filter((i) => String(i).startsWith('12')).length;
    expect(byName.total).toBe(expected);
    expect(byName.items.map((r) => r.other.name).every((n) => /balancer 12/.test(n))).toBe(true);
    const byKey = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', query: 'app-00007', type: 'depends_on' });
    expect(byKey.items.map((r) => r.other.key)).toEqual(['app-00007']);
    // LIKE wildcards in the query are literal.
    expect((await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', query: '%' })).total).toBe(0);
    expect((await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', query: 'app_0' })).total).toBe(0);
  });

  it('orders a small side by type then name', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nx,X,server\nb,Bravo,application\na,Alpha,application\nc,Charlie,application\n'),
      relationships: file('r.csv', 'source,target,type\nb,x,uses\na,x,depends_on\nc,x,depends_on\n'),
    });
    const p = await ok(svc, 'ciRelationships', { key: 'x', side: 'incoming' });
    expect(p.items.map((r) => `${r.type} ${r.other.name}`)).toEqual(['depends_on Alpha', 'depends_on Charlie', 'uses Bravo']);
  });

  it('names an unknown CI', async () => {
    const e = await fails(hub, 'ciRelationships', { key: 'nope', side: 'outgoing' });
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('nope');
  });
});

describe('ciHistory', () => {
  it('pages the whole history newest first, each entry once, matching getCi’s first page', async () => {
    const first = await ok(hub, 'getCi', { key: 'dns', historyLimit: 100 });
    const p0 = await ok(hub, 'ciHistory', { key: 'dns', offset: 0, limit: 100 });
    expect(p0.items).toEqual(first.history);
    const ids = new Set<number>();
    let at = '\uffff';
    for (let offset = 0; offset < first.historyTotal + 100; offset += 400) {
      const p = await ok(hub, 'ciHistory', { key: 'dns', offset, limit: 400 });
      expect(p.total).toBe(first.historyTotal);
      for (const h of p.items) {
        expect(h.at <= at).toBe(true);
        at = h.at;
        ids.add(h.id);
      }
    }
    expect(ids.size).toBe(first.historyTotal);
  });

  it('shows the other end’s relationship entries and a recorded relationship delete', async () => {
    const rel = (await ok(hub, 'ciRelationships', { key: 'dns', side: 'outgoing', query: 'log' })).items[0]!;
    await ok(hub, 'deleteRelationship', { id: rel.id });
    const log = await ok(hub, 'ciHistory', { key: 'log', limit: 10 });
    expect(log.items[0]).toMatchObject({ entity: 'relationship', action: 'delete' });
    // Log sink: its create, the relationship's create (gone with it) and the delete.
    expect(log.total).toBe(2);
    expect(log.items.map((h) => h.action)).toEqual(['delete', 'create']);
  });
});

describe('query plans of the detail pages', () => {
  it('every statement getCi, ciRelationships and ciHistory run on the hub searches an index', async () => {
    const db = hub.db;
    const seen: Array<{ sql: string; args: unknown[] }> = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const s = prepare(sql);
      for (const m of ['get', 'all'] as const) {
        const f = s[m].bind(s) as (...a: unknown[]) => unknown;
        (s as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
          seen.push({ sql, args });
          return f(...args);
        };
      }
      return s;
    }) as typeof db.prepare;
    try {
      const fresh = new (await import('../../electron/cmdb/store.js')).Store(db);
      const row = fresh.requireCi('dns');
      fresh.getCi('dns', 100, 100);
      fresh.relationships.page(row, { side: 'incoming', type: 'uses', query: 'balancer', offset: 300, limit: 50 });
      fresh.relationships.page(row, { side: 'outgoing', type: 'uses', offset: 0, limit: 1 });
      fresh.history.page(row, 300, 50);
    } finally {
      db.prepare = prepare;
    }
    expect(seen.length).toBeGreaterThan(8);
    for (const { sql, args } of seen) {
      const lines = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail);
      expect(
        lines.filter((l) => /^SCAN (cis|relationships|history|[a-z])\b/.test(l)),
        `${sql}\n${lines.join(' | ')}`,
      ).toEqual([]);
    }
  });
});

describe('ciRelationships types', () => {
  it('lists the side’s types with counts on the first page only', async () => {
    const first = await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', type: 'uses', limit: 5 });
    const uses = Math.ceil(HUB_IN / 3);
    expect(first.types).toEqual([
      { type: 'depends_on', count: HUB_IN - uses },
      { type: 'uses', count: uses },
    ]);
    expect((await ok(hub, 'ciRelationships', { key: 'dns', side: 'incoming', offset: 5, limit: 5 })).types).toBeUndefined();
  });
});
