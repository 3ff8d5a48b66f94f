/**
 * Grouping a neighbourhood: the drawn CIs (never the centre) that share a
 * value of a core field or an attribute become one group node, unless the
 * value is expanded or has fewer CIs than minSize.
 */
import { GROUP_CORE_FIELDS, groupId, type GraphGroup, type GraphGrouping } from '../../../shared/graph.js';
import type { Db } from '../db.js';
import { CHUNK, type NodeRow } from './walk.js';

type CoreField = (typeof GROUP_CORE_FIELDS)[number];

function isCoreField(by: string): by is CoreField {
  return (GROUP_CORE_FIELDS as readonly string[]).includes(by);
}

/** A JSON path naming one attribute, quoted so any name (dots, quotes, spaces) is one key. */
function attributePath(name: string): string {
  return `$."${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Each CI's value of `by` (null when it has none, or an empty one). */
export function valuesOf(db: Db, rows: Map<number, NodeRow>, ids: number[], by: string): Map<number, string | null> {
  const values = new Map<number, string | null>();
  const norm = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
  if (isCoreField(by)) {
    for (const id of ids) values.set(id, norm(rows.get(id)![by]));
    return values;
  }
  const read = db.prepare('SELECT id, json_extract(attributes, ?) AS v FROM cis WHERE id IN (SELECT value FROM json_each(?))');
  const path = attributePath(by);
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of read.all(path, JSON.stringify(ids.slice(i, i + CHUNK))) as Array<{ id: number; v: unknown }>) {
      values.set(r.id, norm(r.v));
    }
  }
  for (const id of ids) if (!values.has(id)) values.set(id, null);
  return values;
}

export interface Grouped {
  groups: GraphGroup[];
  /** The group id of each grouped CI. */
  groupOf: Map<number, string>;
}

/** The groups `grouping` forms among `members` (the drawn CIs but the centre). */
export function formGroups(
  db: Db,
  rows: Map<number, NodeRow>,
  depthOf: Map<number, number>,
  members: number[],
  grouping: GraphGrouping,
): Grouped {
  const values = valuesOf(db, rows, members, grouping.by);
  const byValue = new Map<string | null, number[]>();
  for (const id of members) {
    const v = values.get(id) ?? null;
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
