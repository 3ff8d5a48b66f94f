/**
 * CMDBs imported from ServiceNow (sys_id), BMC Helix or AWS (ARNs) have keys
 * nobody reads: wherever the CLI and the reports name a CI to a person it
 * reads by name, with the key to tell it apart and to type it back
 * (shared/explain.ts ciLabel/ciNamer); --json and CSV keep keys alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ciLabel, ciNamer } from '../../shared/ci-label.js';
import { pathText, subjectText, whyText } from '../../shared/explain.js';
import type { PathStep, StepWhy } from '../../shared/impact.js';
import { namesOf } from '../../electron/cli/common.js';
import { cmdb, ensureCliBuilt, freshService, ok, tempDir } from './helpers.js';

/** A sys_id-like key: 32 hex digits, told apart by the last two. */
const id = (n: number) => `3f1c9a2e4b7d4c1e9a2e4b7d4c1e9a${String(n).padStart(2, '0')}`;
const API = id(1);
const DB = id(2);
const SHOP = id(3);
const LB1 = id(4);
const LB2 = id(5);
const WEB_PROD = id(6);
const WEB_TEST = id(7);

describe('ciLabel and ciNamer: how a CI is named to a person', () => {
  it('a list names the CI, then its key; a key that is its own name, or a CI with no name, reads as the key', () => {
    expect(ciLabel({ key: API, name: 'Payments API' })).toBe(`Payments API (${API})`);
    expect(ciLabel({ key: 'web-01', name: 'web-01' })).toBe('web-01');
    expect(ciLabel({ key: API, name: '  ' })).toBe(API);
    expect(ciLabel({ key: API })).toBe(API);
    expect(subjectText([{ key: API, name: 'Payments API' }, { key: 'db' }])).toBe(`Payments API (${API}), db`);
  });

  it('on a path a CI reads by its name, with its key when another CI of the answer shares the name (case aside)', () => {
    const names = ciNamer([
      { key: API, name: 'Payments API' },
      { key: WEB_PROD, name: 'web01' },
      { key: WEB_TEST, name: 'WEB01' },
    ]);
    expect(names.step(API)).toBe('Payments API');
    expect(names.step(WEB_PROD)).toBe(`web01 (${WEB_PROD})`);
    expect(names.step(WEB_TEST)).toBe(`WEB01 (${WEB_TEST})`);
    expect(names.step('not-known')).toBe('not-known');
    expect(names.label(API)).toBe(`Payments API (${API})`);
  });

  it('a path, and the members a redundancy group still has up, by name; without names (CSV) by key', () => {
    const hard: StepWhy = { kind: 'hard', strength: 'hard', group: null };
    const group: StepWhy = {
      kind: 'group',
      strength: 'hard',
      group: { label: 'edge', members: 2, lost: 1, minUp: 1, up: [LB2], upMore: 0, failed: false },
    };
    const path: PathStep[] = [
      { key: DB, name: 'Oracle DB 7', type: 'database', rel: null, forward: null, why: null },
      { key: API, name: 'Payments API', type: 'application', rel: 'depends_on', forward: false, why: hard },
      { key: SHOP, name: 'Online shop', type: 'business_service', rel: 'depends_on', forward: false, why: group },
    ];
    const names = ciNamer([...path, { key: LB2, name: 'Edge LB 2' }]);
    expect(pathText(path, { why: true, names })).toBe(
      'Oracle DB 7 <-[depends_on]- Payments API (hard dependency, no redundancy) <-[depends_on]- Online shop (redundancy group "edge": lost 1 of 2, needs 1: Edge LB 2 still up)',
    );
    expect(pathText(path)).toBe(`${DB} <-[depends_on]- ${API} <-[depends_on]- ${SHOP}`);
    expect(whyText(group)).toBe(`redundancy group "edge": lost 1 of 2, needs 1: ${LB2} still up`);
  });
});

describe('namesOf: the names the CLI looks up for keys an answer lists alone', () => {
  it("names the keys CIs have; leaves out a key no CI has, and one that is only another CI's name, shared or not", async () => {
    const svc = freshService();
    const add = (key: string, name: string) => ok(svc, 'createCi', { key, fields: { name, type: 'server' } });
    await add(API, 'Payments API');
    await add('srv-a', 'Web');
    await add('srv-b', 'Web');
    await add('srv-c', 'gone');
    const found = await namesOf(svc, [API, 'gone', 'Web', 'deleted-key']);
    expect(found).toEqual([{ key: API, name: 'Payments API' }]);
    expect(await namesOf(svc, [])).toEqual([]);
    svc.close();
  });
});

describe('the CLI on a CMDB with opaque keys', () => {
  let dir: string;
  let db: string;
  const run = (args: string[]) => {
    const r = cmdb([...args, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };

  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir();
    db = join(dir, 'snow.db');
    const cis = [
      'sys_id,name,type,owner,criticality,environment',
      `${API},Payments API,application,Payments team,high,prod`,
      `${DB},Oracle DB 7,database,DBA team,high,prod`,
      `${SHOP},Online shop,business_service,Shop team,critical,prod`,
      `${LB1},Edge LB 1,load_balancer,Network team,medium,prod`,
      `${LB2},Edge LB 2,load_balancer,Network team,medium,prod`,
      `${WEB_PROD},web01,server,Linux team,high,prod`,
      `${WEB_TEST},web01,server,Linux team,high,test`,
      'batch-01,batch-01,application,Payments team,low,prod',
    ];
    const rels = [
      'source,target,type,redundancy_group,min_up',
      `${API},${DB},depends_on,,`,
      `${SHOP},${API},depends_on,,`,
      `${SHOP},${LB1},depends_on,edge,1`,
      `${SHOP},${LB2},depends_on,edge,1`,
      `${API},${WEB_PROD},runs_on,,`,
      `${API},${WEB_TEST},runs_on,,`,
      `batch-01,${DB},depends_on,,`,
    ];
    writeFileSync(join(dir, 'cis.csv'), `${cis.join('\n')}\n`);
    writeFileSync(join(dir, 'rels.csv'), `${rels.join('\n')}\n`);
    run(['import', '--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'rels.csv')]);
  });

  it('impact: the heading, who to notify (CIs beyond --limit too), the risk, the paths and the Why lines read by name', () => {
    const out = run(['impact', DB, '--limit', '1']).stdout;
    expect(out.split('\n')[0]).toBe(`Impact of Oracle DB 7 (${DB}) going down`);
    expect(out).toContain(`  - Online shop (${SHOP}) goes down: business_service, criticality critical`);
    expect(out).toContain(`  down      Online shop (${SHOP}), owner Shop team`);
    // Only the changed CI is listed (--limit 1): the team's CIs are named all the same; a key that is its name reads once.
    expect(out).toMatch(
      new RegExp(
        `Payments team \\(owner\\): 0 changed, 2 down, 0 degraded: (Payments API \\(${API}\\), batch-01|batch-01, Payments API \\(${API}\\))\n`,
      ),
    );
    const why = run(['impact', LB1]).stdout;
    expect(why).toContain(
      `  Online shop (${SHOP}): Edge LB 1 <-[depends_on]- Online shop (redundancy group "edge": lost 1 of 2, needs 1: Edge LB 2 still up)`,
    );
    expect(why).toMatch(new RegExp(`^degraded\\s+1\\s+${SHOP}\\s+Online shop .* Edge LB 1 <-\\[depends_on\\]- Online shop\\s*$`, 'm'));
  });

  it('the reports name the member a redundancy group still has up, though the answer lists it nowhere; CSV keeps its key', () => {
    for (const ext of ['md', 'html']) {
      const file = join(dir, `lb1.${ext}`);
      run(['impact', LB1, '--export', file]);
      expect(readFileSync(file, 'utf8')).toContain('lost 1 of 2, needs 1: Edge LB 2 still up');
    }
    const csv = join(dir, 'lb1.csv');
    run(['impact', LB1, '--export', csv]);
    expect(readFileSync(csv, 'utf8')).toContain(`needs 1: ${LB2} still up`);
  });

  it('upstream: two CIs of one name on the paths carry their keys, the others their names alone', () => {
    const out = run(['impact', 'Online shop', '--direction', 'up']).stdout;
    expect(out.split('\n')[0]).toBe(`What Online shop (${SHOP}) depends on`);
    expect(out).toContain(
      `  web01 (${WEB_TEST}): Online shop -[depends_on]-> Payments API (hard dependency, no redundancy) -[runs_on]-> web01 (${WEB_TEST}) (hard dependency, no redundancy)`,
    );
  });

  it('--json and the CSV report keep keys alone', () => {
    const json = JSON.parse(run(['impact', DB, '--json']).stdout) as {
      notify: Array<{ keys: string[] }>;
      impacted: Array<{ path: Array<{ key: string }> }>;
      risk: { reasons: string[] };
    };
    expect(json.notify.flatMap((n) => n.keys)).toContain(API);
    expect(json.impacted.flatMap((i) => i.path.map((s) => s.key))).toContain(SHOP);
    const csv = join(dir, 'impact.csv');
    run(['impact', DB, '--export', csv]);
    expect(readFileSync(csv, 'utf8')).toContain(`,${DB} <-[depends_on]- ${API} <-[depends_on]- ${SHOP},`);
  });

  it('--compare, diff, show and graph name what they found; assess writes a report that reads by name', () => {
    const copy = join(tempDir(), 'compare.db');
    writeFileSync(copy, readFileSync(db));
    const on = (args: string[]) => {
      const r = cmdb([...args, '--db', copy]);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    on(['baseline', 'save', 'before']);
    on(['assess', '--ref', 'CHG0', '--title', 'Swap Edge LB 1', LB1]);
    writeFileSync(join(dir, 'more.csv'), `source,target,type\n${LB2},${LB1},depends_on\n`);
    on(['import', '--relationships', join(dir, 'more.csv')]);
    const compared = on(['impact', LB1, '--compare', 'before']).stdout;
    expect(compared).toContain(`  newly impacted (1): Edge LB 2 (${LB2})`);
    expect(compared).toContain(`  changed state (1): Online shop (${SHOP}) degraded -> down`);
    expect(on(['diff', 'before']).stdout).toContain(`  Edge LB 2 (${LB2}) depends_on Edge LB 1 (${LB1})`);
    expect(on(['diff', 'before', '--format', 'md']).stdout).toContain(`| Edge LB 2 (${LB2}) | depends\\_on | Edge LB 1 (${LB1}) |`);
    expect(on(['diff', 'before', '--format', 'csv']).stdout).toContain(`,${LB2},${LB1},depends_on,`);
    expect(on(['show', 'Payments API']).stdout).toContain(`  runs_on      web01 (${WEB_TEST}) [server]`);
    const graph = on(['graph', 'Payments API', '--out', join(dir, 'g.json')]).stdout;
    expect(graph).toContain(`Wrote the neighbourhood of Payments API (${API}) (depth`);
    // Reopened, the report says what is new since it was saved, and names the group member still up (looked up: not impacted).
    const reopened = on(['assess', '--ref', 'CHG0', '--format', 'md']).stdout;
    expect(reopened).toContain(`- Newly impacted (1): Edge LB 2 (${LB2}): down`);
    const report = join(dir, 'chg.md');
    const assess = on(['assess', '--ref', 'CHG1', '--title', 'Patch the DB', DB, '--out', report, '--compare', 'before']);
    expect(assess.code, assess.stderr).toBe(0);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Compared with baseline "before"');
    expect(md).toContain(`- **Changed CIs:** Oracle DB 7 (${DB})`);
    expect(md).toContain(`| Payments team | owner | 0 | 2 | 0 |`);
    expect(md).toContain(`Payments API (${API})`);
    expect(md).toContain('| Oracle DB 7 \\<-\\[depends\\_on\\]- Payments API (hard dependency, no redundancy) |');
  });
});
