import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { riskIndex } from '../../shared/risk.js';
import { nodeRisk } from '../../electron/cmdb/impact/rollups.js';
import { criticalityRank } from '../../shared/vocab.js';
import { downstreamImpact, pathOf } from '../../electron/cmdb/impact/engine.js';
import { GraphIndex, packedQueries } from '../../electron/cmdb/impact/graph-index.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { api } from '../../shared/api.js';
import { RISK_LEVELS, type ImpactResult, type PathStep } from '../../shared/impact.js';
import { notRunningSinceText, otherChangeText, sinceSavedText } from '../../shared/explain.js';
import { makeCmdb } from './impact-reference.js';
import { PROPAGATING_STRENGTHS, propagates } from '../../shared/domain.js';
import { REL_TYPE_SEEDS } from '../../electron/cmdb/types-registry.js';
import { cmdb, demoCsv, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';

async function demoService(path = ':memory:'): Promise<CmdbService> {
  const svc = freshService(path);
  await ok(svc, 'importCsv', demoCsv());
  return svc;
}

const stateOf = (r: ImpactResult, key: string) => r.impacted.find((i) => i.key === key)?.state;

describe('impact on the demo CMDB', () => {
  it('the orders database going down: the order service and checkout go down, the read replicas only degrade', async () => {
    const svc = await demoService();
    const r = await ok(svc, 'impact', { keys: ['db-orders-primary'] });
    expect(stateOf(r, 'db-orders-primary')).toBe('changed');
    expect(stateOf(r, 'app-order-service')).toBe('down');
    expect(stateOf(r, 'bs-checkout')).toBe('down');
    expect(stateOf(r, 'db-orders-replica-01')).toBe('degraded');
    const checkout = r.impacted.find((i) => i.key === 'bs-checkout')!;
    expect(checkout.path.map((s) => s.key)).toEqual(['db-orders-primary', 'app-order-service', 'app-checkout-api', 'bs-checkout']);
    expect(checkout.path.map((s) => s.rel)).toEqual([null, 'depends_on', 'depends_on', 'depends_on']);
    expect(r.risk.level).toBe('critical');
    expect(r.businessServices.map((b) => b.key)).toContain('bs-checkout');
    expect(r.owners.find((o) => o.owner === 'team-checkout')!.down).toBeGreaterThan(0);
    // Changed, down (because of the change) and degraded are apart and add up.
    expect(r.counts.changed).toBe(1);
    expect(r.counts.total).toBe(r.counts.changed + r.counts.down + r.counts.degraded);
    expect(r.counts.down).toBe(r.impacted.filter((i) => i.state === 'down' && !i.changed).length);
    expect(r.counts.byType.reduce((n, t) => n + t.changed + t.down + t.degraded, 0)).toBe(r.counts.total);
    // The most severe first: the changed CI, then down before degraded.
    expect(r.impacted[0]!.changed).toBe(true);
    const firstDegraded = r.impacted.findIndex((i) => i.state === 'degraded');
    expect(r.impacted.slice(firstDegraded).every((i) => i.state === 'degraded')).toBe(true);
  });

  it('answers match the response schemas of the contract', async () => {
    const svc = await demoService();
    api.impact.response.parse(await ok(svc, 'impact', { keys: ['db-orders-primary'] }));
    api.impact.response.parse(await ok(svc, 'impact', { keys: ['bs-checkout'], direction: 'upstream', depth: 2 }));
    const saved = await ok(svc, 'saveChange', { ref: 'C1', title: 'T', keys: ['lb-edge-prod-01'] });
    api.saveChange.response.parse(saved);
    api.listChanges.response.parse(await ok(svc, 'listChanges', {}));
    api.getChange.response.parse(await ok(svc, 'getChange', { id: saved.change.id }));
    api.exportChange.response.parse(await ok(svc, 'exportChange', { id: saved.change.id, format: 'csv' }));
  });

  it('limit cuts the list, never the counts', async () => {
    const svc = await demoService();
    const all = await ok(svc, 'impact', { keys: ['db-orders-primary'], limit: 1000 });
    const few = await ok(svc, 'impact', { keys: ['db-orders-primary'], limit: 3 });
    expect(few.impacted).toHaveLength(3);
    expect(few.truncated).toBe(true);
    expect(few.counts).toEqual(all.counts);
    expect(few.impacted.map((i) => i.key)).toEqual(all.impacted.slice(0, 3).map((i) => i.key));
  });

  it('both relationship readers and a sparse id numbering build the same graph', async () => {
    const svc = await demoService();
    // Make the ids sparse: a CI with a far larger id.
    svc.db
      .prepare("INSERT INTO cis(id, key, type, name, created_at, updated_at) VALUES (5000000, 'far-away', 'application', 'Far', 'x', 'x')")
      .run();
    svc.db
      .prepare(
        "INSERT INTO relationships(source_id, target_id, type, created_at, updated_at) VALUES (5000000, (SELECT id FROM cis WHERE key = 'app-order-service'), 'depends_on', 'x', 'x')",
      )
      .run();
    const packed = GraphIndex.build(svc.db);
    const rows = GraphIndex.build(svc.db, { forceRowReader: true });
    const sparse = GraphIndex.build(svc.db, { denseFactor: 0 });
    expect(packed.reader).toBe('packed');
    expect(rows.reader).toBe('rows');
    expect(sparse.nodeCount).toBe(534);
    const keyOf = new Map((svc.db.prepare('SELECT id, key FROM cis').raw().all() as Array<[number, string]>).map(([id, k]) => [id, k]));
    const answer = (ix: GraphIndex, key: string) => {
      const id = (svc.db.prepare('SELECT id FROM cis WHERE key = ?').get(key) as { id: number }).id;
      const run = downstreamImpact(ix, [ix.nodeOf(id)], { mask: ix.typeMask() });
      const out: string[] = [];
      for (let i = 0; i < run.count; i++) {
        const v = run.order[i]!;
        out.push(`${keyOf.get(ix.ciIdOf(v))}:${run.state[v]}:${run.depth[v]}:${pathOf(run, v).nodes.length}`);
      }
      return out.sort();
    };
    for (const key of ['db-orders-primary', 'vm-db-orders-01', 'app-order-service', 'lb-edge-prod-01']) {
      const want = answer(rows, key);
      expect(answer(packed, key)).toEqual(want);
      expect(answer(sparse, key)).toEqual(want);
    }
    expect(answer(packed, 'app-order-service').some((s) => s.startsWith('far-away:2:1'))).toBe(true);
    // Node numbers and CI ids map both ways, whatever the numbering.
    for (const ix of [packed, rows, sparse]) {
      for (const id of keyOf.keys()) expect(ix.ciIdOf(ix.nodeOf(id))).toBe(id);
      expect(ix.nodeOf(4_999_999)).toBe(-1);
      expect(ix.nodeOf(-3)).toBe(-1);
    }
  });
});

describe('a question naming too many CIs', () => {
  it('impact, saveChange and resolveCis say the limit and to split the change', async () => {
    const svc = freshService();
    const keys = Array.from({ length: 10_001 }, (_, i) => `ci-${i}`);
    const advice = 'at most 10,000 CIs in one question: split the change into several of at most 10,000 CIs each';
    expect((await fails(svc, 'impact', { keys })).message).toContain(advice);
    expect((await fails(svc, 'saveChange', { ref: 'C1', title: 't', keys })).message).toContain(advice);
    expect((await fails(svc, 'resolveCis', { refs: keys })).message).toContain(advice);
    expect((await fails(svc, 'impact', { keys: [] })).message).toContain('name at least one CI');
  });

  it('a change without a reference or title, or with too long a window, says what to give', async () => {
    const svc = freshService();
    const change = { ref: 'CHG1', title: 'Patch', keys: ['x'] };
    expect((await fails(svc, 'saveChange', { ...change, ref: '  ' })).message).toContain('give the change reference, e.g. CHG0012345');
    expect((await fails(svc, 'saveChange', { ...change, title: '' })).message).toContain('give a title: what the change is');
    expect((await fails(svc, 'saveChange', { ...change, window: 'x'.repeat(201) })).message).toContain(
      'a planned window is at most 200 characters',
    );
  });
});

describe('the packed reader', () => {
  it('reads labels with separators, non-ASCII text and min_up, across many id ranges, as the row reader does', () => {
    const svc = makeCmdb([], []);
    try {
      const now = 'x';
      const insCi = svc.db.prepare("INSERT INTO cis(id, key, type, name, created_at, updated_at) VALUES (?, ?, 'server', ?, ?, ?)");
      const insRel = svc.db.prepare(
        'INSERT OR IGNORE INTO relationships(source_id, target_id, type, redundancy_group, min_up, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const labels = ['a,b', 'a;b', 'ünïcode ✓', 'a', 'A', '', '12,0;', 'pair', 'x\\;y', 'x\\', 'x;', 'x\\\\;'];
      const types = ['depends_on', 'runs_on', 'member_of', 'uses', 'connects_to'];
      // Ids spread over several of the reader's ranges (8192 ids each), some ranges empty.
      const ids: number[] = [];
      for (let i = 0; i < 300; i++) ids.push(1 + i * 97);
      svc.db.transaction(() => {
        for (const id of ids) insCi.run(id, `ci-${id}`, `CI ${id}`, now, now);
        let r = 7;
        const next = () => (r = (r * 1103515245 + 12345) % 2147483648);
        for (let i = 0; i < 1500; i++) {
          const s = ids[next() % ids.length]!;
          const t = ids[next() % ids.length]!;
          if (s === t) continue;
          const grouped = next() % 3 === 0;
          const label = grouped ? labels[next() % labels.length]! : null;
          const minUp = grouped && next() % 2 === 0 ? 1 + (next() % 3) : null;
          insRel.run(s, t, types[next() % types.length], label, minUp, now, now);
        }
      })();
      const packed = GraphIndex.build(svc.db);
      const rows = GraphIndex.build(svc.db, { forceRowReader: true });
      expect(packed.reader).toBe('packed');
      const describe = (ix: GraphIndex) => {
        // Per relationship: its ends, type, min_up, and which of its dependent's other relationships share its group.
        const out: string[] = [];
        for (let e = 0; e < ix.edgeCount; e++) {
          const mates: string[] = [];
          for (let f = 0; f < ix.edgeCount; f++) {
            if (f !== e && ix.edgeGroup[e]! >= 0 && ix.edgeGroup[f] === ix.edgeGroup[e]) mates.push(`${ix.ciIdOf(ix.edgeDependency[f]!)}`);
          }
          out.push(
            `${ix.ciIdOf(ix.edgeDependent[e]!)}>${ix.ciIdOf(ix.edgeDependency[e]!)}:${ix.relTypes[ix.edgeType[e]!]!.name}:` +
              `${ix.edgeMinUp[e]}:${ix.edgeGroup[e]! >= 0 ? 'g' : '-'}:${mates.sort().join('|')}`,
          );
        }
        return out.sort();
      };
      const got = describe(packed);
      expect(got).toEqual(describe(rows));
      expect(got.filter((x) => x.includes(':g:')).length).toBeGreaterThan(100);
      expect(packed.edgeCount).toBe(svc.db.prepare('SELECT count(*) FROM relationships').pluck().get() as number);
    } finally {
      svc.close();
    }
  });
});

describe('query plans of the index build', () => {
  it('reads each range of relationships from the covering index, and the grouped ones from their partial index, without sorting', () => {
    const svc = freshService();
    const { all, grouped } = packedQueries(21, 5);
    const plan = (sql: string) =>
      (svc.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 8192) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan(all)).toMatch(/SEARCH r USING COVERING INDEX sqlite_autoindex_relationships_1 \(source_id>\? AND source_id<\?\)/);
    expect(plan(grouped)).toMatch(/SEARCH r USING COVERING INDEX relationships_grouped \(source_id>\? AND source_id<\?\)/);
    for (const sql of [all, grouped]) {
      expect(plan(sql)).toMatch(/SEARCH t USING COVERING INDEX sqlite_autoindex_rel_types_1/);
      expect(plan(sql)).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe('the index follows the data', () => {
  it('takes over an index already built on its connection from the same data, never a stale one', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB' } });
    await ok(svc, 'createCi', { key: 'app', fields: { type: 'application', name: 'App' } });
    const holder = svc.impacts.indexHolder;
    const built = GraphIndex.build(svc.db);
    expect(holder.get()).toBe(built);
    expect(holder.builds).toBe(0);
    // Built, then the data changed: not taken, the holder builds its own.
    const before = GraphIndex.build(svc.db);
    await ok(svc, 'createRelationship', { source: 'app', target: 'db', type: 'depends_on' });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'app')).toBe('down');
    expect(holder.get()).not.toBe(before);
    // The edit is patched into the index taken over (index-patch.ts), not rebuilt.
    expect([holder.builds, holder.patches]).toEqual([0, 1]);
    // Built before markChanged: not taken either, and markChanged rebuilds.
    const early = GraphIndex.build(svc.db);
    holder.markChanged();
    expect(holder.get()).not.toBe(early);
    expect([holder.builds, holder.patches]).toEqual([1, 1]);
    svc.close();
  });

  it('after relationship edits, CI edits and imports through the service', async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB', criticality: 'high' } });
    await ok(svc, 'createCi', { key: 'app', fields: { type: 'application', name: 'App' } });
    const holder = svc.impacts.indexHolder;
    expect((await ok(svc, 'impact', { keys: ['db'] })).counts.total).toBe(1);
    const builds = holder.builds;
    await ok(svc, 'impact', { keys: ['db'] });
    expect(holder.builds).toBe(builds); // no change, no rebuild

    const rel = await ok(svc, 'createRelationship', { source: 'app', target: 'db', type: 'depends_on' });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'app')).toBe('down');

    await ok(svc, 'updateCi', { key: 'app', fields: { owner: 'team-app', criticality: 'critical' } });
    const r = await ok(svc, 'impact', { keys: ['db'] });
    expect(r.owners.map((o) => o.owner)).toContain('team-app');
    expect(r.risk.level).toBe('critical');

    await ok(svc, 'deleteRelationship', { id: rel.id });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'app')).toBeUndefined();

    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\nweb,Web,application\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\nweb,db,uses\n' },
    });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'web')).toBe('degraded');

    await ok(svc, 'deleteCi', { key: 'web' });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'web')).toBeUndefined();

    // An import undone: its relationships leave the answer.
    const imported = await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\napi,API,application\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\napi,db,depends_on\n' },
    });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'api')).toBe('down');
    await ok(svc, 'undoImport', { id: imported.importId! });
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'api')).toBeUndefined();
  });

  it('after a commit by another connection (an import worker, another process)', async () => {
    const dir = tempDir();
    const path = join(dir, 'cmdb.db');
    const svc = freshService(path);
    await ok(svc, 'createCi', { key: 'db', fields: { type: 'database', name: 'DB' } });
    await ok(svc, 'createCi', { key: 'app', fields: { type: 'application', name: 'App' } });
    expect((await ok(svc, 'impact', { keys: ['db'] })).counts.total).toBe(1);
    const other = new Database(path);
    other
      .prepare(
        `INSERT INTO relationships(source_id, target_id, type, created_at, updated_at)
         VALUES ((SELECT id FROM cis WHERE key = 'app'), (SELECT id FROM cis WHERE key = 'db'), 'runs_on', 'x', 'x')`,
      )
      .run();
    other.close();
    expect(stateOf(await ok(svc, 'impact', { keys: ['db'] }), 'app')).toBe('down');
  });

  it('saving a change assessment does not make the index stale', async () => {
    const svc = await demoService();
    await ok(svc, 'impact', { keys: ['db-orders-primary'] });
    const builds = svc.impacts.indexHolder.builds;
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Patch', keys: ['db-orders-primary'] });
    await ok(svc, 'impact', { keys: ['db-orders-primary'] });
    expect(svc.impacts.indexHolder.builds).toBe(builds);
  });
});

describe('risk', () => {
  const riskOf = (state: 'down' | 'degraded', criticality: string | null) =>
    RISK_LEVELS[riskIndex(state === 'down', criticalityRank(criticality))];
  it('follows the documented rule', () => {
    expect(riskOf('down', 'critical')).toBe('critical');
    expect(riskOf('degraded', 'critical')).toBe('high');
    expect(riskOf('down', 'high')).toBe('high');
    expect(riskOf('degraded', 'high')).toBe('medium');
    expect(riskOf('down', 'medium')).toBe('medium');
    expect(riskOf('degraded', 'medium')).toBe('low');
    expect(riskOf('down', 'low')).toBe('low');
    expect(riskOf('down', null)).toBe('low');
    expect(riskOf('degraded', 'whatever')).toBe('low');
    expect(criticalityRank(' Critical ')).toBe(4);
  });

  it("the engine's one rule for a CI's risk counts a changed CI, down at depth 0, as degraded", () => {
    const svc = makeCmdb(['db', 'app'], [['app', 'db', 'depends_on']]);
    try {
      const ix = GraphIndex.build(svc.db);
      const run = downstreamImpact(ix, [ix.nodeOf(svc.db.prepare("SELECT id FROM cis WHERE key = 'db'").pluck().get() as number)], {
        mask: ix.typeMask(),
      });
      const node = (key: string) => ix.nodeOf(svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key) as number);
      const critical = criticalityRank('critical');
      expect(RISK_LEVELS[nodeRisk(run, node('db'), critical)]).toBe('high');
      expect(RISK_LEVELS[nodeRisk(run, node('app'), critical)]).toBe('critical');
    } finally {
      svc.close();
    }
  });

  it('counts the changed CIs as degraded: one of two redundant load balancers in front of checkout is high, not critical', async () => {
    const svc = await demoService();
    const r = await ok(svc, 'impact', { keys: ['lb-edge-prod-01'] });
    expect(stateOf(r, 'bs-checkout')).toBe('degraded');
    expect(r.risk.level).toBe('high');
    expect(r.risk.reasons.join('\n')).toContain('bs-checkout');
    const both = await ok(svc, 'impact', { keys: ['lb-edge-prod-01', 'lb-edge-prod-02'] });
    expect(stateOf(both, 'bs-checkout')).toBe('down');
    expect(both.risk.level).toBe('critical');
  });
});

describe("each step of a path has its CI's state (found by a CAB chair)", () => {
  it('also for a step whose CI is not among those listed, as the whole answer has it', async () => {
    const svc = freshService(':memory:');
    // A critical service on a low hypervisor and VM: listed first, before the CIs on its path.
    await ok(svc, 'importCsv', {
      cis: {
        name: 'cis.csv',
        content:
          'id,name,type,criticality\nsan,SAN,storage,low\nhv,HV,server,low\nvm,VM,server,low\npay,Payments,business_service,critical\n',
      },
      relationships: { name: 'rels.csv', content: 'source,target,type\nhv,san,runs_on\nvm,hv,runs_on\npay,vm,depends_on\n' },
    });
    const few = await ok(svc, 'impact', { keys: ['san'], limit: 2 });
    expect(few.impacted.map((i) => i.key)).toEqual(['san', 'pay']);
    expect(few.impacted[1]!.path.map((s) => [s.key, s.state])).toEqual([
      ['san', 'changed'],
      ['hv', 'down'],
      ['vm', 'down'],
      ['pay', 'down'],
    ]);
  });
});

describe('a business service the change changes (found by a change manager)', () => {
  it('reads as changed in the business services too, as in the list and the risk, on the terminal and in the report', async () => {
    const svc = await demoService();
    const r = await ok(svc, 'impact', { keys: ['bs-checkout'] });
    expect(r.businessServices.map((b) => [b.key, b.state])).toEqual([['bs-checkout', 'changed']]);
    expect(stateOf(r, 'bs-checkout')).toBe('changed');
    const md = (await ok(svc, 'exportImpact', { request: { keys: ['bs-checkout'] }, format: 'markdown' })).content;
    const services = md.slice(md.indexOf('## Business services'));
    expect(services.split('\n').find((l) => l.includes('bs-checkout'))).toContain('| changed |');
  });

  it("a report gives each business service's path, even when the CIs it lists stop before the service (found by a change manager)", async () => {
    const svc = freshService(':memory:');
    // 2,100 VMs on one array, and a service on the last of them: two hops away, after every VM in the list's order.
    const vms = Array.from({ length: 2100 }, (_, i) => `vm-${String(i).padStart(4, '0')}`);
    const cis = ['id,name,type', 'san,SAN,storage', 'bs-pay,Payments,business_service', ...vms.map((k) => `${k},${k},server`)];
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: `${cis.join('\n')}\n` },
      relationships: {
        name: 'rels.csv',
        content: `source,target,type\n${vms.map((k) => `${k},san,runs_on`).join('\n')}\nbs-pay,vm-2099,depends_on\n`,
      },
    });
    const md = (await ok(svc, 'exportImpact', { request: { keys: ['san'] }, format: 'markdown' })).content;
    // The changed array, 2,100 VMs and the service: 2,102, of which 2,000 listed.
    expect(md).toContain('102 more impacted CIs are not listed here');
    // Counts of thousands read with their separators, as everywhere else ("98864 down" beside "5,303 more").
    expect(md).toContain('## Impacted CIs (2,102)');
    expect(md).toContain('1 changed, 2,101 down, 0 degraded');
    const impactedList = md.slice(md.indexOf('## Impacted CIs'));
    expect(impactedList).not.toContain('bs-pay');
    const services = md.slice(md.indexOf('## Business services'), md.indexOf('## By owner'));
    expect(services).toContain('| Service | Key | State | Owner | Criticality | Path |');
    expect(services.split('\n').find((l) => l.includes('bs-pay'))).toMatch(/SAN .*vm-2099.*Payments/);
  });
});

describe('upstream answers speak of dependencies (found by a tester)', () => {
  it("in the report's tables, its CSV and the terminal's roll-ups: no down, degraded or changed", async () => {
    const svc = await demoService();
    const q = { request: { keys: ['bs-checkout'], direction: 'upstream' as const, limit: 1000 } };
    const md = (await ok(svc, 'exportImpact', { ...q, format: 'markdown' })).content;
    expect(md).toContain('| Type | Single points of failure | Other dependencies |');
    expect(md).not.toMatch(/\| Changed \| Down \| Degraded \|/);
    const csv = (await ok(svc, 'exportImpact', { ...q, format: 'csv' })).content.trim().split('\r\n');
    const states = new Set(csv.slice(1).map((l) => l.split(',')[5]));
    expect([...states].sort()).toEqual(['dependency', 'single point of failure']);
    const down = (
      await ok(svc, 'exportImpact', { request: { keys: ['db-orders-primary'], direction: 'downstream', limit: 1000 }, format: 'markdown' })
    ).content;
    expect(down).toContain('| Type | Changed | Down | Degraded |');
  });
});

describe('change assessments', () => {
  it('name the other saved changes on the same CIs, with their windows, both ways; not themselves, not unrelated ones (found by a change manager)', async () => {
    const svc = await demoService();
    await ok(svc, 'saveChange', { ref: 'CHG-DB', title: 'Orders DB patch', window: 'Tue 01:00-04:00', keys: ['db-orders-primary'] });
    // The order service, which the database's change takes down, changed in another change.
    const app = await ok(svc, 'saveChange', {
      ref: 'CHG-APP',
      title: 'Order service release',
      window: 'Tue 02:00-03:00',
      keys: ['app-order-service'],
    });
    api.saveChange.response.parse(app);
    expect(app.others).toEqual([
      {
        id: 1,
        ref: 'CHG-DB',
        title: 'Orders DB patch',
        window: 'Tue 01:00-04:00',
        changes: [],
        changesCount: 0,
        impacts: ['app-order-service'],
        impactsCount: 1,
      },
    ]);
    const db = await ok(svc, 'getChange', { ref: 'CHG-DB', limit: 0 });
    api.getChange.response.parse(db);
    expect(db.others).toEqual([
      {
        id: 2,
        ref: 'CHG-APP',
        title: 'Order service release',
        window: 'Tue 02:00-03:00',
        changes: ['app-order-service'],
        changesCount: 1,
        impacts: [],
        impactsCount: 0,
      },
    ]);
    expect(otherChangeText(db.others![0]!)).toBe(
      'CHG-APP "Order service release" (window Tue 02:00-03:00): it changes app-order-service, which this change changes or impacts',
    );
    // A second change on the same database: said once, as a CI both change (found by a reviewer: it was said twice).
    const twice = await ok(svc, 'saveChange', { ref: 'CHG-DB2', title: 'Orders DB failover', keys: ['db-orders-primary'] });
    expect(twice.others?.map((o) => [o.ref, o.changes, o.impacts])).toEqual([
      ['CHG-APP', ['app-order-service'], []],
      ['CHG-DB', ['db-orders-primary'], []],
    ]);
    await ok(svc, 'deleteChange', { id: twice.change.id });
    // A change on CIs neither touches has none; the report names them under their heading, by name.
    const alone = await ok(svc, 'saveChange', { ref: 'CHG-ACC', title: 'Accounts', keys: ['db-accounts-primary'] });
    expect(alone.others).toBeUndefined();
    const report = await ok(svc, 'exportChange', { ref: 'CHG-DB', format: 'markdown' });
    expect(report.content).toContain('Other saved changes on the same CIs (compare their windows)');
    expect(report.content).toContain(
      'CHG-APP "Order service release" (window Tue 02:00-03:00): it changes Order Service, which this change changes or impacts',
    );
  });

  it('a change of more than 20 CIs: every changed CI another change takes down is found and counted (found by a change manager)', async () => {
    const svc = freshService(':memory:');
    // 30 VMs on one storage array, and 20 cloud CIs that depend on nothing, listed first.
    const vms = Array.from({ length: 30 }, (_, i) => `vm-${String(i).padStart(2, '0')}`);
    const cloud = Array.from({ length: 20 }, (_, i) => `cloud-${String(i).padStart(2, '0')}`);
    const cis = ['id,name,type', 'san,SAN,storage', ...vms.map((k) => `${k},${k},server`), ...cloud.map((k) => `${k},${k},application`)];
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: `${cis.join('\n')}\n` },
      relationships: { name: 'rels.csv', content: `source,target,type\n${vms.map((k) => `${k},san,runs_on`).join('\n')}\n` },
    });
    await ok(svc, 'saveChange', { ref: 'CHG-SAN', title: 'Storage firmware', keys: ['san'] });
    // The 21st changed CI and the ones after it used to go unasked (the check stopped at 20).
    const big = await ok(svc, 'saveChange', { ref: 'CHG-PATCH', title: 'Patching', keys: [...cloud, ...vms] });
    expect(big.others?.map((o) => [o.ref, o.impactsCount, o.impacts.length > 0 ? o.impacts[0] : null])).toEqual([['CHG-SAN', 30, 'vm-00']]);
    const san = await ok(svc, 'getChange', { ref: 'CHG-SAN', limit: 0 });
    expect(san.others?.map((o) => [o.ref, o.changesCount, o.impactsCount])).toEqual([['CHG-PATCH', 30, 0]]);
  });

  it('saved before changed CIs were counted apart: still open, with the changed CIs moved out of down exactly', async () => {
    const svc = await demoService();
    const saved = await ok(svc, 'saveChange', { ref: 'OLD1', title: 'Old', keys: ['db-orders-primary'] });
    const now = saved.result;
    // The summary as it was saved before: no `changed` counts, no roll-ups, notify or graphs; down counted the changed CI.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped old summary, built by hand
    const old = JSON.parse(JSON.stringify({ ...now, impacted: undefined })) as Record<string, any>;
    const strip = (r: Record<string, unknown>) => {
      const { changed, ...rest } = r;
      return { ...rest, down: (r.down as number) + (changed as number) };
    };
    old.counts = { ...strip(old.counts), byType: old.counts.byType.map(strip), byCriticality: old.counts.byCriticality.map(strip) };
    delete old.counts.byEnvironment;
    delete old.counts.byAttribute;
    old.owners = old.owners.map(strip);
    for (const k of ['notify', 'singlePoints', 'groupGraphs']) delete old[k];
    delete old.risk.unknown;
    const db = now.changed[0]!;
    svc.db.prepare('UPDATE changes SET summary = ?, down = down + 1 WHERE ref = ?').run(JSON.stringify(old), 'OLD1');
    const detail = await ok(svc, 'getChange', { ref: 'OLD1' });
    expect(detail.saved.counts).toMatchObject({ changed: 1, down: now.counts.down, degraded: now.counts.degraded });
    expect(detail.saved.counts.byType.find((r) => r.type === db.type)).toMatchObject({ changed: 1 });
    expect(detail.saved.owners).toEqual(now.owners);
    expect(detail.saved.counts.byCriticality).toEqual(now.counts.byCriticality);
    expect(detail.change.down).toBe(now.counts.down);
    expect((await ok(svc, 'listChanges', {})).items[0]!.down).toBe(now.counts.down);
    svc.close();
  });

  it("editChange edits a saved change's title, window or description only, its assessment and its time kept (found by a tester)", async () => {
    const svc = await demoService();
    const saved = await ok(svc, 'saveChange', {
      ref: 'CHG-W',
      title: 'Patch',
      window: 'Tue 01:00',
      description: 'plan',
      keys: ['db-orders-primary'],
    });
    const row = () =>
      svc.db.prepare("SELECT title, planned_window, description, summary, impacted, updated_at FROM changes WHERE ref = 'CHG-W'").get();
    const before = row() as Record<string, string>;
    const edited = await ok(svc, 'editChange', { ref: 'chg-w', window: 'Wed 02:00' });
    api.editChange.response.parse(edited);
    expect(edited.change).toMatchObject({
      ref: 'CHG-W',
      title: 'Patch',
      window: 'Wed 02:00',
      description: 'plan',
      updatedAt: saved.change.updatedAt,
    });
    expect(row()).toEqual({ ...before, planned_window: 'Wed 02:00' });
    await ok(svc, 'editChange', { ref: 'CHG-W', title: 'Patch v2', description: null });
    expect(row()).toMatchObject({ title: 'Patch v2', planned_window: 'Wed 02:00', description: null, summary: before.summary });
    expect((await fails(svc, 'editChange', { ref: 'NOPE', window: 'x' })).code).toBe('NOT_FOUND');
    // Found by its reference alone, case aside, without an analysis: the CLI reads a change's saved fields so.
    expect((await ok(svc, 'listChanges', { ref: 'chg-w' })).items.map((c) => c.ref)).toEqual(['CHG-W']);
    expect(await ok(svc, 'listChanges', { ref: 'CHG' })).toEqual({ items: [], total: 0 });
  });

  it("a saved change's summary says what its CIs of unknown criticality could bring the risk to (found by a tester)", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type,criticality\ndb,DB,database,low\napp,App,application,\n' },
      relationships: { name: 'r.csv', content: 'source,target,type\napp,db,depends_on\n' },
    });
    const saved = await ok(svc, 'saveChange', { ref: 'CHG-U', title: 'DB', keys: ['db'] });
    expect([saved.change.risk, saved.change.riskUpTo]).toEqual(['low', 'critical']);
    const list = await ok(svc, 'listChanges', {});
    api.listChanges.response.parse(list);
    expect(list.items.map((c) => [c.ref, c.risk, c.riskUpTo])).toEqual([['CHG-U', 'low', 'critical']]);
  });

  it('reopened after a merge took its CI: the kept CI compared as the one saved, and the merge said (found by a tester)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type\nweb-03,Web server 03,server\nweb-04,Web server 04,server\napp,App,application\n' },
      relationships: { name: 'r.csv', content: 'source,target,type\napp,web-04,runs_on\n' },
    });
    await ok(svc, 'saveChange', { ref: 'CHG6001', title: 'web-04 rebuild', keys: ['web-04'] });
    await ok(svc, 'mergeCis', { keep: 'web-03', merge: 'web-04' });
    const d = await ok(svc, 'getChange', { ref: 'CHG6001', limit: 0 });
    api.getChange.response.parse(d);
    expect(d.change.keys).toEqual(['web-03']);
    expect([d.diff.added, d.diff.removed, d.diff.stateChanged, d.diff.changed]).toEqual([[], [], [], false]);
    expect(d.diff.merged).toEqual([{ from: 'web-04', to: 'web-03' }]);
    expect(sinceSavedText(d.diff)).toBe(
      'the same CIs are impacted, in the same states (risk low as before); merged since it was saved (compared as the CI kept): web-04 into web-03',
    );
    const md = (await ok(svc, 'exportChange', { ref: 'CHG6001', format: 'markdown' })).content;
    expect(md).toContain('- Merged since it was saved (compared as the CI kept): web-04 into web-03.');
  });

  it('a group with fewer members down than when saved may have more spares, not fewer (found by a tester)', () => {
    expect(notRunningSinceText({ notRunning: { from: 2, to: 1 } })).toBe(
      'redundancy group members already down by their status: 2 when saved, 1 now (a group may have more spares)',
    );
    expect(notRunningSinceText({ notRunning: { from: 1, to: 2 } })).toContain('(a group may have fewer spares left)');
  });

  it('reopened with the same CIs in the same states, say so exactly, and when a group has fewer spares (found by a change manager)', async () => {
    const svc = freshService();
    for (const key of ['esx-01', 'esx-02', 'esx-03', 'esx-04', 'cluster'])
      await ok(svc, 'createCi', { key, fields: { type: 'server', name: key, criticality: 'high' } });
    await ok(svc, 'updateCi', { key: 'esx-04', fields: { status: 'maintenance' } });
    for (const h of ['esx-01', 'esx-02', 'esx-03', 'esx-04'])
      await ok(svc, 'createRelationship', { source: 'cluster', target: h, type: 'depends_on', redundancyGroup: 'hosts' });
    await ok(svc, 'saveChange', { ref: 'CHG1006', title: 'Firmware ESX host 01', keys: ['esx-01'] });
    const same = await ok(svc, 'getChange', { ref: 'CHG1006' });
    expect(same.diff).toMatchObject({ changed: false, added: [], removed: [], stateChanged: [] });
    expect(same.diff.notRunning).toBeUndefined();
    expect(sinceSavedText(same.diff)).toBe('the same CIs are impacted, in the same states (risk medium as before)');
    // A member retired since: the cluster is degraded as before, on one host left instead of two.
    await ok(svc, 'updateCi', { key: 'esx-02', fields: { status: 'retired' } });
    const fewer = await ok(svc, 'getChange', { ref: 'CHG1006' });
    expect(fewer.diff).toMatchObject({ changed: false, added: [], stateChanged: [], notRunning: { from: 1, to: 2 } });
    expect(sinceSavedText(fewer.diff)).toBe(
      'the same CIs are impacted, in the same states (risk medium as before); redundancy group members already down by their status: 1 when saved, 2 now (a group may have fewer spares left)',
    );
    const md = (await ok(svc, 'exportChange', { ref: 'CHG1006', format: 'markdown' })).content;
    expect(md).toContain(
      '## Since it was saved\n\n- The same CIs are impacted, in the same states, with the same risk (medium).\n- Redundancy group members already down by their status: 1 when saved, 2 now (a group may have fewer spares left).\n',
    );
    svc.close();
  });

  it('a change\'s report right after it is saved is its saved answer: no re-evaluation said, no "Since it was saved" (found by a change manager)', async () => {
    const svc = await demoService();
    await ok(svc, 'saveChange', { ref: 'CHG-NEW', title: 'Orders DB patch', keys: ['db-orders-primary'] });
    const fresh = (await ok(svc, 'exportChange', { ref: 'CHG-NEW', format: 'markdown' })).content;
    expect(fresh).toMatch(/- \*\*Assessed:\*\* saved \S+ \(the CMDB has not changed since\)\n/);
    expect(fresh).not.toContain('re-evaluated');
    expect(fresh).not.toContain('## Since it was saved');
    // Once the CMDB changes, the report is re-evaluated and says what differs.
    await ok(svc, 'updateCi', { key: 'app-order-service', fields: { owner: 'team-orders-2' } });
    const later = (await ok(svc, 'exportChange', { ref: 'CHG-NEW', format: 'markdown' })).content;
    expect(later).toMatch(/- \*\*Assessed:\*\* saved \S+, re-evaluated \S+\n/);
    expect(later).toContain('## Since it was saved');
  });

  it('are saved, listed, reopened with what differs now, updated by reference, and deleted', async () => {
    const svc = await demoService();
    const saved = await ok(svc, 'saveChange', {
      ref: 'CHG0001',
      title: 'Upgrade the orders database',
      window: 'Sat 22:00-23:00',
      description: 'Minor version upgrade',
      keys: ['db-orders-primary'],
    });
    expect(saved.created).toBe(true);
    expect(saved.change.risk).toBe('critical');
    const list = await ok(svc, 'listChanges', {});
    expect(list.items.map((c) => c.ref)).toEqual(['CHG0001']);
    expect((await ok(svc, 'listChanges', { query: 'orders' })).total).toBe(1);
    expect((await ok(svc, 'listChanges', { query: 'nothing_like_this' })).total).toBe(0);

    const same = await ok(svc, 'getChange', { id: saved.change.id });
    expect(same.diff.changed).toBe(false);
    expect(same.saved.counts).toEqual(same.current.counts);

    // The CMDB changes: the order service no longer depends on the primary directly; a new app does.
    const rel = (await ok(svc, 'getCi', { key: 'app-order-service' })).outgoing.find((o) => o.other.key === 'db-orders-primary')!;
    await ok(svc, 'deleteRelationship', { id: rel.id });
    await ok(svc, 'createCi', { key: 'app-new', fields: { type: 'application', name: 'New app' } });
    await ok(svc, 'createRelationship', { source: 'app-new', target: 'db-orders-primary', type: 'depends_on' });
    const after = await ok(svc, 'getChange', { ref: 'CHG0001' });
    expect(after.diff.changed).toBe(true);
    expect(after.diff.added).toContainEqual({ key: 'app-new', state: 'down' });
    expect(after.diff.removed).toContainEqual({ key: 'app-order-service', state: 'down' });
    expect(after.change.down).toBe(saved.change.down); // the saved result stays as saved

    // Saving again under the same reference updates it.
    const again = await ok(svc, 'saveChange', { ref: 'CHG0001', title: 'Upgrade (rev 2)', keys: ['db-orders-primary'] });
    expect(again.created).toBe(false);
    expect(again.change.id).toBe(saved.change.id);
    expect((await ok(svc, 'getChange', { id: saved.change.id })).diff.changed).toBe(false);

    // A changed CI deleted from the CMDB is reported, not an error.
    await ok(svc, 'saveChange', { ref: 'CHG0002', title: 'Retire the new app', keys: ['app-new', 'db-orders-dr'] });
    await ok(svc, 'deleteCi', { key: 'app-new' });
    const gone = await ok(svc, 'getChange', { ref: 'CHG0002' });
    expect(gone.diff.missingKeys).toEqual(['app-new']);
    // Said once, as gone: not also as a CI no longer impacted.
    expect(gone.diff.removed.map((r) => r.key)).not.toContain('app-new');

    expect(await ok(svc, 'deleteChange', { id: saved.change.id })).toEqual({ deleted: true });
    expect((await fails(svc, 'getChange', { id: saved.change.id })).code).toBe('NOT_FOUND');
    expect((await fails(svc, 'deleteChange', { id: saved.change.id })).code).toBe('NOT_FOUND');
    expect((await fails(svc, 'saveChange', { ref: 'X', title: 'T', keys: ['no-such-ci'] })).code).toBe('NOT_FOUND');
  });

  it('export in every format; HTML is self-contained with every value escaped; CSV cannot run formulas', async () => {
    const svc = await demoService();
    await ok(svc, 'createCi', {
      key: 'app-<evil>',
      fields: { type: 'application', name: '<script>alert(1)</script>', owner: '=HYPERLINK("http://x")', criticality: 'high' },
    });
    await ok(svc, 'createRelationship', { source: 'app-<evil>', target: 'db-orders-primary', type: 'depends_on' });
    const { change } = await ok(svc, 'saveChange', {
      ref: 'CHG/42 <b>',
      title: 'Patch & "reboot"',
      description: '<img src=x onerror=alert(1)>',
      keys: ['db-orders-primary'],
    });

    const html = await ok(svc, 'exportChange', { id: change.id, format: 'html' });
    expect(html.mime).toMatch(/^text\/html/);
    expect(html.filename).toBe('change-CHG-42-b.html');
    expect(html.content).not.toContain('<script>');
    expect(html.content).not.toContain('<img');
    expect(html.content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.content).toContain('Patch &amp; &quot;reboot&quot;');
    expect(html.content).not.toMatch(/<[a-z][^>]*\s(src|href)\s*=|url\(|@import/i);
    expect(html.content).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.content).toContain('@media print');
    expect(html.content).toContain('RISK: CRITICAL');

    const md = await ok(svc, 'exportChange', { id: change.id, format: 'markdown' });
    expect(md.content).toContain('# Change CHG/42 \\<b>');
    expect(md.content).toContain('## Business services impacted');
    expect(md.content).toContain('Orders DB (primary) \\<-\\[depends\\_on\\]- Order Service');
    // A description's lines stay lines (a rollback plan's steps), as hard breaks, each line escaped.
    await ok(svc, 'saveChange', {
      ref: 'CHG-2',
      title: 'T',
      description: 'Step 1: drain\nRollback: *fail back*',
      keys: ['db-orders-primary'],
    });
    const steps = await ok(svc, 'exportChange', { ref: 'CHG-2', format: 'markdown' });
    expect(steps.content).toContain('Step 1: drain  \nRollback: \\*fail back\\*\n');
    // A line that would start a block after the hard break stays text (found by a change manager: "# ..." was a heading).
    await ok(svc, 'saveChange', {
      ref: 'CHG-3',
      title: 'T',
      description: 'Step 1: drain\n# not a heading\n> not a quote\n- not a list\n2. not a list\n===\n  ## indented',
      keys: ['db-orders-primary'],
    });
    const blocks = await ok(svc, 'exportChange', { ref: 'CHG-3', format: 'markdown' });
    expect(blocks.content).toContain(
      'Step 1: drain  \n\\# not a heading  \n\\> not a quote  \n\\- not a list  \n2\\. not a list  \n\\===  \n  \\## indented\n',
    );

    const csv = await ok(svc, 'exportChange', { id: change.id, format: 'csv' });
    const lines = csv.content.trim().split('\r\n');
    expect(lines[0]).toBe('key,name,type,owner,criticality,state,depth,changed,path,why,data_quality');
    const detail = await ok(svc, 'getChange', { id: change.id });
    expect(lines).toHaveLength(detail.current.counts.total + 1);
    const evil = lines.find((l) => l.startsWith('app-<evil>'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://x"")"`);
    // The changed CI's state reads `changed` as on the terminal and in Markdown, not `down` (found by a tester).
    expect(lines.find((l) => l.startsWith('db-orders-primary,'))).toMatch(/,critical,changed,0,true,db-orders-primary,,/);
    expect(md.content).toMatch(/\| changed \| db-orders-primary \|/);

    const json = await ok(svc, 'exportChange', { ref: 'CHG/42 <b>', format: 'json' });
    const parsed = JSON.parse(json.content) as { change: { ref: string }; current: ImpactResult; diff: { changed: boolean } };
    expect(parsed.change.ref).toBe('CHG/42 <b>');
    expect(parsed.current.counts.total).toBe(detail.current.counts.total);
    expect(parsed.diff.changed).toBe(false);
    expect(parsed.current.impacted.find((i) => i.key === 'db-orders-primary')).toMatchObject({ state: 'changed', changed: true });
    expect(new Set(parsed.current.impacted.filter((i) => !i.changed).map((i) => i.state))).toEqual(new Set(['down', 'degraded']));
  });
});

describe('cmdb impact and cmdb assess', () => {
  let db: string;
  beforeAll(() => {
    ensureCliBuilt();
    db = join(tempDir('cmdb-impact-cli-'), 'demo.db');
    const r = cmdb(['import', '--db', db, '--cis', 'assets/demo/cis.csv', '--relationships', 'assets/demo/relationships.csv']);
    expect(r.code, r.stderr).toBe(0);
  });

  it("--json gives the API's answer: every impacted CI with its state, depth and path of steps", async () => {
    const r = cmdb(['impact', '--db', db, 'db-orders-primary', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      impacted: Array<{ key: string; name: string; type: string; state: string; depth: number; path: PathStep[] }>;
      risk: { level: string };
    };
    const checkout = out.impacted.find((i) => i.key === 'bs-checkout')!;
    expect(checkout).toMatchObject({ state: 'down', depth: 3, type: 'business_service', name: 'Checkout' });
    expect(checkout.path.map((s) => s.key)).toEqual(['db-orders-primary', 'app-order-service', 'app-checkout-api', 'bs-checkout']);
    expect(checkout.path.slice(1).map((s) => s.rel)).toEqual(['depends_on', 'depends_on', 'depends_on']);
    for (const i of out.impacted) {
      expect(i.path[0]!.key).toBe('db-orders-primary');
      expect(i.path).toHaveLength(i.depth + 1);
    }
    expect(out.risk.level).toBe('critical');
    // The same object the service answers any door with, the time it took aside.
    const svc = freshService(db);
    const answer = await ok(svc, 'impact', { keys: ['db-orders-primary'], limit: 1_000_000 });
    expect({ ...out, durationMs: 0 }).toEqual({ ...answer, durationMs: 0 });
  });

  it('the readable summary, upstream, and the options', () => {
    const r = cmdb(['impact', '--db', db, 'db-orders-primary', '--limit', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Risk: CRITICAL');
    expect(r.stdout).toContain('Orders DB (primary) <-[depends_on]- Order Service');
    expect(r.stdout).toMatch(/5 of \d+ shown/);
    const up = cmdb(['impact', '--db', db, 'bs-checkout', '--direction', 'up', '--json', '--depth', '1']);
    expect(up.code, up.stderr).toBe(0);
    const upOut = JSON.parse(up.stdout) as { impacted: Array<{ key: string; depth: number }> };
    expect(upOut.impacted.map((i) => i.key)).toContain('app-checkout-api');
    expect(upOut.impacted.every((i) => i.depth === 1)).toBe(true);
    const typed = JSON.parse(cmdb(['impact', '--db', db, 'db-orders-primary', '--json', '--types', 'uses']).stdout) as {
      impacted: Array<{ key: string }>;
    };
    expect(typed.impacted.map((i) => i.key)).not.toContain('app-order-service');
    expect(cmdb(['impact', '--db', db, 'no-such-ci']).code).toBe(1);
    expect(cmdb(['impact', '--db', db, 'db-orders-primary', '--direction', 'sideways']).code).toBe(2);
  });

  it("--depth narrows the CIs listed only: the risk, the counts, the business services and --fail-on are the whole change's", () => {
    type Out = {
      risk: { level: string };
      counts: { total: number };
      businessServices: Array<{ key: string }>;
      impacted: Array<{ depth: number }>;
      truncated: boolean;
    };
    const full = JSON.parse(cmdb(['impact', '--db', db, 'db-orders-primary', '--json']).stdout) as Out;
    expect(full.risk.level).toBe('critical');
    for (const depth of ['0', '1', '2']) {
      const r = JSON.parse(cmdb(['impact', '--db', db, 'db-orders-primary', '--json', '--depth', depth]).stdout) as Out;
      expect(r.risk.level, depth).toBe('critical');
      expect(r.counts, depth).toEqual(full.counts);
      expect(
        r.businessServices.map((b) => b.key),
        depth,
      ).toEqual(full.businessServices.map((b) => b.key));
      expect(r.impacted.every((i) => i.depth <= Number(depth))).toBe(true);
      expect(r.truncated).toBe(false);
    }
    const gate = cmdb(['impact', '--db', db, 'db-orders-primary', '--depth', '0', '--fail-on', 'critical']);
    expect(gate.code, gate.stdout).toBe(3);
    const whole = "The risk, the counts, the business services and the teams to notify are the whole change's.";
    expect(gate.stdout).toContain(`Listed: the CIs within 0 hops (--depth). ${whole}`);
    expect(cmdb(['impact', '--db', db, 'db-orders-primary', '--depth', '1', '--limit', '2']).stdout).toContain(
      `2 of the CIs within 1 hop shown, the most severe first (--limit N for more). ${whole}`,
    );
  });

  it('upstream, --depth narrows the dependencies listed only: the counts and single points of failure are of every dependency, and it says so (found by a tester)', () => {
    type Out = { counts: unknown; singlePoints: Array<{ key: string }>; impacted: Array<{ depth: number }>; depthLimit: number | null };
    const ask = (...more: string[]) =>
      JSON.parse(cmdb(['impact', '--db', db, 'mq-kafka-prod', 'app-checkout-api', '--direction', 'up', '--json', ...more]).stdout) as Out;
    const full = ask();
    const near = ask('--depth', '1');
    expect(near.depthLimit).toBe(1);
    expect(near.counts).toEqual(full.counts);
    expect(near.singlePoints).toEqual(full.singlePoints);
    expect(near.impacted.length).toBeGreaterThan(0);
    expect(near.impacted.every((i) => i.depth === 1)).toBe(true);
    const text = cmdb(['impact', '--db', db, 'mq-kafka-prod', '--direction', 'up', '--depth', '1']).stdout;
    expect(text).toContain(
      'Listed: the CIs within 1 hop (--depth). The counts and the single points of failure are of every dependency, at any depth.',
    );
    expect(text).not.toContain('risk');
  });

  it('--fail-on exits 3 at or above the level, saying why, and 0 below it', () => {
    const high = cmdb(['impact', '--db', db, 'db-orders-primary', '--fail-on', 'high']);
    expect(high.code).toBe(3);
    expect(high.stderr).toContain('risk critical is at or above --fail-on high');
    expect(high.stderr).toContain('Order Service (app-order-service) goes down: application, criticality critical');
    expect(cmdb(['impact', '--db', db, 'db-orders-primary', '--fail-on', 'critical', '--json']).code).toBe(3);
    // Nothing depends on the DR standby (medium): its own planned outage counts as degraded, low risk.
    const low = cmdb(['impact', '--db', db, 'db-orders-dr', '--fail-on', 'high']);
    expect(low.code, low.stderr).toBe(0);
    expect(cmdb(['impact', '--db', db, 'db-orders-dr', '--fail-on', 'medium']).code).toBe(0);
    expect(cmdb(['impact', '--db', db, 'db-orders-dr', '--fail-on', 'low']).code).toBe(3);
    expect(cmdb(['impact', '--db', db, 'db-orders-dr', '--fail-on', 'severe']).code).toBe(2);
  });

  it('--fail-on fails closed: CIs of unknown criticality count at the highest risk they could bring', () => {
    const dir = tempDir();
    const file = join(dir, 'vms.db');
    const cis = join(dir, 'cis.csv');
    const rels = join(dir, 'rels.csv');
    // A low-criticality host; one VM on it with no criticality, one with a value off the scale, one low.
    writeFileSync(cis, 'id,name,type,criticality\nesx01,esx01,hypervisor,low\nvm1,vm1,virtual_machine,\nvm2,vm2,virtual_machine,Tier 9\n');
    writeFileSync(rels, 'source,target,type\nvm1,esx01,runs_on\nvm2,esx01,runs_on\n');
    expect(cmdb(['import', '--db', file, '--cis', cis, '--relationships', rels]).code).toBe(0);
    const text = cmdb(['impact', '--db', file, 'esx01']);
    expect(text.stdout).toContain('Risk: LOW, up to CRITICAL (2 impacted CIs of unknown criticality)');
    expect(text.stdout).not.toContain('not counted');
    const gate = cmdb(['impact', '--db', file, 'esx01', '--fail-on', 'high']);
    expect(gate.code).toBe(3);
    expect(gate.stderr).toContain(
      'cmdb: risk low, but 2 impacted CIs have no known criticality and could bring it to critical, at or above --fail-on high. Give them a criticality',
    );
    expect(gate.stderr).toContain('2 impacted CIs have no known criticality (2 down)');
    // With every criticality known, the same change passes the gate it is below.
    writeFileSync(cis, 'id,name,type,criticality\nesx01,esx01,hypervisor,low\nvm1,vm1,virtual_machine,low\nvm2,vm2,virtual_machine,low\n');
    expect(cmdb(['import', '--db', file, '--cis', cis]).code).toBe(0);
    const known = cmdb(['impact', '--db', file, 'esx01', '--fail-on', 'medium']);
    expect(known.code, known.stderr).toBe(0);
    expect(known.stdout).toContain('Risk: LOW\n');
  });

  it('assess saves the change and writes its report; without keys it reopens it', () => {
    const out = join(tempDir(), 'report.html');
    const r = cmdb([
      'assess',
      '--db',
      db,
      '--ref',
      'CHG100',
      '--title',
      'Orders DB failover test',
      '--window',
      'Sun 02:00-03:00',
      'db-orders-primary',
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Saved change CHG100 \(id \d+\): risk critical/);
    expect(readFileSync(out, 'utf8')).toContain('<h1>Change CHG100: Orders DB failover test</h1>');
    const md = cmdb(['assess', '--db', db, '--ref', 'CHG100']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Change CHG100: Orders DB failover test');
    expect(md.stderr).toMatch(
      /^Reopened change CHG100 \(id \d+\): risk critical, .*\. Since it was saved: the same CIs are impacted, in the same states \(risk critical as before\)\.\n/,
    );
    // Every CI gone (the import undone, on a copy): the counts now, then what changed since, the CIs gone named.
    const copy = join(tempDir(), 'gone.db');
    copyFileSync(db, copy);
    expect(cmdb(['undo-import', '--db', copy, '1']).code).toBe(0);
    const gone = cmdb(['assess', '--db', copy, '--ref', 'CHG100', '--out', join(tempDir(), 'gone.md')]);
    expect(gone.stdout).toMatch(
      /^Reopened change CHG100 \(id \d+\): risk none, 0 changed, 0 down, 0 degraded, 0 business services\. Since it was saved: risk critical -> none, 0 newly impacted, \d+ no longer impacted, 0 changed state; no longer in the CMDB: db-orders-primary\. Report written to /,
    );
    const list = cmdb(['changes', '--db', db]);
    expect(list.stdout).toContain('CHG100');
    // Each risk with when it was assessed, and how to have it now (found by a change manager: a stale risk read as current).
    const saved = (JSON.parse(cmdb(['changes', '--db', db, '--json']).stdout) as { items: Array<{ ref: string; updatedAt: string }> })
      .items;
    const at = saved.find((c) => c.ref === 'CHG100')!.updatedAt;
    expect(list.stdout).toMatch(/^ID\s+REF\s+RISK\s+ASSESSED\s+DOWN\s+DEGRADED\s+WINDOW\s+TITLE$/m);
    expect(list.stdout).toMatch(new RegExp(`^\\d+\\s+CHG100\\s+critical\\s+${at.replace(/\./g, '\\.')}\\s+\\d+`, 'm'));
    expect(list.stdout).toContain(
      `1 of 1 shown. The risk and counts are as assessed then; reopening one re-evaluates it now: cmdb assess --db ${db} --ref REF\n`,
    );
    expect(cmdb(['changes', '--db', db, 'no-such-change']).stdout).toBe(
      `No saved change assessment has "no-such-change" in its reference or title. List them all: cmdb changes --db ${db}\n`,
    );
    expect(cmdb(['assess', '--db', db, '--ref', 'CHG102', '--title', 'Second', 'db-orders-primary', '--out', out]).code).toBe(0);
    expect(cmdb(['changes', '--db', db, '--limit', '1']).stdout).toContain('1 of 2 shown (--limit N for more).');
    expect(cmdb(['assess', '--db', db, '--ref', 'CHG101', 'db-orders-primary']).code).toBe(2);
  });
});

describe('explanation paths say which way each relationship runs', () => {
  it('depends_on steps run back to the previous CI, member_of steps forward to it, in both directions', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'id,name,type\nbroker,Broker,server\ncluster,Cluster,cluster\napp,App,application\n' },
      relationships: { name: 'rels.csv', content: 'source,target,type\nbroker,cluster,member_of\napp,cluster,depends_on\n' },
    });
    const down = await ok(svc, 'impact', { keys: ['broker'] });
    const app = down.impacted.find((i) => i.key === 'app')!;
    expect(app.path.map((s) => [s.key, s.rel, s.forward])).toEqual([
      ['broker', null, null],
      ['cluster', 'member_of', true],
      ['app', 'depends_on', false],
    ]);
    const up = await ok(svc, 'impact', { keys: ['app'], direction: 'upstream' });
    const broker = up.impacted.find((i) => i.key === 'broker')!;
    expect(broker.path.map((s) => [s.key, s.rel, s.forward])).toEqual([
      ['app', null, null],
      ['cluster', 'depends_on', true],
      ['broker', 'member_of', false],
    ]);
  });
});

describe('which relationship types carry impact: one rule (shared/domain.ts propagates)', () => {
  it('the engine follows by default exactly the types whose strength propagates, hard and soft; the CLI help says so', () => {
    expect(PROPAGATING_STRENGTHS).toEqual(['hard', 'soft']);
    for (const t of REL_TYPE_SEEDS) {
      const svc = makeCmdb(
        ['dependent', 'dependency'],
        [t.dependent === 'source' ? ['dependent', 'dependency', t.name] : ['dependency', 'dependent', t.name]],
      );
      try {
        const r = svc.impacts.impact({ keys: ['dependency'], direction: 'downstream', limit: 10 });
        expect(
          r.impacted.some((c) => c.key === 'dependent'),
          t.name,
        ).toBe(propagates(t.strength));
      } finally {
        svc.close();
      }
    }
    ensureCliBuilt();
    expect(cmdb(['impact', '--help']).stdout.replace(/\s+/g, ' ')).toContain('default every type of strength hard or soft)');
  });
});
