import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { EdgeEl, NodeEl } from '../../renderer/src/graph/model.js';
import { pathMessage } from '../../renderer/src/graph/pathMessage.js';
import { findPath } from '../../renderer/src/graph/pathSearch.js';

const ci = (id: string): NodeEl => ({
  group: 'nodes',
  data: { id, label: `Name of ${id}`, type: 'application', color: '#3b82f6', shape: 'ellipse' },
});
const siblings = (id: string, parent: string): NodeEl => ({
  group: 'nodes',
  data: { id, label: '14 × Server', type: 'server', color: '#64748b', shape: 'rectangle', groupOf: ['s1', 's2'], parentKey: parent },
});
const engineGroup = (id: string, value: string): NodeEl => ({
  group: 'nodes',
  data: {
    id,
    label: `${value} (9)`,
    fullLabel: `${value} (9)`,
    type: 'server',
    color: '#7c8799',
    shape: 'round-rectangle',
    groupBy: 'owner',
    groupValue: value,
    count: 9,
  },
});
const edge = (source: string, target: string): EdgeEl => ({
  group: 'edges',
  data: { id: `${source}->${target}`, source, target, type: 'depends_on', label: 'depends on' },
});

/** A headless Cytoscape holding what the graph view draws (the controller's highlightPath searches it with findPath). */
const drawn = (nodes: NodeEl[], edges: EdgeEl[]): Core => cytoscape({ headless: true, elements: [...nodes, ...edges] });

/** What findPath answers, without the path's elements. */
function search(cy: Core, from: string, to: string) {
  const found = findPath(cy, from, to);
  if (!found || 'throughGroups' in found) return found;
  const { path, ...rest } = found;
  return { ...rest, ids: path.map((e) => e.id()).sort() };
}

describe('graph path search', () => {
  it('never runs through a group node: the longer path through CIs is the one drawn', () => {
    const cy = drawn(
      [ci('a'), ci('b'), ci('c'), ci('d'), siblings('group:a:server', 'a')],
      [edge('a', 'group:a:server'), edge('group:a:server', 'd'), edge('a', 'b'), edge('b', 'c'), edge('c', 'd')],
    );
    expect(search(cy, 'a', 'd')).toEqual({
      hops: 3,
      forward: true,
      names: ['Name of a', 'Name of b', 'Name of c', 'Name of d'],
      ids: ['a', 'a->b', 'b', 'b->c', 'c', 'c->d', 'd'].sort(),
    });
  });

  it('when only a group joins two CIs, says so and draws no path', () => {
    const cy = drawn(
      [ci('a'), ci('d'), engineGroup('group:owner=team-x', 'team-x')],
      [edge('a', 'group:owner=team-x'), edge('group:owner=team-x', 'd')],
    );
    const found = findPath(cy, 'a', 'd');
    expect(found).toEqual({ throughGroups: ['team-x (9)'] });
    const message = pathMessage('A', 'D', found);
    expect(message).toContain('No path between A and D');
    expect(message).toContain('the only one runs through the group “team-x (9)”');
    expect(message).toContain('Open the group');
  });

  it('keeps the relationships’ direction: a path that runs only the other way is found from the other end, and none against it', () => {
    const cy = drawn([ci('a'), ci('b'), ci('c')], [edge('b', 'a'), edge('c', 'b')]);
    expect(search(cy, 'a', 'c')).toMatchObject({ hops: 2, forward: false, names: ['Name of c', 'Name of b', 'Name of a'] });
    const split = drawn([ci('a'), ci('b'), ci('c')], [edge('a', 'b'), edge('c', 'b')]);
    expect(search(split, 'a', 'c')).toBeNull();
  });

  it('a group as an end is no path', () => {
    const cy = drawn([ci('a'), siblings('group:a:server', 'a')], [edge('a', 'group:a:server')]);
    expect(findPath(cy, 'a', 'group:a:server')).toBeNull();
  });
});
