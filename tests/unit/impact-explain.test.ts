/**
 * What an impact answer says beyond states: why each step carries impact,
 * counts that add up, unknown criticality named apart, roll-ups over every
 * impacted CI, who to notify, rolled-up graphs and `within`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ImpactResult, StepWhy } from '../../shared/impact.js';
import { NONE_GROUP, NOTIFY_KEYS_SHOWN, SHARED_GROUP, UP_KEYS_SHOWN } from '../../shared/impact.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { makeCmdb, type TestCi, type TestRel } from './impact-reference.js';
import { unfollowedText } from '../../shared/explain.js';
import { riskCouldReach } from '../../shared/risk.js';

const open: CmdbService[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function cmdb(cis: Array<TestCi | string>, rels: TestRel[]): CmdbService {
  const svc = makeCmdb(cis, rels);
  open.push(svc);
  return svc;
}

type Req = Parameters<CmdbService['impacts']['impact']>[0];
function impact(svc: CmdbService, keys: string[], opts: Partial<Req> = {}): ImpactResult {
  return svc.impacts.impact({ keys, direction: 'downstream', limit: 1_000_000, ...opts });
}

/** The why of the last step of `key`'s path. */
function whyOf(r: ImpactResult, key: string): StepWhy | null | undefined {
  const hit = r.impacted.find((i) => i.key === key);
  if (!hit) throw new Error(`${key} not impacted`);
  return hit.path[hit.path.length - 1]!.why;
}

function setFields(svc: CmdbService, key: string, fields: { environment?: string; attributes?: Record<string, unknown> }): void {
  svc.db
    .prepare('UPDATE cis SET environment = coalesce(?, environment), attributes = coalesce(?, attributes) WHERE key = ?')
    .run(fields.environment ?? null, fields.attributes ? JSON.stringify(fields.attributes) : null, key);
}

describe('explanation steps, downstream', () => {
  it('a redundancy group that holds, then one that failed', () => {
    const svc = cmdb(
      ['app', 'lb1', 'lb2'],
      [
        ['app', 'lb1', 'depends_on', 'edge'],
        ['app', 'lb2', 'depends_on', 'edge'],
      ],
    );
    const one = impact(svc, ['lb1']);
    expect(one.impacted.find((i) => i.key === 'app')!.state).toBe('degraded');
    expect(whyOf(one, 'app')).toEqual({
      kind: 'group',
      strength: 'hard',
      group: { label: 'edge', members: 2, lost: 1, minUp: 1, up: ['lb2'], upMore: 0, lostKeys: ['lb1'], failed: false },
    });
    expect(whyOf(one, 'lb1')).toBeNull();
    const both = impact(svc, ['lb1', 'lb2']);
    expect(whyOf(both, 'app')).toEqual({
      kind: 'group',
      strength: 'hard',
      group: { label: 'edge', members: 2, lost: 2, minUp: 1, up: [], upMore: 0, lostKeys: ['lb1', 'lb2'], failed: true },
    });
  });

  it('min_up: the largest given; the group fails below it', () => {
    const svc = cmdb(
      ['app', 'a', 'b', 'c'],
      [
        ['app', 'a', 'depends_on', 'q', 2],
        ['app', 'b', 'depends_on', 'q'],
        ['app', 'c', 'depends_on', 'q'],
      ],
    );
    expect(whyOf(impact(svc, ['a']), 'app')).toMatchObject({
      kind: 'group',
      group: { members: 3, lost: 1, minUp: 2, up: ['b', 'c'], failed: false },
    });
    expect(whyOf(impact(svc, ['a', 'b']), 'app')).toMatchObject({ kind: 'group', group: { lost: 2, up: ['c'], failed: true } });
  });

  it('members still up beyond UP_KEYS_SHOWN are counted, not listed', () => {
    const members = Array.from({ length: UP_KEYS_SHOWN + 3 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const svc = cmdb(
      ['app', ...members],
      members.map((m): TestRel => ['app', m, 'depends_on', 'pool']),
    );
    const g = whyOf(impact(svc, ['m00']), 'app')!.group!;
    expect(g.up).toHaveLength(UP_KEYS_SHOWN);
    expect(g.upMore).toBe(2);
    expect(g.up).not.toContain('m00');
    expect(g.lost).toBe(1);
  });

  it('hard, soft and carried', () => {
    const svc = cmdb(
      ['db', 'app', 'web', 'svc', 'mail'],
      [
        ['app', 'db', 'depends_on'],
        ['web', 'app', 'uses'],
        ['svc', 'web', 'depends_on'],
        ['mail', 'svc', 'uses'],
      ],
    );
    const r = impact(svc, ['db']);
    expect(whyOf(r, 'app')).toEqual({ kind: 'hard', strength: 'hard', group: null });
    expect(whyOf(r, 'web')).toEqual({ kind: 'soft', strength: 'soft', group: null });
    // svc hard-depends on web, which is degraded, not down: svc is degraded with it.
    expect(whyOf(r, 'svc')).toEqual({ kind: 'carried', strength: 'hard', group: null });
    expect(whyOf(r, 'mail')).toEqual({ kind: 'soft', strength: 'soft', group: null });
  });
});

describe('explanation steps and single points of failure, upstream', () => {
  it('hard, group (no spare or spare), soft, and shared behind nested redundancy', () => {
    const svc = cmdb(
      ['svc', 'a1', 'a2', 'c', 'x', 'y', 's', 'solo'],
      [
        ['svc', 'a1', 'depends_on', 'pair'],
        ['svc', 'a2', 'depends_on', 'pair'],
        ['a1', 'c', 'depends_on'],
        ['a2', 'c', 'depends_on'],
        ['svc', 'x', 'depends_on'],
        ['svc', 'solo', 'depends_on', 'single'],
        ['svc', 's', 'uses'],
        ['s', 'y', 'depends_on'],
      ],
    );
    const r = impact(svc, ['svc'], { direction: 'upstream' });
    const state = Object.fromEntries(r.impacted.map((i) => [i.key, i.state]));
    expect(state).toEqual({ a1: 'degraded', a2: 'degraded', c: 'down', x: 'down', solo: 'down', s: 'degraded', y: 'degraded' });
    expect(r.singlePoints!.map((c) => c.key)).toEqual(['c', 'solo', 'x']);
    expect(r.counts).toMatchObject({ changed: 0, down: 3, degraded: 4, total: 7 });
    expect(whyOf(r, 'x')).toEqual({ kind: 'hard', strength: 'hard', group: null });
    expect(whyOf(r, 'a1')).toEqual({
      kind: 'group',
      strength: 'hard',
      group: { label: 'pair', members: 2, lost: 0, minUp: 1, up: ['a1', 'a2'], upMore: 0, lostKeys: [], failed: false },
    });
    expect(whyOf(r, 'solo')).toMatchObject({ kind: 'group', group: { label: 'single', members: 1, failed: true } });
    expect(whyOf(r, 's')).toEqual({ kind: 'soft', strength: 'soft', group: null });
    expect(whyOf(r, 'c')).toEqual({ kind: 'shared', strength: 'hard', group: null });
    expect(r.impacted.find((i) => i.key === 'c')!.path.map((p) => p.key)).toHaveLength(3);
    expect(r.notify).toEqual([]);
    expect(r.groupGraphs).toBeUndefined();
  });

  it('within is for downstream analyses', () => {
    const svc = cmdb(['a', 'b'], [['a', 'b', 'depends_on']]);
    expect(() => impact(svc, ['a'], { direction: 'upstream', within: { by: 'type', id: 'application' } })).toThrow(/downstream/);
  });
});

describe('counts that add up', () => {
  it('a changed CI is counted as changed only; down is what goes down because of the change', () => {
    const svc = cmdb(
      [
        { key: 'db', type: 'database', owner: 'dba', criticality: 'high' },
        { key: 'app', type: 'application', owner: 'dev', criticality: 'critical' },
        { key: 'web', type: 'application', owner: 'dev', criticality: 'low' },
      ],
      [
        ['app', 'db', 'depends_on'],
        ['web', 'app', 'uses'],
      ],
    );
    const r = impact(svc, ['db'], { limit: 1 });
    expect(r.counts).toMatchObject({ changed: 1, down: 1, degraded: 1, total: 3 });
    expect(r.counts.byType).toEqual([
      { type: 'application', changed: 0, down: 1, degraded: 1 },
      { type: 'database', changed: 1, down: 0, degraded: 0 },
    ]);
    expect(r.counts.byCriticality.map((c) => [c.criticality, c.changed, c.down, c.degraded])).toEqual([
      ['critical', 0, 1, 0],
      ['high', 1, 0, 0],
      ['low', 0, 0, 1],
    ]);
    expect(r.owners).toEqual([
      { owner: 'dev', changed: 0, down: 1, degraded: 1 },
      { owner: 'dba', changed: 1, down: 0, degraded: 0 },
    ]);
    const sum = (xs: Array<{ changed: number; down: number; degraded: number }>) =>
      xs.reduce((n, x) => n + x.changed + x.down + x.degraded, 0);
    for (const xs of [r.counts.byType, r.counts.byCriticality, r.counts.byEnvironment!, r.owners]) expect(sum(xs)).toBe(r.counts.total);
    // The limit cuts the list, never the roll-ups.
    expect(r.impacted).toHaveLength(1);
    expect(r.truncated).toBe(true);
  });
});

describe('unknown criticality', () => {
  it('is counted apart, by value, and named in the risk reasons', () => {
    const svc = cmdb(
      [
        { key: 'db', criticality: 'low' },
        { key: 'a', criticality: null },
        { key: 'b', criticality: 'gold' },
        { key: 'c', criticality: '1 - most critical' },
        { key: 'd', criticality: null },
      ],
      [
        ['a', 'db', 'depends_on'],
        ['b', 'db', 'depends_on'],
        ['c', 'db', 'uses'],
        ['d', 'db', 'uses'],
      ],
    );
    const r = impact(svc, ['db']);
    expect(r.risk.unknown).toEqual({
      down: 2,
      degraded: 1,
      values: [
        { value: null, count: 2 },
        { value: 'gold', count: 1 },
      ],
    });
    // ServiceNow's "1 - most critical" is on the scale: c degraded brings high.
    expect(r.risk.level).toBe('high');
    // Two of the unknown CIs are down, so the risk could be critical: that reason comes first, where the screen shows it.
    // It names them, down first (found by a change manager: the report counted them and named none).
    expect(r.risk.reasons[0]).toBe(
      '3 impacted CIs have no known criticality (2 down), so their risk is not assessed: 2 not set; not on the scale: "gold" (1). The CIs, down first: Name of a (a), Name of b (b), Name of d (d).',
    );
    expect(r.risk.reasons[1]).toMatch(/^Name of c \(c\) is degraded: .*criticality 1 - most critical$/);
  });

  it('when every impacted CI is unknown the reason comes first, and none is reported when all are known', () => {
    const svc = cmdb([{ key: 'db', criticality: 'critical' }, { key: 'a' }], [['a', 'db', 'depends_on']]);
    const r = impact(svc, ['db']);
    expect(r.risk.unknown).toEqual({ down: 1, degraded: 0, values: [{ value: null, count: 1 }] });
    expect(r.risk.reasons[0]).toBe(
      '1 impacted CI has no known criticality (1 down), so its risk is not assessed: 1 not set. The CI: Name of a (a).',
    );
    const known = cmdb(
      [
        { key: 'x', criticality: 'high' },
        { key: 'y', criticality: 'low' },
      ],
      [['y', 'x', 'depends_on']],
    );
    expect(impact(known, ['x']).risk.unknown).toBeUndefined();
    // A changed CI counts as degraded (its planned outage): of unknown criticality, it could be critical, so the
    // risk could be high, and a gate (--fail-on) fails closed on it.
    const changed = cmdb([{ key: 'x' }, { key: 'y', criticality: 'low' }], [['y', 'x', 'depends_on']]);
    const u = impact(changed, ['x']).risk;
    expect(u).toMatchObject({ level: 'low', unknown: { down: 0, degraded: 1, values: [{ value: null, count: 1 }] } });
    expect(riskCouldReach(u)).toBe('high');
  });
});

describe('unknown criticality, many CIs', () => {
  it('names the first UNKNOWN_SHOWN, down first, then the nearer, then the lower id, and counts the rest', () => {
    const apps = Array.from({ length: 7 }, (_, k) => `app-${k}`);
    const svc = cmdb(
      [{ key: 'db', criticality: 'low' }, ...apps, 'far', { key: 'soft', criticality: null }],
      [...apps.map((a): TestRel => [a, 'db', 'depends_on']), ['far', 'app-0', 'depends_on'], ['soft', 'db', 'uses']],
    );
    const reason = impact(svc, ['db']).risk.reasons.find((x) => x.includes('no known criticality'));
    expect(reason).toBe(
      '9 impacted CIs have no known criticality (8 down), so their risk is not assessed: 9 not set. The CIs, down first: ' +
        'Name of app-0 (app-0), Name of app-1 (app-1), Name of app-2 (app-2), Name of app-3 (app-3), Name of app-4 (app-4) and 4 more.',
    );
  });
});

describe('risk reasons', () => {
  it('the CIs that set the level first, then business services, most critical and down first, capped', () => {
    const services = Array.from({ length: 9 }, (_, i): TestCi => ({
      key: `bs${i}`,
      type: 'business_service',
      criticality: i === 0 ? 'medium' : 'low',
    }));
    const svc = cmdb(
      [{ key: 'db', criticality: 'low' }, { key: 'app', criticality: 'critical' }, ...services],
      [['app', 'db', 'depends_on'], ...services.map((s): TestRel => [s.key, 'app', i(s.key) % 2 === 0 ? 'depends_on' : 'uses'])],
    );
    const r = impact(svc, ['db']);
    expect(r.risk.level).toBe('critical');
    // The CI that brings the level first (a screen shows the first few reasons; it showed the services, found by a tester).
    expect(r.risk.reasons[0]).toBe('Name of app (app) goes down: application, criticality critical');
    expect(r.risk.reasons[1]).toMatch(/^Name of bs0 \(bs0\) goes down: /);
    expect(r.risk.reasons[2]).toMatch(/^Name of bs2 \(bs2\) goes down: /);
    expect(r.risk.reasons).toHaveLength(9);
    expect(r.risk.reasons.at(-1)).toBe('and 2 more impacted CIs that raise the risk');
  });
});

function i(key: string): number {
  return Number(key.replace(/\D/g, ''));
}

describe('roll-ups over every impacted CI', () => {
  it('by environment and by the attributes asked for, null when not set', () => {
    const svc = cmdb(
      ['db', 'a', 'b', 'c'],
      [
        ['a', 'db', 'depends_on'],
        ['b', 'db', 'depends_on'],
        ['c', 'a', 'uses'],
      ],
    );
    setFields(svc, 'db', { environment: 'production', attributes: { location: 'London' } });
    setFields(svc, 'a', { environment: 'production', attributes: { location: 'London', rack: 12 } });
    setFields(svc, 'b', { environment: 'staging', attributes: { location: 'Dublin' } });
    const r = impact(svc, ['db'], { limit: 0, rollUps: ['location', 'rack'] });
    expect(r.impacted).toEqual([]);
    expect(r.counts.byEnvironment).toEqual([
      { value: 'production', changed: 1, down: 1, degraded: 0 },
      { value: 'staging', changed: 0, down: 1, degraded: 0 },
      { value: null, changed: 0, down: 0, degraded: 1 },
    ]);
    expect(r.counts.byAttribute).toEqual([
      {
        attribute: 'location',
        values: [
          { value: 'London', changed: 1, down: 1, degraded: 0 },
          { value: 'Dublin', changed: 0, down: 1, degraded: 0 },
          { value: null, changed: 0, down: 0, degraded: 1 },
        ],
      },
      {
        attribute: 'rack',
        values: [
          { value: null, changed: 1, down: 1, degraded: 1 },
          { value: '12', changed: 0, down: 1, degraded: 0 },
        ],
      },
    ]);
    // A name that looks like a JSON path is still an attribute name.
    setFields(svc, 'c', { attributes: { $cost: 'x' } });
    const cost = impact(svc, ['db'], { rollUps: ['$cost'] }).counts.byAttribute![0]!.values;
    expect(cost.find((v) => v.value === 'x')).toEqual({ value: 'x', changed: 0, down: 0, degraded: 1 });
    // An attribute edit is seen by the next analysis.
    setFields(svc, 'b', { attributes: { location: 'London' } });
    const again = impact(svc, ['db'], { limit: 0, rollUps: ['location'] });
    expect(again.counts.byAttribute![0]!.values[0]).toEqual({ value: 'London', changed: 1, down: 2, degraded: 0 });
  });

  it('by a core field asked for as a roll-up: its values, as the counts by it say; a field no CI has is refused', () => {
    const svc = cmdb(
      [
        { key: 'db', criticality: 'high' },
        { key: 'a', criticality: 'low' },
        { key: 'b', criticality: 'low' },
      ],
      [
        ['a', 'db', 'depends_on'],
        ['b', 'db', 'depends_on'],
      ],
    );
    setFields(svc, 'a', { environment: 'production' });
    svc.db.prepare("UPDATE cis SET status = CASE key WHEN 'b' THEN 'maintenance' ELSE 'operational' END").run();
    const r = impact(svc, ['db'], { rollUps: ['criticality', 'environment', 'type', 'status'] });
    const by = Object.fromEntries(r.counts.byAttribute!.map((a) => [a.attribute, a.values]));
    expect(by.criticality).toEqual([
      { value: 'low', changed: 0, down: 2, degraded: 0 },
      { value: 'high', changed: 1, down: 0, degraded: 0 },
    ]);
    expect(by.environment).toEqual(r.counts.byEnvironment);
    expect(by.type).toEqual(r.counts.byType.map(({ type, ...n }) => ({ value: type, ...n })));
    expect(by.status).toEqual([
      { value: 'operational', changed: 1, down: 1, degraded: 0 },
      { value: 'maintenance', changed: 0, down: 1, degraded: 0 },
    ]);
    expect(() => impact(svc, ['db'], { rollUps: ['location', 'nosuchattr'] })).toThrow(
      /No CI has the fields "location", "nosuchattr" to roll up by .* Roll up by type, criticality, owner, environment, status or an attribute/,
    );
  });
});

describe('who to notify', () => {
  it('owner and the contact attributes the estate has, each team with its CIs, the most severe first', () => {
    const svc = cmdb(
      [
        { key: 'db', owner: 'dba' },
        { key: 'a', owner: 'dev', criticality: 'low' },
        { key: 'b', owner: 'dev', criticality: 'critical' },
        { key: 'c', owner: 'dev' },
      ],
      [
        ['a', 'db', 'depends_on'],
        ['b', 'db', 'depends_on'],
        ['c', 'db', 'uses'],
      ],
    );
    setFields(svc, 'a', { attributes: { support_group: 'L2 Apps' } });
    setFields(svc, 'c', { attributes: { support_group: 'L2 Apps', note: 'x' } });
    const r = impact(svc, ['db']);
    expect(r.notify).toEqual([
      { field: 'owner', fields: ['owner'], team: 'dev', changed: 0, down: 2, degraded: 1, keys: ['b', 'a', 'c'] },
      { field: 'support_group', fields: ['support_group'], team: 'L2 Apps', changed: 0, down: 1, degraded: 1, keys: ['a', 'c'] },
      { field: 'owner', fields: ['owner'], team: 'dba', changed: 1, down: 0, degraded: 0, keys: ['db'] },
    ]);
    const asked = impact(svc, ['db'], { contactFields: ['note'] });
    expect(asked.notify).toEqual([{ field: 'note', fields: ['note'], team: 'x', changed: 0, down: 0, degraded: 1, keys: ['c'] }]);
    // A team named as owner of some CIs and support group of these and others is one team to tell, each CI once.
    setFields(svc, 'b', { attributes: { support_group: 'dev' } });
    setFields(svc, 'db', { attributes: { support_group: 'dev' } });
    expect(impact(svc, ['db']).notify).toEqual([
      { field: 'owner', fields: ['owner', 'support_group'], team: 'dev', changed: 1, down: 2, degraded: 1, keys: ['db', 'b', 'a', 'c'] },
      { field: 'support_group', fields: ['support_group'], team: 'L2 Apps', changed: 0, down: 1, degraded: 1, keys: ['a', 'c'] },
      { field: 'owner', fields: ['owner'], team: 'dba', changed: 1, down: 0, degraded: 0, keys: ['db'] },
    ]);
    // By default the usual contact attributes are found as the estate spells them: a spreadsheet's "Support Group".
    const sheet = cmdb(
      [
        { key: 'db', owner: 'dba' },
        { key: 'a', owner: 'dev' },
      ],
      [['a', 'db', 'depends_on']],
    );
    setFields(sheet, 'a', { attributes: { 'Support Group': 'L2 Apps', 'On-Call': 'pager-7' } });
    expect(impact(sheet, ['db']).notify!.map((n) => `${n.team} (${n.fields!.join(', ')})`)).toEqual([
      'L2 Apps (Support Group)',
      'dev (owner)',
      'pager-7 (On-Call)',
      'dba (owner)',
    ]);
    // A field no CI has (misspelt, or in another case) is refused, not answered with nobody to tell.
    for (const f of ['bogusfield', 'Owner', 'Support_Group']) {
      expect(() => impact(svc, ['db'], { contactFields: ['owner', f] }), f).toThrow(
        `No CI has the field "${f}" to say whom to notify (names are as imported, case included). The CMDB has: owner, support_group; or an attribute the CIs have.`,
      );
    }
  });

  it('counts the impacted CIs no contact field names, by state, naming the most severe first (found by a change manager)', () => {
    const svc = cmdb(
      [
        { key: 'srv', owner: 'hosting' },
        { key: 'portal', criticality: 'medium' },
        { key: 'bs', owner: 'hr', type: 'business_service' },
        { key: 'wiki' },
      ],
      [
        ['portal', 'srv', 'depends_on'],
        ['bs', 'portal', 'depends_on'],
        ['wiki', 'srv', 'uses'],
      ],
    );
    const r = impact(svc, ['srv'], { contactFields: ['owner'] });
    // The portal goes down and nobody owns it: said, not dropped.
    expect(r.notify!.map((n) => n.team)).toEqual(['hr', 'hosting']);
    expect(r.noContact).toEqual({
      fields: ['owner'],
      changed: 0,
      down: 1,
      degraded: 1,
      cis: [
        { key: 'portal', name: 'Name of portal' },
        { key: 'wiki', name: 'Name of wiki' },
      ],
    });
    // A field asked for that names the portal: it has a team now; the wiki still has none.
    setFields(svc, 'portal', { attributes: { support_group: 'L2 Apps' } });
    expect(impact(svc, ['srv']).noContact).toMatchObject({
      fields: ['owner', 'support_group'],
      down: 0,
      degraded: 1,
      cis: [{ key: 'wiki' }],
    });
    setFields(svc, 'wiki', { attributes: { support_group: 'L2 Apps' } });
    expect(impact(svc, ['srv']).noContact).toBeUndefined();
    // Upstream tells nobody.
    expect(impact(svc, ['bs'], { direction: 'upstream' }).noContact).toBeUndefined();
  });

  it('names at most NOTIFY_KEYS_SHOWN CIs per team; the counts cover all', () => {
    const apps = Array.from({ length: NOTIFY_KEYS_SHOWN + 5 }, (_, k): TestCi => ({ key: `a${String(k).padStart(2, '0')}`, owner: 'dev' }));
    const svc = cmdb(
      ['db', ...apps],
      apps.map((a): TestRel => [a.key, 'db', 'depends_on']),
    );
    const r = impact(svc, ['db']);
    const dev = r.notify!.find((n) => n.team === 'dev')!;
    expect(dev.down).toBe(NOTIFY_KEYS_SHOWN + 5);
    expect(dev.keys).toHaveLength(NOTIFY_KEYS_SHOWN);
    // The changed CI has no owner: the one CI nobody is named for.
    expect(r.noContact).toMatchObject({ changed: 1, down: 0, degraded: 0, cis: [{ key: 'db' }] });
  });
});

describe('rolled-up graphs', () => {
  /** Two business services, `bs1` and `bs2` unless named otherwise. */
  const estate = (bs1 = 'bs1', bs2 = 'bs2'): CmdbService =>
    cmdb(
      [
        { key: 'db', type: 'database' },
        { key: 'app1', type: 'application' },
        { key: 'app2', type: 'application' },
        { key: 'lib', type: 'application' },
        { key: bs1, type: 'business_service', criticality: 'high' },
        { key: bs2, type: 'business_service', criticality: 'low' },
        { key: 'batch', type: 'cache' },
      ],
      [
        ['lib', 'db', 'depends_on'],
        ['app1', 'lib', 'depends_on'],
        ['app2', 'lib', 'depends_on'],
        [bs1, 'app1', 'depends_on'],
        [bs2, 'app2', 'depends_on'],
        ['batch', 'db', 'uses'],
      ],
    );

  it('by type: groups over every impacted CI, edges counting the explanation steps between groups', () => {
    const r = impact(estate(), ['db'], { limit: 1 });
    const g = r.groupGraphs!.type;
    expect(g.groups.map((x) => [x.id, x.changed, x.down, x.degraded])).toEqual([
      ['application', 0, 3, 0],
      ['business_service', 0, 2, 0],
      ['database', 1, 0, 0],
      ['cache', 0, 0, 1],
    ]);
    expect(g.edges).toEqual([
      { source: 'application', target: 'business_service', count: 2 },
      { source: 'database', target: 'application', count: 1 },
      { source: 'database', target: 'cache', count: 1 },
    ]);
  });

  it('by service: each CI goes to the service its impact reaches, several -> shared, none -> none', () => {
    const r = impact(estate(), ['db']);
    const g = r.groupGraphs!.service;
    const groups = Object.fromEntries(g.groups.map((x) => [x.id, [x.label, x.criticality, x.changed + x.down + x.degraded]]));
    expect(groups).toEqual({
      bs1: ['Name of bs1', 'high', 2],
      bs2: ['Name of bs2', 'low', 2],
      [SHARED_GROUP]: ['Several services', null, 2],
      [NONE_GROUP]: ['No business service', null, 1],
    });
    expect(g.edges).toEqual([
      { source: SHARED_GROUP, target: NONE_GROUP, count: 1 },
      { source: SHARED_GROUP, target: 'bs1', count: 1 },
      { source: SHARED_GROUP, target: 'bs2', count: 1 },
    ]);
  });

  it('services keyed `shared` and `none` are groups of their own, apart from "Several services" and "No business service" (found by a reviewer)', async () => {
    const svc = estate('shared', 'none');
    const g = impact(svc, ['db']).groupGraphs!.service;
    expect(g.groups.map((x) => [x.id, x.label]).sort()).toEqual(
      [
        ['shared', 'Name of shared'],
        ['none', 'Name of none'],
        [SHARED_GROUP, 'Several services'],
        [NONE_GROUP, 'No business service'],
      ].sort(),
    );
    const within = (id: string) =>
      impact(svc, ['db'], { within: { by: 'service', id } })
        .impacted.map((x) => x.key)
        .sort();
    expect(within('shared')).toEqual(['app1', 'shared']);
    expect(within('none')).toEqual(['app2', 'none']);
    expect(within(SHARED_GROUP)).toEqual(['db', 'lib']);
    expect(within(NONE_GROUP)).toEqual(['batch']);
    // As the app asks, through the door that refuses a NUL in stored text: a group id is read, never stored.
    const asked = await svc.call('impact', { keys: ['db'], direction: 'downstream', within: { by: 'service', id: SHARED_GROUP } }, 'web');
    expect(asked.ok && asked.value.impacted.map((x) => x.key).sort()).toEqual(['db', 'lib']);
  });

  it('within lists only the CIs of one group; the counts still cover all', () => {
    const svc = estate();
    const r = impact(svc, ['db'], { within: { by: 'service', id: 'bs1' }, limit: 1 });
    expect(r.impacted.map((x) => x.key)).toEqual(['bs1']);
    expect(r.truncated).toBe(true);
    expect(r.counts.total).toBe(7);
    const all = impact(svc, ['db'], { within: { by: 'service', id: 'bs1' } });
    expect(all.impacted.map((x) => x.key).sort()).toEqual(['app1', 'bs1']);
    expect(all.truncated).toBe(false);
    expect(impact(svc, ['db'], { within: { by: 'type', id: 'cache' } }).impacted.map((x) => x.key)).toEqual(['batch']);
    expect(impact(svc, ['db'], { within: { by: 'service', id: 'no-such-group' } }).impacted).toEqual([]);
  });
});

describe('relationships an answer did not follow', () => {
  it('a switch linked only by connects_to breaks nothing, and the answer says which relationships it did not follow', () => {
    const svc = cmdb(
      ['sw', 'web-1', 'web-2', 'shop', 'nas'],
      [
        ['web-1', 'sw', 'connects_to'],
        ['web-2', 'sw', 'connects_to'],
        ['sw', 'nas', 'backup_of'],
        ['shop', 'web-1', 'runs_on'],
      ],
    );
    const r = impact(svc, ['sw']);
    expect(r.counts.down + r.counts.degraded).toBe(0);
    expect(r.unfollowed).toEqual([
      { type: 'connects_to', count: 2, strengthNone: true },
      { type: 'backup_of', count: 1, strengthNone: true },
    ]);
    expect(unfollowedText(r)).toBe(
      'Not followed: 3 relationships of the changed CI, connects to (2, strength none: never carries impact), backup of (1, strength none: never carries impact). Where such a link is a dependency, import it as depends_on (relTypeValues in a mapping) to have it followed.',
    );
    // Types left out of those asked for; a relationship between two changed CIs is not one of them.
    const narrowed = impact(svc, ['web-1', 'sw'], { types: ['depends_on'] });
    expect(narrowed.unfollowed).toEqual([
      { type: 'backup_of', count: 1, strengthNone: true },
      { type: 'connects_to', count: 1, strengthNone: true },
      { type: 'runs_on', count: 1, strengthNone: false },
    ]);
    // Left out by the types asked for: ask for it; only a type of strength none is to be imported as another (found by
    // a change manager: --types was told to import its dependencies as depends_on).
    expect(unfollowedText(narrowed)).toBe(
      'Not followed: 3 relationships of the changed CIs, backup of (1, strength none: never carries impact), connects to (1, strength none: never carries impact), runs on (1, not among the types asked for). To follow runs_on too, add it to the types asked for (--types), or leave the types out: every type that carries impact is followed then. Where a link of strength none is a dependency, import it as depends_on (relTypeValues in a mapping) to have it followed.',
    );
    const shop = impact(svc, ['shop'], { types: ['depends_on'] });
    expect(unfollowedText(shop)).toBe(
      'Not followed: 1 relationship of the changed CI, runs on (1, not among the types asked for). To follow runs_on too, add it to the types asked for (--types), or leave the types out: every type that carries impact is followed then.',
    );
    // Upstream, of the CI asked about; and nothing to say when every relationship was followed.
    const up = impact(svc, ['web-1'], { direction: 'upstream' });
    expect(unfollowedText(up)).toMatch(/^Not followed: 1 relationship of the CI asked about, connects to \(1, /);
    expect(impact(svc, ['shop']).unfollowed).toBeUndefined();
    expect(unfollowedText(impact(svc, ['shop']))).toBeNull();
  });
});
