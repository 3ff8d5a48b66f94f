import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium against the web host, with the real
 * engine and a fresh CMDB per test (tests/e2e/fixtures.ts). Needs the renderer
 * build: `npm run build` first (npm test does).
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
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
