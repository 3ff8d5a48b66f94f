/**
 * The graph with what a spreadsheet import brings: CI types the built-in
 * palette does not know (each in its own colour on the canvas and in the
 * legend, the legend readable beside the graph's controls), CI names with
 * line breaks (one line on the canvas and in the panel), and a group node
 * selected with the keyboard (shown as a group, as a click shows it).
 */
import type { Page } from '@playwright/test';
import { expect, snap, test, type AppHandle } from './fixtures.js';
import type { GraphDebug } from './page-globals.js';

const graph = <T>(page: Page, f: (g: GraphDebug) => T): Promise<T> =>
  page.evaluate(`(${f.toString()})(globalThis.__cmdbGraph)`) as Promise<T>;

/** Twelve types no built-in palette knows, as a plant's OT inventory might have them. */
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
];
const HUB = 'plant-ldn';
/** A name as a spreadsheet cell holds it: on three lines. */
const MULTI = 'Line 4 packaging\nPLC (Siemens S7-1500)\r\nbackup';

const csv = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n');

/** A plant hub with two CIs of each of eleven imported types depending on it; one of them named on several lines. */
async function seedPlant(app: AppHandle): Promise<void> {
  const cis = [['key', 'name', 'type']];
  const rels = [['source', 'target', 'type']];
  cis.push([HUB, 'London plant', TYPES[0]!]);
  TYPES.slice(1).forEach((t, i) => {
    for (let j = 1; j <= 2; j++) {
      const key = `${t.replace(/_/g, '-')}-${j}`;
      cis.push([key, i === 1 && j === 1 ? MULTI : `${t.replace(/_/g, ' ')} ${j}`, t]);
      rels.push([key, HUB, 'depends_on']);
    }
  });
  const r = await app.service.call('importCsv', {
    cis: { name: 'plant-cis.csv', content: csv(cis) },
    relationships: { name: 'plant-rels.csv', content: csv(rels) },
  });
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

test('graph 1440×900: twelve imported types, each in its own colour on the canvas and in the legend, the legend whole and clear of the controls', async ({
  page,
  app,
}) => {
  await seedPlant(app);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open(`#/graph?ci=${HUB}&depth=1`);
  await app.graphReady();
  await snap(page, 'graph-imported-types-1440');
  await page.screenshot({ path: '/tmp/ga/legend-1440.png' });
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
