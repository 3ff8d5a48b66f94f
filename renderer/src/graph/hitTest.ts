/**
 * A corrected click test for Cytoscape's polygon node shapes.
 *
 * Cytoscape 3.35's canvas renderer decides whether a point is inside a
 * polygon shape (`pointInsidePolygonPoints`) by counting the sides a vertical
 * line through the point meets below it, and it counts a side whenever the
 * line passes through either of its ends. A vertex straight below the point
 * is therefore counted twice, once per side meeting there, and the point
 * reads as outside. Every point in the column of a diamond's, a vee's or a
 * star's bottom tip, their centre included, misses the node: a click there
 * selects nothing, or an edge close by (a vee's edges meet it in its notch,
 * just above the centre). The WebGL renderer picks from an offscreen drawing
 * of the elements instead, and is right.
 *
 * `fixPolygonHitTest` gives an instance's polygon shapes a point test that
 * counts each vertex once (the even-odd rule with half-open sides); the
 * shapes are drawn as before.
 */
import type { Core } from 'cytoscape';

/**
 * Whether (x, y) is inside the polygon `pts` (x0, y0, x1, y1, ...): a
 * horizontal ray from the point crosses its sides an odd number of times,
 * a side holding its lower end and not its upper one, so a vertex on the ray
 * counts once when the polygon crosses it and not at all when it only
 * touches it.
 */
export function insidePolygon(x: number, y: number, pts: ArrayLike<number>): boolean {
  const n = pts.length / 2;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = pts[i * 2]!;
    const yi = pts[i * 2 + 1]!;
    const xj = pts[j * 2]!;
    const yj = pts[j * 2 + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Cytoscape's polygon shapes (its `generatePolygon`): their points span -1..1 and are scaled to the node's box. */
const POLYGON_SHAPES = [
  'triangle',
  'rectangle',
  'diamond',
  'pentagon',
  'hexagon',
  'heptagon',
  'octagon',
  'star',
  'vee',
  'rhomboid',
  'right-rhomboid',
  'concave-hexagon',
  'tag',
] as const;

type CheckPoint = (
  x: number,
  y: number,
  padding: number,
  width: number,
  height: number,
  cx: number,
  cy: number,
  ...rest: unknown[]
) => boolean;

interface NodeShape {
  points?: number[];
  checkPoint: CheckPoint;
  fixedHitTest?: true;
}

/** The canvas renderer's node shapes, when the instance has a renderer (a headless one has none). */
function nodeShapes(cy: Core): Record<string, NodeShape | undefined> | null {
  const r = (cy as unknown as { renderer?(): { nodeShapes?: Record<string, NodeShape | undefined> } | null }).renderer?.();
  return r?.nodeShapes ?? null;
}

/**
 * Replaces the point test of `cy`'s polygon node shapes with `insidePolygon`
 * (see the module's comment); a padded test (which Cytoscape does not ask
 * of a node's body) keeps Cytoscape's own. Does nothing to a headless
 * instance, and nothing twice.
 */
export function fixPolygonHitTest(cy: Core): void {
  const shapes = nodeShapes(cy);
  if (!shapes) return;
  for (const name of POLYGON_SHAPES) {
    const shape = shapes[name];
    if (!shape || shape.fixedHitTest || !Array.isArray(shape.points)) continue;
    const base = shape.checkPoint;
    const unit = shape.points;
    const box = new Array<number>(unit.length);
    shape.checkPoint = function (x, y, padding, width, height, cx, cy, ...rest) {
      if (padding > 0) return base.call(this, x, y, padding, width, height, cx, cy, ...rest);
      for (let i = 0; i < unit.length; i += 2) {
        box[i] = cx + (width / 2) * unit[i]!;
        box[i + 1] = cy + (height / 2) * unit[i + 1]!;
      }
      return insidePolygon(x, y, box);
    };
    shape.fixedHitTest = true;
  }
}
