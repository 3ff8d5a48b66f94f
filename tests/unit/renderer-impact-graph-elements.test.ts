import { describe, expect, it } from 'vitest';
import { elementsOf, groupElementsOf } from '../../renderer/src/impact/graphElements.js';
import type { Subgraph } from '../../renderer/src/impact/model.js';

/** A drawn node's label. */
const labelOf = (n: { data: object }) => (n.data as { label?: string }).label;

/** A name as a spreadsheet cell holds it: on three lines. */
const MULTI = 'Line 4 packaging\nSCADA (Siemens WinCC)\r\nbackup';
const ONE_LINE = 'Line 4 packaging SCADA (Siemens WinCC) backup';

describe('the Impact screen graph labels', () => {
  it('labels a CI named on several lines with its name on one line, as the Graph screen does', () => {
    const graph: Subgraph = {
      nodes: [
        { key: 'scada-1', name: MULTI, type: 'scada_server', state: 'changed' },
        { key: 'line-4', name: 'Line 4', type: 'business_service', state: 'down' },
      ],
      edges: [{ id: 'line-4->scada-1:depends_on', source: 'line-4', target: 'scada-1', rel: 'depends_on' }],
      shown: 1,
      omitted: 0,
    };
    const nodes = elementsOf(graph, 'downstream').nodes;
    // The whole name (for the pointer) on one line; the label it is drawn with, cut to the width names are drawn at.
    expect(Object.fromEntries(nodes.map((n) => [n.data.id, (n.data as { name?: string }).name]))).toEqual({
      'scada-1': ONE_LINE,
      'line-4': 'Line 4',
    });
    expect(labelOf(nodes[1]!)).toBe('Line 4');
    expect(labelOf(nodes[0]!)).toMatch(/^Line 4 packaging SCA.*…$/);
  });

  it("cuts a 200-character name with an ellipsis, so one long name does not set the fitted graph's zoom", () => {
    const graph: Subgraph = {
      nodes: [{ key: 'long', name: 'N'.repeat(200), type: 'server', state: 'changed' }],
      edges: [],
      shown: 1,
      omitted: 0,
    };
    const label = labelOf(elementsOf(graph, 'downstream').nodes[0]!)!;
    expect(label.endsWith('…')).toBe(true);
    expect(label.length).toBeLessThan(30);
    expect(label.length).toBeGreaterThan(20);
  });

  it('puts a service group named on several lines on one line, its counts on the next', () => {
    const els = groupElementsOf({
      by: 'service',
      nodes: [{ id: 'bs-line-4', label: MULTI, criticality: 'high', changed: 0, down: 3, degraded: 1, total: 4, groups: 1 }],
      edges: [],
      folded: 0,
    });
    // The name cut to the width a group's label is drawn at (GROUP_LABEL_MAX_PX at 11 px), so it never wraps and the counts show whole.
    const [name, counts] = labelOf(els.nodes[0]!)!.split('\n');
    expect(name).toMatch(/^Line 4 packaging SCADA \(Siemens WinCC.*…$/);
    expect(counts).toBe('3 down · 1 degraded');
  });
});
