/**
 * Issue 16, the graph's grouping, implied edges, saved views and exports:
 * group by any field with "value (count)" groups that expand on click; a hub
 * past the cap drawn grouped by type with a notice; dashed implied edges
 * through filtered-out types; saved views; GraphML, DOT, draw.io and JSON of
 * the view as drawn.
 */
import { readFileSync } from 'node:fs';
import { generateCmdb } from '../../electron/cmdb/generate.js';
import type { Page } from '@playwright/test';
import { expect, snap, test } from './fixtures.js';
import { clickNode, graph } from './graph-page.js';
import type { PageGlobals } from './page-globals.js';

const groupIds = (page: Page) => graph(page, (g) => g.nodeIds().filter((id) => id.startsWith('group:')));

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  test(`graph ${size.width}×${size.height}: group by owner draws "value (count)" groups that open on click`, async ({ page, app }) => {
    await page.setViewportSize(size);
    await app.open('#/graph?ci=bs-checkout&depth=2');
    const first = await app.graphReady();
    await page.getByLabel('Group by', { exact: true }).selectOption('owner');
    await expect(page).toHaveURL(/gb=owner/);
    await app.graphReady(first.seq + 1);
    const groups = await groupIds(page);
    expect(groups.length).toBeGreaterThan(2);
    const labels = await graph(page, (g) => g.nodeLabels());
    for (const id of groups) expect(labels[id], id).toMatch(/^.+ \(\d+\)$/);
    // A group is a wide dashed box, never the shape of a CI, and labelled.
    const box = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__cmdbGraph!.element(id)!, groups[0]!);
    expect(box.width / box.height).toBeGreaterThan(1.5);
    const labelled = await graph(page, (g) => g.labels().map((l) => l.id));
    expect(groups.filter((id) => labelled.includes(id)).length).toBeGreaterThanOrEqual(Math.min(groups.length, 3));
    await snap(page, `graph-grouped-owner-${size.width}`);
    const team = groups.find((id) => id === 'group:owner=team-checkout') ?? groups[0]!;
    const count = Number(/\((\d+)\)$/.exec(labels[team]!)![1]);
    const before = (await graph(page, (g) => g.nodeIds())).length;
    await clickNode(page, team);
    await expect(page).toHaveURL(/gx=/);
    await expect.poll(async () => (await graph(page, (g) => g.nodeIds())).includes(team)).toBe(false);
    expect((await graph(page, (g) => g.nodeIds())).length).toBe(before - 1 + count);
  });
}

test('graph: a hub past the cap is drawn grouped by type, labelled, with a notice; a group opens on click', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/graph?ci=k8s-stg-ldn&depth=1&max=30');
  await app.graphReady();
  await expect(page.getByTestId('graph-auto-grouped')).toContainText('grouped by type');
  const groups = await groupIds(page);
  expect(groups).toContain('group:type=application');
  const labels = await graph(page, (g) => g.nodeLabels());
  expect(labels['group:type=application']).toMatch(/^Application \(\d+\)$/);
  // Every group's label is drawn: no unlabelled grid of CIs.
  const drawn = await graph(page, (g) => g.labels().map((l) => l.id));
  for (const id of groups) expect(drawn, id).toContain(id);
  // None of them under the notice.
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const notice = (await page.getByTestId('graph-auto-grouped').boundingBox())!;
  const boxes = await graph(page, (g) => g.labels());
  const under = boxes.filter((l) => l.y1 + canvas.y < notice.y + notice.height && l.x1 + canvas.x < notice.x + notice.width);
  expect(under.map((l) => l.id)).toEqual([]);
  await snap(page, 'graph-hub-grouped');
  await clickNode(page, 'group:type=kubernetes_node');
  await expect(page).toHaveURL(/gb=type/);
  await expect(page).toHaveURL(/gx=/);
  await expect.poll(async () => (await groupIds(page)).includes('group:type=kubernetes_node')).toBe(false);
  await expect(page.getByTestId('graph-auto-grouped')).toHaveCount(0);
});

test('graph: with a CI type filtered out, dashed implied edges say how many hidden CIs they stand for', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=4&dir=upstream&ct=business_service,database');
  await app.graphReady();
  const implied = await graph(page, (g) => g.edgeList().filter((e) => e.implied));
  expect(implied.length).toBeGreaterThan(0);
  for (const e of implied) {
    expect(e.dashed, e.id).toBe(true);
    expect(e.label).toMatch(/^via \d+ hidden/);
  }
  await expect(page.getByTestId('graph-hidden')).toContainText(/[\d,]+ CIs hidden by the type filter; \d+ dashed edges? stand/);
  expect(await graph(page, (g) => g.edgeLabels())).toBeGreaterThan(0);
  await snap(page, 'graph-implied');
});

test('graph: save the view with a name and note, reopen it from the list, delete it', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=upstream&gb=type');
  await app.graphReady();
  await page.getByLabel('Saved views').click();
  await page.getByLabel('View name').fill('Checkout dependencies');
  await page.getByLabel('View note').fill('For the Friday review');
  await page.getByRole('button', { name: 'Save current view' }).click();
  const row = page.getByRole('button', { name: 'Open view Checkout dependencies' });
  await expect(row).toBeVisible();
  const saved = await app.service.call('listViews', {});
  expect(
    saved.ok && saved.value.views.map((v) => [v.name, v.note, v.spec.center, v.spec.direction, v.spec.depth, v.spec.grouping?.by]),
  ).toEqual([['Checkout dependencies', 'For the Friday review', 'bs-checkout', 'upstream', 3, 'type']]);
  // The same name again is refused, offering to replace it.
  await page.getByLabel('View name').fill('Checkout dependencies');
  await page.getByRole('button', { name: 'Save current view' }).click();
  await expect(page.getByRole('button', { name: 'Replace “Checkout dependencies”' })).toBeVisible();
  await snap(page, 'graph-saved-views');
  await page.getByLabel('Saved views').click();
  await app.open('#/graph?ci=app-checkout-api&depth=1');
  const other = await app.graphReady();
  await page.getByLabel('Saved views').click();
  await page.getByRole('button', { name: 'Open view Checkout dependencies' }).click();
  await expect(page).toHaveURL(/ci=bs-checkout/);
  await expect(page).toHaveURL(/dir=upstream/);
  await expect(page).toHaveURL(/gb=type/);
  await app.graphReady(other.seq + 1);
  await expect(page.getByRole('button', { name: 'Open view Checkout dependencies' })).toBeHidden();
  await page.getByLabel('Saved views').click();
  await page.getByRole('button', { name: 'Delete view Checkout dependencies' }).click();
  await page
    .getByRole('group', { name: 'Delete view Checkout dependencies?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(page.getByRole('button', { name: 'Open view Checkout dependencies' })).toHaveCount(0);
  const after = await app.service.call('listViews', {});
  expect(after.ok && after.value.views).toEqual([]);
});

test('graph: export the view as drawn as GraphML, DOT, draw.io and JSON, with positions, types and implied edges', async ({
  page,
  app,
}) => {
  await app.open('#/graph?ci=bs-checkout&depth=4&dir=upstream&ct=business_service,database');
  await app.graphReady();
  const drawn = await graph(page, (g) => ({ nodes: g.nodeIds(), edges: g.edgeList() }));
  const download = async (label: string) => {
    await page.getByLabel('Export the view').click();
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
  };
  const json = await download('Export JSON');
  expect(json.name).toBe('cmdb-graph-bs-checkout.json');
  const g = JSON.parse(json.text) as {
    nodes: Array<{ key: string; type: string; x?: number; y?: number; status?: string | null }>;
    edges: Array<{ source: string; target: string; kind: string; hidden?: number }>;
  };
  expect(g.nodes.map((n) => n.key).sort()).toEqual([...drawn.nodes].sort());
  for (const n of g.nodes) {
    expect(typeof n.x, n.key).toBe('number');
    expect(typeof n.y, n.key).toBe('number');
    expect(n.type).toBeTruthy();
  }
  expect(g.nodes.find((n) => n.key === 'bs-checkout')!.status).toBe('operational');
  expect(g.edges.length).toBe(drawn.edges.length);
  const implied = g.edges.filter((e) => e.kind === 'implied');
  expect(implied.length).toBe(drawn.edges.filter((e) => e.implied).length);
  expect(implied.every((e) => (e.hidden ?? 0) > 0)).toBe(true);
  const graphml = await download('Export GraphML');
  expect(graphml.name).toBe('cmdb-graph-bs-checkout.graphml');
  for (const id of drawn.nodes) expect(graphml.text).toContain(`id="${id}"`);
  const dot = await download('Export DOT');
  expect(dot.name).toBe('cmdb-graph-bs-checkout.dot');
  expect(dot.text).toMatch(/^digraph/m);
  expect(dot.text).toContain('"bs-checkout"');
  const drawio = await download('Export draw.io');
  expect(drawio.name).toBe('cmdb-graph-bs-checkout.drawio');
  expect(drawio.text).toContain('<mxfile');
  expect((drawio.text.match(/vertex="1"/g) ?? []).length).toBe(drawn.nodes.length);
  await page.getByLabel('Export the view').click();
  await snap(page, 'graph-export-menu');
  // Escape closes a menu with the focus back on its summary; a click outside (another menu) closes it too.
  const formats = page.getByRole('group', { name: 'Export formats' });
  await page.getByRole('button', { name: 'Export JSON' }).focus();
  await page.keyboard.press('Escape');
  await expect(formats).toBeHidden();
  await expect(page.getByLabel('Export the view')).toBeFocused();
  await page.getByLabel('Export the view').click();
  await expect(formats).toBeVisible();
  await page.getByLabel('Saved views').click();
  await expect(formats).toBeHidden();
  await expect(page.getByRole('group', { name: 'Save or open a view' })).toBeVisible();
});

test('graph: a capped view exported from the menu says how many CIs were left out, as the badge does; groups of several types are "mixed"', async ({
  page,
  app,
}) => {
  await app.open('#/graph?ci=bs-checkout&depth=6&max=4&gb=owner');
  await app.graphReady();
  const badge = await page.getByTestId('graph-truncated').textContent();
  const omitted = Number(/: ([\d,]+) more at the edge/.exec(badge ?? '')![1]!.replace(/,/g, ''));
  expect(omitted).toBeGreaterThan(0);
  const nodes = (await graph(page, (g) => g.nodeIds())).length;
  const download = async (label: string) => {
    await page.getByLabel('Export the view').click();
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return readFileSync((await d.path())!, 'utf8');
  };
  const json = JSON.parse(await download('Export JSON')) as {
    truncated?: boolean;
    omitted?: number;
    nodes: Array<{ kind: string; type: string; groupBy?: string; count?: number }>;
  };
  expect(json).toMatchObject({ truncated: true, omitted });
  const groups = json.nodes.filter((n) => n.kind === 'group');
  expect(groups.length).toBeGreaterThan(0);
  for (const g of groups) expect(g).toMatchObject({ groupBy: 'owner', count: expect.any(Number) });
  expect(groups.some((g) => g.type === 'mixed')).toBe(true);
  const said = `(cut at ${nodes} nodes: ${omitted} more CIs not drawn)`;
  for (const label of ['Export GraphML', 'Export DOT', 'Export draw.io']) expect(await download(label), label).toContain(said);
});

test('graph: the hub notice counts every CI past the cap, deeper rings included', async ({ page, app }) => {
  await app.open('#/graph?ci=k8s-stg-ldn&depth=2&max=30');
  await app.graphReady();
  const r = await app.service.call('neighbourhood', {
    key: 'k8s-stg-ldn',
    depth: 2,
    direction: 'both',
    maxNodes: 30,
    autoGroup: { by: 'type', expand: [], minSize: 2 },
  });
  const grouped = r.ok ? r.value : null;
  // What the grouped answer draws, past the 30 the cap allowed.
  const all = grouped!.nodes.length + grouped!.groups.reduce((n, g) => n + g.count, 0);
  expect(grouped!.autoGrouped).toEqual({ omitted: all - 30 });
  await expect(page.getByTestId('graph-auto-grouped')).toContainText(`More than 30 CIs around this one (${all - 30} past the cap)`);
});

test('graph: group by an attribute typed in (location)', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=upstream');
  const first = await app.graphReady();
  await page.getByLabel('Group by', { exact: true }).selectOption({ label: 'Attribute…' });
  await page.getByLabel('Attribute to group by').fill('location');
  await page.getByRole('button', { name: 'Group', exact: true }).click();
  await expect(page).toHaveURL(/gb=location/);
  await app.graphReady(first.seq + 1);
  const labels = await graph(page, (g) => g.nodeLabels());
  const groups = Object.keys(labels).filter((id) => id.startsWith('group:location='));
  expect(groups.length).toBeGreaterThan(0);
  expect(groups.map((id) => labels[id])).toContainEqual(expect.stringMatching(/^London LD4 \(\d+\)$/));
  // As drawn on the canvas, a long value is cut but the count always shows ("London LD4, Hall 2, R…" had lost it).
  await expect
    .poll(async () => {
      const drawn = await graph(page, (g) => g.drawnLabels());
      return groups.filter((id) => drawn[id] !== undefined && !/\(\d[\d,]*\)$/.test(drawn[id]!));
    })
    .toEqual([]);
  const drawn = await graph(page, (g) => g.drawnLabels());
  expect(groups.filter((id) => drawn[id] !== undefined).length).toBeGreaterThan(0);
  await expect(page.getByLabel('Attribute to group by')).toHaveValue('location');
  await snap(page, 'graph-grouped-location');
  // The control follows the address (a saved view opened, Back): a core field replaces the typed attribute.
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=upstream&gb=owner');
  await expect(page.getByLabel('Group by', { exact: true })).toHaveValue('owner');
  await expect(page.getByLabel('Attribute to group by')).toHaveCount(0);
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=upstream&gb=location');
  await expect(page.getByLabel('Group by', { exact: true })).toHaveValue('__attribute');
  await expect(page.getByLabel('Attribute to group by')).toHaveValue('location');
});

test('graph 1280×720: a hub in a generated estate draws every collapsed group’s label at fit zoom (found by a tester)', async ({
  page,
  app,
  scratch,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const gen = await generateCmdb({ cis: 5000, outDir: scratch });
  const r = await app.service.call('importCsv', {
    cis: { name: 'cis.csv', content: readFileSync(gen.cisFile, 'utf8') },
    relationships: { name: 'relationships.csv', content: readFileSync(gen.relsFile, 'utf8') },
  });
  expect(r.ok).toBe(true);
  // dns-01: hundreds of CIs depend on it, so its siblings are collapsed into "N × Type" groups, among some 450 CIs drawn.
  await app.open('#/graph?ci=dns-01&depth=1');
  await app.graphReady();
  const groups = await groupIds(page);
  expect(groups.length).toBeGreaterThanOrEqual(2);
  // A group stands for many CIs: its label is drawn at the fitted zoom ("161 × Virtual machine" had none, drawnLabels() undefined).
  await expect
    .poll(async () => {
      const drawn = await graph(page, (g) => g.drawnLabels());
      return groups.filter((id) => !/^\d[\d,]* × /.test(drawn[id] ?? ''));
    })
    .toEqual([]);
  await snap(page, 'graph-hub-generated-groups');
  // And again once fitted with the button.
  await page.getByRole('button', { name: 'Fit graph to view' }).click();
  await page.waitForTimeout(500);
  const labels = await graph(page, (g) => g.nodeLabels());
  const drawn = await graph(page, (g) => g.drawnLabels());
  for (const id of groups) expect(drawn[id], id).toBe(labels[id]);
  // The two groups sit side by side: their labels are drawn apart, not one over the other.
  const boxes = (await graph(page, (g) => g.labels())).filter((l) => groups.includes(l.id));
  expect(boxes.length).toBe(groups.length);
  const [a, b] = boxes;
  expect(a!.x1 < b!.x2 - 1 && b!.x1 < a!.x2 - 1 && a!.y1 < b!.y2 - 1 && b!.y1 < a!.y2 - 1, 'group labels overlap').toBe(false);
});
