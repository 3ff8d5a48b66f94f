/**
 * Rolled-up graphs over every impacted CI (downstream), for blast radii too
 * big to draw CI by CI: groups by type, or by the business service each
 * CI's impact reaches, and edges counting the explanation steps (parent ->
 * child) from one group to another.
 *
 * By service: a business service is its own group; any other impacted CI
 * goes to the business service its explanation subtree reaches (the CIs
 * whose paths run through it), to `shared` when it reaches several, to
 * `none` when it reaches none. One reverse pass over the search order
 * merges each subtree into its parent (children come after their parent).
 */
import type { GroupBy, GroupGraph } from '../../../shared/impact.js';
import { ATTR_STRIDE, ATTR_TYPE, type CiAttrs } from './ci-attrs.js';
import type { ImpactRun } from './engine.js';
import { cmp, COUNT_CHANGED, COUNT_DEGRADED, COUNT_DOWN, type Tally } from './rollups.js';

export const SHARED_GROUP = 'shared';
export const NONE_GROUP = 'none';

interface BusinessCi {
  key: string;
  name: string;
  criticality: string | null;
}

interface Grouping {
  /** Per impacted CI (run.order from tally.first): its group number. */
  of: Int32Array;
  /** Per group number: id, label, criticality. */
  groups: Array<{ id: string; label: string; criticality: string | null }>;
  /** The group number of a node. */
  node(v: number): number;
}

function typeGrouping(run: ImpactRun, attrs: CiAttrs, t: Tally): Grouping {
  const values = attrs.type.values;
  const node = (v: number) => {
    const c = attrs.codes[ATTR_STRIDE * v + ATTR_TYPE]!;
    return c < 0 ? values.length : c;
  };
  const of = new Int32Array(t.total);
  for (let i = 0; i < t.total; i++) of[i] = node(run.order[t.first + i]!);
  const groups = values.map((v) => ({ id: v, label: v, criticality: null }));
  groups.push({ id: '', label: '(no type)', criticality: null });
  return { of, groups, node };
}

function serviceGrouping(run: ImpactRun, t: Tally, business: (v: number) => BusinessCi): Grouping {
  const b = t.businessNodes.length;
  const shared = b;
  const none = b + 1;
  const own = new Map<number, number>(t.businessNodes.map((v, i) => [v, i]));
  // reach: -1 none yet, -2 several, else a business service's number.
  const reach = new Int32Array(run.state.length);
  for (let i = 0; i < run.count; i++) {
    const v = run.order[i]!;
    reach[v] = own.get(v) ?? -1;
  }
  for (let i = run.count - 1; i >= 0; i--) {
    const v = run.order[i]!;
    const p = run.parent[v]!;
    if (p < 0) continue;
    const a = reach[p]!;
    const c = reach[v]!;
    if (c === -1 || a === c || a === -2) continue;
    reach[p] = a === -1 ? c : -2;
  }
  const node = (v: number) => {
    const mine = own.get(v);
    if (mine !== undefined) return mine;
    const r = reach[v]!;
    return r === -1 ? none : r === -2 ? shared : r;
  };
  const of = new Int32Array(t.total);
  for (let i = 0; i < t.total; i++) of[i] = node(run.order[t.first + i]!);
  const groups = t.businessNodes.map((v) => {
    const ci = business(v);
    return { id: ci.key, label: ci.name, criticality: ci.criticality };
  });
  groups.push({ id: SHARED_GROUP, label: 'Several services', criticality: null });
  groups.push({ id: NONE_GROUP, label: 'No business service', criticality: null });
  return { of, groups, node };
}

function graphOf(by: GroupBy, run: ImpactRun, t: Tally, g: Grouping): GroupGraph {
  const counts = new Int32Array(3 * g.groups.length);
  for (let i = 0; i < t.total; i++) counts[3 * g.of[i]! + t.cls[i]!]!++;
  const edges = new Map<number, number>();
  const size = g.groups.length;
  for (let i = 0; i < t.total; i++) {
    const p = run.parent[run.order[t.first + i]!]!;
    if (p < 0) continue;
    const from = g.node(p);
    const to = g.of[i]!;
    if (from !== to) edges.set(from * size + to, (edges.get(from * size + to) ?? 0) + 1);
  }
  const groups = g.groups
    .map((x, i) => ({
      ...x,
      changed: counts[3 * i + COUNT_CHANGED]!,
      down: counts[3 * i + COUNT_DOWN]!,
      degraded: counts[3 * i + COUNT_DEGRADED]!,
    }))
    .filter((x) => x.changed + x.down + x.degraded > 0)
    .sort((a, b) => b.down - a.down || b.changed - a.changed || b.degraded - a.degraded || cmp(a.label, b.label));
  return {
    by,
    groups,
    edges: [...edges]
      .map(([k, count]) => ({ source: g.groups[Math.floor(k / size)]!.id, target: g.groups[k % size]!.id, count }))
      .sort((a, b) => b.count - a.count || cmp(a.source, b.source) || cmp(a.target, b.target)),
  };
}

/**
 * Both rolled-up graphs of a downstream run, and `within`: which impacted
 * CIs (1 per tally position) belong to one group (none when no group has that id).
 */
export function groupGraphs(
  run: ImpactRun,
  attrs: CiAttrs,
  t: Tally,
  business: (v: number) => BusinessCi,
): { type: GroupGraph; service: GroupGraph; within(by: GroupBy, id: string): Uint8Array } {
  const byType = typeGrouping(run, attrs, t);
  const byService = serviceGrouping(run, t, business);
  return {
    type: graphOf('type', run, t, byType),
    service: graphOf('service', run, t, byService),
    within(by, id) {
      const g = by === 'type' ? byType : byService;
      const want = g.groups.findIndex((x) => x.id === id);
      const keep = new Uint8Array(t.total);
      if (want >= 0) for (let i = 0; i < t.total; i++) keep[i] = g.of[i] === want ? 1 : 0;
      return keep;
    },
  };
}
