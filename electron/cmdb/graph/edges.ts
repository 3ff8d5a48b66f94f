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

const EDGE_COLS = 'r.id, r.source_id, r.target_id, r.type, r.redundancy_group, r.min_up';

/**
 * Every relationship between two of `ids` (the walk never expands the last ring, nor follows
 * edges against the direction asked for), so the graph shows how every pair of returned CIs is
 * related. Relationships are read by source, grouped; a source with more relationships than there
 * are CIs (a hub) is dropped from that read and looked up pair by pair on the
 * (source_id, target_id) index instead of reading all of its relationships. Sorted by id.
 */
export function edgesBetween(db: Db, ids: Set<number>, relFilter: Set<string> | null): EdgeRow[] {
  const returned = [...ids];
  const bySource = db.prepare(
    `SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id IN (SELECT value FROM json_each(?)) ORDER BY r.source_id`,
  );
  const fromHub = db.prepare(
    `SELECT ${EDGE_COLS} FROM relationships r WHERE r.source_id = ? AND r.target_id IN (SELECT value FROM json_each(?))`,
  );
  const found: EdgeRow[] = [];
  const hubs: number[] = [];
  for (let i = 0; i < returned.length; i += CHUNK) {
    let pending = returned.slice(i, i + CHUNK);
    while (pending.length > 0) {
      const done = new Set<number>();
      let hub = -1;
      let current = -1;
      let run: EdgeRow[] = [];
      for (const e of bySource.iterate(JSON.stringify(pending)) as IterableIterator<EdgeRow>) {
        if (e.source_id !== current) {
          found.push(...run);
          run = [];
          done.add(current);
          current = e.source_id;
        }
        run.push(e);
        if (run.length > returned.length) {
          hub = current;
          break;
        }
      }
      if (hub < 0) {
        found.push(...run);
        break;
      }
      // The rows come grouped by source: read again without the hub and the sources already read.
      hubs.push(hub);
      pending = pending.filter((id) => id !== hub && !done.has(id));
    }
  }
  if (hubs.length > 0) {
    const all = JSON.stringify(returned);
    for (const h of hubs) found.push(...(fromHub.all(h, all) as EdgeRow[]));
  }
  return found.filter((e) => ids.has(e.target_id) && (!relFilter || relFilter.has(e.type))).sort((a, b) => a.id - b.id);
}
