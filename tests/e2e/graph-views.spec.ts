/**
 * Saved views as a person uses them: a view reopens with every setting the
 * toolbar draws with (cap and siblings too); the list renames a view with
 * the save's checks in plain words; deleting asks first, naming the view; a
 * name that is taken offers to replace that view, with no error code; a view
 * whose centre was deleted since says so instead of drawing nothing.
 */
import type { Page } from '@playwright/test';
import { expect, snap, test, type AppHandle } from './fixtures.js';

const SPEC = { center: 'bs-checkout', direction: 'upstream' as const, depth: 2 };

async function saveThroughEngine(app: AppHandle, name: string, spec: object = SPEC): Promise<void> {
  const r = await app.service.call('saveView', { name, spec });
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

async function viewNames(app: AppHandle): Promise<string[]> {
  const r = await app.service.call('listViews', {});
  return r.ok ? r.value.views.map((v) => v.name) : [];
}

/** Opens the saved-views menu on a drawn graph. */
async function openList(page: Page, app: AppHandle, hash = '#/graph?ci=app-checkout-api&depth=1'): Promise<void> {
  await app.open(hash);
  await app.graphReady();
  await page.getByLabel('Saved views').click();
  await expect(page.getByRole('group', { name: 'Save or open a view' })).toBeVisible();
}

test('saved views: a view reopens with its cap and with siblings shown', async ({ page, app }) => {
  await openList(page, app, '#/graph?ci=bs-checkout&depth=3&dir=upstream&max=100&group=0&layout=force');
  await page.getByLabel('View name').fill('Capped checkout');
  await page.getByRole('button', { name: 'Save current view' }).click();
  await expect(page.getByRole('button', { name: 'Open view Capped checkout' })).toBeVisible();
  await page.getByLabel('Saved views').click();

  await app.open('#/graph?ci=app-checkout-api&depth=1');
  const other = await app.graphReady();
  await expect(page.getByLabel('Maximum nodes drawn')).toHaveValue('500');
  await page.getByLabel('Saved views').click();
  await page.getByRole('button', { name: 'Open view Capped checkout' }).click();
  await expect(page).toHaveURL(/ci=bs-checkout/);
  await app.graphReady(other.seq + 1);
  await expect(page.getByLabel('Maximum nodes drawn')).toHaveValue('100');
  await expect(page.getByLabel('Group large sibling sets')).not.toBeChecked();
  await expect(page.getByRole('button', { name: 'Force' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Depth')).toHaveValue('3');
});

test('saved views: rename in the list, refused in plain words when empty, too long or taken', async ({ page, app }) => {
  await saveThroughEngine(app, 'Checkout');
  await saveThroughEngine(app, 'Payments');
  await openList(page, app);
  await page.getByRole('button', { name: 'Rename view Checkout' }).click();
  const input = page.getByLabel('New name for view Checkout');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('Checkout');

  await input.fill('   ');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Give the view a name.');
  await input.fill('x'.repeat(201));
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText("A view's name can be at most 200 characters; this one has 201.");
  await input.fill('Payments');
  await input.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('A saved view is already named “Payments”. Choose another name.');
  await expect(page.getByText('CONFLICT')).toHaveCount(0);
  expect(await viewNames(app)).toEqual(['Checkout', 'Payments']);

  // Escape leaves the rename, not the menu.
  await input.press('Escape');
  await expect(input).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Save or open a view' })).toBeVisible();

  await page.getByRole('button', { name: 'Rename view Checkout' }).click();
  await page.getByLabel('New name for view Checkout').fill('Checkout for the CAB');
  await page.getByLabel('New name for view Checkout').press('Enter');
  await expect(page.getByRole('button', { name: 'Open view Checkout for the CAB' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open view Checkout', exact: true })).toHaveCount(0);
  expect(await viewNames(app)).toEqual(['Checkout for the CAB', 'Payments']);
});

test('saved views: delete asks first, naming the view; Keep keeps it', async ({ page, app }) => {
  await saveThroughEngine(app, 'Checkout');
  await saveThroughEngine(app, 'Payments');
  await openList(page, app);
  await page.getByRole('button', { name: 'Delete view Checkout' }).click();
  const confirm = page.getByRole('group', { name: 'Delete view Checkout?' });
  await expect(confirm).toContainText('Delete the saved view “Checkout”?');
  expect(await viewNames(app)).toEqual(['Checkout', 'Payments']);
  await confirm.getByRole('button', { name: 'Keep' }).click();
  await expect(confirm).toHaveCount(0);
  expect(await viewNames(app)).toEqual(['Checkout', 'Payments']);

  await page.getByRole('button', { name: 'Delete view Checkout' }).click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open view Checkout' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open view Payments' })).toBeVisible();
  expect(await viewNames(app)).toEqual(['Payments']);
});

test('saved views: a name that is taken offers to replace that view, in plain words', async ({ page, app }) => {
  await saveThroughEngine(app, 'Checkout', { ...SPEC, depth: 1 });
  await openList(page, app, '#/graph?ci=bs-checkout&depth=4&dir=upstream');
  await page.getByLabel('View name').fill('Checkout ');
  await page.getByRole('button', { name: 'Save current view' }).click();
  const offer = page.getByRole('alert');
  await expect(offer).toContainText('A saved view is already named “Checkout”. Replace it with this view, or type another name.');
  await expect(page.getByText(/CONFLICT|pass replace|Pick another key/)).toHaveCount(0);
  const before = await app.service.call('listViews', {});
  expect(before.ok && before.value.views[0]!.spec.depth).toBe(1);
  await offer.getByRole('button', { name: 'Replace “Checkout”' }).click();
  await expect(offer).toHaveCount(0);
  await expect(page.getByLabel('View name')).toHaveValue('');
  const after = await app.service.call('listViews', {});
  expect(after.ok && after.value.views.map((v) => [v.name, v.spec.depth])).toEqual([['Checkout', 4]]);

  // An empty name says so, rather than a button that does nothing.
  await page.getByRole('button', { name: 'Save current view' }).click();
  await expect(page.getByRole('alert')).toHaveText('Give the view a name.');
});

test('saved views: a view whose centre was deleted since says so and stays on the graph drawn', async ({ page, app }) => {
  expect((await app.service.call('createCi', { key: 'tmp-view-centre', fields: { type: 'application', name: 'Short-lived' } })).ok).toBe(
    true,
  );
  await saveThroughEngine(app, 'Short-lived view', { ...SPEC, center: 'tmp-view-centre' });
  await saveThroughEngine(app, 'Checkout');
  expect((await app.service.call('deleteCi', { key: 'tmp-view-centre' })).ok).toBe(true);
  await openList(page, app);
  const row = page.getByRole('button', { name: 'Open view Short-lived view' });
  await expect(row).toContainText('tmp-view-centre (deleted)');
  await row.click();
  await expect(page.getByRole('alert')).toContainText(
    '“Short-lived view” is centred on tmp-view-centre, which is no longer in the CMDB (deleted since the view was saved)',
  );
  await expect(page).toHaveURL(/ci=app-checkout-api/);
  await expect(page.getByText('The neighbourhood could not be drawn')).toHaveCount(0);
});

test('saved views: the list with rename and delete at 1024×700', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await saveThroughEngine(app, 'Checkout dependencies');
  await saveThroughEngine(app, 'Orders database, depended on by', { center: 'db-orders-primary', direction: 'downstream', depth: 3 });
  await saveThroughEngine(app, 'Payments');
  await openList(page, app);
  await page.getByRole('button', { name: 'Rename view Checkout dependencies' }).click();
  await page.getByLabel('New name for view Checkout dependencies').fill('Checkout dependencies for the CAB');
  await page.getByRole('button', { name: 'Delete view Payments' }).click();
  await expect(page.getByRole('group', { name: 'Delete view Payments?' })).toBeVisible();
  const menu = (await page.getByRole('group', { name: 'Save or open a view' }).boundingBox())!;
  // The whole menu is on screen at this size, and nothing in it needs a scroll.
  expect(menu.y + menu.height).toBeLessThanOrEqual(700);
  expect(menu.x + menu.width).toBeLessThanOrEqual(1024);
  const scroll = await page
    .getByRole('group', { name: 'Save or open a view' })
    .evaluate((el: { scrollHeight: number; clientHeight: number }) => el.scrollHeight - el.clientHeight);
  expect(scroll).toBeLessThanOrEqual(1);
  await snap(page, 'graph-saved-views-list');
  if (process.env.CMDB_SAVED_VIEWS_SHOT) await page.screenshot({ path: process.env.CMDB_SAVED_VIEWS_SHOT });
});
