/**
 * The graph view as drawn, for shared/graph-export.ts: every drawn node (CIs
 * and groups) with its position, type and states, every drawn edge
 * (relationships, group edges, implied edges), and whether the view was cut
 * at its cap. Pure, so it is unit-tested.
 */
import type { ExportGraph } from '../../../shared/graph.js';
import { cutOf, groupNode, impliedExportEdge } from '../../../shared/graph-export.js';
import type { EdgeEl, GraphData, NodeEl } from './model.js';

type ExportNode = ExportGraph['nodes'][number];
type ExportEdge = ExportGraph['edges'][number];

/** Whether the drawn view was cut at its cap, and how many CIs it left out (the truncation badge's numbers). */
export interface ViewCut {
  truncated: boolean;
  omitted: number;
}

/** The view's cut: at its fetch, or by expanding a CI past the expand's cap. */
export function viewCut(meta: { truncated: boolean; omitted: number; expandOmitted: number }): ViewCut {
  return { truncated: meta.truncated || meta.expandOmitted > 0, omitted: meta.omitted + meta.expandOmitted };
}

function exportNode(n: NodeEl, data: GraphData, pos: { x: number; y: number } | undefined): ExportNode {
  const ci = data.nodes.get(n.data.id);
  const at = pos ? { x: Math.round(pos.x * 10) / 10, y: Math.round(pos.y * 10) / 10 } : undefined;
  if (n.data.groupBy !== undefined) {
    // An engine group: written as the CLI writes it (type "mixed" unless its CIs share one).
    const { id, groupBy, groupValue, count, types, depth } = n.data;
    return groupNode({ id, by: groupBy, value: groupValue ?? null, count: count ?? 0, types: types ?? [], depth: depth ?? 0 }, at);
  }
  if (!ci || n.data.groupOf) {
    // A set of siblings of one type collapsed on the canvas.
    const count = n.data.count ?? n.data.groupOf?.length ?? 0;
    return {
      key: n.data.id,
      name: n.data.fullLabel ?? n.data.label,
      type: n.data.type,
      kind: 'group',
      count,
      depth: n.data.depth,
      groupBy: 'type',
      groupValue: n.data.type,
      ...at,
    };
  }
  return {
    key: ci.key,
    name: ci.name,
    type: ci.type,
    kind: 'ci',
    status: ci.status,
    criticality: ci.criticality,
    environment: ci.environment,
    owner: ci.owner,
    depth: ci.depth,
    ...at,
  };
}

function exportEdge(e: EdgeEl, data: GraphData): ExportEdge {
  const { source, target, type } = e.data;
  if (e.data.implied) return impliedExportEdge({ source, target, hidden: e.data.hidden ?? 0, via: e.data.via ?? [] });
  const m = /^e(\d+)$/.exec(e.data.id);
  const rel = m ? data.edges.get(Number(m[1])) : undefined;
  if (rel) return { source, target, type, kind: 'relationship', redundancyGroup: rel.redundancyGroup };
  return { source, target, type, kind: 'group', count: e.data.count ?? 1 };
}

/** The drawn elements as an ExportGraph, with the positions the layout gave them; a view cut at its cap says how many CIs it left out. */
export function exportDrawn(
  els: { nodes: NodeEl[]; edges: EdgeEl[] },
  data: GraphData,
  positions: ReadonlyMap<string, { x: number; y: number }>,
  cut: ViewCut,
): ExportGraph {
  return {
    nodes: els.nodes.map((n) => exportNode(n, data, positions.get(n.data.id))),
    edges: els.edges.map((e) => exportEdge(e, data)),
    ...cutOf(cut.truncated, cut.omitted),
  };
}
