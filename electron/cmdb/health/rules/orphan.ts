/**
 * `orphan`: a live CI with no relationship at either end, of any type (even
 * `connects_to`). Read from the graph index, which holds every relationship:
 * the nodes with no edge are the candidates, then SQL keeps the live,
 * non-exempt CIs among them.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { exemptClause, RETIRED } from '../context.js';

const CHUNK = 50_000;

/** One finding per orphan CI. */
export function orphan(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const candidates: number[] = [];
  const consider = (node: number) => {
    if (index.upRange[2 * node + 1]! > index.upRange[2 * node]!) return;
    if (index.downRange[2 * node + 1]! > index.downRange[2 * node]!) return;
    candidates.push(index.ciIdOf(node));
  };
  if (ctx.scope === null) {
    for (let v = 0; v < index.nodeCount; v++) consider(v);
  } else {
    for (const id of ctx.scope) {
      const v = index.nodeOf(id);
      // A CI the index does not know (added since it was read) has no relationship it knows either: SQL decides.
      if (v < 0) candidates.push(id);
      else consider(v);
    }
  }
  // Node slots of deleted ids are candidates too; SQL keeps only CIs that exist.
  const exempt = exemptClause('type', ctx.config.orphanExemptTypes);
  const keep = ctx.db
    .prepare(
      `SELECT id FROM cis WHERE id IN (SELECT value FROM json_each(@ids))
         AND (status IS NULL OR status != '${RETIRED}')${exempt.sql}
         AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.source_id = cis.id)
         AND NOT EXISTS (SELECT 1 FROM relationships r WHERE r.target_id = cis.id)
       ORDER BY id`,
    )
    .pluck();
  const out: RawFinding[] = [];
  candidates.sort((a, b) => a - b);
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const ids = keep.all({ ids: JSON.stringify(candidates.slice(i, i + CHUNK)), ...exempt.binds }) as number[];
    for (const id of ids) out.push({ rule: 'orphan', ids: [id] });
  }
  return out;
}
