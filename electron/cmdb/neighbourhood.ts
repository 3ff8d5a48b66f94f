/** The neighbourhood of a CI to N hops, for the graph view. */
import type { Direction, GraphEdge, GraphNode } from '../../shared/domain.js';
import type { Db } from './db.js';
import { CmdbError } from '../../shared/errors.js';

interface EdgeRow {
  id: number;
  source_id: number;
  target_id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
}

interface NodeRow {
  id: number;
  key: string;
  name: string;
  type: string;
  status: string | null;
  criticality: string | null;
  environment: string | null;
  owner: string | null;
}

const CHUNK = 900;
/**
 * Relationships still read after maxNodes is reached, to count exactly what was left out.
 * Past this many, the rest of the ring is counted with count(*) on the relationship indexes.
 */
const COUNT_BUDGET = 1000;

export interface NeighbourhoodRequest {
  key: string;
  depth: number;
  direction: Direction;
  ciTypes?: string[] | undefined;
  relTypes?: string[] | undefined;
  maxNodes: number;
}

export interface NeighbourhoodResult {
  center: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
  /**
   * CIs of the ring where maxNodes was reached that were left out. Exact when the rest of that
   * ring has at most COUNT_BUDGET relationships; past that (a hub: a storage array, a core switch)
   * the relationships not read are counted one CI each, so the figure is an upper bound (a CI
   * reached by two of them, or already shown, counts again). Rings further out are not counted.
   */
  omitted: number;
}

const NODE_COLS = 'id, key, name, type, status, criticality, environment, owner';
const EDGE_COLS = 'r.id, r.source_id, r.target_id, r.type, r.redundancy_group, r.min_up';

/**
 * Breadth-first over the relationship indexes, reading each ring's relationships as a stream and
 * stopping once maxNodes CIs are found, so a hub with hundreds of thousands of relationships costs
 * no more than maxNodes of them. Direction is read through each relationship type's dependent end:
 * "upstream" follows what a CI depends on, "downstream" what depends on it.
 */
export function neighbourhood(db: Db, req: NeighbourhoodRequest): NeighbourhoodResult {
  const center = db.prepare(`SELECT ${NODE_COLS} FROM cis WHERE key = ?`).get(req.key) as NodeRow | undefined;
  if (!center) throw new CmdbError('NOT_FOUND', `No CI with key "${req.key}". Search for it by name to find its key.`, { key: req.key });

  const relFilter = req.relTypes && req.relTypes.length > 0 ? new Set(req.relTypes) : null;
  const typeFilter = req.ciTypes && req.ciTypes.length > 0 ? new Set(req.ciTypes) : null;
  const dependentOf = new Map(
    (db.prepare('SELECT name, dependent FROM rel_types').all() as Array<{ name: string; dependent: string }>).map((t) => [
      t.name,
      t.dependent,
    ]),
  );
  const allTypes = [...dependentOf.keys()];
  // The relationship types followed from a CI at the source end, and at the target end: `from`
  // depends on `to` when `from` is the dependent end.
  const followed = (fromEnd: 'source' | 'target'): string[] =>
    allTypes.filter((t) => {
      if (relFilter && !relFilter.has(t)) return false;
      if (req.direction === 'both') return true;
      const fromIsDependent = dependentOf.get(t) === fromEnd;
      return req.direction === 'upstream' ? fromIsDependent : !fromIsDependent;
    });
  const sides = (['source', 'target'] as const).map((end) => {
    const types = followed(end);
    const col = end === 'source' ? 'source_id' : 'target_id';
    const otherCol = end === 'source' ? 'target_id' : 'source_id';
    const typeSql = types.length === allTypes.length ? '' : ' AND r.type IN (SELECT value FROM json_each(?))';
    const typeArgs = typeSql ? [JSON.stringify(types)] : [];
    // The CI type filter applies to the far end in SQL, so relationships to CIs of other types (all of a
    // hub's, it may be) are never read; without it, only the relationship index is read.
    const ciTypeSql = typeFilter ? ' AND c.type IN (SELECT value FROM json_each(?))' : '';
    const args = [...typeArgs, ...(typeFilter ? [JSON.stringify([...typeFilter])] : [])];
    const from = `FROM relationships r${typeFilter ? ` JOIN cis c ON c.id = r.${otherCol}` : ''}
      WHERE r.${col} IN (SELECT value FROM json_each(?))${typeSql}${ciTypeSql}`;
    const far = db.prepare(`SELECT r.${otherCol} ${from}`).pluck();
    const count = db.prepare(`SELECT count(*) ${from}`).pluck();
    return {
      skip: types.length === 0,
      /** The far CI of each relationship read. */
      far: (ids: string) => far.iterate(ids, ...args) as IterableIterator<number>,
      count: (ids: string) => count.get(ids, ...args) as number,
    };
  });
  const nodeById = db.prepare(`SELECT ${NODE_COLS} FROM cis WHERE id = ?`);

  const depthOf = new Map<number, number>([[center.id, 0]]);
  const rows = new Map<number, NodeRow>([[center.id, center]]);
  const omittedIds = new Set<number>();
  let frontier = [center.id];
  let truncated = false;
  let omitted = 0;

  for (let d = 1; d <= req.depth && frontier.length > 0 && !truncated; d++) {
    const next: number[] = [];
    // Relationships read this ring (their far CI passes the CI type filter), and the budget left once maxNodes is reached.
    let read = 0;
    let budget = COUNT_BUDGET;
    let stopped = false;
    ring: for (let i = 0; i < frontier.length; i += CHUNK) {
      const ids = JSON.stringify(frontier.slice(i, i + CHUNK));
      for (const side of sides) {
        if (side.skip) continue;
        for (const other of side.far(ids)) {
          // Every CI read passes the CI type filter (in SQL); one not yet seen is shown, or omitted past maxNodes.
          if (!rows.has(other) && !omittedIds.has(other)) {
            if (rows.size < req.maxNodes) {
              const n = nodeById.get(other) as NodeRow | undefined;
              if (!n) continue; // a relationship to a CI that is gone (foreign keys off)
              rows.set(other, n);
              depthOf.set(other, d);
              next.push(other);
            } else {
              truncated = true;
              omittedIds.add(other);
            }
          }
          read++;
          if (truncated && --budget <= 0) {
            stopped = true;
            break ring;
          }
        }
      }
    }
    if (stopped) {
      // A hub: count the rest of the ring on the indexes instead of reading it.
      let total = 0;
      for (let i = 0; i < frontier.length; i += CHUNK) {
        const ids = JSON.stringify(frontier.slice(i, i + CHUNK));
        for (const side of sides) if (!side.skip) total += side.count(ids);
      }
      omitted = omittedIds.size + Math.max(0, total - read);
    } else {
      omitted = omittedIds.size;
    }
    frontier = next;
  }

  return {
    center: center.key,
    nodes: [...rows.values()].map((n) => ({
      id: n.id,
      key: n.key,
      name: n.name,
      type: n.type,
      status: n.status,
      criticality: n.criticality,
      environment: n.environment,
      owner: n.owner,
      depth: depthOf.get(n.id) ?? 0,
    })),
    edges: edgesBetween(db, rows, relFilter),
    truncated,
    omitted,
  };
}

/**
 * Every relationship between two returned CIs (the walk never expands the last ring, nor follows
 * edges against the direction asked for), so the graph shows how every pair of returned CIs is
 * related. Relationships are read by source, grouped; a source with more relationships than there
 * are returned CIs (a hub) is dropped from that read and looked up pair by pair on the
 * (source_id, target_id) index instead of reading all of its relationships.
 */
function edgesBetween(db: Db, rows: Map<number, NodeRow>, relFilter: Set<string> | null): GraphEdge[] {
  const returned = [...rows.keys()];
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
  const keyOf = (id: number) => rows.get(id)!.key;
  return found
    .filter((e) => rows.has(e.target_id) && (!relFilter || relFilter.has(e.type)))
    .sort((a, b) => a.id - b.id)
    .map((e) => ({
      id: e.id,
      source: keyOf(e.source_id),
      target: keyOf(e.target_id),
      type: e.type,
      redundancyGroup: e.redundancy_group,
      minUp: e.min_up,
    }));
}
