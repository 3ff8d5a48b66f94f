import { expect, snap, test } from './fixtures.js';
import type { PageGlobals } from './page-globals.js';

test('frame: the open CMDB and its size, navigation, theme toggle', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  await expect(page.getByTestId('stat-rels')).toHaveText('1,233');
  await expect(page.getByLabel('Open CMDB')).toContainText('cmdb.db');
  // The token stays in the address bar: the host serves the page only with it, so a reload needs it.
  expect(page.url()).toContain(`?token=${app.host.token}`);
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await expect(html).not.toHaveAttribute('data-theme', before!);
  await snap(page, 'browse-theme-toggled');
  // Reload keeps the session (the token is in the address) and the chosen theme.
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cmdbReady === true);
  await expect(html).not.toHaveAttribute('data-theme', before!);

  // Impact and Import (their screens are tested in their own specs): the navigation reaches them and back.
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [name, hash] of [
    ['Impact', '#/impact'],
    ['Import', '#/import'],
    ['Graph', '#/graph'],
    ['Browse', '#/browse'],
  ] as const) {
    await nav.getByRole('button', { name, exact: true }).click();
    await expect(nav.getByRole('button', { name, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveURL(new RegExp(`${hash.replace('/', '\\/')}`));
  }
  await expect(page.getByTestId('ci-table')).toBeVisible();
});

test('frame: dark theme follows the OS; errors show where they happened with what to do', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.open('#/browse?ci=no-such-ci');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('alert')).toContainText('No CI with key "no-such-ci"');
  // The message, the way out, Retry: no error code, which is for the screens, not the user (found by a tester).
  await expect(detail.getByRole('alert')).toContainText('It may have been deleted or renamed: search for it again.');
  await expect(detail.getByRole('alert')).not.toContainText('NOT_FOUND');
  await expect(detail.getByRole('button', { name: 'Retry' })).toBeVisible();
  await snap(page, 'error-dark');
  await app.open('#/graph?ci=no-such-ci');
  await expect(page.getByRole('alert')).toContainText('No CI with key');
});

test('frame: every control has an accessible name', async ({ page, app }) => {
  for (const hash of ['#/browse?ci=app-checkout-api', '#/graph?ci=bs-checkout', '#/impact', '#/import']) {
    await app.open(hash);
    if (hash.includes('graph')) await app.graphReady();
    const unnamed = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll('button, input, select, textarea, [role=combobox], summary'),
      )) {
        if (el.closest('[hidden], [aria-hidden=true]') || el.getAttribute('tabindex') === '-1') continue;
        const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.labels?.length || el.textContent?.trim();
        if (!labelled) out.push(el.outerHTML.slice(0, 120));
      }
      return out;
    });
    expect(unnamed, hash).toEqual([]);
  }
});

test('frame: a trip to another screen and back finds Browse, Health and the import wizard as they were left', async ({ page, app }) => {
  await app.open('#/browse?q=accounts');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const go = (name: string) => nav.getByRole('button', { name, exact: true }).click();
  const total = page.getByTestId('table-total');
  await expect(total).toHaveText(/^\d+ of 533$/);
  await page.getByRole('button', { name: /^Type: Database \(\d+\)$/ }).click();
  await expect(page.getByRole('button', { name: 'Remove filter type database' })).toBeVisible();
  const filtered = await total.textContent();

  // Health: a filter typed.
  await go('Health');
  const filter = page.getByRole('searchbox', { name: 'Filter findings' });
  await filter.fill('k8s');
  await expect(page).toHaveURL(/q=k8s/);

  // Import: a file chosen and mapped.
  await go('Import');
  await page.getByLabel('CSV files', { exact: true }).setInputFiles({
    name: 'hosts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Hostname,Team\nweb-kept-a,team-web\n'),
  });
  const mapping = page.getByRole('group', { name: 'Column mapping for hosts.csv' });
  await mapping.getByLabel('Default Type', { exact: true }).fill('virtual_machine');

  // Impact, then back to each.
  await go('Impact');
  await go('Browse');
  await expect(page.getByText('“accounts”')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove filter type database' })).toBeVisible();
  await expect(total).toHaveText(filtered!);
  await go('Health');
  await expect(filter).toHaveValue('k8s');
  await go('Import');
  await expect(mapping.getByLabel('Default Type', { exact: true })).toHaveValue('virtual_machine');
  await expect(page.getByRole('button', { name: 'Dry run' })).toBeEnabled();
});

test('frame: at 1280 and 1366 px the counts and the theme button never overlap (the file path gives way)', async ({ page, app }) => {
  for (const width of [1280, 1366, 1440]) {
    await page.setViewportSize({ width, height: 760 });
    await app.open('#/graph?ci=db-orders-primary');
    const rels = await page.getByTestId('stat-rels').locator('..').boundingBox();
    const theme = await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).boundingBox();
    expect(rels && theme && rels.x + rels.width <= theme.x, `at ${width} px the counts end before the theme button`).toBe(true);
  }
});
