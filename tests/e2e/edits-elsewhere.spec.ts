/**
 * Edits made elsewhere: the `cmdb` command or another connection writing to
 * the CMDB a page shows. The page says so ("changed elsewhere", with Reload)
 * and keeps what it shows until asked: the Graph is not drawn again, the
 * Impact screen keeps its change; its own edits and imports raise no notice.
 * A baseline saved by another program (a file beside the CMDB) is told too.
 * Tabs of one host share its connection: they tell each other, of edits
 * and of saved views (and change assessments and baselines) alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { CmdbService } from '../../electron/cmdb/service.js';
import { expect, snap, test, waitForReady } from './fixtures.js';
import type { PageGlobals } from './page-globals.js';

const cli = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli.js');
const notice = (page: Page) => page.getByRole('status', { name: 'CMDB changed elsewhere' });
/** The host looks every 2 s: long enough for a look to have been taken. */
const POLLS = 5_000;

/** Imports CIs with the `cmdb` command, as another program on the machine would. */
function cmdbImport(db: string, csv: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-e2e-cli-'));
  try {
    writeFileSync(join(dir, 'cis.csv'), csv);
    execFileSync('node', [cli, 'import', '--db', db, '--cis', join(dir, 'cis.csv')], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('edits elsewhere: `cmdb import` while Browse is shown raises the notice; Reload reads again; the page’s own import does not', async ({
  page,
  app,
}) => {
  await app.open('#/browse');
  await expect(page.getByTestId('stat-cis')).toHaveText('533');
  await expect(page.getByTestId('table-total')).toHaveText(/^533\b/);

  // The page's own import (the engine's own connection) is no news to it.
  const own = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const token = new URL(g.location.href).searchParams.get('token') ?? '';
    const body = JSON.stringify({ cis: { name: 'own.csv', content: 'id,name,type\nown-1,Own one,server\n' } });
    return (await g.fetch('/api/importCsv', { method: 'POST', headers: { 'X-CMDB-Token': token }, body })).json();
  });
  expect(own).toMatchObject({ ok: true });
  await page.waitForTimeout(POLLS);
  await expect(notice(page)).toHaveCount(0);

  cmdbImport(app.dbPath, 'id,name,type\ncli-1,Imported elsewhere one,server\ncli-2,Imported elsewhere two,server\n');
  await expect(notice(page)).toBeVisible({ timeout: POLLS + 5_000 });
  await expect(notice(page)).toContainText('The CMDB was changed elsewhere');
  await snap(page, 'edits-elsewhere-browse');
  // Nothing re-read unasked.
  await expect(page.getByTestId('stat-cis')).toHaveText('533');

  await notice(page).getByRole('button', { name: 'Reload' }).click();
  await expect(notice(page)).toHaveCount(0);
  await expect(page.getByTestId('stat-cis')).toHaveText('536');
  // The list itself read again, where it was.
  await expect(page.getByTestId('table-total')).toHaveText(/^536\b/);
  await expect(page).toHaveURL(/#\/browse$/);
});

test('edits elsewhere: the Graph is not drawn again and the Impact screen keeps its change until Reload, which runs the analysis again', async ({
  page,
  app,
}) => {
  const other = CmdbService.open(app.dbPath, { source: 'cli' });
  try {
    await app.open('#/graph?ci=db-orders-primary&depth=1');
    const drawn = await app.graphReady();
    const created = await other.call('createCi', { key: 'graph-elsewhere', fields: { name: 'Graph elsewhere', type: 'server' } });
    expect(created.ok).toBe(true);
    await expect(notice(page)).toBeVisible({ timeout: POLLS + 5_000 });
    const seq = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cmdbGraph!.seq);
    expect(seq).toBe(drawn.seq);
    await snap(page, 'edits-elsewhere-graph');
    await notice(page).getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice(page)).toHaveCount(0);

    await app.open('#/browse?ci=db-orders-primary');
    await page.getByRole('button', { name: 'Add to change' }).click();
    const down = page.getByTestId('count-down');
    await expect(down).toBeVisible();
    const before = Number(await down.textContent());
    // A new service on the database, written elsewhere, goes down with it.
    await other.call('createCi', { key: 'svc-elsewhere', fields: { name: 'Service elsewhere', type: 'application' } });
    const rel = await other.call('createRelationship', { source: 'svc-elsewhere', target: 'db-orders-primary', type: 'depends_on' });
    expect(rel.ok).toBe(true);
    await expect(notice(page)).toBeVisible({ timeout: POLLS + 5_000 });
    await expect(down).toHaveText(String(before));
    await snap(page, 'edits-elsewhere-impact');
    await notice(page).getByRole('button', { name: 'Reload' }).click();
    await expect(down).toHaveText(String(before + 1));
    await expect(page.getByRole('list', { name: 'Changed CIs' })).toContainText('db-orders-primary');
  } finally {
    other.close();
  }
});

test('edits elsewhere: another tab of the same host (one connection) is told of an edit made here; this tab is not', async ({
  page,
  app,
  context,
}) => {
  await app.open('#/browse');
  const other = await context.newPage();
  await other.goto(app.url + '#/graph?ci=db-orders-primary&depth=1');
  await waitForReady(other);

  await page.getByRole('button', { name: 'New CI' }).click();
  const dlg = page.getByRole('dialog', { name: 'New CI' });
  await dlg.getByLabel('Name').fill('Made in the first tab');
  await dlg.getByLabel('Type').fill('server');
  await dlg.getByRole('button', { name: 'Create CI' }).click();
  await expect(page.getByTestId('stat-cis')).toHaveText('534');

  await expect(notice(other)).toBeVisible();
  await expect(other.getByTestId('stat-cis')).toHaveText('533');
  await notice(other).getByRole('button', { name: 'Reload' }).click();
  await expect(other.getByTestId('stat-cis')).toHaveText('534');
  await page.waitForTimeout(POLLS);
  await expect(notice(page)).toHaveCount(0);
  await other.close();
});

test('edits elsewhere: a view saved or deleted in one tab is told to another tab, whose list has it after Reload', async ({
  page,
  app,
  context,
}) => {
  await app.open('#/graph?ci=bs-checkout&depth=2');
  await app.graphReady();
  const other = await context.newPage();
  await other.goto(app.url + '#/graph?ci=db-orders-primary&depth=1');
  await waitForReady(other);

  await page.getByLabel('Saved views').click();
  await page.getByLabel('View name').fill('Saved in the first tab');
  await page.getByRole('button', { name: 'Save current view' }).click();
  await expect(page.getByRole('button', { name: 'Open view Saved in the first tab' })).toBeVisible();

  await expect(notice(other)).toBeVisible();
  await notice(other).getByRole('button', { name: 'Reload' }).click();
  await other.getByLabel('Saved views').click();
  await expect(other.getByRole('button', { name: 'Open view Saved in the first tab' })).toBeVisible();
  await other.getByLabel('Saved views').click();
  await expect(notice(other)).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete view Saved in the first tab' }).click();
  // Deleting asks first.
  await page
    .getByRole('group', { name: 'Delete view Saved in the first tab?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(page.getByRole('button', { name: 'Open view Saved in the first tab' })).toHaveCount(0);
  await expect(notice(other)).toBeVisible();
  await expect(notice(page)).toHaveCount(0);
  await other.close();
});

test('edits elsewhere: a baseline saved by `cmdb baseline save` raises the notice, and the Compare screen lists it after Reload; its own save does not', async ({
  page,
  app,
}) => {
  await app.open('#/compare');
  const form = page.getByRole('form', { name: 'Save a baseline' });
  await form.getByLabel('Name').fill('saved-here');
  await form.getByRole('button', { name: 'Save baseline' }).click();
  const saved = page.getByRole('list', { name: 'Saved baselines' });
  await expect(saved.locator('[data-baseline="saved-here"]')).toBeVisible();
  await page.waitForTimeout(POLLS);
  await expect(notice(page)).toHaveCount(0);

  execFileSync('node', [cli, 'baseline', 'save', '--db', app.dbPath, 'saved-in-a-terminal'], { stdio: 'pipe' });
  await expect(notice(page)).toBeVisible({ timeout: POLLS + 5_000 });
  await expect(saved.locator('[data-baseline="saved-in-a-terminal"]')).toHaveCount(0);
  await notice(page).getByRole('button', { name: 'Reload' }).click();
  await expect(saved.locator('[data-baseline="saved-in-a-terminal"]')).toBeVisible();
  await expect(notice(page)).toHaveCount(0);
});
