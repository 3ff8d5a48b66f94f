/** Layout options shared by the UI thread and the layout worker. */
import type cytoscape from 'cytoscape';

export type LayoutName = 'layered' | 'force';

/** Above this many nodes the layout runs in a Web Worker (headless Cytoscape) so the UI stays responsive. */
export const WORKER_THRESHOLD = 1500;

/** Above this many nodes fcose runs only its spectral draft (then spreadPositions fans out the piles). */
export function isDraft(nodeCount: number): boolean {
  return nodeCount > 400;
}

export function layoutOptions(name: LayoutName, nodeCount: number): cytoscape.LayoutOptions {
  if (name === 'layered') {
    return {
      name: 'dagre',
      rankDir: 'TB',
      nodeSep: nodeCount > 500 ? 10 : 46,
      rankSep: nodeCount > 500 ? 60 : 90,
      edgeSep: 8,
      animate: false,
      fit: false,
    } as cytoscape.LayoutOptions;
  }
  return {
    name: 'fcose',
    // Above a few hundred nodes fcose's refinement costs seconds; its spectral draft is already a readable clustering.
    quality: isDraft(nodeCount) ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: false,
    nodeRepulsion: () => 6000,
    idealEdgeLength: () => 70,
    numIter: 1500,
    packComponents: true,
    tile: true,
  } as unknown as cytoscape.LayoutOptions;
}

/** Node sizes in the headless worker must match the drawn ones, or the layout overlaps. */
export const NODE_SIZE = 28;
