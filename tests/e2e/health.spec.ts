import { readFileSync, writeFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, snap, test, waitForReady, type AppHandle } from './fixtures.js';
import { findingsText } from '../../shared/health.js';

test.use({ viewport: { width: 1440, height: 900 } });

async function call<M extends Parameters<AppHandle['service']['call']>[0]>(app: AppHandle, method: M, req: unknown) {
  const r = await app.service.call(method, req as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

/**
 * Known problems on top of the demo: three test VMs without an owner, and
 * vm-gitlab-01 recorded twice (GITLAB-01, key vm-gitlab-01b) with a build
 * bot running on the copy and the same host as the original.
 */
async function addProblems(app: AppHandle): Promise<void> {
  for (const x of ['a', 'b', 'c']) {
    await call(app, 'createCi', {
      key: `vm-test-${x}`,
      fields: { type: 'virtual_machine', name: `Test VM ${x.toUpperCase()}`, environment: 'test' },
    });
    await call(app, 'createRelationship', { source: `vm-test-${x}`, target: 'hv-ldn-14', type: 'hosted_on' });
  }
  await call(app, 'createCi', {
    key: 'vm-gitlab-01b',
    fields: {
      type: 'virtual_machine',
      name: 'GITLAB-01',
      owner: 'team-platform',
      environment: 'production',
      criticality: 'medium',
      attributes: { backup_policy: 'daily' },
    },
  });
  await call(app, 'createRelationship', { source: 'vm-gitlab-01b', target: 'hv-ldn-14', type: 'hosted_on' });
  await call(app, 'createCi', {
    key: 'app-build-bot',
    fields: { type: 'application', name: 'Build Bot', owner: 'team-platform', environment: 'production', criticality: 'low' },
  });
  await call(app, 'createRelationship', { source: 'app-build-bot', target: 'vm-gitlab-01b', type: 'runs_on' });
}

const rule = (page: Page, id: string) => page.locator(`.health-rule[data-rule="${id}"]`);

async function relationshipsOf(app: AppHandle, key: string): Promise<string[]> {
  const d = await call(app, 'getCi', { key, relLimit: 100, historyLimit: 0 });
  return [...d.outgoing.map((r) => `${key} ${r.type} ${r.other.key}`), ...d.incoming.map((r) => `${r.other.key} ${r.type} ${key}`)].sort();
}

test('health: the score and each rule count; fix a missing owner in place; merge duplicates, see it in Browse and history, undo', async ({
  page,
  app,
}) => {
  await addProblems(app);
  const engine = await call(app, 'health', { limit: 0 });
  expect(engine.rules.find((r) => r.rule === 'missing-owner')!.findings).toBe(3);
  expect(engine.rules.find((r) => r.rule === 'duplicate')!.findings).toBe(1);
  expect(engine.score).toBeLessThan(100);

  await app.open('#/health');
  await expect(page.getByTestId('health-score')).toHaveText(String(engine.score));
  // Beside the score, what was found by severity: the score says how much is affected, not how much to fix.
  await expect(page.getByTestId('health-findings')).toHaveText(findingsText(engine.rules));
  await expect(page.getByTestId('health-findings')).toContainText('warning');
  for (const p of ['completeness', 'correctness', 'compliance'] as const)
    await expect(page.getByTestId(`health-part-${p}`)).toContainText(String(engine.parts[p]));
  for (const r of engine.rules) await expect(page.getByTestId(`rule-count-${r.rule}`)).toHaveText(String(r.findings));
  // All findings are listed until a rule is picked.
  await expect(page.getByTestId('findings-total')).toHaveText(String(engine.total));
  await snap(page, 'health-1440');

  // Drill into missing owners, fix one in place: the counts drop.
  await rule(page, 'missing-owner').click();
  await expect(page).toHaveURL(/#\/health\?rule=missing-owner/);
  const findings = page.getByTestId('findings-list');
  await expect(page.getByTestId('findings-total')).toHaveText('3');
  await expect(findings.locator('.health-finding')).toHaveCount(3);
  await findings.getByLabel('Owner of vm-test-a').fill('team-qa');
  await findings.getByRole('button', { name: 'Set owner' }).first().click();
  await expect(page.getByTestId('rule-count-missing-owner')).toHaveText('2');
  await expect(page.getByTestId('findings-total')).toHaveText('2');
  await expect(findings.getByLabel('Owner of vm-test-a')).toHaveCount(0);
  expect((await call(app, 'getCi', { key: 'vm-test-a', relLimit: 0, historyLimit: 0 })).ci.owner).toBe('team-qa');

  // The filter box: findings naming a CI whose key or name contains the text.
  await page.getByLabel('Filter findings').fill('Test VM C');
  await expect(page.getByTestId('findings-total')).toHaveText('1');
  await expect(findings.locator('.health-finding')).toContainText('vm-test-c');
  await page.getByLabel('Filter findings').fill('');
  await expect(page.getByTestId('findings-total')).toHaveText('2');

  // Merge the duplicates: both side by side, the original kept.
  const keptBefore = await relationshipsOf(app, 'vm-gitlab-01');
  await rule(page, 'duplicate').click();
  await expect(page.getByTestId('findings-total')).toHaveText('1');
  await findings.getByRole('button', { name: 'Merge…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge possible duplicates' });
  await expect(dialog.getByTestId('candidate-vm-gitlab-01')).toContainText('GitLab 01');
  await expect(dialog.getByTestId('candidate-vm-gitlab-01b')).toContainText('GITLAB-01');
  await expect(dialog.getByTestId('candidate-vm-gitlab-01b').getByTestId('candidate-rels')).toContainText('2');
  await dialog.getByLabel('Keep vm-gitlab-01', { exact: true }).check();
  await snap(page, 'health-merge');
  await dialog.getByRole('button', { name: 'Merge vm-gitlab-01b into vm-gitlab-01' }).click();
  const result = page.getByRole('dialog', { name: 'Merged' });
  await expect(result).toContainText('1 relationship moved, 1 dropped; filled backup_policy');
  await result.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('rule-count-duplicate')).toHaveText('0');
  const recent = page.getByRole('region', { name: 'Recent merges' });
  await expect(recent).toContainText('vm-gitlab-01b');

  // In Browse: the kept CI has the build bot, the duplicate is gone, the history says so.
  expect(await relationshipsOf(app, 'vm-gitlab-01')).toEqual([...keptBefore, 'app-build-bot runs_on vm-gitlab-01'].sort());
  await app.open('#/browse?ci=vm-gitlab-01');
  const detail = page.getByTestId('ci-detail');
  await expect(detail.getByTestId('rels-incoming')).toContainText('Build Bot');
  await expect(detail.getByLabel('History', { exact: true })).toContainText(
    'Merged vm-gitlab-01b (GITLAB-01) into this CI: 1 relationship moved, 1 dropped',
  );
  await app.open('#/browse?ci=vm-gitlab-01b');
  await expect(page.getByText('“vm-gitlab-01b” could not be opened')).toBeVisible();

  // Undo from Recent merges: both back as they were.
  await app.open('#/health');
  await page
    .getByRole('region', { name: 'Recent merges' })
    .getByRole('button', { name: /^Undo merge/ })
    .click();
  await expect(page.getByRole('region', { name: 'Recent merges' }).locator('.merge-line.undone')).toHaveCount(1);
  await expect(page.getByTestId('rule-count-duplicate')).toHaveText('1');
  expect(await relationshipsOf(app, 'vm-gitlab-01')).toEqual(keptBefore);
  expect(await relationshipsOf(app, 'vm-gitlab-01b')).toEqual(['app-build-bot runs_on vm-gitlab-01b', 'vm-gitlab-01b hosted_on hv-ldn-14']);
  await app.open('#/browse?ci=vm-gitlab-01b');
  await expect(page.getByTestId('ci-detail').getByLabel('History', { exact: true })).toContainText(
    'Restored by undoing its merge into vm-gitlab-01',
  );
});

test('health: the findings export for an audit, a CSV row per CI with its owner; the rule picked narrows it (found by a tester)', async ({
  page,
  app,
}) => {
  await addProblems(app);
  await app.open('#/health?rule=missing-owner');
  await expect(page.getByTestId('findings-total')).toHaveText('3');
  const group = page.getByRole('group', { name: 'Export the findings' });
  await expect(group).toContainText('Export these findings:');
  await snap(page, 'health-export');
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    group.getByRole('button', { name: 'CSV', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^health-.*-missing-owner\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/);
  expect(lines[0]).toBe('finding,rule,severity,part,key,name,type,owner,message');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 8).join(','))).toEqual([
    '1,missing-owner,warning,completeness,vm-test-a,Test VM A,virtual_machine,',
    '2,missing-owner,warning,completeness,vm-test-b,Test VM B,virtual_machine,',
    '3,missing-owner,warning,completeness,vm-test-c,Test VM C,virtual_machine,',
  ]);
  // Every finding, in Markdown, once no rule is picked.
  await app.open('#/health');
  await expect(group).toContainText('Export all findings:');
  const [md]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    group.getByRole('button', { name: 'Markdown', exact: true }).click(),
  ]);
  const text = readFileSync(await md.path(), 'utf8');
  expect(text).toMatch(/^# Health of /);
  expect(text).toContain('## CIs without an owner (missing-owner, 3)');
  expect(text).toContain('## Possible duplicates (duplicate, 1)');
});

test('health at 1024×700 and in the dark theme; a disabled rule and the healthy state', async ({ page, app }) => {
  await addProblems(app);
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/health?rule=missing-owner');
  await expect(page.getByTestId('findings-total')).toHaveText('3');
  // Nothing overflows the window sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  // With six tabs the header's counts still keep one line each ("538 CIs", not "538" over "CIs").
  for (const id of ['stat-cis', 'stat-rels']) {
    const line = await page.getByTestId(id).evaluate((el) => {
      const span = el.parentElement!;
      return { height: span.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(span).lineHeight) || 18 };
    });
    expect(line.height).toBeLessThan(line.lineHeight * 1.5);
  }
  await snap(page, 'health-1024');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await rule(page, 'duplicate').click();
  await expect(page.getByTestId('findings-total')).toHaveText('1');
  await page.setViewportSize({ width: 1440, height: 900 });
  await snap(page, 'health-dark');

  // A broken rules file beside the CMDB: the screen says which file and what to do, and still lists the merges.
  writeFileSync(`${app.dbPath}.health.json`, '{"rules": {"orphan": {"enabled": nope}}}');
  await page.reload();
  await waitForReady(page);
  const alert = page.locator('.health-main').getByRole('alert');
  await expect(alert).toContainText("The CMDB's health could not be checked");
  await expect(alert).toContainText('cmdb.db.health.json: not valid JSON');
  await expect(page.getByRole('region', { name: 'Recent merges' })).toBeVisible();
  await snap(page, 'health-error');

  // The rules file disables the orphan rule; with the problems fixed the CMDB is healthy.
  writeFileSync(`${app.dbPath}.health.json`, JSON.stringify({ rules: { orphan: { enabled: false } } }));
  for (const x of ['a', 'b', 'c']) await call(app, 'updateCi', { key: `vm-test-${x}`, fields: { owner: 'team-qa' } });
  await call(app, 'mergeCis', { keep: 'vm-gitlab-01', merge: 'vm-gitlab-01b' });
  const engine = await call(app, 'health', { limit: 0 });
  await page.reload();
  await waitForReady(page);
  await expect(rule(page, 'orphan')).toBeDisabled();
  await expect(rule(page, 'orphan')).toContainText('disabled');
  expect(engine.score, JSON.stringify(engine.rules)).toBe(100);
  await expect(page.getByText('Healthy: every enabled rule passes')).toBeVisible();
  await expect(page.getByTestId('health-score')).toHaveText('100');
  await expect(page.getByTestId('health-findings')).toHaveText('nothing found');
  await snap(page, 'health-healthy');
});

test('health: a rules file beside the CMDB that is not valid says to correct that file, not "the highlighted value"', async ({
  page,
  app,
}) => {
  writeFileSync(`${app.dbPath}.health.json`, JSON.stringify({ rules: { orphan: { exemptTypes: 'saas' } } }));
  await app.open('#/health');
  const alert = page.getByRole('alert').filter({ hasText: "The CMDB's health could not be checked" });
  await expect(alert).toContainText('health.json: not a valid rules file: rules.orphan.exemptTypes');
  await expect(alert).toContainText('Correct the rules file it names, or move it away to use the default rules, then retry.');
  await expect(alert).not.toContainText('highlighted');
});

test('health: merging names that differ only in their spaces shows each as it is, so they can be told apart', async ({ page, app }) => {
  await call(app, 'createCi', { key: 'web-a', fields: { type: 'server', name: 'Web  01', owner: 'team-web' } });
  await call(app, 'createCi', { key: 'web-b', fields: { type: 'server', name: 'Web 01', owner: 'team-web' } });
  await app.open('#/health?rule=duplicate');
  await page.getByRole('article').filter({ hasText: 'web-a' }).getByRole('button', { name: 'Merge…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge possible duplicates' });
  expect(await dialog.getByTestId('candidate-web-a').getByTestId('candidate-name').innerText()).toBe('Web  01');
  expect(await dialog.getByTestId('candidate-web-b').getByTestId('candidate-name').innerText()).toBe('Web 01');
});

test('health: a value spelled several ways is unified in one step, keeping the spelling picked; history records it', async ({
  page,
  app,
}) => {
  // Another export spells the demo's "production" its own ways; the import keeps what the source says.
  const bulk = Array.from({ length: 50 }, (_, i) => `bulk-${String(i).padStart(2, '0')},Bulk ${i},server,PRODUCTION\n`).join('');
  const content = `id,name,type,environment\nsn-1,SN one,server,Production\nsn-2,SN two,server,PRODUCTION\nsn-3,SN three,server,Production\n${bulk}`;
  await call(app, 'importCsv', { cis: { name: 'servicenow.csv', content } });
  const engine = await call(app, 'health', { rule: 'value-variants', limit: 10 });
  expect(engine.findings.map((f) => f.keys.length)).toEqual([53]);
  const production = engine.findings[0]!.variants!.spellings[0]!;
  expect(production.value).toBe('production');

  await app.open('#/health?rule=value-variants');
  await expect(page.getByTestId('rule-count-value-variants')).toHaveText('1');
  const finding = page.getByTestId('findings-list').locator('.health-finding');
  await expect(finding).toContainText('environment holds one value spelled 3 ways');
  await expect(finding).toContainText('"PRODUCTION" (51 CIs) and "Production" (2 CIs)');
  // 53 CIs named: the first 50 as links, the rest counted.
  await expect(finding.locator('.keys button')).toHaveCount(50);
  await expect(finding.locator('.keys')).toContainText('and 3 more');
  // The most common spelling is proposed; keep the source's "Production" instead.
  const select = finding.getByLabel('Spelling of environment to keep');
  await expect(select).toHaveValue('production');
  await select.selectOption('Production');
  await finding.getByRole('button', { name: 'Use this spelling' }).click();
  const dialog = page.getByRole('dialog', { name: 'One spelling of environment' });
  const changed = production.cis + 51;
  await expect(dialog).toContainText(`Set environment to "Production" on the ${changed} CIs spelled otherwise`);
  await expect(dialog).toContainText('writes it again on its next import');
  await snap(page, 'health-value-variants');
  await dialog.getByRole('button', { name: `Change ${changed} CIs` }).click();
  await expect(page.getByTestId('rule-count-value-variants')).toHaveText('0');
  await expect(dialog).toBeHidden();

  const facet = await call(app, 'facetValues', { field: 'environment', limit: 50 });
  const counts = Object.fromEntries(facet.values.map((v) => [v.value, v.count]));
  expect([counts['Production'], counts['production'], counts['PRODUCTION']]).toEqual([production.cis + 53, undefined, undefined]);
  await app.open('#/browse?ci=sn-2');
  await expect(page.getByTestId('ci-detail').getByLabel('History', { exact: true })).toContainText(
    'Changed environment: one spelling, "Production", for "PRODUCTION" (value-variants)',
  );
});
