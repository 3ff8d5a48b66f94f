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

export interface LabelCandidate {
  id: string;
  /** On-screen position of the node's centre. */
  x: number;
  y: number;
  /** On-screen half height of the node (the label sits below it). */
  half: number;
  label: string;
  /** Higher first; ties by degree. */
  priority: number;
  degree: number;
  /** The label's on-screen box when it is not under the node (an edge's, at its midpoint). */
  box?: Box;
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The on-screen box of a node's label: centred under the node, one line, cut at LABEL_MAX_PX. */
export function labelBox(c: LabelCandidate): Box {
  const w = Math.min(LABEL_MAX_PX, c.label.length * LABEL_PX * 0.62 + 4);
  const top = c.y + c.half + 3;
  return { x1: c.x - w / 2, y1: top, x2: c.x + w / 2, y2: top + LABEL_PX * 1.3 };
}

const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** The on-screen box of an edge's label: centred on the edge's midpoint, as wide as the text (an upper bound for a rotated one). */
export function edgeLabelBox(mid: { x: number; y: number }, label: string, fontPx: number): Box {
  const w = label.length * fontPx * 0.62 + 4;
  const h = fontPx * 1.4;
  return { x1: mid.x - w / 2, y1: mid.y - h / 2, x2: mid.x + w / 2, y2: mid.y + h / 2 };
}

/**
 * The ids whose labels fit: candidates in order of priority (then degree),
 * each kept when its label box overlaps no kept label. A grid of cells keeps
 * it near-linear for thousands of nodes.
 */
export function placeLabels(candidates: LabelCandidate[], limit = Infinity): Set<string> {
  const order = [...candidates].sort((a, b) => b.priority - a.priority || b.degree - a.degree || a.id.localeCompare(b.id));
  const cell = LABEL_MAX_PX;
  const grid = new Map<string, Box[]>();
  const kept = new Set<string>();
  for (const c of order) {
    if (kept.size >= limit) break;
    const b = c.box ?? labelBox(c);
    const cells: string[] = [];
    for (let gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++)
      for (let gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) cells.push(`${gx},${gy}`);
    if (cells.some((k) => grid.get(k)?.some((o) => overlaps(o, b)))) continue;
    for (const k of cells) (grid.get(k) ?? grid.set(k, []).get(k)!).push(b);
    kept.add(c.id);
  }
  return kept;
}
