/** `window.__cmdbGraph`: the graph's state and a few view controls, for the e2e tests and the browser benchmark. */
import type { RefObject } from 'react';
import type { GraphController } from './controller.js';
import type { Core } from 'cytoscape';
import type { GraphDebug, LabelState } from './debug-api.js';

declare global {
  interface Window {
    /** The graph's state for tests and the browser benchmark. */
    __cmdbGraph?: GraphDebug;
  }
}

type BBox = { x1: number; y1: number; x2: number; y2: number };

/** The node labels `cy` draws: each one's on-screen font size and box (canvas pixels); the impact graph publishes them too. */
export function labelStates(cy: Core): LabelState[] {
  const z = cy.zoom();
  return cy
    .nodes()
    .filter((n) => String(n.style('label') ?? '') !== '')
    .map((n) => {
      const b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      return { id: n.id(), fontPx: parseFloat(String(n.style('font-size'))) * z, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
    });
}

/** What the graph view publishes at each step of a drawing. */
export interface GraphDebugState {
  status: 'loading' | 'ready' | 'error';
  seq: number;
  fetchMs: number;
  meta: { truncated: boolean; omitted: number };
  nodes?: number;
  edges?: number;
  layoutMs?: number;
  shownMs?: number;
}

/** Sets `window.__cmdbGraph` to the given state, its controls acting on the controller `ctl` holds. */
export function publishGraphState(ctl: RefObject<GraphController | null>, s: GraphDebugState): void {
  const c = ctl.current;
  window.__cmdbGraph = {
    status: s.status,
    seq: s.seq,
    nodes: s.nodes ?? 0,
    edges: s.edges ?? 0,
    fetchMs: s.fetchMs,
    layoutMs: s.layoutMs ?? 0,
    shownMs: s.shownMs ?? 0,
    renderer: c?.usesWebgl ? 'webgl' : 'canvas',
    truncated: s.meta.truncated,
    omitted: s.meta.omitted,
    panBy: (dx, dy) => ctl.current?.core.panBy({ x: dx, y: dy }),
    zoomTo: (level) => {
      const cy = ctl.current?.core;
      cy?.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    },
    fit: () => ctl.current?.fit(),
    nodeIds: () => ctl.current?.core.nodes().map((n) => n.id()) ?? [],
    reveal: (id) => {
      const cy = ctl.current?.core;
      const n = cy?.getElementById(id);
      if (!cy || !n || n.empty()) return;
      cy.zoom(Math.max(cy.zoom(), 1));
      cy.center(n);
    },
    pagePosition: (id) => {
      const cy = ctl.current?.core;
      const n = cy?.getElementById(id);
      if (!cy || !n || n.empty()) return null;
      const box = cy.container()!.getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    labels: () => {
      const cy = ctl.current?.core;
      return cy ? labelStates(cy) : [];
    },
    edgeLabels: () => ctl.current?.core.edges().filter((e) => String(e.style('label') ?? '') !== '').length ?? 0,
    edgeLabelBoxes: () => {
      const cy = ctl.current?.core;
      if (!cy) return [];
      const z = cy.zoom();
      const pan = cy.pan();
      return cy
        .edges()
        .filter((e) => String(e.style('label') ?? '') !== '')
        .map((e) => {
          // Brings the label's measured bounds up to date: Cytoscape keeps them unturned, with the angle it turns them by.
          e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
          const p = (e as unknown as { _private: { labelBounds: { main?: BBox }; rstyle: { labelAngle?: number } } })._private;
          const b = p.labelBounds.main ?? { x1: 0, y1: 0, x2: 0, y2: 0 };
          return {
            id: e.id(),
            label: String(e.data('label') ?? ''),
            cx: ((b.x1 + b.x2) / 2) * z + pan.x,
            cy: ((b.y1 + b.y2) / 2) * z + pan.y,
            w: (b.x2 - b.x1) * z,
            h: (b.y2 - b.y1) * z,
            angle: p.rstyle.labelAngle ?? 0,
          };
        });
    },
    element: (id) => {
      const el = ctl.current?.core.getElementById(id);
      if (!el || el.empty()) return null;
      const bb = el.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      const fill = el.isNode() ? String(el.style('background-color')) : '';
      return { classes: el.classes(), selected: el.selected(), width: bb.w, height: bb.h, fill };
    },
    selected: () => ctl.current?.core.$('node:selected').first().id() ?? null,
    edgeList: () =>
      ctl.current?.core.edges().map((e) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        implied: Boolean(e.data('implied')),
        label: String(e.data('label') ?? ''),
        dashed: e.style('line-style') === 'dashed',
      })) ?? [],
    nodeLabels: () => Object.fromEntries(ctl.current?.core.nodes().map((n) => [n.id(), String(n.data('label'))]) ?? []),
    drawnLabels: () => {
      const cy = ctl.current?.core;
      if (!cy) return {};
      // The renderer's own text for a label: cut with an ellipsis to its text-max-width, as drawn.
      const r = (cy as unknown as { renderer(): { getLabelText(n: unknown): string } }).renderer();
      const shown = cy.nodes().filter((n) => String(n.style('label') ?? '') !== '');
      return Object.fromEntries(shown.map((n) => [n.id(), r.getLabelText(n)]));
    },
  };
}
