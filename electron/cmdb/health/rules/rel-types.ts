/**
 * `unreviewed-rel-type`: relationships of a type an import created and
 * flagged for review (a type the registry did not know). Impact reads such a
 * type by the registry's guess, a hard dependency of the source on the target
 * until someone maps it, so every answer through one rests on that guess.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { scopeBinds } from '../context.js';

/**
 * One finding per flagged relationship type that relationships use, naming the CIs that depend through them
 * (the end the type makes dependent), each once. Its detail: the type, how many relationships, its strength and
 * dependent end (what impact reads it as). A CMDB with no flagged type reads no relationship.
 */
export function unreviewedRelType(ctx: RuleContext): RawFinding[] {
  const types = ctx.db.prepare('SELECT name, strength, dependent FROM rel_types WHERE flagged = 1 ORDER BY name').raw().all() as Array<
    [string, string, string]
  >;
  if (types.length === 0) return [];
  // In scope: the relationships at either end of the CIs asked about (each end by its own index).
  const rows = ctx.db
    .prepare(
      `SELECT r.type, CASE t.dependent WHEN 'target' THEN r.target_id ELSE r.source_id END AS dependent_id, COUNT(*)
       FROM relationships r JOIN rel_types t ON t.name = r.type AND t.flagged = 1
       ${
         ctx.scope === null
           ? ''
           : `WHERE r.id IN (SELECT id FROM relationships WHERE source_id IN (SELECT value FROM json_each(@scope))
                  UNION SELECT id FROM relationships WHERE target_id IN (SELECT value FROM json_each(@scope)))`
       }
       GROUP BY r.type, dependent_id ORDER BY r.type, dependent_id`,
    )
    .raw()
    .all(scopeBinds(ctx)) as Array<[string, number, number]>;
  const byType = new Map<string, { ids: number[]; relationships: number }>();
  for (const [type, id, n] of rows) {
    let t = byType.get(type);
    if (!t) byType.set(type, (t = { ids: [], relationships: 0 }));
    t.ids.push(id);
    t.relationships += n;
  }
  return types.flatMap(([name, strength, dependent]) => {
    const t = byType.get(name);
    return t
      ? [{ rule: 'unreviewed-rel-type' as const, ids: t.ids, detail: [name, t.relationships, strength, dependent].join('\u0000') }]
      : [];
  });
}
