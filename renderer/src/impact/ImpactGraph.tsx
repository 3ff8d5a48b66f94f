/**
 * The impacted subgraph: the union of the explanation paths, laid out from
 * the changed CIs (left) to what they take down (right); or, for a blast
 * radius too big to draw CI by CI, the rolled-up graph (groups sized and
 * labelled with their counts, edges with theirs). Its own Cytoscape
 * instance in the shared CytoscapeHost: created once and updated in batches;
 * the layout runs only when the drawn CIs change. Down, degraded and changed CIs each have a style of
 * their own; a selected result's path is drawn bold and the rest faded.
 */
import { labelStates } from '../graph/debugHandle.js';
import type { LabelState } from '../graph/debug-api.js';
import { useCytoscapeHost } from '../graph/useCytoscapeHost.js';
import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { ImpactDirection } from '../../../shared/impact.js';
import { elementsOf, groupElementsOf } from './graphElements.js';
import { GROUP_LABEL_MAX_PX, textWidth, type Box } from '../graph/labels.js';
import { labelSideRules } from '../graph/labelPlacement.js';
import {
  centres,
  clampedPan,
  CRITICAL_RANK,
  IMPACT_LABEL_MAX_PX,
  IMPACT_LABEL_PX,
  OVERVIEW_ZOOM,
  NODE_PX,
  NODE_SEP,
  placeImpactLabels,
  RANK_SEP,
  readableGroupZoom,
  readableViewport,
  type Viewport,
} from './graphReading.js';
import { IMPACT_COLOURS, type Subgraph } from './model.js';
import type { GroupView } from './rollup.js';

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The styles at zoom `z`: a CI's name (shown by placeImpactLabels, or hovered, in full) reads IMPACT_LABEL_PX on screen whatever the zoom. */
function stylesheet(z = 1): cytoscape.StylesheetJson {
  const label = css('--graph-label', '#2b3138');
  const bg = css('--graph-bg', '#ffffff');
  const edge = css('--graph-edge', '#a3abb6');
  const accent = css('--accent', '#4460e6');
  const c = IMPACT_COLOURS;
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        shape: 'data(shape)' as never,
        width: NODE_PX,
        height: NODE_PX,
        label: '',
        color: label,
        'font-size': IMPACT_LABEL_PX / z,
        'text-valign': 'bottom',
        'text-margin-y': 3 / z,
        'text-max-width': `${IMPACT_LABEL_MAX_PX / z}px`,
        'text-wrap': 'ellipsis',
        'text-background-color': bg,
        'text-background-opacity': 0.8,
        'text-background-padding': `${1 / z}px`,
        'border-width': 2,
        'border-color': bg,
      },
    },
    { selector: 'node.show-label, node:selected', style: { label: 'data(label)' } },
    ...labelSideRules(z),
    // The whole name of the CI under the pointer, over the others.
    {
      selector: 'node.hover',
      style: { label: 'data(name)', 'text-max-width': `${1000 / z}px`, 'z-index': 20, 'text-background-opacity': 1 },
    },
    { selector: 'node[state = "down"]', style: { 'background-color': c.down, 'border-color': c.downBorder, 'border-width': 2.5 } },
    {
      selector: 'node[state = "degraded"]',
      style: { 'background-color': c.degraded, 'border-color': c.degradedBorder, 'border-width': 3.5, 'border-style': 'dashed' },
    },
    {
      selector: 'node[state = "changed"]',
      style: {
        'background-color': c.down,
        'border-color': c.changed,
        'border-width': 7,
        'border-style': 'double',
        width: 38,
        height: 38,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': edge,
        'target-arrow-color': edge,
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        'font-size': 10 / z,
        color: label,
        'text-rotation': 'autorotate',
        'text-background-color': bg,
        'text-background-opacity': 0.9,
        'text-background-padding': '1px',
      },
    },
    { selector: 'edge.show-label', style: { label: 'data(label)' } },
    {
      selector: 'node[state = "asked"]',
      style: { 'border-color': c.changed, 'border-width': 6, 'border-style': 'double', width: 38, height: 38, 'font-weight': 'bold' },
    },
    {
      selector: 'node[kind = "group"]',
      style: {
        shape: 'round-rectangle',
        width: 'data(size)',
        height: 'data(size)',
        // A group's name over its counts (where placeImpactLabels found it room: show-label, on its side), IMPACT_LABEL_PX on screen whatever the zoom.
        'text-wrap': 'wrap',
        'background-color': bg,
        'border-width': 3,
        'border-color': edge,
        'text-max-width': `${GROUP_LABEL_MAX_PX / z}px`,
        'text-justification': 'left',
      },
    },
    { selector: 'node[kind = "group"][worst = "down"]', style: { 'background-color': c.down, 'border-color': c.downBorder } },
    {
      selector: 'node[kind = "group"][worst = "degraded"]',
      style: { 'background-color': c.degraded, 'border-color': c.degradedBorder, 'border-style': 'dashed' },
    },
    {
      selector: 'node[kind = "group"][worst = "changed"]',
      style: { 'background-color': c.down, 'border-color': c.changed, 'border-width': 6 },
    },
    { selector: 'edge[kind = "group"]', style: { width: 'data(width)' } },
    { selector: 'node:selected', style: { 'overlay-color': accent, 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    { selector: 'edge.hl', style: { width: 4, 'line-color': accent, 'target-arrow-color': accent, 'z-index': 10, 'font-weight': 'bold' } },
    { selector: 'node.hl', style: { 'overlay-color': accent, 'overlay-opacity': 0.14, 'overlay-padding': 5, 'z-index': 10 } },
    { selector: '.faded', style: { opacity: 0.22 } },
  ] as cytoscape.StylesheetJson;
}

/** Left to right from the changed CIs, spaced for a name under each CI and beside each column (graphReading.ts); the first view readable, or whole (fitFirst). */
function layOut(cy: Core, whole: boolean): void {
  cy.layout({
    name: 'dagre',
    rankDir: 'LR',
    nodeSep: NODE_SEP,
    rankSep: RANK_SEP,
    edgeSep: 6,
    animate: false,
    fit: false,
  } as cytoscape.LayoutOptions).run();
  fitFirst(cy, whole);
}

/**
 * The rolled-up graph by service: the groups holding the changed CIs in the
 * middle, the CIs shared by several services (or by none) around them, the
 * business services on the outer ring; by type, left to right like the paths.
 */
function layOutGroups(by: GroupView['by']): (cy: Core) => void {
  if (by === 'type')
    return (cy) => {
      cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 24, rankSep: 90, animate: false, fit: false } as cytoscape.LayoutOptions).run();
      cy.nodes().forEach((n) => void n.scratch('_laid', { ...n.position() }));
      fitGroups(cy);
    };
  return (cy) => {
    cy.layout({
      name: 'concentric',
      concentric: (n: cytoscape.NodeSingular) => n.data('ring') as number,
      levelWidth: () => 1,
      minNodeSpacing: 26,
      avoidOverlap: true,
      animate: false,
      fit: false,
    } as cytoscape.LayoutOptions).run();
    cy.nodes().forEach((n) => void n.scratch('_laid', { ...n.position() }));
    fitGroups(cy);
  };
}

/** The most the rolled-up graph is stretched on one axis to the room's shape. */
const STRETCH_MAX = 3;

/**
 * The rolled-up graph, as its layout laid it (`_laid`), stretched on one axis to the shape of the room it is
 * drawn in (`aspect`, width for height): a ring on a wide canvas becomes an ellipse with the groups side by
 * side at the top and bottom, where their labels need the width; the by-type graph, a wide band, gets the
 * canvas's height between its rows, where its two-line labels need it. Never narrowed.
 */
function stretchToRoom(cy: Core, aspect: number): void {
  const laid = cy.nodes().filter((n) => n.scratch('_laid') !== undefined);
  if (laid.empty()) return;
  const at = (n: cytoscape.SingularElementArgument) => n.scratch('_laid') as { x: number; y: number };
  const xs = laid.map((n) => at(n).x);
  const ys = laid.map((n) => at(n).y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const shape = Math.max(1, x1 - x0) / Math.max(1, y1 - y0);
  const kx = Math.min(STRETCH_MAX, Math.max(1, aspect / shape));
  const ky = Math.min(STRETCH_MAX, Math.max(1, shape / aspect));
  const [mx, my] = [(x0 + x1) / 2, (y0 + y1) / 2];
  laid.positions((n) => ({ x: mx + (at(n).x - mx) * kx, y: my + (at(n).y - my) * ky }));
}

/**
 * How far the canvas's overlays reach in from its top and bottom (the note top left, Wide graph and
 * Open in Graph top right: stacked on a narrow canvas, lower than the note; the legend bottom left),
 * a quarter of its height at most.
 */
function overlayReach(cy: Core): { top: number; bottom: number } {
  const c = cy.container();
  const wrap = c?.closest('.impact-canvas');
  if (!c || !wrap) return { top: 0, bottom: 0 };
  const box = c.getBoundingClientRect();
  const reach = (px: number) => Math.min(box.height / 4, Math.max(0, px));
  const tops = [...wrap.querySelectorAll('.overlay.tl, .overlay.br')].map((el) => el.getBoundingClientRect().bottom - box.top);
  const legend = wrap.querySelector('.legend')?.getBoundingClientRect();
  return { top: reach(Math.max(0, ...tops)), bottom: legend ? reach(box.bottom - legend.top) : 0 };
}

/** The canvas and the room its overlays take, for readableViewport. */
const roomOf = (cy: Core) => ({ width: cy.width(), height: cy.height(), ...overlayReach(cy) });

/** The closest the rolled-up graph's first view is drawn, to give its groups' labels room. */
const GROUP_MAX_ZOOM = 2;

/**
 * The rolled-up graph's first view: its layout stretched to the room's
 * shape (stretchToRoom), its groups (their bodies, model units) fitted in the
 * room the overlays leave, with room for their labels in screen pixels around
 * them (the labels are drawn at one size on screen, so a bounding box of the
 * labels at the graph's scale would say nothing); closer where the labels
 * would not have a side each at that zoom (readableGroupZoom), but only as
 * far as every group stays on the canvas: the whole answer in view (a tester
 * found the services cut off when it zoomed in further).
 */
function fitGroups(cy: Core): void {
  const nodes = cy.nodes('[kind = "group"]');
  if (nodes.empty()) return;
  const lines = nodes.map((n) => String(n.data('label') ?? '').split('\n'));
  const widest = Math.max(...lines.flat().map((l) => Math.min(GROUP_LABEL_MAX_PX, textWidth(l, IMPACT_LABEL_PX) + 4)));
  const tallest = Math.max(...lines.map((l) => l.length)) * IMPACT_LABEL_PX * 1.3;
  const { top, bottom } = overlayReach(cy);
  // On screen: half a label either side, a label under the lowest group; an eighth of a narrow canvas at most, as
  // readableViewport does (the labels at the ends then go inward): half of "Several services" each side left 40 px
  // of a 292 px canvas for 20 groups at 1024×768 (found by a tester).
  const padX = Math.min(widest / 2 + 8, cy.width() / 8);
  const y0 = top + 8;
  const w = Math.max(1, cy.width() - 2 * padX);
  const h = Math.max(1, cy.height() - top - bottom - 16 - tallest - 3);
  stretchToRoom(cy, w / h);
  const bb = nodes.boundingBox({ includeLabels: false, includeOverlays: false });
  const fit = Math.min(GROUP_MAX_ZOOM, w / Math.max(bb.w, 1), h / Math.max(bb.h, 1));
  // Closer where that gives every label a side, as far as every group stays on the canvas (its labels at the edges going inward).
  const bodies = Math.min(GROUP_MAX_ZOOM, (cy.width() - 48) / Math.max(bb.w, 1), (cy.height() - top - bottom - 48) / Math.max(bb.h, 1));
  const zoom = readableGroupZoom(cy, Math.max(cy.minZoom(), fit), Math.max(fit, bodies));
  // Centred on the changed groups where the graph is larger than the room, an edge of it never inside the view.
  const changed = nodes.filter('[worst = "changed"]');
  const a = changed.boundingBox({ includeLabels: false, includeOverlays: false });
  const on = (lo: number, hi: number): Array<[number, number]> => (changed.empty() ? [] : [[lo, hi]]);
  cy.viewport({
    zoom,
    pan: { x: clampedPan(bb.x1, bb.x2, on(a.x1, a.x2), zoom, padX, w), y: clampedPan(bb.y1, bb.y2, on(a.y1, a.y2), zoom, y0, h) },
  });
}

/**
 * The first view of the graph drawn CI by CI: all of it where it fits with
 * every name readable, else all of it smaller, its names placed where they
 * have room, else on the changed CIs and the business services. `whole` (an
 * open group's CIs, a column of one type or service): all of it, however small
 * (a tester found the opened group running off the canvas at OVERVIEW_ZOOM).
 */
function fitFirst(cy: Core, whole = false): void {
  const all = centres(cy.nodes());
  if (!all) return;
  // Both ends of the question where they fit in the view together, else the changed CIs and the critical services,
  // else the changed CIs (the services a pan away).
  const ends = centres(cy.nodes('[?service], [state = "changed"], [state = "asked"]'));
  const critical = centres(cy.nodes(`[?service][rank >= ${CRITICAL_RANK}], [state = "changed"], [state = "asked"]`));
  const changed = centres(cy.nodes('[state = "changed"], [state = "asked"]'));
  const anchors = [ends, critical, changed].filter((b): b is Box => b !== null);
  const room = roomOf(cy);
  cy.viewport(clearOfOverlays(cy, whole ? cy.minZoom() : OVERVIEW_ZOOM, (least) => readableViewport(all, anchors, room, least, 1.3)));
}

/** How much smaller each step of clearOfOverlays draws the graph. */
const CLEAR_STEP = 1.1;

/**
 * The closest of the views `at(least)` gives, for a least zoom from `least` down, that draws no CI
 * under an overlay (overlayBoxes), where it could be neither read nor clicked: a graph too big for
 * the room the overlays leave at `least` runs past it, and under them (a CAB chair found Checkout
 * under the legend of a 71-CI answer at 1280×800). Down to the view that holds the whole graph in
 * that room (readableViewport's fit), which is clear of them.
 */
function clearOfOverlays(cy: Core, least: number, at: (least: number) => Viewport): Viewport {
  const overlays = overlayBoxes(cy);
  const boxes = cy.nodes().map((n) => n.boundingBox({ includeLabels: false, includeOverlays: false }));
  const under = ({ zoom, pan }: Viewport) =>
    boxes.some((b) => {
      const [x1, x2, y1, y2] = [b.x1 * zoom + pan.x, b.x2 * zoom + pan.x, b.y1 * zoom + pan.y, b.y2 * zoom + pan.y];
      return overlays.some((o) => x1 < o.x2 && o.x1 < x2 && y1 < o.y2 && o.y1 < y2);
    });
  let view = at(least);
  // A view closer than its least zoom is the whole graph fitted: none smaller holds more of it.
  for (let z = least; under(view) && view.zoom <= z && z > cy.minZoom();) {
    z = Math.max(cy.minZoom(), z / CLEAR_STEP);
    view = at(z);
  }
  return view;
}

/** The highlighted path in view, readable; the whole graph when none is (`whole`: see fitFirst). */
function fitPathOrAll(cy: Core, path: readonly string[] | null, whole: boolean): void {
  const els = cy.collection();
  for (const k of path ?? []) els.merge(cy.getElementById(k));
  const steps = centres(els.nodes());
  if (steps) {
    // The path whole where it fits down to the overview's zoom, else on the CI picked (the path's end), its steps a pan away.
    const picked = centres(cy.getElementById(path?.at(-1) ?? '').nodes());
    cy.viewport(readableViewport(steps, picked ? [picked] : [], roomOf(cy), OVERVIEW_ZOOM, 1.2));
  } else if (cy.nodes('[kind = "group"]').nonempty()) fitGroups(cy);
  else fitFirst(cy, whole);
}

/** The overlays' boxes in the canvas's pixels (the note, the legend, "Open in Graph"): no name is placed under one. */
function overlayBoxes(cy: Core): Box[] {
  const c = cy.container();
  const wrap = c?.closest('.impact-canvas');
  if (!c || !wrap) return [];
  const box = c.getBoundingClientRect();
  return [...wrap.querySelectorAll('.overlay.tl > *, .legend, .overlay.br')].map((el) => {
    const r = el.getBoundingClientRect();
    return { x1: r.left - box.left, y1: r.top - box.top, x2: r.right - box.left, y2: r.bottom - box.top };
  });
}

declare global {
  interface Window {
    /** What the impact graph draws, for tests: the drawn CIs, the highlighted path, where a CI is on the page. */
    __cmdbImpact?: {
      /** `cis`: the explanation paths CI by CI; `groups`: the rolled-up graph. */
      mode: 'cis' | 'groups';
      /** performance.now() when the graph was last drawn. */
      drawnAt: number;
      nodes: string[];
      edges: number;
      states: Record<string, string | null>;
      highlighted: string[];
      pagePosition(id: string): { x: number; y: number } | null;
      /** A drawn CI's or group's box on the page, its border in, its name out; null when it is not drawn. */
      pageBox(id: string): { x1: number; y1: number; x2: number; y2: number } | null;
      /** The node labels drawn now: on-screen font size and box (canvas pixels). */
      labels(): LabelState[];
      /** The viewport's zoom. */
      zoom(): number;
    };
  }
}

export default function ImpactGraph({
  graph,
  direction,
  groups,
  path,
  selected,
  onSelect,
  onOpenGroup,
  whole = false,
}: {
  graph: Subgraph | null;
  direction: ImpactDirection;
  /** The rolled-up graph, drawn instead of `graph` when set. */
  groups: GroupView | null;
  /** A group clicked on the rolled-up graph. */
  onOpenGroup: (id: string) => void;
  /** Keys of the highlighted explanation path, in order. */
  path: string[] | null;
  selected: string | null;
  onSelect: (key: string | null) => void;
  /** The first view holds the whole graph, however small (an open group's CIs). */
  whole?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const lastBy = useRef<GroupView['by'] | null>(null);
  const onGroupRef = useRef(onOpenGroup);
  onGroupRef.current = onOpenGroup;
  const wholeRef = useRef(whole);
  wholeRef.current = whole;

  // The zoom the names' sizes were set for; they are set again for the zoom a view settles at, and placed.
  const styledZoom = useRef(1);
  const relabel = useRef(() => {});
  relabel.current = () => {
    const cy = host.current?.core;
    if (!cy) return;
    if (cy.zoom() !== styledZoom.current) cy.style(stylesheet((styledZoom.current = cy.zoom())));
    placeImpactLabels(cy, overlayBoxes(cy));
  };

  const host = useCytoscapeHost(
    box,
    (container) => {
      const cy = cytoscape({ container, style: stylesheet(styledZoom.current), minZoom: 0.02, maxZoom: 3, boxSelectionEnabled: false });
      // A view that settles (a zoom, a pan, a fit) has its names placed again, once.
      let settle: ReturnType<typeof setTimeout> | undefined;
      cy.on('viewport', () => {
        clearTimeout(settle);
        settle = setTimeout(() => relabel.current(), 120);
      });
      cy.on('destroy', () => clearTimeout(settle));
      cy.on('mouseover', 'node', (e) => (e.target as cytoscape.NodeSingular).addClass('hover'));
      cy.on('mouseout', 'node', (e) => (e.target as cytoscape.NodeSingular).removeClass('hover'));
      cy.on('tap', 'node', (e) => {
        const n = e.target as cytoscape.NodeSingular;
        if (n.data('kind') === 'group') onGroupRef.current(n.id());
        else onSelectRef.current(n.id());
      });
      cy.on('tap', (e) => {
        if (e.target === cy) onSelectRef.current(null);
      });
      return cy;
    },
    () => stylesheet(styledZoom.current),
    () => delete window.__cmdbImpact,
  );

  // A canvas that changes size (a banner above it, the window) is fitted again: nothing left under the overlays or out of view.
  const pathRef = useRef<string[] | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const seen = { w: el.clientWidth, h: el.clientHeight };
    const ro = new ResizeObserver(() => {
      if (el.clientWidth === seen.w && el.clientHeight === seen.h) return;
      Object.assign(seen, { w: el.clientWidth, h: el.clientHeight });
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const cy = host.current?.core;
        if (!cy) return;
        cy.resize();
        fitPathOrAll(cy, pathRef.current, wholeRef.current);
      });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);

  useEffect(() => {
    // The dagre layout is synchronous: it is done before the next effect highlights the path.
    const els = groups ? groupElementsOf(groups) : graph ? elementsOf(graph, direction) : { nodes: [], edges: [] };
    void host.current
      ?.update(els, groups ? layOutGroups(groups.by) : (cy) => layOut(cy, wholeRef.current), {
        force: groups !== null && groups.by !== lastBy.current,
      })
      .then(() => relabel.current());
    lastBy.current = groups?.by ?? null;
  }, [graph, groups, direction]);

  useEffect(() => {
    const cy = host.current?.core;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass('hl faded');
      cy.$(':selected').unselect();
      if (selected) cy.getElementById(selected).select();
      if (path && path.length > 0) {
        const els = cy.collection();
        path.forEach((k, i) => {
          els.merge(cy.getElementById(k));
          if (i > 0) els.merge(cy.getElementById(path[i - 1]!).edgesTo(cy.getElementById(k)));
        });
        cy.elements().difference(els).addClass('faded');
        els.addClass('hl');
      }
    });
    // Bring the highlighted path into view, readable.
    if (path && path.length > 0) {
      cy.stop();
      fitPathOrAll(cy, path, wholeRef.current);
    }
    pathRef.current = path;
    relabel.current();
    window.__cmdbImpact = {
      mode: groups ? 'groups' : 'cis',
      drawnAt: performance.now(),
      nodes: cy.nodes().map((n) => n.id()),
      edges: cy.edges().length,
      states: Object.fromEntries(cy.nodes().map((n) => [n.id(), (n.data('state') as string) ?? null])),
      highlighted: cy.elements('node.hl').map((n) => n.id()),
      pagePosition(id: string) {
        const n = cy.getElementById(id);
        if (n.empty()) return null;
        const r = box.current!.getBoundingClientRect();
        const p = n.renderedPosition();
        return { x: r.left + p.x, y: r.top + p.y };
      },
      pageBox(id: string) {
        const n = cy.getElementById(id);
        if (n.empty()) return null;
        const r = box.current!.getBoundingClientRect();
        const b = n.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
        return { x1: r.left + b.x1, y1: r.top + b.y1, x2: r.left + b.x2, y2: r.top + b.y2 };
      },
      labels: () => labelStates(cy),
      zoom: () => cy.zoom(),
    };
  }, [graph, groups, path, selected]);

  return <div ref={box} className="cy" data-testid="impact-graph" />;
}
