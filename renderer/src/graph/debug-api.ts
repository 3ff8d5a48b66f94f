/**
 * What the graph view publishes on `window.__cmdbGraph` for the e2e tests and
 * the browser benchmark: types only, without the DOM, so the page (debugHandle.ts)
 * and the tests that read it (tests/e2e/page-globals.ts) share one definition.
 */

/** A drawn node label: its on-screen font size and box (canvas pixels). */
export interface LabelState {
  id: string;
  fontPx: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A drawn edge label as Cytoscape draws it: its rectangle (canvas pixels) centred at cx, cy, turned by `angle` radians along its edge. */
export interface EdgeLabelState {
  id: string;
  label: string;
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
}

/** The graph's state and a few view controls. */
export interface GraphDebug {
  status: 'loading' | 'ready' | 'error';
  seq: number;
  nodes: number;
  edges: number;
  fetchMs: number;
  layoutMs: number;
  shownMs: number;
  renderer: 'webgl' | 'canvas';
  truncated: boolean;
  omitted: number;
  panBy(dx: number, dy: number): void;
  zoomTo(level: number): void;
  fit(): void;
  /** Drawn node ids (group nodes: "group:..."; one keyed like a drawn CI gets "~2"). */
  nodeIds(): string[];
  /** Centres the view on a node at a readable zoom, without animation. */
  reveal(id: string): void;
  /** Where a node is on the page, for tests that click it. */
  pagePosition(id: string): { x: number; y: number } | null;
  /** The drawn node labels: on-screen font size and box (canvas pixels). */
  labels(): LabelState[];
  /** How many edges draw their label. */
  edgeLabels(): number;
  /** The edge labels drawn, each with its turned rectangle on screen, as the renderer measured it. */
  edgeLabelBoxes(): EdgeLabelState[];
  /** A node's or edge's classes, whether selected, its on-screen size, and the fill Cytoscape draws a node in (`rgb(…)`). */
  element(id: string): { classes: string[]; selected: boolean; width: number; height: number; fill: string } | null;
  /** The selected node's id. */
  selected(): string | null;
  /** The drawn edges (ids, ends, whether implied, label). */
  edgeList(): Array<{ id: string; source: string; target: string; implied: boolean; label: string; dashed: boolean }>;
  /** The drawn nodes' labels (group nodes' "value (count)"). */
  nodeLabels(): Record<string, string>;
  /** The text Cytoscape draws for each labelled node, after its own cut to the label's width (an ellipsis). */
  drawnLabels(): Record<string, string>;
}
