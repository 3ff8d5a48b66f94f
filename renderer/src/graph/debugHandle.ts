/** `window.__cmdbGraph`: the graph's state and a few view controls, for the e2e tests and the browser benchmark. */
import type { RefObject } from 'react';
import type { GraphController } from './controller.js';

declare global {
  interface Window {
    /** The graph's state for tests and the browser benchmark. */
    __cmdbGraph?: {
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
      /** Drawn node ids (group nodes start with "group:"). */
      nodeIds(): string[];
      /** Centres the view on a node at a readable zoom, without animation. */
      reveal(id: string): void;
      /** Where a node is on the page, for tests that click it. */
      pagePosition(id: string): { x: number; y: number } | null;
    };
  }
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
  };
}
