import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImpactResult } from '../../shared/impact.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { unknownRelType } from '../../electron/cmdb/types-registry.js';
import { makeCmdb, orient, referenceDownstream, referenceUpstream, type RefEdge, type TestRel } from './impact-reference.js';

const open: CmdbService[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function cmdb(cis: string[], rels: TestRel[]): CmdbService {
  const svc = makeCmdb(cis, rels);
  open.push(svc);
  return svc;
}

function impact(
  svc: CmdbService,
  keys: string[],
  opts: { types?: string[]; depth?: number; direction?: 'downstream' | 'upstream' } = {},
): ImpactResult {
  return svc.impacts.impact({ keys, direction: opts.direction ?? 'downstream', types: opts.types, depth: opts.depth, limit: 1_000_000 });
}

/** key -> "state@depth" for a compact comparison; a changed CI reads as down (the reference's word: it goes down). */
function states(r: ImpactResult): Record<string, string> {
  return Object.fromEntries(r.impacted.map((i) => [i.key, `${i.state === 'changed' ? 'down' : i.state}@${i.depth}`]));
}

function pathOf(r: ImpactResult, key: string): string {
  const hit = r.impacted.find((i) => i.key === key);
  if (!hit) throw new Error(`${key} not impacted`);
  return hit.path.map((s, i) => (i === 0 ? s.key : `-${s.rel}->${s.key}`)).join('');
}

describe('impact engine: hand-made cases', () => {
  it('a diamond: both branches down, the join down once with the shortest path', () => {
    // app depends on a and b; a and b depend on db; top depends on app
    const svc = cmdb(
      ['db', 'a', 'b', 'app', 'top'],
      [
        ['a', 'db', 'depends_on'],
        ['b', 'db', 'depends_on'],
        ['app', 'a', 'depends_on'],
        ['app', 'b', 'runs_on'],
        ['top', 'app', 'depends_on'],
      ],
    );
    const r = impact(svc, ['db']);
    expect(states(r)).toEqual({ db: 'down@0', a: 'down@1', b: 'down@1', app: 'down@2', top: 'down@3' });
    expect(r.impacted.find((i) => i.key === 'top')!.path).toHaveLength(4);
    expect(pathOf(r, 'db')).toBe('db');
    expect(r.impacted.find((i) => i.key === 'db')!.changed).toBe(true);
  });

  it('a cycle: everyone on it goes down once, and the analysis ends', () => {
    const svc = cmdb(
      ['x', 'a', 'b', 'c'],
      [
        ['a', 'x', 'depends_on'],
        ['b', 'a', 'depends_on'],
        ['c', 'b', 'depends_on'],
        ['a', 'c', 'depends_on'],
      ],
    );
    expect(states(impact(svc, ['x']))).toEqual({ x: 'down@0', a: 'down@1', b: 'down@2', c: 'down@3' });
    // Starting inside the cycle
    expect(states(impact(svc, ['b']))).toEqual({ b: 'down@0', c: 'down@1', a: 'down@2' });
  });

  it('a redundancy cycle cannot hold itself down: a lost member with the other one up only degrades', () => {
    // app needs one of {p, q}; q depends on app (a cycle through the group)
    const svc = cmdb(
      ['p', 'q', 'app'],
      [
        ['app', 'p', 'depends_on', 'pool'],
        ['app', 'q', 'depends_on', 'pool'],
        ['q', 'app', 'depends_on'],
      ],
    );
    expect(states(impact(svc, ['p']))).toEqual({ p: 'down@0', app: 'degraded@1', q: 'degraded@2' });
  });

  it('redundancy: one member lost degrades, both lost takes the dependent down', () => {
    const svc = cmdb(
      ['n1', 'n2', 'lb', 'web'],
      [
        ['lb', 'n1', 'depends_on', 'nodes'],
        ['lb', 'n2', 'depends_on', 'nodes'],
        ['web', 'lb', 'depends_on'],
      ],
    );
    expect(states(impact(svc, ['n1']))).toEqual({ n1: 'down@0', lb: 'degraded@1', web: 'degraded@2' });
    const both = impact(svc, ['n1', 'n2']);
    expect(states(both)).toEqual({ n1: 'down@0', n2: 'down@0', lb: 'down@1', web: 'down@2' });
  });

  it('min_up > 1: the group fails when fewer than min_up remain; min_up is the largest given in the group', () => {
    const svc = cmdb(
      ['m1', 'm2', 'm3', 'db'],
      [
        ['db', 'm1', 'depends_on', 'quorum', 2],
        ['db', 'm2', 'depends_on', 'quorum'],
        ['db', 'm3', 'depends_on', 'quorum', 1],
      ],
    );
    expect(states(impact(svc, ['m1']))).toEqual({ m1: 'down@0', db: 'degraded@1' });
    expect(states(impact(svc, ['m2', 'm3']))).toEqual({ m2: 'down@0', m3: 'down@0', db: 'down@1' });
  });

  it('nested redundancy: a group member that is itself a failed group', () => {
    // site needs one of {dcA, dcB}; dcA needs one of {a1, a2}; dcB has b1
    const svc = cmdb(
      ['a1', 'a2', 'b1', 'dcA', 'dcB', 'site'],
      [
        ['dcA', 'a1', 'runs_on', 'hostsA'],
        ['dcA', 'a2', 'runs_on', 'hostsA'],
        ['dcB', 'b1', 'runs_on'],
        ['site', 'dcA', 'depends_on', 'dcs'],
        ['site', 'dcB', 'depends_on', 'dcs'],
      ],
    );
    expect(states(impact(svc, ['a1']))).toEqual({ a1: 'down@0', dcA: 'degraded@1', site: 'degraded@2' });
    expect(states(impact(svc, ['a1', 'a2']))).toEqual({ a1: 'down@0', a2: 'down@0', dcA: 'down@1', site: 'degraded@2' });
    const all = impact(svc, ['a1', 'a2', 'b1']);
    expect(states(all)).toEqual({ a1: 'down@0', a2: 'down@0', b1: 'down@0', dcA: 'down@1', dcB: 'down@1', site: 'down@2' });
  });

  it('a changed CI inside a redundancy group, with member_of: the cluster depends on its members', () => {
    // n1, n2 member_of cluster (cluster depends on them, min_up 2); app runs_on cluster
    const svc = cmdb(
      ['n1', 'n2', 'n3', 'cluster', 'app'],
      [
        ['n1', 'cluster', 'member_of', 'members', 2],
        ['n2', 'cluster', 'member_of', 'members', 2],
        ['n3', 'cluster', 'member_of', 'members', 2],
        ['app', 'cluster', 'runs_on'],
      ],
    );
    expect(states(impact(svc, ['n1']))).toEqual({ n1: 'down@0', cluster: 'degraded@1', app: 'degraded@2' });
    const two = impact(svc, ['n1', 'n2']);
    expect(states(two)).toEqual({ n1: 'down@0', n2: 'down@0', cluster: 'down@1', app: 'down@2' });
    expect(pathOf(two, 'app')).toBe('n1-member_of->cluster-runs_on->app');
    // The cluster going down does not take its members down (member_of points the other way).
    expect(states(impact(svc, ['cluster']))).toEqual({ cluster: 'down@0', app: 'down@1' });
  });

  it('soft dependencies only degrade, and degradation goes through several levels', () => {
    const svc = cmdb(
      ['cache', 'api', 'web', 'portal', 'mobile'],
      [
        ['api', 'cache', 'uses'],
        ['web', 'api', 'depends_on'],
        ['portal', 'web', 'runs_on'],
        ['mobile', 'portal', 'uses'],
      ],
    );
    expect(states(impact(svc, ['cache']))).toEqual({
      cache: 'down@0',
      api: 'degraded@1',
      web: 'degraded@2',
      portal: 'degraded@3',
      mobile: 'degraded@4',
    });
  });

  it('degraded by a short path and down by a longer one: down wins, and its path runs through down CIs only', () => {
    // svc uses x (soft, 1 step) and depends on y which depends on x (hard, 2 steps)
    const svc = cmdb(
      ['x', 'y', 'svc', 'top'],
      [
        ['svc', 'x', 'uses'],
        ['y', 'x', 'depends_on'],
        ['svc', 'y', 'depends_on'],
        ['top', 'svc', 'uses'],
      ],
    );
    const r = impact(svc, ['x']);
    expect(states(r)).toEqual({ x: 'down@0', y: 'down@1', svc: 'down@2', top: 'degraded@3' });
    expect(pathOf(r, 'svc')).toBe('x-depends_on->y-depends_on->svc');
  });

  it('a down CI is never explained through a degraded dependency, even a closer one', () => {
    const svc = cmdb(
      ['c', 'spare', 'p', 'r', 'q', 'x'],
      [
        ['p', 'c', 'depends_on', 'g'],
        ['p', 'spare', 'depends_on', 'g'],
        ['x', 'p', 'depends_on'],
        ['r', 'c', 'depends_on'],
        ['q', 'r', 'runs_on'],
        ['x', 'q', 'depends_on'],
      ],
    );
    const r = impact(svc, ['c']);
    expect(states(r)).toEqual({ c: 'down@0', p: 'degraded@1', r: 'down@1', q: 'down@2', x: 'down@3' });
    expect(pathOf(r, 'x')).toBe('c-depends_on->r-runs_on->q-depends_on->x');
  });

  it('a down CI is never explained through a redundancy group that still holds', () => {
    const svc = cmdb(
      ['c', 'spare', 'r', 'q', 'x'],
      [
        ['x', 'c', 'depends_on', 'g'],
        ['x', 'spare', 'depends_on', 'g'],
        ['r', 'c', 'depends_on'],
        ['q', 'r', 'depends_on'],
        ['x', 'q', 'depends_on'],
      ],
    );
    const r = impact(svc, ['c']);
    expect(states(r)).toEqual({ c: 'down@0', r: 'down@1', q: 'down@2', x: 'down@3' });
    expect(pathOf(r, 'x')).toBe('c-depends_on->r-depends_on->q-depends_on->x');
  });

  it('a down CI is explained by the relationship that takes it down, not a parallel one in a group that holds', () => {
    // app runs on host (alone) and, through a cluster-style member_of, also counts host and spare as a group.
    const svc = cmdb(
      ['host', 'spare', 'app'],
      [
        ['app', 'host', 'runs_on'],
        ['host', 'app', 'member_of', 'g1'],
        ['spare', 'app', 'member_of', 'g1'],
      ],
    );
    const r = impact(svc, ['host']);
    expect(states(r)).toEqual({ host: 'down@0', app: 'down@1' });
    expect(pathOf(r, 'app')).toBe('host-runs_on->app');
  });

  it('a degraded CI does not bring its hard dependents down: they are degraded', () => {
    const svc = cmdb(
      ['n1', 'n2', 'lb', 'app'],
      [
        ['lb', 'n1', 'depends_on', 'g'],
        ['lb', 'n2', 'depends_on', 'g'],
        ['app', 'lb', 'depends_on'],
        ['app', 'n1', 'connects_to'],
      ],
    );
    expect(states(impact(svc, ['n1']))).toEqual({ n1: 'down@0', lb: 'degraded@1', app: 'degraded@2' });
  });

  it('connects_to and backup_of are not followed, even alone', () => {
    const svc = cmdb(
      ['a', 'b', 'c'],
      [
        ['b', 'a', 'connects_to'],
        ['c', 'a', 'backup_of'],
      ],
    );
    expect(states(impact(svc, ['a']))).toEqual({ a: 'down@0' });
  });

  it('hosted_on is hard, and a type the registry lacks (as an import registers it) is a hard depends_on', () => {
    const svc = cmdb(
      ['db', 'app', 'vm', 'host'],
      [
        ['app', 'db', 'replicates_to'],
        ['vm', 'host', 'hosted_on'],
      ],
    );
    expect(states(impact(svc, ['db']))).toEqual({ db: 'down@0', app: 'down@1' });
    expect(states(impact(svc, ['host']))).toEqual({ host: 'down@0', vm: 'down@1' });
    expect(pathOf(impact(svc, ['db']), 'app')).toBe('db-replicates_to->app');
  });

  it('a types filter follows only the named types', () => {
    const svc = cmdb(
      ['db', 'app', 'vm', 'host'],
      [
        ['app', 'db', 'depends_on'],
        ['vm', 'host', 'runs_on'],
        ['app', 'vm', 'runs_on'],
      ],
    );
    expect(states(impact(svc, ['host']))).toEqual({ host: 'down@0', vm: 'down@1', app: 'down@2' });
    expect(states(impact(svc, ['host'], { types: ['depends_on'] }))).toEqual({ host: 'down@0' });
    expect(states(impact(svc, ['db'], { types: ['depends_on'] }))).toEqual({ db: 'down@0', app: 'down@1' });
    expect(() => impact(svc, ['db'], { types: ['nope'] })).toThrow(/Unknown relationship type "nope"/);
    expect(() => impact(svc, ['db'], { types: ['connects_to'] })).toThrow('"connects_to" has strength "none" and never propagates impact.');
    expect(() => impact(svc, ['db'], { types: ['connects_to', 'backup_of'] })).toThrow(
      '"connects_to", "backup_of" have strength "none" and never propagate impact. Leave them out',
    );
    expect(() => impact(svc, ['db'], { types: ['nope', 'nah'] })).toThrow(/^Unknown relationship types "nope", "nah"\. Known types: /);
  });

  it('a depth limit cuts the answer, not the truth', () => {
    const svc = cmdb(
      ['a', 'b', 'c', 'd'],
      [
        ['b', 'a', 'depends_on'],
        ['c', 'b', 'depends_on'],
        ['d', 'c', 'depends_on'],
      ],
    );
    expect(states(impact(svc, ['a'], { depth: 2 }))).toEqual({ a: 'down@0', b: 'down@1', c: 'down@2' });
    expect(states(impact(svc, ['a'], { depth: 0 }))).toEqual({ a: 'down@0' });
    expect(impact(svc, ['a'], { depth: 2 }).depthLimit).toBe(2);
  });

  it('unknown keys are refused with their names', () => {
    const svc = cmdb(['a'], []);
    expect(() => impact(svc, ['a', 'ghost'])).toThrow(/No CI with key "ghost"/);
  });

  it('upstream: what a CI depends on, down along critical chains, degraded through soft or spare redundancy', () => {
    const svc = cmdb(
      ['app', 'db', 'disk', 'n1', 'n2', 'cache', 'peer'],
      [
        ['app', 'db', 'depends_on'],
        ['db', 'disk', 'runs_on'],
        ['app', 'n1', 'runs_on', 'nodes'],
        ['app', 'n2', 'runs_on', 'nodes'],
        ['app', 'cache', 'uses'],
        ['app', 'peer', 'connects_to'],
      ],
    );
    const r = impact(svc, ['app'], { direction: 'upstream' });
    expect(states(r)).toEqual({ db: 'down@1', disk: 'down@2', n1: 'degraded@1', n2: 'degraded@1', cache: 'degraded@1' });
    expect(pathOf(r, 'disk')).toBe('app-depends_on->db-runs_on->disk');
    expect(r.risk.level).toBe('none');
  });
});

// ---------- generated graphs against the brute-force reference ----------

/** A type the registry lacks: the importer registers it as a hard "depends on" (unknownRelType). */
const CUSTOM = 'replicates_to';
/** Every seeded type (backup_of and connects_to do not propagate) and a custom one. */
const TYPES = ['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses', 'connects_to', 'backup_of', CUSTOM] as const;

const graphArb = graphs(2, 9);
/** Larger graphs: longer chains, where a closer degraded or still-redundant dependency must not explain a down CI. */
const bigGraphArb = graphs(10, 40);

function graphs(min: number, max: number) {
  return fc.integer({ min, max }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      rels: fc.uniqueArray(
        fc.record({
          s: fc.integer({ min: 0, max: n - 1 }),
          t: fc.integer({ min: 0, max: n - 1 }),
          type: fc.constantFrom(...TYPES),
          group: fc.constantFrom(null, 'g1', 'g1', 'g2'),
          minUp: fc.constantFrom(null, null, null, 1, 2, 3),
        }),
        { minLength: n, maxLength: 3 * n, size: 'max', selector: (r) => `${r.s}/${r.t}/${r.type}` },
      ),
      changed: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
      // CIs whose status says they are not running: as group members, already down.
      idle: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.max(1, n >> 2) }),
      types: fc.option(fc.subarray(['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses', CUSTOM], { minLength: 1 }), {
        nil: undefined,
      }),
      depth: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    }),
  );
}

/** The hard relationships of `dependent` in one redundancy group, among the types followed. */
function groupMembers(edges: RefEdge[], dependent: string, group: string, types?: string[]): RefEdge[] {
  return edges.filter(
    (e) =>
      e.dependent === dependent && e.group === group && e.strength === 'hard' && (!types || types.length === 0 || types.includes(e.type)),
  );
}

/** min_up of a group: the largest given on its relationships, at least 1. */
const minUpOf = (members: RefEdge[]) => Math.max(1, ...members.map((e) => e.minUp ?? 1));

/**
 * Paths are valid: every step is a followed relationship in the right direction; a down CI's steps
 * are hard and run through down CIs; every CI inside a degraded CI's path is itself impacted.
 * Downstream, a grouped step into a down CI crosses a group that really fell below min_up (`down`:
 * every down CI of the full analysis, from the reference); upstream, a down CI's grouped steps are
 * in groups that cannot lose one member.
 */
function checkPaths(
  r: ImpactResult,
  edges: RefEdge[],
  origins: string[],
  direction: 'downstream' | 'upstream',
  types?: string[],
  down?: Set<string>,
  idle?: ReadonlySet<string>,
) {
  const stateOf = new Map(r.impacted.map((i) => [i.key, i.state]));
  for (const i of r.impacted) {
    const keys = i.path.map((s) => s.key);
    if (i.state === 'degraded') {
      for (let k = 1; k < keys.length - 1; k++) {
        const inner = r.impacted.find((x) => x.key === keys[k]);
        expect(inner, `${keys[k]} inside the path of degraded ${i.key} is impacted`).toBeDefined();
        // Downstream, the path is the breadth-first tree's: the CI k steps in is k deep.
        if (direction === 'downstream') expect(inner!.depth, `depth of ${keys[k]} inside the path of ${i.key}`).toBe(k);
      }
    }
    expect(keys.length - 1, `path length of ${i.key}`).toBe(i.depth);
    expect(origins).toContain(keys[0]);
    expect(keys[keys.length - 1]).toBe(i.key);
    for (let k = 1; k < keys.length; k++) {
      const [from, to] = [keys[k - 1]!, keys[k]!];
      const rel = i.path[k]!.rel;
      const ok = edges.some(
        (e) =>
          e.type === rel &&
          e.strength !== 'none' &&
          (!types || types.includes(e.type)) &&
          (direction === 'downstream' ? e.dependency === from && e.dependent === to : e.dependent === from && e.dependency === to),
      );
      expect(ok, `step ${from} -${rel}-> ${to} of ${i.key}`).toBe(true);
      if (i.state === 'down' && direction === 'downstream') {
        expect(stateOf.get(to)).toBe('down');
        // A down CI's path steps are relationships that can take it down: hard ones.
        const hard = edges.some((e) => e.type === rel && e.strength === 'hard' && e.dependency === from && e.dependent === to);
        expect(hard, `hard step ${from} -${rel}-> ${to} of ${i.key}`).toBe(true);
        // (dependent, dependency, type) names one relationship: the generator keeps (source, target, type) unique.
        const step = edges.find((e) => e.type === rel && e.dependency === from && e.dependent === to)!;
        if (step.group !== null && down) {
          const members = groupMembers(edges, to, step.group, types);
          const lost = members.filter((e) => down.has(e.dependency)).length;
          const gone = members.filter((e) => down.has(e.dependency) || (idle?.has(e.dependency) ?? false)).length;
          expect(
            lost > 0 && members.length - gone < minUpOf(members),
            `grouped down step ${from} -${rel}-> ${to} of ${i.key}: group ${step.group} lost ${lost} of ${members.length}, min_up ${minUpOf(members)}`,
          ).toBe(true);
        }
      }
      if (i.state === 'down' && direction === 'upstream') {
        // A single point behind nested redundancy (`shared`) is reached by hard steps.
        const shared = i.path[i.path.length - 1]!.why?.kind === 'shared';
        if (shared) {
          const hard = edges.some((e) => e.type === rel && e.strength === 'hard' && e.dependent === from && e.dependency === to);
          expect(hard, `hard step ${from} -${rel}-> ${to} of shared ${i.key}`).toBe(true);
          continue;
        }
        // Any other down dependency's chain is critical: hard steps, each ungrouped or in a group that cannot lose one member.
        const step = edges.find((e) => e.type === rel && e.dependent === from && e.dependency === to)!;
        expect(step.strength, `hard step ${from} -${rel}-> ${to} of ${i.key}`).toBe('hard');
        if (step.group !== null) {
          const members = groupMembers(edges, from, step.group, types);
          const running = members.filter((e) => !(idle?.has(e.dependency) ?? false)).length;
          const lose = idle?.has(to) ? 0 : 1;
          expect(running - lose < minUpOf(members), `critical group step ${from} -${rel}-> ${to} of ${i.key}`).toBe(true);
        }
      }
    }
  }
}

/**
 * makeCmdb, with the custom type registered (as an import would) even when no relationship uses it, so a types
 * filter may name it; the CIs of `idle` are non-operational, or in maintenance (not running either).
 */
function generatedCmdb(keys: string[], rels: TestRel[], idle: ReadonlySet<string> = new Set()): CmdbService {
  const svc = makeCmdb(
    keys.map((key, i) => ({
      key,
      status: idle.has(key) ? (i % 2 ? 'non-operational' : 'maintenance') : i % 3 ? 'operational' : 'standby',
    })),
    rels,
  );
  const u = unknownRelType(CUSTOM);
  svc.db
    .prepare('INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, ?, ?, 1)')
    .run(u.name, u.label, u.reverseLabel, u.dependent, u.strength);
  return svc;
}

/** The down CIs of a reference answer. */
const downSet = (want: Map<string, { state: string }>) => new Set([...want].filter(([, v]) => v.state === 'down').map(([k]) => k));

describe('impact engine against the brute-force reference (generated graphs)', () => {
  it('downstream: same states and depths, valid paths', () => {
    fc.assert(
      fc.property(graphArb, ({ n, rels, changed, idle: idleAt, types, depth }) => {
        const keys = Array.from({ length: n }, (_, i) => `c${i}`);
        const testRels: TestRel[] = rels.filter((r) => r.s !== r.t).map((r) => [keys[r.s]!, keys[r.t]!, r.type, r.group, r.minUp]);
        const idle = new Set(idleAt.map((i) => keys[i]!));
        const svc = generatedCmdb(keys, testRels, idle);
        try {
          const origins = changed.map((i) => keys[i]!);
          const edges = orient(testRels);
          const r = impact(svc, origins, { types, depth });
          const want = referenceDownstream(keys, edges, origins, types, idle);
          const expected: Record<string, string> = {};
          for (const [k, v] of want) if (depth === undefined || v.depth <= depth) expected[k] = `${v.state}@${v.depth}`;
          expect(states(r)).toEqual(expected);
          checkPaths(r, edges, origins, 'downstream', types, downSet(want), idle);
        } finally {
          svc.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('downstream on larger graphs: same states and depths, valid paths', () => {
    fc.assert(
      fc.property(bigGraphArb, ({ n, rels, changed, idle: idleAt, types }) => {
        const keys = Array.from({ length: n }, (_, i) => `c${i}`);
        const testRels: TestRel[] = rels.filter((r) => r.s !== r.t).map((r) => [keys[r.s]!, keys[r.t]!, r.type, r.group, r.minUp]);
        const idle = new Set(idleAt.map((i) => keys[i]!));
        const svc = generatedCmdb(keys, testRels, idle);
        try {
          const origins = changed.map((i) => keys[i]!);
          const edges = orient(testRels);
          const r = impact(svc, origins, { types });
          const want = referenceDownstream(keys, edges, origins, types, idle);
          expect(states(r)).toEqual(Object.fromEntries([...want].map(([k, v]) => [k, `${v.state}@${v.depth}`])));
          checkPaths(r, edges, origins, 'downstream', types, downSet(want), idle);
        } finally {
          svc.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('upstream: same states and depths, valid paths', () => {
    fc.assert(
      fc.property(graphArb, ({ n, rels, changed, idle: idleAt, types, depth }) => {
        const keys = Array.from({ length: n }, (_, i) => `c${i}`);
        const testRels: TestRel[] = rels.filter((r) => r.s !== r.t).map((r) => [keys[r.s]!, keys[r.t]!, r.type, r.group, r.minUp]);
        const idle = new Set(idleAt.map((i) => keys[i]!));
        const svc = generatedCmdb(keys, testRels, idle);
        try {
          const origins = changed.map((i) => keys[i]!);
          const edges = orient(testRels);
          const r = impact(svc, origins, { types, depth, direction: 'upstream' });
          const want = referenceUpstream(edges, origins, types, idle);
          const expected: Record<string, string> = {};
          for (const [k, v] of want) if (depth === undefined || v.depth <= depth) expected[k] = `${v.state}@${v.depth}`;
          expect(states(r)).toEqual(expected);
          checkPaths(r, edges, origins, 'upstream', types, undefined, idle);
        } finally {
          svc.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
