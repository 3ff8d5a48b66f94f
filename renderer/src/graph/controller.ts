/**
 * Drives the graph view's Cytoscape instance imperatively, outside React,
 * through the shared CytoscapeHost (one batch per update, the layout only
 * when the topology changes, resize on container resize): the graph's
 * styles and events, a WebGL renderer for large graphs, large layouts in a
 * worker.
 */
import cytoscape, { type Core } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { CytoscapeHost } from './cytoscapeHost.js';
import { isDraft, layoutOptions, NODE_SIZE, WORKER_THRESHOLD, type LayoutName } from './layouts.js';
import { spreadPositions } from './spread.js';
import type { LayoutAnswer, LayoutRequest } from './layout.worker.js';
import type { EdgeEl, NodeEl } from './model.js';
import { layeredPositions } from './fastLayered.js';
import type { Palette } from './palette.js';
import { toSvg } from './svg.js';
import { leanStyle, rendererOptions } from './renderOptions.js';

export type { Palette } from './palette.js';

cytoscape.use(fcose);

/** Above this many nodes the WebGL renderer draws (where the browser offers WebGL2). */
export const WEBGL_THRESHOLD = 1500;
/** Dagre's layered layout is superb on small graphs and takes minutes on thousands of nodes: above this, the linear one. */
const DAGRE_MAX = 150;
/** Above this many elements edges are drawn the cheap way (haystack, no labels). */
const LIGHT_EDGES = 3000;

export interface ControllerEvents {
  onSelect: (id: string | null) => void;
  onExpand: (id: string) => void;
  onOpenGroup: (id: string) => void;
}

let webglInfo: { available: boolean; hardware: boolean; renderer: string } | null = null;

/**
 * Whether WebGL2 exists and whether a real GPU is behind it. A software
 * rasteriser (SwiftShader, llvmpipe) draws Cytoscape's WebGL renderer at a
 * frame or two per second, far slower than the 2D canvas, so "auto" only
 * picks WebGL on hardware.
 */
export function webglSupport(): { available: boolean; hardware: boolean; renderer: string } {
  if (webglInfo === null) {
    try {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) webglInfo = { available: false, hardware: false, renderer: 'none' };
      else {
        const ext = gl.getExtension('WEBGL_debug_renderer_info');
        const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
        webglInfo = { available: true, hardware: !/swiftshader|llvmpipe|softpipe|software/i.test(renderer), renderer };
        gl.getExtension('WEBGL_lose_context')?.loseContext();
      }
    } catch {
      webglInfo = { available: false, hardware: false, renderer: 'none' };
    }
  }
  return webglInfo;
}

function stylesheet(p: Palette, light: boolean): cytoscape.StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        shape: 'data(shape)' as never,
        width: NODE_SIZE,
        height: NODE_SIZE,
        // A large graph labels only what is in focus until zoomed in: measuring thousands of labels costs the first second.
        label: light ? '' : 'data(label)',
        color: p.label,
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-max-width': '96px',
        'text-wrap': 'wrap',
        'line-height': 1.15,
        'min-zoomed-font-size': 5,
        // Borders cost a second stroke per node per frame: large graphs go without.
        'border-width': light ? 0 : 1.5,
        'border-color': p.bg,
      },
    },
    { selector: 'node[?center], node:selected, node.show-label, node.path', style: { label: 'data(label)' } },
    {
      selector: 'node[?center]',
      style: { width: 40, height: 40, 'border-width': 3, 'border-color': p.accent, 'font-weight': 'bold', 'font-size': 11 },
    },
    {
      selector: 'node[groupOf]',
      style: {
        width: 44,
        height: 44,
        'border-width': 2,
        'border-style': 'dashed',
        'border-color': p.text,
        'background-opacity': 0.55,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'edge',
      style: light
        ? { width: 1, 'line-color': p.edge, 'curve-style': 'haystack', 'haystack-radius': 0 }
        : {
            width: 1.3,
            'line-color': p.edge,
            'target-arrow-color': p.edge,
            'target-arrow-shape': 'triangle',
            'arrow-scale': 0.9,
            'curve-style': 'bezier',
            label: 'data(label)',
            'font-size': 8.5,
            color: p.label,
            'text-rotation': 'autorotate',
            'text-background-color': p.bg,
            'text-background-opacity': 0.85,
            'text-background-padding': '1px',
            'min-zoomed-font-size': 9,
          },
    },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': p.accent, 'overlay-opacity': 0 } },
    { selector: '.path', style: { 'line-color': p.danger, 'target-arrow-color': p.danger, width: 3.5, 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': p.danger } },
    { selector: '.faded', style: { opacity: 0.18 } },
  ] as cytoscape.StylesheetJson;
}

/** The graph view's Cytoscape: created once in `container`, redrawn by `setElements`. */
export class GraphController {
  private readonly host: CytoscapeHost;
  /** Whether the current instance draws with WebGL (fixed when it is created). */
  private webgl = false;
  private lightEdges = false;
  private palette: Palette;
  private isLight: boolean;
  private worker: Worker | null = null;
  private layoutSeq = 0;
  private destroyed = false;

  constructor(
    container: HTMLElement,
    private readonly events: ControllerEvents,
    palette: Palette,
    isLightTheme: boolean,
  ) {
    this.palette = palette;
    this.isLight = isLightTheme;
    this.host = new CytoscapeHost(container, (c) => this.create(c));
  }

  private get cy(): Core {
    return this.host.core;
  }

  /** A new instance in `container`, with the renderer `this.webgl` says. */
  private create(container: HTMLElement | null): Core {
    const webgl = this.webgl;
    const cy = cytoscape({
      container,
      style: this.sheet(),
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      ...rendererOptions({ webgl, large: this.lightEdges }),
    } as cytoscape.CytoscapeOptions);
    if (webgl) {
      // Cytoscape sets its canvas-layer count on the shared prototype when WebGL is on; put it back so a later canvas-only instance stays 2D.
      const proto = Object.getPrototypeOf((cy as unknown as { renderer(): object }).renderer()) as { CANVAS_LAYERS?: number } | null;
      if (proto && proto.CANVAS_LAYERS === 4) proto.CANVAS_LAYERS = 3;
    }
    // Cytoscape fires dbltap for two quick taps anywhere; only two taps on the same node expand it.
    let lastTap: string | null = null;
    let prevTap: string | null = null;
    cy.on('tap', (e) => {
      prevTap = lastTap;
      lastTap = e.target === cy ? null : (e.target as cytoscape.SingularElementArgument).id();
    });
    cy.on('tap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (n.data('groupOf')) this.events.onOpenGroup(n.id());
      else this.events.onSelect(n.id());
    });
    cy.on('tap', (e) => {
      if (e.target === cy) this.events.onSelect(null);
    });
    // Large graphs: labels appear once zoomed in far enough to read them (with hysteresis, so a wobble does not flip them).
    let labelled = false;
    let pending = 0;
    cy.on('zoom', () => {
      if (!this.lightEdges || pending) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        const want = labelled ? cy.zoom() > 0.55 : cy.zoom() > 0.7;
        if (want === labelled) return;
        labelled = want;
        cy.batch(() => (want ? cy.nodes().addClass('show-label') : cy.nodes().removeClass('show-label')));
      });
    });
    cy.on('dbltap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (prevTap === n.id() && !n.data('groupOf')) this.events.onExpand(n.id());
    });
    return cy;
  }

  /** The stylesheet for the current palette and size: a large graph's is lean (renderOptions.ts). */
  private sheet(): cytoscape.StylesheetJson {
    const sheet = stylesheet(this.palette, this.lightEdges);
    return this.lightEdges ? leanStyle(sheet) : sheet;
  }

  /**
   * Large or small graph: cheaper styles, and on the 2D canvas a snapshot
   * during pan and zoom at pixel ratio 1. The two renderer fields are the ones
   * Cytoscape sets from its `textureOnViewport` and `pixelRatio` options.
   */
  private applySizeClass(): void {
    this.cy.style(this.sheet());
    if (this.webgl) return;
    const r = (this.cy as unknown as { renderer(): { textureOnViewport?: boolean; forcedPixelRatio?: number | null } }).renderer();
    r.textureOnViewport = this.lightEdges;
    r.forcedPixelRatio = this.lightEdges ? 1 : null;
    this.cy.resize();
  }

  get core(): Core {
    return this.cy;
  }

  get usesWebgl(): boolean {
    return this.webgl;
  }

  setTheme(p: Palette, isLight: boolean): void {
    this.palette = p;
    this.isLight = isLight;
    this.cy.style(this.sheet());
  }

  /**
   * Replaces what is drawn: removes what went, adds what came, updates data in
   * place, all in one batch; lays out again only when the topology changed.
   * Resolves with the layout time once the new positions are applied.
   */
  async setElements(
    els: { nodes: NodeEl[]; edges: EdgeEl[] },
    layout: LayoutName,
    relayout = false,
    webgl: 'auto' | 'on' | 'off' = 'auto',
  ): Promise<{ layoutMs: number; laidOut: boolean }> {
    const total = els.nodes.length + els.edges.length;
    const gl = webglSupport();
    const wantWebgl = gl.available && (webgl === 'on' || (webgl === 'auto' && gl.hardware && els.nodes.length > WEBGL_THRESHOLD));
    const wantLight = total > LIGHT_EDGES;
    const changed = this.host.changes(els);
    if (wantWebgl !== this.webgl) {
      // WebGL or 2D is fixed when Cytoscape is created: the one case that needs a fresh instance.
      this.lightEdges = wantLight;
      this.webgl = wantWebgl;
      this.host.recreate();
    } else if (wantLight !== this.lightEdges && changed) {
      this.lightEdges = wantLight;
      this.applySizeClass();
    }
    return this.host.update(els, () => this.runLayout(layout), { force: relayout, mark: 'graph:elements-added' });
  }

  private runLayout(layout: LayoutName): Promise<void> {
    const cy = this.cy;
    const n = cy.nodes().length;
    if (n === 0) return Promise.resolve();
    const seq = ++this.layoutSeq;
    if (layout === 'layered' && n > DAGRE_MAX) {
      // Linear-time layered layout: milliseconds for thousands of nodes, so it needs no worker.
      const center = cy.nodes('[?center]');
      const pos = layeredPositions(
        cy.nodes().map((x) => x.id()),
        cy.edges().map((e) => [e.source().id(), e.target().id()] as const),
        center.nonempty() ? center.first().id() : null,
        // Labelled graphs need room for a label beside each node; large ones are read zoomed out.
        this.lightEdges ? {} : { dx: 124, rowGap: 96, layerGap: 170 },
      );
      performance.mark('graph:layout-computed');
      cy.batch(() => {
        cy.nodes().positions((node) => pos[node.id()] ?? node.position());
      });
      performance.mark('graph:positions-applied');
      this.fitReadable(true);
      performance.mark('graph:fitted');
      return Promise.resolve();
    }
    if (n <= WORKER_THRESHOLD) {
      cy.layout(layoutOptions(layout, n)).run();
      if (layout === 'force' && isDraft(n)) {
        const pos: Record<string, { x: number; y: number }> = {};
        cy.nodes().forEach((x) => {
          pos[x.id()] = x.position();
        });
        const spread = spreadPositions(
          pos,
          cy.edges().map((e) => [e.source().id(), e.target().id()] as const),
        );
        cy.batch(() => {
          cy.nodes().positions((node) => spread[node.id()] ?? node.position());
        });
      }
      this.fitReadable(layout === 'layered');
      return Promise.resolve();
    }
    this.worker ??= new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    const worker = this.worker;
    const req: LayoutRequest = {
      id: seq,
      layout,
      nodes: cy.nodes().map((x) => x.id()),
      edges: cy.edges().map((e) => [e.id(), e.source().id(), e.target().id()] as [string, string, string]),
    };
    return new Promise((resolve, reject) => {
      const on = (ev: MessageEvent<LayoutAnswer>) => {
        if (ev.data.id !== seq) return;
        worker.removeEventListener('message', on);
        if (this.destroyed || seq !== this.layoutSeq) return resolve();
        if (ev.data.error) return reject(new Error(`The layout failed: ${ev.data.error}. Try the other layout or a smaller depth.`));
        const pos = ev.data.positions;
        this.cy.batch(() => {
          this.cy.nodes().positions((node) => pos[node.id()] ?? node.position());
        });
        this.fitReadable(layout === 'layered');
        resolve();
      };
      worker.addEventListener('message', on);
      worker.postMessage(req);
    });
  }

  /** Fits the graph; a small graph too wide to read when fitted is shown readable around its centre CI instead (Fit shows it all). */
  private fitReadable(layered = false): void {
    const cy = this.cy;
    this.fitToPositions();
    if (cy.nodes().length < 300 && cy.zoom() < 0.75) {
      const c = cy.nodes('[?center]');
      const zoom = 0.75;
      const cp = c.nonempty() ? c.first().position() : { x: 0, y: 0 };
      if (layered) {
        // A layered drawing reads from the top: show its first layers, the centre CI in the middle horizontally.
        let top = Infinity;
        cy.nodes().forEach((n) => {
          top = Math.min(top, n.position().y);
        });
        cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * cp.x, y: 120 - zoom * top } });
      } else {
        cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * cp.x, y: cy.height() / 2 - zoom * cp.y } });
      }
    }
  }

  /**
   * Fits the view to the node positions. Cytoscape's own fit measures every
   * label to get the bounding box, which costs most of a second at 2,000
   * nodes; positions plus a margin for the label are enough.
   */
  private fitToPositions(padding = 30): void {
    const cy = this.cy;
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    cy.nodes().forEach((n) => {
      const p = n.position();
      if (p.x < x1) x1 = p.x;
      if (p.x > x2) x2 = p.x;
      if (p.y < y1) y1 = p.y;
      if (p.y > y2) y2 = p.y;
    });
    if (!Number.isFinite(x1)) return;
    const half = NODE_SIZE;
    x1 -= half * 2;
    x2 += half * 2;
    y1 -= half;
    y2 += half * 2; // labels sit below nodes
    const w = Math.max(1, cy.width() - padding * 2);
    const h = Math.max(1, cy.height() - padding * 2);
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / (x2 - x1), h / (y2 - y1))));
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * ((x1 + x2) / 2), y: cy.height() / 2 - zoom * ((y1 + y2) / 2) } });
  }

  relayout(layout: LayoutName): Promise<void> {
    return this.runLayout(layout);
  }

  fit(): void {
    if (this.cy.nodes().length > 500) this.fitToPositions();
    else this.cy.animate({ fit: { eles: this.cy.elements(), padding: 30 } }, { duration: 200 });
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  centreOn(id: string): void {
    const n = this.cy.getElementById(id);
    if (n.empty()) return;
    this.cy.animate({ center: { eles: n }, zoom: Math.max(this.cy.zoom(), 1) }, { duration: 200 });
  }

  select(id: string | null): void {
    this.cy.batch(() => {
      this.cy.$(':selected').unselect();
      if (id) this.cy.getElementById(id).select();
    });
  }

  /** Highlights the shortest path (ignoring direction) between two drawn nodes; returns its length in hops, or null. */
  highlightPath(from: string, to: string): number | null {
    const cy = this.cy;
    this.clearPath();
    const a = cy.getElementById(from);
    const b = cy.getElementById(to);
    if (a.empty() || b.empty()) return null;
    const r = cy.elements().aStar({ root: a, goal: b, directed: false });
    if (!r.found) return null;
    cy.batch(() => {
      cy.elements().addClass('faded');
      r.path.removeClass('faded').addClass('path');
    });
    return r.distance;
  }

  clearPath(): void {
    this.cy.batch(() => this.cy.elements().removeClass('path faded'));
  }

  png(): Promise<Blob> {
    return this.cy.png({
      output: 'blob-promise',
      full: true,
      scale: 2,
      bg: this.palette.bg,
      maxWidth: 8000,
      maxHeight: 8000,
    }) as Promise<Blob>;
  }

  svg(): string {
    return toSvg(this.cy, this.palette, this.isLight);
  }

  destroy(): void {
    this.destroyed = true;
    this.worker?.terminate();
    this.host.destroy();
  }
}
