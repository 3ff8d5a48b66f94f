/**
 * What the app exposes on `window` for tests and the browser benchmark, typed
 * for code that runs inside the page (page.evaluate) but is compiled with the
 * Node-side tsconfig, which has no DOM library. Use it as
 * `(globalThis as unknown as PageGlobals).__cmdbGraph`.
 */
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
  nodeIds(): string[];
  reveal(id: string): void;
  pagePosition(id: string): { x: number; y: number } | null;
  labels(): Array<{ id: string; fontPx: number; x1: number; y1: number; x2: number; y2: number }>;
  edgeLabels(): number;
  element(id: string): { classes: string[]; selected: boolean; width: number; height: number } | null;
  selected(): string | null;
  edgeList(): Array<{ id: string; source: string; target: string; implied: boolean; label: string; dashed: boolean }>;
  nodeLabels(): Record<string, string>;
  drawnLabels(): Record<string, string>;
}

export interface PageGlobals {
  __cmdbReady?: boolean;
  __cmdbGraph?: GraphDebug;
  location: { hash: string; href: string };
  requestAnimationFrame(cb: (t: number) => void): number;
  document: {
    createElement(tag: 'canvas'): { getContext(kind: 'webgl2'): unknown };
    querySelectorAll(sel: string): ArrayLike<PageElement>;
  };
  fetch(url: string, init: { method: string; headers: Record<string, string>; body: string }): Promise<{ json(): Promise<unknown> }>;
}

export interface PageElement {
  closest(sel: string): unknown;
  getAttribute(name: string): string | null;
  textContent: string | null;
  outerHTML: string;
  labels?: ArrayLike<unknown> | null;
}
