/**
 * The web host in a real browser: each host's session is its own (no cookie
 * shared across ports), it survives reloads and client-side navigation, and
 * the app keeps one event stream for its whole life.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CmdbService } from '../../electron/cmdb/service.js';
import { expect, startTestHost, test, waitForReady } from './fixtures.js';
import type { PageGlobals } from './page-globals.js';

/** Calls the API from inside the page, with the token its own address carries, as the app's client does. */
async function apiFromPage(page: Page, method: string, body: unknown): Promise<unknown> {
  return page.evaluate(
    async ([m, b]) => {
      const g = globalThis as unknown as PageGlobals;
      const token = new URL(g.location.href).searchParams.get('token') ?? '';
      const res = await g.fetch(`/api/${m}`, { method: 'POST', headers: { 'X-CMDB-Token': token }, body: JSON.stringify(b) });
      return res.json();
    },
    [method, body] as const,
  );
}

/** Goes to a view with the main navigation, as a person does. */
async function goTo(page: Page, name: 'Browse' | 'Graph' | 'Impact' | 'Import'): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name, exact: true }).click();
  await expect(nav.getByRole('button', { name, exact: true })).toHaveAttribute('aria-current', 'page');
}

test('web host: two hosts on two ports work side by side in one browser, through reloads and navigation', async ({
  page,
  app,
  context,
  template,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-e2e-second-'));
  copyFileSync(template, join(dir, 'second.db'));
  const second = CmdbService.open(join(dir, 'second.db'), { source: 'web' });
  const host2 = await startTestHost(second);
  const errors: string[] = [];
  try {
    // One more CI on the second host, so each tab shows which CMDB it talks to.
    expect(await second.call('createCi', { key: 'only-on-second', fields: { name: 'Only on second', type: 'server' } })).toMatchObject({
      ok: true,
    });
    expect(host2.port).not.toBe(app.host.port);
    await app.open();
    const tab2 = await context.newPage();
    tab2.on('pageerror', (e) => errors.push(e.message));
    await tab2.goto(host2.url);
    await waitForReady(tab2);
    const tabs = [
      { tab: page, cis: '533', port: app.host.port },
      { tab: tab2, cis: '534', port: host2.port },
    ];
    for (const { tab, cis } of tabs) await expect(tab.getByTestId('stat-cis')).toHaveText(cis);

    // The first tab reloads after the second host's page was opened: it must still be let in.
    for (const { tab, cis } of tabs) {
      await tab.reload();
      await waitForReady(tab);
      await expect(tab.getByTestId('stat-cis')).toHaveText(cis);
    }
    // Client-side navigation (the graph view is a lazily loaded asset), then a reload on that route.
    for (const { tab } of tabs) {
      await goTo(tab, 'Graph');
      await goTo(tab, 'Impact');
      await expect(tab).toHaveURL(/\?token=[0-9a-f]{64}#\/impact/);
      await tab.reload();
      await waitForReady(tab);
      await expect(tab.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Impact', exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await goTo(tab, 'Graph');
      await expect(tab.getByRole('toolbar', { name: 'Graph options' })).toBeVisible();
    }
    for (const { tab, cis } of tabs) {
      await expect(tab.getByTestId('stat-cis')).toHaveText(cis);
      expect(await apiFromPage(tab, 'stats', {})).toMatchObject({ ok: true, value: { cis: Number(cis) } });
    }
    // Nothing was left in the browser for another port (or any other local service) to pick up.
    expect(await context.cookies()).toEqual([]);
  } finally {
    await host2.close();
    second.close();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(errors, 'uncaught errors in the second tab').toEqual([]);
});

test('web host: one event stream for the life of the app however much you click, and engine events reach the screen', async ({
  page,
  app,
}) => {
  const streams: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/events') streams.push(r.url());
  });
  await app.open();
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  const theme = page.getByRole('button', { name: /Switch to (dark|light) theme/ });
  // Ten clicks across views and toggles, each of which re-renders the frame.
  await goTo(page, 'Graph');
  await goTo(page, 'Impact');
  await theme.click();
  await goTo(page, 'Import');
  await theme.click();
  await goTo(page, 'Browse');
  await page.getByTestId('ci-table').getByRole('row').first().click();
  await expect(page).toHaveURL(/ci=/);
  await goTo(page, 'Graph');
  await theme.click();
  await goTo(page, 'Browse');
  await expect(page.getByTestId('ci-table')).toBeVisible();

  expect(streams, 'connections to /api/events').toHaveLength(1);
  // The server agrees: exactly one open stream.
  expect(app.service.events.size).toBe(1);

  // Rows imported through the API, then the engine says the CMDB changed: the header follows.
  const csv = 'id,name,type\nevt-1,Event one,server\nevt-2,Event two,server\n';
  const imported = await apiFromPage(page, 'importCsv', { cis: { name: 'more.csv', content: csv } });
  expect(imported).toMatchObject({ ok: true, value: { counts: { created: 2 } } });
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  app.service.events.emit({ type: 'cmdb-changed', path: app.dbPath });
  await expect(page.getByTestId('stat-cis')).toHaveText('535');
  expect(streams, 'connections to /api/events').toHaveLength(1);
});
