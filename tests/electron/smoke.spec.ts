/**
 * The desktop app itself, launched with Playwright's Electron driver: it
 * starts, shows the UI from app://cmdb/, exposes only the CmdbApi, keeps
 * Node out of the page, and refuses to navigate away. Where the Electron
 * binary is not installed (it cannot be downloaded everywhere), the test is
 * skipped and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { METHOD_NAMES } from '../../shared/api.js';

/** What the page's global scope offers (this tsconfig has no DOM types). Evaluated code cannot call helpers from this file, so each callback casts globalThis itself. */
interface PageGlobals {
  cmdb: Record<string, (req: object) => Promise<{ ok: boolean; value: { cis: number } }>>;
  open(url: string): unknown;
  location: { href: string };
  require?: unknown;
  process?: unknown;
}

/** What the test leaves on the main process's global scope: the app's answer to the next navigation of the window. */
interface MainGlobals {
  __cmdbNextNavigation?: Promise<{ url: string; prevented: boolean }>;
}

const found = findElectronBinary();
const skipReason = found.bin ? '' : `Electron binary not installed: ${found.reason}`;
if (skipReason) console.log(`tests/electron skipped. ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(!found.bin, skipReason);

  test('starts on the demo CMDB with a locked-down renderer', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'cmdb-electron-'));
    const app = await electron.launch({
      executablePath: found.bin!,
      args: [resolve('.')],
      env: { ...process.env, CMDB_USER_DATA: profile, CMDB_DB: join(profile, 'cmdb.db'), ELECTRON_RUN_AS_NODE: '' },
    });
    try {
      const win = await app.firstWindow();
      await win.waitForLoadState('domcontentloaded');
      expect(win.url()).toMatch(/^app:\/\/cmdb\//);
      await expect.poll(() => win.title()).toContain('CMDB Explorer');

      // Only the typed API crosses the bridge; no Node in the page.
      const keys = await win.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).cmdb).sort());
      expect(keys).toEqual([...METHOD_NAMES].sort());
      expect(await win.evaluate(() => typeof (globalThis as unknown as PageGlobals).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as unknown as PageGlobals).process)).toBe('undefined');

      // The demo CMDB is open and answers through IPC.
      const stats = await win.evaluate(() => (globalThis as unknown as PageGlobals).cmdb.stats!({}));
      expect(stats.ok).toBe(true);
      expect(stats.value.cis).toBeGreaterThan(0);

      // New windows and navigation away are refused.
      expect(await win.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true);
      // A will-navigate listener added after the app's own (listeners run in order) sees whether the app prevented it.
      await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]!.webContents;
        (globalThis as unknown as MainGlobals).__cmdbNextNavigation = new Promise((resolveNavigation) => {
          wc.once('will-navigate', (event, url) => resolveNavigation({ url, prevented: event.defaultPrevented }));
        });
      });
      await win.evaluate(() => {
        (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
      });
      const navigation = await app.evaluate(() => (globalThis as unknown as MainGlobals).__cmdbNextNavigation!);
      expect(navigation).toEqual({ url: 'https://example.com/', prevented: true });
      expect(win.url()).toMatch(/^app:\/\/cmdb\//);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
