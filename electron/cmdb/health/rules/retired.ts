/**
 * `retired-dependency`: a CI that is not retired depends on a retired one
 * through a relationship that carries impact (hard or soft; `none` types such
 * as `connects_to` do not count). Which end depends on the other is the
 * relationship type's (rel_types.dependent), as the graph index holds it.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { RETIRED } from '../context.js';
import { STRENGTH_NONE } from '../../impact/graph-index.js';

/** One finding per (dependent, retired dependency) pair: ids [dependent, retired]. */
export function retiredDependency(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const retired = new Set(ctx.db.prepare('SELECT id FROM cis WHERE status = ? ORDER BY id').pluck().all(RETIRED) as number[]);
  const out: RawFinding[] = [];
  for (const dependency of retired) {
    const node = index.nodeOf(dependency);
    if (node < 0) continue;
    const seen = new Set<number>();
    for (let k = index.downRange[2 * node]!, end = index.downRange[2 * node + 1]!; k < end; k++) {
      if (index.relTypes[index.downSlots[3 * k + 1]!]!.code === STRENGTH_NONE) continue;
      const dependent = index.ciIdOf(index.downSlots[3 * k]!);
      if (retired.has(dependent) || seen.has(dependent)) continue;
      seen.add(dependent);
      if (ctx.scope !== null && !ctx.scope.has(dependent) && !ctx.scope.has(dependency)) continue;
      out.push({ rule: 'retired-dependency', ids: [dependent, dependency] });
    }
  }
  return out;
}
