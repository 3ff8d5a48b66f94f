/** Issue 16's pure parts of the graph view: label placement, arrow-key moves, engine groups and implied edges, the export of the drawing, saved-view parameters. */
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../shared/domain.js';
import type { Response } from '../../shared/api.js';
import { type ExportGraph, exportGraphSchema } from '../../shared/graph.js';
import { groupLabel, neighbourhoodGraph, writeGraph } from '../../shared/graph-export.js';
import { exportDrawn } from '../../renderer/src/graph/exportView.js';
import { pickInDirection } from '../../renderer/src/graph/keyNav.js';
import {
  edgeLabelAngle,
  edgeLabelBox,
  GROUP_LABEL_MAX_PX,
  LABEL_MAX_PX,
  labelBox,
  placeLabels,
  turnedOverlap,
  type LabelCandidate,
} from '../../renderer/src/graph/labels.js';
import { buildElements, fromNeighbourhood } from '../../renderer/src/graph/model.js';
import { readGraphParams, specParams, viewSpec } from '../../renderer/src/graph/params.js';
import { pathMessage } from '../../renderer/src/graph/pathMessage.js';

const node = (key: string, type = 'application', depth = 1): GraphNode => ({
  id: key.length,
  key,
  name: key.toUpperCase(),
  type,
  status: 'operational',
  criticality: 'high',
  environment: 'production',
  owner: 'team-a',
  depth,
});
const cand = (id: string, x: number, y: number, priority = 0, degree = 0, label = 'A label'): LabelCandidate => ({
  id,
  x,
  y,
  half: 10,
  label,
  priority,
  degree,
});

describe('label placement', () => {
  it('keeps labels that do not overlap, the most important first, trying other sides of a node', () => {
    // Three nodes in a row 40 px apart: one label below, neighbours above/beside only where free.
    const shown = placeLabels([cand('a', 100, 100, 0, 1), cand('centre', 140, 100, 4, 0), cand('hub', 180, 100, 0, 9)]);
    expect(shown.get('centre')).toBe('below');
    const boxes = [...shown].map(([id, side]) => labelBox(cand(id, id === 'a' ? 100 : id === 'centre' ? 140 : 180, 100), side));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, q] = [boxes[i]!, boxes[j]!];
        expect(p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2).toBe(false);
      }
    // The hub (degree 9) wins over the leaf (degree 1) for what room is left.
    expect(shown.has('hub')).toBe(true);
  });

  it('drops a label that fits nowhere, and never covers another node', () => {
    // A ring of nodes packed around one: the inner node's label has no free side.
    const around = [cand('n', 200, 170), cand('s', 200, 230), cand('e', 270, 200), cand('w', 130, 200)];
    const shown = placeLabels([cand('inner', 200, 200, -1, 0, 'A long label that is wide'), ...around]);
    expect(shown.has('inner')).toBe(false);
    expect(shown.size).toBeGreaterThan(0);
  });

  it('gives a group label its own width, so the room kept for it holds the count after a cut value', () => {
    const label = 'London LD4, Hall 2, R… (18,892)';
    const ci = labelBox(cand('ci', 500, 100, 0, 0, label));
    const group = labelBox({ ...cand('g', 500, 100, 0, 0, label), maxPx: GROUP_LABEL_MAX_PX });
    expect(ci.x2 - ci.x1).toBe(LABEL_MAX_PX);
    expect(group.x2 - group.x1).toBeGreaterThan(LABEL_MAX_PX);
    expect(group.x2 - group.x1).toBeLessThanOrEqual(GROUP_LABEL_MAX_PX);
    // A neighbour whose label sits where the wider group label reaches loses to the group (placed first).
    const shown = placeLabels([{ ...cand('g', 500, 100, 1, 0, label), maxPx: GROUP_LABEL_MAX_PX }, cand('n', 620, 100, 0, 0, 'Neighbour')]);
    expect(shown.get('g')).toBe('below');
    expect(shown.get('n')).not.toBe('below');
  });

  it('keeps a label on the canvas: a node at its edge takes a side that fits, or shows none', () => {
    const view = { x1: 0, y1: 0, x2: 400, y2: 300 };
    // Near the left edge, with the room below and above taken by neighbours: only the right side fits on the canvas.
    const edge = [cand('left', 12, 150, 1), cand('under', 12, 185), cand('over', 12, 115)];
    const shown = placeLabels(edge, [], 1, view);
    expect(shown.get('left')).toBe('right');
    for (const [id, side] of shown) {
      const c = edge.find((x) => x.id === id)!;
      const b = labelBox(c, side);
      expect(b.x1 >= 0 && b.x2 <= 400 && b.y1 >= 0 && b.y2 <= 300, `${id} ${side}`).toBe(true);
    }
    // At the bottom right corner no side fits: no label rather than a cut one; without a view, it is placed.
    expect(placeLabels([cand('corner', 398, 298)], [], 1, view).has('corner')).toBe(false);
    expect(placeLabels([cand('corner', 398, 298)]).has('corner')).toBe(true);
  });

  it('keeps far-apart labels all', () => {
    const many = Array.from({ length: 50 }, (_, i) => cand(`n${i}`, (i % 10) * 300, Math.floor(i / 10) * 200));
    expect(placeLabels(many).size).toBe(50);
  });
});

describe('arrow keys', () => {
  const from = { x: 0, y: 0 };
  const ns = [
    { id: 'below', x: 5, y: 100 },
    { id: 'right', x: 120, y: 10 },
    { id: 'far-right', x: 400, y: 0 },
    { id: 'above-left', x: -80, y: -90 },
  ];
  it('picks the neighbour most nearly in the arrow’s direction, the nearer of two', () => {
    expect(pickInDirection(from, ns, 'ArrowDown')).toBe('below');
    expect(pickInDirection(from, ns, 'ArrowRight')).toBe('right');
    expect(pickInDirection(from, ns, 'ArrowUp')).toBe('above-left');
    expect(pickInDirection(from, ns, 'ArrowLeft')).toBe('above-left');
  });
  it('says none when nothing lies that way', () => {
    expect(pickInDirection(from, [{ id: 'r', x: 100, y: 0 }], 'ArrowLeft')).toBeNull();
  });
});

describe('engine groups and implied edges', () => {
  const raw = {
    nodes: [node('c', 'business_service', 0), node('db', 'database', 2)],
    edges: [],
    groups: [
      { id: 'group:type=application', by: 'type', value: 'application', count: 57, types: [{ type: 'application', count: 57 }], depth: 1 },
      { id: 'group:owner=∅', by: 'owner', value: null, count: 3, types: [{ type: 'server', count: 3 }], depth: 1 },
    ],
    groupEdges: [{ source: 'c', target: 'group:type=application', type: 'depends_on', count: 57 }],
    implied: [{ source: 'c', target: 'db', hidden: 8, via: ['application'] }],
    hidden: 8,
  };
  const n = fromNeighbourhood(raw);
  const els = buildElements(n, { center: 'c', groupThreshold: 0, openGroups: new Set() });

  it('draws groups labelled "value (count)" and their edges counted', () => {
    expect(groupLabel({ by: 'type', value: 'application', count: 57 })).toBe('Application (57)');
    expect(groupLabel({ by: 'owner', value: null, count: 3 })).toBe('no owner (3)');
    const g = els.nodes.find((x) => x.data.id === 'group:type=application')!;
    expect(g.data).toMatchObject({ label: 'Application (57)', groupBy: 'type', groupValue: 'application', count: 57 });
    expect(els.edges.find((e) => e.data.target === 'group:type=application')!.data.label).toBe('depends on ×57');
  });

  it('draws an implied edge the way the chain runs, labelled with the hidden CIs', () => {
    const e = els.edges.find((x) => x.data.implied)!;
    expect(e.data).toMatchObject({ source: 'c', target: 'db', hidden: 8, label: 'via 8 hidden (Application)' });
  });

  it('leaves out an implied edge whose end is not drawn', () => {
    const g = fromNeighbourhood({ nodes: [node('c')], edges: [], implied: [{ source: 'c', target: 'gone', hidden: 1, via: [] }] });
    expect(buildElements(g, { center: 'c', groupThreshold: 0, openGroups: new Set() }).edges).toEqual([]);
  });

  it('exports what is drawn, with positions, states, groups and implied edges, in every format', () => {
    const pos = new Map([
      ['c', { x: 1.234, y: 2 }],
      ['db', { x: 3, y: 4 }],
    ]);
    const out = exportGraphSchema.parse(exportDrawn(els, n, pos, { truncated: false, omitted: 0 }));
    expect(out.nodes.map((x) => x.key).sort()).toEqual(els.nodes.map((x) => x.data.id).sort());
    expect(out.nodes.find((x) => x.key === 'c')).toMatchObject({
      kind: 'ci',
      status: 'operational',
      x: 1.2,
      y: 2,
      type: 'business_service',
    });
    expect(out.nodes.find((x) => x.key === 'group:type=application')).toMatchObject({ kind: 'group', count: 57 });
    expect(out.edges.find((e) => e.kind === 'implied')).toMatchObject({ source: 'c', target: 'db', hidden: 8 });
    expect(out.edges.find((e) => e.kind === 'group')).toMatchObject({ count: 57 });
    for (const f of ['json', 'graphml', 'dot', 'drawio'] as const) expect(writeGraph(f, out).content).toContain('group:type=application');
    // The CLI's and the web's export (neighbourhoodGraph) name each group as the canvas draws it.
    const engine = neighbourhoodGraph({ center: 'c', truncated: false, ...raw } as unknown as Response<'neighbourhood'>);
    const named = (g: ExportGraph) => g.nodes.filter((x) => x.kind === 'group').map((x) => [x.key, x.name]);
    expect(named(engine)).toEqual([
      ['group:type=application', 'Application (57)'],
      ['group:owner=∅', 'no owner (3)'],
    ]);
    expect(named(out)).toEqual(named(engine));
  });
});

describe('path message and saved-view parameters', () => {
  it('says which way the path runs, and when none runs the asked way', () => {
    expect(pathMessage('A', 'B', { hops: 2, forward: true, names: ['A', 'X', 'B'] })).toBe('Shortest path A → B: 2 hops: A → X → B.');
    expect(pathMessage('A', 'B', { hops: 1, forward: false, names: ['B', 'A'] })).toBe(
      'Shortest path B → A: 1 hop (none runs from A to B): B → A.',
    );
    expect(pathMessage('A', 'B', null)).toMatch(/^No path between A and B along the relationships' direction/);
  });

  it('turns the parameters into a saved view and back', () => {
    const p = readGraphParams({ dir: 'upstream', depth: '3', ct: 'database', gb: 'location', gx: '["London",null]', layout: 'force' });
    expect(p.groupBy).toBe('location');
    expect(p.expand).toEqual(['London', null]);
    const spec = viewSpec('bs-checkout', p);
    expect(spec).toEqual({
      center: 'bs-checkout',
      direction: 'upstream',
      depth: 3,
      ciTypes: ['database'],
      grouping: { by: 'location', expand: ['London', null], minSize: 2 },
      layout: 'force',
      maxNodes: 500,
      siblings: true,
    });
    const again = readGraphParams(specParams(spec));
    expect(viewSpec('bs-checkout', again)).toEqual(spec);
  });

  it('ignores a malformed expand list', () => {
    expect(readGraphParams({ gx: 'not json' }).expand).toEqual([]);
    expect(readGraphParams({ gx: '{"a":1}' }).expand).toEqual([]);
  });
});

describe('labels and overlays', () => {
  it('puts no label under an overlay: it moves to a free side, or is left out', () => {
    const c = { id: 'a', x: 100, y: 100, half: 10, label: 'Under the notice', priority: 0, degree: 0 };
    expect(placeLabels([c]).get('a')).toBe('below');
    // A notice covering everything below the node: the label goes above it.
    expect(placeLabels([c], [{ x1: 0, y1: 105, x2: 400, y2: 200 }]).get('a')).toBe('above');
    expect(placeLabels([c], [{ x1: 0, y1: 0, x2: 400, y2: 400 }]).has('a')).toBe(false);
  });
});

describe('group labels', () => {
  it('cuts a long value, never the count', () => {
    expect(groupLabel({ by: 'location', value: 'London LD4, Hall 2, Rack A10', count: 12 }, 22)).toBe('London LD4, Hall 2, R… (12)');
    expect(groupLabel({ by: 'location', value: 'London LD4', count: 1234 }, 22)).toBe('London LD4 (1,234)');
  });
});

describe('edge labels drawn along their edge, and labels drawn always (found by a tester)', () => {
  it('tells labels on edges side by side from labels over each other, by their turned rectangles', () => {
    const steep = Math.PI / 3;
    // Two labels along parallel steep edges 30 px apart: their upright boxes overlap, the turned rectangles do not.
    const a = edgeLabelBox({ x: 100, y: 100 }, 'depends on', 11, steep);
    const b = edgeLabelBox({ x: 130, y: 100 }, 'depends on', 11, steep);
    expect(turnedOverlap(a.turned, b.turned)).toBe(false);
    // Two labels along edges fanning into one hub, their midpoints close: they overlap, and only one is placed.
    const c = edgeLabelBox({ x: 100, y: 100 }, 'depends on', 11, 0.35);
    const d = edgeLabelBox({ x: 110, y: 108 }, 'depends on', 11, 0.55);
    expect(turnedOverlap(c.turned, d.turned)).toBe(true);
    const edge = (id: string, l: ReturnType<typeof edgeLabelBox>): LabelCandidate => ({
      id,
      x: 0,
      y: 0,
      half: 0,
      label: 'depends on',
      priority: -1,
      degree: 0,
      ...l,
    });
    expect(placeLabels([edge('e1', a), edge('e2', b)]).size).toBe(2);
    expect(placeLabels([edge('e1', c), edge('e2', d)]).size).toBe(1);
    expect(edgeLabelAngle({ x: 0, y: 0 }, { x: -10, y: 0 })).toBeCloseTo(0);
  });

  it('draws a group’s label with no free side, clear of the other labels where it can be', () => {
    const view = { x1: 0, y1: 0, x2: 400, y2: 300 };
    const group = (id: string, x: number): LabelCandidate => ({
      ...cand(id, x, 150, 3.5, 0, '166 × Virtual machine'),
      maxPx: GROUP_LABEL_MAX_PX,
      always: true,
    });
    // Hemmed in by a row of CIs above and below, and the canvas's edge beside.
    const row = (y: number) => Array.from({ length: 20 }, (_, i) => cand(`r${y}-${i}`, i * 20, y, 0, 0, ''));
    const shown = placeLabels([group('g1', 200), group('g2', 230), ...row(130), ...row(170)], [], 1, view);
    expect(shown.has('g1')).toBe(true);
    expect(shown.has('g2')).toBe(true);
    expect(shown.get('g1')).not.toBe(shown.get('g2'));
  });

  it('leaves out a label named first that has no side clear of the others on the canvas, rather than pile it on one (found by a CAB chair)', () => {
    const view = { x1: 0, y1: 0, x2: 300, y2: 120 };
    const name = 'Recommendations internal partner settlement service 04\n2 down';
    const group = (id: string, x: number, extra: Partial<LabelCandidate> = {}): LabelCandidate => ({
      ...cand(id, x, 60, 3.4, 0, name),
      maxPx: GROUP_LABEL_MAX_PX,
      always: true,
      ...extra,
    });
    // Three groups side by side on a canvas one long label wide: below, above and no third side for the third.
    const shown = placeLabels([group('a', 140), group('b', 150), group('c', 160)], [], 1, view);
    expect([...shown.keys()].sort()).toEqual(['a', 'b']);
    const boxes = [...shown].map(([id, side]) => labelBox(group(id, id === 'a' ? 140 : 150), side));
    expect(boxes[0]!.y2 <= boxes[1]!.y1 || boxes[1]!.y2 <= boxes[0]!.y1).toBe(true);
    // Hemmed in by the labels of two CIs named before it, above and below (its sides off the canvas), one its stylesheet draws
    // anyway (the Graph screen's groups) keeps the labels after it clear of it, below its node.
    const tall = { x1: 0, y1: 0, x2: 300, y2: 200 };
    const under = (drawnAnyway: boolean) =>
      placeLabels([cand('p1', 150, 10, 5), cand('p2', 150, 100, 5), group('g', 150, { drawnAnyway }), cand('h', 60, 100)], [], 1, tall);
    expect(under(false).has('g')).toBe(false);
    expect(under(false).has('h')).toBe(true);
    expect(under(true).has('g')).toBe(false);
    expect(under(true).has('h')).toBe(false);
    // Under an overlay rather than left out, clear of the other labels.
    const panel = placeLabels([cand('p1', 150, 10, 5), group('g', 150)], [{ x1: 0, y1: 70, x2: 300, y2: 200 }], 1, tall);
    expect(panel.get('g')).toBe('below');
  });

  it('counts the lines a long line of a group label wraps to (its counts under its name)', () => {
    const c = { ...cand('g', 100, 100, 0, 0, 'No business service\n2 changed · 95,481 down · 31,466 degraded · more'), maxPx: 200 };
    const box = labelBox(c);
    expect(box.y2 - box.y1).toBeCloseTo(12 * 1.3 * 3);
    // A one-line label is cut to its width, not wrapped.
    const one = labelBox({ ...c, label: 'x'.repeat(60) });
    expect(one.y2 - one.y1).toBeCloseTo(12 * 1.3);
  });
});
