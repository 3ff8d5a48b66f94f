/**
 * The graph view's data, apart from Cytoscape: the neighbourhood fetched so
 * far (merged as nodes are expanded), turned into drawable elements with
 * large sibling sets collapsed into one group node. Pure, so it is unit-tested.
 */
import type { GraphEdge, GraphNode } from '../../../shared/domain.js';
import { type GraphGroup, type GroupEdge, type ImpliedEdge, uniqueGroupId } from '../../../shared/graph.js';
import { typeStyle } from '../typeStyle.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { edgeTypeLabel, groupLabel, impliedLabel } from '../../../shared/graph-export.js';
import { oneLine } from './labels.js';

export interface GraphData {
  nodes: Map<string, GraphNode>;
  edges: Map<number, GraphEdge>;
  /** The engine's group nodes (a grouped neighbourhood), their edges, and implied edges through filtered-out types. */
  groups: GraphGroup[];
  groupEdges: GroupEdge[];
  implied: ImpliedEdge[];
  /** CIs walked through but not drawn (their type is filtered out). */
  hidden: number;
}

export interface Neighbourhood {
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups?: GraphGroup[];
  groupEdges?: GroupEdge[];
  implied?: ImpliedEdge[];
  hidden?: number;
}

export function emptyGraph(): GraphData {
  return { nodes: new Map(), edges: new Map(), groups: [], groupEdges: [], implied: [], hidden: 0 };
}

export function fromNeighbourhood(n: Neighbourhood): GraphData {
  return mergeNeighbourhood(emptyGraph(), n);
}

/** Adds a fetched neighbourhood to what is drawn; nothing already there is lost. */
export function mergeNeighbourhood(g: GraphData, n: Neighbourhood): GraphData {
  const nodes = new Map(g.nodes);
  const edges = new Map(g.edges);
  for (const node of n.nodes) if (!nodes.has(node.key)) nodes.set(node.key, node);
  for (const e of n.edges) if (nodes.has(e.source) && nodes.has(e.target)) edges.set(e.id, e);
  const groups = [...g.groups, ...(n.groups ?? []).filter((x) => !g.groups.some((y) => y.id === x.id))];
  return {
    nodes,
    edges,
    groups,
    groupEdges: [...g.groupEdges, ...(n.groupEdges ?? [])],
    implied: [...g.implied, ...(n.implied ?? [])],
    hidden: g.hidden + (n.hidden ?? 0),
  };
}

export interface NodeEl {
  group: 'nodes';
  data: {
    id: string;
    label: string;
    type: string;
    color: string;
    shape: string;
    center?: boolean;
    /** For a group node: how many CIs it stands for and their keys. */
    groupOf?: string[];
    parentKey?: string;
    /** For an engine group node: the grouping field, its value and its CI count. */
    groupBy?: string;
    groupValue?: string | null;
    count?: number;
    /** An engine group's CIs by type, and its label uncut. */
    types?: Array<{ type: string; count: number }>;
    fullLabel?: string;
    /** Hop distance from the centre (CIs). */
    depth?: number;
  };
}

export interface EdgeEl {
  group: 'edges';
  data: {
    id: string;
    source: string;
    target: string;
    type: string;
    label: string;
    count?: number;
    /** An implied edge: how many hidden CIs it stands for, and their types (most first). */
    hidden?: number;
    via?: string[];
    implied?: boolean;
  };
}

export interface BuildOptions {
  center: string | null;
  /** Collapse sibling sets larger than this (default 12); 0 turns grouping off. */
  groupThreshold: number;
  /** Group ids the user opened. */
  openGroups: ReadonlySet<string>;
}

export function groupId(parentKey: string, type: string): string {
  return `group:${parentKey}:${type}`;
}

/**
 * Drawable elements. A sibling set is the CIs of one type whose only drawn
 * neighbour is the same node; when there are more than `groupThreshold` of
 * them they become one group node (unless the user opened that group).
 */
export function buildElements(g: GraphData, opts: BuildOptions): { nodes: NodeEl[]; edges: EdgeEl[]; groups: number } {
  const neighbours = new Map<string, Set<string>>();
  for (const e of g.edges.values()) {
    if (e.source === e.target) continue;
    (neighbours.get(e.source) ?? neighbours.set(e.source, new Set()).get(e.source)!).add(e.target);
    (neighbours.get(e.target) ?? neighbours.set(e.target, new Set()).get(e.target)!).add(e.source);
  }
  // parent|type -> leaf keys
  const buckets = new Map<string, string[]>();
  if (opts.groupThreshold > 0) {
    for (const [key, ns] of neighbours) {
      if (ns.size !== 1 || key === opts.center) continue;
      const parent = ns.values().next().value as string;
      const node = g.nodes.get(key);
      if (!node) continue;
      const b = `${parent}\u0000${node.type}`;
      (buckets.get(b) ?? buckets.set(b, []).get(b)!).push(key);
    }
  }
  const groupedInto = new Map<string, string>();
  const nodes: NodeEl[] = [];
  let groups = 0;
  for (const [b, keys] of buckets) {
    if (keys.length <= opts.groupThreshold) continue;
    const [parent, type] = b.split('\u0000') as [string, string];
    // Apart from the CIs' keys and the engine's groups (a sibling group keyed like either would merge with it).
    const id = uniqueGroupId(groupId(parent, type), (x) => g.nodes.has(x) || g.groups.some((gr) => gr.id === x));
    if (opts.openGroups.has(id)) continue;
    groups++;
    for (const k of keys) groupedInto.set(k, id);
    const st = typeStyle(type);
    nodes.push({
      group: 'nodes',
      data: {
        id,
        label: `${keys.length} × ${ciTypeLabel(type)}`,
        type,
        color: st.color,
        shape: st.shape,
        groupOf: keys.sort(),
        parentKey: parent,
      },
    });
  }
  for (const n of g.nodes.values()) {
    if (groupedInto.has(n.key)) continue;
    const st = typeStyle(n.type);
    nodes.push({
      group: 'nodes',
      data: {
        id: n.key,
        label: oneLine(n.name),
        type: n.type,
        color: st.color,
        shape: st.shape,
        depth: n.depth,
        ...(n.key === opts.center ? { center: true } : {}),
      },
    });
  }
  nodes.push(...engineGroupNodes(g.groups));
  // Engine group edges and implied edges end on what is drawn: a CI collapsed into a sibling group ends on the group.
  const edges: EdgeEl[] = [...engineGroupEdges(g), ...impliedEdges(g)].map((e) => {
    const s = groupedInto.get(e.data.source) ?? e.data.source;
    const t = groupedInto.get(e.data.target) ?? e.data.target;
    return s === e.data.source && t === e.data.target
      ? e
      : { ...e, data: { ...e.data, id: `${e.data.id}@${s}->${t}`, source: s, target: t } };
  });
  const groupEdges = new Map<string, EdgeEl>();
  for (const e of g.edges.values()) {
    const s = groupedInto.get(e.source) ?? e.source;
    const t = groupedInto.get(e.target) ?? e.target;
    if (s !== e.source || t !== e.target) {
      const id = `${s}->${t}:${e.type}`;
      const ex = groupEdges.get(id);
      if (ex) {
        ex.data.count = (ex.data.count ?? 1) + 1;
        ex.data.label = edgeTypeLabel(e.type, ex.data.count);
      } else
        groupEdges.set(id, {
          group: 'edges',
          data: { id, source: s, target: t, type: e.type, label: edgeTypeLabel(e.type), count: 1 },
        });
      continue;
    }
    edges.push({ group: 'edges', data: { id: `e${e.id}`, source: s, target: t, type: e.type, label: edgeTypeLabel(e.type) } });
  }
  const unique = new Map([...edges, ...groupEdges.values()].map((e) => [e.data.id, e] as const));
  return { nodes, edges: [...unique.values()], groups: groups + g.groups.length };
}

/** The longest group value drawn in full on the canvas. */
const GROUP_VALUE_MAX = 22;

/** Group nodes of a type take the type's colour; other groupings one neutral colour. */
const GROUP_COLOUR = '#7c8799';

function engineGroupNodes(groups: GraphGroup[]): NodeEl[] {
  return groups.map((gr) => {
    const type = gr.types[0]?.type ?? gr.value ?? 'group';
    return {
      group: 'nodes',
      data: {
        id: gr.id,
        label: groupLabel({ ...gr, value: gr.value === null ? null : oneLine(gr.value) }, GROUP_VALUE_MAX),
        fullLabel: oneLine(groupLabel(gr)),
        types: gr.types,
        type,
        color: gr.by === 'type' ? typeStyle(type).color : GROUP_COLOUR,
        shape: 'round-rectangle',
        groupBy: gr.by,
        groupValue: gr.value,
        count: gr.count,
        depth: gr.depth,
      },
    };
  });
}

function engineGroupEdges(g: GraphData): EdgeEl[] {
  const ids = new Set([...g.nodes.keys(), ...g.groups.map((x) => x.id)]);
  return g.groupEdges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({
      group: 'edges',
      data: {
        id: `ge:${e.source}->${e.target}:${e.type}`,
        source: e.source,
        target: e.target,
        type: e.type,
        label: edgeTypeLabel(e.type, e.count),
        count: e.count,
      },
    }));
}

/** Implied edges A ⇢ C through hidden CIs, labelled with how many hidden CIs they stand for. */
function impliedEdges(g: GraphData): EdgeEl[] {
  const ids = new Set([...g.nodes.keys(), ...g.groups.map((x) => x.id)]);
  const seen = new Set<string>();
  const out: EdgeEl[] = [];
  for (const e of g.implied) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    const id = `implied:${e.source}->${e.target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      group: 'edges',
      data: {
        id,
        source: e.source,
        target: e.target,
        type: 'implied',
        label: impliedLabel(e),
        hidden: e.hidden,
        via: e.via,
        implied: true,
      },
    });
  }
  return out;
}

/** A fingerprint of which elements exist: the layout runs again only when it changes. */
export function topologyKey(els: {
  nodes: ReadonlyArray<{ data: { id: string } }>;
  edges: ReadonlyArray<{ data: { id: string } }>;
}): string {
  const ids = [...els.nodes.map((n) => n.data.id), ...els.edges.map((e) => e.data.id)].sort();
  let h = 2166136261;
  for (const id of ids) for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return `${ids.length}:${h >>> 0}`;
}
