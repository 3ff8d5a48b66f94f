/**
 * The neighbourhood of a CI for the graph view: the walk (graph/walk.ts),
 * the relationships among what it found (graph/edges.ts), groups
 * (graph/grouping.ts) and implied edges through filtered-out types
 * (graph/implied.ts), put together as the contract's answer.
 */
import { GROUPED_READ_LIMIT, type Response } from '../../shared/api.js';
import type { Direction, GraphEdge } from '../../shared/domain.js';
import { type GraphGroup, type GraphGrouping, type GroupEdge, type ImpliedEdge, uniqueGroupId } from '../../shared/graph.js';
import type { Db } from './db.js';
import { edgesBetween, type EdgeRow } from './graph/edges.js';
import { checkGroupingField, formGroups, groupingField, groupingPath } from './graph/grouping.js';
import { impliedChains } from './graph/implied.js';
import { dependentIsSource, readCis, walk, type WalkResult } from './graph/walk.js';

export interface NeighbourhoodRequest {
  key: string;
  depth: number;
  direction: Direction;
  ciTypes?: string[] | undefined;
  relTypes?: string[] | undefined;
  maxNodes: number;
  grouping?: GraphGrouping | undefined;
  /** Without `grouping`: the grouping to answer with when maxNodes cuts the neighbourhood. */
  autoGroup?: GraphGrouping | undefined;
  /** Implied edges through filtered-out types (default true). */
  implied?: boolean | undefined;
}

export type NeighbourhoodResult = Response<'neighbourhood'>;

/**
 * The answer. Without grouping, at most maxNodes CIs are walked to be drawn; with it, up to
 * GROUPED_READ_LIMIT are read to form the groups, and maxNodes caps what is drawn (the centre,
 * then groups, largest first, then the CIs drawn alone, nearest first). CIs of filtered-out types
 * are walked through (up to GROUPED_READ_LIMIT of them) and counted in `hidden`.
 */
export function neighbourhood(db: Db, req: NeighbourhoodRequest): NeighbourhoodResult {
  if (req.grouping) checkGroupingField(db, req.grouping.by);
  const w = walkFor(db, req);
  if (req.grouping || !req.autoGroup || !w.truncated) return answer(db, req, w);
  // A hub: what maxNodes would cut is drawn grouped instead (the cut walk stopped at maxNodes, so it cost little).
  const grouped = { ...req, grouping: req.autoGroup };
  const all = walkFor(db, grouped);
  return { ...answer(db, grouped, all), autoGrouped: { omitted: pastTheCap(w, all) } };
}

/**
 * How many CIs the cut walk `cut` left out: the grouped walk `all` read the rings past the one
 * where the cut stopped too (the cut walk's own `omitted` counts only that ring).
 */
function pastTheCap(cut: WalkResult, all: WalkResult): number {
  const drawn = (x: WalkResult) => x.rows.size - x.hidden.size;
  return Math.max(cut.omitted, drawn(all) + all.omitted - drawn(cut));
}

/** The walk for the request: up to maxNodes CIs, or with grouping up to GROUPED_READ_LIMIT to form the groups. */
function walkFor(db: Db, req: NeighbourhoodRequest): WalkResult {
  return walk(db, {
    key: req.key,
    depth: req.depth,
    direction: req.direction,
    ciTypes: req.ciTypes,
    relTypes: req.relTypes,
    cap: req.grouping ? GROUPED_READ_LIMIT : req.maxNodes,
    hiddenCap: GROUPED_READ_LIMIT,
    field: req.grouping ? groupingField(req.grouping.by) : undefined,
    attribute: req.grouping ? groupingPath(req.grouping.by) : undefined,
  });
}

/** The contract's answer from a walk: what is drawn, alone or in groups, and the relationships among it. */
function answer(db: Db, req: NeighbourhoodRequest, w: WalkResult): NeighbourhoodResult {
  const relFilter = req.relTypes && req.relTypes.length > 0 ? new Set(req.relTypes) : null;
  const drawn = [...w.rows.keys()].filter((id) => !w.hidden.has(id));
  const place = placeDrawn(db, w, drawn, req);
  const all = edgesBetween(db, new Set(w.rows.keys()), relFilter);
  const shown = readCis(db, place.shown);
  apartFromKeys(place, new Set([...shown.values()].map((n) => n.key)));

  // Each drawn CI's node: its key, or its group's id.
  const nodeOf = (id: number): string | undefined => place.groupOf.get(id) ?? shown.get(id)?.key;
  const edges: GraphEdge[] = [];
  const groupEdges = new Map<string, GroupEdge>();
  for (const e of all) {
    if (w.hidden.has(e.source_id) || w.hidden.has(e.target_id)) continue;
    const source = nodeOf(e.source_id);
    const target = nodeOf(e.target_id);
    if (source === undefined || target === undefined) continue;
    if (!place.groupOf.has(e.source_id) && !place.groupOf.has(e.target_id)) {
      edges.push({ id: e.id, source, target, type: e.type, redundancyGroup: e.redundancy_group, minUp: e.min_up });
    } else if (source !== target) {
      // A relationship inside one group is not drawn (it would loop on the group).
      const k = `${source}\u0000${target}\u0000${e.type}`;
      const g = groupEdges.get(k);
      if (g) g.count++;
      else groupEdges.set(k, { source, target, type: e.type, count: 1 });
    }
  }
  return {
    center: w.center.key,
    // In the walk's order (a CI deleted by another process since the walk is left out).
    nodes: [...place.shown].flatMap((id) => {
      const n = shown.get(id);
      if (!n) return [];
      const { key, name, type, status, criticality, environment, owner } = n;
      return [{ id, key, name, type, status, criticality, environment, owner, depth: w.depthOf.get(id) ?? 0 }];
    }),
    edges,
    truncated: w.truncated || place.dropped > 0,
    omitted: w.omitted + place.dropped,
    groups: place.groups,
    groupEdges: [...groupEdges.values()],
    implied: req.implied === false ? [] : impliedEdges(db, w, all, nodeOf),
    hidden: w.hidden.size,
  };
}

interface Placement {
  /** CIs drawn as themselves, in the order found. */
  shown: Set<number>;
  groups: GraphGroup[];
  groupOf: Map<number, string>;
  /** Drawn CIs left out by maxNodes after grouping. */
  dropped: number;
}

/** Group ids that are a drawn CI's key made unique (uniqueGroupId), in the groups and in `groupOf`. */
function apartFromKeys(place: Placement, keys: Set<string>): void {
  const renamed = new Map<string, string>();
  // Taken: the drawn CIs' keys and every group's id (a group of value "x~2" beside one renamed from "x").
  const taken = new Set([...keys, ...place.groups.map((g) => g.id)]);
  for (const g of place.groups) {
    if (!keys.has(g.id)) continue;
    const id = uniqueGroupId(g.id, (x) => taken.has(x));
    taken.add(id);
    renamed.set(g.id, id);
    g.id = id;
  }
  if (renamed.size > 0) for (const [ci, g] of place.groupOf) place.groupOf.set(ci, renamed.get(g) ?? g);
}

/** Which drawn CIs are groups and which are drawn alone, within maxNodes. */
function placeDrawn(db: Db, w: WalkResult, drawn: number[], req: NeighbourhoodRequest): Placement {
  if (!req.grouping) return { shown: new Set(drawn), groups: [], groupOf: new Map(), dropped: 0 };
  const members = drawn.filter((id) => id !== w.center.id);
  const { groups, groupOf } = formGroups(w.rows, w.depthOf, members, req.grouping);
  let room = req.maxNodes - 1; // the centre is always drawn
  let dropped = 0;
  const kept: GraphGroup[] = [];
  const dropGroups = new Set<string>();
  for (const g of groups) {
    if (room > 0) {
      kept.push(g);
      room--;
    } else {
      dropGroups.add(g.id);
      dropped += g.count;
    }
  }
  const inDropped = new Set<number>();
  for (const [id, g] of groupOf) {
    if (dropGroups.has(g)) {
      inDropped.add(id);
      groupOf.delete(id);
    }
  }
  const alone = members
    .filter((id) => !groupOf.has(id) && !inDropped.has(id))
    .sort((a, b) => (w.depthOf.get(a) ?? 0) - (w.depthOf.get(b) ?? 0));
  const shown = new Set<number>([w.center.id]);
  for (const id of alone) {
    if (room > 0) {
      shown.add(id);
      room--;
    } else dropped++;
  }
  return { shown, groups: kept, groupOf, dropped };
}

/** Chains through hidden CIs between drawn nodes (CIs or groups), one per pair of nodes. */
function impliedEdges(db: Db, w: WalkResult, all: EdgeRow[], nodeOf: (id: number) => string | undefined): ImpliedEdge[] {
  const byPair = new Map<string, { source: string; target: string; hidden: Set<number> }>();
  for (const c of impliedChains(all, w.hidden, dependentIsSource(db))) {
    const source = nodeOf(c.source);
    const target = nodeOf(c.target);
    if (source === undefined || target === undefined || source === target) continue;
    const k = `${source}\u0000${target}`;
    const p = byPair.get(k);
    if (p) for (const h of c.hidden) p.hidden.add(h);
    else byPair.set(k, { source, target, hidden: new Set(c.hidden) });
  }
  return [...byPair.values()].map((p) => {
    const types = new Map<string, number>();
    for (const h of p.hidden) {
      const t = w.rows.get(h)!.type;
      types.set(t, (types.get(t) ?? 0) + 1);
    }
    const via = [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
    return { source: p.source, target: p.target, hidden: p.hidden.size, via };
  });
}
