/**
 * From a request to an answer a person can act on: resolves keys, runs the
 * engine on the index, fetches the CIs reached (in batches, not one query per
 * CI), and derives counts, business services, owners and the risk level.
 */
import { CmdbError } from '../../../shared/errors.js';
import type { CiBrief, ImpactCi, ImpactDirection, ImpactResult, ImpactState, PathStep, RiskLevel } from '../../../shared/impact.js';
import { RISK_LEVELS } from '../../../shared/impact.js';
import type { Db } from '../db.js';
import { downstreamImpact, type ImpactRun, pathOf, STATE_DOWN, upstreamImpact } from './engine.js';
import { ATTR_CRITICALITY, ATTR_OWNER, ATTR_TYPE, type CiAttrs } from './ci-attrs.js';
import { type GraphIndex, STRENGTH_NONE } from './graph-index.js';

export interface ImpactQuery {
  keys: readonly string[];
  direction: ImpactDirection;
  types?: readonly string[] | undefined;
  depth?: number | undefined;
  limit: number;
  /** Skip changed keys the CMDB no longer has instead of refusing (re-evaluating a saved change). */
  allowMissing?: boolean;
}

export interface ImpactAnswer {
  result: ImpactResult;
  /** Every impacted CI with its state (not cut by `limit`), for saving and comparing. */
  all: Array<[string, ImpactState]>;
  missingKeys: string[];
}

interface CiRowLite {
  id: number;
  key: string;
  name: string;
  type: string;
  owner: string | null;
  criticality: string | null;
}

const CHUNK = 10_000;

/** Rank of a criticality value: critical 4, high 3, medium 2, low 1, anything else 0. */
export function criticalityRank(c: string | null): number {
  switch ((c ?? '').trim().toLowerCase()) {
    case 'critical':
    case 'very high':
    case 'mission critical':
    case 'mission-critical':
      return 4;
    case 'high':
      return 3;
    case 'medium':
    case 'moderate':
      return 2;
    case 'low':
      return 1;
    default:
      return 0;
  }
}

/**
 * The risk one impacted CI brings. Down: critical -> critical, high -> high,
 * medium -> medium, anything else -> low. Degraded: one level lower (critical
 * -> high, high -> medium), never below low. The risk of a change is the
 * highest over its impacted CIs. The changed CIs themselves count as
 * degraded: their outage is the planned part of the change, what it takes
 * down with it is the risk (so one of two redundant load balancers in front
 * of a critical service is a high-risk change, not a critical one).
 */
export function riskOf(state: ImpactState, criticality: string | null): RiskLevel {
  return RISK_LEVELS[riskIndex(state === 'down', criticalityRank(criticality))]!;
}

/** Fetches CIs by SQLite id in batches. */
export function fetchCis(db: Db, ids: ArrayLike<number>): Map<number, CiRowLite> {
  const stmt = db.prepare('SELECT id, key, name, type, owner, criticality FROM cis WHERE id IN (SELECT value FROM json_each(?))');
  const out = new Map<number, CiRowLite>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk: number[] = [];
    for (let j = i; j < Math.min(ids.length, i + CHUNK); j++) chunk.push(ids[j]!);
    for (const r of stmt.all(JSON.stringify(chunk)) as CiRowLite[]) out.set(r.id, r);
  }
  return out;
}

/** Resolves CI keys to rows; unknown keys are refused (or returned apart with allowMissing). */
export function resolveKeys(db: Db, keys: readonly string[], allowMissing = false): { rows: CiRowLite[]; missing: string[] } {
  const stmt = db.prepare('SELECT id, key, name, type, owner, criticality FROM cis WHERE key IN (SELECT value FROM json_each(?))');
  const found = new Map<string, CiRowLite>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const r of stmt.all(JSON.stringify(keys.slice(i, i + CHUNK))) as CiRowLite[]) found.set(r.key, r);
  }
  const missing = [...new Set(keys.filter((k) => !found.has(k)))];
  if (missing.length > 0 && !allowMissing) {
    throw new CmdbError(
      'NOT_FOUND',
      `No CI with key ${missing
        .slice(0, 5)
        .map((k) => `"${k}"`)
        .join(
          ', ',
        )}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}. Search for ${missing.length > 1 ? 'them' : 'it'} by name to find ${missing.length > 1 ? 'their keys' : 'its key'}.`,
      { keys: missing },
    );
  }
  const seen = new Set<string>();
  const rows: CiRowLite[] = [];
  for (const k of keys) {
    const r = found.get(k);
    if (r && !seen.has(k)) {
      seen.add(k);
      rows.push(r);
    }
  }
  return { rows, missing };
}

/** Checks the requested types against the registry and returns the mask and the names followed. */
export function typeSelection(index: GraphIndex, types: readonly string[] | undefined): { mask: Uint8Array; followed: string[] } {
  if (types && types.length > 0) {
    const unknown = types.filter((t) => index.typeIndex(t) < 0);
    if (unknown.length > 0) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `Unknown relationship type ${unknown.map((t) => `"${t}"`).join(', ')}. Known types: ${index.relTypes.map((t) => t.name).join(', ')}.`,
        { types: unknown },
      );
    }
    const inert = types.filter((t) => index.relTypes[index.typeIndex(t)]!.code === STRENGTH_NONE);
    if (inert.length > 0) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `${inert.map((t) => `"${t}"`).join(', ')} ${inert.length > 1 ? 'have' : 'has'} strength "none" and never propagate impact. Leave ${inert.length > 1 ? 'them' : 'it'} out, or change the type's strength in the registry.`,
        { types: inert },
      );
    }
  }
  const mask = index.typeMask(types);
  const followed = index.relTypes.filter((_, i) => mask[i] === 1).map((t) => t.name);
  return { mask, followed };
}

const STATE_NAME = (s: number): ImpactState => (s === STATE_DOWN ? 'down' : 'degraded');

/** Runs one analysis against the index. */
export function analyse(db: Db, index: GraphIndex, attrs: CiAttrs, q: ImpactQuery & { wantAll?: boolean }): ImpactAnswer {
  const t0 = performance.now();
  const { rows: origins, missing } = resolveKeys(db, q.keys, q.allowMissing);
  const { mask, followed } = typeSelection(index, q.types);
  const nodes = origins.map((r) => index.nodeOf(r.id)).filter((v) => v >= 0);
  const run: ImpactRun =
    q.direction === 'upstream'
      ? upstreamImpact(index, nodes, { mask, maxDepth: q.depth })
      : downstreamImpact(index, nodes, { mask, maxDepth: q.depth });

  const critRank = Int32Array.from(attrs.criticality.values, criticalityRank);
  const rankOf = (node: number) => {
    const c = attrs.codes[3 * node + ATTR_CRITICALITY]!;
    return c < 0 ? 0 : critRank[c]!;
  };
  // Downstream, the changed CIs are part of the answer (they go down); upstream they are the question.
  const downstream = q.direction === 'downstream';
  const first = downstream ? 0 : run.sources.length;
  const total = run.count - first;
  const t = tally(run, attrs, critRank, downstream);
  const { span, worst } = t;
  const severity = (v: number) =>
    ((run.depth[v] === 0 && downstream ? 0 : 1) * 2 + (run.state[v] === STATE_DOWN ? 0 : 1)) * 5 * span +
    (4 - rankOf(v)) * span +
    run.depth[v]!;
  const listed = mostSevere(t.sev, run.order, first, Math.min(q.limit, total), span);

  // Rows for the listed CIs, the CIs on their paths, the business services and the risk reasons.
  const reasonNodes = downstream && worst > 0 ? nodesAtRisk(run, worst, rankOf) : [];
  const paths = new Map(listed.map((v) => [v, pathOf(run, v)]));
  const need = new Set<number>([...listed, ...t.businessNodes, ...reasonNodes]);
  for (const p of paths.values()) for (const v of p.nodes) need.add(v);
  const cis = fetchCis(
    db,
    Int32Array.from(need, (v) => index.ciIdOf(v)),
  );
  for (const r of origins) cis.set(r.id, r);
  const ciOf = (v: number): CiRowLite =>
    cis.get(index.ciIdOf(v)) ?? {
      id: index.ciIdOf(v),
      key: `#${index.ciIdOf(v)}`,
      name: '(deleted)',
      type: '',
      owner: null,
      criticality: null,
    };

  const keyOrder = (a: number, b: number) => severity(a) - severity(b) || cmp(ciOf(a).key, ciOf(b).key);
  listed.sort(keyOrder);
  const impacted = impactedCis(index, run, listed, paths, ciOf, downstream);
  t.businessNodes.sort(keyOrder);

  const result: ImpactResult = {
    direction: q.direction,
    changed: origins.map(brief),
    types: followed,
    depthLimit: q.depth ?? null,
    impacted,
    truncated: total > impacted.length,
    counts: {
      down: t.down,
      degraded: total - t.down,
      total,
      byType: rollUp(t.byType, attrs.type.values).map((r) => ({ type: r.value ?? '', down: r.down, degraded: r.degraded })),
      // Most severe criticality first (critical, high, medium, low, others, not set).
      byCriticality: rollUp(t.byCrit, attrs.criticality.values)
        .sort((a, b) => criticalityRank(b.value) - criticalityRank(a.value) || (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0))
        .map((r) => ({ criticality: r.value, down: r.down, degraded: r.degraded })),
    },
    businessServices: t.businessNodes.map((v) => ({ ...brief(ciOf(v)), state: STATE_NAME(run.state[v]!), depth: run.depth[v]! })),
    owners: rollUp(t.byOwner, attrs.owner.values).map((r) => ({ owner: r.value, down: r.down, degraded: r.degraded })),
    risk: { level: RISK_LEVELS[worst]!, reasons: riskReasons(q.direction, worst, reasonNodes, run, ciOf) },
    durationMs: 0,
  };
  const all = q.wantAll ? everyState(db, index, run, first) : [];
  result.durationMs = Math.round((performance.now() - t0) * 100) / 100;
  return { result, all, missingKeys: missing };
}

/** What one pass over the impacted CIs counts (see `tally`). */
interface Tally {
  down: number;
  /** The highest risk level index (RISK_LEVELS) an impacted CI brings; 0 upstream, where risk is not assessed. */
  worst: number;
  /** Counters per type, criticality and owner code: two per value (degraded, down), NULL last. */
  byType: Int32Array;
  byCrit: Int32Array;
  byOwner: Int32Array;
  businessNodes: number[];
  /** Each impacted CI's severity bucket, in search order (lowest is most severe). */
  sev: Int32Array;
  /** Deepest depth + 1: the number of depth steps within a severity bucket's criticality. */
  span: number;
}

/**
 * Aggregates straight from the per-node codes: no query, no object per CI.
 * One pass over the impacted CIs fills typed counters (two per value, down
 * and degraded, NULL last) and each CI's severity bucket.
 */
function tally(run: ImpactRun, attrs: CiAttrs, critRank: Int32Array, downstream: boolean): Tally {
  const businessType = attrs.type.values.indexOf('business_service');
  const first = downstream ? 0 : run.sources.length;
  const total = run.count - first;
  const codes = attrs.codes;
  const nType = attrs.type.values.length;
  const nCrit = attrs.criticality.values.length;
  const nOwner = attrs.owner.values.length;
  const byType = new Int32Array(2 * (nType + 1));
  const byCrit = new Int32Array(2 * (nCrit + 1));
  const byOwner = new Int32Array(2 * (nOwner + 1));
  const { order, state, depth } = run;
  let down = 0;
  let maxDepth = 0;
  let worst = 0; // risk level index
  const businessNodes: number[] = [];
  for (let i = first; i < run.count; i++) {
    const v = order[i]!;
    const d = depth[v]!;
    if (d > maxDepth) maxDepth = d;
  }
  // Severity, most severe first: changed, down, criticality, depth.
  const span = maxDepth + 1;
  const sev = new Int32Array(total);
  for (let i = first; i < run.count; i++) {
    const v = order[i]!;
    const isDown = state[v] === STATE_DOWN;
    const dn = isDown ? 1 : 0;
    if (isDown) down++;
    const d = depth[v]!;
    const tc = codes[3 * v + ATTR_TYPE]!;
    const cc = codes[3 * v + ATTR_CRITICALITY]!;
    const oc = codes[3 * v + ATTR_OWNER]!;
    byType[2 * (tc < 0 ? nType : tc) + dn]!++;
    byCrit[2 * (cc < 0 ? nCrit : cc) + dn]!++;
    byOwner[2 * (oc < 0 ? nOwner : oc) + dn]!++;
    if (tc === businessType && businessType >= 0) businessNodes.push(v);
    const rank = cc < 0 ? 0 : critRank[cc]!;
    if (downstream) {
      const risk = riskIndex(isDown && d > 0, rank);
      if (risk > worst) worst = risk;
    }
    sev[i - first] = ((d === 0 && downstream ? 0 : 1) * 2 + (isDown ? 0 : 1)) * 5 * span + (4 - rank) * span + d;
  }
  return { down, worst, byType, byCrit, byOwner, businessNodes, sev, span };
}

/** The `limit` most severe impacted CIs (by `sev`), in search order within the last bucket taken. */
function mostSevere(sev: Int32Array, order: Int32Array, first: number, limit: number, span: number): number[] {
  const total = sev.length;
  const buckets = 2 * 2 * 5 * span;
  const bucketCount = new Int32Array(buckets + 1);
  for (let i = 0; i < total; i++) bucketCount[sev[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) bucketCount[b + 1]! += bucketCount[b]!;
  const listed: number[] = [];
  if (limit > 0) {
    let last = 0;
    while (last < buckets && bucketCount[last + 1]! < limit) last++;
    let room = limit - bucketCount[last]!;
    for (let i = 0; i < total && listed.length < limit; i++) {
      const b = sev[i]!;
      if (b < last) listed.push(order[first + i]!);
      else if (b === last && room > 0) {
        room--;
        listed.push(order[first + i]!);
      }
    }
  }
  return listed;
}

/** The first five CIs, in search order, that bring the worst risk: the reasons given for it. */
function nodesAtRisk(run: ImpactRun, worst: number, rankOf: (node: number) => number): number[] {
  const reasonNodes: number[] = [];
  for (let i = 0; i < run.count && reasonNodes.length < 5; i++) {
    const v = run.order[i]!;
    if (riskIndex(run.state[v] === STATE_DOWN && run.depth[v]! > 0, rankOf(v)) === worst) reasonNodes.push(v);
  }
  return reasonNodes;
}

/** The listed CIs as the answer gives them, each with its path and why each step carries impact. */
function impactedCis(
  index: GraphIndex,
  run: ImpactRun,
  listed: readonly number[],
  paths: ReadonlyMap<number, { nodes: number[]; edges: number[] }>,
  ciOf: (node: number) => CiRowLite,
  downstream: boolean,
): ImpactCi[] {
  const step = (node: number, edge: number | null): PathStep => {
    const ci = ciOf(node);
    const relType = edge === null || edge < 0 ? undefined : index.relTypes[index.edgeType[edge]!];
    // Downstream, each step reaches a dependent; upstream, a dependency. The
    // relationship runs from the previous CI to this one when the previous
    // CI is its source end.
    const forward = relType ? (relType.dependent === 'target') === downstream : null;
    return { key: ci.key, name: ci.name, type: ci.type, rel: relType?.name ?? null, forward };
  };
  return listed.map((v) => {
    const ci = ciOf(v);
    const p = paths.get(v)!;
    return {
      key: ci.key,
      name: ci.name,
      type: ci.type,
      owner: ci.owner,
      criticality: ci.criticality,
      state: STATE_NAME(run.state[v]!),
      depth: run.depth[v]!,
      changed: downstream && run.depth[v] === 0,
      path: p.nodes.map((u, i) => step(u, i === 0 ? null : p.edges[i - 1]!)),
    };
  });
}

/** Why the risk is what it is, in words: the CIs that bring it (see nodesAtRisk). */
function riskReasons(
  direction: ImpactDirection,
  worst: number,
  reasonNodes: readonly number[],
  run: ImpactRun,
  ciOf: (node: number) => CiRowLite,
): string[] {
  const reasons: string[] = [];
  if (direction === 'upstream') reasons.push('Risk is assessed for downstream analyses (what a change breaks), not for dependencies.');
  else if (worst === 0) reasons.push('Nothing is impacted.');
  else {
    for (const v of reasonNodes) {
      const ci = ciOf(v);
      const verb =
        run.depth[v] === 0
          ? 'is changed (its planned outage counts as degraded)'
          : run.state[v] === STATE_DOWN
            ? 'goes down'
            : 'is degraded';
      reasons.push(`${ci.key} (${ci.name}, ${ci.type}, criticality ${ci.criticality ?? 'not set'}) ${verb}`);
    }
  }
  return reasons;
}

/** A roll-up from `tally`'s counters: the values with any impacted CI, most down first. */
function rollUp(t: Int32Array, values: string[]): Array<{ value: string | null; down: number; degraded: number }> {
  const out: Array<{ value: string | null; down: number; degraded: number }> = [];
  values.forEach((value, c) => {
    if (t[2 * c]! + t[2 * c + 1]! > 0) out.push({ value, down: t[2 * c + 1]!, degraded: t[2 * c]! });
  });
  const nul = 2 * values.length;
  if (t[nul]! + t[nul + 1]! > 0) out.push({ value: null, down: t[nul + 1]!, degraded: t[nul]! });
  return out.sort((a, b) => b.down - a.down || b.degraded - a.degraded || cmp(a.value ?? '', b.value ?? ''));
}

/** Every impacted CI (not cut by the limit) by key, with its state: for saving a change and comparing it later. */
function everyState(db: Db, index: GraphIndex, run: ImpactRun, first: number): Array<[string, ImpactState]> {
  const total = run.count - first;
  const everything = Int32Array.from({ length: total }, (_, i) => index.ciIdOf(run.order[first + i]!));
  const keys = fetchKeys(db, everything);
  const all: Array<[string, ImpactState]> = [];
  for (let i = first; i < run.count; i++) {
    const v = run.order[i]!;
    const key = keys.get(index.ciIdOf(v));
    if (key !== undefined) all.push([key, STATE_NAME(run.state[v]!)]);
  }
  return all;
}

/** Risk level index (RISK_LEVELS) one impacted CI brings; see riskOf. */
function riskIndex(isDown: boolean, rank: number): number {
  return Math.max(1, isDown ? rank : rank - 1);
}

function fetchKeys(db: Db, ids: Int32Array): Map<number, string> {
  const stmt = db.prepare('SELECT id, key FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const [id, key] of stmt.all(JSON.stringify(Array.from(ids.subarray(i, i + CHUNK)))) as Array<[number, string]>) out.set(id, key);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function brief(r: CiRowLite): CiBrief {
  return { key: r.key, name: r.name, type: r.type, owner: r.owner, criticality: r.criticality };
}
