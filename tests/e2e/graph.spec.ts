import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, snap, test } from './fixtures.js';
import { clickNode } from './graph-page.js';
import type { PageGlobals } from './page-globals.js';

async function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__cmdbGraph!.nodeIds());
}

/** Where the drawn nodes' centres lie on the page: their bounding box, and how many lie outside the graph's canvas. */
async function drawnBox(page: Page): Promise<{ width: number; height: number; outside: number }> {
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const points = await page.evaluate(() => {
    const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
    return g.nodeIds().map((id) => g.pagePosition(id)!);
  });
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const inside = (p: { x: number; y: number }) =>
    p.x >= canvas.x && p.x <= canvas.x + canvas.width && p.y >= canvas.y && p.y <= canvas.y + canvas.height;
  return {
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
    outside: points.filter((p) => !inside(p)).length,
  };
}

test('graph: with no CI chosen it offers business services to start from, the most critical first', async ({ page, app }) => {
  await app.open('#/graph');
  const offered = page.locator('.empty').getByRole('button');
  await expect(offered).toHaveCount(12);
  const names = (await offered.allTextContents()).map((t) => t.trim());
  expect(names.slice(0, 2)).toEqual(['Checkout', 'Payments']);
  const services = await app.service.call('listCis', { filters: { type: ['business_service'] }, limit: 100 });
  if (!services.ok) throw new Error(services.error.message);
  const businessNames = new Set(services.value.items.map((c) => c.name));
  expect(names.filter((n) => !businessNames.has(n))).toEqual([]);
  await offered.filter({ hasText: 'Payments' }).click();
  await expect(page).toHaveURL(/ci=bs-payments/);
});

test('graph: a CI neighbourhood, direction and depth, legend, node selection shows details', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=2');
  const first = await app.graphReady();
  expect(first.nodes).toBeGreaterThan(10);
  await expect(page.getByTestId('graph-summary')).toContainText('CIs');
  await expect(page.getByRole('complementary', { name: 'Selection' })).toContainText('Checkout');
  await expect(page.getByLabel('Legend')).toContainText('Business service');
  // What depends on the business service: almost nothing; what it depends on: everything else.
  await page.getByRole('group', { name: 'Direction' }).getByRole('button', { name: 'Depends on', exact: true }).click();
  const up = await app.graphReady(first.seq + 1);
  await page.getByRole('group', { name: 'Direction' }).getByRole('button', { name: 'Depended on by' }).click();
  const down = await app.graphReady(up.seq + 1);
  expect(down.nodes).toBeLessThan(up.nodes);
  await page.getByRole('group', { name: 'Direction' }).getByRole('button', { name: 'Depends on', exact: true }).click();
  await app.graphReady(down.seq + 1);
  await page.getByLabel('Depth').selectOption('4');
  const deeper = await app.graphReady(down.seq + 2);
  expect(deeper.nodes).toBeGreaterThan(up.nodes);
  // Selecting a node shows its details beside the graph.
  await clickNode(page, 'app-checkout-api');
  await expect(page.getByRole('complementary', { name: 'Selection' }).getByRole('heading', { level: 2 })).toHaveText('Checkout API');
  await snap(page, 'graph');
  // "Make centre" re-centres the graph on the selection.
  await page.getByRole('button', { name: 'Centre graph on this CI' }).click();
  await expect(page).toHaveURL(/ci=app-checkout-api/);
  await app.graphReady(deeper.seq + 1);
});

test('graph: its code is loaded while the app is idle, so the first graph opened shows no loading state', async ({ page, app }) => {
  await app.open('#/browse');
  // The chunk (Cytoscape, the layouts) is fetched once the app is ready and idle, not when Graph is first clicked.
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /\/GraphView-[^/]*\.js$/.test(r.name))), {
      timeout: 10_000,
    })
    .toBe(true);
  // Whether the "Loading the graph view" placeholder is ever put on the page (React.lazy's Suspense would show it, then hold the view back).
  await page.evaluate(() => {
    const w = globalThis as unknown as { __sawGraphLoading?: boolean };
    w.__sawGraphLoading = false;
    new MutationObserver(() => {
      if (document.querySelector('[aria-label="Loading the graph view"]')) w.__sawGraphLoading = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Graph' }).click();
  await expect(page).toHaveURL(/#\/graph/);
  await expect(page.getByTestId('graph-canvas')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as unknown as { __sawGraphLoading?: boolean }).__sawGraphLoading)).toBe(false);
});

test('graph: double-click expands a node; large sibling sets collapse into a group that opens', async ({ page, app }) => {
  await app.open('#/graph?ci=app-checkout-api&depth=1');
  const g = await app.graphReady();
  const before = await nodeIds(page);
  // A neighbour at the edge of depth 1 has neighbours of its own that are not drawn yet.
  const edge = before.find((id) => id.startsWith('k8s-')) ?? before.find((id) => id !== 'app-checkout-api')!;
  await clickNode(page, edge, true);
  await expect(page.getByText(/^Added \d+ CIs? around/)).toBeVisible();
  await expect.poll(async () => (await nodeIds(page)).length).toBeGreaterThan(before.length);
  expect(g.nodes).toBe(before.length);
  // The expand's notice is about that drawing: another question (a depth) draws without it.
  await page.getByLabel('Depth').selectOption('2');
  await app.graphReady(g.seq + 1);
  await expect(page.getByText(/^Added \d+ CIs? around/)).toHaveCount(0);

  // The cluster runs dozens of applications: they arrive as one group node.
  await app.open('#/graph?ci=k8s-prod-ldn&depth=1');
  await app.graphReady();
  const ids = await nodeIds(page);
  const group = ids.find((id) => id.startsWith('group:'));
  expect(group, 'a collapsed group node').toBeTruthy();
  await expect(page.getByTestId('graph-summary')).toContainText('collapsed');
  await snap(page, 'graph-group');
  const drawn = ids.length;
  await clickNode(page, group!);
  await expect.poll(async () => (await nodeIds(page)).length).toBeGreaterThan(drawn + 10);
  expect(await nodeIds(page)).not.toContain(group);
});

test('graph: CI-type and relationship-type filters, and the cap says what was left out', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=3');
  const all = await app.graphReady();
  await page.getByLabel('CI types filter').click();
  await page
    .getByRole('group', { name: 'CI types' })
    .getByLabel(/^Application \(/)
    .check();
  const apps = await app.graphReady(all.seq + 1);
  expect(apps.nodes).toBeLessThan(all.nodes);
  const legend = page.getByLabel('Legend');
  await expect(legend).toContainText('Application');
  await expect(legend).not.toContainText('Database');
  await page.getByRole('group', { name: 'CI types' }).getByRole('button', { name: 'Show all' }).click();
  const again = await app.graphReady(apps.seq + 1);
  expect(again.nodes).toBe(all.nodes);
  await page.getByLabel('Relationships filter').click();
  await page
    .getByRole('group', { name: 'Relationships' })
    .getByLabel(/^runs on \(/)
    .check();
  const runsOn = await app.graphReady(again.seq + 1);
  expect(runsOn.nodes).toBeLessThan(all.nodes);

  await app.open('#/graph?ci=bs-checkout&depth=6&max=100');
  const capped = await app.graphReady();
  expect(capped.nodes).toBeLessThanOrEqual(100);
  // Past the cap, the neighbourhood is drawn grouped by type rather than cut off, and says so.
  await expect(page.getByTestId('graph-auto-grouped')).toContainText(
    /More than 100 CIs around this one \([\d,]+ past the cap\): drawn grouped by type/,
  );
  // Grouped by choice and still past the cap: what was left out is said.
  await app.open('#/graph?ci=bs-checkout&depth=6&max=4&gb=owner');
  await app.graphReady();
  await expect(page.getByTestId('graph-truncated')).toContainText(/Capped at 4 CIs: [\d,]+ more at the edge were left out/);
  await snap(page, 'graph-filters-cap');
});

test('graph: the path between two chosen CIs is highlighted; layouts switch', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=upstream');
  const g = await app.graphReady();
  const ids = await nodeIds(page);
  const target = ids.find((id) => id.startsWith('db-')) ?? ids[ids.length - 1]!;
  await clickNode(page, 'bs-checkout');
  await page.getByRole('button', { name: 'Path from here' }).click();
  await expect(page.getByTestId('path-info')).toContainText('select the other CI');
  await clickNode(page, target);
  await page.getByRole('button', { name: 'Path to here' }).click();
  await expect(page.getByTestId('path-info')).toContainText(/Shortest path .* → .*: \d+ hops?/);
  const hops = Number(/: (\d+) hop/.exec((await page.getByTestId('path-info').textContent())!)![1]);
  expect(hops).toBeGreaterThanOrEqual(1);
  expect(hops).toBeLessThanOrEqual(3);
  await snap(page, 'graph-path');
  await page.getByRole('button', { name: 'Clear path' }).click();
  await expect(page.getByTestId('path-info')).toHaveCount(0);
  const drawn = await nodeIds(page);
  // Quick clicks on two different CIs are two selections, not a double-click: nothing was expanded.
  expect([...drawn].sort()).toEqual([...ids].sort());
  await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Force' }).click();
  await expect(page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Force' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/layout=force/);
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__cmdbGraph?.status)).toBe('ready');
  expect((await nodeIds(page)).sort()).toEqual(drawn.sort());
  expect(g.nodes).toBeGreaterThan(5);
  // Zoom in: the drawing grows by the button's factor (1.25) about the centre.
  const before = await drawnBox(page);
  expect(before.width).toBeGreaterThan(50);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await drawnBox(page)).width / before.width).toBeCloseTo(1.25, 1);
  // Fit: from a view zoomed in far enough that CIs lie outside the canvas, every CI is back in view, drawn as the
  // layout first fitted it (filling the canvas, or at the readable zoom cap of 1.5 for a small graph like this one).
  await page.evaluate(() => (globalThis as unknown as PageGlobals).__cmdbGraph!.zoomTo(5));
  expect((await drawnBox(page)).outside).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Fit graph to view' }).click();
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  await expect
    .poll(async () => {
      const b = await drawnBox(page);
      const asFitted = Math.abs(b.width - before.width) / before.width < 0.05;
      return b.outside === 0 && (asFitted || b.width > canvas.width / 2 || b.height > canvas.height / 2);
    })
    .toBe(true);
});

test('graph: export the view as PNG and SVG', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=2');
  await app.graphReady();
  await page.getByLabel('Export the view').click();
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(png.suggestedFilename()).toBe('cmdb-graph-bs-checkout.png');
  const pngBytes = readFileSync((await png.path())!);
  expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(pngBytes.length).toBeGreaterThan(10_000);
  await page.getByLabel('Export the view').click();
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  expect(svg.suggestedFilename()).toBe('cmdb-graph-bs-checkout.svg');
  const text = readFileSync((await svg.path())!, 'utf8');
  expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(text).toContain('data-id="bs-checkout"');
  expect(text).toContain('Checkout');
  const nodes = (text.match(/<g data-id=/g) ?? []).length;
  expect(nodes).toBe((await nodeIds(page)).length);
  // The SVG renders: show it in the page and check its size.
  await page.setContent(text);
  const box = await page.locator('svg').boundingBox();
  expect(box!.width).toBeGreaterThan(100);
  await snap(page, 'graph-export-svg');
});
