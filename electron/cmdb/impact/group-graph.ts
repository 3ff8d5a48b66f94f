/**
 * Rolled-up graphs over every impacted CI (downstream), for blast radii too
 * big to draw CI by CI: groups by type, or by the business service each
 * CI's impact reaches, and edges counting the explanation steps (parent ->
 * child) from one group to another.
 *
 * By service: a business service is its own group; any other impacted CI
 * goes to the business service its explanation subtree reaches (the CIs
 * whose paths run through it), to SHARED_GROUP when it reaches several, to
 * NONE_GROUP when it reaches none (shared/impact.ts: ids no CI key can be). One reverse pass over the search order
 * merges each subtree into its parent (children come after their parent).
 */
import { NONE_GROUP, SHARED_GROUP, type GroupBy, type GroupGraph } from '../../../shared/impact.js';
import { ATTR_STRIDE, ATTR_TYPE, type CiAttrs } from './ci-attrs.js';
import type { ImpactRun } from './engine.js';
import { cmp, COUNT_CHANGED, COUNT_DEGRADED, COUNT_DOWN, type Tally } from './rollups.js';

/** Up to this many groups, steps between groups are counted in a matrix rather than a map. */
const DENSE_GROUPS = 128;

interface BusinessCi {
  key: string;
  name: string;
  criticality: string | null;
}

interface Grouping {
  /** A reached node's group number: group[stride * node + offset]. */
  group: Int32Array;
  stride: number;
  offset: number;
  /** Per group number: id, label, criticality. */
  groups: Array<{ id: string; label: string; criticality: string | null }>;
}

/** By type: the type codes CiAttrs keeps (a CI without a type is in the last group). */
function typeGrouping(attrs: CiAttrs): Grouping {
  const groups = attrs.type.values.map((v) => ({ id: v, label: v, criticality: null as string | null }));
  groups.push({ id: '', label: '(no type)', criticality: null });
  return { group: attrs.codes, stride: ATTR_STRIDE, offset: ATTR_TYPE, groups };
}

function serviceGrouping(run: ImpactRun, t: Tally, business: (v: number) => BusinessCi): Grouping {
  const b = t.businessNodes.length;
  const shared = b;
  const none = b + 1;
  // reach: -1 none yet, -2 several, else a business service's number; then, per node, its group.
  const reach = new Int32Array(run.state.length);
  for (let i = 0; i < run.count; i++) reach[run.order[i]!] = -1;
  t.businessNodes.forEach((v, i) => (reach[v] = i));
  for (let i = run.count - 1; i >= 0; i--) {
    const v = run.order[i]!;
    const p = run.parent[v]!;
    if (p < 0) continue;
    const a = reach[p]!;
    const c = reach[v]!;
    if (c === -1 || a === c || a === -2) continue;
    reach[p] = a === -1 ? c : -2;
  }
  const group = reach;
  for (let i = 0; i < run.count; i++) {
    const v = run.order[i]!;
    const r = reach[v]!;
    group[v] = r === -1 ? none : r === -2 ? shared : r;
  }
  // A business service is its own group, whatever its subtree reaches.
  t.businessNodes.forEach((v, i) => (group[v] = i));
  const groups = t.businessNodes.map((v) => {
    const ci = business(v);
    return { id: ci.key, label: ci.name, criticality: ci.criticality };
  });
  groups.push({ id: SHARED_GROUP, label: 'Several services', criticality: null });
  groups.push({ id: NONE_GROUP, label: 'No business service', criticality: null });
  return { group, stride: 1, offset: 0, groups };
}

/** Counts per group and steps between groups, over the impacted CIs; `tallied` when the tally counted them already. */
function graphOf(by: GroupBy, run: ImpactRun, t: Tally, g: Grouping, tallied?: { counts: Int32Array; edges: Int32Array }): GroupGraph {
  const size = g.groups.length;
  const counts = tallied?.counts ?? new Int32Array(3 * size);
  // Steps between groups, counted in a dense matrix when the groups are few enough.
  const dense = tallied?.edges ?? (size <= DENSE_GROUPS ? new Int32Array(size * size) : null);
  const sparse = new Map<number, number>();
  const { order, parent } = run;
  const { group, stride, offset } = g;
  const none = size - 1;
  for (let i = 0; i < t.total && !tallied; i++) {
    const v = order[t.first + i]!;
    const to = group[stride * v + offset]! < 0 ? none : group[stride * v + offset]!;
    counts[3 * to + t.cls[i]!]!++;
    const p = parent[v]!;
    if (p < 0) continue;
    const from = group[stride * p + offset]! < 0 ? none : group[stride * p + offset]!;
    if (from === to) continue;
    if (dense) dense[from * size + to]!++;
    else sparse.set(from * size + to, (sparse.get(from * size + to) ?? 0) + 1);
  }
  if (dense) for (let k = 0; k < dense.length; k++) if (dense[k]! > 0) sparse.set(k, dense[k]!);
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
    edges: [...sparse]
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
  const byType = typeGrouping(attrs);
  const byService = serviceGrouping(run, t, business);
  return {
    type: graphOf('type', run, t, byType, t.typeEdges ? { counts: t.byType, edges: t.typeEdges } : undefined),
    service: graphOf('service', run, t, byService),
    within(by, id) {
      const g = by === 'type' ? byType : byService;
      const want = g.groups.findIndex((x) => x.id === id);
      const keep = new Uint8Array(t.total);
      const none = g.groups.length - 1;
      for (let i = 0; want >= 0 && i < t.total; i++) {
        const c = g.group[g.stride * run.order[t.first + i]! + g.offset]!;
        keep[i] = (c < 0 ? none : c) === want ? 1 : 0;
      }
      return keep;
    },
  };
}
