/**
 * Grouping a neighbourhood: the drawn CIs (never the centre) that share a
 * value of a core field or an attribute become one group node, unless the
 * value is expanded or has fewer CIs than minSize.
 */
import { CmdbError } from '../../../shared/errors.js';
import { GROUP_CORE_FIELDS, groupId, type GraphGroup, type GraphGrouping } from '../../../shared/graph.js';
import type { Db } from '../db.js';
import { attributeJsonPath } from '../rows.js';
import type { WalkedCi, WalkField } from './walk.js';

type CoreField = (typeof GROUP_CORE_FIELDS)[number];

function isCoreField(by: string): by is CoreField {
  return (GROUP_CORE_FIELDS as readonly string[]).includes(by);
}

/** The JSON path the walk reads to group by `by`: none for a core field. */
export function groupingPath(by: string): string | undefined {
  return isCoreField(by) ? undefined : attributeJsonPath(by);
}

/** The core field the walk reads to group by `by`: none for an attribute, nor for the type (always read). */
export function groupingField(by: string): WalkField | undefined {
  return isCoreField(by) && by !== 'type' ? by : undefined;
}

/** CIs whose attribute names are listed in a refusal: the names of a sample, most common first. */
const NAME_SAMPLE = 5000;
/** Attribute names listed at most in a refusal. */
const NAMES_LISTED = 20;

/** Whether any CI has the attribute `name` with a value: the search index finds the CIs that hold the word, their JSON confirms it. */
function anyCiHasAttribute(db: Db, name: string): boolean {
  const path = attributeJsonPath(name);
  // A name with no letter or digit is no word of the index: asked of the CIs themselves.
  const found = /[\p{L}\p{N}]/u.test(name)
    ? db
        .prepare(
          'SELECT 1 FROM ci_fts f JOIN cis c ON c.id = f.rowid WHERE ci_fts MATCH ? AND json_extract(c.attributes, ?) IS NOT NULL LIMIT 1',
        )
        .get(`attributes : "${name.replace(/"/g, '""')}"`, path)
    : db.prepare('SELECT 1 FROM cis WHERE json_extract(attributes, ?) IS NOT NULL LIMIT 1').get(path);
  return found !== undefined;
}

/**
 * Refuses (INVALID_REQUEST) a grouping field that is neither a core field nor an attribute any CI
 * has: a misspelt one would draw every CI in one "no <field>" group and say nothing. The message
 * names the field and lists those that can be used.
 */
export function checkGroupingField(db: Db, by: string): void {
  if (isCoreField(by) || anyCiHasAttribute(db, by)) return;
  const names = db
    .prepare(
      `SELECT j.key FROM (SELECT attributes FROM cis WHERE attributes IS NOT NULL LIMIT ${NAME_SAMPLE}) c, json_each(c.attributes) j
       WHERE j.type <> 'null' GROUP BY j.key ORDER BY count(*) DESC, j.key LIMIT ${NAMES_LISTED + 1}`,
    )
    .pluck()
    .all() as string[];
  const listed = names.length > NAMES_LISTED ? [...names.slice(0, NAMES_LISTED), '…'] : names;
  throw new CmdbError(
    'INVALID_REQUEST',
    `No CI has the field "${by}" to group by (names are as imported, case included). Group by ${GROUP_CORE_FIELDS.join(', ')}${
      listed.length > 0 ? ` or an attribute: ${listed.join(', ')}` : ' (the CIs have no attributes)'
    }.`,
    { field: by },
  );
}

/** Each CI's value of `by` (null when it has none, or an empty one); an attribute's was read with the walk (groupingPath). */
function valueOf(row: WalkedCi, by: string): string | null {
  const v: unknown = isCoreField(by) ? row[by] : row.attr;
  return v === null || v === undefined || v === '' ? null : String(v);
}

export interface Grouped {
  groups: GraphGroup[];
  /** The group id of each grouped CI. */
  groupOf: Map<number, string>;
}

/** The groups `grouping` forms among `members` (the drawn CIs but the centre). */
export function formGroups(rows: Map<number, WalkedCi>, depthOf: Map<number, number>, members: number[], grouping: GraphGrouping): Grouped {
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
