import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../shared/domain.js';
import { oneLine } from '../../renderer/src/graph/labels.js';
import { buildElements, fromNeighbourhood } from '../../renderer/src/graph/model.js';

const node = (key: string, name: string): GraphNode => ({
  id: key.length,
  key,
  name,
  type: 'application',
  status: null,
  criticality: null,
  environment: null,
  owner: null,
  depth: 0,
});

describe('multi-line CI names', () => {
  it('oneLine turns line breaks (and the spaces around them) into one space', () => {
    expect(oneLine('Payments API\nprimary')).toBe('Payments API primary');
    expect(oneLine('Payments API \r\n  primary\r\n')).toBe('Payments API primary');
    expect(oneLine('a\n\n\nb\rc\u2028d')).toBe('a b c d');
    expect(oneLine('No  break here')).toBe('No  break here');
  });

  it('a CI whose name has line breaks is labelled on one line on the canvas', () => {
    const g = fromNeighbourhood({ nodes: [node('app-1', 'Order\nService\r\n(EU)')], edges: [] });
    const els = buildElements(g, { center: 'app-1', groupThreshold: 12, openGroups: new Set() });
    expect(els.nodes.map((n) => n.data.label)).toEqual(['Order Service (EU)']);
  });

  it('a group whose value has line breaks is labelled on one line, its count kept', () => {
    const g = fromNeighbourhood({
      nodes: [],
      edges: [],
      groups: [
        { id: 'group:location=x', by: 'location', value: 'London\nLD4 Hall 2', count: 7, types: [{ type: 'server', count: 7 }], depth: 1 },
      ],
    });
    const [group] = buildElements(g, { center: null, groupThreshold: 0, openGroups: new Set() }).nodes;
    expect(group!.data.label).toBe('London LD4 Hall 2 (7)');
    expect(group!.data.fullLabel).toBe('London LD4 Hall 2 (7)');
  });
});
