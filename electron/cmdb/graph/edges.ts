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
 * related. Relationships are read by source, grouped; a source with more relationships than there
 * are CIs (a hub) is dropped from that read and looked up pair by pair on the
 * (source_id, target_id) index instead of reading all of its relationships. Both reads use only
 * that index; redundancy groups and min_up come from their own partial index. Sorted by id.
 */
export function edgesBetween(db: Db, ids: Set<number>, relFilter: Set<string> | null): EdgeRow[] {
  const returned = [...ids];
  // Rows as arrays (half the cost of objects on a hub's tens of thousands); objects only for those kept.
  const bySource = db
    .prepare(`SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id IN (SELECT value FROM json_each(?)) ORDER BY r.source_id`)
    .raw();
  const fromHub = db
    .prepare(`SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id = ? AND r.target_id IN (SELECT value FROM json_each(?))`)
    .raw();
  const found: RawEdge[] = [];
  const hubs: number[] = [];
  for (let i = 0; i < returned.length; i += CHUNK) {
    let pending = returned.slice(i, i + CHUNK);
    while (pending.length > 0) {
      const done = new Set<number>();
      let hub = -1;
      let current = -1;
      let run: RawEdge[] = [];
      for (const e of bySource.iterate(JSON.stringify(pending)) as IterableIterator<RawEdge>) {
        if (e[1] !== current) {
          for (const r of run) if (ids.has(r[2])) found.push(r);
          run = [];
          done.add(current);
          current = e[1];
        }
        run.push(e);
        if (run.length > returned.length) {
          hub = current;
          break;
        }
      }
      if (hub < 0) {
        for (const r of run) if (ids.has(r[2])) found.push(r);
        break;
      }
      // The rows come grouped by source: read again without the hub and the sources already read.
      hubs.push(hub);
      pending = pending.filter((id) => id !== hub && !done.has(id));
    }
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
