/**
 * `cmdb health` as a user runs it (the built CLI): the README's worked
 * example (the demo, then an asset register listing one of its servers again
 * under another key), text and --json output, --fail-on both forms, --rule,
 * --rules, and one-line refusals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_RULES, type HealthReport } from '../../shared/health.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt } from './helpers.js';

let dir: string;
let db: string;
const run = (args: string[]) => cmdb([...args, '--db', db]);

beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cmdb-cli-health-'));
  db = join(dir, 'shop.db');
  expect(run(['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
  writeFileSync(
    join(dir, 'assets.csv'),
    'id,name,type,environment,serial_number\nAR-1042,ntp time-server ldn 01,server,production,MBG1HIPM90\n',
  );
  expect(run(['import', '--cis', join(dir, 'assets.csv'), '--progress', 'none']).code).toBe(0);
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('cmdb health', () => {
  it('prints the score, a table of every rule and the first findings of each, saying how to see more', () => {
    const r = run(['health']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Health: \d+\/100 \(completeness \d+, correctness \d+, compliance \d+\); findings: 3 warnings, 5 notes; 534 CIs, 1,233 relationships; rules: the defaults\.$/,
    );
    expect(lines[2]).toMatch(/^RULE\s+PART\s+SEVERITY\s+FINDINGS\s+CIS\s+WHAT$/);
    for (const rule of HEALTH_RULES) expect(r.stdout).toMatch(new RegExp(`^${rule}\\s`, 'm'));
    expect(r.stdout).toMatch(/^duplicate\s+correctness\s+warning\s+1\s+2\s+Possible duplicates$/m);
    expect(r.stdout).toContain(
      '  - ntp time-server ldn 01 (AR-1042) and NTP time server LDN 01 (srv-ntp-ldn-01) look like the same server: the same name (ignoring case, spaces and punctuation) and the same serial_number "MBG1HIPM90". Merge them on the Health screen',
    );
    expect(r.stdout).toMatch(/^orphan \(5\):$/m);
    // The command for the rest names the same CMDB (pasted without it, it would read the default one).
    expect(r.stdout).toContain(`  ... and 2 more: cmdb health --db ${db} --rule orphan --limit N (or --json for all)`);
    expect(r.stdout).toContain(
      'ntp time-server ldn 01 (AR-1042, server) is in production (environment "production") without a criticality',
    );
  });

  it('--json prints the whole report with every finding; --limit cuts it', () => {
    const r = run(['health', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as HealthReport;
    expect(report.findings).toHaveLength(report.total);
    expect(report.total).toBe(report.rules.reduce((n, x) => n + x.findings, 0));
    expect(report.findings[0]).toEqual({
      rule: 'duplicate',
      severity: 'warning',
      keys: ['AR-1042', 'srv-ntp-ldn-01'],
      message: expect.stringContaining('Merge them on the Health screen') as string,
    });
    const cut = JSON.parse(run(['health', '--json', '--limit', '2']).stdout) as HealthReport;
    expect(cut.findings).toHaveLength(2);
    expect(cut.total).toBe(report.total);
  });

  it("--rule lists one rule's findings", () => {
    const r = JSON.parse(run(['health', '--json', '--rule', 'orphan']).stdout) as HealthReport;
    expect(new Set(r.findings.map((f) => f.rule))).toEqual(new Set(['orphan']));
    expect(r.findings).toHaveLength(5);
    const text = run(['health', '--rule', 'missing-owner', '--limit', '10']);
    expect(text.stdout).toContain('missing-owner (1):');
    expect(text.stdout).not.toContain('orphan (');
    expect(run(['health', '--rule', 'hard-cycle']).stdout).toMatch(/\n\nNo findings of hard-cycle\.\n$/);
  });

  it('--fail-on SCORE exits 3 below the score, 0 at or above it', () => {
    const score = (JSON.parse(run(['health', '--json']).stdout) as HealthReport).score;
    const below = run(['health', '--fail-on', String(score + 1)]);
    expect(below.code).toBe(3);
    expect(below.stderr).toBe(`cmdb: health score ${score} is below --fail-on ${score + 1}.\n`);
    expect(run(['health', '--fail-on', String(score)]).code).toBe(0);
  });

  it('--fail-on RULE exits 3 when that rule has findings, 0 when it has none', () => {
    const dup = run(['health', '--fail-on', 'duplicate', '--json']);
    expect(dup.code).toBe(3);
    expect(dup.stderr).toBe('cmdb: rule duplicate has 1 finding (--fail-on duplicate).\n');
    expect(JSON.parse(dup.stdout)).toHaveProperty('score');
    expect(run(['health', '--fail-on', 'hard-cycle']).code).toBe(0);
  });

  it('refuses an unknown rule or a bad score with the list of rule ids (exit 2)', () => {
    for (const args of [
      ['--fail-on', 'orphans'],
      ['--fail-on', '101'],
      ['--rule', 'dupes'],
    ]) {
      const r = run(['health', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(HEALTH_RULES.join(', '));
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
    expect(run(['health', '--limit', 'many']).stderr).toBe('cmdb: --limit must be a whole number from 0 to 1000000, not "many".\n');
  });

  it('--rule or --fail-on naming a rule the rules file turns off is refused (exit 2), saying how to turn it on', () => {
    const file = join(dir, 'off.json');
    writeFileSync(file, JSON.stringify({ rules: { duplicate: { enabled: false } } }));
    for (const option of ['--fail-on', '--rule']) {
      // Not a gate that always passes (exit 0 with nothing said), nor "No findings of duplicate." from a rule that never ran.
      const r = run(['health', '--rules', file, option, 'duplicate']);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `cmdb: ${option} duplicate: the rule duplicate is off in ${file} ("duplicate": { "enabled": false }), so it never runs and has no findings. ` +
          `Turn it on there ("enabled": true, or remove "enabled"), or leave ${option} out.\n`,
      );
    }
    // The rules file beside the CMDB is named as well.
    const beside = join(dir, 'beside.db');
    expect(cmdb(['import', '--db', beside, '--cis', DEMO_CIS, '--progress', 'none']).code).toBe(0);
    writeFileSync(`${beside}.health.json`, JSON.stringify({ rules: { orphan: { enabled: false } } }));
    const dflt = cmdb(['health', '--db', beside, '--fail-on', 'orphan', '--json']);
    expect(dflt.code).toBe(2);
    expect(dflt.stderr).toContain(`the rule orphan is off in ${beside}.health.json`);
    // A rule that is on still gates, with the same file.
    expect(run(['health', '--rules', file, '--fail-on', 'orphan']).code).toBe(3);
  });

  it('"No findings" names the rules that are off (they did not run); --limit 0 says how many findings it left out', () => {
    const report = JSON.parse(run(['health', '--json', '--limit', '0']).stdout) as HealthReport;
    const found = report.rules.filter((r) => r.findings > 0).map((r) => r.rule);
    const file = join(dir, 'quiet.json');
    writeFileSync(file, JSON.stringify({ rules: Object.fromEntries(found.map((id) => [id, { enabled: false }])) }));
    expect(run(['health', '--rules', file]).stdout).toMatch(
      new RegExp(`\n\nNo findings from the rules that ran \\(off in the rules file, so not run: ${found.join(', ')}\\)\\.\n$`),
    );
    const none = run(['health', '--limit', '0']);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/^orphan \(/m);
    expect(none.stdout).toMatch(
      new RegExp(
        `\n\n${report.total} findings not listed \\(--limit 0\\): cmdb health --db ${db} --limit N lists N of each rule \\(or --json for all\\)\n$`,
      ),
    );
    expect(run(['health', '--rule', 'duplicate', '--limit', '0']).stdout).toMatch(
      new RegExp(
        `\n\n1 finding not listed \\(--limit 0\\): cmdb health --db ${db} --rule duplicate --limit N lists N \\(or --json for all\\)\n$`,
      ),
    );
  });

  it('--rules FILE tunes the rules and names the file; a bad file is refused naming the key', () => {
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: { orphan: { enabled: false }, duplicate: { severity: 'error' } } }));
    const r = run(['health', '--rules', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`rules: ${file}.`);
    expect(r.stdout).toMatch(/^orphan\s+completeness\s+info\s+off\s+-\s+/m);
    expect(r.stdout).toMatch(/^duplicate\s+correctness\s+error\s+1\s+2\s+/m);
    // The command for a rule's other findings keeps the rules file.
    writeFileSync(file, JSON.stringify({ rules: { orphan: { severity: 'warning' } } }));
    expect(run(['health', '--rules', file, '--limit', '1']).stdout).toContain(
      `more: cmdb health --db ${db} --rule orphan --rules ${file} --limit N (or --json for all)`,
    );
    writeFileSync(file, JSON.stringify({ rules: { orphan: { exempt: ['saas'] } } }));
    const bad = run(['health', '--rules', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^cmdb: .*rules\.json: not a valid rules file: rules\.orphan: Unrecognized key.*"exempt".*See docs\/health\.md "Rules file"\.\n$/,
    );
    const missing = run(['health', '--rules', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json: no such rules file.');
  });
});
