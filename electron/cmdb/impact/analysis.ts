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
 * highest of its impacted CIs (the changed CIs included: they go down); none
 * when nothing is impacted.
 */
export function riskOf(state: ImpactState, criticality: string | null): RiskLevel {
  const rank = criticalityRank(criticality);
  const level = Math.max(1, state === 'down' ? rank : rank - 1);
  return RISK_LEVELS[level]!;
}

export function riskAtLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(threshold);
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
        .join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}. Search for them by name to find their keys.`,
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
export function analyse(db: Db, index: GraphIndex, q: ImpactQuery): ImpactAnswer {
  const t0 = performance.now();
  const { rows: origins, missing } = resolveKeys(db, q.keys, q.allowMissing);
  const { mask, followed } = typeSelection(index, q.types);
  const nodes = origins.map((r) => index.nodeOf(r.id)).filter((v) => v >= 0);
  const run: ImpactRun =
    q.direction === 'upstream'
      ? upstreamImpact(index, nodes, { mask, maxDepth: q.depth })
      : downstreamImpact(index, nodes, { mask, maxDepth: q.depth });

  const reachedIds = new Int32Array(run.count);
  for (let i = 0; i < run.count; i++) reachedIds[i] = index.ciIdOf(run.order[i]!);
  const cis = fetchCis(db, reachedIds);
  for (const r of origins) cis.set(r.id, r);

  // Downstream, the changed CIs are part of the answer (they go down); upstream they are the question.
  const firstListed = q.direction === 'upstream' ? run.sources.length : 0;
  interface Hit {
    node: number;
    ci: CiRowLite;
    state: ImpactState;
    depth: number;
    rank: number;
  }
  const hits: Hit[] = [];
  for (let i = firstListed; i < run.count; i++) {
    const node = run.order[i]!;
    const ci = cis.get(index.ciIdOf(node));
    if (!ci) continue; // deleted by another connection since the index was built
    hits.push({ node, ci, state: STATE_NAME(run.state[node]!), depth: run.depth[node]!, rank: criticalityRank(ci.criticality) });
  }
  hits.sort(
    (a, b) =>
      (a.depth === 0 ? 0 : 1) - (b.depth === 0 ? 0 : 1) ||
      (a.state === b.state ? 0 : a.state === 'down' ? -1 : 1) ||
      b.rank - a.rank ||
      a.depth - b.depth ||
      (a.ci.key < b.ci.key ? -1 : a.ci.key > b.ci.key ? 1 : 0),
  );

  const step = (node: number, edge: number | null): PathStep => {
    const ci = cis.get(index.ciIdOf(node));
    return {
      key: ci?.key ?? `#${index.ciIdOf(node)}`,
      name: ci?.name ?? '',
      type: ci?.type ?? '',
      rel: edge === null ? null : (index.relTypes[index.edgeType[edge]!]?.name ?? null),
    };
  };
  const impacted: ImpactCi[] = hits.slice(0, q.limit).map((h) => {
    const p = pathOf(run, h.node);
    return {
      key: h.ci.key,
      name: h.ci.name,
      type: h.ci.type,
      owner: h.ci.owner,
      criticality: h.ci.criticality,
      state: h.state,
      depth: h.depth,
      changed: q.direction === 'downstream' && h.depth === 0,
      path: p.nodes.map((v, i) => step(v, i === 0 ? null : p.edges[i - 1]!)),
    };
  });

  const byType = new Map<string, { down: number; degraded: number }>();
  const byCrit = new Map<string | null, { down: number; degraded: number }>();
  const byOwner = new Map<string | null, { down: number; degraded: number }>();
  const bump = <K>(m: Map<K, { down: number; degraded: number }>, k: K, s: ImpactState) => {
    let c = m.get(k);
    if (!c) m.set(k, (c = { down: 0, degraded: 0 }));
    c[s]++;
  };
  let down = 0;
  let degraded = 0;
  let risk: RiskLevel = 'none';
  const reasons: string[] = [];
  const businessServices: ImpactResult['businessServices'] = [];
  for (const h of hits) {
    if (h.state === 'down') down++;
    else degraded++;
    bump(byType, h.ci.type, h.state);
    bump(byCrit, h.ci.criticality, h.state);
    bump(byOwner, h.ci.owner, h.state);
    if (h.ci.type === 'business_service') businessServices.push({ ...brief(h.ci), state: h.state, depth: h.depth });
    if (q.direction === 'downstream') {
      const r = riskOf(h.state, h.ci.criticality);
      if (riskAtLeast(r, risk) && r !== risk) {
        risk = r;
        reasons.length = 0;
      }
      if (r === risk && reasons.length < 5) {
        reasons.push(
          `${h.ci.key} (${h.ci.name}, ${h.ci.type}, criticality ${h.ci.criticality ?? 'not set'}) ${h.depth === 0 ? 'is changed and goes down' : h.state === 'down' ? 'goes down' : 'is degraded'}`,
        );
      }
    }
  }
  if (q.direction === 'upstream') reasons.push('Risk is assessed for downstream analyses (what a change breaks), not for dependencies.');
  else if (risk === 'none') reasons.push('Nothing is impacted.');
  const total = (c: { down: number; degraded: number }) => c.down + c.degraded;
  const sorted = <K>(m: Map<K, { down: number; degraded: number }>) =>
    [...m.entries()].sort((a, b) => b[1].down - a[1].down || total(b[1]) - total(a[1]) || String(a[0]).localeCompare(String(b[0])));

  const result: ImpactResult = {
    direction: q.direction,
    changed: origins.map(brief),
    types: followed,
    depthLimit: q.depth ?? null,
    impacted,
    truncated: hits.length > impacted.length,
    counts: {
      down,
      degraded,
      total: down + degraded,
      byType: sorted(byType).map(([type, c]) => ({ type, ...c })),
      byCriticality: sorted(byCrit).map(([criticality, c]) => ({ criticality, ...c })),
    },
    businessServices,
    owners: sorted(byOwner).map(([owner, c]) => ({ owner, ...c })),
    risk: { level: risk, reasons },
    durationMs: Math.round((performance.now() - t0) * 100) / 100,
  };
  return { result, all: hits.map((h) => [h.ci.key, h.state]), missingKeys: missing };
}

function brief(r: CiRowLite): CiBrief {
  return { key: r.key, name: r.name, type: r.type, owner: r.owner, criticality: r.criticality };
}
