/**
 * What the app exposes on `window` for tests and the browser benchmark, typed
 * for code that runs inside the page (page.evaluate) but is compiled with the
 * Node-side tsconfig, which has no DOM library. Use it as
 * `(globalThis as unknown as PageGlobals).__cmdbGraph`.
 */
import type { GraphDebug, LabelState } from '../../renderer/src/graph/debug-api.js';

export type { GraphDebug, LabelState };

/** The pairs of drawn labels whose boxes overlap (by more than a pixel), as `a / b`. */
export function overlappingBoxes(labels: readonly LabelState[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i]!;
      const b = labels[j]!;
      if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) out.push(`${a.id} / ${b.id}`);
    }
  return out;
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
