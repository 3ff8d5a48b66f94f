import { expect, snap, test } from './fixtures.js';
import type { PageGlobals } from './page-globals.js';

test('frame: the open CMDB and its size, navigation, theme toggle, impact and import screens', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  await expect(page.getByTestId('stat-rels')).toHaveText('1,233');
  await expect(page.getByLabel('Open CMDB')).toContainText('cmdb.db');
  // The token left the address bar once read.
  expect(page.url()).not.toContain('token=');
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await expect(html).not.toHaveAttribute('data-theme', before!);
  await snap(page, 'browse-theme-toggled');
  // Reload keeps the session (token kept for the tab) and the chosen theme.
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cmdbReady === true);
  await expect(html).not.toHaveAttribute('data-theme', before!);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Impact' }).click();
  await expect(page.getByRole('heading', { name: 'Impact', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'How relationships carry impact' })).toContainText('depends_on');
  await snap(page, 'impact');
  await page.getByLabel('CI key').fill('db-orders-primary');
  await page.getByRole('button', { name: 'Show dependents in graph' }).click();
  await expect(page).toHaveURL(/#\/graph\?ci=db-orders-primary&dir=downstream/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  await page.getByLabel('CIs CSV file').setInputFiles({
    name: 'extra.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('id,name,type,owner\napp-e2e-new,E2E New App,application,team-e2e\n,missing type and name,,\n'),
  });
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const result = page.getByRole('region', { name: 'Import result' });
  await expect(result).toContainText('Dry run: nothing was written');
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  const importButton = page.getByRole('region', { name: 'Files' }).getByRole('button', { name: 'Import', exact: true });
  await importButton.click();
  // One bad row rejects the whole import, and the error says where and what to do.
  await expect(page.getByRole('alert')).toContainText('extra.csv line 3');
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  await page.getByLabel('Skip bad rows').check();
  await importButton.click();
  await expect(result).toContainText('Imported');
  await expect(page.getByTestId('stat-cis')).toHaveText('534');
  await snap(page, 'import');
});

test('frame: dark theme follows the OS; errors show where they happened with what to do', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.open('#/browse?ci=no-such-ci');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('alert')).toContainText('No CI with key "no-such-ci"');
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
