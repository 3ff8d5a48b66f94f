import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { cutControlTexts } from './cut-text.js';
import { expect, snap, test, waitForReady, type AppHandle } from './fixtures.js';
import type { PageGlobals } from './page-globals.js';

test.use({ viewport: { width: 1440, height: 900 } });

async function call<M extends Parameters<AppHandle['service']['call']>[0]>(app: AppHandle, method: M, req: unknown) {
  const r = await app.service.call(method, req as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

/** A call to the web host's HTTP API, as any client of `cmdb serve` makes it. */
async function webApi(app: AppHandle, method: string, req: unknown): Promise<unknown> {
  const url = new URL(app.url);
  const res = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CMDB-Token': url.searchParams.get('token') ?? '' },
    body: JSON.stringify(req),
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method} over HTTP: ${body.error?.message}`);
  return body.value;
}

async function exportAs(page: Page, label: string): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: 'Export the comparison' }).getByRole('button', { name: label, exact: true }).click(),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

async function saveBaseline(page: Page, name: string, note: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Save a baseline' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Note').fill(note);
  await form.getByRole('button', { name: 'Save baseline' }).click();
  await expect(page.getByRole('list', { name: 'Saved baselines' }).locator(`[data-baseline="${name}"]`)).toContainText(note);
}

/** What the Compare graph draws: each relationship's state, line style and colour. */
async function graphEdges(page: Page, centre: string) {
  const h = await page.waitForFunction((c) => {
    const g = (globalThis as unknown as PageGlobals & { __cmdbCompareGraph?: { centre: string; edges: unknown[] } }).__cmdbCompareGraph;
    return g && g.centre === c ? g.edges : null;
  }, centre);
  return (await h.jsonValue()) as { id: string; state: string; style: string; color: string }[];
}

test('compare: save a baseline, edit the CMDB, see what changed field by field, filter, export, and compare a saved change', async ({
  page,
  app,
}) => {
  await app.open('#/compare');
  await expect(page.getByText('What changed since the last review?')).toBeVisible();
  await saveBaseline(page, 'before-cab', 'Before the December CAB');
  // The first baseline becomes the starting point, against now: nothing differs yet.
  await expect(page.locator('.compare-head h2')).toContainText('before-cab');
  await expect(page.getByText('Nothing differs')).toBeVisible();

  // The CMDB changes beside the page (the web host's HTTP API and the engine): an owner and a criticality edited, a load balancer retired, a dependency added.
  await call(app, 'saveChange', { ref: 'CHG0042001', title: 'Firmware of edge LB 01', keys: ['lb-edge-prod-01'] });
  await webApi(app, 'updateCi', { key: 'db-orders-primary', fields: { owner: 'team-data', criticality: 'high' } });
  await call(app, 'deleteCi', { key: 'lb-edge-prod-02' });
  await call(app, 'createRelationship', { source: 'bs-checkout', target: 'db-orders-primary', type: 'depends_on' });
  const engine = await call(app, 'diff', { from: 'before-cab' });

  // Edits made beside the page (another door) are seen on reload.
  await page.reload();
  await waitForReady(page);
  const summary = page.getByRole('group', { name: 'Summary' });
  await expect(summary.getByRole('button', { name: /CIs removed/ })).toContainText('1');
  await expect(summary.getByRole('button', { name: /CIs changed/ })).toContainText('1');
  await expect(summary.getByRole('button', { name: /Relationships added/ })).toContainText('1');
  await expect(summary.getByRole('button', { name: /Relationships removed/ })).toContainText(String(engine.counts.relationshipsRemoved));
  const list = page.getByTestId('compare-list');
  const total = 2 + engine.counts.relationshipsAdded + engine.counts.relationshipsRemoved;
  await expect(page.getByTestId('compare-count')).toHaveText(`${total} changes`);

  // The changed CI opens with each field's old and new value, and its relationships across the two points.
  await list.locator('[data-id="ci:db-orders-primary"]').click();
  const detail = page.getByRole('region', { name: 'Change detail' });
  const owner = detail.getByRole('table', { name: 'Field changes' }).locator('[data-field="owner"]');
  await expect(owner.locator('td.old')).toHaveText('team-dba');
  await expect(owner.locator('td.new')).toHaveText('team-data');
  await expect(detail.locator('[data-field="criticality"] td.new')).toHaveText('high');
  const edges = await graphEdges(page, 'db-orders-primary');
  const added = edges.find((e) => e.id === 'bs-checkout>depends_on>db-orders-primary');
  expect(added).toMatchObject({ state: 'added', style: 'solid' });
  expect(edges.filter((e) => e.state === 'same').length).toBeGreaterThan(0);
  expect(edges.find((e) => e.state === 'same')!.color).not.toBe(added!.color);
  await expect(detail.getByLabel('Relationship legend')).toContainText('Added 1');
  await snap(page, 'compare-1440');

  // The retired load balancer: gone, its relationships drawn removed (red, dashed).
  await list.locator('[data-id="ci:lb-edge-prod-02"]').click();
  await expect(detail).toContainText('Removed ci');
  const gone = await graphEdges(page, 'lb-edge-prod-02');
  expect(gone.length).toBe(engine.counts.relationshipsRemoved);
  expect(gone.every((e) => e.state === 'removed' && e.style === 'dashed')).toBe(true);
  await expect(detail).toContainText('This CI is not in the live CMDB');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await snap(page, 'compare-removed-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Filters: kind of change, owner, type (the engine's).
  await page.getByRole('group', { name: 'Kind of change' }).getByRole('button', { name: 'Changed' }).click();
  await expect(page.getByTestId('compare-count')).toHaveText(`1 of ${total} changes`);
  await page.getByRole('group', { name: 'Kind of change' }).getByRole('button', { name: 'Changed' }).click();
  await page.locator('summary[aria-label="Owners"]').click();
  await page.getByRole('group', { name: 'Owners' }).getByLabel('team-network').check();
  await expect(list.locator('[data-id="ci:lb-edge-prod-02"]')).toBeVisible();
  await expect(list.locator('[data-id="ci:db-orders-primary"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('searchbox', { name: 'Find in the changes' }).fill('FW-EDGE');
  await expect(page.getByTestId('compare-count')).toHaveText(`2 of ${total} changes`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.locator('summary[aria-label="Types"]').click();
  await page.getByRole('group', { name: 'Types' }).getByLabel('Database', { exact: true }).check();
  await expect(page).toHaveURL(/types=database/);
  await expect(page.getByTestId('compare-count')).toHaveText('2 changes');
  await expect(list.locator('[data-id="rel:bs-checkout>depends_on>db-orders-primary"]')).toBeVisible();

  // Export for the CAB pack: the types chosen, every entry.
  const csv = await exportAs(page, 'CSV');
  expect(csv.name).toMatch(/\.csv$/);
  expect(csv.text).toContain('db-orders-primary');
  expect(csv.text).toContain('team-data');
  expect(csv.text).not.toContain('lb-edge-prod-02');
  const md = await exportAs(page, 'Markdown');
  expect(md.name).toMatch(/\.md$/);
  expect(md.text).toContain('team-dba');

  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await list.locator('[data-id="ci:db-orders-primary"]').click();
  await graphEdges(page, 'db-orders-primary');
  await snap(page, 'compare-1024');
  await page.setViewportSize({ width: 1440, height: 900 });

  // An unknown baseline in the address is refused, naming the baselines there are.
  await app.open('#/compare?from=no-such-baseline');
  const err = page.getByRole('alert');
  await expect(err).toContainText('The comparison could not be made');
  await expect(err).toContainText('before-cab');
  await expect(page.getByRole('combobox', { name: 'From' })).toHaveValue('no-such-baseline');

  // A second baseline, deleted after the confirmation.
  await saveBaseline(page, 'scratch', 'To delete');
  await page.getByRole('button', { name: 'Compare scratch with now' }).click();
  await expect(page.getByRole('combobox', { name: 'From' })).toHaveValue('scratch');
  await page.getByRole('button', { name: 'Delete baseline scratch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the baseline?' });
  await dialog.getByRole('button', { name: 'Delete baseline' }).click();
  await expect(page.locator('[data-baseline="scratch"]')).toHaveCount(0);
  // The point deleted goes back to the newest baseline left.
  await expect(page.getByRole('combobox', { name: 'From' })).toHaveValue('before-cab');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect((await call(app, 'listBaselines', {})).baselines.map((b) => b.name)).toEqual(['before-cab']);

  // The saved change against the baseline: the other load balancer is gone, so checkout goes from degraded to down.
  await app.open('#/impact');
  await page.getByRole('button', { name: 'Reopen CHG0042001' }).click();
  await page.getByRole('combobox', { name: 'Baseline to compare with' }).selectOption('before-cab');
  const compared = page.getByRole('status', { name: 'Compared with the baseline' });
  await expect(compared.getByTestId('baseline-state')).toContainText('Checkout');
  await expect(compared.getByTestId('baseline-state')).toContainText('degraded → down');
  await snap(page, 'compare-change');
});

test('compare at 1024 px: a changed CI’s field names read whole beside long old and new values', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await call(app, 'saveBaseline', { name: 'before-cab' });
  await call(app, 'updateCi', { key: 'db-orders-primary', fields: { owner: 'team-database-reliability-engineering-emea-west' } });
  await app.open('#/compare?from=before-cab&to=now');
  await page.locator('[data-id="ci:db-orders-primary"]').click();
  const name = page.getByRole('table', { name: 'Field changes' }).locator('[data-field="owner"] th');
  await expect(name).toHaveText('owner');
  // One line: a name broken mid-word ("owne/r") reads as two.
  const lines = await name.evaluate((el) => {
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(el);
    return range.getClientRects().length;
  });
  await snap(page, 'compare-detail-1024');
  expect(lines).toBe(1);
});

for (const [w, h] of [
  [1280, 800],
  [1024, 768],
] as const)
  test(`compare at ${w}×${h}: the baseline selects show the names whole; a saved change compared with a baseline reads in the main area (found by a CAB chair)`, async ({
    page,
    app,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await call(app, 'saveChange', { ref: 'CHG0042001', title: 'Firmware of edge LB 01', keys: ['lb-edge-prod-01'] });
    const long = 'before-the-december-change-advisory-board-emea-west-and-apac';
    for (const name of ['cab-2026-12-03', long, 'before-cab']) await call(app, 'saveBaseline', { name });
    await call(app, 'deleteCi', { key: 'lb-edge-prod-02' });

    // The Compare screen's points, side by side with the baselines: each name whole in its select.
    await app.open('#/compare?from=cab-2026-12-03&to=now');
    const points = page.getByRole('group', { name: 'Points compared' });
    const from = points.getByRole('combobox', { name: 'From' });
    await expect(from).toHaveValue('cab-2026-12-03');
    await expect(page.locator('.compare-head h2')).toContainText('cab-2026-12-03');
    await snap(page, `compare-points-${w}`);
    expect.soft(await cutControlTexts(points), 'select texts cut off').toEqual([]);
    // A name too long for the side's width: whole in the select's tooltip.
    await from.selectOption(long);
    await expect.soft(from).toHaveAttribute('title', new RegExp(`^${long}`));

    // A saved change against a baseline (Impact): the select whole in the side card, the answer in the main area.
    await app.open('#/impact');
    await page.getByRole('button', { name: 'Reopen CHG0042001' }).click();
    const picker = page.getByRole('region', { name: 'Compare with a baseline' });
    await picker.getByRole('combobox', { name: 'Baseline to compare with' }).selectOption('before-cab');
    await expect(page.getByRole('status', { name: 'Compared with the baseline' })).toBeVisible();
    await snap(page, `compare-change-${w}`);
    const compared = page.locator('.impact-main').getByRole('status', { name: 'Compared with the baseline' });
    await expect(compared).toContainText('Now against before-cab (');
    await expect(compared.getByTestId('baseline-state')).toContainText('State changed (6):');
    await expect(compared.getByTestId('baseline-state')).toContainText('Checkout');
    await expect(compared.getByTestId('baseline-state')).toContainText('degraded → down');
    await expect(page.locator('.impact-side').getByRole('status', { name: 'Compared with the baseline' })).toHaveCount(0);
    expect(await cutControlTexts(picker), 'select texts cut off').toEqual([]);
    // Its CIs open their path, as from the lists.
    await compared.getByTestId('baseline-state').getByRole('button', { name: 'Checkout' }).click();
    await expect(page.getByLabel('Explanation path')).toContainText('Why Checkout is down');
  });

test('compare: the first baseline just saved is not called "no such baseline" while the list is read again', async ({ page, app }) => {
  await app.open('#/compare');
  await expect(page.getByText('What changed since the last review?')).toBeVisible();
  // A slow host: the list of baselines answers a second late, so the moment between saving and the new list can be looked at.
  await page.route('**/api/listBaselines', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  const form = page.getByRole('form', { name: 'Save a baseline' });
  await form.getByLabel('Name').fill('before-cab');
  await form.getByRole('button', { name: 'Save baseline' }).click();
  const from = page.getByRole('group', { name: 'Points compared' }).getByRole('combobox', { name: 'From' });
  await expect(from).toHaveValue('before-cab');
  // Read at once (no retry): the list is still on its way.
  expect(await from.locator('option:checked').textContent()).not.toContain('no such baseline');
  // Then the listed baseline's option: when it was saved in its tooltip.
  await expect(from.locator('option:checked')).toHaveAttribute('title', /^before-cab · saved /);
});

test('compare: a file of the baselines folder that cannot be read is named with a delete, not hidden', async ({ page, app }) => {
  mkdirSync(`${app.dbPath}.baselines`, { recursive: true });
  writeFileSync(`${app.dbPath}.baselines/broken.sqlite`, 'not a database');
  await app.open('#/compare');
  const note = page.getByRole('note', { name: 'Unreadable baselines' });
  await expect(note).toContainText('Not readable as a baseline (damaged, or not one), so not listed: broken');
  await note.getByRole('button', { name: 'Delete unreadable baseline broken' }).click();
  await page.getByRole('button', { name: 'Delete baseline', exact: true }).click();
  await expect(note).toHaveCount(0);
  expect((await call(app, 'listBaselines', {})).unreadable).toEqual([]);
});
