/**
 * The Graph screen as the graph specs drive it: the debug handle's answers
 * (`graph`) and a real click on a drawn node (`clickNode`).
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';
import type { GraphDebug, PageGlobals } from './page-globals.js';

/** `f` run on the page's graph debug handle (a function of its own: it runs inside the page). */
export const graph = <T>(page: Page, f: (g: GraphDebug) => T): Promise<T> =>
  page.evaluate(`(${f.toString()})(globalThis.__cmdbGraph)`) as Promise<T>;

/** Brings node `id` on screen and clicks (or double-clicks) it with the mouse at its drawn centre. */
export async function clickNode(page: Page, id: string, dbl = false): Promise<void> {
  const p = await page.evaluate((i) => {
    (globalThis as unknown as PageGlobals).__cmdbGraph!.reveal(i);
    return (globalThis as unknown as PageGlobals).__cmdbGraph!.pagePosition(i);
  }, id);
  expect(p, `node ${id} is drawn`).not.toBeNull();
  if (dbl) await page.mouse.dblclick(p!.x, p!.y);
  else await page.mouse.click(p!.x, p!.y);
}
