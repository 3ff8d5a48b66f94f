/**
 * shared/graph-export.ts: every format, parsed back, holds the same nodes and
 * edges (keys, edge ends and types, kinds and states), with awkward names
 * (quotes, <, &, backslashes, unicode, line breaks) intact.
 */
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { exportGraphSchema, GRAPH_EXPORT_FORMATS, type ExportGraph, type GraphExportFormat } from '../../shared/graph.js';
import type { Response } from '../../shared/api.js';
import type { GraphNode } from '../../shared/domain.js';
import { neighbourhoodGraph, writeGraph } from '../../shared/graph-export.js';
import { exportDrawn } from '../../renderer/src/graph/exportView.js';
import { buildElements, fromNeighbourhood } from '../../renderer/src/graph/model.js';
import { fitLabel, GROUP_LABEL_MAX_PX, LABEL_MAX_PX, textWidth } from '../../renderer/src/graph/labels.js';
import { sceneSvg, type SvgEdge, type SvgNode } from '../../renderer/src/graph/svg.js';

const AWKWARD = ['Say "hello" & <goodbye>', "it's a \\ back\\slash\\", 'Zürich – 東京 🚀', 'two\nlines\r\nand\ttab', 'x]]><!--'];

const GRAPH: ExportGraph = exportGraphSchema.parse({
  nodes: [
    { key: 'APP-1', name: AWKWARD[0], type: 'application', status: 'live', criticality: 'high', depth: 0, x: 10, y: 20 },
    { key: 'DB "main" <1>', name: AWKWARD[1], type: 'database', state: 'down', depth: 1 },
    { key: 'Zürich\\', name: AWKWARD[2], type: 'server', owner: 'ops & co', environment: null },
    { key: 'LB-1', name: AWKWARD[3], type: 'load_balancer', state: 'degraded' },
    { key: 'group:owner=a&b', name: AWKWARD[4], type: 'server', kind: 'group', count: 42, depth: 2 },
  ],
  edges: [
    { source: 'APP-1', target: 'DB "main" <1>', type: 'depends_on', redundancyGroup: 'rg<1>' },
    { source: 'APP-1', target: 'LB-1', type: 'uses' },
    { source: 'APP-1', target: 'Zürich\\', type: 'depends_on', kind: 'implied', hidden: 3 },
    { source: 'LB-1', target: 'group:owner=a&b', type: 'connects_to', kind: 'group', count: 42 },
    // A second, parallel edge of another type between the same CIs.
    { source: 'APP-1', target: 'DB "main" <1>', type: 'uses' },
  ],
});

interface Parsed {
  nodes: Array<{ key: string; name: string; type: string; kind: string; state?: string }>;
  edges: Array<{ source: string; target: string; type: string; kind: string }>;
}

function xml(content: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(content, 'text/xml');
  expect(errors).toEqual([]);
  return doc as unknown as Document;
}

function parseGraphMl(content: string): Parsed {
  const doc = xml(content);
  const keyName = new Map<string, string>();
  for (const k of Array.from(doc.getElementsByTagName('key'))) keyName.set(k.getAttribute('id')!, k.getAttribute('attr.name')!);
  const data = (el: Element) =>
    Object.fromEntries(Array.from(el.getElementsByTagName('data')).map((d) => [keyName.get(d.getAttribute('key')!), d.textContent ?? '']));
  // Every data key used is declared.
  for (const d of Array.from(doc.getElementsByTagName('data'))) expect(keyName.has(d.getAttribute('key')!)).toBe(true);
  return {
    nodes: Array.from(doc.getElementsByTagName('node')).map((n) => {
      const a = data(n);
      return { key: n.getAttribute('id')!, name: a.name!, type: a.type!, kind: a.kind!, state: a.state };
    }),
    edges: Array.from(doc.getElementsByTagName('edge')).map((e) => {
      const a = data(e);
      return { source: e.getAttribute('source')!, target: e.getAttribute('target')!, type: a.type!, kind: a.kind! };
    }),
  };
}

function parseDrawio(content: string): Parsed {
  const doc = xml(content);
  const objects = Array.from(doc.getElementsByTagName('object'));
  const cell = (o: Element) => o.getElementsByTagName('mxCell')[0]!;
  const keyOfId = new Map(
    objects.filter((o) => cell(o).getAttribute('vertex') === '1').map((o) => [o.getAttribute('id')!, o.getAttribute('key')!]),
  );
  const attr = (o: Element, name: string) => (o.hasAttribute(name) ? o.getAttribute(name)! : undefined);
  return {
    nodes: objects
      .filter((o) => cell(o).getAttribute('vertex') === '1')
      .map((o) => ({
        key: attr(o, 'key')!,
        name: attr(o, 'name')!,
        type: attr(o, 'type')!,
        kind: attr(o, 'kind')!,
        state: attr(o, 'state'),
      })),
    edges: objects
      .filter((o) => cell(o).getAttribute('edge') === '1')
      .map((o) => ({
        source: keyOfId.get(cell(o).getAttribute('source')!)!,
        target: keyOfId.get(cell(o).getAttribute('target')!)!,
        type: attr(o, 'type')!,
        kind: attr(o, 'kind')!,
      })),
  };
}

/**
 * A quoted DOT string as Graphviz's lexer reads it (lib/cgraph/scan.l): \" is a quote, a backslash
 * before a line feed is dropped with it, \\ stays two characters, any other backslash one.
 */
function dotUnquote(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const next = body[i + 1];
    if (c === '\\' && (next === '"' || next === '\\' || next === '\n')) {
      out += next === '"' ? '"' : next === '\\' ? '\\\\' : '';
      i++;
    } else out += c;
  }
  return out;
}

/** A label's text as Graphviz draws it: \\ one backslash, \n \l \r line breaks, another escaped character itself. */
function dotLabelText(value: string): string {
  return value.replace(/\\(.)/gs, (_, c: string) => (c === 'n' || c === 'l' || c === 'r' ? '\n' : c));
}

/** Reads the DOT this writer emits as Graphviz does: quoted ids, `a -> b`, [k=v, …] lists; every node's attributes and label. */
function parseDotFull(content: string) {
  const tokens: string[] = [];
  // A quoted string ends at the first quote not escaped by the lexer's rules (\" ; \\ pairs first).
  const re = /"((?:[^"\\]|\\[\s\S])*)"|->|[[\]{};=,]|[A-Za-z0-9_.-]+|\s+/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < content.length && (m = re.exec(content))) {
    if (/^\s+$/.test(m[0])) continue;
    tokens.push(m[1] !== undefined ? dotUnquote(m[1]) : m[0]);
  }
  expect(re.lastIndex, 'every character is part of a DOT token').toBe(content.length);
  const nodes: Array<Record<string, string>> = [];
  const edges: Array<Record<string, string>> = [];
  expect(tokens[0]).toBe('digraph');
  const title = tokens[1]!;
  let i = tokens.indexOf('{') + 1;
  const attrs = (): Record<string, string> => {
    const a: Record<string, string> = {};
    if (tokens[i] !== '[') return a;
    i++;
    while (tokens[i] !== ']') {
      expect(tokens[i + 1]).toBe('=');
      a[tokens[i]!] = tokens[i + 2]!;
      i += tokens[i + 3] === ',' ? 4 : 3;
    }
    i++;
    return a;
  };
  while (tokens[i] !== '}') {
    const first = tokens[i++]!;
    if (['graph', 'node', 'edge'].includes(first)) {
      attrs();
    } else if (tokens[i] === '->') {
      const target = tokens[i + 1]!;
      i += 2;
      edges.push({ ...attrs(), source: first, target });
    } else {
      nodes.push({ ...attrs(), key: first });
    }
    expect(tokens[i++]).toBe(';');
  }
  expect(tokens.slice(i)).toEqual(['}']);
  return { title, nodes, edges };
}

/**
 * A value as Graphviz reads it back from this writer: exactly, but for a run of backslashes before
 * a quote, a line feed or at the end, which DOT cannot write as it is (it would escape the quote): doubled.
 */
const asGraphvizReads = (v: string) => v.replace(/(\\+)(?="|\n|$)/g, '$1$1');

function parseDot(content: string): Parsed {
  const g = parseDotFull(content);
  return {
    nodes: g.nodes.map((a) => ({ key: a.key!, name: a.name!, type: a.type!, kind: a.kind!, state: a.state })),
    edges: g.edges.map((a) => ({ source: a.source!, target: a.target!, type: a.type!, kind: a.kind! })),
  };
}

function parseBack(format: GraphExportFormat, content: string): Parsed {
  switch (format) {
    case 'json': {
      const g = exportGraphSchema.parse(JSON.parse(content));
      return {
        nodes: g.nodes.map((n) => ({ key: n.key, name: n.name, type: n.type, kind: n.kind, state: n.state ?? undefined })),
        edges: g.edges.map((e) => ({ source: e.source, target: e.target, type: e.type, kind: e.kind })),
      };
    }
    case 'graphml':
      return parseGraphMl(content);
    case 'dot':
      return parseDot(content);
    case 'drawio':
      return parseDrawio(content);
  }
}

const expected: Parsed = {
  nodes: GRAPH.nodes.map((n) => ({ key: n.key, name: n.name, type: n.type, kind: n.kind, state: n.state ?? undefined })),
  edges: GRAPH.edges.map((e) => ({ source: e.source, target: e.target, type: e.type, kind: e.kind })),
};

describe('writeGraph', () => {
  it.each(GRAPH_EXPORT_FORMATS)('%s holds the same nodes and edges, awkward names intact', (format) => {
    const file = writeGraph(format, GRAPH, 'Impact of "APP-1" & co');
    expect(file.extension).toBe(format);
    expect(file.mime).not.toBe('');
    const back = parseBack(format, file.content);
    const read = (v: string) => (format === 'dot' ? asGraphvizReads(v) : v);
    expect(back.nodes).toEqual(expected.nodes.map((n) => ({ ...n, key: read(n.key), name: read(n.name) })));
    expect(back.edges).toEqual(expected.edges.map((e) => ({ ...e, source: read(e.source), target: read(e.target) })));
  });

  it('JSON is exactly {nodes, edges}, with the key/name/type and source/target/type fields', () => {
    const parsed = JSON.parse(writeGraph('json', GRAPH).content) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['nodes', 'edges']);
    expect(parsed.nodes).toEqual(GRAPH.nodes);
    expect(parsed.edges).toEqual(GRAPH.edges);
  });

  it('GraphML declares every attribute with attr.name and attr.type, positions as x/y', () => {
    const content = writeGraph('graphml', GRAPH).content;
    const doc = xml(content);
    const keys = Array.from(doc.getElementsByTagName('key')).map(
      (k) => `${k.getAttribute('for')}:${k.getAttribute('attr.name')}:${k.getAttribute('attr.type')}`,
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'node:type:string',
        'node:status:string',
        'node:x:double',
        'node:y:double',
        'node:count:int',
        'edge:type:string',
        'edge:hidden:int',
      ]),
    );
    const app = Array.from(doc.getElementsByTagName('node')).find((n) => n.getAttribute('id') === 'APP-1')!;
    expect(app.getElementsByTagName('data').length).toBeGreaterThan(0);
    expect(content).toContain('<data key="n_x">10</data><data key="n_y">20</data>');
    // No yEd extensions: plain GraphML.
    expect(content).not.toContain('yworks');
  });

  it('DOT draws implied edges dashed and groups as 3-D boxes with their count', () => {
    const content = writeGraph('dot', GRAPH).content;
    const implied = content.split('\n').find((l) => l.includes('kind="implied"'))!;
    expect(implied).toContain('style="dashed"');
    const group = content.split('\n').find((l) => l.includes('kind="group"') && l.includes('shape'))!;
    expect(group).toContain('shape="box3d"');
    expect(group).toContain('42 × server');
    // An edge to the group reads as on the canvas: the type in words, with how many relationships it stands for.
    const groupEdge = content.split('\n').find((l) => l.includes('->') && l.includes('kind="group"'))!;
    expect(groupEdge).toContain('label="connects to ×42"');
  });

  it('DOT as Graphviz reads it: every node has its name exactly, labels draw it, awkward keys stay distinct and the syntax holds', () => {
    const names = [
      ...AWKWARD,
      'ends in \\',
      'two\\\\ at the end\\\\',
      '\\"quoted\\"',
      '\\N \\G \\l',
      'line\\\nfeed',
      '',
      'NUL\u0000 and BEL\u0007',
    ];
    const keys = ['K\\', 'K\\\\', 'K"', 'K\\"', 'Zürich – 東京', 'a\nb', 'group:owner=∅'];
    const g = exportGraphSchema.parse({
      nodes: [
        ...names.map((name, i) => ({ key: `n${i}`, name, type: 'application' })),
        ...keys.map((key) => ({ key, name: key, type: 'server', owner: 'ops \\ "co"' })),
      ],
      edges: keys.map((key, i) => ({ source: key, target: `n${i}`, type: 'depends_on' })),
    });
    const content = writeGraph('dot', g, 'Neighbourhood of "K\\"').content;
    const back = parseDotFull(content);
    // eslint-disable-next-line no-control-regex
    const clean = (v: string) => v.replace(/[\u0000\u0007]/g, '\uFFFD');
    expect(back.title).toBe(asGraphvizReads('Neighbourhood of "K\\"'));
    expect(back.nodes.map((n) => n.key)).toEqual(g.nodes.map((n) => asGraphvizReads(n.key)));
    expect(new Set(back.nodes.map((n) => n.key)).size).toBe(g.nodes.length);
    // The name is on every node, read back exactly (see asGraphvizReads), and its label draws it.
    for (const [i, n] of back.nodes.entries()) {
      const want = clean(g.nodes[i]!.name);
      expect(n.name, JSON.stringify(want)).toBe(asGraphvizReads(want));
      expect(dotLabelText(n.label!).split('\n').slice(0, -1).join('\n'), JSON.stringify(want)).toBe(want.replace(/\r\n|\r/g, '\n'));
    }
    expect(back.nodes.every((n) => n.name !== undefined)).toBe(true);
    expect(back.nodes.find((n) => n.key === 'Zürich – 東京')?.owner).toBe('ops \\ "co"');
    expect(back.edges.map((e) => [e.source, e.target])).toEqual(keys.map((key, i) => [asGraphvizReads(key), `n${i}`]));
    // No control character reaches the file (Graphviz stops at a NUL with a syntax error).
    // eslint-disable-next-line no-control-regex
    expect(content).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // A value ending in backslashes cannot end a DOT string as it is: doubled, not swallowing the quote.
    expect(content).toContain('"ends in \\\\"');
  });

  it('draw.io styles by kind and state, geometry from x/y or a grid', () => {
    const doc = xml(writeGraph('drawio', GRAPH).content);
    const objects = Array.from(doc.getElementsByTagName('object'));
    const style = (key: string) =>
      objects
        .find((o) => o.getAttribute('key') === key)!
        .getElementsByTagName('mxCell')[0]!
        .getAttribute('style')!;
    expect(style('group:owner=a&b')).toContain('shape=cube');
    expect(style('DB "main" <1>')).toContain('fillColor=#f8cecc');
    const implied = objects.find((o) => o.getAttribute('kind') === 'implied')!;
    expect(implied.getElementsByTagName('mxCell')[0]!.getAttribute('style')).toContain('dashed=1');
    // Not every node has x/y, so a grid: distinct positions.
    const geos = Array.from(doc.getElementsByTagName('mxGeometry'))
      .filter((g) => g.getAttribute('relative') !== '1')
      .map((g) => `${g.getAttribute('x')},${g.getAttribute('y')}`);
    expect(new Set(geos).size).toBe(GRAPH.nodes.length);
  });

  it('a control character XML cannot hold is replaced, so the file still parses', () => {
    const g = exportGraphSchema.parse({ nodes: [{ key: 'K\u0001', name: 'bell\u0007', type: 't' }], edges: [] });
    for (const f of ['graphml', 'drawio'] as const) {
      const back = parseBack(f, writeGraph(f, g).content);
      expect(back.nodes.map((n) => [n.key, n.name])).toEqual([['K\uFFFD', 'bell\uFFFD']]);
    }
  });

  it('keys that differ only in characters GraphML and DOT cannot hold stay apart, with their edges (found by a tester)', () => {
    // a\x01 and a\x02 were both written a\uFFFD: Graphviz drew one node for two CIs, and GraphML had two nodes of one id.
    const g = exportGraphSchema.parse({
      nodes: [
        { key: 'hub', name: 'hub', type: 't' },
        { key: 'a\u0001', name: 'ctl1', type: 't' },
        { key: 'a\u0002', name: 'ctl2', type: 't' },
        // A key already written as one of them would be: it keeps its own id.
        { key: 'a\uFFFD', name: 'real', type: 't' },
      ],
      edges: [
        { source: 'hub', target: 'a\u0001', type: 'depends_on' },
        { source: 'hub', target: 'a\u0002', type: 'depends_on' },
        { source: 'hub', target: 'a\uFFFD', type: 'depends_on' },
      ],
    });
    for (const f of ['graphml', 'dot'] as const) {
      const back = f === 'dot' ? parseDotFull(writeGraph(f, g).content) : parseBack(f, writeGraph(f, g).content);
      expect(back.nodes.map((n) => [n.key, n.name])).toEqual([
        ['hub', 'hub'],
        ['a\uFFFD (2)', 'ctl1'],
        ['a\uFFFD (3)', 'ctl2'],
        ['a\uFFFD', 'real'],
      ]);
      expect(back.edges.map((e) => e.target)).toEqual(['a\uFFFD (2)', 'a\uFFFD (3)', 'a\uFFFD']);
    }
  });

  it('refuses an edge whose end is not a node, instead of each format doing something different', () => {
    const bad = { nodes: GRAPH.nodes, edges: [{ source: 'APP-1', target: 'NOPE', type: 'uses', kind: 'relationship' as const }] };
    for (const f of GRAPH_EXPORT_FORMATS) expect(() => writeGraph(f, bad)).toThrow(/NOPE/);
  });
});

/** A neighbourhood as the engine answers it: the centre, a database, a group of mixed types, one of one type, an implied edge. */
const ci = (key: string, type: string, depth: number): GraphNode => ({
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
const ANSWER = {
  center: 'c',
  nodes: [ci('c', 'business_service', 0), ci('db', 'database', 2)],
  edges: [],
  groups: [
    {
      id: 'group:location=fra1',
      by: 'location',
      value: 'fra1',
      count: 9,
      types: [
        { type: 'application', count: 6 },
        { type: 'server', count: 3 },
      ],
      depth: 1,
    },
    { id: 'group:owner=∅', by: 'owner', value: null, count: 3, types: [{ type: 'server', count: 3 }], depth: 1 },
  ],
  groupEdges: [{ source: 'c', target: 'group:location=fra1', type: 'depends_on', count: 9 }],
  implied: [{ source: 'c', target: 'db', hidden: 8, via: ['virtual_machine', 'application', 'server'] }],
  hidden: 8,
};

describe('the view as drawn, exported (the Export menu)', () => {
  const data = fromNeighbourhood(ANSWER);
  const els = buildElements(data, { center: 'c', groupThreshold: 0, openGroups: new Set() });
  const drawn = (cut = { truncated: false, omitted: 0 }) => exportDrawn(els, data, new Map(), cut);
  const engine = (truncated: boolean, omitted: number) =>
    neighbourhoodGraph({ ...ANSWER, truncated, omitted } as unknown as Response<'neighbourhood'>);

  it('a view cut at its cap says so in every format, as the CLI export of the same neighbourhood does', () => {
    for (const format of GRAPH_EXPORT_FORMATS) {
      const ui = writeGraph(format, drawn({ truncated: true, omitted: 37 }), 'Neighbourhood of c').content;
      const cli = writeGraph(format, engine(true, 37), 'Neighbourhood of c').content;
      if (format === 'json') {
        expect(JSON.parse(ui)).toMatchObject({ truncated: true, omitted: 37 });
        expect(JSON.parse(cli)).toMatchObject({ truncated: true, omitted: 37 });
      } else {
        const said = `Neighbourhood of c (cut at ${els.nodes.length} nodes: 37 more CIs not drawn)`;
        expect(ui, format).toContain(said);
        expect(cli, format).toContain(said);
      }
    }
    // Whole, nothing is said.
    expect(Object.keys(JSON.parse(writeGraph('json', drawn()).content) as object)).toEqual(['nodes', 'edges']);
    expect(writeGraph('dot', drawn(), 'Neighbourhood of c').content).not.toContain('cut at');
  });

  it('a group of several types is "mixed", one of a single type has it; count, field and value kept, as in the CLI export', () => {
    const groups = (g: ExportGraph) =>
      g.nodes
        .filter((x) => x.kind === 'group')
        .map(({ key, name, type, count, groupBy, groupValue }) => ({ key, name, type, count, groupBy, groupValue }));
    expect(groups(drawn())).toEqual([
      { key: 'group:location=fra1', name: 'fra1 (9)', type: 'mixed', count: 9, groupBy: 'location', groupValue: 'fra1' },
      { key: 'group:owner=∅', name: 'no owner (3)', type: 'server', count: 3, groupBy: 'owner', groupValue: null },
    ]);
    expect(groups(drawn())).toEqual(groups(engine(false, 0)));
    // Every format carries the field and value.
    const graphml = writeGraph('graphml', drawn()).content;
    expect(graphml).toContain('<data key="n_type">mixed</data>');
    expect(graphml).toContain('<data key="n_groupBy">location</data><data key="n_groupValue">fra1</data>');
    expect(writeGraph('dot', drawn()).content).toContain('type="mixed"');
    expect(writeGraph('drawio', drawn()).content).toMatch(/type="mixed"[^>]* groupBy="location" groupValue="fra1"/);
  });

  it('an implied edge reads "via N hidden (types)" as on the canvas, in draw.io and DOT alike, its types kept', () => {
    const canvas = els.edges.find((e) => e.data.implied)!.data.label;
    expect(canvas).toBe('via 8 hidden (Virtual machine, Application)');
    for (const g of [drawn(), engine(false, 0)]) {
      const doc = xml(writeGraph('drawio', g).content);
      const implied = Array.from(doc.getElementsByTagName('object')).find((o) => o.getAttribute('kind') === 'implied')!;
      expect(implied.getAttribute('label')).toBe(canvas);
      expect(implied.getAttribute('via')).toBe('virtual_machine,application,server');
      expect(parseDotLabels(writeGraph('dot', g).content)).toContain(canvas);
    }
    expect(drawn().edges.find((e) => e.kind === 'implied')).toEqual(engine(false, 0).edges.find((e) => e.kind === 'implied'));
  });
});

/** Every label="…" of a DOT file, unescaped. */
function parseDotLabels(content: string): string[] {
  return [...content.matchAll(/label="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

describe('the SVG picture of the view', () => {
  const PALETTE = { bg: '#fff', edge: '#888', label: '#222', accent: '#06c', danger: '#c00' } as unknown as Parameters<typeof sceneSvg>[2];
  const svgNode = (id: string, x: number, y: number, label: string, extra: Partial<SvgNode> = {}): SvgNode => ({
    id,
    x,
    y,
    w: 30,
    h: 30,
    shape: 'ellipse',
    color: '#abc',
    label,
    center: false,
    onPath: false,
    group: false,
    ...extra,
  });
  const svgEdge = (a: SvgNode, b: SvgNode, label = 'depends on'): SvgEdge => ({
    id: `${a.id}->${b.id}`,
    source: a.id,
    target: b.id,
    from: { x: a.x, y: a.y },
    to: { x: b.x, y: b.y },
    type: 'depends_on',
    label,
    onPath: false,
    implied: false,
  });
  type Drawn = { text: string; box: { x1: number; y1: number; x2: number; y2: number } };
  /** Every label drawn, with the box its text takes (the estimate labels.ts places with). */
  const labelsOf = (svg: string) => {
    const doc = xml(svg);
    const [vx, vy, vw, vh] = doc.documentElement.getAttribute('viewBox')!.split(' ').map(Number) as [number, number, number, number];
    const texts: Drawn[] = Array.from(doc.getElementsByTagName('text')).map((t) => {
      const text = t.textContent ?? '';
      const px = Number(t.getAttribute('font-size'));
      const [x, y] = [Number(t.getAttribute('x')), Number(t.getAttribute('y'))];
      const w = textWidth(text, px) + 4;
      const h = px * 1.3;
      return { text, box: { x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2 } };
    });
    return { texts, view: { x1: vx, y1: vy, x2: vx + vw, y2: vy + vh } };
  };
  const overlap = (a: Drawn['box'], b: Drawn['box']) => a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5;

  it('cuts long labels as the canvas does and draws none over another label or a node, all inside the picture', () => {
    // A tight row of CIs with long names, each joined to the next: drawn as they are, their labels would pile up.
    const nodes = Array.from({ length: 12 }, (_, i) =>
      svgNode(`app-${i}`, i * 45, (i % 2) * 20, `Order management platform application server number ${i}`, { center: i === 0 }),
    );
    nodes.push(svgNode('group:owner=team', 200, 200, 'London LD4, Hall 2… (57)', { group: true, w: 120, h: 40 }));
    const edges = nodes.slice(1).map((n, i) => svgEdge(nodes[i]!, n));
    const { texts, view } = labelsOf(sceneSvg(nodes, edges, PALETTE));
    const labels = new Map(nodes.map((n) => [n.label, n]));
    const nodeTexts = texts.filter((t) => !t.text.startsWith('depends'));
    // The centre's label is always drawn; each drawn label is the canvas's cut of its node's label.
    expect(nodeTexts.map((t) => t.text)).toContain(fitLabel(nodes[0]!.label, LABEL_MAX_PX));
    for (const t of nodeTexts) {
      const n = [...labels.values()].find((x) => fitLabel(x.label, x.group ? GROUP_LABEL_MAX_PX : LABEL_MAX_PX) === t.text);
      expect(n, t.text).toBeDefined();
      expect(t.box.x2 - t.box.x1).toBeLessThanOrEqual(n!.group ? GROUP_LABEL_MAX_PX : LABEL_MAX_PX);
    }
    expect(nodeTexts.some((t) => t.text.includes('…'))).toBe(true);
    expect(nodeTexts.map((t) => t.text)).toContain('London LD4, Hall 2… (57)');
    for (const [i, a] of texts.entries()) {
      for (const b of texts.slice(i + 1)) expect(overlap(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
      for (const n of nodes) {
        const body = { x1: n.x - n.w / 2, y1: n.y - n.h / 2, x2: n.x + n.w / 2, y2: n.y + n.h / 2 };
        expect(overlap(a.box, body), `${a.text} over ${n.id}`).toBe(false);
      }
      expect(a.box.x1 >= view.x1 && a.box.x2 <= view.x2 && a.box.y1 >= view.y1 && a.box.y2 <= view.y2, a.text).toBe(true);
    }
  });

  it('labels every node and edge of a sparse view, whole when they fit', () => {
    const a = svgNode('a', 0, 0, 'Checkout', { center: true });
    const b = svgNode('b', 400, 0, 'Orders DB');
    const c = svgNode('c', 0, 300, 'Edge & <LB> "01"');
    const { texts } = labelsOf(sceneSvg([a, b, c], [svgEdge(a, b), svgEdge(a, c, 'via 2 hidden (Server)')], PALETTE));
    expect(texts.map((t) => t.text).sort()).toEqual(['Checkout', 'Edge & <LB> "01"', 'Orders DB', 'depends on', 'via 2 hidden (Server)']);
  });

  it('stays well-formed XML with a control character in a name (written as U+FFFD, as the other exports do)', () => {
    const a = svgNode('a', 0, 0, 'bad\u0001name', { center: true });
    const { texts } = labelsOf(sceneSvg([a], [], PALETTE));
    expect(texts.map((t) => t.text)).toEqual(['bad\ufffdname']);
  });
});
