/**
 * Windows narrower than 1024 px (an Electron window tiled beside another on a laptop; found by a tester): at
 * 800×600 and 900×700 no screen scrolls the page sideways, and the controls a tester found off-screen (Impact's
 * Export all and Notify tab, the open CI's buttons in Browse, Compare's left panel) lie inside the window.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, snap, test, type AppHandle } from './fixtures.js';

async function call(app: AppHandle, method: 'saveBaseline' | 'updateCi' | 'deleteCi', req: unknown) {
  const r = await app.service.call(method, req as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
}

/** The page is no wider than the window: nothing to scroll sideways, and it is not scrolled. */
async function noSidewaysScroll(page: Page, screen: string): Promise<void> {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    innerWidth: window.innerWidth,
    scrollX: window.scrollX,
  }));
  expect(m.scrollWidth, `${screen}: the page is as wide as the window`).toBeLessThanOrEqual(m.innerWidth);
  expect(m.bodyWidth, `${screen}: the body is as wide as the window`).toBeLessThanOrEqual(m.innerWidth);
  expect(m.scrollX, `${screen}: not scrolled sideways`).toBe(0);
}

/** The control lies whole between the window's left and right edges (it may be below the fold: the screen scrolls down). */
async function inWindow(page: Page, control: Locator, name: string): Promise<void> {
  await expect(control, name).toBeVisible();
  const b = (await control.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(b.x, `${name}: left edge in the window`).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, `${name}: right edge in the window`).toBeLessThanOrEqual(width);
}

async function addCi(page: Page, query: string, key: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Add a changed CI' });
  await box.fill(query);
  await page.getByRole('listbox', { name: 'Matching CIs' }).getByRole('option').filter({ hasText: key }).first().click();
  await expect(page.getByRole('list', { name: 'Changed CIs' })).toContainText(key);
}

for (const [w, h] of [
  [800, 600],
  [900, 700],
] as const) {
  test.describe(`at ${w}×${h}`, () => {
    test.use({ viewport: { width: w, height: h } });

    test(`top bar and Browse with a CI open fit the window`, async ({ page, app }) => {
      await app.open('#/browse');
      await noSidewaysScroll(page, 'Browse');
      const bar = page.locator('header.topbar');
      for (const name of ['Browse', 'Graph', 'Impact', 'Compare', 'Health', 'Import'])
        await inWindow(page, bar.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }), `nav ${name}`);
      await inWindow(page, page.getByTestId('stat-cis'), 'count of CIs');
      await inWindow(page, page.getByRole('button', { name: /Switch to (dark|light) theme/ }), 'theme button');
      // What the bar hides in a narrow window (the file, maybe the relationships' count), its title says.
      await expect(page.getByLabel('Open CMDB')).toHaveAttribute('title', /cmdb\.db · 533 CIs · 1,233 relationships$/);

      await app.open('#/browse?ci=db-orders-primary');
      const detail = page.getByTestId('ci-detail');
      await expect(detail).toBeVisible();
      await noSidewaysScroll(page, 'Browse with a CI open');
      for (const name of ['Show in graph', 'Add to change', 'Edit CI', 'Add relationship', 'Delete CI', 'Close detail'])
        await inWindow(page, detail.getByRole('button', { name, exact: true }), `detail ${name}`);
      await inWindow(page, page.getByRole('button', { name: 'New CI' }), 'New CI');
      await inWindow(page, page.getByRole('complementary', { name: 'Filters' }), 'Filters pane');
      // The list beside them does not scroll sideways either: its columns give way.
      const rows = page.locator('.tbody');
      expect(await rows.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
      await snap(page, `narrow-browse-${w}x${h}`);
    });

    test(`Graph fits the window`, async ({ page, app }) => {
      await app.open('#/graph?ci=db-orders-primary');
      await app.graphReady();
      await noSidewaysScroll(page, 'Graph');
      await inWindow(page, page.getByText('Export ▾'), 'Graph export');
      await inWindow(page, page.getByRole('button', { name: 'Open in Browse' }), 'Open in Browse');
      await snap(page, `narrow-graph-${w}x${h}`);
    });

    test(`Impact: Export all, the tabs and the lists in the window`, async ({ page, app }) => {
      await app.open('#/impact');
      await noSidewaysScroll(page, 'Impact, empty');
      await addCi(page, 'db-orders-primary', 'db-orders-primary');
      await expect(page.getByTestId('count-down')).not.toHaveText('');
      await noSidewaysScroll(page, 'Impact');
      await inWindow(page, page.locator('summary[aria-label="Export all impacted CIs"]'), 'Export all');
      await inWindow(page, page.getByTestId('count-teams'), 'count to notify');
      await inWindow(page, page.getByRole('button', { name: 'Save as change…' }), 'Save as change');
      await snap(page, `narrow-impact-${w}x${h}`);
      const tabs = page.getByRole('tablist', { name: 'Impact lists' });
      for (const name of [/^Business services/, /^Notify/, /^CIs/]) await inWindow(page, tabs.getByRole('tab', { name }), `tab ${name}`);
      await tabs.getByRole('tab', { name: /^Notify/ }).click();
      await expect(tabs.getByRole('tab', { name: /^Notify/ })).toHaveAttribute('aria-selected', 'true');
      await inWindow(page, page.getByRole('button', { name: 'Copy all' }), 'Copy all');
      await noSidewaysScroll(page, 'Impact, Notify');
      await snap(page, `narrow-impact-notify-${w}x${h}`);
      // The export menu opens inside the window.
      await page.locator('summary[aria-label="Export all impacted CIs"]').click();
      await inWindow(page, page.getByRole('group', { name: 'Export the impacted CIs' }), 'export menu');
    });

    test(`Health fits the window`, async ({ page, app }) => {
      await app.open('#/health');
      await expect(page.getByTestId('findings-total')).not.toHaveText('');
      await noSidewaysScroll(page, 'Health');
      await snap(page, `narrow-health-${w}x${h}`);
    });

    test(`Compare: the left panel, the list and the detail in the window`, async ({ page, app }) => {
      await call(app, 'saveBaseline', { name: 'before-cab' });
      await call(app, 'updateCi', { key: 'db-orders-primary', fields: { owner: 'team-database-reliability-engineering-emea-west' } });
      await call(app, 'deleteCi', { key: 'lb-edge-prod-02' });
      await app.open('#/compare?from=before-cab&to=now');
      await expect(page.getByTestId('compare-count')).toHaveText('12 changes');
      await noSidewaysScroll(page, 'Compare');
      await inWindow(page, page.getByRole('form', { name: 'Save a baseline' }), 'Save a baseline');
      await inWindow(page, page.locator('.compare-side'), 'left panel');
      await page.locator('[data-id="ci:db-orders-primary"]').click();
      const detail = page.getByRole('region', { name: 'Change detail' });
      await inWindow(page, detail, 'change detail');
      await inWindow(page, page.getByRole('group', { name: 'Export the comparison' }).getByRole('button', { name: 'JSON' }), 'export JSON');
      await noSidewaysScroll(page, 'Compare with a change open');
      await snap(page, `narrow-compare-${w}x${h}`);
    });

    test(`Import wizard fits the window`, async ({ page, app }) => {
      await app.open('#/import');
      await page.getByLabel('CSV files', { exact: true }).setInputFiles(['assets/demo/cis.csv', 'assets/demo/relationships.csv']);
      await expect(page.getByRole('region', { name: 'File cis.csv' })).toBeVisible();
      await noSidewaysScroll(page, 'Import');
      // The wide preview scrolls inside its own box, not the page.
      await inWindow(page, page.getByRole('button', { name: 'Dry run' }), 'Dry run');
      await snap(page, `narrow-import-${w}x${h}`);
    });
  });
}
