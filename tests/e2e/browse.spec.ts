import type { Locator, Page } from '@playwright/test';
import { expect, snap, test } from './fixtures.js';

/** A dialog above the detail (its Edit form) takes its own Escape: the form closes, the detail stays. */
async function expectDialogTakesEscape(page: Page, detail: Locator): Promise<void> {
  await detail.getByRole('button', { name: 'Edit CI' }).click();
  const form = page.getByRole('dialog');
  await expect(form).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(detail).toBeVisible();
}

test('search: / focuses the box, results appear as you type, arrows and Enter open a CI', async ({ page, app }) => {
  await app.open();
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search CIs' });
  await expect(box).toBeFocused();
  await box.pressSequentially('checkout api', { delay: 20 });
  const results = page.getByRole('listbox', { name: 'Search results' });
  await expect(results.getByRole('option').first()).toContainText('Checkout API');
  await snap(page, 'search');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Checkout API');
  await expect(page).toHaveURL(/ci=app-checkout-api/);
  // "Show all" filters the table by the query.
  await box.fill('checkout');
  // Wait for the answer to this query (the earlier one had 2 results), then pick "Show all".
  await expect(results.getByRole('option', { name: /Show all/ })).toBeVisible();
  await expect(results.getByRole('option', { name: /Show all/ })).not.toHaveText(/Show all 2 results/);
  await page.keyboard.press('End');
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByText('“checkout”')).toBeVisible();
  const total = page.getByTestId('table-total');
  await expect(total).toHaveText(/^\d+ of 533$/);
  const n = Number((await total.textContent())!.split(' ')[0]);
  expect(n).toBeGreaterThan(1);
  expect(n).toBeLessThan(533);
});

test('facets: counts, click to filter, chips to clear; sorting by column', async ({ page, app }) => {
  await app.open();
  const db = page.getByRole('button', { name: /^Type: Database \((\d+)\)$/ });
  const label = await db.getAttribute('aria-label');
  const count = Number(/\((\d+)\)/.exec(label!)![1]);
  expect(count).toBeGreaterThan(0);
  await db.click();
  await expect(db).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('table-total')).toHaveText(`${count} of 533`);
  // Every row is now a database.
  const rows = page.getByTestId('ci-table').getByRole('row');
  await expect(rows.first()).toContainText('Database');
  for (const t of await rows.locator('[role=gridcell]:nth-child(2)').allTextContents()) expect(t).toBe('Database');
  // A second facet narrows further; its counts follow the first.
  const prod = page.getByRole('button', { name: /^Environment: production \((\d+)\)$/ });
  const prodCount = Number(/\((\d+)\)/.exec((await prod.getAttribute('aria-label'))!)![1]);
  expect(prodCount).toBeLessThanOrEqual(count);
  await prod.click();
  await expect(page.getByTestId('table-total')).toHaveText(`${prodCount} of 533`);
  // Sort by name, descending: the first row is the last name alphabetically.
  await page.getByRole('button', { name: /^Sort by Name/ }).click();
  await page.getByRole('button', { name: /^Sort by Name, now ascending/ }).click();
  await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
  const names = await rows.locator('.name-cell > span:nth-child(2)').allTextContents();
  const sorted = [...names].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' }));
  expect(names.slice(0, 5)).toEqual(sorted.slice(0, 5));
  await snap(page, 'facets');
  await page.getByRole('button', { name: 'Remove filter type database' }).click();
  await expect(page.getByTestId('table-total')).toHaveText(/^\d+ of 533$/);
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await expect(page.getByTestId('table-total')).toHaveText('533 of 533');
});

test('table: virtualised, pages fetched as it scrolls, keyboard moves the selection', async ({ page, app }) => {
  await app.open();
  const table = page.getByTestId('ci-table');
  await expect(table.getByRole('row').first()).toContainText(/\w/);
  const drawn = await table.getByRole('row').count();
  expect(drawn).toBeLessThan(80); // 533 CIs, only the visible rows (plus overscan) exist
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.locator('[aria-rowindex="533"]')).toContainText(/\w/);
  await expect(table.locator('[aria-rowindex="533"] .skel')).toHaveCount(0);
  await table.evaluate((el) => (el.scrollTop = 0));
  await table.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('ci-detail').getByRole('heading', { level: 2 })).toBeVisible();
  const second = await table.locator('[aria-rowindex="2"] .name-cell > span:nth-child(2)').textContent();
  await expect(page.getByTestId('ci-detail').getByRole('heading', { level: 2 })).toHaveText(second!);
});

test('detail: fields, attributes, relationships both ways (clickable), history', async ({ page, app }) => {
  await app.open('#/browse?ci=app-checkout-api');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Checkout API');
  await expect(detail.getByRole('region', { name: 'Fields' })).toContainText('team-checkout');
  const out = detail.getByRole('region', { name: 'Depends on / points to' });
  const inc = detail.getByRole('region', { name: 'Pointed at by' });
  await expect(out.getByTestId('rels-count')).toHaveText('17');
  await expect(out.getByRole('button', { name: /^Open / }).first()).toBeVisible();
  expect(await inc.getByRole('listitem').count()).toBeGreaterThan(0);
  await expect(detail.getByRole('list', { name: 'History' })).toContainText(/Created|created/);
  await snap(page, 'detail');
  // Following a relationship opens the CI at the other end.
  const first = out.getByRole('button', { name: /^Open / }).first();
  const name = (await first.getAttribute('aria-label'))!.replace(/^Open /, '');
  await first.click();
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(detail.getByRole('region', { name: 'Pointed at by' })).toContainText('Checkout API');
  await page.goBack();
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Checkout API');
});

test("detail: the file's own words kept by the importer say what they are, and wrap at underscores (found by a new user)", async ({
  page,
  app,
}) => {
  const r = await app.service.call('importCsv', {
    cis: { name: 'inv.csv', content: 'id,name,type,criticality,status\nsrv-t1,Tier one,server,Tier 1,In Production\n' },
  });
  expect(r.ok).toBe(true);
  await app.open('#/browse?ci=srv-t1');
  const attrs = page.getByTestId('ci-detail').getByRole('region', { name: 'Attributes' });
  await expect(attrs).toContainText('Tier 1 (the file’s word)');
  const dt = attrs.locator('dt').filter({ hasText: 'criticality_source' });
  await expect(dt).toHaveAttribute('title', /^The criticality as the imported file wrote it/);
  // One line per word: a break after the underscore, not inside "source".
  const lines = await dt.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((x) => Math.round(x.top))).size;
  });
  expect(lines).toBeLessThanOrEqual(2);
  await expect(dt).toHaveText('criticality_source');
  await snap(page, 'detail-source-attributes');
});

test('edit: create, edit, relate, unrelate and delete a CI; each change in history', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'New CI' }).click();
  const dlg = page.getByRole('dialog', { name: 'New CI' });
  await dlg.getByLabel('Name').fill('Fraud Scoring');
  await dlg.getByLabel('Type').fill('application');
  await dlg.getByLabel('Key').fill('app-fraud-scoring');
  await dlg.getByLabel('Owner').fill('team-risk');
  await dlg.getByLabel('Attributes').fill('language = kotlin\nrepository = git@example:fraud.git');
  await dlg.getByRole('button', { name: 'Create CI' }).click();
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Fraud Scoring');
  await expect(page.getByTestId('stat-cis')).toHaveText('534');
  await expect(detail.getByRole('region', { name: 'Attributes' })).toContainText('kotlin');

  // A conflicting key is refused where it was typed, with what to do.
  await page.getByRole('button', { name: 'New CI' }).click();
  await dlg.getByLabel('Name').fill('Duplicate');
  await dlg.getByLabel('Type').fill('application');
  await dlg.getByLabel('Key').fill('app-fraud-scoring');
  await dlg.getByRole('button', { name: 'Create CI' }).click();
  await expect(dlg.getByRole('alert')).toContainText('already exists');
  await dlg.getByRole('button', { name: 'Cancel' }).click();

  await detail.getByRole('button', { name: 'Edit CI' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Fraud Scoring' });
  await edit.getByLabel('Owner').fill('team-payments');
  await edit.getByLabel('Criticality').fill('high');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByRole('region', { name: 'Fields' })).toContainText('team-payments');
  const history = detail.getByRole('list', { name: 'History' });
  await expect(history).toContainText('team-risk');
  await expect(history).toContainText('team-payments');

  // An edit opened before another window's save is refused, not written over it (found by a tester).
  await detail.getByRole('button', { name: 'Edit CI' }).click();
  await edit.getByLabel('Description').fill('Scores card payments for fraud (stale form)');
  expect((await app.service.call('updateCi', { key: 'app-fraud-scoring', fields: { owner: 'team-elsewhere' } })).ok).toBe(true);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('alert')).toContainText('was changed at');
  await expect(edit.getByRole('alert')).toContainText('Nothing was saved: reload it and make your edit again.');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  const kept = (await app.service.call('getCi', { key: 'app-fraud-scoring' })) as { ok: true; value: { ci: { owner: string } } };
  expect(kept.value.ci.owner).toBe('team-elsewhere');

  await detail.getByRole('button', { name: 'Add relationship' }).click();
  const rel = page.getByRole('dialog', { name: /Add a relationship/ });
  await rel.getByLabel('Relationship type').selectOption('depends_on');
  await rel.getByLabel('Other CI').fill('app-checkout-api');
  await rel.getByRole('button', { name: 'Add relationship' }).click();
  const out = detail.getByRole('region', { name: 'Depends on / points to' });
  await expect(out.getByRole('listitem')).toHaveCount(1);
  await expect(out).toContainText('Checkout API');
  await expect(history.getByRole('listitem')).toHaveCount(4);
  await snap(page, 'edit-history');

  await out.getByRole('button', { name: /Delete relationship/ }).click();
  const confirmRel = page.getByRole('dialog', { name: 'Delete this relationship?' });
  await confirmRel.getByRole('button', { name: 'Delete relationship' }).click();
  await expect(out.getByRole('listitem')).toHaveCount(0);
  await expect(history.getByRole('listitem')).toHaveCount(5);

  await detail.getByRole('button', { name: 'Delete CI' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Fraud Scoring?' });
  await expect(confirm).toContainText('recorded in history');
  // Cancelling keeps it.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Fraud Scoring');
  await detail.getByRole('button', { name: 'Delete CI' }).click();
  await confirm.getByRole('button', { name: 'Delete CI' }).click();
  await expect(page.getByTestId('ci-detail')).toHaveCount(0);
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  // The engine recorded the deletion too.
  const rows = app.service.db.prepare("SELECT action FROM history WHERE ci_key = 'app-fraud-scoring' ORDER BY id").all() as Array<{
    action: string;
  }>;
  expect(rows.map((r) => r.action)).toContain('delete');
});

test('search at 1024 px: results that share a long prefix show their whole name and key, so they can be told apart', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open();
  await page.keyboard.press('/');
  await page.keyboard.type('Accounts DB', { delay: 10 });
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option').filter({ hasText: 'Accounts DB (' });
  await expect(options).toHaveCount(4);
  const cut = await options.evaluateAll((els) =>
    els.flatMap((li) => [li, ...li.querySelectorAll('*')].filter((s) => s.scrollWidth > s.clientWidth).map((s) => s.textContent)),
  );
  expect(cut).toEqual([]);
  for (const key of ['db-accounts-primary', 'db-accounts-replica-01', 'db-accounts-dr', 'db-accounts-stg'])
    await expect(options.filter({ hasText: key })).toBeVisible();
  // The list stays inside the window.
  const box = await page.getByRole('listbox', { name: 'Search results' }).boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
  await snap(page, 'search-1024');
});

test('edit: Enter pressed twice in the New CI form creates the CI once', async ({ page, app }) => {
  let creates = 0;
  // The answer comes late, so the second Enter lands while the first is saving.
  await page.route('**/api/createCi', async (route) => {
    creates++;
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await app.open();
  await page.getByRole('button', { name: 'New CI' }).click();
  const dlg = page.getByRole('dialog', { name: 'New CI' });
  await dlg.getByLabel('Name').fill('Enter Twice');
  await dlg.getByLabel('Type').fill('application');
  await dlg.getByLabel('Name').press('Enter');
  await dlg.getByLabel('Name').press('Enter');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Enter Twice');
  await expect(page.getByTestId('stat-cis')).toHaveText('534');
  expect(creates).toBe(1);
});

test('edit: Add relationship takes the other CI by name, says which CI it names (or why none), submits on Enter', async ({ page, app }) => {
  await app.open('#/browse?ci=app-checkout-api');
  const detail = page.getByTestId('ci-detail');
  await detail.getByRole('button', { name: 'Add relationship' }).click();
  const rel = page.getByRole('dialog', { name: /Add a relationship/ });
  const other = rel.getByLabel('Other CI');
  const found = rel.getByTestId('rel-other-found');
  // A name two CIs share, and a name none has: the engine's own words, before anything is saved.
  await other.fill('Click & Collect');
  await expect(found).toContainText('"Click & Collect" is the name of 2 CIs');
  await other.fill('ordrs');
  await expect(found).toContainText('No CI has the key or name "ordrs"');
  await other.press('Enter');
  await expect(rel.getByRole('alert')).toContainText('No CI has the key or name "ordrs"');
  // A name one CI has: which CI that is, and the sentence it makes; Enter adds it.
  await other.fill('Orders DB (primary)');
  await expect(found).toContainText('Found by name: Orders DB (primary) · db-orders-primary');
  await expect(rel).toContainText('Reads: Checkout API depends on Orders DB (primary)');
  await other.press('Enter');
  await expect(rel).toBeHidden();
  await expect(detail.getByRole('region', { name: 'Depends on / points to' })).toContainText('Orders DB (primary)');
  const got = await app.service.call('getCi', { key: 'app-checkout-api', relLimit: 200 });
  if (!got.ok) throw new Error(got.error.message);
  expect(got.value.outgoing.filter((r) => r.target === 'db-orders-primary').map((r) => r.type)).toEqual(['depends_on']);

  // A redundancy group refused: the engine says what to do; nothing promises a highlighted value that is not there.
  await detail.getByRole('button', { name: 'Add relationship' }).click();
  await rel.getByLabel('Direction').selectOption('in');
  await rel.getByLabel('Relationship type').selectOption('uses');
  await other.fill('bs-checkout');
  await expect(found).toContainText('Checkout');
  await rel.getByLabel('Redundancy group').fill('edge-load-balancers');
  await rel.getByLabel('Redundancy group').press('Enter');
  const refused = rel.getByRole('alert');
  await expect(refused).toContainText('use another group name');
  await expect(refused).not.toContainText('highlighted');
});

test('filters at 1024 px with a CI open: every chip and New CI stay in view (the head wraps)', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/browse?q=accounts&ci=db-accounts-primary');
  await expect(page.getByTestId('ci-detail')).toBeVisible();
  for (const facet of [/^Type: Database \(/, /^Status: operational \(/, /^Environment: production \(/, /^Owner: team-dba \(/]) {
    await page.getByRole('button', { name: facet }).click();
    await expect(page.getByRole('button', { name: facet })).toHaveAttribute('aria-pressed', 'true');
  }
  const list = page.getByRole('region', { name: 'CI list' });
  const pane = (await list.boundingBox())!;
  for (const name of [
    'Clear search',
    // A type by its label, as its facet names it.
    'Remove filter type Database',
    'Remove filter status operational',
    'Remove filter environment production',
    'Remove filter owner team-dba',
    'New CI',
  ]) {
    const b = (await list.getByRole('button', { name, exact: true }).boundingBox())!;
    expect(b.x + b.width, name).toBeLessThanOrEqual(pane.x + pane.width);
  }
  await snap(page, 'browse-filters-1024');
});

test('filters pane: filtered down to a few values, it keeps its colour to its foot', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/browse?q=accounts');
  await page.getByRole('button', { name: /^Type: Database \(/ }).click();
  await expect(page.getByRole('button', { name: 'Remove filter type database' })).toBeVisible();
  const pane = (await page.getByRole('complementary', { name: 'Filters' }).boundingBox())!;
  const colours = await page.evaluate(
    ([x, y]) => {
      const paint = (el: Element | null): string => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)') return c;
        }
        return '';
      };
      return { foot: paint(document.elementFromPoint(x, y)), list: paint(document.querySelector('.facets')) };
    },
    [pane.x + pane.width / 2, pane.y + pane.height - 10] as const,
  );
  expect(colours.foot).toBe(colours.list);
});

test('detail: Escape closes it from the table or from its buttons, focus back on the row; not from a dialog or a field', async ({
  page,
  app,
}) => {
  // Found by a tester: Escape did nothing.
  await app.open();
  const table = page.getByTestId('ci-table');
  const detail = page.getByTestId('ci-detail');
  await expect(table.getByRole('row').first()).toContainText(/\w/);
  await table.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(detail).toBeVisible();
  // From the table.
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page).not.toHaveURL(/ci=/);
  await expect(table).toBeFocused();
  await expect(table).toHaveAttribute('aria-activedescendant', 'ci-row-1');
  // From a button in the detail: focus comes back to the table, at the row of the CI that was open.
  await page.keyboard.press('ArrowDown');
  const name = (await table.locator('[aria-rowindex="3"] .name-cell > span:nth-child(2)').textContent())!;
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(name);
  await detail.getByRole('button', { name: 'Add to change' }).focus();
  await snap(page, 'detail-before-escape');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(table).toBeFocused();
  await expect(table).toHaveAttribute('aria-activedescendant', 'ci-row-2');
  await expect(table.locator('#ci-row-2')).toHaveClass(/cursor/);
  await snap(page, 'detail-closed-by-escape');
  // The arrows go on from that row.
  await page.keyboard.press('ArrowDown');
  const next = (await table.locator('[aria-rowindex="4"] .name-cell > span:nth-child(2)').textContent())!;
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(next);
  await expectDialogTakesEscape(page, detail);
});

test('search: a CI opened from the search box is shown as one clicked in the table: its row selected and in view, Escape closes it', async ({
  page,
  app,
}) => {
  // Found by a tester: the detail opened, but its row was neither shown nor marked, and Escape did nothing.
  const rowOf = async (offset: number) => {
    const r = await app.service.call('listCis', { offset, limit: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.items[0]!;
  };
  const open = async (key: string) => {
    const box = page.getByRole('combobox', { name: 'Search CIs' });
    await box.fill(key);
    // The option with this very key (a key can be the start of another's).
    const results = page.getByRole('listbox', { name: 'Search results' });
    await results
      .getByRole('option')
      .filter({ has: page.locator('.mono', { hasText: new RegExp(`^${key}$`) }) })
      .click();
  };
  await app.open();
  const table = page.getByTestId('ci-table');
  const detail = page.getByTestId('ci-detail');
  await expect(table.getByRole('row').first()).toContainText(/\w/);

  // As a row clicked in the table does: Escape closes its detail.
  await table.getByRole('row').nth(3).click();
  await expect(detail).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // Row 71, loaded with the first page but below the fold: scrolled to, marked, and the cursor on it.
  const far = await rowOf(70);
  await open(far.key);
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(far.name);
  const row = table.locator('[aria-rowindex="71"]');
  await expect(row).toBeInViewport();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toContainText(far.name);
  await expect(table).toHaveAttribute('aria-activedescendant', 'ci-row-70');
  await snap(page, 'search-opened-row');
  // Escape with the focus nowhere (the search box let it go) closes the detail; focus on the table, at the row.
  await expect(page.locator('body')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page).not.toHaveURL(/ci=/);
  await expect(table).toBeFocused();
  await expect(table.locator('#ci-row-70')).toHaveClass(/cursor/);

  await open(far.key);
  await expectDialogTakesEscape(page, detail);
  await detail.getByRole('button', { name: 'Close detail' }).click();

  // Row 401, not loaded yet (found by a tester: most search hits are further down than the first page): the engine
  // says where it stands, the table goes there and its page comes; marked as row 71 was.
  await table.evaluate((el) => el.scrollTo({ top: 0 }));
  const unloaded = await rowOf(400);
  await open(unloaded.key);
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(unloaded.name);
  const far401 = table.locator('[aria-rowindex="401"]');
  await expect(far401).toBeInViewport();
  await expect(far401).toContainText(unloaded.name);
  await expect(far401).toHaveAttribute('aria-selected', 'true');
  await expect(table).toHaveAttribute('aria-activedescendant', 'ci-row-400');
  await snap(page, 'search-opened-unloaded-row');
  // Opened again after a scroll away: brought into view again (found by a reviewer: the same CI was not placed twice).
  await table.evaluate((el) => el.scrollTo({ top: 0 }));
  await open(unloaded.key);
  await expect(far401).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // Opened from another screen: placed once the table's first rows arrive.
  await app.open('#/health');
  await open(far.key);
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(far.name);
  await expect(row).toBeInViewport();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
});

test('skip link: the first Tab into Browse offers "Skip to the CI list", shown when focused, which focuses the table', async ({
  page,
  app,
}) => {
  // Found by a tester: about 55 Tab presses from the top to the table.
  await app.open();
  await expect(page.getByTestId('ci-table').getByRole('row').first()).toContainText(/\w/);
  const skip = page.getByRole('button', { name: 'Skip to the CI list' });
  // Before the filters in the order of Tab, and out of sight until focused.
  const before = await skip.evaluate((el) => {
    const filters = el.ownerDocument.querySelector('[aria-label=Filters]')!;
    return (el.compareDocumentPosition(filters) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  expect(before).toBe(true);
  expect((await skip.boundingBox())!.width).toBeLessThanOrEqual(1);
  // Tab from the last control of the top bar reaches it.
  await page.getByRole('combobox', { name: 'Search CIs' }).focus();
  for (let i = 0; i < 10 && !(await skip.evaluate((el) => el === el.ownerDocument.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  const box = (await skip.boundingBox())!;
  expect(box.width).toBeGreaterThan(100);
  expect(box.height).toBeGreaterThan(20);
  await snap(page, 'skip-link');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ci-table')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('ci-detail')).toBeVisible();
});

test('sorting by criticality reads by severity, both ways; the criticality facet in the same order', async ({ page, app }) => {
  // Found by a tester: critical, high, low, medium.
  await app.open();
  const table = page.getByTestId('ci-table');
  await expect(table.getByRole('row').first()).toContainText(/\w/);
  const crits = () => table.getByRole('row').locator('[role=gridcell]:nth-child(5)').allTextContents();
  const order = ['critical', 'high', 'medium', 'low'];
  // Order is ascending, rank by rank: never a step back up the scale (values off it and none come last).
  const steps = (vs: string[], scale: string[]) => vs.map((v) => (scale.includes(v) ? scale.indexOf(v) : scale.length));
  const isSorted = (ns: number[]) => ns.every((n, i) => i === 0 || ns[i - 1]! <= n);
  await page.getByRole('button', { name: /^Sort by Criticality/ }).click();
  await expect(page.getByRole('columnheader', { name: /Criticality/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await crits())[0]).toBe('critical');
  await snap(page, 'sort-criticality');
  const asc = await crits();
  expect(isSorted(steps(asc, order)), asc.join(',')).toBe(true);
  await page.getByRole('button', { name: /^Sort by Criticality, now ascending/ }).click();
  await expect.poll(async () => (await crits())[0]).toBe('low');
  const desc = await crits();
  expect(isSorted(steps(desc, [...order].reverse())), desc.join(',')).toBe(true);
  const facet = page.getByRole('region', { name: 'Filter by Criticality' }).getByRole('button');
  const values = (await facet.locator('.label').allTextContents()).filter((v) => order.includes(v));
  expect(values).toEqual(order.filter((v) => values.includes(v)));
  expect(values.length).toBeGreaterThan(2);
});

test('a bidi override in a CI name reorders nothing beside it: its key in the table and in the delete dialog (found by a security review)', async ({
  page,
  app,
}) => {
  // "abc<RLO>gpj.exe": the override would read "abcexe.jpg" and carry on into whatever follows the name.
  const made = await app.service.call('createCi', { key: 'rlo-01', fields: { name: 'abc\u202egpj.exe', type: 'server' } });
  expect(made.ok).toBe(true);
  await app.open('#/browse?ci=rlo-01');
  const cell = page.locator('.name-cell', { has: page.locator('.k', { hasText: 'rlo-01' }) });
  await expect(cell).toBeVisible();
  for (const part of ['.n', '.k']) await expect(cell.locator(part)).toHaveCSS('unicode-bidi', 'isolate');
  // The tooltip is plain text: the name is isolated in it (the key, which could reorder nothing, reads as typed).
  expect(await cell.getAttribute('title')).toBe('\u2068abc\u202egpj.exe\u2069 (rlo-01)');
  const detail = page.getByTestId('ci-detail');
  await detail.getByRole('button', { name: 'Delete CI' }).click();
  const dialog = page.getByRole('dialog');
  const name = dialog.locator('strong', { hasText: 'gpj.exe' });
  const key = dialog.locator('.mono', { hasText: 'rlo-01' });
  await expect(key).toBeVisible();
  await snap(page, 'bidi-delete-dialog');
  // The key reads after the name, left to right, as the sentence goes ("This deletes NAME (KEY) and its ...").
  const [n, k] = [(await name.boundingBox())!, (await key.boundingBox())!];
  expect(k.x).toBeGreaterThanOrEqual(n.x + n.width);
  await expect(dialog).toContainText('(rlo-01) and its 0 relationship(s)');
  // Its title too: the question mark ends the sentence, not the reversed name.
  expect(await dialog.locator('header').textContent()).toBe('Delete \u2068abc\u202egpj.exe\u2069?');
});
