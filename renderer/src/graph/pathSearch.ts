/**
 * The graph's path search over what is drawn, apart from the view so Node
 * tests run it on a headless Cytoscape: the shortest path along the
 * relationships' direction, through CIs only. A group node stands for
 * several CIs, so a path through it would claim a dependency that may not
 * exist: one that only a group joins is reported, not drawn.
 */
import type { CollectionReturnValue, Core, NodeSingular } from 'cytoscape';

/** A path found between two CIs: its elements, its length, whether it runs from the first CI, and its CIs' labels. */
export interface PathFound {
  path: CollectionReturnValue;
  hops: number;
  forward: boolean;
  names: string[];
}

/** No path through CIs alone, but one through these group nodes (their labels). */
export interface PathThroughGroups {
  throughGroups: string[];
}

/** Whether a drawn node is a group (a sibling group or an engine group), not a CI. */
export function isGroupNode(n: NodeSingular): boolean {
  return Boolean(n.data('groupOf') || n.data('groupBy'));
}

/**
 * The shortest path from `from` to `to` if one runs that way, else from `to`
 * to `from`, through CIs and the edges between them; null when neither runs
 * either way even through groups.
 */
export function findPath(cy: Core, from: string, to: string): PathFound | PathThroughGroups | null {
  const a = cy.getElementById(from);
  const b = cy.getElementById(to);
  if (a.empty() || b.empty() || !a.isNode() || !b.isNode() || isGroupNode(a) || isGroupNode(b)) return null;
  const groups = cy.nodes().filter(isGroupNode);
  const cis = cy.elements().not(groups).not(groups.connectedEdges());
  const search = (within: typeof cis) => {
    const there = within.aStar({ root: a, goal: b, directed: true });
    if (there.found) return { r: there, forward: true };
    const back = within.aStar({ root: b, goal: a, directed: true });
    return back.found ? { r: back, forward: false } : null;
  };
  const found = search(cis);
  if (found)
    return {
      path: found.r.path,
      hops: found.r.distance,
      forward: found.forward,
      names: found.r.path.nodes().map((n) => String(n.data('label'))),
    };
  if (groups.empty()) return null;
  const via = search(cy.elements());
  if (!via) return null;
  return {
    throughGroups: via.r.path
      .nodes()
      .filter(isGroupNode)
      .map((n) => String(n.data('fullLabel') ?? n.data('label'))),
  };
}
