/**
 * Test support for the impact engine: a CMDB built from plain arrays, and an
 * independent brute-force reference that applies the ARCHITECTURE rules
 * literally, iterating to a fixpoint over plain arrays (no index, no BFS).
 */
import { CmdbService } from '../../electron/cmdb/service.js';
import { REL_TYPE_SEEDS, unknownRelType } from '../../electron/cmdb/types-registry.js';

export interface TestCi {
  key: string;
  type?: string;
  criticality?: string | null;
  owner?: string | null;
  status?: string | null;
}

/** [source, target, type, redundancyGroup?, minUp?] as stored (not oriented). */
export type TestRel = [string, string, string, (string | null)?, (number | null)?];

/**
 * An in-memory CMDB holding exactly these CIs and relationships. A type the
 * registry lacks is registered the way an import registers it (unknownRelType:
 * a hard "depends on", flagged).
 */
export function makeCmdb(cis: Array<TestCi | string>, rels: TestRel[]): CmdbService {
  const svc = CmdbService.open(':memory:', { source: 'test' });
  const now = new Date().toISOString();
  const insCi = svc.db.prepare(
    'INSERT INTO cis(key, type, name, owner, criticality, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insRel = svc.db.prepare(
    `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, created_at, updated_at)
     VALUES ((SELECT id FROM cis WHERE key = ?), (SELECT id FROM cis WHERE key = ?), ?, ?, ?, ?, ?)`,
  );
  const addRelType = svc.db.prepare(
    'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, ?, ?, 1)',
  );
  svc.db.transaction(() => {
    for (const type of new Set(rels.map((r) => r[2]))) {
      if (REL_TYPE_SEEDS.some((x) => x.name === type)) continue;
      const u = unknownRelType(type);
      addRelType.run(u.name, u.label, u.reverseLabel, u.dependent, u.strength);
    }
    for (const c of cis) {
      const ci = typeof c === 'string' ? { key: c } : c;
      insCi.run(
        ci.key,
        ci.type ?? 'application',
        `Name of ${ci.key}`,
        ci.owner ?? null,
        ci.criticality ?? null,
        ci.status ?? null,
        now,
        now,
      );
    }
    for (const [s, t, type, g, m] of rels) insRel.run(s, t, type, g ?? null, m ?? null, now, now);
  })();
  return svc;
}

export type RefState = 'down' | 'degraded';

export interface RefEdge {
  /** The CI that depends on the other. */
  dependent: string;
  dependency: string;
  type: string;
  strength: 'hard' | 'soft' | 'none';
  group: string | null;
  minUp: number | null;
}

/**
 * Orients stored relationships by the seeded registry (member_of: the target
 * depends on the source); a type it lacks is a hard "depends on", as makeCmdb registers it.
 * member_of without a group is in the cluster's implicit group.
 */
export function orient(rels: TestRel[]): RefEdge[] {
  return rels.map(([s, t, type, g, m]) => {
    const seed = REL_TYPE_SEEDS.find((x) => x.name === type) ?? unknownRelType(type);
    const [dependent, dependency] = seed.dependent === 'source' ? [s, t] : [t, s];
    // A cluster's members without a redundancy group are one implicit group of the cluster's (needs 1).
    const group = g ?? (type === 'member_of' ? '(members)' : null);
    return { dependent, dependency, type, strength: seed.strength, group, minUp: m ?? null };
  });
}

function followed(e: RefEdge, types?: string[]): boolean {
  return e.strength !== 'none' && (!types || types.length === 0 || types.includes(e.type));
}

/**
 * Downstream reference. States: the rules applied to every CI, round after
 * round, until nothing changes (states only move up). Depths: relaxation of
 * the explaining relationships until stable. `notRunning`: the CIs whose
 * status says they are not running, already down as group members.
 */
export function referenceDownstream(
  keys: string[],
  edges: RefEdge[],
  changed: string[],
  types?: string[],
  notRunning: ReadonlySet<string> = new Set(),
): Map<string, { state: RefState; depth: number }> {
  const live = edges.filter((e) => followed(e, types));
  const state = new Map<string, RefState>();
  for (const c of changed) state.set(c, 'down');
  const isDown = (k: string) => state.get(k) === 'down';
  const isImpacted = (k: string) => state.has(k);
  const groupsOf = (x: string) => {
    const groups = new Map<string, RefEdge[]>();
    for (const e of live) {
      if (e.dependent !== x || e.strength !== 'hard' || e.group === null) continue;
      groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
    }
    return groups;
  };
  const groupFailed = (members: RefEdge[]) => {
    const lost = members.filter((e) => isDown(e.dependency)).length;
    const gone = members.filter((e) => isDown(e.dependency) || notRunning.has(e.dependency)).length;
    const minUp = Math.max(1, ...members.map((e) => e.minUp ?? 1));
    return lost > 0 && members.length - gone < minUp;
  };
  let changedSomething = true;
  while (changedSomething) {
    changedSomething = false;
    for (const x of keys) {
      if (isDown(x)) continue;
      const mine = live.filter((e) => e.dependent === x);
      const downNow =
        mine.some((e) => e.strength === 'hard' && e.group === null && isDown(e.dependency)) || [...groupsOf(x).values()].some(groupFailed);
      const degradedNow =
        mine.some((e) => e.strength === 'hard' && e.group !== null && isDown(e.dependency)) ||
        mine.some((e) => e.strength === 'soft' && isImpacted(e.dependency)) ||
        mine.some((e) => state.get(e.dependency) === 'degraded');
      if (downNow) {
        state.set(x, 'down');
        changedSomething = true;
      } else if (degradedNow && !isImpacted(x)) {
        state.set(x, 'degraded');
        changedSomething = true;
      }
    }
  }
  // Depth: a down CI through an explaining relationship from a down CI; a degraded one through any followed one.
  const depth = new Map<string, number>();
  for (const c of changed) depth.set(c, 0);
  for (let round = 0; round <= keys.length; round++) {
    for (const e of live) {
      const x = e.dependent;
      const p = e.dependency;
      if (!isImpacted(x) || depth.get(p) === undefined || changed.includes(x)) continue;
      if (isDown(x)) {
        if (!isDown(p) || e.strength !== 'hard') continue;
        if (e.group !== null && !groupFailed(groupsOf(x).get(e.group)!)) continue;
      }
      const d = depth.get(p)! + 1;
      if (depth.get(x) === undefined || d < depth.get(x)!) depth.set(x, d);
    }
  }
  const out = new Map<string, { state: RefState; depth: number }>();
  for (const [k, s] of state) out.set(k, { state: s, depth: depth.get(k)! });
  return out;
}

/**
 * Upstream reference, by brute force: a dependency is down (a single point
 * of failure) when the downstream reference, losing it alone, takes an
 * origin down; otherwise degraded. Depth: the shortest chain of critical
 * steps (hard, ungrouped or in a group that cannot lose one member) when one
 * reaches it, else for a single point the shortest chain of hard steps, for
 * any other dependency the shortest followed chain.
 */
export function referenceUpstream(
  edges: RefEdge[],
  origins: string[],
  types?: string[],
  notRunning: ReadonlySet<string> = new Set(),
): Map<string, { state: RefState; depth: number }> {
  const live = edges.filter((e) => followed(e, types));
  // A member not running is down already: losing it takes nothing more; the others have fewer spares.
  const critical = (e: RefEdge) => {
    if (e.strength !== 'hard') return false;
    if (e.group === null) return true;
    const members = live.filter((f) => f.dependent === e.dependent && f.strength === 'hard' && f.group === e.group);
    const minUp = Math.max(1, ...members.map((f) => f.minUp ?? 1));
    const running = members.filter((f) => !notRunning.has(f.dependency)).length;
    return running - (notRunning.has(e.dependency) ? 0 : 1) < minUp;
  };
  const relax = (usable: RefEdge[]) => {
    const d = new Map<string, number>(origins.map((o) => [o, 0]));
    for (let changed = true; changed;) {
      changed = false;
      for (const e of usable) {
        const from = d.get(e.dependent);
        if (from === undefined) continue;
        if (d.get(e.dependency) === undefined || from + 1 < d.get(e.dependency)!) {
          d.set(e.dependency, from + 1);
          changed = true;
        }
      }
    }
    return d;
  };
  const hardD = relax(live.filter(critical));
  const anyD = relax(live);
  const hardAnyD = relax(live.filter((e) => e.strength === 'hard'));
  const out = new Map<string, { state: RefState; depth: number }>();
  const keys = [...new Set(edges.flatMap((e) => [e.dependent, e.dependency]))];
  for (const [k, d] of anyD) {
    if (origins.includes(k)) continue;
    const h = hardD.get(k);
    const lost = referenceDownstream(keys, edges, [k], types, notRunning);
    const single = origins.some((o) => lost.get(o)?.state === 'down');
    out.set(k, single ? { state: 'down', depth: h ?? hardAnyD.get(k)! } : { state: 'degraded', depth: d });
  }
  return out;
}
