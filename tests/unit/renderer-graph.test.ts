import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../shared/domain.js';
import { layeredPositions } from '../../renderer/src/graph/fastLayered.js';
import { buildElements, fromNeighbourhood, groupId, mergeNeighbourhood, topologyKey } from '../../renderer/src/graph/model.js';
import { shapeSvg } from '../../renderer/src/graph/svg.js';
import { spreadPositions } from '../../renderer/src/graph/spread.js';

const node = (key: string, type = 'application', depth = 1): GraphNode => ({
  id: key.length,
  key,
  name: key.toUpperCase(),
  type,
  status: null,
  criticality: null,
  environment: null,
  owner: null,
  depth,
});
let edgeId = 0;
const edge = (source: string, target: string, type = 'depends_on'): GraphEdge => ({
  id: ++edgeId,
  source,
  target,
  type,
  redundancyGroup: null,
  minUp: null,
});

/** A hub with `n` leaf servers and `m` leaf databases, plus one application that also links elsewhere. */
function star(n: number, m: number) {
  const nodes = [node('hub', 'cluster', 0), node('app', 'application'), node('other', 'application', 2)];
  const edges = [edge('app', 'hub'), edge('app', 'other')];
  for (let i = 0; i < n; i++) {
    nodes.push(node(`srv${i}`, 'server'));
    edges.push(edge(`srv${i}`, 'hub', 'member_of'));
  }
  for (let i = 0; i < m; i++) {
    nodes.push(node(`db${i}`, 'database'));
    edges.push(edge('hub', `db${i}`));
  }
  return fromNeighbourhood({ nodes, edges });
}

describe('graph model', () => {
  it("keeps a sibling group's id apart from a drawn CI keyed like it", () => {
    const g = star(13, 0);
    g.nodes.set(groupId('hub', 'server'), node(groupId('hub', 'server')));
    const els = buildElements(g, { center: 'hub', groupThreshold: 12, openGroups: new Set() });
    const ids = els.nodes.map((n) => n.data.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(els.nodes.find((n) => n.data.groupOf)!.data.id).toBe(`${groupId('hub', 'server')}~2`);
  });

  it('collapses more than 12 same-type leaves of one node into a group, and keeps smaller sets', () => {
    const g = star(13, 12);
    const els = buildElements(g, { center: 'hub', groupThreshold: 12, openGroups: new Set() });
    const groups = els.nodes.filter((n) => n.data.groupOf);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.data.id).toBe(groupId('hub', 'server'));
    expect(groups[0]!.data.groupOf).toHaveLength(13);
    expect(groups[0]!.data.label).toBe('13 × Server');
    // 12 databases stay; the servers are gone; app and other stay (app is not a leaf).
    expect(els.nodes.filter((n) => n.data.type === 'database')).toHaveLength(12);
    expect(els.nodes.some((n) => n.data.id.startsWith('srv'))).toBe(false);
    expect(els.nodes.map((n) => n.data.id)).toEqual(expect.arrayContaining(['hub', 'app', 'other']));
    // Thirteen member_of edges become one edge to the group, counted, in the original direction.
    const ge = els.edges.filter((e) => e.data.target === groups[0]!.data.id || e.data.source === groups[0]!.data.id);
    expect(ge).toHaveLength(1);
    expect(ge[0]!.data).toMatchObject({ source: groupId('hub', 'server'), target: 'hub', count: 13, label: 'member of ×13' });
    // Every edge's ends exist.
    const ids = new Set(els.nodes.map((n) => n.data.id));
    for (const e of els.edges) expect(ids.has(e.data.source) && ids.has(e.data.target)).toBe(true);
    expect(els.groups).toBe(1);
  });

  it('opens a group on request, and turns grouping off with threshold 0', () => {
    const g = star(20, 0);
    const opened = buildElements(g, { center: 'hub', groupThreshold: 12, openGroups: new Set([groupId('hub', 'server')]) });
    expect(opened.nodes.filter((n) => n.data.type === 'server')).toHaveLength(20);
    expect(opened.groups).toBe(0);
    const off = buildElements(g, { center: 'hub', groupThreshold: 0, openGroups: new Set() });
    expect(off.nodes).toHaveLength(23);
    expect(off.edges).toHaveLength(22);
  });

  it('never groups the centre CI, even when it is a leaf', () => {
    const nodes = [node('p', 'cluster', 1)];
    const edges: GraphEdge[] = [];
    for (let i = 0; i < 15; i++) {
      nodes.push(node(`s${i}`, 'server'));
      edges.push(edge(`s${i}`, 'p'));
    }
    const els = buildElements(fromNeighbourhood({ nodes, edges }), { center: 's3', groupThreshold: 12, openGroups: new Set() });
    const group = els.nodes.find((n) => n.data.groupOf)!;
    expect(group.data.groupOf).toHaveLength(14);
    expect(els.nodes.find((n) => n.data.id === 's3')?.data.center).toBe(true);
  });

  it('merges an expansion without losing or duplicating anything, and drops dangling edges', () => {
    const a = fromNeighbourhood({ nodes: [node('a'), node('b')], edges: [edge('a', 'b')] });
    const merged = mergeNeighbourhood(a, { nodes: [node('b'), node('c')], edges: [edge('b', 'c'), edge('c', 'zzz')] });
    expect([...merged.nodes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(merged.edges.size).toBe(2);
    expect(a.nodes.size).toBe(2); // the original is untouched
  });

  it('topology key changes with the set of elements, not with their order or data', () => {
    const g = star(3, 2);
    const els = buildElements(g, { center: 'hub', groupThreshold: 12, openGroups: new Set() });
    const shuffled = {
      nodes: [...els.nodes].reverse(),
      edges: [...els.edges].reverse().map((e) => ({ ...e, data: { ...e.data, label: 'x' } })),
    };
    expect(topologyKey(shuffled)).toBe(topologyKey(els));
    expect(topologyKey({ nodes: els.nodes.slice(1), edges: els.edges })).not.toBe(topologyKey(els));
  });
});

describe('linear layered layout', () => {
  it('puts the centre on top, each hop one layer lower, and no two nodes on one spot', () => {
    const nodes = ['c', 'a1', 'a2', 'b1', 'b2', 'b3', 'lonely'];
    const edges = [
      ['c', 'a1'],
      ['a2', 'c'],
      ['a1', 'b1'],
      ['a1', 'b2'],
      ['a2', 'b3'],
    ] as const;
    const pos = layeredPositions(nodes, edges, 'c');
    expect(Object.keys(pos).sort()).toEqual([...nodes].sort());
    expect(pos.c!.y).toBeLessThan(pos.a1!.y);
    expect(pos.a1!.y).toBe(pos.a2!.y);
    expect(pos.a1!.y).toBeLessThan(pos.b1!.y);
    // A node the centre does not reach goes below everything.
    expect(pos.lonely!.y).toBeGreaterThan(pos.b3!.y);
    // Barycentre order: a1's children sit left of a2's child when a1 sits left of a2.
    const leftFirst = pos.a1!.x < pos.a2!.x;
    expect(pos.b1!.x < pos.b3!.x).toBe(leftFirst);
    const spots = new Set(Object.values(pos).map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(nodes.length);
  });

  // How fast it lays this star out is a bench figure (npm run bench: "layered layout, 5,000-node star"), not a test.
  it('wraps a wide layer onto rows at 5,000 nodes', () => {
    const nodes = ['c', ...Array.from({ length: 4999 }, (_, i) => `n${i}`)];
    const edges = nodes.slice(1).map((n) => ['c', n] as const);
    const pos = layeredPositions(nodes, edges, 'c');
    const ys = new Set(nodes.slice(1).map((n) => pos[n]!.y));
    expect(ys.size).toBeGreaterThan(10);
    const xs = nodes.slice(1).map((n) => pos[n]!.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(64 * 200);
    expect(new Set(Object.values(pos).map((p) => `${p.x},${p.y}`)).size).toBe(5000);
  });
});

describe('SVG shapes', () => {
  it('draws each node shape as valid SVG with the given attributes', () => {
    for (const shape of [
      'ellipse',
      'rectangle',
      'round-rectangle',
      'barrel',
      'diamond',
      'triangle',
      'pentagon',
      'hexagon',
      'octagon',
      'star',
      'tag',
      'vee',
      'rhomboid',
      'unknown',
    ]) {
      const s = shapeSvg(shape, 10, 10, 20, 20, 'fill="red"');
      expect(s).toMatch(/^<(ellipse|rect|polygon) [^>]*fill="red"\/>$/);
      expect(s).not.toContain('NaN');
    }
    expect(
      shapeSvg('hexagon', 0, 0, 20, 20, '')
        .match(/points="([^"]+)"/)![1]!
        .split(' '),
    ).toHaveLength(6);
    expect(
      shapeSvg('star', 0, 0, 20, 20, '')
        .match(/points="([^"]+)"/)![1]!
        .split(' '),
    ).toHaveLength(10);
  });
});

describe('spreading a draft force layout', () => {
  it('scales to a readable edge length and fans piles of nodes out, without losing any', () => {
    // A hub and 50 leaves that a spectral draft put on one spot, 0.01 apart from the hub.
    const pos: Record<string, { x: number; y: number }> = { hub: { x: 0, y: 0 } };
    const edges: Array<readonly [string, string]> = [];
    for (let i = 0; i < 50; i++) {
      pos[`leaf${i}`] = { x: 0.01, y: 0 };
      edges.push(['hub', `leaf${i}`] as const);
    }
    const out = spreadPositions(pos, edges, 90, 36);
    expect(Object.keys(out).sort()).toEqual(Object.keys(pos).sort());
    const pts = Object.values(out);
    for (const p of pts) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    // No two nodes closer than a node's width.
    let min = Infinity;
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++) min = Math.min(min, Math.hypot(pts[i]!.x - pts[j]!.x, pts[i]!.y - pts[j]!.y));
    expect(min).toBeGreaterThan(20);
  });

  it('leaves a layout that is already spread alone, apart from the scale', () => {
    const pos = { a: { x: 0, y: 0 }, b: { x: 100, y: 0 }, c: { x: 0, y: 100 } };
    const out = spreadPositions(pos, [['a', 'b'] as const, ['a', 'c'] as const], 100, 36);
    expect(out).toEqual(pos);
  });
});
