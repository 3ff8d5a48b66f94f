/**
 * The rolled-up impact graph as the screen draws it: the engine's group graph
 * (by type or by service, over every impacted CI), with the groups past what
 * a graph can show folded into one "more groups" node. Pure, so it is unit-tested.
 */
import { NONE_GROUP, SHARED_GROUP, type GroupBy, type GroupGraph } from '../../../shared/impact.js';
import { criticalityRank } from '../../../shared/vocab.js';
import { formatCount } from '../../../shared/format.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';

/** The id of the node the folded groups go to; a NUL starts it, as the engine's own non-CI groups' (SHARED_GROUP, NONE_GROUP), so no type or key is it. */
export const OTHER_GROUP = '\u0000other';

export interface GroupNode {
  id: string;
  /** Its name as drawn and as its heading when opened: a type by its label ("Virtual machine"), not its key. */
  label: string;
  criticality: string | null;
  changed: number;
  down: number;
  degraded: number;
  total: number;
  /** Engine groups folded into this node (1 for a group of its own). */
  groups: number;
}

export interface GroupEdge {
  id: string;
  source: string;
  target: string;
  count: number;
}

export interface GroupView {
  by: GroupBy;
  nodes: GroupNode[];
  edges: GroupEdge[];
  /** Engine groups folded into the "more groups" node. */
  folded: number;
}

const total = (g: { changed: number; down: number; degraded: number }) => g.changed + g.down + g.degraded;

/**
 * The group graph with at most `max` nodes: the groups holding changed CIs,
 * then the most critical (by service) and the largest; the rest fold into
 * one node. Edges between folded groups merge, counts add up; an edge from a
 * group to itself is left out (the node's count covers it).
 */
export function groupView(g: GroupGraph, max: number): GroupView {
  const ranked = [...g.groups].sort(
    (a, b) =>
      Number(b.changed > 0) - Number(a.changed > 0) ||
      criticalityRank(b.criticality) - criticalityRank(a.criticality) ||
      total(b) - total(a) ||
      a.id.localeCompare(b.id),
  );
  const keep = ranked.length > max ? ranked.slice(0, Math.max(1, max - 1)) : ranked;
  const kept = new Set(keep.map((x) => x.id));
  const nodes: GroupNode[] = keep.map((x) => ({
    ...x,
    label: g.by === 'type' ? ciTypeLabel(x.id) : x.label,
    total: total(x),
    groups: 1,
  }));
  const rest = ranked.filter((x) => !kept.has(x.id));
  if (rest.length > 0) {
    const sum = (f: 'changed' | 'down' | 'degraded') => rest.reduce((n, x) => n + x[f], 0);
    const other = { changed: sum('changed'), down: sum('down'), degraded: sum('degraded') };
    nodes.push({
      id: OTHER_GROUP,
      label: `${rest.length} more ${g.by === 'service' ? 'groups' : 'types'}`,
      criticality: null,
      ...other,
      total: total(other),
      groups: rest.length,
    });
  }
  const edges = new Map<string, GroupEdge>();
  for (const e of g.edges) {
    const source = kept.has(e.source) ? e.source : OTHER_GROUP;
    const target = kept.has(e.target) ? e.target : OTHER_GROUP;
    if (source === target) continue;
    const id = `${source}\u0000${target}`;
    const hit = edges.get(id);
    if (hit) hit.count += e.count;
    else edges.set(id, { id, source, target, count: e.count });
  }
  return { by: g.by, nodes, edges: [...edges.values()], folded: rest.length };
}

/** The engine's groups by service that are not one business service: "Several services", "No business service" (shared/impact.ts). */
export const SHARED_GROUPS: ReadonlySet<string> = new Set([SHARED_GROUP, NONE_GROUP]);

/**
 * The heading over an open group's CIs: "Service Checkout: 8 of its CIs",
 * "Type Database: 3 of its CIs"; a group that is no one service or type
 * ("Several services", "No business service", the folded ones) by its own
 * name: "Several services: 8 CIs". `most`: the list holds only the most severe. `drawn`: how many of them the graph
 * shows the paths to, said when fewer ("; the graph shows the paths to 64 of them (the most severe)", as the note
 * over an answer's own graph says: 120 listed read as 120 drawn).
 */
export function openGroupHeading(g: { by: GroupBy; id: string; label: string }, listed: number, most: boolean, drawn = listed): string {
  const severe = most ? ' most severe' : '';
  const n = formatCount(listed);
  const graph = drawn < listed ? `; the graph shows the paths to ${formatCount(drawn)} of them (the most severe)` : '';
  if (g.id === OTHER_GROUP || (g.by === 'service' && SHARED_GROUPS.has(g.id)))
    return `${g.label}: ${n}${severe} ${listed === 1 ? 'CI' : 'CIs'}${graph}`;
  return `${g.by === 'service' ? 'Service' : 'Type'} ${g.label}: ${n}${severe} of its CIs${graph}`;
}
