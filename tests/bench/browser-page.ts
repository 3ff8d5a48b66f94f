/**
 * What every browser benchmark step shares: a page on the app (a running web
 * host, or one started in-process on a CMDB file) in Debian's Chromium, the
 * contract's methods called from inside that page, and the graph view's
 * "shown" signal (`window.__cmdbGraph`).
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageGlobals } from '../e2e/page-globals.js';
import { findChromium } from '../../scripts/chromium.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Where the app runs: a running host's `url`, or a `dbFile` served in-process from `staticDir` (default dist/renderer). */
export interface AppOptions {
  url?: string;
  dbFile?: string;
  staticDir?: string;
}

export const log = (s: string) => process.stderr.write(`browser-bench: ${s}\n`);
export { median } from './timing.js';

export async function api<T>(page: Page, token: string, method: string, body: unknown): Promise<T> {
  return page.evaluate(
    async ([m, b, t]) => {
      const r = await (globalThis as unknown as PageGlobals).fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CMDB-Token': t },
        body: JSON.stringify(b),
      });
      const env = (await r.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!env.ok) throw new Error(env.error?.message ?? 'API error');
      return env.value;
    },
    [method, body, token] as const,
  ) as Promise<T>;
}

/** Sets the hash to a graph view and waits for the drawing after `seqBefore` to be shown; its timings. */
export async function showGraph(
  page: Page,
  hash: string,
  seqBefore: number,
): Promise<{ shownMs: number; fetchMs: number; layoutMs: number; nodes: number; edges: number; renderer: string; seq: number }> {
  await page.evaluate((h) => {
    (globalThis as unknown as PageGlobals).location.hash = h;
  }, hash);
  const h = await page.waitForFunction(
    (s) => {
      const g = (globalThis as unknown as PageGlobals).__cmdbGraph;
      if (g && g.status === 'error' && g.seq > s) return { error: true };
      return g && g.status === 'ready' && g.seq > s
        ? { shownMs: g.shownMs, fetchMs: g.fetchMs, layoutMs: g.layoutMs, nodes: g.nodes, edges: g.edges, renderer: g.renderer, seq: g.seq }
        : null;
    },
    seqBefore,
    { timeout: 120_000, polling: 50 },
  );
  const v = (await h.jsonValue()) as Awaited<ReturnType<typeof showGraph>> & { error?: boolean };
  if (v.error) throw new Error(`The graph view reported an error for ${hash}: ${await page.getByRole('alert').first().textContent()}`);
  return v;
}

/** A page on the app (a running host, or one started on `dbFile`), ready; the host and browser closed after `fn`. */
export async function withApp<T>(
  opts: AppOptions,
  fn: (page: Page, token: string, webgl: boolean, chromiumVersion: string) => Promise<T>,
): Promise<T> {
  let url = opts.url;
  let cleanup = async () => {};
  if (!url) {
    if (!opts.dbFile) throw new Error('The browser bench needs { url } or { dbFile }.');
    const staticDir = opts.staticDir ?? join(root, 'dist/renderer');
    if (!existsSync(join(staticDir, 'index.html')))
      throw new Error(`The renderer is not built (${staticDir}): run \`npm run build\` first.`);
    const { CmdbService } = await import('../../electron/cmdb/service.js');
    const { startWebHost } = await import('../../electron/web/index.js');
    const service = CmdbService.open(opts.dbFile, { source: 'bench' });
    const host = await startWebHost({ service, port: 0, staticDir });
    url = host.url;
    cleanup = async () => {
      await host.close();
      service.close();
    };
  }
  const token = new URL(url).searchParams.get('token') ?? '';
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-gpu-blocklist',
      '--enable-unsafe-swiftshader',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cmdbReady === true, null, { timeout: 60_000 });
    const webgl = await page.evaluate(() => !!(globalThis as unknown as PageGlobals).document.createElement('canvas').getContext('webgl2'));
    return await fn(page, token, webgl, browser.version());
  } finally {
    await browser.close();
    await cleanup();
  }
}

/** The Chromium the tests use (scripts/chromium.mjs), or a clear failure naming how to get one. */
function chromiumPath(): string {
  const found = findChromium();
  if (!found.path) throw new Error(found.reason);
  return found.path;
}
