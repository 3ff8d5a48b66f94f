/**
 * The neighbourhood of a CI: upstream (what it depends on) vs downstream
 * (what depends on it), read through each relationship type's dependent end
 * (member_of is reversed), depth, type filters and the maxNodes cap.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok } from './helpers.js';

/*
 *   bs-shop --depends_on--> app-shop --runs_on--> vm-1 --hosted_on--> hv-1
 *                           app-shop --depends_on--> mq-kafka <--member_of-- broker-1, broker-2 (group brokers, min_up 2)
 *                           app-shop --uses--> saas-mail
 *   bkp-1 --backup_of--> vm-1
 *   broker-1 --runs_on--> vm-2
 *   app-1..app-10 --depends_on--> hub
 */
const CIS: Array<[string, string]> = [
  ['bs-shop', 'business_service'],
  ['app-shop', 'application'],
  ['vm-1', 'virtual_machine'],
  ['vm-2', 'virtual_machine'],
  ['hv-1', 'hypervisor'],
  ['mq-kafka', 'message_queue'],
  ['broker-1', 'message_queue'],
  ['broker-2', 'message_queue'],
  ['saas-mail', 'saas'],
  ['bkp-1', 'storage'],
  ['hub', 'database'],
];
const RELS: Array<[string, string, string, string?, number?]> = [
  ['bs-shop', 'app-shop', 'depends_on'],
  ['app-shop', 'vm-1', 'runs_on'],
  ['vm-1', 'hv-1', 'hosted_on'],
  ['app-shop', 'mq-kafka', 'depends_on'],
  ['broker-1', 'mq-kafka', 'member_of', 'brokers', 2],
  ['broker-2', 'mq-kafka', 'member_of', 'brokers', 2],
  ['app-shop', 'saas-mail', 'uses'],
  ['bkp-1', 'vm-1', 'backup_of'],
  ['broker-1', 'vm-2', 'runs_on'],
];

let svc: CmdbService;
beforeAll(async () => {
  svc = freshService();
  for (const [key, type] of CIS) await ok(svc, 'createCi', { key, fields: { type, name: key.toUpperCase(), owner: 'team-x' } });
  for (let i = 1; i <= 10; i++) {
    await ok(svc, 'createCi', { key: `app-${i}`, fields: { type: 'application', name: `App ${i}` } });
    RELS.push([`app-${i}`, 'hub', 'depends_on']);
  }
  for (const [source, target, type, redundancyGroup, minUp] of RELS) {
    await ok(svc, 'createRelationship', { source, target, type, redundancyGroup, minUp });
  }
  return () => svc.close();
});

async function hood(req: Record<string, unknown>) {
  const r = await ok(svc, 'neighbourhood', req as never);
  const depth = Object.fromEntries(r.nodes.map((n) => [n.key, n.depth]));
  const edges = r.edges.map((e) => `${e.source} ${e.type} ${e.target}`).sort();
  return { r, depth, keys: Object.keys(depth).sort(), edges };
}

describe('neighbourhood', () => {
  it('upstream follows what a CI depends on, including the members a cluster depends on (member_of reversed)', async () => {
    const { depth, edges } = await hood({ key: 'app-shop', depth: 2, direction: 'upstream' });
    expect(depth).toEqual({ 'app-shop': 0, 'vm-1': 1, 'mq-kafka': 1, 'saas-mail': 1, 'hv-1': 2, 'broker-1': 2, 'broker-2': 2 });
    // bs-shop depends on app-shop (downstream) and bkp-1 is a backup of vm-1 (its dependent end is bkp-1): neither is upstream.
    expect(edges).toEqual([
      'app-shop depends_on mq-kafka',
      'app-shop runs_on vm-1',
      'app-shop uses saas-mail',
      'broker-1 member_of mq-kafka',
      'broker-2 member_of mq-kafka',
      'vm-1 hosted_on hv-1',
    ]);
  });

  it('downstream follows what depends on a CI: from a broker, its cluster, then the app, then the service', async () => {
    const { depth } = await hood({ key: 'broker-1', depth: 5, direction: 'downstream' });
    expect(depth).toEqual({ 'broker-1': 0, 'mq-kafka': 1, 'app-shop': 2, 'bs-shop': 3 });
    // Upstream from the broker: only the VM it runs on, not its cluster.
    expect((await hood({ key: 'broker-1', depth: 5, direction: 'upstream' })).depth).toEqual({ 'broker-1': 0, 'vm-2': 1 });
    // Downstream from the hypervisor reaches the business service, and the backup that points at the VM.
    expect((await hood({ key: 'hv-1', depth: 3, direction: 'downstream' })).depth).toEqual({
      'hv-1': 0,
      'vm-1': 1,
      'app-shop': 2,
      'bkp-1': 2,
      'bs-shop': 3,
    });
  });

  it('both directions, limited by depth; depth 0 is the CI alone', async () => {
    const one = await hood({ key: 'app-shop', depth: 1, direction: 'both' });
    expect(one.keys).toEqual(['app-shop', 'bs-shop', 'mq-kafka', 'saas-mail', 'vm-1']);
    expect(one.r.truncated).toBe(false);
    const zero = await hood({ key: 'app-shop', depth: 0 });
    expect(zero.keys).toEqual(['app-shop']);
    expect(zero.edges).toEqual([]);
    // The default is one hop in both directions.
    expect((await hood({ key: 'app-shop' })).keys).toEqual(one.keys);
    const node = one.r.nodes.find((n) => n.key === 'vm-1')!;
    expect(node).toMatchObject({ name: 'VM-1', type: 'virtual_machine', owner: 'team-x', depth: 1 });
  });

  it('returns only edges between returned nodes, each once, with redundancy group and min_up', async () => {
    const { r } = await hood({ key: 'mq-kafka', depth: 1, direction: 'upstream' });
    expect(r.edges).toHaveLength(2);
    expect(new Set(r.edges.map((e) => e.id)).size).toBe(2);
    expect(r.edges.every((e) => e.redundancyGroup === 'brokers' && e.minUp === 2 && e.type === 'member_of')).toBe(true);
    const all = await hood({ key: 'app-shop', depth: 3 });
    const present = new Set(all.keys);
    for (const e of all.r.edges) expect(present.has(e.source) && present.has(e.target)).toBe(true);
  });

  it('filters by relationship type and by CI type', async () => {
    expect((await hood({ key: 'app-shop', depth: 3, relTypes: ['runs_on', 'hosted_on'] })).keys).toEqual(['app-shop', 'hv-1', 'vm-1']);
    const onlyQueues = await hood({ key: 'app-shop', depth: 3, ciTypes: ['message_queue'] });
    expect(onlyQueues.keys).toEqual(['app-shop', 'broker-1', 'broker-2', 'mq-kafka']);
    // A filtered-out CI is walked through, not drawn: the hypervisor behind the VM is reached, by an implied edge.
    const hv = await hood({ key: 'app-shop', depth: 3, ciTypes: ['hypervisor'] });
    expect(hv.keys).toEqual(['app-shop', 'hv-1']);
    expect(hv.depth['hv-1']).toBe(2);
    expect(hv.r.implied).toEqual([{ source: 'app-shop', target: 'hv-1', hidden: 1, via: ['virtual_machine'] }]);
  });

  it('caps the result at maxNodes and says how many CIs it left out', async () => {
    const capped = await hood({ key: 'hub', depth: 1, maxNodes: 4 });
    expect(capped.r.nodes).toHaveLength(4);
    expect(capped.r.truncated).toBe(true);
    expect(capped.r.omitted).toBe(7);
    expect(capped.r.center).toBe('hub');
    expect(capped.depth.hub).toBe(0);
    expect(capped.edges).toHaveLength(3);
    const full = await hood({ key: 'hub', depth: 1, maxNodes: 11 });
    expect(full.r).toMatchObject({ truncated: false, omitted: 0 });
    expect(full.r.nodes).toHaveLength(11);
  });

  it('answers NOT_FOUND for an unknown key and INVALID_REQUEST for a depth over 10', async () => {
    expect((await fails(svc, 'neighbourhood', { key: 'ghost' })).code).toBe('NOT_FOUND');
    expect((await fails(svc, 'neighbourhood', { key: 'hub', depth: 11 })).code).toBe('INVALID_REQUEST');
    expect((await fails(svc, 'neighbourhood', { key: 'hub', direction: 'sideways' })).code).toBe('INVALID_REQUEST');
  });

  it('includes the relationships between CIs of the outermost ring, so the graph shows how they connect', async () => {
    const s = freshService();
    for (const k of ['svc', 'api', 'cart', 'cache']) await ok(s, 'createCi', { key: k, fields: { type: 'application', name: k } });
    await ok(s, 'createRelationship', { source: 'svc', target: 'api', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'svc', target: 'cart', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'api', target: 'cart', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'cart', target: 'cache', type: 'uses' });
    for (const direction of ['upstream', 'both'] as const) {
      const r = await ok(s, 'neighbourhood', { key: 'svc', depth: 1, direction });
      expect(r.nodes.map((n) => n.key).sort()).toEqual(['api', 'cart', 'svc']);
      expect(r.edges.map((e) => `${e.source} ${e.target}`).sort()).toEqual(['api cart', 'svc api', 'svc cart']);
    }
    // A relationship type filter applies to those too.
    const onlyUses = await ok(s, 'neighbourhood', { key: 'cart', depth: 1, relTypes: ['uses'] });
    expect(onlyUses.edges.map((e) => `${e.source} ${e.type} ${e.target}`)).toEqual(['cart uses cache']);
  });

  it('handles cycles without looping', async () => {
    const s = freshService();
    for (const k of ['a', 'b', 'c']) await ok(s, 'createCi', { key: k, fields: { type: 'service', name: k } });
    await ok(s, 'createRelationship', { source: 'a', target: 'b', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'b', target: 'c', type: 'depends_on' });
    await ok(s, 'createRelationship', { source: 'c', target: 'a', type: 'depends_on' });
    const r = await ok(s, 'neighbourhood', { key: 'a', depth: 10, direction: 'upstream' });
    expect(Object.fromEntries(r.nodes.map((n) => [n.key, n.depth]))).toEqual({ a: 0, b: 1, c: 2 });
    expect(r.edges).toHaveLength(3);
  });
});
