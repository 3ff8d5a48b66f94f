/**
 * The neighbourhood walk as it was before it was bounded (it read every relationship of a hub),
 * kept only as an oracle for tests/unit/speed-neighbourhood.test.ts: the bounded walk must give
 * the same CIs, depths and relationships whenever maxNodes does not cut the result. `both` is the
 * union of an upstream and a downstream walk from the centre, and a CI type filter hides CIs after
 * a walk through every type (issue 16); for those, only whether maxNodes cuts is answered when it does.
 */
import type { Direction, GraphEdge, GraphNode } from '../../shared/domain.js';
import type { Db } from '../../electron/cmdb/db.js';
import { CmdbError } from '../../shared/errors.js';

interface EdgeRow {
  id: number;
  source_id: number;
  target_id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
  dependent: 'source' | 'target';
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
  omitted: number;
}

/**
 * Breadth-first, one batched query per hop (not one per node). Direction is
 * read through each relationship type's dependent end: "upstream" follows
 * what a CI depends on, "downstream" what depends on it.
 */
export function referenceNeighbourhood(db: Db, req: NeighbourhoodRequest): NeighbourhoodResult {
  if (req.direction !== 'both' && !(req.ciTypes && req.ciTypes.length > 0)) return singleWalk(db, req);
  const whole = { ...req, ciTypes: undefined, maxNodes: Number.MAX_SAFE_INTEGER };
  const walks = (req.direction === 'both' ? (['upstream', 'downstream'] as const) : [req.direction]).map((direction) =>
    singleWalk(db, { ...whole, direction }),
  );
  const depth = new Map<string, GraphNode>();
  for (const w of walks) for (const n of w.nodes) if (!depth.has(n.key) || depth.get(n.key)!.depth > n.depth) depth.set(n.key, n);
  const keep = req.ciTypes && req.ciTypes.length > 0 ? new Set(req.ciTypes) : null;
  const nodes = [...depth.values()].filter((n) => n.depth === 0 || !keep || keep.has(n.type));
  const truncated = nodes.length > req.maxNodes;
  const shown = new Set(nodes.map((n) => n.key));
  const relFilter = req.relTypes && req.relTypes.length > 0 ? new Set(req.relTypes) : null;
  const ids = JSON.stringify(nodes.map((n) => n.id));
  const edges = (
    db
      .prepare(
        `SELECT r.id, s.key AS source, t.key AS target, r.type, r.redundancy_group AS redundancyGroup, r.min_up AS minUp
         FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id
         WHERE r.source_id IN (SELECT value FROM json_each(?)) AND r.target_id IN (SELECT value FROM json_each(?))`,
      )
      .all(ids, ids) as GraphEdge[]
  ).filter((e) => shown.has(e.source) && shown.has(e.target) && (!relFilter || relFilter.has(e.type)));
  return { center: req.key, nodes, edges, truncated, omitted: truncated ? nodes.length - req.maxNodes : 0 };
}

/** One directional walk, capped at maxNodes (the walk as it was). */
function singleWalk(db: Db, req: NeighbourhoodRequest): NeighbourhoodResult {
  const center = db.prepare('SELECT id, key, name, type, status, criticality, environment, owner FROM cis WHERE key = ?').get(req.key) as
    NodeRow | undefined;
  if (!center) throw new CmdbError('NOT_FOUND', `No CI with key "${req.key}". Search for it by name to find its key.`, { key: req.key });

  const relFilter = req.relTypes && req.relTypes.length > 0 ? new Set(req.relTypes) : null;
  const typeFilter = req.ciTypes && req.ciTypes.length > 0 ? new Set(req.ciTypes) : null;
  const edgeSql = (col: 'source_id' | 'target_id') =>
    db.prepare(
      `SELECT r.id, r.source_id, r.target_id, r.type, r.redundancy_group, r.min_up, t.dependent
       FROM relationships r JOIN rel_types t ON t.name = r.type
       WHERE r.${col} IN (SELECT value FROM json_each(?))`,
    );
  const bySource = edgeSql('source_id');
  const byTarget = edgeSql('target_id');
  const nodeSql = db.prepare(
    'SELECT id, key, name, type, status, criticality, environment, owner FROM cis WHERE id IN (SELECT value FROM json_each(?))',
  );

  const depthOf = new Map<number, number>([[center.id, 0]]);
  const rows = new Map<number, NodeRow>([[center.id, center]]);
  const edges = new Map<number, EdgeRow>();
  const omittedIds = new Set<number>();
  let frontier = [center.id];
  let truncated = false;

  for (let d = 1; d <= req.depth && frontier.length > 0; d++) {
    const candidates: Array<{ edge: EdgeRow; other: number }> = [];
    for (let i = 0; i < frontier.length; i += CHUNK) {
      const ids = JSON.stringify(frontier.slice(i, i + CHUNK));
      const inFrontier = new Set(frontier.slice(i, i + CHUNK));
      for (const e of [...(bySource.all(ids) as EdgeRow[]), ...(byTarget.all(ids) as EdgeRow[])]) {
        if (relFilter && !relFilter.has(e.type)) continue;
        for (const [from, to] of [
          [e.source_id, e.target_id],
          [e.target_id, e.source_id],
        ] as const) {
          if (!inFrontier.has(from)) continue;
          // `from` depends on `to` when `from` is the dependent end.
          const fromIsDependent = (e.dependent === 'source') === (from === e.source_id);
          const wanted = req.direction === 'both' || (req.direction === 'upstream' ? fromIsDependent : !fromIsDependent);
          if (wanted) candidates.push({ edge: e, other: to });
        }
      }
    }
    const newIds = [...new Set(candidates.map((c) => c.other).filter((id) => !depthOf.has(id)))];
    const fetched = new Map<number, NodeRow>();
    for (let i = 0; i < newIds.length; i += CHUNK) {
      for (const n of nodeSql.all(JSON.stringify(newIds.slice(i, i + CHUNK))) as NodeRow[]) fetched.set(n.id, n);
    }
    const next: number[] = [];
    for (const id of newIds) {
      const n = fetched.get(id);
      if (!n || (typeFilter && !typeFilter.has(n.type))) continue;
      if (rows.size >= req.maxNodes) {
        truncated = true;
        omittedIds.add(id);
        continue;
      }
      rows.set(id, n);
      depthOf.set(id, d);
      next.push(id);
    }
    for (const c of candidates) {
      if (rows.has(c.edge.source_id) && rows.has(c.edge.target_id)) edges.set(c.edge.id, c.edge);
    }
    frontier = next;
    if (truncated) break;
  }

  // The walk never expands the last ring, nor follows edges against the direction asked for,
  // so relationships between returned CIs can be missing: add them all, so the graph shows
  // how every pair of returned CIs is related.
  const returned = [...rows.keys()];
  for (let i = 0; i < returned.length; i += CHUNK) {
    for (const e of bySource.all(JSON.stringify(returned.slice(i, i + CHUNK))) as EdgeRow[]) {
      if (rows.has(e.target_id) && (!relFilter || relFilter.has(e.type))) edges.set(e.id, e);
    }
  }

  const keyOf = (id: number) => rows.get(id)!.key;
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
    edges: [...edges.values()].map((e) => ({
      id: e.id,
      source: keyOf(e.source_id),
      target: keyOf(e.target_id),
      type: e.type,
      redundancyGroup: e.redundancy_group,
      minUp: e.min_up,
    })),
    truncated,
    omitted: omittedIds.size,
  };
}
