/** The printable HTML report keeps to the page whatever the data holds: a long value without a space wraps in its cell. */
import { expect, snap, test } from './fixtures.js';

test('a printed report keeps to the page when a CI has a 20,000-character name (found by a tester)', async ({ page, app }) => {
  const name = 'N'.repeat(20_000);
  const imported = await app.service.call('importCsv', {
    cis: { name: 'long.csv', content: `id,name,type,owner\nsrv-long,${name},server,team-a\n` },
    relationships: { name: 'rels.csv', content: 'source,target,type\napp-checkout-api,srv-long,depends_on\n' },
  });
  expect(imported.ok).toBe(true);
  const report = await app.service.call('exportImpact', { request: { keys: ['srv-long'] }, format: 'html' });
  if (!report.ok) throw new Error(report.error.message);
  // As wide as the demo's report needs (its nine-column table of CIs): the long name made this one 400,000 px wide.
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.emulateMedia({ media: 'print' });
  await page.setContent(report.value.content);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1000);
  // The table of impacted CIs, the name wrapped in its cell and the other columns' words whole.
  await page.getByRole('heading', { name: /^Impacted CIs/ }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('cell', { name: 'Checkout API', exact: true })).toBeVisible();
  await snap(page, 'report-long-name');
});
