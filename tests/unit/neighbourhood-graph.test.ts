/**
 * Issue 16's neighbourhood through the contract: `both` as two walks from the
 * centre (no siblings), CI types filtered out but walked through with implied
 * edges, grouping by a core field or an attribute with group edges, and the
 * exportGraph answer holding the same nodes and edges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { exportGraphSchema, groupId } from '../../shared/graph.js';
import { fails, freshService, ok } from './helpers.js';

/*
 *   bs-a --depends_on--> app --runs_on--> vm-1 --hosted_on--> hv-1
 *   bs-b --depends_on--> app              vm-2 --hosted_on--> hv-1
 *   app --depends_on--> db-1 --runs_on--> vm-2
 *   app --uses--> lb (load_balancer) ; mq (message_queue) --member_of--> app-cluster? (not used)
 *   web-1..web-6 (application; location fra1 ×4, nyc1 ×2) --depends_on--> db-1
 *   web-1 --depends_on--> web-2 (a relationship inside a group)
 */
const CIS: Array<[string, string, Record<string, string>?]> = [
  ['bs-a', 'business_service'],
  ['bs-b', 'business_service'],
  ['app', 'application', { location: 'fra1' }],
  ['vm-1', 'virtual_machine'],
  ['vm-2', 'virtual_machine'],
  ['hv-1', 'hypervisor'],
  ['db-1', 'database', { location: 'fra1' }],
  ['lb', 'load_balancer'],
];
const RELS: Array<[string, string, string]> = [
  ['bs-a', 'app', 'depends_on'],
  ['bs-b', 'app', 'depends_on'],
  ['app', 'vm-1', 'runs_on'],
  ['vm-1', 'hv-1', 'hosted_on'],
  ['vm-2', 'hv-1', 'hosted_on'],
  ['app', 'db-1', 'depends_on'],
  ['db-1', 'vm-2', 'runs_on'],
  ['app', 'lb', 'uses'],
  ['web-1', 'web-2', 'depends_on'],
];

let svc: CmdbService;
beforeAll(async () => {
  svc = freshService();
  for (const [key, type, attributes] of CIS) await ok(svc, 'createCi', { key, fields: { type, name: key.toUpperCase(), attributes } });
  for (let i = 1; i <= 6; i++) {
    const location = i <= 4 ? 'fra1' : 'nyc1';
    await ok(svc, 'createCi', {
      key: `web-${i}`,
      fields: { type: 'application', name: `Web ${i}`, owner: `team-${i % 2}`, attributes: { location } },
    });
    RELS.push([`web-${i}`, 'db-1', 'depends_on']);
  }
  for (const [source, target, type] of RELS) await ok(svc, 'createRelationship', { source, target, type });
  return () => svc.close();
});

const keysOf = (r: { nodes: Array<{ key: string }> }) => r.nodes.map((n) => n.key).sort();

describe('both directions', () => {
  it('is the union of the walk up and the walk down from the centre: a sibling is not in it', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'bs-a', depth: 2, direction: 'both' });
    // bs-b depends on the same app (down from app, then up): not related to bs-a.
    expect(keysOf(r)).toEqual(['app', 'bs-a', 'db-1', 'lb', 'vm-1']);
    const up = await ok(svc, 'neighbourhood', { key: 'bs-a', depth: 2, direction: 'upstream' });
    const down = await ok(svc, 'neighbourhood', { key: 'bs-a', depth: 2, direction: 'downstream' });
    expect(keysOf(r)).toEqual([...new Set([...keysOf(up), ...keysOf(down)])].sort());
  });

  it('walks both ways from a CI in the middle, each way to the full depth', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'app', depth: 2, direction: 'both' });
    const depth = Object.fromEntries(r.nodes.map((n) => [n.key, n.depth]));
    expect(depth).toEqual({ app: 0, 'bs-a': 1, 'bs-b': 1, 'vm-1': 1, 'db-1': 1, lb: 1, 'hv-1': 2, 'vm-2': 2 });
    // The web apps depend on db-1 like app does: siblings, not in it.
    expect(Object.keys(depth).some((k) => k.startsWith('web-'))).toBe(false);
  });
});

describe('CI types filtered out', () => {
  it('are walked through, not drawn, and each chain through them is one implied edge the way dependency runs', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'app', depth: 3, direction: 'upstream', ciTypes: ['application', 'hypervisor'] });
    expect(keysOf(r)).toEqual(['app', 'hv-1']);
    // app -> vm-1 -> hv-1 and app -> db-1 -> vm-2 -> hv-1: three hidden CIs, VMs the most.
    expect(r.implied).toEqual([{ source: 'app', target: 'hv-1', hidden: 3, via: ['virtual_machine', 'database'] }]);
    expect(r.hidden).toBe(4); // vm-1, db-1, vm-2 and lb
    expect(r.edges).toEqual([]);
  });

  it('does not join two CIs that only share a hidden one (siblings)', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'db-1', depth: 1, direction: 'both', ciTypes: ['application'] });
    // app and the web apps all depend on db-1, which is the centre: drawn; nothing implied.
    expect(r.implied).toEqual([]);
    const viaDb = await ok(svc, 'neighbourhood', { key: 'app', depth: 3, direction: 'both', ciTypes: ['application', 'business_service'] });
    // Up from app: db-1 hidden; the web apps depend on db-1 too but are not reached (siblings).
    expect(keysOf(viaDb)).toEqual(['app', 'bs-a', 'bs-b']);
    expect(viaDb.implied).toEqual([]);
  });

  it("read through each relationship type's dependent end: a cluster depends on its members (member_of)", async () => {
    const s = freshService();
    for (const [key, type] of [
      ['shop', 'application'],
      ['kafka', 'cluster'],
      ['broker-1', 'message_queue'],
      ['broker-2', 'message_queue'],
    ] as const)
      await ok(s, 'createCi', { key, fields: { type, name: key } });
    await ok(s, 'createRelationship', { source: 'shop', target: 'kafka', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'broker-1', target: 'kafka', type: 'member_of' });
    await ok(s, 'createRelationship', { source: 'broker-2', target: 'kafka', type: 'member_of' });
    const up = await ok(s, 'neighbourhood', { key: 'shop', depth: 2, direction: 'upstream', ciTypes: ['application', 'message_queue'] });
    expect(keysOf(up)).toEqual(['broker-1', 'broker-2', 'shop']);
    expect(up.implied.map((e) => `${e.source}>${e.target}:${e.hidden}:${e.via.join()}`).sort()).toEqual([
      'shop>broker-1:1:cluster',
      'shop>broker-2:1:cluster',
    ]);
    // The brokers are not joined to each other through the cluster: both are what it depends on.
    const down = await ok(s, 'neighbourhood', { key: 'broker-1', depth: 2, direction: 'both', ciTypes: ['application', 'message_queue'] });
    expect(keysOf(down)).toEqual(['broker-1', 'shop']);
    expect(down.implied).toEqual([{ source: 'shop', target: 'broker-1', hidden: 1, via: ['cluster'] }]);
  });

  it('can be asked without implied edges', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'app', depth: 3, direction: 'upstream', ciTypes: ['hypervisor'], implied: false });
    expect(keysOf(r)).toEqual(['app', 'hv-1']);
    expect(r.implied).toEqual([]);
  });
});

describe('grouping', () => {
  it('groups by a core field, never the centre, with group edges counted per (source, target, type)', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'db-1', depth: 1, direction: 'downstream', grouping: { by: 'type' } });
    expect(keysOf(r)).toEqual(['db-1']);
    const apps = groupId('type', 'application');
    expect(r.groups).toEqual([
      { id: apps, by: 'type', value: 'application', count: 7, types: [{ type: 'application', count: 7 }], depth: 1 },
    ]);
    // Seven applications depend on db-1; web-1 -> web-2 is inside the group and not drawn.
    expect(r.groupEdges).toEqual([{ source: apps, target: 'db-1', type: 'depends_on', count: 7 }]);
    expect(r.edges).toEqual([]);
  });

  it("keeps a group's id apart from a drawn CI keyed like it (a graph's node ids are unique)", async () => {
    const own = freshService();
    const cis: Array<[string, string]> = [
      ['root', 'application'],
      ['group:type=server', 'application'],
      ['s1', 'server'],
      ['s2', 'server'],
    ];
    for (const [key, type] of cis) await ok(own, 'createCi', { key, fields: { type, name: key } });
    for (const target of ['group:type=server', 's1', 's2'])
      await ok(own, 'createRelationship', { source: 'root', target, type: 'depends_on' });
    const r = await ok(own, 'neighbourhood', { key: 'root', depth: 1, direction: 'both', grouping: { by: 'type' } });
    expect(keysOf(r)).toEqual(['group:type=server', 'root']);
    expect(r.groups.map((g) => [g.id, g.count])).toEqual([['group:type=server~2', 2]]);
    expect(r.edges.map((e) => e.target)).toEqual(['group:type=server']);
    expect(r.groupEdges).toEqual([{ source: 'root', target: 'group:type=server~2', type: 'depends_on', count: 2 }]);
    // A group whose own value is "x~2" beside one renamed from "x": each id once.
    for (const [key, owner] of [
      ['group:owner=x', 'solo'],
      ['o1', 'x'],
      ['o2', 'x'],
      ['o3', 'x~2'],
      ['o4', 'x~2'],
    ] as const) {
      await ok(own, 'createCi', { key, fields: { type: 'server', name: key, ...(owner ? { owner } : {}) } });
      await ok(own, 'createRelationship', { source: 'root', target: key, type: 'depends_on' });
    }
    const both = await ok(own, 'neighbourhood', { key: 'root', depth: 1, direction: 'both', grouping: { by: 'owner' } });
    const ids = [...both.nodes.map((n) => n.key), ...both.groups.map((g) => g.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(both.groups.map((g) => [g.value, g.id])).toEqual(
      expect.arrayContaining([
        ['x', 'group:owner=x~3'],
        ['x~2', 'group:owner=x~2'],
      ]),
    );
  });

  it('groups by an attribute, leaving small and expanded values as CIs', async () => {
    const r = await ok(svc, 'neighbourhood', {
      key: 'db-1',
      depth: 1,
      direction: 'downstream',
      grouping: { by: 'location', minSize: 3 },
    });
    const fra = groupId('location', 'fra1');
    // fra1: app and web-1..4 (5); nyc1: web-5, web-6 (2 < minSize) drawn as themselves.
    expect(r.groups.map((g) => [g.id, g.count])).toEqual([[fra, 5]]);
    expect(keysOf(r)).toEqual(['db-1', 'web-5', 'web-6']);
    expect(r.groupEdges).toEqual([{ source: fra, target: 'db-1', type: 'depends_on', count: 5 }]);
    expect(r.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['web-5>db-1', 'web-6>db-1']);

    const expanded = await ok(svc, 'neighbourhood', {
      key: 'db-1',
      depth: 1,
      direction: 'downstream',
      grouping: { by: 'location', minSize: 2, expand: ['fra1'] },
    });
    expect(expanded.groups.map((g) => [g.id, g.count])).toEqual([[groupId('location', 'nyc1'), 2]]);
    expect(keysOf(expanded)).toEqual(['app', 'db-1', 'web-1', 'web-2', 'web-3', 'web-4']);
    // A relationship between two CIs drawn alone stays a relationship.
    expect(expanded.edges.some((e) => e.source === 'web-1' && e.target === 'web-2')).toBe(true);
  });

  it('groups CIs without a value under null, and caps what is drawn at maxNodes, largest groups first', async () => {
    const r = await ok(svc, 'neighbourhood', { key: 'db-1', depth: 1, direction: 'downstream', grouping: { by: 'owner' } });
    expect(r.groups.map((g) => [g.value, g.count]).sort()).toEqual([
      ['team-0', 3],
      ['team-1', 3],
    ]);
    // app has no owner: alone (a value of one CI is under minSize 2).
    expect(keysOf(r)).toEqual(['app', 'db-1']);
    const capped = await ok(svc, 'neighbourhood', {
      key: 'db-1',
      depth: 1,
      direction: 'downstream',
      maxNodes: 2,
      grouping: { by: 'owner' },
    });
    expect(capped.groups).toHaveLength(1);
    expect(keysOf(capped)).toEqual(['db-1']);
    expect(capped).toMatchObject({ truncated: true, omitted: 4 });
  });

  it('groups the CIs at both ends of implied edges too', async () => {
    const r = await ok(svc, 'neighbourhood', {
      key: 'hv-1',
      depth: 3,
      direction: 'downstream',
      ciTypes: ['application', 'hypervisor'],
      grouping: { by: 'type' },
    });
    const apps = groupId('type', 'application');
    // hv-1 <- vm-1 <- app; hv-1 <- vm-2 <- db-1 <- app, web-1..6
    expect(r.groups.map((g) => [g.id, g.count])).toEqual([[apps, 7]]);
    expect(r.implied).toEqual([{ source: apps, target: 'hv-1', hidden: 3, via: ['virtual_machine', 'database'] }]);
  });

  it('answers a hub that maxNodes would cut grouped by `autoGroup`, in the same call; a neighbourhood that fits, as asked', async () => {
    const req = { key: 'db-1', depth: 1, direction: 'downstream' as const, maxNodes: 4 };
    const plain = await ok(svc, 'neighbourhood', req);
    expect(plain).toMatchObject({ truncated: true, groups: [] });
    const auto = await ok(svc, 'neighbourhood', { ...req, autoGroup: { by: 'type' } });
    const grouped = await ok(svc, 'neighbourhood', { ...req, grouping: { by: 'type' } });
    // The grouped answer, saying how many CIs the cut one left out.
    expect(auto.autoGrouped).toEqual({ omitted: plain.omitted });
    expect({ ...auto, autoGrouped: undefined }).toEqual({ ...grouped, autoGrouped: undefined });
    expect(auto.groups.map((g) => [g.id, g.count])).toEqual([[groupId('type', 'application'), 7]]);
    // Not cut: the plain answer; a grouping asked for wins.
    const fits = await ok(svc, 'neighbourhood', { ...req, maxNodes: 50, autoGroup: { by: 'type' } });
    expect(fits.autoGrouped).toBeUndefined();
    expect(fits).toEqual(await ok(svc, 'neighbourhood', { ...req, maxNodes: 50 }));
    const asked = await ok(svc, 'neighbourhood', { ...req, grouping: { by: 'owner' }, autoGroup: { by: 'type' } });
    expect(asked.autoGrouped).toBeUndefined();
    expect(asked.groups.map((g) => g.value).sort()).toEqual(['team-0', 'team-1']);
  });

  it('counts in `autoGrouped` every CI the cap left out, those of the rings past the one where the cut walk stopped too', async () => {
    // db-1 <- app, web-1..6 (ring 1); app <- bs-a, bs-b (ring 2): 10 CIs, 4 drawn by the cut walk.
    const req = { key: 'db-1', depth: 2, direction: 'downstream' as const, maxNodes: 4 };
    const plain = await ok(svc, 'neighbourhood', req);
    expect(plain).toMatchObject({ truncated: true, omitted: 4 });
    const auto = await ok(svc, 'neighbourhood', { ...req, autoGroup: { by: 'type' } });
    expect(auto.autoGrouped).toEqual({ omitted: 6 });
  });

  it('refuses a grouping with no field', async () => {
    expect((await fails(svc, 'neighbourhood', { key: 'db-1', grouping: { by: '' } })).code).toBe('INVALID_REQUEST');
  });
});

describe('exportGraph', () => {
  it('writes the neighbourhood asked for, named after its centre, in every format with the same nodes and edges', async () => {
    const req = { key: 'db-1', depth: 1, direction: 'downstream' as const, grouping: { by: 'location', minSize: 3 } };
    const n = await ok(svc, 'neighbourhood', req);
    const json = await ok(svc, 'exportGraph', { ...req, format: 'json' });
    expect(json.filename).toBe('graph-db-1.json');
    expect(json.mime).toBe('application/json');
    const g = exportGraphSchema.parse(JSON.parse(json.content));
    expect(g.nodes.map((x) => x.key).sort()).toEqual([...n.nodes.map((x) => x.key), ...n.groups.map((x) => x.id)].sort());
    expect(g.nodes.find((x) => x.kind === 'group')).toMatchObject({ name: 'fra1 (5)', count: 5, type: 'application' });
    expect(g.edges).toHaveLength(n.edges.length + n.groupEdges.length + n.implied.length);
    for (const format of ['graphml', 'dot', 'drawio'] as const) {
      const f = await ok(svc, 'exportGraph', { ...req, format });
      expect(f.filename).toBe(`graph-db-1.${format}`);
      for (const node of g.nodes) expect(f.content).toContain(node.key);
    }
  });

  it('answers NOT_FOUND for an unknown centre', async () => {
    expect((await fails(svc, 'exportGraph', { key: 'ghost', format: 'dot' })).code).toBe('NOT_FOUND');
  });
});
