/**
 * Grouping a neighbourhood: the drawn CIs (never the centre) that share a
 * value of a core field or an attribute become one group node, unless the
 * value is expanded or has fewer CIs than minSize.
 */
import { GROUP_CORE_FIELDS, groupId, type GraphGroup, type GraphGrouping } from '../../../shared/graph.js';
import { attributeJsonPath } from '../rows.js';
import type { NodeRow } from './walk.js';

type CoreField = (typeof GROUP_CORE_FIELDS)[number];

function isCoreField(by: string): by is CoreField {
  return (GROUP_CORE_FIELDS as readonly string[]).includes(by);
}

/** The JSON path the walk reads to group by `by`: none for a core field. */
export function groupingPath(by: string): string | undefined {
  return isCoreField(by) ? undefined : attributeJsonPath(by);
}

/** Each CI's value of `by` (null when it has none, or an empty one); an attribute's was read with the walk (groupingPath). */
function valueOf(row: NodeRow, by: string): string | null {
  const v: unknown = isCoreField(by) ? row[by] : row.attr;
  return v === null || v === undefined || v === '' ? null : String(v);
}

export interface Grouped {
  groups: GraphGroup[];
  /** The group id of each grouped CI. */
  groupOf: Map<number, string>;
}

/** The groups `grouping` forms among `members` (the drawn CIs but the centre). */
export function formGroups(rows: Map<number, NodeRow>, depthOf: Map<number, number>, members: number[], grouping: GraphGrouping): Grouped {
  const byValue = new Map<string | null, number[]>();
  for (const id of members) {
    const v = valueOf(rows.get(id)!, grouping.by);
    const list = byValue.get(v);
    if (list) list.push(id);
    else byValue.set(v, [id]);
  }
  const expanded = new Set(grouping.expand);
  const groups: GraphGroup[] = [];
  const groupOf = new Map<number, string>();
  for (const [value, ids] of byValue) {
    if (expanded.has(value) || ids.length < grouping.minSize) continue;
    const id = groupId(grouping.by, value);
    const types = new Map<string, number>();
    let depth = Number.MAX_SAFE_INTEGER;
    for (const ci of ids) {
      groupOf.set(ci, id);
      const t = rows.get(ci)!.type;
      types.set(t, (types.get(t) ?? 0) + 1);
      depth = Math.min(depth, depthOf.get(ci) ?? 0);
    }
    groups.push({
      id,
      by: grouping.by,
      value,
      count: ids.length,
      types: [...types].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      depth,
    });
  }
  groups.sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  return { groups, groupOf };
}
