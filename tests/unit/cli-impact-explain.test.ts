/**
 * `cmdb impact` for a person: counts that add up, who to notify, each step
 * the way its relationship runs with its reason, upstream as dependencies;
 * and every command that takes a CI takes it by key or by a unique name.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLines, formatOfFile, impactOptions, impactSummary, parseDepth } from '../../electron/cli/impact-commands.js';
import { ciNamer } from '../../shared/ci-label.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, tempDir } from './helpers.js';
import { downstreamResult, REDUNDANCY_TEXT, upstreamResult } from './report-fixture.js';

describe('cmdb impact output (hand-built answers)', () => {
  it('counts changed apart: "1 changed, 2 down, 1 degraded, 1 business service"', () => {
    const lines = impactSummary(downstreamResult());
    expect(lines).toContain('1 changed, 2 down, 1 degraded, 1 business service.');
    expect(lines.join('\n')).not.toContain('changed CIs included');
  });

  it('explains the first rows step by step, each arrow its relationship’s way, each step with its reason', () => {
    const text = impactSummary(downstreamResult()).join('\n');
    expect(text).toMatch(/^changed\s+0\s+node-01 /m);
    expect(text).toMatch(/^down\s+2\s+app-shop\s.*Node 01 -\[member_of\]-> K8s cluster <-\[runs_on\]- Shop app\s*$/m);
    expect(text).toContain(
      `  Checkout (bs-checkout): Node 01 -[member_of]-> K8s cluster (hard dependency, no redundancy) <-[runs_on]- Shop app (hard dependency, no redundancy) <-[depends_on]- Checkout (${REDUNDANCY_TEXT})`,
    );
  });

  it('says who to notify, from each contact field, with counts and CIs by name and key; the roll-ups; and unknown criticality', () => {
    const lines = impactSummary(downstreamResult());
    expect(lines).toContain('Who to notify:');
    expect(lines).toContain('  team-platform (owner): 1 changed, 1 down, 0 degraded: Node 01 (node-01), K8s cluster (cluster-k8s)');
    expect(lines).toContain('  SG <Ops> (support_group): 0 changed, 1 down, 1 degraded: Shop app (app-shop), Checkout (bs-checkout)');
    expect(lines).toContain('By environment: prod 4 (1 changed, 2 down, 1 degraded)');
    expect(lines).toContain('By location: DC-North 2 (1 changed, 1 down, 0 degraded); (not set) 2 (0 changed, 1 down, 1 degraded)');
    // A CI down of unknown criticality could be critical: the headline says how high the risk could be (the
    // engine's reasons name those CIs; the line that repeated them is gone).
    expect(lines).toContain('Risk: HIGH, up to CRITICAL (1 impacted CI of unknown criticality)');
    expect(lines.join('\n')).not.toContain('not counted');
  });

  it('says for how many impacted CIs nobody is named, and where every team is when the list stops (found by a change manager)', () => {
    const r = downstreamResult();
    r.noContact = { fields: ['owner'], changed: 0, down: 1, degraded: 0, cis: [{ key: 'app-hr', name: 'HR Portal' }] };
    const lines = impactSummary(r);
    expect(lines).toContain('  Nobody to notify for 1 impacted CI (0 changed, 1 down, 0 degraded), no owner set on it: HR Portal (app-hr)');
    r.notify = Array.from({ length: 22 }, (_, n) => ({ field: 'owner', team: `team-${n}`, changed: 0, down: 1, degraded: 0, keys: [] }));
    r.noContact = { fields: ['owner', 'support_group'], changed: 1, down: 2, degraded: 9, cis: [{ key: 'a', name: 'A' }] };
    const text = impactSummary(r).join('\n');
    expect(text).toContain(
      '  ... and 7 more teams to notify: every team is in --json and in the report (--export FILE.html or .md); --notify FIELDS narrows the fields\n' +
        '  Nobody to notify for 12 impacted CIs (1 changed, 2 down, 9 degraded), none of owner, support_group set on them: A (a) and 11 more\n',
    );
    r.notify = [];
    expect(impactSummary(r)).toEqual(
      expect.arrayContaining([
        'Who to notify: no team is named on the impacted CIs.',
        expect.stringMatching(/^ {2}Nobody to notify for 12/),
      ]),
    );
  });

  it('upstream reads "What X depends on": every single point of failure, then the dependencies; no risk, no notify', () => {
    const r = upstreamResult();
    r.singlePoints = Array.from({ length: 30 }, (_, n) => ({
      key: `spof-${n}`,
      name: `S ${n}`,
      type: 'server',
      owner: null,
      criticality: null,
    }));
    const text = impactSummary(r).join('\n');
    expect(text.startsWith('What Checkout (bs-checkout) depends on\n2 dependencies: 1 single point of failure, 1 other dependency.')).toBe(
      true,
    );
    expect(text).toContain('Single points of failure (30), each takes it down alone:');
    for (let n = 0; n < 30; n++) expect(text).toContain(`spof-${n}`);
    expect(text).toMatch(/^single point of failure\s+1\s+db-orders /m);
    expect(text).toMatch(/^dependency\s+1\s+lb-edge-prod-01 /m);
    expect(text).not.toMatch(/risk|notify|owners/i);
    expect(text.indexOf('Single points of failure')).toBeLessThan(text.indexOf('ROLE'));
  });
});

describe('cmdb impact --compare output', () => {
  it('names the first 10 of each list, the CIs the baseline lacks too, and counts them all', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `vm-${i}`);
    const lines = compareLines(
      {
        baseline: 'before',
        baselineAt: '2026-12-01T00:00:00.000Z',
        newlyImpacted: keys.map((key) => ({ key, name: key, state: 'down' as const })),
        noLongerImpacted: [],
        stateChanged: [],
        missingKeys: keys,
        missingNow: [],
      },
      ciNamer([]),
    );
    const first = keys.slice(0, 10).join(', ');
    expect(lines).toContain(`  newly impacted (3000): ${first} and 2,990 more`);
    expect(lines).toContain(`  not in the baseline (3000): ${first} and 2,990 more`);
  });

  it('upstream, in the words of the answer: dependencies and their roles', () => {
    const compare = {
      baseline: 'before',
      baselineAt: '2026-12-01T00:00:00.000Z',
      newlyImpacted: [{ key: 'dns', name: 'dns', state: 'degraded' as const }],
      noLongerImpacted: [{ key: 'old', name: 'old', state: 'down' as const }],
      stateChanged: [{ key: 'd1', name: 'd1', from: 'degraded' as const, to: 'down' as const }],
      missingKeys: [],
      missingNow: [],
    };
    expect(compareLines(compare, ciNamer([]), 'upstream').slice(2)).toEqual([
      '  new dependencies (1): dns',
      '  no longer dependencies (1): old',
      '  changed role (1): d1 dependency -> single point of failure',
    ]);
  });
});

describe('cmdb impact options', () => {
  it('--notify and --roll-up become the request’s contact fields and roll-ups; --direction up asks upstream', () => {
    expect(impactOptions({ direction: 'up', notify: 'owner, support_group', rollUp: 'location,,env' })).toMatchObject({
      direction: 'upstream',
      contactFields: ['owner', 'support_group'],
      rollUps: ['location', 'env'],
      limit: 50,
    });
    expect(impactOptions({ direction: 'down' })).toMatchObject({ direction: 'downstream', contactFields: undefined, rollUps: undefined });
    expect(() => impactOptions({ direction: 'sideways' })).toThrow('--direction must be "down" or "up"');
  });

  it('--depth reads the same for impact and assess: N hops, or any (no limit); help says so (found by a reviewer)', () => {
    expect(['2', ' 0 ', 'any', 'ANY', undefined].map((v) => parseDepth(v))).toEqual([2, 0, null, null, undefined]);
    // An empty value takes a saved change's depth off (assess) only: elsewhere it is a script's unset variable.
    expect(parseDepth('', { empty: true })).toBeNull();
    expect(() => impactOptions({ direction: 'down', depth: '' })).toThrow(
      '--depth must be a whole number of hops or any (no limit), not "".',
    );
    expect(impactOptions({ direction: 'down', depth: 'any' }).depth).toBeUndefined();
    expect(impactOptions({ direction: 'down', depth: '3' }).depth).toBe(3);
    for (const bad of ['-1', '1.5', 'all'])
      expect(() => parseDepth(bad)).toThrow(`--depth must be a whole number of hops or any (no limit), not "${bad}".`);
    ensureCliBuilt();
    for (const command of ['impact', 'assess'])
      expect(cmdb([command, '--help']).stdout.replace(/\s+/g, ' ')).toContain('list only the CIs within N hops, or any');
  });

  it('--export picks the format by the file extension', () => {
    expect(['a.csv', 'b.MD', 'c.htm', 'd.html', 'e.json'].map(formatOfFile)).toEqual(['csv', 'markdown', 'html', 'html', 'json']);
    expect(() => formatOfFile('f.txt')).toThrow('--export f.txt: name a .md, .html, .csv or .json file (the extension picks the format).');
    expect(() => formatOfFile('cab.pdf')).toThrow(
      '--export cab.pdf: name a .md, .html, .csv or .json file (the extension picks the format). For a PDF, name an .html file: a browser prints it to PDF.',
    );
  });
});

describe('cmdb commands take a CI by key or by a name only one CI has', () => {
  let db: string;
  let dir: string;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir('cmdb-cli-impact-');
    db = join(dir, 'demo.db');
    // The demo, plus two CIs that share a name.
    const cis = join(dir, 'extra.csv');
    writeFileSync(cis, 'id,name,type\ntwin-app,Twin,application\ntwin-srv,Twin,server\n');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
    expect(cmdb(['import', '--db', db, '--cis', cis, '--progress', 'none']).code).toBe(0);
  });

  it('impact, show and assess take a unique name, in any case', () => {
    const byKey = cmdb(['impact', '--db', db, 'lb-edge-prod-01', '--json']);
    const byName = cmdb(['impact', '--db', db, 'edge load balancer 01', '--json']);
    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({ changed: [{ key: 'lb-edge-prod-01' }] });
    expect((JSON.parse(byName.stdout) as { counts: unknown }).counts).toEqual((JSON.parse(byKey.stdout) as { counts: unknown }).counts);
    const show = cmdb(['show', '--db', db, 'Edge load balancer 01']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout.split('\n')[0]).toBe('Edge load balancer 01  (lb-edge-prod-01)');
    const copy = join(tempDir(), 'assess.db');
    writeFileSync(copy, readFileSync(db));
    const assess = cmdb(['assess', '--db', copy, '--ref', 'CHG1', '--title', 'LB swap', 'Edge load balancer 01', '--format', 'json']);
    expect(assess.code, assess.stderr).toBe(0);
    expect((JSON.parse(assess.stdout) as { change: { keys: string[] } }).change.keys).toEqual(['lb-edge-prod-01']);
  });

  it('assess --json prints the report as JSON (as every --json does); with --format md it says to drop one or use --out', () => {
    const copy = join(tempDir(), 'assess-json.db');
    writeFileSync(copy, readFileSync(db));
    const saved = cmdb(['assess', '--db', copy, '--ref', 'CHG2', '--title', 'DB patch', 'db-orders-primary', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ change: { ref: 'CHG2', keys: ['db-orders-primary'] } });
    expect(cmdb(['assess', '--db', copy, '--ref', 'NOPE']).stderr).toBe(
      `cmdb: No change assessment "NOPE". See the saved ones under Saved changes in the app, or list them with: cmdb changes --db ${copy}\n`,
    );
    const reopened = cmdb(['assess', '--db', copy, '--ref', 'CHG2', '--json']);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(JSON.parse(reopened.stdout)).toMatchObject({ change: { ref: 'CHG2' } });
    expect(reopened.stderr).toContain('Reopened change CHG2');
    const both = cmdb(['assess', '--db', copy, '--ref', 'CHG2', '--json', '--format', 'md']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toContain('drop one of them, or write the md report to a file with --out FILE');
    const md = cmdb(['assess', '--db', copy, '--ref', 'CHG2']);
    expect(md.stdout.startsWith('# Change CHG2: DB patch\n')).toBe(true);
  });

  it('assess again keeps the fields left out, updates those given without CIs, takes a reference in any case (found by a tester)', () => {
    const copy = join(tempDir(), 'assess-keep.db');
    writeFileSync(copy, readFileSync(db));
    const saved = (ref: string) => {
      const r = cmdb(['changes', '--db', copy, '--json']);
      return (JSON.parse(r.stdout) as { items: Array<Record<string, unknown>> }).items.filter((c) => c.ref === ref);
    };
    const first = [
      '--ref',
      'CHG1001',
      '--title',
      'Patch node 1',
      '--window',
      '2026-12-08 22:00-23:30 UTC',
      '--description',
      'Rollback: revert',
    ];
    expect(cmdb(['assess', '--db', copy, ...first, 'db-orders-primary', '--depth', '2', '--out', join(tempDir(), 'a.md')]).code).toBe(0);
    // Saved again with other CIs and a title: the window, description and depth stay, and the note says so.
    const again = cmdb([
      'assess',
      '--db',
      copy,
      '--ref',
      'CHG1001',
      '--title',
      'Patch node 2',
      'lb-edge-prod-01',
      '--out',
      join(tempDir(), 'b.md'),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Updated change CHG1001 (id 1; window, description, depth as saved)');
    expect(saved('CHG1001')).toEqual([
      expect.objectContaining({
        title: 'Patch node 2',
        window: '2026-12-08 22:00-23:30 UTC',
        description: 'Rollback: revert',
        keys: ['lb-edge-prod-01'],
        depth: 2,
      }),
    ]);
    // Without CIs, the fields given update the change (they used to be ignored), in the reference's case or not; "" clears one.
    // Its assessment is kept, and when it was made: moving a window is no new assessment (found by a tester).
    const before = saved('CHG1001')[0]!;
    const moved = cmdb([
      'assess',
      '--db',
      copy,
      '--ref',
      'chg1001',
      '--window',
      '2026-12-17 21:00-22:00 UTC',
      '--description',
      '',
      '--out',
      join(tempDir(), 'c.md'),
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(
      /Updated the window, description of change CHG1001 \(id 1\), its assessment of \S+ kept; re-evaluated now/,
    );
    expect(saved('CHG1001')).toEqual([
      expect.objectContaining({
        title: 'Patch node 2',
        window: '2026-12-17 21:00-22:00 UTC',
        description: null,
        keys: ['lb-edge-prod-01'],
        depth: 2,
        updatedAt: before.updatedAt,
      }),
    ]);
    // --depth any takes the saved depth off (re-evaluated on its saved CIs).
    expect(cmdb(['assess', '--db', copy, '--ref', 'CHG1001', '--depth', 'any', '--out', join(tempDir(), 'd.md')]).code).toBe(0);
    expect(saved('CHG1001')[0]).toMatchObject({ depth: null, window: '2026-12-17 21:00-22:00 UTC' });
    expect(saved('chg1001')).toEqual([]);
    // Assessed again on its saved CIs (--depth without CIs) when one is gone: said as that, with what to do (found by a reviewer).
    expect(cmdb(['assess', '--db', copy, '--ref', 'CHG-T', '--title', 'Twin', 'twin-app', '--out', join(tempDir(), 'e.md')]).code).toBe(0);
    const raw = new Database(copy);
    raw.prepare("DELETE FROM cis WHERE key = 'twin-app'").run();
    raw.close();
    const gone = cmdb(['assess', '--db', copy, '--ref', 'CHG-T', '--depth', '1']);
    expect([gone.code, gone.stderr]).toEqual([
      1,
      'cmdb: CHG-T changes twin-app, no longer in the CMDB: give the CIs to assess it on (cmdb assess --ref CHG-T CI...), or edit only its title, window or description.\n',
    ]);
    // Fields for a change never saved, without CIs: nothing to update.
    expect(cmdb(['assess', '--db', copy, '--ref', 'CHG9', '--window', 'x']).stderr).toContain('No change assessment "CHG9"');
  });

  it('assess names the other saved changes on the same CIs with their windows, saving and reopening (found by a change manager)', () => {
    const copy = join(tempDir(), 'assess-others.db');
    writeFileSync(copy, readFileSync(db));
    const out = tempDir();
    const first = ['assess', '--db', copy, '--ref', 'CHG-DB', '--title', 'DB patch', '--window', 'Tue 01:00-04:00', 'db-orders-primary'];
    expect(cmdb([...first, '--out', join(out, 'a.md')]).stdout).not.toContain('Other saved changes');
    const second = cmdb([
      'assess',
      '--db',
      copy,
      '--ref',
      'CHG-APP',
      '--title',
      'Release',
      'app-order-service',
      '--out',
      join(out, 'b.md'),
    ]);
    expect(second.stdout).toContain(
      'Other saved changes on the same CIs (compare their windows):\n  - CHG-DB "DB patch" (window Tue 01:00-04:00): it impacts app-order-service, which this change changes\n',
    );
    const reopened = cmdb(['assess', '--db', copy, '--ref', 'CHG-DB', '--out', join(out, 'c.md')]);
    expect(reopened.stdout).toContain(
      '  - CHG-APP "Release" (no window given): it changes app-order-service, which this change changes or impacts',
    );
  });

  it("assess --out takes its format from the file's extension, refuses a PDF or a clash with --format; a report lists every CI whatever the depth (found by a tester)", () => {
    const copy = join(tempDir(), 'assess-out.db');
    writeFileSync(copy, readFileSync(db));
    const out = tempDir();
    const base = ['assess', '--db', copy, '--ref', 'CHG7', '--title', 'LB', 'lb-edge-prod-01'];
    expect(cmdb([...base, '--out', join(out, 'r.html')]).code).toBe(0);
    expect(readFileSync(join(out, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(cmdb(['assess', '--db', copy, '--ref', 'CHG7', '--out', join(out, 'r.csv')]).code).toBe(0);
    expect(readFileSync(join(out, 'r.csv'), 'utf8').split('\n')[0]).toContain('key,name,type');
    const pdf = cmdb(['assess', '--db', copy, '--ref', 'CHG7', '--out', join(out, 'r.pdf')]);
    expect([pdf.code, pdf.stderr]).toEqual([2, expect.stringContaining('For a PDF, name an .html file: a browser prints it to PDF.')]);
    const clash = cmdb(['assess', '--db', copy, '--ref', 'CHG7', '--format', 'md', '--out', join(out, 'r2.html')]);
    expect([clash.code, clash.stderr]).toEqual([2, expect.stringContaining('and --format md disagree: name the file .md.')]);
    // A depth narrows the CIs listed on screen, not a report's: the CSV holds every impacted CI.
    const all = JSON.parse(cmdb(['impact', '--db', copy, 'db-orders-primary', '--json', '--limit', '0']).stdout) as {
      counts: { total: number };
    };
    const exported = cmdb(['impact', '--db', copy, 'db-orders-primary', '--depth', '1', '--export', join(out, 'd1.csv')]);
    expect(exported.stdout).toContain(`Report of all ${all.counts.total} CIs written to`);
    const rows = readFileSync(join(out, 'd1.csv'), 'utf8').trim().split('\n').length - 1;
    // --depth any, as assess takes it: no limit, every impacted CI listed.
    const any = cmdb(['impact', '--db', copy, 'db-orders-primary', '--depth', 'any', '--json', '--limit', '0']);
    expect([any.code, (JSON.parse(any.stdout) as { counts: { total: number } }).counts.total]).toEqual([0, all.counts.total]);
    expect(rows).toBe(all.counts.total);
    expect(
      cmdb(['assess', '--db', copy, '--ref', 'CHG8', '--title', 'DB', 'db-orders-primary', '--depth', '1', '--out', join(out, 'c8.csv')])
        .code,
    ).toBe(0);
    expect(readFileSync(join(out, 'c8.csv'), 'utf8').trim().split('\n').length - 1).toBe(all.counts.total);
  });

  it('says when the impacted CIs not listed were not checked for data quality, rather than that there are no findings (found by a tester)', () => {
    const none = cmdb(['impact', '--db', db, 'db-orders-primary', '--limit', '0']);
    expect(none.stdout).toMatch(
      /No impacted CI is listed here, so none of the \d+ was checked for data quality: list them, or export the report \(it checks them all\), to check them\./,
    );
    expect(none.stdout).not.toContain('no findings on the impacted CIs');
  });

  it('refuses a shared name on one line, with its candidates', () => {
    for (const args of [
      ['impact', 'Twin'],
      ['show', 'Twin'],
    ]) {
      const r = cmdb([...args, '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('cmdb: "Twin" is the name of 2 CIs: twin-app (application), twin-srv (server). Give one of their keys.\n');
    }
  });

  it('says when nothing has the key or name, which CMDB it looked in, or the close matches and the search for them all', () => {
    const r = cmdb(['impact', '--db', db, 'no-such-thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `cmdb: No CI has the key or name "no-such-thing", and none matches its words. (Searched ${db}: check the spelling, and the --db file.)\n`,
    );
    // A name typed in part: its close matches (five at most), and the search that lists every match, on the same CMDB.
    const part = cmdb(['impact', '--db', db, 'Orders DB']);
    expect(part.code).toBe(1);
    expect(part.stderr).toBe(
      'cmdb: No CI has the key or name "Orders DB". Close matches: db-orders-primary (Orders DB (primary)), ' +
        'db-orders-stg (Orders DB (staging)), vm-db-orders-dr (Orders DB DR host), ' +
        'db-orders-dr (Orders DB (DR standby)), vm-db-orders-01 (Orders DB host 01) and 5 more. ' +
        `Every match of "Orders DB": cmdb search --db ${db} 'Orders DB'\n`,
    );
    const two = cmdb(['impact', '--db', db, 'no-such-thing', 'lb-edge-prod-01', 'edge balanc']);
    expect(two.stderr).toMatch(
      /^cmdb: No CI has the key or name "no-such-thing", and none matches its words\. No CI has the key or name "edge balanc"\. Close matches: lb-edge-prod-01 \(Edge load balancer 01\), lb-edge-prod-02 \(Edge load balancer 02\), lb-edge-old-01 \(Old edge load balancer \(NetScaler\)\)\. \(Searched .*demo\.db: check the spelling, and the --db file\.\)\n$/,
    );
  });

  it('--export writes the report of every impacted CI without saving a change; the format comes from the extension', () => {
    const out = join(tempDir(), 'impact.csv');
    const r = cmdb(['impact', '--db', db, 'db-orders-primary', '--limit', '3', '--export', out]);
    expect(r.code, r.stderr).toBe(0);
    const total = (JSON.parse(cmdb(['impact', '--db', db, 'db-orders-primary', '--json']).stdout) as { counts: { total: number } }).counts
      .total;
    expect(total).toBeGreaterThan(3);
    expect(r.stdout).toContain(`Report of all ${total} CIs written to ${out}.`);
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(total + 1);
    const one = cmdb(['impact', '--db', db, 'bs-checkout', '--export', join(tempDir(), 'one.csv')]);
    expect(one.stdout).toContain('Report of the 1 CI written to');
    const md = join(tempDir(), 'impact.md');
    expect(cmdb(['impact', '--db', db, 'db-orders-primary', '--export', md]).code).toBe(0);
    expect(readFileSync(md, 'utf8').startsWith('# Impact of Orders DB (primary) (db-orders-primary)\n')).toBe(true);
    const bad = cmdb(['impact', '--db', db, 'db-orders-primary', '--export', join(dir, 'x.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('name a .md, .html, .csv or .json file (the extension picks the format).');
    const changes = cmdb(['changes', '--db', db, '--json']);
    expect((JSON.parse(changes.stdout) as { total: number }).total).toBe(0);
  });

  it('refuses --fail-on upstream: it judges what a change breaks', () => {
    const r = cmdb(['impact', '--db', db, 'bs-checkout', '--direction', 'up', '--fail-on', 'high']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cmdb: --fail-on judges what a change breaks: use it without --direction up.\n');
  });

  it('takes --notify and --roll-up', () => {
    const r = cmdb(['impact', '--db', db, 'db-orders-primary', '--notify', 'owner', '--roll-up', 'location']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('cmdb impact on an estate of thousands', () => {
  it('counts in the thousands with separators, as every other count reads', () => {
    ensureCliBuilt();
    const dir = tempDir('cmdb-cli-impact-big-');
    expect(cmdb(['generate', '--cis', '5000', '--out', dir, '--seed', '1']).code).toBe(0);
    const db = join(dir, 'estate.db');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'relationships.csv')]).code).toBe(0);
    const r = cmdb(['impact', '--db', db, 'san-000001', '--limit', '3', '--roll-up', 'environment,criticality']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3 of \d,\d{3} shown, the most severe first/m);
    // A roll-up the answer always has (environment) is said once; a core field's values are counted.
    expect(r.stdout.match(/^By environment:/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^By criticality: (critical|high|medium|low) \d/m);
  });
});
