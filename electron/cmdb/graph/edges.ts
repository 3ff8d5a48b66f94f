/** The relationships between the CIs a walk found, read without reading all of a hub's. */
import type { Db } from '../db.js';
import { CHUNK } from './walk.js';

export interface EdgeRow {
  id: number;
  source_id: number;
  target_id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
}

type RawEdge = [id: number, source_id: number, target_id: number, type: string];

/** Columns the (source_id, target_id, type) index holds, so reading them never touches the table. */
const EDGE_COLS = 'r.id, r.source_id, r.target_id, r.type';

/**
 * Every relationship between two of `ids` (the walk never expands the last ring, nor follows
 * edges against the direction asked for), so the graph shows how every pair of returned CIs is
 * related. Relationships are read by source; a source with more relationships than there are
 * CIs (a hub), found by counting on the index, is left out of that read and looked up pair by pair
 * on the (source_id, target_id) index instead of reading all of its relationships. Both reads use only
 * that index; redundancy groups and min_up come from their own partial index. Sorted by id.
 */
export function edgesBetween(db: Db, ids: Set<number>, relFilter: Set<string> | null): EdgeRow[] {
  const returned = [...ids];
  // Rows as arrays (half the cost of objects on a hub's tens of thousands); objects only for those kept.
  const bySource = db.prepare(`SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id IN (SELECT value FROM json_each(?))`).raw();
  // Sources with more relationships than there are CIs, counted on the index without reading them.
  const hubsOf = db
    .prepare(
      `SELECT r.source_id FROM relationships r WHERE r.source_id IN (SELECT value FROM json_each(?))
       GROUP BY r.source_id HAVING count(*) > ?`,
    )
    .pluck();
  const fromHub = db
    .prepare(`SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id = ? AND r.target_id IN (SELECT value FROM json_each(?))`)
    .raw();
  const found: RawEdge[] = [];
  const hubs: number[] = [];
  for (let i = 0; i < returned.length; i += CHUNK) {
    let chunk = returned.slice(i, i + CHUNK);
    const chunkHubs = hubsOf.all(JSON.stringify(chunk), returned.length) as number[];
    if (chunkHubs.length > 0) {
      hubs.push(...chunkHubs);
      const skip = new Set(chunkHubs);
      chunk = chunk.filter((id) => !skip.has(id));
    }
    for (const r of bySource.all(JSON.stringify(chunk)) as RawEdge[]) if (ids.has(r[2])) found.push(r);
  }
  if (hubs.length > 0) {
    const all = JSON.stringify(returned);
    for (const h of hubs) for (const r of fromHub.iterate(h, all) as IterableIterator<RawEdge>) found.push(r);
  }
  // Redundancy groups and min_up, for the few relationships that have them (relationships_grouped).
  const grouped = db
    .prepare(
      `SELECT r.id, r.redundancy_group, r.min_up FROM relationships r
       WHERE r.source_id IN (SELECT value FROM json_each(?)) AND (r.redundancy_group IS NOT NULL OR r.min_up IS NOT NULL)`,
    )
    .raw();
  const extra = new Map<number, [string | null, number | null]>();
  for (let i = 0; i < returned.length; i += CHUNK) {
    for (const [id, rg, mu] of grouped.iterate(JSON.stringify(returned.slice(i, i + CHUNK))) as IterableIterator<
      [number, string | null, number | null]
    >) {
      extra.set(id, [rg, mu]);
    }
  }
  return found
    .filter((e) => !relFilter || relFilter.has(e[3]))
    .sort((a, b) => a[0] - b[0])
    .map(([id, source_id, target_id, type]) => {
      const [redundancy_group, min_up] = extra.get(id) ?? [null, null];
      return { id, source_id, target_id, type, redundancy_group, min_up };
    });
}
