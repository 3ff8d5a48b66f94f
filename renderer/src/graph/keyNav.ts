/** Moving the graph's selection with the arrow keys: the neighbour that lies most nearly in the arrow's direction on screen. Pure. */

export type Arrow = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

const DIRS: Record<Arrow, { x: number; y: number }> = {
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
};

export function isArrow(key: string): key is Arrow {
  return key in DIRS;
}

export interface Placed {
  id: string;
  x: number;
  y: number;
}

/**
 * The candidate within 80° of the arrow's direction from `from`, scored by
 * distance with a penalty for how far off the direction it lies; null when
 * none lies that way.
 */
export function pickInDirection(from: { x: number; y: number }, candidates: Placed[], arrow: Arrow): string | null {
  const d = DIRS[arrow];
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const dx = c.x - from.x;
    const dy = c.y - from.y;
    const dist = Math.hypot(dx, dy);
    if (dist < 0.5) continue;
    const cos = (dx * d.x + dy * d.y) / dist;
    if (cos < Math.cos((80 * Math.PI) / 180)) continue;
    const angle = Math.acos(Math.min(1, cos));
    const score = dist * (1 + 2 * angle);
    if (score < bestScore || (score === bestScore && best !== null && c.id < best)) {
      best = c.id;
      bestScore = score;
    }
  }
  return best;
}
