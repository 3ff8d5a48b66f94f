/**
 * Which node labels the graph draws at the current zoom: labels are drawn at
 * one readable size on screen whatever the zoom, so only those that fit
 * without overlapping another are shown, the most important first (the
 * selection, the centre, what is highlighted, then hubs by degree). Pure, so
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

/** The on-screen box of a node's label on `side` of it: one line, cut at its `maxPx` (LABEL_MAX_PX). */
export function labelBox(c: LabelCandidate, side: LabelSide = 'below', scale = 1): Box {
  const w = Math.min((c.maxPx ?? LABEL_MAX_PX) * scale, textWidth(c.label, LABEL_PX * scale) + 4);
  const h = LABEL_PX * scale * 1.3;
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

const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** The on-screen box of an edge's label: centred on the edge's midpoint, as wide as the text (an upper bound for a rotated one). */
export function edgeLabelBox(mid: { x: number; y: number }, label: string, fontPx: number): Box {
  const w = textWidth(label, fontPx) + 4;
  const h = fontPx * 1.4;
  return { x1: mid.x - w / 2, y1: mid.y - h / 2, x2: mid.x + w / 2, y2: mid.y + h / 2 };
}

/**
 * The labels that fit, each with the side of its node it goes on:
 * candidates in order of priority (then degree), each on the first side
 * (below, above, right, left) where its box overlaps no kept label, no
 * other node and none of the `obstacles` (overlays, in the same coordinates),
 * and, given the canvas as `view`, lies on it (a label cut by the canvas's
 * edge reads as another name).
 * `scale`: labels are drawn that much larger than LABEL_PX. A grid of cells keeps it near-linear for thousands of nodes.
 */
export function placeLabels(candidates: LabelCandidate[], obstacles: Box[] = [], scale = 1, view?: Box): Map<string, LabelSide> {
  const order = [...candidates].sort((a, b) => b.priority - a.priority || b.degree - a.degree || a.id.localeCompare(b.id));
  const cell = GROUP_LABEL_MAX_PX;
  const grid = new Map<string, Box[]>();
  const cellsOf = (b: Box) => {
    const out: string[] = [];
    for (let gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++)
      for (let gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) out.push(`${gx},${gy}`);
    return out;
  };
  const add = (b: Box) => {
    for (const k of cellsOf(b)) (grid.get(k) ?? grid.set(k, []).get(k)!).push(b);
  };
  const onView = (b: Box) => !view || (b.x1 >= view.x1 && b.x2 <= view.x2 && b.y1 >= view.y1 && b.y2 <= view.y2);
  const free = (b: Box) => onView(b) && !cellsOf(b).some((k) => grid.get(k)?.some((o) => overlaps(o, b)));
  // What lies over the canvas (notices, legend) and the node bodies are obstacles: a label must not hide under one or cover a CI.
  for (const o of obstacles) add(o);
  for (const c of candidates)
    if (!c.box) add({ x1: c.x - (c.halfW ?? c.half), y1: c.y - c.half, x2: c.x + (c.halfW ?? c.half), y2: c.y + c.half });
  const kept = new Map<string, LabelSide>();
  for (const c of order) {
    const sides = c.box ? [null] : SIDES;
    for (const side of sides) {
      const b = c.box ?? labelBox(c, side!, scale);
      if (!free(b)) continue;
      add(b);
      kept.set(c.id, side ?? 'below');
      break;
    }
  }
  return kept;
}
