// Where a Chromium for the end-to-end tests and the browser bench is, and
// how to get one. One finder for `npm test`, playwright.config.ts and the
// bench, so each looks in the same places in the same order:
//   1. CMDB_CHROMIUM (a path the user names; it must exist),
//   2. Playwright's own Chromium, when `npx playwright install chromium` has
//      fetched it,
//   3. the usual system installs (Debian/Ubuntu, Fedora, Arch, snap, macOS,
//      Windows).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The flags every launch uses: no sandbox (root in CI), no GPU, and no calls home (this machine's network is closed). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What to do when no Chromium is found: one line, for a person. */
export const HOW_TO_GET_CHROMIUM =
  'No Chromium found for the end-to-end tests. Install one: `sudo apt-get install chromium` (Debian/Ubuntu), ' +
  'or `npx playwright install chromium`, or set CMDB_CHROMIUM=/path/to/chrome. ' +
  'Unit tests alone: `npm test -- build typecheck lint unit`.';

const SYSTEM_PATHS = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/usr/lib/chromium/chromium',
  ],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [
    `${process.env['PROGRAMFILES'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['LOCALAPPDATA'] ?? ''}\\Chromium\\Application\\chrome.exe`,
  ],
};

/** Playwright's own Chromium for this version of Playwright, when it has been downloaded. */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The Chromium to launch, and where it came from; or, when there is none,
 * why not. `systemPaths` is for tests.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {{ systemPaths?: string[], playwright?: () => string | null }} [probe]
 * @returns {{ path: string, source: string } | { path: null, reason: string }}
 */
export function findChromium(env = process.env, probe = {}) {
  const named = env.CMDB_CHROMIUM;
  if (named) {
    return existsSync(named)
      ? { path: named, source: 'CMDB_CHROMIUM' }
      : { path: null, reason: `CMDB_CHROMIUM names ${named}, which does not exist.` };
  }
  const own = (probe.playwright ?? playwrightChromium)();
  if (own) return { path: own, source: "Playwright's Chromium" };
  for (const path of probe.systemPaths ?? SYSTEM_PATHS[process.platform] ?? []) {
    if (existsSync(path)) return { path, source: 'system' };
  }
  return { path: null, reason: HOW_TO_GET_CHROMIUM };
}
