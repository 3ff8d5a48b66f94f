/**
 * What keeps the impact graph readable at any size of answer: each CI's name
 * drawn at one size on screen whatever the zoom, only where it overlaps no
 * other (the Graph screen's placement, graph/labels.ts), the layout spaced so
 * that every name has room from a least zoom on, and the first view no
 * smaller than that zoom: a graph too big to fit readably opens on the
 * changed CIs, the rest a pan away.
 */
import type cytoscape from 'cytoscape';
import { GROUP_LABEL_MAX_PX, LABEL_PX, placeLabels, type Box, type LabelCandidate } from '../graph/labels.js';
import { edgeCandidate, nodeCandidate, showPlaced } from '../graph/labelPlacement.js';
import { criticalityRank } from '../../../shared/vocab.js';

/** A CI's name on screen, in CSS pixels. */
export const IMPACT_LABEL_PX = 11;
/** An edge's relationship on screen. */
const EDGE_LABEL_PX = 10;
/** From this zoom on every edge's relationship is drawn where it has room (those on the highlighted path at any zoom). */
const EDGE_LABEL_ZOOM = 0.9;
/** The widest a name is drawn on screen before it is cut with "…" (the whole name on hover): 22 characters, "Orders DB (replica 01)" whole. */
export const IMPACT_LABEL_MAX_PX = 160;
/** The drawn size of a CI, in model units. */
export const NODE_PX = 30;

/**
 * The zoom the layout is spaced for: from it on a name fits under its CI
 * above the next one in its column, and two names side by side in
 * neighbouring columns do not meet (below it the names are placed where they
 * have room).
 */
export const MIN_READABLE_ZOOM = 0.55;
/**
 * The least zoom the first view fits a whole graph at: a CI is still drawn
 * 6 px across, its colour told apart, and the names that have
 * room are drawn at IMPACT_LABEL_PX.
 */
export const OVERVIEW_ZOOM = 0.2;
const LINE_PX = IMPACT_LABEL_PX * 1.3;
/** Dagre's gap between CIs in a column (left to right, a rank is a column) and between columns, in model units. */
export const NODE_SEP = Math.ceil((LINE_PX + 3 + 2) / MIN_READABLE_ZOOM);
export const RANK_SEP = Math.ceil((IMPACT_LABEL_MAX_PX + 6) / MIN_READABLE_ZOOM) - NODE_PX;

/** How much larger than the Graph screen's (LABEL_PX) the names are drawn: placeLabels' scale. */
const SCALE = IMPACT_LABEL_PX / LABEL_PX;

/** criticalityRank of a critical CI. */
export const CRITICAL_RANK = criticalityRank('critical');

/** A drawn CI's or group's criticality rank (criticalityRank: CRITICAL_RANK for critical ... 0 unknown). */
const rankOf = (n: cytoscape.NodeSingular) => Number(n.data('rank') ?? 0);

/** A candidate for a label, and whether it is drawn whatever the room (where its node is in view). */
type Wanted = { candidate: LabelCandidate; always: boolean };

/** How a drawn CI ranks for a label: the selection, the changed CIs, the path, the services, then what is down; in each, the more critical first. */
function priorityOf(n: cytoscape.NodeSingular): number {
  const state = String(n.data('state') ?? '');
  if (n.selected()) return 5;
  if (state === 'changed' || state === 'asked') return 4;
  if (n.hasClass('hl')) return 3;
  const critical = rankOf(n) / 10;
  if (n.data('service')) return 2 + critical;
  return (state === 'down' ? 1 : 0) + critical;
}

/** A drawn CI as a label candidate (priorityOf): those up to the path, and the critical services, named always. */
function ciLabelWanted(n: cytoscape.NodeSingular): Wanted {
  const priority = priorityOf(n);
  return { candidate: nodeCandidate(n, priority), always: priority >= 3 || (!!n.data('service') && rankOf(n) >= CRITICAL_RANK) };
}

/** A group's label (its name over its counts) is cut at GROUP_LABEL_MAX_PX on screen: placeLabels' width before its scale. */
const GROUP_MAX = GROUP_LABEL_MAX_PX / SCALE;

/**
 * A group of the rolled-up graph as a label candidate, the changed groups'
 * first, then the services' by criticality, then the largest: a changed
 * group's label and a critical service's drawn always, the others' where they
 * have room (on a small canvas, piled on one another, none read; a group's
 * name and counts are on hover, and in its list when opened).
 */
function groupLabelWanted(n: cytoscape.NodeSingular): Wanted {
  const changed = n.data('worst') === 'changed';
  return {
    candidate: { ...nodeCandidate(n, changed ? 4 : 3 + rankOf(n) / 10), degree: Number(n.data('size') ?? 0), maxPx: GROUP_MAX },
    always: changed || rankOf(n) >= CRITICAL_RANK,
  };
}

/**
 * Chooses the names (and, zoomed in or on the path, the relationships) drawn
 * now: each where it overlaps no other label, no CI and none of `obstacles`
 * (the overlays, in canvas pixels), and lies on the canvas. Near-linear in
 * the drawn elements (placeLabels' grid); run once a view settles. On the
 * rolled-up graph its edges' counts are placed where they have room too.
 */
export function placeImpactLabels(cy: cytoscape.Core, obstacles: Box[]): void {
  // Those named always (ciLabelWanted, groupLabelWanted) and in view are named whatever the room: on a side clear of the other
  // names, over a CI if need be.
  const inView = (p: cytoscape.Position) => p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
  const groups = cy.nodes('[kind = "group"]').nonempty();
  const candidates = cy.nodes().map((n) => {
    const { candidate, always } = groups ? groupLabelWanted(n) : ciLabelWanted(n);
    return always && inView(n.renderedPosition()) ? { ...candidate, always: true } : candidate;
  });
  const wanted = groups || cy.zoom() >= EDGE_LABEL_ZOOM ? cy.edges() : cy.edges('.hl');
  wanted.forEach((e) => {
    const c = edgeCandidate(e, EDGE_LABEL_PX, e.hasClass('hl') ? 3 : -1, 0);
    if (c) candidates.push(c);
  });
  showPlaced(cy, placeLabels(candidates, obstacles, SCALE, { x1: 0, y1: 0, x2: cy.width(), y2: cy.height() }));
}

/** The canvas and the room its overlays take from its top and bottom, in CSS pixels. */
export interface Room {
  width: number;
  height: number;
  top: number;
  bottom: number;
}

export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

/** Where the view shows `box` (model units) centred in `room`, at `zoom`, on one axis: pad each side of `size`. */
function panFor(lo: number, hi: number, zoom: number, start: number, size: number): number {
  return start + size / 2 - ((lo + hi) / 2) * zoom;
}

/**
 * The pan on one axis that shows a graph spanning `lo`..`hi` (model units) at `zoom` in the room from
 * `start`, `size` long: centred where it fits; else centred on the first of `anchors` (their spans on this
 * axis, in order of preference) that fits in the room, or the last, then moved so that no edge of the graph
 * comes inside the room (no empty canvas beside a graph bigger than it).
 */
export function clampedPan(lo: number, hi: number, anchors: Array<[number, number]>, zoom: number, start: number, size: number): number {
  if ((hi - lo) * zoom <= size || anchors.length === 0) return panFor(lo, hi, zoom, start, size);
  const [alo, ahi] = anchors.find(([a, b]) => (b - a) * zoom <= size) ?? anchors[anchors.length - 1]!;
  return Math.min(start - lo * zoom, Math.max(start + size - hi * zoom, panFor(alo, ahi, zoom, start, size)));
}

/**
 * The first view of a graph whose nodes span `all` (their centres, model
 * units), with space for the names around it and no closer than `maxZoom`:
 * the whole graph at the zoom that fits it, down to `overviewZoom`, every CI
 * in view and named where its name has room (placeImpactLabels: the changed
 * CIs, the path and the services first; the rest on hover or a zoom in);
 * else at `overviewZoom` on the first of `anchors` that fits in the view on
 * each axis (the two ends of the question, then the changed CIs alone: in a
 * graph laid out left to right the ends are as far apart as it is wide),
 * moved so the graph fills the view rather than leave empty canvas beside it.
 */
export function readableViewport(all: Box, anchors: Box[], room: Room, overviewZoom: number, maxZoom: number): Viewport {
  // On screen: half a name either side (an eighth of a narrow canvas: the names at the ends go beside their CIs or wait for a hover), half a node above, half a node and a name below.
  const padX = Math.min(IMPACT_LABEL_MAX_PX / 2 + 8, room.width / 8);
  const padTop = NODE_PX / 2 + 4;
  const padBottom = NODE_PX / 2 + LINE_PX + 8;
  const w = Math.max(1, room.width - 2 * padX);
  const h = Math.max(1, room.height - room.top - room.bottom - padTop - padBottom);
  const fit = Math.min(maxZoom, w / Math.max(1, all.x2 - all.x1), h / Math.max(1, all.y2 - all.y1));
  const zoom = Math.max(fit, Math.min(overviewZoom, maxZoom));
  const y0 = room.top + padTop;
  return {
    zoom,
    pan: {
      x: clampedPan(all.x1, all.x2, zoom === fit ? [] : anchors.map((a) => [a.x1, a.x2]), zoom, padX, w),
      y: clampedPan(all.y1, all.y2, zoom === fit ? [] : anchors.map((a) => [a.y1, a.y2]), zoom, y0, h),
    },
  };
}

/** The box around the centres of `nodes` (model units); null when there are none. */
export function centres(nodes: cytoscape.NodeCollection): Box | null {
  if (nodes.empty()) return null;
  const b = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  nodes.forEach((n) => {
    const p = n.position();
    b.x1 = Math.min(b.x1, p.x);
    b.x2 = Math.max(b.x2, p.x);
    b.y1 = Math.min(b.y1, p.y);
    b.y2 = Math.max(b.y2, p.y);
  });
  return b;
}

/** How much closer each step of readableGroupZoom looks. */
const GROUP_ZOOM_STEP = 1.1;

/**
 * The least zoom from `from` (the zoom that fits the whole rolled-up graph)
 * up to `to` at which every group's label has a side of its own, overlapping
 * no other label and no group (placeLabels, as the labels are then drawn):
 * labels read IMPACT_LABEL_PX on screen at any zoom, so a graph drawn smaller
 * brings them closer, never smaller. `from` when none is.
 */
export function readableGroupZoom(cy: cytoscape.Core, from: number, to: number): number {
  const nodes = cy.nodes('[kind = "group"]');
  for (let z = from; z < to; z *= GROUP_ZOOM_STEP) {
    const candidates = nodes.map((n) => {
      const p = n.position();
      const c = groupLabelWanted(n).candidate;
      // Where the group would be on screen at zoom z (the pan moves all alike), its label placed only where it is free.
      return { ...c, x: p.x * z, y: p.y * z, half: (n.height() / 2) * z, halfW: (n.width() / 2) * z };
    });
    if (placeLabels(candidates, [], SCALE).size === nodes.length) return z;
  }
  // None gives each its side: the whole graph, its labels placed as they can be (placeLabels draws them all), not a corner of it at `to`.
  return from;
}
