/**
 * `unsatisfiable-group`: a dependent CI's hard dependencies sharing a
 * redundancy_group where the largest min_up exceeds the number of members,
 * so the CI counts as down whatever stays up. The graph index keeps, per
 * group, its hard members and largest min_up (GraphIndex.groupInfo); the
 * label is read back from the CMDB for the message.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { STRENGTH_HARD } from '../../impact/graph-index.js';

/** One finding per unsatisfiable group: ids [dependent, ...members]; detail `label\u0000minUp`. */
export function unsatisfiableGroup(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const info = index.groupInfo;
  const byGroup = new Map<number, { dependent: number; members: number[] }>();
  const visited = new Set<number>();
  const visit = (v: number) => {
    if (ctx.scope !== null) {
      if (visited.has(v)) return;
      visited.add(v);
    }
    for (let k = index.upRange[2 * v]!, end = index.upRange[2 * v + 1]!; k < end; k++) {
      const g = index.upSlots[3 * k + 2]!;
      if (g < 0 || info[2 * g + 1]! <= info[2 * g]!) continue;
      if (index.relTypes[index.upSlots[3 * k + 1]!]!.code !== STRENGTH_HARD) continue;
      let group = byGroup.get(g);
      if (!group) byGroup.set(g, (group = { dependent: index.ciIdOf(v), members: [] }));
      group.members.push(index.ciIdOf(index.upSlots[3 * k]!));
    }
  };
  if (ctx.scope === null) {
    for (let v = 0; v < index.nodeCount; v++) visit(v);
  } else {
    // A CI asked about may be the dependent, or a member of an unsatisfiable group of a dependent's.
    for (const id of ctx.scope) {
      const v = index.nodeOf(id);
      if (v < 0) continue;
      visit(v);
      for (let k = index.downRange[2 * v]!, end = index.downRange[2 * v + 1]!; k < end; k++) {
        const g = index.downSlots[3 * k + 2]!;
        if (g >= 0 && info[2 * g + 1]! > info[2 * g]!) visit(index.downSlots[3 * k]!);
      }
    }
  }
  const label = ctx.db.prepare(
    `SELECT redundancy_group FROM relationships
     WHERE ((source_id = @a AND target_id = @b) OR (source_id = @b AND target_id = @a)) AND redundancy_group IS NOT NULL LIMIT 1`,
  );
  const out: RawFinding[] = [];
  for (const [g, { dependent, members }] of byGroup) {
    if (ctx.scope !== null && !ctx.scope.has(dependent) && !members.some((m) => ctx.scope!.has(m))) continue;
    members.sort((a, b) => a - b);
    const name = (label.pluck().get({ a: dependent, b: members[0] }) as string | undefined) ?? '?';
    out.push({ rule: 'unsatisfiable-group', ids: [dependent, ...members], detail: `${name}\u0000${info[2 * g + 1]}` });
  }
  return out;
}
