/**
 * The graph with what a spreadsheet import brings: CI types the built-in
 * palette does not know (each in its own colour on the canvas and in the
 * legend, the legend readable beside the graph's controls), CI names with
 * line breaks (one line on the canvas and in the panel), and a group node
 * selected with the keyboard (shown as a group, as a click shows it).
 */
import { expect, snap, test, type AppHandle } from './fixtures.js';
import { clickNode, graph } from './graph-page.js';
import type { PageGlobals } from './page-globals.js';

/** Thirteen types no built-in palette knows, as a plant's OT inventory might have them. */
const TYPES = [
  'plant_site',
  'badge_reader',
  'plc',
  'scada_server',
  'hmi_panel',
  'historian',
  'rtu',
  'edge_gateway',
  'ot_firewall',
  'print_server',
  'voip_phone',
  'ups_unit',
  'barcode_scanner',
];
const HUB = 'plant-ldn';
/** A name as a spreadsheet cell holds it: on three lines. */
const MULTI = 'Line 4 packaging\nSCADA (Siemens WinCC)\r\nbackup';

const csv = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n');

/** A plant hub with two CIs of each of twelve imported types depending on it; one of them named on several lines. */
async function seedPlant(app: AppHandle): Promise<void> {
  const cis = [['key', 'name', 'type']];
  const rels = [['source', 'target', 'type']];
  cis.push([HUB, 'London plant', TYPES[0]!]);
  TYPES.slice(1).forEach((t) => {
    for (let j = 1; j <= 2; j++) {
      const key = `${t.replace(/_/g, '-')}-${j}`;
      cis.push([key, t === 'scada_server' && j === 1 ? MULTI : `${t.replace(/_/g, ' ')} ${j}`, t]);
      rels.push([key, HUB, 'depends_on']);
    }
  });
  const r = await app.service.call('importCsv', {
    cis: { name: 'plant-cis.csv', content: csv(cis) },
    relationships: { name: 'plant-rels.csv', content: csv(rels) },
  });
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16},${(n >> 8) & 255},${n & 255})`;
};

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('graph 1440×900: thirteen imported types, each in its own colour on the canvas and in the legend, the legend whole and clear of the controls', async ({
  page,
  app,
}) => {
  await seedPlant(app);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open(`#/graph?ci=${HUB}&depth=1`);
  await app.graphReady();
  // On the canvas: one colour per type, none of them Cytoscape's grey fallback for a colour it cannot read.
  const fills = new Map<string, string>();
  for (const t of TYPES) {
    const key = t === TYPES[0] ? HUB : `${t.replace(/_/g, '-')}-1`;
    const el = await page.evaluate((k) => (globalThis as unknown as PageGlobals).__cmdbGraph!.element(k), key);
    expect(el, key).not.toBeNull();
    fills.set(t, el!.fill.replace(/\s/g, ''));
  }
  expect([...fills.values()]).not.toContain('rgb(153,153,153)');
  expect(new Set(fills.values()).size).toBe(TYPES.length);
  // The legend: every type, in the colour the canvas draws it in.
  const legend = page.getByLabel('Legend', { exact: true });
  const rows = legend.locator('.row');
  await expect(rows).toHaveCount(TYPES.length);
  const shown = await rows.evaluateAll((els) =>
    els.map((r) => ({ text: r.textContent ?? '', fill: r.querySelector('svg > *')?.getAttribute('fill') ?? '' })),
  );
  for (const t of TYPES) {
    const label = t.replace(/_/g, ' ');
    const row = shown.find((r) => r.text.toLowerCase().startsWith(label));
    expect(row, `legend row of ${t}`).toBeDefined();
    expect(rgb(row!.fill), t).toBe(fills.get(t));
  }
  // Whole: no row hidden under its edge or scrolled out of sight, each readable.
  const lbox = (await legend.boundingBox())!;
  for (const r of await rows.all()) {
    const b = (await r.boundingBox())!;
    const inside = b.y >= lbox.y - 1 && b.y + b.height <= lbox.y + lbox.height + 1 && b.x + b.width <= lbox.x + lbox.width + 1;
    expect(inside, `legend row ${await r.textContent()} in sight`).toBe(true);
  }
  expect(await rows.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(11);
  // Inside the canvas, clear of the zoom bar and the summary.
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  expect(lbox.x >= canvas.x && lbox.y >= canvas.y && lbox.x + lbox.width <= canvas.x + canvas.width).toBe(true);
  expect(lbox.y + lbox.height).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
  expect(overlap(lbox, (await page.getByRole('group', { name: 'View' }).boundingBox())!), 'legend over the zoom bar').toBe(false);
  expect(overlap(lbox, (await page.getByTestId('graph-summary').boundingBox())!), 'legend over the summary').toBe(false);
  await snap(page, 'graph-imported-types-1440');
  // Folded away it leaves its header; unfolded, every type again.
  await legend.getByRole('button', { name: /Fold the 13 CI types away/ }).click();
  await expect(rows).toHaveCount(0);
  await legend.getByRole('button', { name: /Show the 13 CI types/ }).click();
  await expect(rows).toHaveCount(TYPES.length);
});

test('graph: a CI named on several lines is labelled on one line, cut as usual, and titled on one line in the panel', async ({
  page,
  app,
}) => {
  await seedPlant(app);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open(`#/graph?ci=${HUB}&depth=1`);
  await app.graphReady();
  const key = 'scada-server-1';
  const oneLine = 'Line 4 packaging SCADA (Siemens WinCC) backup';
  expect((await graph(page, (g) => g.nodeLabels()))[key]).toBe(oneLine);
  await clickNode(page, key);
  await expect.poll(() => graph(page, (g) => g.selected())).toBe(key);
  const drawn = (await graph(page, (g) => g.drawnLabels()))[key]!;
  expect(drawn).not.toMatch(/[\r\n]/);
  // Longer than a label's width: cut with an ellipsis on its one line.
  expect(drawn).toMatch(/…$/);
  expect(oneLine.startsWith(drawn.slice(0, -1).trimEnd())).toBe(true);
  const title = page.getByTestId('selection-title').locator('strong');
  expect(await title.evaluate((el) => el.textContent)).toBe(oneLine);
  expect(await title.getAttribute('title')).toBe(`${oneLine} (${key})`);
  const lines = await title.evaluate((el) =>
    Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '16')),
  );
  expect(lines).toBeLessThanOrEqual(1);
});

test('graph: a group selected with the arrow keys shows as a group in the panel (field, value, count, how to open it); Enter opens it', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/graph?ci=k8s-stg-ldn&depth=1&max=30');
  await app.graphReady();
  const canvas = page.getByTestId('graph-canvas');
  await canvas.focus();
  // The first arrow selects the centre; the arrows then walk to a neighbour, here a group by type.
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => graph(page, (g) => g.selected())).toBe('k8s-stg-ldn');
  let group: string | null = null;
  for (const key of ['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowRight']) {
    await page.keyboard.press(key);
    const s = await graph(page, (g) => g.selected());
    if (s?.startsWith('group:')) {
      group = s;
      break;
    }
  }
  expect(group, 'the arrows reach a group node').not.toBeNull();
  const label = (await graph(page, (g) => g.nodeLabels()))[group!]!;
  const [, value, count] = /^(.+) \((\d+)\)$/.exec(label)!;
  const panel = page.getByRole('complementary', { name: 'Selection' });
  await expect(panel).toContainText('Selected group');
  await expect(panel).not.toContainText('Selected CI');
  await expect(page.getByTestId('selection-title')).toContainText(value!);
  await expect(page.getByTestId('selection-title')).toContainText(`${count} CIs`);
  await expect(page.getByTestId('selection-group')).toContainText('Grouped by');
  await expect(page.getByTestId('selection-group')).toContainText('type');
  await expect(panel.getByRole('button', { name: 'Open this group' })).toBeVisible();
  // No CI's details (nor the centre's) under a group.
  await expect(panel.getByRole('button', { name: 'Expand this CI' })).toHaveCount(0);
  await snap(page, 'graph-keyboard-group');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/gx=/);
  await expect.poll(async () => (await graph(page, (g) => g.nodeIds())).includes(group!)).toBe(false);
  await expect(panel).not.toContainText('Selected group');
});
