/**
 * `retired-dependency`: a CI that is not retired depends on a retired one
 * through a relationship that carries impact (hard or soft; `none` types such
 * as `connects_to` do not count). Which end depends on the other is the
 * relationship type's (rel_types.dependent), as the graph index holds it.
 * A retired member of a redundancy group says so, with the members left and
 * the number the dependent needs: a cluster down to its last host has no
 * spare, and "retire it too" was the wrong advice for the cluster (found by
 * a tester).
 */
import type { RawFinding, RuleContext } from '../context.js';
import { RETIRED } from '../context.js';
import { propagates } from '../../../../shared/domain.js';
import { type GraphIndex, STRENGTH_HARD } from '../../impact/graph-index.js';
import { groupLabel } from './groups.js';

/**
 * One finding per (dependent, retired dependency) pair: ids [dependent, retired]; when the dependency is a member of
 * a redundancy group of the dependent's, detail `label\u0000hard members not retired\u0000hard members\u0000min_up`.
 */
export function retiredDependency(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const retired = new Set(ctx.db.prepare('SELECT id FROM cis WHERE status = ? ORDER BY id').pluck().all(RETIRED) as number[]);
  const out: RawFinding[] = [];
  const label = groupLabel(ctx);
  // A group's counts, once per group (several of its members may be retired).
  const counted = new Map<number, string | null>();
  for (const dependency of retired) {
    const node = index.nodeOf(dependency);
    if (node < 0) continue;
    const seen = new Set<number>();
    for (let k = index.downRange[2 * node]!, end = index.downRange[2 * node + 1]!; k < end; k++) {
      if (!propagates(index.relTypes[index.downSlots[3 * k + 1]!]!.strength)) continue;
      const dependent = index.ciIdOf(index.downSlots[3 * k]!);
      if (retired.has(dependent) || seen.has(dependent)) continue;
      seen.add(dependent);
      if (ctx.scope !== null && !ctx.scope.has(dependent) && !ctx.scope.has(dependency)) continue;
      const g = index.downSlots[3 * k + 2]!;
      const type = index.relTypes[index.downSlots[3 * k + 1]!]!.name;
      const counts = g < 0 ? null : groupCounts(index, index.downSlots[3 * k]!, g, retired, counted);
      const detail = counts === null ? undefined : `${label(dependent, dependency, type)}\u0000${counts}`;
      out.push({ rule: 'retired-dependency', ids: [dependent, dependency], ...(detail === undefined ? {} : { detail }) });
    }
  }
  return out;
}

/**
 * Group `g` of node `v`'s dependencies as impact counts it (GraphIndex.groupInfo: its hard members and largest
 * min_up): `hard members not retired\u0000hard members\u0000min_up`; null for a group with no hard member.
 */
function groupCounts(
  index: Pick<GraphIndex, 'upRange' | 'upSlots' | 'groupInfo' | 'relTypes' | 'ciIdOf'>,
  v: number,
  g: number,
  retired: ReadonlySet<number>,
  counted: Map<number, string | null>,
): string | null {
  const known = counted.get(g);
  if (known !== undefined) return known;
  const members = index.groupInfo[2 * g]!;
  let live = 0;
  for (let k = index.upRange[2 * v]!, end = index.upRange[2 * v + 1]!; k < end; k++) {
    if (index.upSlots[3 * k + 2] !== g || index.relTypes[index.upSlots[3 * k + 1]!]!.code !== STRENGTH_HARD) continue;
    if (!retired.has(index.ciIdOf(index.upSlots[3 * k]!))) live++;
  }
  const text = members === 0 ? null : `${live}\u0000${members}\u0000${index.groupInfo[2 * g + 1]!}`;
  counted.set(g, text);
  return text;
}
