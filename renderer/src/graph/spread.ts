/**
 * After fcose's fast spectral "draft" (what large force layouts use: its
 * refinement takes tens of seconds at thousands of nodes), CIs with the same
 * neighbours land on the same spot and the whole drawing is tiny. This pass
 * scales the drawing so a typical edge has a readable length, then fans every
 * pile of nodes out on a sunflower spiral around its spot. Linear time.
 */
import type { Pos } from './fastLayered.js';

export function spreadPositions(
  pos: Record<string, Pos>,
  edges: ReadonlyArray<readonly [string, string]>,
  edgeLength = 90,
  minDist = 36,
): Record<string, Pos> {
  const ids = Object.keys(pos);
  if (ids.length === 0) return pos;
  // Scale: the median edge length becomes `edgeLength`.
  const lengths: number[] = [];
  for (const [s, t] of edges) {
    const a = pos[s];
    const b = pos[t];
    if (!a || !b) continue;
    const d = Math.hypot(a.x - b.x, a.y - b.y);
    if (d > 0) lengths.push(d);
  }
  lengths.sort((x, y) => x - y);
  const median = lengths.length ? lengths[Math.floor(lengths.length / 2)]! : 0;
  const k = median > 0 ? edgeLength / median : 1;
  const out: Record<string, Pos> = {};
  for (const id of ids) out[id] = { x: pos[id]!.x * k, y: pos[id]!.y * k };
  // Piles: nodes within one cell of `minDist` are spread on a spiral around the cell's first node.
  const cells = new Map<string, string[]>();
  for (const id of ids) {
    const p = out[id]!;
    const key = `${Math.round(p.x / minDist)},${Math.round(p.y / minDist)}`;
    (cells.get(key) ?? cells.set(key, []).get(key)!).push(id);
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (const pile of cells.values()) {
    if (pile.length < 2) continue;
    const c = out[pile[0]!]!;
    const cx = c.x;
    const cy = c.y;
    pile.forEach((id, i) => {
      if (i === 0) return;
      const r = minDist * 0.75 * Math.sqrt(i);
      out[id] = { x: cx + r * Math.cos(i * golden), y: cy + r * Math.sin(i * golden) };
    });
  }
  return out;
}
