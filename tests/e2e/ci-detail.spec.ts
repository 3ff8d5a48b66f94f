/**
 * The CI detail panel on a hub and the facets' full lists, in Chromium on the
 * demo: relationships paged as they scroll (a virtualised list, so "Show all"
 * draws only the rows in view), the type filter and search, history's
 * "Showing N of M" with "Load more", names cut short told apart by their key,
 * and a facet's every value, searchable, any of them a filter.
 */
import type { Page } from '@playwright/test';
import { type AppHandle, expect, snap, test } from './fixtures.js';

const HUB = 'k8s-stg-ldn';
const EXTRA = 250;

/** EXTRA more dependents of the demo's biggest hub, all named alike but for their last digits, so the list has several pages. */
async function growHub(app: AppHandle): Promise<number> {
  const cis = ['id,name,type,owner'];
  const rels = ['source,target,type'];
  for (let i = 0; i < EXTRA; i++) {
    const k = `svc-batch-${String(i).padStart(3, '0')}`;
    cis.push(`${k},Edge load balancer pool member ${i},application,team-batch-${i % 30}`);
    rels.push(`${k},${HUB},${i % 5 === 0 ? 'runs_on' : 'depends_on'}`);
  }
  const r = await app.service.call('importCsv', {
    cis: { name: 'cis.csv', content: cis.join('\n') },
    relationships: { name: 'rels.csv', content: rels.join('\n') },
  });
  expect(r.ok).toBe(true);
  const d = await app.service.call('getCi', { key: HUB, relLimit: 0, historyLimit: 0 });
  if (!d.ok) throw new Error(d.error.message);
  return d.value.incomingTotal;
}

/** The number in a region's heading count. */
const countOf = async (page: Page, side: string) => (await page.getByTestId(`rels-${side}`).getByTestId('rels-count').textContent())!;

test('a hub: relationships paged by scroll, type filter, search, keys beside names, history paged', async ({ page, app }) => {
  const total = await growHub(app);
  expect(total).toBeGreaterThan(300);
  const requests: string[] = [];
  let typesCalls = 0;
  page.on('request', (r) => {
    if (r.url().includes('ciRelationships')) requests.push(r.postData() ?? '');
    if (r.url().endsWith('/api/getTypes')) typesCalls++;
  });
  await app.open(`#/browse?ci=${HUB}`);
  const detail = page.getByTestId('ci-detail');
  const inc = detail.getByTestId('rels-incoming');
  await expect(inc.getByTestId('rels-count')).toHaveText(total.toLocaleString('en-US'));
  const list = inc.getByRole('list');
  await expect(list.getByRole('listitem').first()).toContainText(/\w/);
  // Virtualised: only the rows in view (plus a few) exist.
  expect(await list.getByRole('listitem').count()).toBeLessThan(30);
  // Opening the panel does not read the types registry (a count over every relationship) for forms that are closed.
  await expect(inc.getByRole('combobox').getByRole('option')).toHaveCount(5); // All types + the side's four
  const typesAtStart = typesCalls; // the app's own, once
  await page.evaluate(() => (location.hash = '#/browse?ci=app-checkout-api'));
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Checkout API');
  await page.goBack();
  await expect(inc.getByTestId('rels-count')).toHaveText(total.toLocaleString('en-US'));
  expect(typesCalls).toBe(typesAtStart);

  // Show all: a taller list, still only the rows in view; scrolling to the end fetches the pages on the way.
  await inc.getByRole('button', { name: `Show all ${total.toLocaleString('en-US')}` }).click();
  expect(await list.getByRole('listitem').count()).toBeLessThan(40);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(list.getByRole('listitem').last()).not.toContainText('Loading');
  await expect(
    list
      .getByRole('listitem')
      .last()
      .getByRole('button', { name: /^Open / }),
  ).toBeVisible();
  expect(requests.some((b) => /"offset":(2|3)00/.test(b))).toBe(true);

  // Names cut short stay apart: each row shows its key, and the full text is in its title.
  await list.evaluate((el) => (el.scrollTop = 0));
  await inc.getByRole('searchbox').fill('pool member 12');
  await expect(inc.getByTestId('rels-count')).toHaveText(`11 of ${total.toLocaleString('en-US')}`);
  const link = list.getByRole('button', { name: 'Open Edge load balancer pool member 120' });
  await expect(link).toContainText('svc-batch-120');
  await expect(link).toHaveAttribute('title', /Edge load balancer pool member 120 \(svc-batch-120\)/);

  // The type filter narrows to one type, with its count; with the search still applied.
  await inc.getByRole('combobox').selectOption('runs_on');
  await expect(inc.getByTestId('rels-count')).toHaveText(`2 of ${total.toLocaleString('en-US')}`); // 120 and 125 (i % 5 = 0)
  await inc.getByRole('searchbox').fill('');
  await expect(inc.getByTestId('rels-count')).toHaveText(new RegExp(`^\\d+ of ${total.toLocaleString('en-US')}$`));
  for (const t of await list.locator('.rtype').allTextContents()) expect(t).toBe('runs on');
  await inc.getByRole('combobox').selectOption('');

  // History says how much it shows and loads more.
  const shown = detail.getByTestId('history-shown');
  const history = await app.service.call('ciHistory', { key: HUB, limit: 1 });
  if (!history.ok) throw new Error(history.error.message);
  const all = history.value.total;
  await expect(shown).toHaveText(`Showing 100 of ${all}`);
  await expect(detail.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(100);
  await detail.getByRole('button', { name: 'Load 100 more' }).click();
  await expect(shown).toHaveText(`Showing 200 of ${all}`);
  await expect(detail.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(200);

  await list.evaluate((el) => (el.scrollTop = 0));
  await detail.getByRole('region', { name: 'Pointed at by' }).scrollIntoViewIfNeeded();
  for (const [w, h] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await inc.scrollIntoViewIfNeeded();
    await snap(page, `ci-detail-hub-${w}x${h}`);
  }
  expect(await countOf(page, 'outgoing')).toMatch(/^\d+$/);
});

test('facets: "All N values…" opens every value, searchable, and any one filters the table', async ({ page, app }) => {
  await app.open();
  const owner = page.getByRole('region', { name: 'Filter by Owner' });
  const more = owner.getByRole('button', { name: /^All \d+ values…$/ });
  await expect(more).toHaveText('All 21 values…');
  // Twelve shown; a value beyond them is only in the full list.
  await expect(owner.getByRole('listitem')).toHaveCount(12);
  await expect(owner).not.toContainText('team-merch');
  await more.click();
  const dlg = page.getByRole('dialog', { name: 'Owner: all values' });
  await expect(dlg.getByTestId('facet-values-total')).toHaveText('21 values');
  await dlg.getByRole('searchbox').fill('MERCH');
  await expect(dlg.getByTestId('facet-values-total')).toHaveText('1 value containing “MERCH”');
  const value = dlg.getByRole('button', { name: /^Owner: team-merch \((\d+)\)$/ });
  const count = Number(/\((\d+)\)/.exec((await value.getAttribute('aria-label'))!)![1]);
  await value.click();
  await expect(value).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('table-total')).toHaveText(`${count} of 533`);
  // Chosen from the full list, it shows in the facet with its count.
  await expect(owner.getByRole('button', { name: `Owner: team-merch (${count})` })).toHaveAttribute('aria-pressed', 'true');
  for (const [w, h] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await snap(page, `facet-values-${w}x${h}`);
  }
  await dlg.getByRole('button', { name: 'Done' }).click();
  await expect(dlg).toBeHidden();
  await expect(page.getByRole('button', { name: 'Remove filter owner team-merch' })).toBeVisible();
});
