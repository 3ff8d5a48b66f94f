/**
 * The graph view as drawn, for shared/graph-export.ts: every drawn node (CIs
 * and groups) with its position, type and states, every drawn edge
 * (relationships, group edges, implied edges). Pure, so it is unit-tested.
 */
import type { ExportGraph } from '../../../shared/graph.js';
import type { EdgeEl, GraphData, NodeEl } from './model.js';

type ExportNode = ExportGraph['nodes'][number];
type ExportEdge = ExportGraph['edges'][number];

function exportNode(n: NodeEl, data: GraphData, pos: { x: number; y: number } | undefined): ExportNode {
  const ci = data.nodes.get(n.data.id);
  const at = pos ? { x: Math.round(pos.x * 10) / 10, y: Math.round(pos.y * 10) / 10 } : {};
  if (!ci || n.data.groupOf || n.data.groupBy) {
    const count = n.data.count ?? n.data.groupOf?.length ?? 0;
    return { key: n.data.id, name: n.data.fullLabel ?? n.data.label, type: n.data.type, kind: 'group', count, depth: n.data.depth, ...at };
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
  if (e.data.implied) return { source, target, type, kind: 'implied', hidden: e.data.hidden };
  const m = /^e(\d+)$/.exec(e.data.id);
  const rel = m ? data.edges.get(Number(m[1])) : undefined;
  if (rel) return { source, target, type, kind: 'relationship', redundancyGroup: rel.redundancyGroup };
  return { source, target, type, kind: 'group', count: e.data.count ?? 1 };
}

/** The drawn elements as an ExportGraph, with the positions the layout gave them. */
export function exportDrawn(
  els: { nodes: NodeEl[]; edges: EdgeEl[] },
  data: GraphData,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): ExportGraph {
  return {
    nodes: els.nodes.map((n) => exportNode(n, data, positions.get(n.data.id))),
    edges: els.edges.map((e) => exportEdge(e, data)),
  };
}
