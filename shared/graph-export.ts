/**
 * The one writer of every graph export format (issue 16): JSON, GraphML
 * (yEd, Gephi), DOT (Graphviz) and draw.io (diagrams.net). Every format holds
 * the same nodes and edges of an ExportGraph, with types and states kept as
 * attributes (and as styles where the format draws).
 */
import type { Response } from './api.js';
import { ciTypeLabel } from './ci-types.js';
import { cutText, formatCount } from './format.js';
import { assertNever } from './errors.js';
import type { ExportGraph, GraphExportFormat, GraphGroup, ImpliedEdge } from './graph.js';

type ExportNode = ExportGraph['nodes'][number];
type ExportEdge = ExportGraph['edges'][number];

export interface GraphFile {
  content: string;
  mime: string;
  /** Without the dot. */
  extension: string;
}

/** Writes `graph` in `format`; `name` names the graph where the format has a place for it (said cut when it was). */
export function writeGraph(format: GraphExportFormat, graph: ExportGraph, name?: string): GraphFile {
  checkEnds(graph);
  const title = name === undefined ? undefined : graphTitle(name, graph);
  switch (format) {
    case 'json':
      return { content: graphJson(graph), mime: 'application/json', extension: 'json' };
    case 'graphml':
      return { content: graphMl(graph, title), mime: 'application/graphml+xml', extension: 'graphml' };
    case 'dot':
      return { content: graphDot(graph, title), mime: 'text/vnd.graphviz', extension: 'dot' };
    case 'drawio':
      return { content: graphDrawio(graph, title), mime: 'application/vnd.jgraph.mxfile', extension: 'drawio' };
    default:
      return assertNever(format, 'graph export format');
  }
}

/**
 * How a group node reads, on the canvas and in an export: "value (count)", the value of a type as
 * the type's label, no value as "no <field>"; a value longer than `maxValue` is cut, never the count.
 */
export function groupLabel(gr: Pick<GraphGroup, 'by' | 'value' | 'count'>, maxValue = Infinity): string {
  const value = gr.value === null ? `no ${gr.by}` : gr.by === 'type' ? ciTypeLabel(gr.value) : gr.value;
  // "London LD4, Hall 2… (12)".
  return `${cutText(value, maxValue)} (${formatCount(gr.count)})`;
}

/** A group node's type: its CIs' type when they share one, else "mixed". */
export function groupType(types: GraphGroup['types']): string {
  return types.length === 1 ? types[0]!.type : 'mixed';
}

/** An engine group as an export node: labelled as on the canvas, its type (or "mixed"), count, field and value kept. */
export function groupNode(g: GraphGroup, at?: { x: number; y: number }): ExportNode {
  return {
    key: g.id,
    name: groupLabel(g),
    type: groupType(g.types),
    kind: 'group',
    depth: g.depth,
    count: g.count,
    groupBy: g.by,
    groupValue: g.value,
    ...at,
  };
}

/** How a relationship edge reads, on the canvas and in every export: "depends on", or "depends on ×57" for a group's edge standing for 57. */
export function edgeTypeLabel(type: string, count = 1): string {
  const words = type.replace(/_/g, ' ');
  return count > 1 ? `${words} ×${count}` : words;
}

/** How an implied edge reads, on the canvas and in every export: "via 3 hidden (Virtual machine, Database)". */
export function impliedLabel(e: Pick<ImpliedEdge, 'hidden' | 'via'>): string {
  const via = e.via.slice(0, 2).map(ciTypeLabel).join(', ');
  return `via ${e.hidden} hidden${via ? ` (${via})` : ''}`;
}

/** An implied edge as an export edge (type "implied"). */
export function impliedExportEdge(e: Pick<ImpliedEdge, 'source' | 'target' | 'hidden' | 'via'>): ExportEdge {
  return { source: e.source, target: e.target, type: 'implied', kind: 'implied', hidden: e.hidden, via: e.via };
}

/** What an export says of a cut view: how many CIs were left out, only when it was cut (the UI's and the CLI's alike). */
export function cutOf(truncated: boolean, omitted: number): Pick<ExportGraph, 'omitted'> {
  return truncated ? { omitted } : {};
}

/**
 * A neighbourhood as the graph to export: its CIs and groups, relationships, group edges and
 * implied edges (type "implied"); `positions` (node id → x/y) where a layout placed them.
 */
export function neighbourhoodGraph(n: Response<'neighbourhood'>, positions?: ReadonlyMap<string, { x: number; y: number }>): ExportGraph {
  const at = (key: string) => positions?.get(key);
  return {
    nodes: [
      ...n.nodes.map((c) => ({
        key: c.key,
        name: c.name,
        type: c.type,
        kind: 'ci' as const,
        status: c.status,
        criticality: c.criticality,
        environment: c.environment,
        owner: c.owner,
        depth: c.depth,
        ...at(c.key),
      })),
      ...n.groups.map((g) => groupNode(g, at(g.id))),
    ],
    edges: [
      ...n.edges.map((e) => ({
        source: e.source,
        target: e.target,
        type: e.type,
        kind: 'relationship' as const,
        redundancyGroup: e.redundancyGroup,
      })),
      ...n.groupEdges.map((e) => ({ source: e.source, target: e.target, type: e.type, kind: 'group' as const, count: e.count })),
      ...n.implied.map(impliedExportEdge),
    ],
    ...cutOf(n.truncated, n.omitted),
  };
}

/** An edge whose end is not a node would be dropped by some formats and invented by others. */
function checkEnds(graph: ExportGraph): void {
  const keys = new Set(graph.nodes.map((n) => n.key));
  for (const e of graph.edges) {
    if (!keys.has(e.source) || !keys.has(e.target)) {
      throw new Error(`Graph export: the edge ${e.source} -> ${e.target} (${e.type}) has an end that is not a node of the graph.`);
    }
  }
}

/** Exactly `{"nodes": [...], "edges": [...]}`, absent fields left out; a cut graph adds `"truncated": true` and `"omitted"`. */
export function graphJson(graph: ExportGraph): string {
  const cut = graph.omitted !== undefined ? { truncated: true, omitted: graph.omitted } : {};
  return JSON.stringify({ nodes: graph.nodes, edges: graph.edges, ...cut }, null, 2) + '\n';
}

/** A graph's title, saying so when it was cut (the title is where GraphML, DOT and draw.io keep it). */
export function graphTitle(title: string, graph: ExportGraph): string {
  return graph.omitted === undefined ? title : `${title} (cut at ${graph.nodes.length} nodes: ${graph.omitted} more CIs not drawn)`;
}

// ---------------------------------------------------------------- XML

/** Characters XML 1.0 cannot hold at all (control characters other than tab, newline, return; lone surrogates). */
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without the characters XML 1.0 and DOT readers cannot take (XML_INVALID), each replaced by U+FFFD. */
function readable(value: string): string {
  return value.replace(XML_INVALID, '\uFFFD');
}

/**
 * Node ids for a format that cannot hold every character of a key (GraphML, DOT): a key as it is where it can
 * be written whole; one with characters it cannot hold made readable (U+FFFD), then unique with " (2)", " (3)"…
 * where that is another node's id. Found by a tester: the keys a\x01 and a\x02 were both written a\uFFFD, and
 * Graphviz drew one node for the two CIs (GraphML's duplicate ids made the file invalid).
 */
function nodeIds(nodes: readonly ExportNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const unreadable: Array<[key: string, shown: string]> = [];
  for (const n of nodes) {
    const shown = readable(n.key);
    if (shown !== n.key) unreadable.push([n.key, shown]);
    else {
      ids.set(n.key, n.key);
      taken.add(n.key);
    }
  }
  for (const [key, shown] of unreadable) {
    let id = shown;
    for (let k = 2; taken.has(id); k++) id = `${shown} (${k})`;
    ids.set(key, id);
    taken.add(id);
  }
  return ids;
}

/** Text for an XML attribute or element: escaped, line breaks kept as character references (attribute values would lose them). */
export function xmlText(value: string): string {
  return readable(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

type AttrType = 'string' | 'int' | 'double';
interface KeyDef<T> {
  name: string;
  type: AttrType;
  get: (item: T) => string | number | null | undefined;
}

/** Every node attribute GraphML declares (`label` is the name again: Gephi and yEd's mapper show it). */
const NODE_KEYS: Array<KeyDef<ExportNode>> = [
  { name: 'label', type: 'string', get: (n) => n.name },
  { name: 'name', type: 'string', get: (n) => n.name },
  { name: 'type', type: 'string', get: (n) => n.type },
  { name: 'kind', type: 'string', get: (n) => n.kind },
  { name: 'status', type: 'string', get: (n) => n.status },
  { name: 'criticality', type: 'string', get: (n) => n.criticality },
  { name: 'environment', type: 'string', get: (n) => n.environment },
  { name: 'owner', type: 'string', get: (n) => n.owner },
  { name: 'state', type: 'string', get: (n) => n.state },
  { name: 'depth', type: 'int', get: (n) => n.depth },
  { name: 'count', type: 'int', get: (n) => n.count },
  { name: 'groupBy', type: 'string', get: (n) => n.groupBy },
  { name: 'groupValue', type: 'string', get: (n) => n.groupValue },
  { name: 'x', type: 'double', get: (n) => n.x },
  { name: 'y', type: 'double', get: (n) => n.y },
];

const EDGE_KEYS: Array<KeyDef<ExportEdge>> = [
  { name: 'type', type: 'string', get: (e) => e.type },
  { name: 'kind', type: 'string', get: (e) => e.kind },
  { name: 'redundancyGroup', type: 'string', get: (e) => e.redundancyGroup },
  { name: 'count', type: 'int', get: (e) => e.count },
  { name: 'hidden', type: 'int', get: (e) => e.hidden },
  { name: 'via', type: 'string', get: (e) => e.via?.join(',') },
];

function dataOf<T>(item: T, keys: Array<KeyDef<T>>, prefix: string): string {
  return keys
    .map((k) => {
      const v = k.get(item);
      return v === null || v === undefined ? '' : `<data key="${prefix}_${k.name}">${xmlText(String(v))}</data>`;
    })
    .join('');
}

/**
 * Plain GraphML (no yEd extensions): node ids are CI keys or group ids (made unique where a key holds characters
 * XML cannot: nodeIds), every attribute declared with attr.name/attr.type.
 */
export function graphMl(graph: ExportGraph, title?: string): string {
  const id = nodeIds(graph.nodes);
  const keyDecl = (prefix: string, target: string, k: KeyDef<unknown>) =>
    `  <key id="${prefix}_${k.name}" for="${target}" attr.name="${k.name}" attr.type="${k.type}"/>`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...NODE_KEYS.map((k) => keyDecl('n', 'node', k as KeyDef<unknown>)),
    ...EDGE_KEYS.map((k) => keyDecl('e', 'edge', k as KeyDef<unknown>)),
    '  <key id="g_title" for="graph" attr.name="title" attr.type="string"/>',
    '  <graph id="G" edgedefault="directed">',
  ];
  if (title) lines.push(`    <data key="g_title">${xmlText(title)}</data>`);
  for (const n of graph.nodes) lines.push(`    <node id="${xmlText(id.get(n.key)!)}">${dataOf(n, NODE_KEYS, 'n')}</node>`);
  graph.edges.forEach((e, i) =>
    lines.push(
      `    <edge id="e${i}" source="${xmlText(id.get(e.source)!)}" target="${xmlText(id.get(e.target)!)}">${dataOf(e, EDGE_KEYS, 'e')}</edge>`,
    ),
  );
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------- DOT

/**
 * A DOT quoted string for an id or an attribute Graphviz keeps as written (name, type, owner…). Its
 * lexer turns only \" into a quote and drops a backslash before a line feed; \\ stays two
 * characters, any other backslash one. So only a run of backslashes before a quote, a line feed
 * or the end is doubled (it cannot then swallow the quote or the line feed), and line breaks are
 * kept as they are: Graphviz reads every other value back exactly, and no two values alike.
 */
export function dotString(value: string): string {
  return `"${readable(value).replace(/(\\*)("|\n|$)/g, (_, run: string, next: string) => run + run + (next === '"' ? '\\"' : next))}"`;
}

/**
 * A DOT label: Graphviz reads escapes in labels (\\ one backslash, \n a line break, \N the node's
 * id…), so every backslash is doubled and each line break is \n.
 */
export function dotLabel(value: string): string {
  return `"${readable(value)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;
}

/** A DOT number where the value is one DOT reads as such (no exponent), else quoted. */
function dotNumber(v: number): string {
  const s = String(v);
  return /^-?\d+(\.\d+)?$/.test(s) ? s : dotString(s);
}

type Pair = [string, string | number | null | undefined];

/** A node's fields as attributes, the same in every format that carries them as name-value pairs (DOT, draw.io). */
function nodeData(n: ExportNode): Pair[] {
  return [
    ['name', n.name],
    ['type', n.type],
    ['kind', n.kind],
    ['status', n.status],
    ['criticality', n.criticality],
    ['environment', n.environment],
    ['owner', n.owner],
    ['state', n.state],
    ['depth', n.depth],
    ['count', n.count],
    ['groupBy', n.groupBy],
    ['groupValue', n.groupValue],
  ];
}

/** A node's two-line label: its name, then its type (a group: how many of which type). */
function nodeLabel(n: ExportNode): string {
  return n.kind === 'group' ? `${n.name}\n${n.count ?? 0} × ${n.type}` : `${n.name}\n${n.type}`;
}

function dotAttrs(attrs: Pair[]): string {
  return attrs
    .filter((a): a is [string, string | number] => a[1] !== null && a[1] !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? dotNumber(v) : k === 'label' ? dotLabel(v) : dotString(v)}`)
    .join(', ');
}

function dotNode(n: ExportNode, id: string): string {
  const isGroup = n.kind === 'group';
  const label = nodeLabel(n);
  return `  ${dotString(id)} [${dotAttrs([
    ['label', label],
    ['shape', isGroup ? 'box3d' : 'box'],
    ['style', n.state ? 'rounded,filled' : 'rounded'],
    ['fillcolor', n.state ? stateColour(n.state).fill : undefined],
    ...nodeData(n),
    // Graphviz reads pos in points, y up; kept as given so a reader can place the nodes (neato -n).
    ['pos', n.x !== undefined && n.y !== undefined ? `${n.x},${-n.y}` : undefined],
  ])}];`;
}

/** An edge's label: an implied edge's as the canvas draws it, a group edge's with its count, else its type. */
function edgeLabel(e: ExportEdge): string {
  if (e.kind === 'implied') return impliedLabel({ hidden: e.hidden ?? 0, via: e.via ?? [] });
  return edgeTypeLabel(e.type, e.kind === 'group' ? (e.count ?? 1) : 1);
}

/** An edge's fields as attributes, the same in DOT and draw.io. */
function edgeData(e: ExportEdge): Pair[] {
  return [
    ['type', e.type],
    ['kind', e.kind],
    ['redundancyGroup', e.redundancyGroup],
    ['count', e.count],
    ['hidden', e.hidden],
    ['via', e.via?.join(',')],
  ];
}

function dotEdge(e: ExportEdge, id: ReadonlyMap<string, string>): string {
  const label = edgeLabel(e);
  return `  ${dotString(id.get(e.source)!)} -> ${dotString(id.get(e.target)!)} [${dotAttrs([
    ['label', label],
    ['style', e.kind === 'implied' ? 'dashed' : undefined],
    ['penwidth', e.kind === 'group' ? Math.min(6, 1 + Math.log2(e.count ?? 1)) : undefined],
    ...edgeData(e),
  ])}];`;
}

/**
 * Graphviz DOT: a digraph, node ids are the CI keys or group ids (made unique where a key holds characters DOT
 * cannot: nodeIds), attributes kept as DOT attributes.
 */
export function graphDot(graph: ExportGraph, title?: string): string {
  const id = nodeIds(graph.nodes);
  const lines = [
    `digraph ${dotString(title ?? 'cmdb')} {`,
    '  graph [rankdir=LR];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
    ...graph.nodes.map((n) => dotNode(n, id.get(n.key)!)),
    ...graph.edges.map((e) => dotEdge(e, id)),
    '}',
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------- draw.io

/** Fill and stroke for an impact state (changed, down, degraded); anything else is drawn plain. */
function stateColour(state: string): { fill: string; stroke: string } {
  switch (state) {
    case 'changed':
      return { fill: '#dae8fc', stroke: '#6c8ebf' };
    case 'down':
      return { fill: '#f8cecc', stroke: '#b85450' };
    case 'degraded':
      return { fill: '#ffe6cc', stroke: '#d79b00' };
    default:
      return { fill: '#ffffff', stroke: '#666666' };
  }
}

const NODE_W = 160;
const NODE_H = 60;

/** Top-left corners: from x/y (layout centres) when every node has them, else a square grid. */
function placements(nodes: ExportNode[]): Array<{ x: number; y: number }> {
  if (nodes.length > 0 && nodes.every((n) => n.x !== undefined && n.y !== undefined)) {
    return nodes.map((n) => ({ x: Math.round(n.x! - NODE_W / 2), y: Math.round(n.y! - NODE_H / 2) }));
  }
  const cols = Math.max(1, Math.ceil(Math.sqrt(nodes.length)));
  return nodes.map((_, i) => ({ x: (i % cols) * (NODE_W + 60), y: Math.floor(i / cols) * (NODE_H + 60) }));
}

function objectAttrs(attrs: Pair[]): string {
  return attrs
    .filter((a) => a[1] !== null && a[1] !== undefined)
    .map(([k, v]) => `${k}="${xmlText(String(v))}"`)
    .join(' ');
}

/**
 * draw.io (diagrams.net): an mxfile whose cells are <object>s carrying the attributes (shown in
 * Edit Data), labels as plain text (no html), styles by kind and state; the CI key is the `key`
 * attribute, cell ids are n0…/e0….
 */
export function graphDrawio(graph: ExportGraph, title?: string): string {
  const place = placements(graph.nodes);
  const idOf = new Map(graph.nodes.map((n, i) => [n.key, `n${i}`]));
  const cells = graph.nodes.map((n, i) => {
    const c = stateColour(n.state ?? '');
    const style =
      n.kind === 'group'
        ? `shape=cube;whiteSpace=wrap;size=8;fillColor=#f5f5f5;strokeColor=${c.stroke};`
        : `rounded=1;whiteSpace=wrap;fillColor=${c.fill};strokeColor=${c.stroke};`;
    const label = nodeLabel(n);
    const attrs = objectAttrs([['label', label], ['id', `n${i}`], ['key', n.key], ...nodeData(n)]);
    const g = place[i]!;
    return `        <object ${attrs}><mxCell style="${style}" vertex="1" parent="1"><mxGeometry x="${g.x}" y="${g.y}" width="${NODE_W}" height="${NODE_H}" as="geometry"/></mxCell></object>`;
  });
  graph.edges.forEach((e, i) => {
    const style =
      'endArrow=classic;html=0;' +
      (e.kind === 'implied' ? 'dashed=1;strokeColor=#999999;' : '') +
      (e.kind === 'group' ? `strokeWidth=${Math.min(6, 1 + Math.round(Math.log2(e.count ?? 1)))};` : '');
    const attrs = objectAttrs([['label', edgeLabel(e)], ['id', `e${i}`], ...edgeData(e)]);
    cells.push(
      `        <object ${attrs}><mxCell style="${style}" edge="1" parent="1" source="${idOf.get(e.source)}" target="${idOf.get(e.target)}"><mxGeometry relative="1" as="geometry"/></mxCell></object>`,
    );
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mxfile host="CMDB Explorer" type="device">',
    `  <diagram id="cmdb-graph" name="${xmlText(title ?? 'CMDB graph')}">`,
    '    <mxGraphModel grid="1" gridSize="10" arrows="1" page="0">',
    '      <root>',
    '        <mxCell id="0"/>',
    '        <mxCell id="1" parent="0"/>',
    ...cells,
    '      </root>',
    '    </mxGraphModel>',
    '  </diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}
