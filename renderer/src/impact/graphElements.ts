/**
 * The Impact screen's graph as Cytoscape elements: the impacted CIs on
 * their explanation paths, or the rolled-up groups. Pure (no DOM), so the
 * unit tests check it.
 */
import type { ImpactDirection } from '../../../shared/impact.js';
import { formatCount } from '../../../shared/format.js';
import type { DrawnElements } from '../graph/cytoscapeHost.js';
import { fitLabel, GROUP_LABEL_MAX_PX, oneLine } from '../graph/labels.js';
import { typeStyle } from '../typeStyle.js';
import { IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX } from './graphReading.js';
import type { Subgraph } from './model.js';
import { SHARED_GROUPS, type GroupView } from './rollup.js';
import { criticalityRank } from '../../../shared/vocab.js';

/**
 * How a CI is drawn. Downstream by its state; upstream, where nothing
 * breaks, the CIs asked about are marked, a single point of failure is red
 * and every other dependency keeps its type's colour.
 */
function drawnState(state: Subgraph['nodes'][number]['state'], direction: ImpactDirection): string {
  if (state === null) return 'none';
  if (direction === 'downstream') return state;
  return state === 'changed' ? 'asked' : state === 'down' ? 'down' : 'none';
}

/**
 * The subgraph as Cytoscape elements, each CI labelled with its name on one line (as on the Graph screen), cut with
 * "…" to the width a name is drawn at (placed by that width), the whole name kept for the pointer; business services marked.
 */
export function elementsOf(graph: Subgraph, direction: ImpactDirection): DrawnElements {
  return {
    nodes: graph.nodes.map((n) => {
      const st = typeStyle(n.type);
      const name = oneLine(n.name);
      return {
        data: {
          id: n.key,
          label: fitLabel(name, IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX),
          name,
          service: n.type === 'business_service',
          rank: n.rank ?? 0,
          color: st.color,
          shape: st.shape,
          state: drawnState(n.state, direction),
        },
      };
    }),
    edges: graph.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, label: e.rel.replace(/_/g, ' ') } })),
  };
}

/** The worst state in a group: what its colour says. */
function worst(g: { changed: number; down: number }): 'changed' | 'down' | 'degraded' {
  return g.changed > 0 ? 'changed' : g.down > 0 ? 'down' : 'degraded';
}

/** The rolled-up graph as Cytoscape elements: a group's size grows with its count, an edge's width with its. */
export function groupElementsOf(view: GroupView): DrawnElements {
  const most = Math.max(1, ...view.nodes.map((n) => n.total));
  const mostEdge = Math.max(1, ...view.edges.map((e) => e.count));
  return {
    nodes: view.nodes.map((n) => {
      const parts = [
        n.changed && `${formatCount(n.changed)} changed`,
        n.down && `${formatCount(n.down)} down`,
        n.degraded && `${formatCount(n.degraded)} degraded`,
      ];
      const counts = parts.filter(Boolean).join(' · ');
      return {
        data: {
          id: n.id,
          kind: 'group',
          // The name on one line, cut to the width a group's label is drawn at: the label's own line break puts the counts under it, whole.
          label: `${fitLabel(oneLine(n.label), GROUP_LABEL_MAX_PX, IMPACT_LABEL_PX)}\n${counts}`,
          // Whole, for the pointer (the stylesheet's hover rule draws a node's `name`).
          name: `${oneLine(n.label)}\n${counts}`,
          size: Math.round(22 + 46 * Math.sqrt(n.total / most)),
          ring: n.changed > 0 ? 3 : SHARED_GROUPS.has(n.id) ? 2 : 1,
          worst: worst(n),
          state: worst(n),
          rank: criticalityRank(n.criticality),
        },
      };
    }),
    edges: view.edges.map((e) => ({
      data: {
        id: e.id,
        kind: 'group',
        source: e.source,
        target: e.target,
        label: formatCount(e.count),
        width: 1 + 5 * Math.sqrt(e.count / mostEdge),
      },
    })),
  };
}
