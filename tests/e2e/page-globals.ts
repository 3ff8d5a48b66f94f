/**
 * What the app exposes on `window` for tests and the browser benchmark, typed
 * for code that runs inside the page (page.evaluate) but is compiled with the
 * Node-side tsconfig, which has no DOM library. Use it as
 * `(globalThis as unknown as PageGlobals).__cmdbGraph`.
 */
import type { GraphDebug } from '../../renderer/src/graph/debug-api.js';

export type { GraphDebug };

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
