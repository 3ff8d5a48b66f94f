/**
 * Drives the graph view's Cytoscape instance imperatively, outside React,
 * through the shared CytoscapeHost (one batch per update, the layout only
 * when the topology changes, resize on container resize): the graph's
 * styles and events, a WebGL renderer for large graphs, large layouts in a
 * worker.
 */
import cytoscape, { type Core } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { CytoscapeHost, type Point } from './cytoscapeHost.js';
import { isDraft, layoutOptions, NODE_SIZE, WORKER_THRESHOLD, type LayoutName } from './layouts.js';
import { spreadPositions } from './spread.js';
import type { LayoutAnswer, LayoutRequest } from './layout.worker.js';
import type { EdgeEl, NodeEl } from './model.js';
import { layeredPositions, type LayeredOptions } from './fastLayered.js';
import type { Palette } from './palette.js';
import { toSvg } from './svg.js';
import { leanStyle, rendererOptions } from './renderOptions.js';
import { GROUP_LABEL_MAX_PX, LABEL_MAX_PX, LABEL_PX, placeLabels, type Box, type LabelCandidate } from './labels.js';
import { edgeCandidate, labelSideRules, nodeCandidate, showPlaced } from './labelPlacement.js';
import { isArrow, pickInDirection } from './keyNav.js';
import { findPath, isGroupNode, type PathFound, type PathThroughGroups } from './pathSearch.js';

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
  /** Enter on the selected CI. */
  onOpen: (id: string) => void;
}

/** Room kept clear of the overlays (notices, zoom bar) when the graph is fitted, in CSS pixels. */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
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

/**
 * From this zoom on every edge's label is drawn where it fits (below it, those of the selection, the path,
 * the hovered node and implied edges). An edge's label is drawn along it, and placed like the node labels:
 * only where it overlaps no other label, so a hub's many edges show the labels that have room, never a pile.
 */
const EDGE_LABEL_ZOOM = 0.9;
/** The on-screen size of edge labels, in CSS pixels. */
const EDGE_LABEL_PX = 11;

/**
 * The styles at zoom `zoom`. Labels are sized to read LABEL_PX on screen
 * whatever the zoom, and a node shows
 * its label only with the class `show-label` (chosen by placeLabels so they do
 * not overlap) or when it is the centre, a group (it stands for many CIs, and
 * groups are few), selected, hovered or on the path. An edge shows its label
 * only with `show-label`, also placed by placeLabels (in a large graph, which
 * places none, the hovered node's edges show theirs).
 */
function stylesheet(p: Palette, light: boolean, zoom = 1): cytoscape.StylesheetJson {
  // A large graph labels everything once zoomed in (the zoom handler in create): fixed sizes, no restyling per zoom.
  const z = light ? 1 : Math.max(zoom, 0.02);
  // Sizes in model units that draw at a constant size on screen.
  const font = LABEL_PX / z;
  const edgeFont = EDGE_LABEL_PX / z;
  const labelled = {
    label: 'data(label)',
    'font-size': font,
    'text-max-width': `${LABEL_MAX_PX / z}px`,
    'text-margin-y': 3 / z,
    'text-background-color': p.bg,
    'text-background-opacity': 0.75,
    'text-background-padding': `${1 / z}px`,
  };
  const edgeLabel = {
    label: 'data(label)',
    'font-size': edgeFont,
    color: p.label,
    'text-rotation': 'autorotate',
    'text-background-color': p.bg,
    'text-background-opacity': 0.85,
    'text-background-padding': '1px',
  };
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        shape: 'data(shape)' as never,
        width: NODE_SIZE,
        height: NODE_SIZE,
        label: '',
        color: p.label,
        'font-size': font,
        'text-valign': 'bottom',
        'text-wrap': 'ellipsis',
        'text-max-width': `${LABEL_MAX_PX}px`,
        'min-zoomed-font-size': 0,
        // Borders cost a second stroke per node per frame: large graphs go without.
        'border-width': light ? 0 : 1.5,
        'border-color': p.bg,
      },
    },
    { selector: 'node.show-label, node[?center], node[groupOf], node[groupBy], node:selected, node.hover, node.path', style: labelled },
    ...labelSideRules(z),
    {
      selector: 'node[?center]',
      style: { width: 40, height: 40, 'border-width': 3, 'border-color': p.accent, 'font-weight': 'bold' },
    },
    {
      // Group nodes: a wide dashed box, so a group never reads as one CI.
      selector: 'node[groupOf], node[groupBy]',
      style: {
        width: 58,
        height: 30,
        'border-width': 2.5,
        'border-style': 'dashed',
        'border-color': p.text,
        'background-opacity': 0.6,
        'font-weight': 'bold',
        // Wider than a CI's label, so the count after a cut value always shows.
        'text-max-width': `${GROUP_LABEL_MAX_PX / z}px`,
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
          },
    },
    { selector: light ? 'edge.show-label, edge.hover' : 'edge.show-label', style: edgeLabel },
    {
      selector: 'edge[?implied]',
      style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4], width: 1.6, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle' },
    },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': p.accent, 'overlay-opacity': 0 } },
    { selector: 'node.hl', style: { 'border-width': 2.5, 'border-color': p.accent } },
    { selector: 'edge.hl', style: { 'line-color': p.accent, 'target-arrow-color': p.accent, width: 2.2, 'z-index': 9 } },
    { selector: '.dim', style: { opacity: 0.22 } },
    // The path's width is an edge's: on nodes it would squash them into bars.
    { selector: 'edge.path', style: { 'line-color': p.danger, 'target-arrow-color': p.danger, width: 3.5, 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': p.danger } },
    { selector: '.faded', style: { opacity: 0.18 } },
  ] as cytoscape.StylesheetJson;
}

/**
 * The edges that label a bundle: of the edges with the same label at one node (a hub's many "depends on"),
 * the longest (its midpoint lies furthest from the crowded end). Each kind of relationship at a hub is
 * then labelled once before any is labelled twice.
 */
function bundleLabels(edges: cytoscape.EdgeCollection): Set<string> {
  const best = new Map<string, { id: string; len: number; n: number }>();
  edges.forEach((e) => {
    const label = String(e.data('label') ?? '');
    if (!label) return;
    const a = e.source().renderedPosition();
    const b = e.target().renderedPosition();
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    for (const end of [e.source().id(), e.target().id()]) {
      const key = `${end}\u0000${label}`;
      const was = best.get(key);
      if (!was) best.set(key, { id: e.id(), len, n: 1 });
      else {
        was.n++;
        if (len > was.len) Object.assign(was, { id: e.id(), len });
      }
    }
  });
  return new Set([...best.values()].filter((b) => b.n > 1).map((b) => b.id));
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
  /** The zoom the stylesheet's label sizes were computed for. */
  private styledZoom = 1;
  /** Whether the container's key listener is attached (once, across instances). */
  private keyed = false;
  private obstacles: () => Box[] = () => [];
  /** What the labels were last placed for (see labelInputs): placing them again for the same is skipped. */
  private placedFor = '';
  /** Bumped when what is drawn or highlighted changes: the labels' priorities then change. */
  private drawVersion = 0;
  /** The frame the hovered node's labels are placed in (0: none asked for): a pointer crossing many nodes places them once a frame. */
  private hoverFrame = 0;
  private insets: () => Insets[] = () => [{ top: 30, right: 30, bottom: 30, left: 30 }];

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
      style: this.sheet((this.styledZoom = 1)),
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
    cy.on('tap', 'node', (e) => this.choose(e.target as cytoscape.NodeSingular, 'pointer'));
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
        if (this.destroyed) return;
        const want = labelled ? cy.zoom() > 0.55 : cy.zoom() > 0.7;
        if (want === labelled) return;
        labelled = want;
        cy.batch(() => (want ? cy.nodes().addClass('show-label') : cy.nodes().removeClass('show-label')));
      });
    });
    this.wireReading(cy, container);
    cy.on('dbltap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (prevTap === n.id() && !isGroupNode(n)) this.events.onExpand(n.id());
    });
    return cy;
  }

  /** The stylesheet for the current palette and size: a large graph's is lean (renderOptions.ts). */
  private sheet(zoom: number): cytoscape.StylesheetJson {
    const sheet = stylesheet(this.palette, this.lightEdges, zoom);
    return this.lightEdges ? leanStyle(sheet) : sheet;
  }

  /**
   * What makes the graph readable at any zoom: labels re-placed once a zoom
   * settles, the hovered node's label and edge labels, and the keyboard (focus
   * follows a tap, so the arrows work after a click).
   */
  private wireReading(cy: Core, container: HTMLElement | null): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    cy.on('zoom', () => {
      if (this.lightEdges) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.refreshLabels(), 120);
    });
    // The hovered node's edges compete first for room for their labels (placed again, as for a selection). The
    // highlight follows the pointer at once; the placement (7-25 ms at 2,000 elements) waits for the next frame, so
    // a pointer sweeping across a dense graph places them once a frame, for the node it stopped on, not twice a node.
    const placeHovered = () => {
      if (this.hoverFrame) return;
      this.hoverFrame = requestAnimationFrame(() => {
        this.hoverFrame = 0;
        if (!this.destroyed) this.refreshLabels();
      });
    };
    cy.on('mouseover', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      cy.batch(() => n.union(n.connectedEdges()).addClass('hover'));
      this.drawVersion++;
      placeHovered();
    });
    cy.on('mouseout', 'node', () => {
      cy.batch(() => cy.elements('.hover').removeClass('hover'));
      this.drawVersion++;
      placeHovered();
    });
    cy.on('tap', 'node', () => container?.focus({ preventScroll: true }));
    if (container && !this.keyed) {
      this.keyed = true;
      container.addEventListener('keydown', (ev) => this.onKey(ev));
    }
  }

  /** Arrows walk the selection between neighbours by direction on screen; Enter opens it; Escape clears it. */
  private onKey(ev: KeyboardEvent): void {
    const cy = this.cy;
    const sel = cy.$('node:selected');
    if (ev.key === 'Escape') {
      if (sel.empty()) return;
      ev.preventDefault();
      this.events.onSelect(null);
      return;
    }
    if (ev.key === 'Enter') {
      if (sel.empty()) return;
      ev.preventDefault();
      const n = sel.first() as cytoscape.NodeSingular;
      if (isGroupNode(n)) this.events.onOpenGroup(n.id());
      else this.events.onOpen(n.id());
      return;
    }
    if (!isArrow(ev.key)) return;
    ev.preventDefault();
    const from = (sel.nonempty() ? sel.first() : cy.nodes('[?center]').first()) as cytoscape.NodeSingular;
    if (!from || from.empty()) return;
    if (sel.empty()) return this.choose(from, 'keys');
    const place = (n: cytoscape.NodeSingular) => ({ id: n.id(), ...n.renderedPosition() });
    const neighbours = from.neighborhood('node').map(place);
    const next =
      pickInDirection(from.renderedPosition(), neighbours, ev.key) ??
      pickInDirection(from.renderedPosition(), cy.nodes().not(from).map(place), ev.key);
    if (next) this.choose(cy.getElementById(next), 'keys');
  }

  /**
   * A node chosen with the pointer or the keys: the one way into the
   * selection, for CIs and groups alike (the view's side panel tells a group
   * from a CI, selection.ts). A click on a group opens it, as it always has;
   * the arrows select a group as they select a CI, and Enter opens it.
   */
  private choose(n: cytoscape.NodeSingular, by: 'pointer' | 'keys'): void {
    if (by === 'pointer' && isGroupNode(n)) return this.events.onOpenGroup(n.id());
    this.events.onSelect(n.id());
    if (by === 'keys') this.reveal(n.id());
  }

  /** Pans the view so the node is on screen (at the same zoom) when it is not. */
  private reveal(id: string): void {
    const cy = this.cy;
    const n = cy.getElementById(id);
    if (n.empty()) return;
    const p = n.renderedPosition();
    const m = 40;
    if (p.x >= m && p.y >= m && p.x <= cy.width() - m && p.y <= cy.height() - m) return;
    cy.center(n);
  }

  /**
   * Chooses which node labels to draw at the current zoom (they must fit
   * without overlapping: the selection, the centre, the highlighted and the
   * hubs first) and restyles labels to read LABEL_PX on screen.
   */
  refreshLabels(): void {
    const cy = this.cy;
    if (this.lightEdges || cy.nodes().empty()) return;
    // A drawing asks for its labels several times (fitted, its selection restored, the overlays settled, the fit's zoom event): placed once.
    const inputs = this.labelInputs();
    if (inputs === this.placedFor) return;
    this.placedFor = inputs;
    const t0 = performance.now();
    const zoom = cy.zoom();
    // Restyling every element costs most of the placement: done only once the label size on screen leaves 11–13.8 px.
    const ratio = zoom / this.styledZoom;
    if (ratio < 0.92 || ratio > 1.15) {
      this.styledZoom = zoom;
      cy.style(stylesheet(this.palette, this.lightEdges, zoom));
    }
    const scale = zoom / this.styledZoom;
    const candidates: LabelCandidate[] = cy.nodes().map((n) => {
      const group = Boolean(n.data('groupBy') || n.data('groupOf'));
      // A group's label is drawn always (the stylesheet): it is placed before the labels drawn only where they fit.
      const priority = n.selected() ? 5 : n.data('center') ? 4 : group ? 3.5 : n.hasClass('path') ? 3 : n.hasClass('hl') ? 2 : 0;
      return { ...nodeCandidate(n, priority), ...(group ? { maxPx: GROUP_LABEL_MAX_PX, always: true, drawnAnyway: true } : {}) };
    });
    // Edge labels compete for room after the node labels: those of the path, the hovered node, the selection and implied edges at any zoom, the rest once zoomed in.
    const edgePx = EDGE_LABEL_PX * scale;
    const wanted = zoom >= EDGE_LABEL_ZOOM ? cy.edges() : cy.edges('.hl, .path, .hover, [?implied]');
    const first = bundleLabels(wanted);
    wanted.forEach((e) => {
      const priority = e.hasClass('path') ? 3 : e.hasClass('hl') ? 2 : e.hasClass('hover') ? 1.8 : e.data('implied') ? 1.5 : -1;
      // A bundle's first label goes before the repeats of its kind (after the node labels of its priority, which have a degree of 1 or more).
      const c = edgeCandidate(e, edgePx, priority, first.has(e.id()) ? 0.5 : 0);
      if (c) candidates.push(c);
    });
    const show = placeLabels(candidates, this.obstacles(), scale, { x1: 0, y1: 0, x2: cy.width(), y2: cy.height() });
    showPlaced(cy, show);
    performance.measure('graph:labels', { start: t0 });
  }

  /** Everything the label placement depends on: the viewport, the canvas, what is drawn and highlighted, and the overlays. */
  private labelInputs(): string {
    const cy = this.cy;
    const pan = cy.pan();
    return `${cy.zoom()}|${pan.x}|${pan.y}|${cy.width()}x${cy.height()}|${this.drawVersion}|${JSON.stringify(this.obstacles())}`;
  }

  /**
   * Large or small graph: cheaper styles, and on the 2D canvas a snapshot
   * during pan and zoom at pixel ratio 1. The two renderer fields are the ones
   * Cytoscape sets from its `textureOnViewport` and `pixelRatio` options.
   */
  private applySizeClass(): void {
    this.cy.style(this.sheet(this.styledZoom));
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
    this.cy.style(this.sheet(this.styledZoom));
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
    this.drawVersion++;
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
    return this.host.update(els, (_cy, placed) => (placed ? this.placedLayered() : this.runLayout(layout)), {
      force: relayout,
      mark: 'graph:elements-added',
      place: layout === 'layered' ? () => this.layeredPlaces(els) : undefined,
    });
  }

  /** The linear layered layout's positions, from the elements before Cytoscape has them; null for a graph dagre lays out. */
  private layeredPlaces(els: { nodes: NodeEl[]; edges: EdgeEl[] }): Record<string, Point> | null {
    if (els.nodes.length <= DAGRE_MAX) return null;
    const pos = layeredPositions(
      els.nodes.map((n) => n.data.id),
      els.edges.map((e) => [e.data.source, e.data.target] as const),
      els.nodes.find((n) => n.data.center)?.data.id ?? null,
      this.layeredSpacing(),
    );
    performance.mark('graph:layout-computed');
    return pos;
  }

  /** Labelled graphs need room for a label beside each node; large ones are read zoomed out. */
  private layeredSpacing(): LayeredOptions {
    return this.lightEdges ? {} : { dx: 124, rowGap: 96, layerGap: 170 };
  }

  /** The nodes were added where the layered layout put them: fit the view to them. */
  private placedLayered(): void {
    ++this.layoutSeq;
    performance.mark('graph:positions-applied');
    this.fitReadable();
    performance.mark('graph:fitted');
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
        this.layeredSpacing(),
      );
      performance.mark('graph:layout-computed');
      cy.batch(() => {
        cy.nodes().positions((node) => pos[node.id()] ?? node.position());
      });
      performance.mark('graph:positions-applied');
      this.fitReadable();
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
      this.fitReadable();
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
        this.fitReadable();
        resolve();
      };
      worker.addEventListener('message', on);
      worker.postMessage(req);
    });
  }

  /** Fits the whole graph into the canvas clear of the overlays, then places the labels for that zoom. */
  private fitReadable(): void {
    // The nodes moved: the labels are placed again even if the fit gives the same viewport.
    this.drawVersion++;
    this.fitToPositions();
    this.refreshLabels();
  }

  /** What lies over the canvas (boxes in canvas pixels): labels are not placed under it. */
  setObstacles(obstacles: () => Box[]): void {
    this.obstacles = obstacles;
  }

  /** Where the overlays are, as alternative room to keep clear: the fitted graph takes the one that draws it largest. */
  setInsets(insets: () => Insets[]): void {
    this.insets = insets;
  }

  /**
   * The viewport that shows every node inside the canvas minus the insets,
   * with room for a label under and beside each node. Positions, not
   * Cytoscape's bounding box: that measures every label, most of a second at
   * 2,000 nodes.
   */
  private fitViewport(): { zoom: number; pan: { x: number; y: number } } | null {
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
    if (!Number.isFinite(x1)) return null;
    // Each way of keeping clear of the overlays (e.g. beside the legend or above it): the one that draws largest.
    let best: { zoom: number; pan: { x: number; y: number } } | null = null;
    for (const ins of this.insets()) {
      // On screen: half a label's width either side, a node and a label line below, half a node above.
      const padX = LABEL_MAX_PX / 2 + 4;
      const padTop = NODE_SIZE;
      const padBottom = NODE_SIZE + LABEL_PX * 2;
      const w = Math.max(1, cy.width() - ins.left - ins.right - padX * 2);
      const h = Math.max(1, cy.height() - ins.top - ins.bottom - padTop - padBottom);
      const zoom = Math.min(1.5, cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / Math.max(1, x2 - x1), h / Math.max(1, y2 - y1))));
      if (best && best.zoom >= zoom) continue;
      const cx = ins.left + padX + w / 2;
      const cyy = ins.top + padTop + h / 2;
      best = { zoom, pan: { x: cx - zoom * ((x1 + x2) / 2), y: cyy - zoom * ((y1 + y2) / 2) } };
    }
    return best;
  }

  private fitToPositions(): void {
    const v = this.fitViewport();
    if (v) this.cy.viewport(v);
  }

  relayout(layout: LayoutName): Promise<void> {
    return this.runLayout(layout);
  }

  fit(): void {
    const v = this.fitViewport();
    if (!v) return;
    if (this.cy.nodes().length > 500) {
      this.cy.viewport(v);
      this.refreshLabels();
    } else this.cy.animate(v, { duration: 200, complete: () => this.refreshLabels() });
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

  /** Selects a node, highlights it with its neighbours and the edges between them, and dims the rest (null clears). */
  select(id: string | null): void {
    const cy = this.cy;
    this.drawVersion++;
    cy.batch(() => {
      cy.$(':selected').unselect();
      cy.elements().removeClass('hl dim');
      const n = id ? cy.getElementById(id) : null;
      if (!n || n.empty()) return;
      n.select();
      const near = n.closedNeighborhood();
      near.addClass('hl');
      n.removeClass('hl');
      cy.elements().not(near).addClass('dim');
    });
    this.refreshLabels();
  }

  /**
   * Highlights the shortest path along the relationships' direction between two
   * drawn CIs, through CIs only (pathSearch.ts): from `from` to `to` if one runs
   * that way, else from `to` to `from`. Returns its length and whether it runs
   * from `from`; the groups when only a path through group nodes joins them
   * (nothing is highlighted then); or null.
   */
  highlightPath(from: string, to: string): Omit<PathFound, 'path'> | PathThroughGroups | null {
    const cy = this.cy;
    this.clearPath();
    const found = findPath(cy, from, to);
    if (!found || 'throughGroups' in found) return found;
    this.drawVersion++;
    cy.batch(() => {
      cy.elements().removeClass('hl dim').addClass('faded');
      found.path.removeClass('faded').addClass('path');
    });
    this.refreshLabels();
    return { hops: found.hops, forward: found.forward, names: found.names };
  }

  clearPath(): void {
    this.drawVersion++;
    this.cy.batch(() => this.cy.elements().removeClass('path faded'));
  }

  /** Where the layout put each drawn node (model coordinates). */
  positions(): Map<string, { x: number; y: number }> {
    return new Map(this.cy.nodes().map((n) => [n.id(), { ...n.position() }] as const));
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
    cancelAnimationFrame(this.hoverFrame);
    this.worker?.terminate();
    this.host.destroy();
  }
}
