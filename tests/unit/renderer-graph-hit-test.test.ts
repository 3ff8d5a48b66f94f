import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { fixPolygonHitTest, insidePolygon } from '../../renderer/src/graph/hitTest.js';

/** Unit points of Cytoscape's diamond and vee (its renderer's registerNodeShapes). */
const DIAMOND = [0, 1, 1, 0, 0, -1, -1, 0];
const VEE = [-1, -1, 0, -0.333, 1, -1, 0, 1];

/** The unit points scaled to a w×h box centred on (cx, cy), as Cytoscape places them. */
const place = (unit: number[], cx: number, cy: number, w: number, h: number) =>
  unit.map((v, i) => (i % 2 === 0 ? cx + (w / 2) * v : cy + (h / 2) * v));

/** Cytoscape 3.35's rule (pointInsidePolygonPoints): sides met below the point by a vertical line, both ends included. */
function cytoscapeRule(x: number, y: number, pts: number[]): boolean {
  let up = 0;
  const n = pts.length / 2;
  for (let i = 0; i < n; i++) {
    const [x1, y1, x2, y2] = [pts[i * 2]!, pts[i * 2 + 1]!, pts[((i + 1) % n) * 2]!, pts[((i + 1) % n) * 2 + 1]!];
    if (x1 === x && x2 === x) continue;
    if ((x1 >= x && x >= x2) || (x1 <= x && x <= x2)) {
      if (((x - x1) / (x2 - x1)) * (y2 - y1) + y1 > y) up++;
    }
  }
  return up % 2 === 1;
}

describe('insidePolygon', () => {
  it('finds the centre of a diamond and a vee inside, where Cytoscape 3.35 counts their bottom tip twice', () => {
    for (const unit of [DIAMOND, VEE]) {
      const pts = place(unit, 100, 50, 28, 28);
      expect(cytoscapeRule(100, 50, pts)).toBe(false);
      expect(insidePolygon(100, 50, pts)).toBe(true);
      // Anywhere else in the tip's column, too.
      expect(insidePolygon(100, 60, pts)).toBe(true);
      expect(cytoscapeRule(100.5, 50, pts)).toBe(true);
      expect(insidePolygon(100.5, 50, pts)).toBe(true);
    }
  });

  it('agrees with Cytoscape off the vertices, and finds outside points outside', () => {
    const diamond = place(DIAMOND, 0, 0, 2, 2);
    const vee = place(VEE, 0, 0, 2, 2);
    for (const [x, y] of [
      [0.3, 0.1],
      [-0.45, -0.2],
      [0.9, 0.9],
      [-0.7, 0.5],
      [0.2, -0.9],
      [0.51, 0.51],
      [0.1, -0.5],
    ] as const) {
      expect(insidePolygon(x, y, diamond), `diamond ${x},${y}`).toBe(cytoscapeRule(x, y, diamond));
      expect(insidePolygon(x, y, vee), `vee ${x},${y}`).toBe(cytoscapeRule(x, y, vee));
    }
    expect(insidePolygon(0, 1.01, diamond)).toBe(false);
    expect(insidePolygon(0, -0.5, vee)).toBe(false); // in the vee's notch
  });
});

describe('fixPolygonHitTest', () => {
  /** A stand-in for an instance whose renderer has Cytoscape's diamond and ellipse. */
  function fake() {
    const ellipse = { checkPoint: () => false };
    const diamond = {
      points: DIAMOND,
      checkPoint: (x: number, y: number, _p: number, w: number, h: number, cx: number, cy: number) =>
        cytoscapeRule(x, y, place(DIAMOND, cx, cy, w, h)),
    };
    const shapes: Record<string, { checkPoint: (...a: number[]) => boolean }> = { diamond, ellipse };
    return { cy: { renderer: () => ({ nodeShapes: shapes }) } as unknown as Core, shapes, ellipse };
  }

  it("gives the renderer's polygon shapes the corrected test and leaves the others", () => {
    const { cy, shapes, ellipse } = fake();
    expect(shapes.diamond!.checkPoint(100, 50, 0, 28, 28, 100, 50)).toBe(false);
    fixPolygonHitTest(cy);
    expect(shapes.diamond!.checkPoint(100, 50, 0, 28, 28, 100, 50)).toBe(true);
    expect(shapes.diamond!.checkPoint(100, 65, 0, 28, 28, 100, 50)).toBe(false);
    expect(shapes.diamond!.checkPoint(113, 50, 0, 28, 28, 100, 50)).toBe(true);
    expect(shapes.ellipse).toBe(ellipse);
    // Once only: a second call wraps nothing again.
    const fixed = shapes.diamond!.checkPoint;
    fixPolygonHitTest(cy);
    expect(shapes.diamond!.checkPoint).toBe(fixed);
  });

  it('leaves a headless instance alone', () => {
    const cy = cytoscape({ headless: true });
    expect(() => fixPolygonHitTest(cy)).not.toThrow();
    cy.destroy();
  });
});
