/**
 * Which node labels the graph draws at the current zoom: labels are drawn at
 * one readable size on screen whatever the zoom, so only those that fit
 * without overlapping another are shown, the most important first (the
 * selection, the centre, groups, what is highlighted, then hubs by degree);
 * edge labels, drawn along their edge, are placed by the same rule. Pure, so
 * it is unit-tested.
 */

/** The on-screen size labels are drawn at, in CSS pixels. */
export const LABEL_PX = 12;
/** The widest a node label is drawn on screen before it is cut with an ellipsis. */
export const LABEL_MAX_PX = 150;
/**
 * The widest a group node's label is drawn: its value is cut in the model
 * (model.ts, groupLabel) so that "value… (count)" fits here in bold, and
 * Cytoscape's own ellipsis never reaches the count.
 */
export const GROUP_LABEL_MAX_PX = 270;

/** A label's estimated width in CSS pixels at `fontPx`: the one estimate placement and truncation share. */
export function textWidth(label: string, fontPx: number): number {
  return Array.from(label).length * fontPx * 0.62;
}

/** The widest a node's label is drawn: a group's is wider, so the count after a cut value always shows. */
export function labelMaxPx(isGroup: boolean): number {
  return isGroup ? GROUP_LABEL_MAX_PX : LABEL_MAX_PX;
}

/**
 * A label cut with an ellipsis to fit `maxPx` at `fontPx`, as the canvas draws it (its labels are
 * cut at the same widths, LABEL_MAX_PX and GROUP_LABEL_MAX_PX); the whole label when it fits.
 */
export function fitLabel(label: string, maxPx: number, fontPx = LABEL_PX): string {
  if (textWidth(label, fontPx) + 4 <= maxPx) return label;
  const chars = Array.from(label);
  const room = Math.max(0, Math.floor((maxPx - 4) / (fontPx * 0.62)) - 1);
  // A short last word with a digit tells CIs of one name apart ("Internal load balancer 01" and "… 02"): it is kept after the cut.
  const tail = /\s(\S{1,6})$/.exec(label)?.[1];
  if (tail !== undefined && /\d/.test(tail) && room > tail.length + 6) {
    return `${chars
      .slice(0, room - tail.length - 2)
      .join('')
      .trimEnd()}… ${tail}`;
  }
  return `${chars.slice(0, room).join('').trimEnd()}…`;
}

/**
 * A name on one line: its line breaks (and the spaces around them) become one
 * space. A multi-line name (pasted from a spreadsheet cell) would otherwise be
 * drawn as several lines, cut by the label's one-line box.
 */
export function oneLine(text: string): string {
  return /[\r\n\u0085\u2028\u2029]/.test(text) ? text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim() : text;
}

export interface LabelCandidate {
  id: string;
  /** On-screen position of the node's centre. */
  x: number;
  y: number;
  /** On-screen half height of the node (the label sits below or above it). */
  half: number;
  /** On-screen half width (a label beside it); `half` when absent. */
  halfW?: number;
  label: string;
  /** Higher first; ties by degree. */
  priority: number;
  degree: number;
  /** The label's on-screen box when it is not under the node (an edge's, at its midpoint). */
  box?: Box;
  /** The widest the label is drawn, in CSS pixels at scale 1 (LABEL_MAX_PX when absent). */
  maxPx?: number;
  /** The label's rectangle when it is drawn turned (an edge's, along the edge): `box` is then its bounding box. */
  turned?: Turned;
  /**
   * Named first whatever the CIs around it (a group node's: it stands for many CIs): placed on the first
   * free side, else on the first side on the canvas clear of the other labels and the overlays (over a
   * node if need be), else of the other labels only (under an overlay); with none, left out (placed, it
   * would cover another label or leave the canvas).
   */
  always?: boolean;
  /** Drawn by its stylesheet even when left out (the Graph screen's groups): the labels placed after it then keep clear of it below its node. */
  drawnAnyway?: boolean;
}

/** A label's rectangle turned about its centre by `angle` (radians), as Cytoscape draws an edge's with text-rotation autorotate. */
export interface Turned {
  cx: number;
  cy: number;
  /** Half its width and height, before turning. */
  hw: number;
  hh: number;
  angle: number;
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Where a node's label goes: below it first, else above, right or left of it. */
export type LabelSide = 'below' | 'above' | 'right' | 'left';
const SIDES: LabelSide[] = ['below', 'above', 'right', 'left'];

/**
 * The on-screen box of a node's label on `side` of it: a line per line of the label (a group's counts under its name), at most
 * its `maxPx` wide (LABEL_MAX_PX). A label of several lines is drawn wrapped (Cytoscape's text-wrap: wrap, which its line
 * breaks need), so a line of it wider than that takes as many lines as it needs (a group's counts: "2 changed · 95,481 down ·
 * 31,466 degraded"); a one-line label is cut to its width.
 */
export function labelBox(c: LabelCandidate, side: LabelSide = 'below', scale = 1): Box {
  const widths = c.label.split('\n').map((l) => textWidth(l, LABEL_PX * scale) + 4);
  const max = (c.maxPx ?? LABEL_MAX_PX) * scale;
  const w = Math.min(max, Math.max(...widths));
  const lines = widths.length === 1 ? 1 : widths.reduce((n, x) => n + Math.max(1, Math.ceil(x / max)), 0);
  const h = LABEL_PX * scale * 1.3 * lines;
  const gap = c.half + 3;
  const gapX = (c.halfW ?? c.half) + 3;
  switch (side) {
    case 'below':
      return { x1: c.x - w / 2, y1: c.y + gap, x2: c.x + w / 2, y2: c.y + gap + h };
    case 'above':
      return { x1: c.x - w / 2, y1: c.y - gap - h, x2: c.x + w / 2, y2: c.y - gap };
    case 'right':
      return { x1: c.x + gapX, y1: c.y - h / 2, x2: c.x + gapX + w, y2: c.y + h / 2 };
    case 'left':
      return { x1: c.x - gapX - w, y1: c.y - h / 2, x2: c.x - gapX, y2: c.y + h / 2 };
  }
}

const boxesOverlap = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** A box as a rectangle turned by nothing. */
const unturned = (b: Box): Turned => ({
  cx: (b.x1 + b.x2) / 2,
  cy: (b.y1 + b.y2) / 2,
  hw: (b.x2 - b.x1) / 2,
  hh: (b.y2 - b.y1) / 2,
  angle: 0,
});

/** Whether two turned rectangles overlap: separated along none of their four axes (the separating axis test). */
export function turnedOverlap(a: Turned, b: Turned): boolean {
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  for (const r of [a, b]) {
    for (const t of [r.angle, r.angle + Math.PI / 2]) {
      const ux = Math.cos(t);
      const uy = Math.sin(t);
      // Each rectangle's half extent along the axis: its half width and half height projected on it.
      const ext = (q: Turned) => q.hw * Math.abs(Math.cos(q.angle - t)) + q.hh * Math.abs(Math.sin(q.angle - t));
      if (Math.abs(dx * ux + dy * uy) >= ext(a) + ext(b)) return false;
    }
  }
  return true;
}

/** A placed label or obstacle: its bounding box, and its turned rectangle when it is drawn turned. */
interface Placed {
  box: Box;
  turned?: Turned;
  /** A label or an overlay (not a node's body): what even a label drawn always keeps clear of. */
  firm?: boolean;
  /** An overlay's (the note, the legend): a label named first goes under one rather than be left out. */
  panel?: boolean;
}

const overlaps = (a: Placed, b: Placed) =>
  boxesOverlap(a.box, b.box) && (!a.turned && !b.turned ? true : turnedOverlap(a.turned ?? unturned(a.box), b.turned ?? unturned(b.box)));

/** The bounding box of a turned rectangle. */
function boundsOf(t: Turned): Box {
  const c = Math.abs(Math.cos(t.angle));
  const s = Math.abs(Math.sin(t.angle));
  const w = t.hw * c + t.hh * s;
  const h = t.hw * s + t.hh * c;
  return { x1: t.cx - w, y1: t.cy - h, x2: t.cx + w, y2: t.cy + h };
}

/**
 * The on-screen room of an edge's label: centred on the edge's midpoint, as wide as the text, turned by
 * `angle` (radians) when it is drawn along the edge (text-rotation autorotate): `box` bounds it, `turned`
 * is the rectangle itself, so labels on edges side by side are told apart from labels drawn over each other.
 */
export function edgeLabelBox(mid: { x: number; y: number }, label: string, fontPx: number, angle = 0): { box: Box; turned: Turned } {
  const turned = { cx: mid.x, cy: mid.y, hw: (textWidth(label, fontPx) + 4) / 2, hh: (fontPx * 1.4) / 2, angle };
  return { box: boundsOf(turned), turned };
}

/**
 * The angle Cytoscape turns a label drawn along a straight edge from `a` to `b` (text-rotation
 * autorotate): the edge's, kept upright (between -90° and 90°).
 */
export function edgeLabelAngle(a: { x: number; y: number }, b: { x: number; y: number }): number {
  const t = Math.atan2(b.y - a.y, b.x - a.x);
  return t > Math.PI / 2 ? t - Math.PI : t < -Math.PI / 2 ? t + Math.PI : t;
}

/**
 * The labels that fit, each with the side of its node it goes on:
 * candidates in order of priority (then degree), each on the first side
 * (below, above, right, left) where its box overlaps no kept label, no
 * other node and none of the `obstacles` (overlays, in the same coordinates),
 * and, given the canvas as `view`, lies on it (a label cut by the canvas's
 * edge reads as another name). A label drawn turned (an edge's) is tested
 * with its turned rectangle. A candidate marked `always` (a group) is kept
 * even without a free side, on the first side on the canvas.
 * `scale`: labels are drawn that much larger than LABEL_PX. A grid of cells keeps it near-linear for thousands of nodes.
 */
export function placeLabels(candidates: LabelCandidate[], obstacles: Box[] = [], scale = 1, view?: Box): Map<string, LabelSide> {
  const order = [...candidates].sort((a, b) => b.priority - a.priority || b.degree - a.degree || a.id.localeCompare(b.id));
  const cell = GROUP_LABEL_MAX_PX;
  const grid = new Map<string, Placed[]>();
  const cellsOf = (b: Box) => {
    const out: string[] = [];
    for (let gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++)
      for (let gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) out.push(`${gx},${gy}`);
    return out;
  };
  const add = (p: Placed) => {
    for (const k of cellsOf(p.box)) (grid.get(k) ?? grid.set(k, []).get(k)!).push(p);
  };
  const onView = (b: Box) => !view || (b.x1 >= view.x1 && b.x2 <= view.x2 && b.y1 >= view.y1 && b.y2 <= view.y2);
  const free = (p: Placed, firmOnly = false, underPanels = false) =>
    onView(p.box) &&
    !cellsOf(p.box).some((k) => grid.get(k)?.some((o) => (!firmOnly || o.firm) && !(underPanels && o.panel) && overlaps(o, p)));
  // What lies over the canvas (notices, legend) and the node bodies are obstacles: a label must not hide under one or cover a CI.
  for (const o of obstacles) add({ box: o, firm: true, panel: true });
  for (const c of candidates)
    if (!c.box) add({ box: { x1: c.x - (c.halfW ?? c.half), y1: c.y - c.half, x2: c.x + (c.halfW ?? c.half), y2: c.y + c.half } });
  const kept = new Map<string, LabelSide>();
  for (const c of order) {
    const sides = c.box ? [null] : SIDES;
    for (const side of sides) {
      const p: Placed = c.box
        ? { box: c.box, firm: true, ...(c.turned ? { turned: c.turned } : {}) }
        : { box: labelBox(c, side!, scale), firm: true };
      if (!free(p)) continue;
      add(p);
      kept.set(c.id, side ?? 'below');
      break;
    }
    // A label named first: on the first side clear of the other labels and the overlays (over a node if need be), on the canvas,
    // else clear of the other labels under an overlay (where its node may be too); else left out, as any other label without
    // room: drawn over another, or off the canvas, it read as neither (a CAB chair found 15 critical services' names piled on
    // one another). In the way of the labels placed after it.
    if (c.always && !kept.has(c.id)) {
      const at = (s: LabelSide): Placed =>
        c.box ? { box: c.box, ...(c.turned ? { turned: c.turned } : {}) } : { box: labelBox(c, s, scale) };
      const side = SIDES.find((s) => free(at(s), true)) ?? SIDES.find((s) => free(at(s), true, true));
      if (side || c.drawnAnyway) add({ ...at(side ?? 'below'), firm: true });
      if (side) kept.set(c.id, c.box ? 'below' : side);
    }
  }
  return kept;
}
