/**
 * The redundancy group rules, read from the graph index's group slots (one
 * per dependent CI and label). `unsatisfiable-group`: a dependent CI's hard
 * dependencies sharing a redundancy_group where the largest min_up exceeds
 * the number of members, so the CI counts as down whatever stays up (the
 * index keeps, per group, its hard members and largest min_up:
 * GraphIndex.groupInfo). `mixed-group`: a group of more than one type or
 * min_up. The label is read back from the CMDB for the message.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { type GraphIndex, STRENGTH_HARD } from '../../impact/graph-index.js';

/** A group's label, read back from the CMDB: the one on a relationship between its dependent and a member. */
export function groupLabel(ctx: RuleContext): (dependent: number, member: number, type: string) => string {
  // By the member's relationship type too: two CIs may be related twice, in two groups.
  const label = ctx.db
    .prepare(
      `SELECT redundancy_group FROM relationships
       WHERE ((source_id = @a AND target_id = @b) OR (source_id = @b AND target_id = @a)) AND type = @type
         AND redundancy_group IS NOT NULL LIMIT 1`,
    )
    .pluck();
  return (a, b, type) => (label.get({ a, b, type }) as string | undefined) ?? '?';
}

/** One finding per unsatisfiable group: ids [dependent, ...members]; detail `label\u0000minUp`. */
export function unsatisfiableGroup(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const info = index.groupInfo;
  const byGroup = new Map<number, { dependent: number; members: number[]; first: number; type: string }>();
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
      const member = index.ciIdOf(index.upSlots[3 * k]!);
      let group = byGroup.get(g);
      if (!group) {
        const type = index.relTypes[index.upSlots[3 * k + 1]!]!.name;
        byGroup.set(g, (group = { dependent: index.ciIdOf(v), members: [], first: member, type }));
      }
      group.members.push(member);
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
  const label = groupLabel(ctx);
  const out: RawFinding[] = [];
  for (const [g, { dependent, members, first, type }] of byGroup) {
    if (ctx.scope !== null && !ctx.scope.has(dependent) && !members.some((m) => ctx.scope!.has(m))) continue;
    members.sort((a, b) => a - b);
    const name = label(dependent, first, type);
    out.push({ rule: 'unsatisfiable-group', ids: [dependent, ...members], detail: `${name}\u0000${info[2 * g + 1]}` });
  }
  return out;
}

/**
 * `mixed-group`: a redundancy group whose members are relationships of more
 * than one type, or give more than one min_up. An import, an edit and a
 * merge refuse to make one (rel-group.ts); a CMDB written before they did
 * may hold one, and impact then counts its hard members together and takes
 * the largest min_up. One finding per group: ids [dependent, ...members];
 * detail `label\u0000types\u0000minUps` (each list sorted, comma-separated).
 */
export function mixedGroup(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const label = groupLabel(ctx);
  const out: RawFinding[] = [];
  const visit = (v: number) => {
    for (const { members, types, minUps, firstType } of mixedGroupsOf(index, v)) {
      const dependent = index.ciIdOf(v);
      const name = label(dependent, members[0]!, firstType);
      members.sort((a, b) => a - b);
      const detail = [name, [...types].sort().join(','), [...minUps].sort((a, b) => a - b).join(',')];
      out.push({ rule: 'mixed-group', ids: [dependent, ...members], detail: detail.join('\u0000') });
    }
  };
  if (ctx.scope === null) {
    for (const v of dependentsOfMixedGroups(index)) visit(v);
    return out;
  }
  // A CI asked about may be the dependent, or a member of a group of a dependent's.
  const visited = new Set<number>();
  for (const id of ctx.scope) {
    const v = index.nodeOf(id);
    if (v < 0) continue;
    for (const w of [v, ...groupDependentsOf(index, v)]) {
      if (!visited.has(w)) visit(w);
      visited.add(w);
    }
  }
  return out;
}

type GroupIndex = Pick<
  GraphIndex,
  'nodeCount' | 'groupCount' | 'upRange' | 'upSlots' | 'upEdge' | 'edgeMinUp' | 'downRange' | 'downSlots' | 'relTypes' | 'ciIdOf'
>;

/** The nodes with a mixed group among their dependencies: one pass over every group slot, in typed arrays. */
function dependentsOfMixedGroups(index: GroupIndex): number[] {
  const { upRange, upSlots, upEdge, edgeMinUp, groupCount } = index;
  const typeOf = new Int32Array(groupCount).fill(-1);
  const minUpOf = new Int32Array(groupCount);
  const found: number[] = [];
  for (let v = 0; v < index.nodeCount; v++) {
    let mixed = false;
    for (let k = upRange[2 * v]!, end = upRange[2 * v + 1]!; k < end; k++) {
      const g = upSlots[3 * k + 2]!;
      if (g < 0) continue;
      const t = upSlots[3 * k + 1]!;
      const m = edgeMinUp[upEdge[k]!]!;
      if (typeOf[g] === -1) typeOf[g] = t;
      else if (typeOf[g] !== t) mixed = true;
      if (m > 0 && minUpOf[g] === 0) minUpOf[g] = m;
      else if (m > 0 && minUpOf[g] !== m) mixed = true;
    }
    if (mixed) found.push(v);
  }
  return found;
}

/** The dependents of the groups node v is a member of. */
function groupDependentsOf(index: GroupIndex, v: number): number[] {
  const out: number[] = [];
  for (let k = index.downRange[2 * v]!, end = index.downRange[2 * v + 1]!; k < end; k++) {
    if (index.downSlots[3 * k + 2]! >= 0) out.push(index.downSlots[3 * k]!);
  }
  return out;
}

/** Node v's groups of more than one type or min_up: their members (CI ids), relationship types and min_up values. */
function mixedGroupsOf(
  index: GroupIndex,
  v: number,
): Array<{ members: number[]; types: Set<string>; minUps: Set<number>; firstType: string }> {
  const { upRange, upSlots, upEdge, edgeMinUp } = index;
  const groups = new Map<number, { members: number[]; types: Set<string>; minUps: Set<number>; firstType: string }>();
  for (let k = upRange[2 * v]!, end = upRange[2 * v + 1]!; k < end; k++) {
    const g = upSlots[3 * k + 2]!;
    if (g < 0) continue;
    let group = groups.get(g);
    if (!group)
      groups.set(g, (group = { members: [], types: new Set(), minUps: new Set(), firstType: index.relTypes[upSlots[3 * k + 1]!]!.name }));
    group.members.push(index.ciIdOf(upSlots[3 * k]!));
    group.types.add(index.relTypes[upSlots[3 * k + 1]!]!.name);
    const m = edgeMinUp[upEdge[k]!]!;
    if (m > 0) group.minUps.add(m);
  }
  return [...groups.values()].filter((g) => g.types.size > 1 || g.minUps.size > 1);
}
