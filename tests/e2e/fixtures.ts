/**
 * Each test gets a fresh CMDB (a copy of one imported from the demo
 * inventory through the engine), its own web host on a free port serving the
 * built renderer, and a page that has waited for the app's own ready signal.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDefaultCmdb } from '../../electron/cmdb/default-cmdb.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { startWebHost, type WebHost } from '../../electron/web/index.js';
import type { PageGlobals } from './page-globals.js';

const root = resolve(import.meta.dirname, '../..');
// CMDB_E2E_STATIC: a private renderer build, so a concurrent `npm run build` cannot pull the files away mid-run.
const staticDir = process.env.CMDB_E2E_STATIC ? resolve(process.env.CMDB_E2E_STATIC) : join(root, 'dist/renderer');
/** The demo inventory (assets/demo), imported through the engine: the data every test starts from. */
const demo = { cis: join(root, 'assets/demo/cis.csv'), relationships: join(root, 'assets/demo/relationships.csv') };

export interface AppHandle {
  /** `http://127.0.0.1:PORT/?token=...` */
  url: string;
  service: CmdbService;
  host: WebHost;
  dbPath: string;
  /** Opens the app at a route (`#/graph?ci=...`) and waits until it says it is ready. */
  open(hash?: string): Promise<void>;
  /** Waits until the graph has drawn its latest neighbourhood. */
  graphReady(minSeq?: number): Promise<{ nodes: number; edges: number; seq: number }>;
}

/** A web host on a free port serving the built renderer for `service`: the `app` fixture's, and any second one a test needs. */
export function startTestHost(service: CmdbService): Promise<WebHost> {
  return startWebHost({ service, port: 0, staticDir });
}

/** Waits until the app in `page` says it is ready (it has loaded the CMDB's stats and rendered). */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cmdbReady === true);
}

export const test = base.extend<{ app: AppHandle; scratch: string }, { template: string }>({
  template: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!existsSync(join(staticDir, 'index.html')))
        throw new Error('The renderer is not built: run `npm run build` before the end-to-end tests.');
      const dir = mkdtempSync(join(tmpdir(), 'cmdb-e2e-template-'));
      const path = join(dir, 'template.db');
      const opened = await openDefaultCmdb({ path, source: 'web', demo });
      opened.service.db.pragma('wal_checkpoint(TRUNCATE)');
      opened.service.close();
      await use(path);
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  /** A folder of the test's own for the files it writes (CSV files to import), removed afterwards. */
  // eslint-disable-next-line no-empty-pattern
  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdb-e2e-files-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ page, template }, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdb-e2e-'));
    const dbPath = join(dir, 'cmdb.db');
    copyFileSync(template, dbPath);
    const service = CmdbService.open(dbPath, { source: 'web' });
    const host = await startTestHost(service);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const handle: AppHandle = {
      url: host.url,
      service,
      host,
      dbPath,
      async open(hash = '') {
        await page.goto(host.url + hash);
        await waitForReady(page);
      },
      async graphReady(minSeq = 1) {
        const h = await page.waitForFunction(
          (s) => {
            const g = (globalThis as unknown as PageGlobals).__cmdbGraph;
            return g && g.status === 'ready' && g.seq >= s ? { nodes: g.nodes, edges: g.edges, seq: g.seq } : null;
          },
          minSeq,
          { timeout: 30_000 },
        );
        return (await h.jsonValue()) as { nodes: number; edges: number; seq: number };
      },
    };
    await use(handle);
    await host.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
    expect(errors, `uncaught errors in the page during "${testInfo.title}"`).toEqual([]);
  },
});

/** Saves the screen for review in tests/e2e/screenshots/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(root, 'tests/e2e/screenshots', `${name}.png`) });
}

export { expect };
