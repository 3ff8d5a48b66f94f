/**
 * Drives one Cytoscape instance imperatively, outside React: updates in one
 * batch, the layout only when the topology changes, resize on container
 * resize, a WebGL renderer for large graphs, large layouts in a worker.
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import { layoutOptions, NODE_SIZE, WORKER_THRESHOLD, type LayoutName } from './layouts.js';
import type { LayoutAnswer, LayoutRequest } from './layout.worker.js';
import { topologyKey, type EdgeEl, type NodeEl } from './model.js';
import { toSvg } from './svg.js';

cytoscape.use(dagre);
cytoscape.use(fcose);

/** Above this many nodes the WebGL renderer draws (where the browser offers WebGL2). */
export const WEBGL_THRESHOLD = 1500;
/** Above this many elements edges are drawn the cheap way (haystack, no labels). */
const LIGHT_EDGES = 3000;

export interface Palette {
  bg: string;
  edge: string;
  label: string;
  accent: string;
  danger: string;
  text: string;
}

export interface ControllerEvents {
  onSelect: (id: string | null) => void;
  onExpand: (id: string) => void;
  onOpenGroup: (id: string) => void;
}

let webglSupport: boolean | null = null;
export function webglAvailable(): boolean {
  if (webglSupport === null) {
    try {
      webglSupport = !!document.createElement('canvas').getContext('webgl2');
    } catch {
      webglSupport = false;
    }
  }
  return webglSupport;
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
        label: 'data(label)',
        color: p.label,
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-max-width': '84px',
        'text-wrap': 'wrap',
        'text-overflow-wrap': 'anywhere',
        'line-height': 1.15,
        'min-zoomed-font-size': 5,
        'border-width': 1.5,
        'border-color': p.bg,
      },
    },
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
        ? { width: 1, 'line-color': p.edge, 'curve-style': 'haystack', 'haystack-radius': 0, opacity: 0.7 }
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

export class GraphController {
  private cy: Core;
  private webgl = false;
  private lightEdges = false;
  private topo = '';
  private palette: Palette;
  private isLight: boolean;
  private readonly observer: ResizeObserver;
  private worker: Worker | null = null;
  private layoutSeq = 0;
  private destroyed = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: ControllerEvents,
    palette: Palette,
    isLightTheme: boolean,
  ) {
    this.palette = palette;
    this.isLight = isLightTheme;
    this.cy = this.create(false);
    this.observer = new ResizeObserver(() => this.cy.resize());
    this.observer.observe(container);
  }

  private create(webgl: boolean, elements: ElementDefinition[] = []): Core {
    const renderer = webgl ? { name: 'canvas', webgl: true, webglTexSize: 4096, webglBatchSize: 4096 } : { name: 'canvas' };
    const cy = cytoscape({
      container: this.container,
      elements,
      style: stylesheet(this.palette, this.lightEdges),
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      textureOnViewport: !webgl && elements.length > 4000,
      hideEdgesOnViewport: !webgl && elements.length > 8000,
      pixelRatio: webgl ? 1 : 'auto',
      renderer,
    } as cytoscape.CytoscapeOptions);
    if (webgl) {
      // Cytoscape sets its canvas-layer count on the shared prototype when WebGL is on; put it back so a later canvas-only instance stays 2D.
      const proto = Object.getPrototypeOf((cy as unknown as { renderer(): object }).renderer()) as { CANVAS_LAYERS?: number } | null;
      if (proto && proto.CANVAS_LAYERS === 4) proto.CANVAS_LAYERS = 3;
    }
    this.webgl = webgl;
    cy.on('tap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (n.data('groupOf')) this.events.onOpenGroup(n.id());
      else this.events.onSelect(n.id());
    });
    cy.on('tap', (e) => {
      if (e.target === cy) this.events.onSelect(null);
    });
    cy.on('dbltap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (!n.data('groupOf')) this.events.onExpand(n.id());
    });
    return cy;
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
    this.cy.style(stylesheet(p, this.lightEdges));
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
  ): Promise<{ layoutMs: number; laidOut: boolean }> {
    const total = els.nodes.length + els.edges.length;
    const wantWebgl = els.nodes.length > WEBGL_THRESHOLD && webglAvailable();
    const wantLight = total > LIGHT_EDGES;
    const topo = topologyKey(els);
    const changed = topo !== this.topo;
    if (wantWebgl !== this.webgl || (wantLight !== this.lightEdges && changed)) {
      // Renderer choice is fixed at creation: build a fresh instance for the new size class.
      this.lightEdges = wantLight;
      this.cy.destroy();
      this.cy = this.create(wantWebgl, []);
      this.topo = '';
    }
    const cy = this.cy;
    const wanted = new Set<string>();
    for (const n of els.nodes) wanted.add(n.data.id);
    for (const e of els.edges) wanted.add(e.data.id);
    const added: ElementDefinition[] = [];
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!wanted.has(el.id())) el.remove();
      });
      for (const n of els.nodes) {
        const ex = cy.getElementById(n.data.id);
        if (ex.nonempty()) ex.data(n.data);
        else added.push(n as ElementDefinition);
      }
      for (const e of els.edges) {
        const ex = cy.getElementById(e.data.id);
        if (ex.nonempty()) ex.data(e.data);
        else added.push(e as ElementDefinition);
      }
      if (added.length) cy.add(added);
    });
    if (!changed && !relayout && this.topo !== '') return { layoutMs: 0, laidOut: false };
    this.topo = topo;
    const t0 = performance.now();
    await this.runLayout(layout);
    return { layoutMs: performance.now() - t0, laidOut: true };
  }

  private runLayout(layout: LayoutName): Promise<void> {
    const cy = this.cy;
    const n = cy.nodes().length;
    if (n === 0) return Promise.resolve();
    if (n <= WORKER_THRESHOLD) {
      cy.layout(layoutOptions(layout, n)).run();
      this.fitReadable();
      return Promise.resolve();
    }
    const seq = ++this.layoutSeq;
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
        this.cy.fit(undefined, 30);
        resolve();
      };
      worker.addEventListener('message', on);
      worker.postMessage(req);
    });
  }

  /** Fits the graph; a small graph too wide to read when fitted is shown readable around its centre CI instead (Fit shows it all). */
  private fitReadable(): void {
    const cy = this.cy;
    cy.fit(undefined, 30);
    if (cy.nodes().length < 300 && cy.zoom() < 0.6) {
      const c = cy.nodes('[?center]');
      cy.zoom(0.6);
      cy.center(c.nonempty() ? c : undefined);
    }
  }

  relayout(layout: LayoutName): Promise<void> {
    return this.runLayout(layout);
  }

  fit(): void {
    this.cy.animate({ fit: { eles: this.cy.elements(), padding: 30 } }, { duration: 200 });
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
    this.observer.disconnect();
    this.worker?.terminate();
    this.cy.destroy();
  }
}
