/// <reference lib="webworker" />
/** Computes a layout with headless Cytoscape off the UI thread; answers node positions. */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import { isDraft, layoutOptions, NODE_SIZE, type LayoutName } from './layouts.js';
import { spreadPositions } from './spread.js';

cytoscape.use(dagre);
cytoscape.use(fcose);

export interface LayoutRequest {
  id: number;
  layout: LayoutName;
  nodes: string[];
  edges: Array<[string, string, string]>;
}
export interface LayoutAnswer {
  id: number;
  positions: Record<string, { x: number; y: number }>;
  ms: number;
  error?: string;
}

self.onmessage = (ev: MessageEvent<LayoutRequest>) => {
  const { id, layout, nodes, edges } = ev.data;
  const t0 = performance.now();
  try {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: 'node', style: { width: NODE_SIZE, height: NODE_SIZE } }],
      elements: [
        ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n } })),
        ...edges.map(([eid, s, t]) => ({ group: 'edges' as const, data: { id: eid, source: s, target: t } })),
      ],
    });
    cy.layout(layoutOptions(layout, nodes.length)).run();
    let positions: LayoutAnswer['positions'] = {};
    cy.nodes().forEach((n) => {
      positions[n.id()] = n.position();
    });
    if (layout === 'force' && isDraft(nodes.length))
      positions = spreadPositions(
        positions,
        edges.map(([, s, t]) => [s, t] as const),
      );
    cy.destroy();
    (self as unknown as Worker).postMessage({ id, positions, ms: performance.now() - t0 } satisfies LayoutAnswer);
  } catch (err) {
    (self as unknown as Worker).postMessage({
      id,
      positions: {},
      ms: performance.now() - t0,
      error: (err as Error).message,
    } satisfies LayoutAnswer);
  }
};
