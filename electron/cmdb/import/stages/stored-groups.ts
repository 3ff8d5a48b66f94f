/**
 * Redundancy groups across imports. A group of one dependent CI holds
 * relationships of one type with one min_up (rel-group.ts for one
 * relationship at a time; rel-rows.ts checkGroup for a file's rows against
 * each other). Here, once a file's relationships are written and a sync has
 * removed those it no longer lists, each group the import wrote to is checked
 * against the group's other members in the CMDB: a group that a second file
 * extends with another type or min_up would otherwise be stored (and an exact
 * export of the CMDB would no longer import). A conflict is the row's error,
 * named by the file's first row of that group, and the import is refused as a
 * whole, even with --skip-bad-rows: the row is written already.
 */
import type { ImportContext } from './context.js';
import { ADVICE } from '../advice.js';

interface Conflict {
  dep: number;
  line: number | null;
  depKey: string;
  grp: string;
  type: string;
  minUp: number | null;
  otherType: string;
  otherMinUp: number | null;
  otherSource: string;
  otherTarget: string;
}

/** Where the file names a group's settings: its group and min_up columns, and its header's line (relationships.ts sets them). */
export interface GroupColumns {
  group: string | null;
  minUp: string | null;
  headerLine: number;
}

/** Conflicts reported at most: the first names the import's refusal, as row errors do. */
const REPORTED = 20;

/**
 * The groups in `groups` (a table or CTE with dep, grp, type, min_up and line) whose members in the CMDB are at
 * odds with the settings it holds, read by each end's index: relationships_grouped from a dependent source,
 * relationships_target from a dependent target. `self` leaves out the member that is the group's own row.
 */
function conflictsSql(before: string, groups: string, self = ''): string {
  return `
  WITH ${before} other AS (
    SELECT m.*, o.id AS oid, o.type AS otype, o.min_up AS omin, o.source_id AS osrc, o.target_id AS otgt
    FROM ${groups} m JOIN relationships o ON o.source_id = m.dep AND o.redundancy_group = m.grp
    JOIN rel_types ot ON ot.name = o.type AND ot.dependent = 'source'
    UNION ALL
    SELECT m.*, o.id, o.type, o.min_up, o.source_id, o.target_id
    FROM ${groups} m JOIN relationships o ON o.target_id = m.dep AND o.redundancy_group = m.grp
    JOIN rel_types ot ON ot.name = o.type AND ot.dependent != 'source'
  )
  SELECT x.dep, d.key AS depKey, x.grp, x.type, x.min_up AS minUp, x.line, x.otype AS otherType, x.omin AS otherMinUp,
         s.key AS otherSource, g.key AS otherTarget
  FROM other x JOIN cis d ON d.id = x.dep JOIN cis s ON s.id = x.osrc JOIN cis g ON g.id = x.otgt
  WHERE ${self} (x.otype != x.type OR (x.min_up IS NOT NULL AND x.omin IS NOT NULL AND x.omin != x.min_up))
  GROUP BY x.dep, x.grp LIMIT ${REPORTED}`;
}

/** Each group the file gave (temp.import_groups, with its first line), against its members in the CMDB: the file's own rows agree with it. */
const FROM_FILE = conflictsSql('', 'temp.import_groups');

/**
 * The same for a file planned on the other core (rel-planner-worker.ts keeps its groups there): the grouped
 * relationships this import wrote (a scan of relationships_grouped), against the other members of their
 * groups; no line is known.
 */
const FROM_WRITTEN = conflictsSql(
  `mine AS (
    SELECT r.id, r.type, r.min_up, r.redundancy_group AS grp, NULL AS line,
           CASE WHEN t.dependent = 'source' THEN r.source_id ELSE r.target_id END AS dep
    FROM relationships r JOIN rel_types t ON t.name = r.type
    WHERE r.import_id = @imp AND r.redundancy_group IS NOT NULL
  ),`,
  'mine',
  'x.oid != x.id AND',
);

/**
 * Reports each group the relationships file `file` wrote that disagrees with a member stored before it (see
 * above), as errors that refuse the import as a whole (ImportContext.rejectWhole). Nothing to check when the
 * CMDB had no relationships (a bulk load: the file is the whole group).
 */
export function checkStoredGroups(ctx: ImportContext, file: string): void {
  const columns = ctx.relGroupColumns;
  if (ctx.bulk || !columns) return;
  const { db } = ctx;
  const fromFile = db.prepare('SELECT EXISTS (SELECT 1 FROM temp.import_groups)').pluck().get() === 1;
  // No group in the file, unless the planner kept them: then what this import wrote is read.
  if (!fromFile && !ctx.plan) return;
  const conflicts = db.prepare(fromFile ? FROM_FILE : FROM_WRITTEN).all(fromFile ? {} : { imp: ctx.importId }) as Conflict[];
  if (conflicts.length === 0) return;
  for (const c of conflicts) {
    const member = `${c.otherSource} ${c.otherType} ${c.otherTarget}`;
    const [column, message] =
      c.otherType !== c.type
        ? [
            columns.group,
            `conflicting group settings: redundancy group "${c.grp}" of ${c.depKey} holds ${c.otherType} relationships in the CMDB (${member}) and here ${c.type}. A group holds relationships of one type; rename this group, or change that relationship first.`,
          ]
        : [
            columns.minUp,
            `conflicting group settings: redundancy group "${c.grp}" of ${c.depKey} has min_up ${c.otherMinUp} in the CMDB (${member}) and here ${c.minUp}. Give the whole group the same min_up.`,
          ];
    // The file's first row of the group; from the planner's rows, the header's line (the message names the group).
    ctx.rowError(file, c.line ?? columns.headerLine, column, message, true);
  }
  ctx.warnings.push(
    `${file}: ${conflicts.length === 1 ? 'a redundancy group is' : 'redundancy groups are'} at odds with the CMDB (see the row errors): the import ${ctx.dryRun ? 'would be' : 'is'} refused as a whole, ${ADVICE.evenSkipping.cli}, as such a row is found once it is written.`,
  );
}
