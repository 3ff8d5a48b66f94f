import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';

// `npm test` has found (or fetched) the browser and named it in CMDB_CHROMIUM; a direct `npx playwright test` looks itself.
const chromium = findChromium();

/**
 * End-to-end tests in Chromium against the web host, with the real
 * engine and a fresh CMDB per test (tests/e2e/fixtures.ts). Needs the renderer
 * build: `npm run build` first (npm test does), and a Chromium
 * (scripts/chromium.mjs says where it looks and how to get one).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1280, height: 720 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
  },
  projects: [
    // The desktop app through Playwright's Electron driver; skips with its reason where the Electron binary is missing.
    { name: 'electron', testDir: 'tests/electron' },
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          // Without a path Playwright reports its own "executable doesn't exist" with install advice.
          ...(chromium.path ? { executablePath: chromium.path } : {}),
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
});
