/** The relationships between the CIs a walk found, read in one pass over the relationship index. */
import type { Db } from '../db.js';

export interface EdgeRow {
  id: number;
  source_id: number;
  target_id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
}

type RawEdge = [id: number, source_id: number, target_id: number, type: string];

/**
 * `cols` of the relationships between the returned CIs, whose ids (a JSON array) are the
 * statement's one parameter: a table SQLite builds once per statement, joined by source with the
 * relationships (the order forced, CROSS JOIN) and checked by target against the same list (`+`
 * keeps SQLite from looking each (source, target) pair up instead, which it would otherwise plan:
 * every pair of 150,000 CIs). The check runs in SQLite, so a source with hundreds of thousands of
 * relationships (a hub) costs an index scan, not a row each to JavaScript. Works on a read-only
 * CMDB's `query_only` connection, which refuses temporary tables.
 */
function amongReturned(cols: string, index = ''): string {
  return `WITH returned(id) AS MATERIALIZED (SELECT value FROM json_each(?))
    SELECT ${cols} FROM returned CROSS JOIN relationships r ${index} ON r.source_id = returned.id WHERE +r.target_id IN returned`;
}

/** The relationships among the returned CIs, as rows of the columns the (source_id, target_id, type) index covers. */
export const EDGES_AMONG_SQL = amongReturned('r.id, r.source_id, r.target_id, r.type');

/** Redundancy groups and min_up among them, for the few relationships that have them (relationships_grouped). */
export const GROUPED_AMONG_SQL = `${amongReturned('r.id, r.redundancy_group, r.min_up', 'INDEXED BY relationships_grouped')}
  AND (r.redundancy_group IS NOT NULL OR r.min_up IS NOT NULL)`;

/**
 * Every relationship between two of `ids` (the walk never expands the last ring, nor follows
 * edges against the direction asked for), so the graph shows how every pair of returned CIs is
 * related. Read on the (source_id, target_id, type) index, which covers them; redundancy groups
 * and min_up come from their own partial index. Sorted by id.
 */
export function edgesBetween(db: Db, ids: Set<number>, relFilter: Set<string> | null): EdgeRow[] {
  const returned = JSON.stringify([...ids]);
  // Rows as arrays (half the cost of objects on a hub's tens of thousands); objects only for those kept.
  const found = db.prepare(EDGES_AMONG_SQL).raw().all(returned) as RawEdge[];
  const extra = new Map<number, [string | null, number | null]>();
  const grouped = db.prepare(GROUPED_AMONG_SQL).raw();
  for (const [id, rg, mu] of grouped.iterate(returned) as IterableIterator<[number, string | null, number | null]>) {
    extra.set(id, [rg, mu]);
  }
  return found
    .filter((e) => !relFilter || relFilter.has(e[3]))
    .sort((a, b) => a[0] - b[0])
    .map(([id, source_id, target_id, type]) => {
      const [redundancy_group, min_up] = extra.get(id) ?? [null, null];
      return { id, source_id, target_id, type, redundancy_group, min_up };
    });
}
