/**
 * Redundancy as a change manager expects it (found by a tester). A redundancy group member whose status says it is not running (non-operational, maintenance, planned,
 * retired) counts as already down: the group has fewer members up before the change, the reason says which
 * and why, and the data-quality notes name them (an Offline NetBox host counted as "still up").
 * A cluster's members without a redundancy group are one implicit group that needs 1 (a ServiceNow cluster of two
 * nodes read as a hard dependency on each). A mapping that takes the usual source column for another field says so.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notRunningCounts } from '../../electron/cmdb/impact/engine.js';
import { STRENGTH_HARD } from '../../electron/cmdb/impact/graph-index.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { whyText } from '../../shared/explain.js';
import type { ImpactResult } from '../../shared/impact.js';
import { isNotRunning } from '../../shared/vocab.js';
import { makeCmdb } from './impact-reference.js';
import { cmdb, ensureCliBuilt, freshService, ok, tempDir } from './helpers.js';

const open: CmdbService[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

/** Cluster c with members h1, h2, h3 in one group (needs `minUp`), h3 of status `h3Status`; app depends on c. */
function cluster(h3Status: string | null, minUp: number | null = null): CmdbService {
  const svc = makeCmdb(
    [
      { key: 'c', type: 'cluster', criticality: 'critical' },
      { key: 'h1', status: 'operational' },
      { key: 'h2', status: 'operational' },
      { key: 'h3', status: h3Status },
      'app',
    ],
    [
      ['h1', 'c', 'member_of', 'c', minUp],
      ['h2', 'c', 'member_of', 'c', minUp],
      ['h3', 'c', 'member_of', 'c', minUp],
      ['app', 'c', 'depends_on'],
    ],
  );
  open.push(svc);
  return svc;
}

function impact(svc: CmdbService, keys: string[], direction: 'downstream' | 'upstream' = 'downstream'): ImpactResult {
  return svc.impacts.impact({ keys, direction, limit: 1000 });
}

const stateOf = (r: ImpactResult, key: string) => r.impacted.find((i) => i.key === key)?.state;
const groupOf = (r: ImpactResult, key: string) => r.impacted.find((i) => i.key === key)!.path.at(-1)!.why!;

describe('a redundancy group member not running counts as already down', () => {
  it('the status vocabulary: non-operational, maintenance, planned and retired are not running; standby, operational and unknown are', () => {
    for (const s of ['non-operational', 'maintenance', 'planned', 'retired', 'Offline', 'In Repair', 'poweredOff'])
      expect(isNotRunning(s), s).toBe(true);
    for (const s of ['operational', 'standby', 'Active', 'hot standby', null, '', 'whatever'])
      expect(isNotRunning(s), String(s)).toBe(false);
  });

  it('losing the two members still up takes the cluster down, and the reason says the third was down already', () => {
    const r = impact(cluster('non-operational'), ['h1', 'h2']);
    expect(stateOf(r, 'c')).toBe('down');
    expect(stateOf(r, 'app')).toBe('down');
    const why = groupOf(r, 'c');
    expect(why.group).toMatchObject({
      lost: 2,
      members: 3,
      minUp: 1,
      up: [],
      notRunning: [{ key: 'h3', status: 'non-operational' }],
      failed: true,
    });
    expect(whyText(why)).toBe('redundancy group "c": lost 2 of 3 (h3 already down: status non-operational), needs 1: none left');
    expect(r.notRunning).toEqual({
      count: 1,
      members: [{ key: 'h3', name: 'Name of h3', type: 'application', owner: null, criticality: null, status: 'non-operational' }],
    });
    expect(r.health?.notes).toContain(
      '1 redundancy group member counts as already down because its status says it is not running: Name of h3 (h3), non-operational.',
    );
  });

  it('one member lost of three, one not running: degraded, the one left named as still up', () => {
    const r = impact(cluster('maintenance'), ['h1']);
    expect(stateOf(r, 'c')).toBe('degraded');
    expect(whyText(groupOf(r, 'c'))).toBe('redundancy group "c": lost 1 of 3 (h3 already down: status maintenance), needs 1: h2 still up');
  });

  it('min_up 2: one member lost and one not running leaves one, and the cluster goes down', () => {
    expect(stateOf(impact(cluster('planned', 2), ['h1']), 'c')).toBe('down');
    expect(stateOf(impact(cluster('operational', 2), ['h1']), 'c')).toBe('degraded');
  });

  it('a member on standby, or of an unknown or unset status, is up', () => {
    for (const status of ['standby', 'whatever', null]) {
      const r = impact(cluster(status), ['h1', 'h2']);
      expect(stateOf(r, 'c'), String(status)).toBe('degraded');
      expect(r.notRunning).toBeUndefined();
      expect(groupOf(r, 'c').group!.up).toEqual(['h3']);
    }
  });

  it('a changed member that was not running is lost once, not twice', () => {
    const r = impact(cluster('retired'), ['h3']);
    expect(stateOf(r, 'c')).toBe('degraded');
    expect(groupOf(r, 'c').group).toMatchObject({ lost: 1, up: ['h1', 'h2'] });
    expect(groupOf(r, 'c').group!.notRunning).toBeUndefined();
  });

  it('upstream: with two members not running, the one left is a single point of failure', () => {
    const svc = cluster('non-operational');
    expect(impact(svc, ['c'], 'upstream').singlePoints).toEqual([]);
    svc.db.prepare("UPDATE cis SET status = 'retired' WHERE key = 'h2'").run();
    svc.impacts.indexHolder.markChanged();
    const r = impact(svc, ['c'], 'upstream');
    expect(r.singlePoints?.map((c) => c.key)).toEqual(['h1']);
    expect(whyText(groupOf(r, 'h1'), 'upstream')).toBe(
      'redundancy group "c": 3 members (already down by status: h2 retired, h3 non-operational), needs 1, no spare',
    );
  });

  it('upstream: names a member not running whichever of two parallel relationships its path takes', () => {
    // app depends on db twice: in group "g" (db its only member, in maintenance: the group is down already) and
    // ungrouped. The path takes one of the two; which depends on the order the index holds them in.
    for (const [groupedType, plainType] of [
      ['depends_on', 'runs_on'],
      ['runs_on', 'depends_on'],
    ] as const) {
      const svc = makeCmdb(
        ['app', { key: 'db', status: 'maintenance' }],
        [
          ['app', 'db', groupedType, 'g', null],
          ['app', 'db', plainType],
        ],
      );
      open.push(svc);
      const r = impact(svc, ['app'], 'upstream');
      expect(r.notRunning, `grouped ${groupedType}`).toMatchObject({ count: 1, members: [{ key: 'db', status: 'maintenance' }] });
    }
  });

  it('an edit of a status is seen by the next answer (the index is patched, not read per CI)', async () => {
    const svc = cluster('operational');
    expect(stateOf(impact(svc, ['h1', 'h2']), 'c')).toBe('degraded');
    await ok(svc, 'updateCi', { key: 'h3', fields: { status: 'non-operational' } });
    expect(stateOf(impact(svc, ['h1', 'h2']), 'c')).toBe('down');
    await ok(svc, 'updateCi', { key: 'h3', fields: { status: 'standby' } });
    expect(stateOf(impact(svc, ['h1', 'h2']), 'c')).toBe('degraded');
    expect(svc.impacts.indexHolder.patches).toBeGreaterThanOrEqual(2);
  });

  it('counts the members not running once per state of the data, not per question; afresh after an edit of a status or a relationship', async () => {
    const svc = cluster('retired');
    const counts = () => {
      const { index, attrs } = svc.impacts.indexHolder.getWithAttrs();
      const hard = Uint8Array.from(index.relTypes, (t) => (t.code === STRENGTH_HARD ? 1 : 0));
      return notRunningCounts(index, hard, attrs.notRunning()!.nodes);
    };
    const sum = (c: Int32Array) => c.reduce((a, b) => a + b, 0);
    // Each answer starts from the same counts (one that counts its losses in them works on a copy).
    expect(stateOf(impact(svc, ['h1']), 'c')).toBe('degraded');
    expect(stateOf(impact(svc, ['h1']), 'c')).toBe('degraded');
    const first = counts();
    expect(counts()).toBe(first);
    expect(sum(first)).toBe(1);
    await ok(svc, 'updateCi', { key: 'h2', fields: { status: 'maintenance' } });
    expect(stateOf(impact(svc, ['h1']), 'c')).toBe('down');
    const second = counts();
    expect(second).not.toBe(first);
    expect(sum(second)).toBe(2);
    const rel = svc.db
      .prepare("SELECT r.id FROM relationships r JOIN cis s ON s.id = r.source_id WHERE s.key = 'h3' AND r.type = 'member_of'")
      .pluck()
      .get() as number;
    await ok(svc, 'deleteRelationship', { id: rel });
    expect(sum(counts())).toBe(1);
    expect(stateOf(impact(svc, ['h1']), 'c')).toBe('down');
  });
});

describe('cmdb impact: a member not running', () => {
  let db: string;
  beforeAll(() => {
    ensureCliBuilt();
    const dir = tempDir('cmdb-not-running-');
    db = join(dir, 'r1.db');
    writeFileSync(
      join(dir, 'cis.csv'),
      'id,name,type,status,criticality\nc,cluster,cluster,operational,critical\nh1,h1,hypervisor,operational,high\nh2,h2,hypervisor,operational,high\nh3,h3,hypervisor,Offline,high\n',
    );
    writeFileSync(join(dir, 'rels.csv'), 'source,target,type,redundancy_group\nh1,c,member_of,c\nh2,c,member_of,c\nh3,c,member_of,c\n');
    const r = cmdb(['import', '--db', db, '--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'rels.csv')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('says the cluster goes down, why, and names the member in the data-quality notes', () => {
    const r = cmdb(['impact', '--db', db, 'h1', 'h2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Risk: CRITICAL');
    expect(r.stdout).toContain('cluster (c) goes down');
    expect(r.stdout).toContain('(redundancy group "c": lost 2 of 3 (h3 already down: status non-operational), needs 1: none left)');
    expect(r.stdout).toContain(
      '  - 1 redundancy group member counts as already down because its status says it is not running: h3, non-operational.',
    );
  });
});

/** A ServiceNow cluster: c1 with members n1 and n2 (Members::Member of, no redundancy group), billing depends on it. */
const SNOW_CIS =
  '"sys_id","name","sys_class_name","operational_status","busines_criticality"\n"c1","ora-rac-prod","Cluster","Operational","1 - most critical"\n"n1","ora-rac-n1","Linux Server","Operational","1 - most critical"\n"n2","ora-rac-n2","Linux Server","Operational","1 - most critical"\n"a1","billing","Application","Operational","1 - most critical"\n';
const SNOW_RELS =
  '"parent","type","child"\n"ora-rac-prod","Members::Member of","ora-rac-n1"\n"ora-rac-prod","Members::Member of","ora-rac-n2"\n"billing","Depends on::Used by","ora-rac-prod"\n';

describe("a cluster's members without a redundancy group are one implicit group that needs 1", () => {
  it('one node of two lost degrades the cluster, both take it down, and the reason says so', async () => {
    const svc = freshService();
    open.push(svc);
    await ok(svc, 'importCsv', { cis: { name: 'ci.csv', content: SNOW_CIS }, relationships: { name: 'rel.csv', content: SNOW_RELS } });
    const one = impact(svc, ['n1']);
    expect(stateOf(one, 'c1')).toBe('degraded');
    expect(stateOf(one, 'a1')).toBe('degraded');
    expect(one.risk.level).toBe('high');
    const why = groupOf(one, 'c1');
    expect(why).toMatchObject({ kind: 'group', group: { label: 'c1', implicit: true, lost: 1, members: 2, minUp: 1, up: ['n2'] } });
    expect(whyText(why)).toBe('members of c1: lost 1 of 2, needs 1: n2 still up');
    const both = impact(svc, ['n1', 'n2']);
    expect(stateOf(both, 'c1')).toBe('down');
    expect(whyText(groupOf(both, 'c1'))).toBe('members of c1: lost 2 of 2, needs 1: none left');
    // Upstream: neither node alone takes billing down.
    expect(impact(svc, ['a1'], 'upstream').singlePoints?.map((c) => c.key)).toEqual(['c1']);
    // The health rules see a group they accept: none of theirs fires on it.
    const health = await ok(svc, 'health', {});
    const groupRules = health.rules.filter((r) => r.rule === 'unsatisfiable-group' || r.rule === 'mixed-group');
    expect(groupRules.map((r) => [r.rule, r.findings])).toEqual([
      ['unsatisfiable-group', 0],
      ['mixed-group', 0],
    ]);
  });

  it('a member added later joins the implicit group (the patched index groups it as a build does)', async () => {
    const svc = freshService();
    open.push(svc);
    await ok(svc, 'importCsv', { cis: { name: 'ci.csv', content: SNOW_CIS }, relationships: { name: 'rel.csv', content: SNOW_RELS } });
    expect(stateOf(impact(svc, ['n1', 'n2']), 'c1')).toBe('down');
    await ok(svc, 'createCi', { key: 'n3', fields: { name: 'ora-rac-n3', type: 'server' } });
    await ok(svc, 'createRelationship', { source: 'n3', target: 'c1', type: 'member_of' });
    const r = impact(svc, ['n1', 'n2']);
    expect(stateOf(r, 'c1')).toBe('degraded');
    expect(whyText(groupOf(r, 'c1'))).toBe('members of c1: lost 2 of 3, needs 1: n3 still up');
    expect(svc.impacts.indexHolder.patches).toBeGreaterThan(0);
  });
});

describe('cmdb import: a mapping that takes the usual source column for another field', () => {
  it('says the column is mapped to redundancy_group', () => {
    ensureCliBuilt();
    const dir = tempDir('cmdb-map-taken-');
    writeFileSync(join(dir, 'ci.csv'), SNOW_CIS);
    writeFileSync(join(dir, 'rel.csv'), SNOW_RELS);
    writeFileSync(join(dir, 'map.json'), '{"relationships":{"redundancy_group":"parent"}}');
    const r = cmdb([
      'import',
      '--db',
      join(dir, 'x.db'),
      '--cis',
      join(dir, 'ci.csv'),
      '--relationships',
      join(dir, 'rel.csv'),
      '--mapping',
      join(dir, 'map.json'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('rel.csv line 1: no column holds the source CI (its key or name) (source).');
    expect(r.stderr).toContain(
      'column parent is mapped to redundancy_group, so it is not read as the source too (a column holds one field): map redundancy_group to another column (or to none: "redundancy_group": ""), or map source to a column.',
    );
  });
});
