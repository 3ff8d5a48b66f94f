import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../shared/domain.js';
import { buildElements, fromNeighbourhood } from '../../renderer/src/graph/model.js';
import { selectedGroup } from '../../renderer/src/graph/selection.js';

const node = (key: string, type: string, name = key.toUpperCase()): GraphNode => ({
  id: key.length,
  key,
  name,
  type,
  status: null,
  criticality: null,
  environment: null,
  owner: null,
  depth: 1,
});

describe('what the graph panel is about', () => {
  it('an engine group reads as its field, value and count, never as a CI', () => {
    const g = fromNeighbourhood({
      nodes: [node('hub', 'cluster')],
      edges: [],
      groups: [
        { id: 'group:owner=team-x', by: 'owner', value: 'team-x', count: 9, types: [{ type: 'server', count: 9 }], depth: 1 },
        { id: 'group:owner=', by: 'owner', value: null, count: 2, types: [{ type: 'server', count: 2 }], depth: 1 },
        {
          id: 'group:type=application',
          by: 'type',
          value: 'application',
          count: 57,
          types: [{ type: 'application', count: 57 }],
          depth: 1,
        },
      ],
    });
    const { nodes } = buildElements(g, { center: 'hub', groupThreshold: 0, openGroups: new Set() });
    expect(selectedGroup('group:owner=team-x', nodes, g)).toEqual({
      id: 'group:owner=team-x',
      field: 'owner',
      value: 'team-x',
      count: 9,
      types: [{ type: 'server', count: 9 }],
      parentName: null,
    });
    expect(selectedGroup('group:owner=', nodes, g)?.value).toBe('no owner');
    expect(selectedGroup('group:type=application', nodes, g)).toMatchObject({ field: 'type', value: 'Application', count: 57 });
    expect(selectedGroup('hub', nodes, g)).toBeNull();
    expect(selectedGroup(null, nodes, g)).toBeNull();
  });

  it('a group of siblings reads as their type, count and the CI they hang off', () => {
    const leaves = Array.from({ length: 14 }, (_, i) => node(`srv${i}`, 'server'));
    const g = fromNeighbourhood({
      nodes: [node('hub', 'cluster', 'Cluster\nLDN'), ...leaves],
      edges: leaves.map((l, i) => ({ id: i + 1, source: l.key, target: 'hub', type: 'member_of', redundancyGroup: null, minUp: null })),
    });
    const { nodes } = buildElements(g, { center: 'hub', groupThreshold: 12, openGroups: new Set() });
    expect(selectedGroup('group:hub:server', nodes, g)).toEqual({
      id: 'group:hub:server',
      field: 'type',
      value: 'Server',
      count: 14,
      types: [{ type: 'server', count: 14 }],
      parentName: 'Cluster LDN',
    });
  });
});
