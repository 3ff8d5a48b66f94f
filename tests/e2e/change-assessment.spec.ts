import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, snap, test } from './fixtures.js';

// A desktop-sized window, as a change advisory board would see the screen.
test.use({ viewport: { width: 1440, height: 900 } });

async function addCi(page: Page, query: string, key: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Add a changed CI' }).fill(query);
  await page.getByRole('listbox', { name: 'Matching CIs' }).getByRole('option').filter({ hasText: key }).first().click();
  await expect(page.getByRole('list', { name: 'Changed CIs' })).toContainText(key);
}

async function exportAs(page: Page, label: string): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: 'Export the report' }).getByRole('button', { name: label, exact: true }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('change: save an assessment, reopen it after the CMDB changed (showing what differs), export the report', async ({ page, app }) => {
  await app.open('#/impact');
  await addCi(page, 'Edge load balancer 01', 'lb-edge-prod-01');
  await expect(page.getByTestId('impact-services').locator('[data-key="bs-checkout"]')).toContainText('degraded');

  // Save it as a change with a reference, a title, a planned window and a description.
  await page.getByRole('button', { name: 'Save as change…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a change' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reference').fill('CHG0042001');
  await dialog.getByLabel('Title').fill('Firmware upgrade of edge load balancer 01');
  await dialog.getByLabel('Planned start').fill('2026-12-05T22:00');
  await dialog.getByLabel('Planned end').fill('2026-12-06T01:30');
  await dialog.getByLabel('Description').fill('Vendor firmware 17.2; traffic drains to lb-edge-prod-02 during the reboot.');
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await expect(dialog).toBeHidden();
  const saved = page.getByRole('region', { name: 'Saved changes' });
  await expect(saved).toContainText('CHG0042001');
  await expect(saved).toContainText('2026-12-05 22:00 to 2026-12-06 01:30');
  const inDb = await app.service.call('listChanges', {});
  if (!inDb.ok) throw new Error('listChanges failed');
  expect(inDb.value.items.map((c) => [c.ref, c.keys])).toEqual([['CHG0042001', ['lb-edge-prod-01']]]);
  // Wall-clock times with the zone they are in.
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  expect(inDb.value.items[0]!.window).toBe(`2026-12-05 22:00 to 2026-12-06 01:30 (${zone})`);

  // The CMDB changes: the other load balancer of the pair is retired (deleted), so checkout now goes down.
  const del = await app.service.call('deleteCi', { key: 'lb-edge-prod-02' });
  expect(del.ok).toBe(true);
  const now = await app.service.call('getChange', { ref: 'CHG0042001' });
  if (!now.ok) throw new Error('getChange failed');
  expect(now.value.diff.changed).toBe(true);
  expect(now.value.diff.stateChanged.some((s) => s.key === 'bs-checkout' && s.from === 'degraded' && s.to === 'down')).toBe(true);

  // Reopen from a fresh page: the list, then the change, with what differs.
  await app.open('#/impact');
  // The page keeps the CIs of the change being worked on; Clear empties the list.
  await expect(page.getByRole('button', { name: 'Remove lb-edge-prod-01' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByRole('button', { name: 'Remove lb-edge-prod-01' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Reopen CHG0042001' }).click();
  const diff = page.getByRole('status', { name: 'Since saved' });
  await expect(diff).toContainText('The CMDB changed since CHG0042001 was saved');
  await expect(diff.getByTestId('diff-state').getByRole('button', { name: 'Checkout', exact: true })).toHaveAttribute(
    'title',
    'bs-checkout',
  );
  await expect(diff.getByTestId('diff-state')).toContainText('degraded → down');
  // Checkout going down raises the change's risk, and the reopened change says so.
  const riskWords = (level: string) => (level === 'none' ? 'No risk' : `${level} risk`);
  expect(now.value.diff.riskTo).not.toBe(now.value.diff.riskFrom);
  await expect(diff).toContainText(`Risk: ${riskWords(now.value.diff.riskFrom)} → ${riskWords(now.value.diff.riskTo)}`);
  await expect(page.getByRole('list', { name: 'Changed CIs' })).toContainText('lb-edge-prod-01');
  await expect(page.getByTestId('impact-services').locator('[data-key="bs-checkout"]')).toContainText('down');
  await page.getByTestId('impact-services').locator('[data-key="bs-checkout"]').click();
  await expect(page.getByLabel('Explanation path')).toContainText('Why Checkout is down');
  await snap(page, 'change-reopened');
  // The CMDB changes again while the change is open: what it says since it was saved follows the numbers under it.
  const created = await app.service.call('createCi', { key: 'app-new-edge', fields: { type: 'application', name: 'New Edge App' } });
  expect(created.ok).toBe(true);
  const related = await app.service.call('createRelationship', { source: 'app-new-edge', target: 'lb-edge-prod-01', type: 'depends_on' });
  expect(related.ok).toBe(true);
  // Read again on the way back from another screen (found by a tester: the counts moved, the banner did not).
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Browse', exact: true }).click();
  await nav.getByRole('button', { name: 'Impact', exact: true }).click();
  await expect(diff.getByTestId('diff-added')).toContainText('New Edge App');

  // Export: each format downloads the report as the engine writes it.
  const md = await exportAs(page, 'Markdown');
  expect(md.name).toMatch(/CHG0042001.*\.md$/);
  expect(md.text).toContain('CHG0042001');
  expect(md.text).toContain('Firmware upgrade of edge load balancer 01');
  expect(md.text).toContain('bs-checkout');
  const html = await exportAs(page, 'Printable HTML');
  expect(html.name).toMatch(/\.html$/);
  expect(html.text).toMatch(/<html/i);
  expect(html.text).toContain('Firmware upgrade of edge load balancer 01');
  const csv = await exportAs(page, 'CSV');
  expect(csv.name).toMatch(/\.csv$/);
  expect(csv.text.split(/\r?\n/).some((l) => l.includes('bs-checkout') && l.includes('down'))).toBe(true);
  const json = await exportAs(page, 'JSON');
  const parsed = JSON.parse(json.text) as Record<string, unknown>;
  expect(JSON.stringify(parsed)).toContain('CHG0042001');
  // The same content as the API gives (the report is re-evaluated now, so timestamps may differ: compare the CSV).
  const apiCsv = await app.service.call('exportChange', { ref: 'CHG0042001', format: 'csv' });
  if (!apiCsv.ok) throw new Error('exportChange failed');
  expect(csv.text).toBe(apiCsv.value.content);

  // Delete it (asks first).
  await page.getByRole('button', { name: 'Delete CHG0042001' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the saved change?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Delete change' }).click();
  await expect(confirm).toBeHidden();
  await expect(saved).toContainText('No change saved yet');
  const left = await app.service.call('listChanges', {});
  expect(left.ok && left.value.total).toBe(0);

  // Show the printable report itself, as a change advisory board would see it.
  await page.setContent(html.text);
  await snap(page, 'change-report');
});

test('change: reopened with the same CIs in the same states says so, and that a group has fewer spares (found by a change manager)', async ({
  page,
  app,
}) => {
  const must = (r: { ok: boolean }) => expect(r.ok).toBe(true);
  for (const key of ['esx-t1', 'esx-t2', 'esx-t3', 'cl-t'])
    must(await app.service.call('createCi', { key, fields: { type: 'server', name: key } }));
  for (const h of ['esx-t1', 'esx-t2', 'esx-t3'])
    must(await app.service.call('createRelationship', { source: 'cl-t', target: h, type: 'depends_on', redundancyGroup: 'hosts-t' }));
  must(await app.service.call('saveChange', { ref: 'CHG-ESX', title: 'Firmware ESX host 1', keys: ['esx-t1'] }));
  // A member retired since: the cluster is degraded as before, on one host left instead of two.
  must(await app.service.call('updateCi', { key: 'esx-t2', fields: { status: 'retired' } }));
  await app.open('#/impact');
  await page.getByRole('button', { name: 'Reopen CHG-ESX' }).click();
  const diff = page.getByRole('status', { name: 'Since saved' });
  await expect(diff).toContainText('Reopened CHG-ESX: the same CIs are impacted, in the same states, as when it was saved');
  await expect(diff.getByTestId('diff-not-running')).toHaveText(
    'Redundancy group members already down by their status: 0 when saved, 1 now (a group may have fewer spares left).',
  );
});

test('change: a reopened change names the other saved changes on the same CIs, with their windows, one click from each (found by a change manager)', async ({
  page,
  app,
}) => {
  const must = (r: { ok: boolean }) => expect(r.ok).toBe(true);
  must(
    await app.service.call('saveChange', {
      ref: 'CHG-DB',
      title: 'Orders DB patch',
      window: 'Tue 01:00-04:00',
      keys: ['db-orders-primary'],
    }),
  );
  must(
    await app.service.call('saveChange', {
      ref: 'CHG-APP',
      title: 'Order service release',
      window: 'Tue 02:00-03:00',
      keys: ['app-order-service'],
    }),
  );
  await app.open('#/impact');
  await page.getByRole('button', { name: 'Reopen CHG-DB' }).click();
  const others = page.getByRole('note', { name: 'Other saved changes on the same CIs' });
  await expect(others).toContainText('Other saved changes on the same CIs (compare their windows):');
  // Its CIs by name, as the report names them (the app said keys alone; found by a CAB chair).
  await expect(others).toContainText(
    'CHG-APP "Order service release" (window Tue 02:00-03:00): it changes Order Service, which this change changes or impacts',
  );
  await snap(page, 'change-other-changes');
  // A depth chosen on screen: the notes answer the saved choices, so they are set aside, said so, and one click
  // brings the saved choices back with them (they used to vanish without a word).
  await page.getByRole('combobox', { name: 'Depth' }).selectOption('1');
  const notSaved = page.getByRole('status', { name: 'Not as saved' });
  await expect(notSaved).toContainText('Shown with other choices than CHG-DB was saved with: depth 1 (saved with any depth).');
  await expect(notSaved).toContainText(
    'Its notes (what changed since it was saved, other saved changes on its CIs) answer the saved choices.',
  );
  await expect(others).toBeHidden();
  await snap(page, 'change-not-as-saved');
  await notSaved.getByRole('button', { name: 'go back to the saved choices' }).click();
  await expect(page.getByRole('combobox', { name: 'Depth' })).toHaveValue('');
  await expect(others).toContainText('CHG-APP "Order service release"');
  await expect(notSaved).toBeHidden();
  // One click opens the other, which names this one the other way round.
  await others.getByRole('button', { name: 'CHG-APP' }).click();
  await expect(others).toContainText(
    'CHG-DB "Orders DB patch" (window Tue 01:00-04:00): it impacts Order Service, which this change changes',
  );
});

test('change: a key merged away follows the merge in the draft, said so; the saved change was renamed by the engine', async ({
  page,
  app,
}) => {
  const call = async (method: 'mergeCis' | 'saveChange', req: unknown) => {
    const r = await app.service.call(method, req as never);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  };
  await call('saveChange', { ref: 'CHG0042002', title: 'Reboot edge load balancer 02', keys: ['lb-edge-prod-02'] });
  await app.open('#/impact');
  await addCi(page, 'Edge load balancer 02', 'lb-edge-prod-02');
  await expect(page.getByTestId('impact-services').locator('[data-key="bs-checkout"]')).toContainText('degraded');

  // Health merges the second load balancer into the first; the draft kept for the tab still names the merged key.
  await call('mergeCis', { keep: 'lb-edge-prod-01', merge: 'lb-edge-prod-02' });
  await page.reload();
  const notice = page.getByRole('status', { name: 'Merged CIs' });
  await expect(notice).toHaveText(/lb-edge-prod-02 was merged into lb-edge-prod-01 \(merge #\d+\): the change now names lb-edge-prod-01\./);
  const changed = page.getByRole('list', { name: 'Changed CIs' });
  await expect(changed.getByRole('listitem')).toHaveCount(1);
  await expect(changed).toContainText('lb-edge-prod-01');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('impact-services').locator('[data-key="bs-checkout"]')).toBeVisible();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // The engine renamed the saved change itself: reopened, it names the CI kept, with nothing to follow.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('button', { name: 'Reopen CHG0042002' }).click();
  await expect(changed).toContainText('lb-edge-prod-01');
  await expect(page.getByRole('status', { name: 'Since saved' })).toBeVisible();
  await expect(notice).toHaveCount(0);
});

test('change: a changed CI deleted since it was added is marked in the list and removed in one click', async ({ page, app }) => {
  await app.open('#/impact');
  await addCi(page, 'Edge load balancer 01', 'lb-edge-prod-01');
  await addCi(page, 'Edge load balancer 02', 'lb-edge-prod-02');
  await expect(page.getByTestId('count-changed')).toHaveText('2');
  const del = await app.service.call('deleteCi', { key: 'lb-edge-prod-02' });
  expect(del.ok).toBe(true);
  await page.reload();
  const changed = page.getByRole('list', { name: 'Changed CIs' });
  await expect(page.getByRole('alert')).toContainText('No CI with key "lb-edge-prod-02"');
  await expect(changed.locator('li.missing')).toHaveCount(1);
  await expect(changed.locator('li.missing')).toContainText('lb-edge-prod-02 · no CI has this key');
  // No "add the CIs the change touches" prompt while the change lists CIs.
  await expect(page.getByRole('heading', { name: 'Which CIs does the change take down?' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Remove lb-edge-prod-02 from the change' }).click();
  await expect(changed.getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('count-changed')).toHaveText('1');
});

test('change: a reopened change and the analysis options survive a look at Browse and back; Save updates that change', async ({
  page,
  app,
}) => {
  const saved = await app.service.call('saveChange', {
    ref: 'CHG0042004',
    title: 'Patch the orders database',
    keys: ['db-orders-primary'],
  });
  expect(saved.ok).toBe(true);
  await app.open('#/impact');
  await page.getByRole('button', { name: 'Reopen CHG0042004' }).click();
  await expect(page.getByLabel('Open change', { exact: true })).toContainText('CHG0042004');
  await page.getByRole('combobox', { name: 'Depth' }).selectOption('2');
  await expect(page.getByTestId('count-changed')).toHaveText('1');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Browse', exact: true }).click();
  await expect(page.getByTestId('table-total')).toHaveText(/of 533/);
  await nav.getByRole('button', { name: 'Impact', exact: true }).click();
  await expect(page.getByLabel('Open change', { exact: true })).toContainText('CHG0042004');
  await expect(page.getByRole('combobox', { name: 'Depth' })).toHaveValue('2');
  await expect(page.getByRole('button', { name: 'Save CHG0042004…' })).toBeEnabled();
  await page.getByRole('button', { name: 'Save CHG0042004…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a change' });
  await expect(dialog.getByLabel('Reference')).toHaveValue('CHG0042004');
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await expect(dialog).toBeHidden();
  const all = await app.service.call('listChanges', {});
  if (!all.ok) throw new Error('listChanges failed');
  expect(all.value.items.map((c) => [c.ref, c.depth])).toEqual([['CHG0042004', 2]]);
});

test('change: saved again from the dialog, a window the date inputs cannot show is kept, said so, and can be cleared (found by a tester)', async ({
  page,
  app,
}) => {
  const window = '2026-12-08 22:00-23:30 UTC';
  expect((await app.service.call('saveChange', { ref: 'CHG1001', title: 'Patch node 1', window, keys: ['db-orders-primary'] })).ok).toBe(
    true,
  );
  await app.open('#/impact');
  await page.getByRole('button', { name: 'Reopen CHG1001' }).click();
  await page.getByRole('button', { name: 'Save CHG1001…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a change' });
  await expect(dialog.getByTestId('saved-window')).toContainText(
    `Planned window as saved: ${window}. It is kept unless you set a start or an end.`,
  );
  await snap(page, 'change-save-kept-window');
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await expect(dialog).toBeHidden();
  const windowOf = async () => {
    const r = await app.service.call('getChange', { ref: 'CHG1001', limit: 0 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.change.window;
  };
  expect(await windowOf()).toBe(window);
  // Cleared on purpose: saved without one.
  await page.getByRole('button', { name: 'Save CHG1001…' }).click();
  await dialog.getByRole('button', { name: 'Clear it' }).click();
  await expect(dialog.getByTestId('saved-window')).toBeHidden();
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await expect(dialog).toBeHidden();
  expect(await windowOf()).toBeNull();
});

test('change: Save as change says what is missing while it cannot save', async ({ page, app }) => {
  await app.open('#/impact');
  await addCi(page, 'Edge load balancer 01', 'lb-edge-prod-01');
  await page.getByRole('button', { name: 'Save as change…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a change' });
  const save = dialog.getByRole('button', { name: 'Save change' });
  await expect(save).toBeDisabled();
  await expect(dialog).toContainText('Give a reference (your change ticket) to save.');
  await dialog.getByLabel('Reference').fill('CHG0042005');
  await dialog.getByLabel('Title').fill('');
  await expect(dialog).toContainText('Give a title to save.');
  await dialog.getByLabel('Title').fill('Firmware upgrade');
  await expect(save).toBeEnabled();
  await expect(dialog.getByTestId('save-change-missing')).toHaveCount(0);
});

test('change: Enter pressed twice (or two submits at once) in Save as change saves it once', async ({ page, app }) => {
  let saves = 0;
  // The answer comes late, so the second Enter lands while the first is saving.
  await page.route('**/api/saveChange', async (route) => {
    saves++;
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await app.open('#/impact');
  await addCi(page, 'Edge load balancer 01', 'lb-edge-prod-01');
  await page.getByRole('button', { name: 'Save as change…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a change' });
  await dialog.getByLabel('Reference').fill('CHG0042006');
  await dialog.getByLabel('Title').fill('Firmware upgrade');
  await dialog.getByLabel('Title').press('Enter');
  await dialog.getByLabel('Title').press('Enter');
  // And two submits in one go, before the dialog can redraw its Save button disabled.
  await dialog.locator('form').evaluate((f) => {
    const form = f as unknown as { requestSubmit(): void };
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Saved changes' })).toContainText('CHG0042006');
  expect(saves).toBe(1);
});

test('long text: a long change reference and a CI with a 200-character name, key and owner leave every control in view', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const key = `srv-${'k'.repeat(196)}`;
  const made = await app.service.call('createCi', {
    key,
    fields: { type: 'server', name: 'N'.repeat(200), owner: 'O'.repeat(200), attributes: { ['a'.repeat(120)]: 'v'.repeat(200) } },
  });
  expect(made.ok).toBe(true);
  const ref = `CHG0012345-ORDERSDB-FAILOVER-Q4-2026-${'X'.repeat(160)}`;
  const saved = await app.service.call('saveChange', { ref, title: 'Orders DB failover', keys: ['lb-edge-prod-01'] });
  expect(saved.ok).toBe(true);
  /** The element's box lies within `within`'s (and the window's) left and right edges. */
  const inside = async (what: string, el: ReturnType<Page['locator']>, within: ReturnType<Page['locator']>) => {
    const [a, b] = [await el.boundingBox(), await within.boundingBox()];
    expect(a && b, what).toBeTruthy();
    expect([what, a!.x >= b!.x - 1 && a!.x + a!.width <= Math.min(b!.x + b!.width, 1280) + 1]).toEqual([what, true]);
  };

  // The Impact screen's change panel: the save button, the remove and clear controls stay in the pane.
  await app.open('#/impact');
  await page.getByRole('button', { name: `Reopen ${ref}` }).click();
  const side = page.getByRole('complementary', { name: 'Change' });
  await expect(page.getByRole('button', { name: 'Remove lb-edge-prod-01' })).toBeVisible();
  await inside('save button', page.getByRole('button', { name: /^Save CHG0012345/ }), side);
  await inside('remove button', page.getByRole('button', { name: 'Remove lb-edge-prod-01' }), side);
  await inside('the saved change', page.getByRole('button', { name: `Reopen ${ref}` }), side);
  await snap(page, 'impact-long-change-ref');

  // The CI detail: its close, edit and delete buttons stay in the pane; the name and key wrap.
  await app.open(`#/browse?ci=${encodeURIComponent(key)}`);
  const detail = page.getByTestId('ci-detail');
  await expect(detail).toContainText('N'.repeat(40));
  for (const name of ['Close detail', 'Edit CI', 'Delete CI', 'Add relationship'])
    await inside(name, detail.getByRole('button', { name }).first(), detail);
  await snap(page, 'ci-detail-long-text');
});
