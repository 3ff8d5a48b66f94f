import { describe, expect, it } from 'vitest';
import {
  CRITICAL_RANK,
  IMPACT_LABEL_MAX_PX,
  IMPACT_LABEL_PX,
  MIN_READABLE_ZOOM,
  OVERVIEW_ZOOM,
  readableViewport,
  type Viewport,
} from '../../renderer/src/impact/graphReading.js';
import { fitLabel, type Box } from '../../renderer/src/graph/labels.js';
import { criticalityRank } from '../../shared/vocab.js';

describe('the critical rank the graph names always', () => {
  it("is the vocabulary's rank of critical, and of the words that mean it", () => {
    expect(CRITICAL_RANK).toBe(criticalityRank('critical'));
    expect(criticalityRank('1 - most critical')).toBe(CRITICAL_RANK);
    expect(criticalityRank('high')).toBeLessThan(CRITICAL_RANK);
  });
});

/** A canvas of 600 x 600 px with no overlays. */
const ROOM = { width: 600, height: 600, top: 0, bottom: 0 };

/** Where a point of the model (centre of a CI) is drawn on the canvas. */
const onScreen = (v: Viewport, x: number, y: number) => ({ x: x * v.zoom + v.pan.x, y: y * v.zoom + v.pan.y });

const inRoom = (p: { x: number; y: number }) => p.x >= 0 && p.x <= ROOM.width && p.y >= 0 && p.y <= ROOM.height;

/** The graph of `cols` columns of `rows` rows, as the layout spaces them (model units): services at x = 0, changed CIs on the right. */
const graph = (cols: number, rows: number): Box => ({ x1: 0, y1: 0, x2: (cols - 1) * 300, y2: (rows - 1) * 66 });

describe('the impact graph first view', () => {
  it('fits a small graph whole, no closer than the most zoom', () => {
    const v = readableViewport(graph(2, 2), [{ x1: 0, y1: 0, x2: 0, y2: 66 }], ROOM, OVERVIEW_ZOOM, 1.3);
    expect(v.zoom).toBe(1.3);
    expect(inRoom(onScreen(v, 0, 0)) && inRoom(onScreen(v, 300, 66))).toBe(true);
  });

  it('draws a graph too big for every name smaller, whole, rather than open on a part of it (found by a tester)', () => {
    // Four columns fit at about 0.45: below the zoom at which every name has room, above the overview's least zoom.
    const all = graph(4, 8);
    const services = { x1: 0, y1: 0, x2: 0, y2: 7 * 66 };
    const v = readableViewport(all, [services], ROOM, OVERVIEW_ZOOM, 1.3);
    expect(v.zoom).toBeLessThan(MIN_READABLE_ZOOM);
    expect(v.zoom).toBeGreaterThanOrEqual(OVERVIEW_ZOOM);
    const corners: [number, number][] = [
      [all.x1, all.y1],
      [all.x2, all.y2],
      [all.x1, all.y2],
      [all.x2, all.y1],
    ];
    for (const [x, y] of corners) expect(inRoom(onScreen(v, x, y)), `the corner ${x},${y} in view`).toBe(true);
  });

  it('opens a graph too big even at the overview on its anchor (the ends of the question), the graph filling the view', () => {
    const all = graph(12, 40);
    // The anchor: the business services' column and a changed CI beside it, at the graph's left end.
    const anchor = { x1: 0, y1: 0, x2: 300, y2: 39 * 66 };
    const v = readableViewport(all, [anchor], ROOM, OVERVIEW_ZOOM, 1.3);
    expect(v.zoom).toBe(OVERVIEW_ZOOM);
    // The anchor's middle is in view, an eighth of the canvas in from its edge (room for the names beside it); the far end is a pan away.
    const service = onScreen(v, 0, 20 * 66);
    expect(inRoom(service)).toBe(true);
    expect(service.x).toBeGreaterThanOrEqual(ROOM.width / 8);
    expect(inRoom(onScreen(v, all.x2, 0))).toBe(false);
    // No empty canvas left of the graph: the anchor is at the left of the view, not centred in it.
    expect(service.x).toBeLessThan(ROOM.width / 4);
  });

  it('where the two ends are as far apart as the graph is wide, opens on the changed CIs, not on the middle of it (found by a reviewer)', () => {
    const all = graph(40, 10);
    const ends = { x1: all.x1, y1: 0, x2: all.x2, y2: 9 * 66 };
    const changed = { x1: all.x2, y1: 4 * 66, x2: all.x2, y2: 4 * 66 };
    const v = readableViewport(all, [ends, changed], ROOM, OVERVIEW_ZOOM, 1.3);
    expect(v.zoom).toBe(OVERVIEW_ZOOM);
    expect(inRoom(onScreen(v, changed.x1, changed.y1)), 'the changed CI in view').toBe(true);
    // At the right end, no empty canvas beside it.
    expect(onScreen(v, all.x2, 0).x).toBeGreaterThan(ROOM.width * 0.75);
  });

  it('keeps a graph that fits at the overview clear of the overlays above and below it', () => {
    const room = { ...ROOM, top: 50, bottom: 80 };
    const all = graph(3, 12);
    const v = readableViewport(all, [], room, OVERVIEW_ZOOM, 1.3);
    expect(onScreen(v, 0, all.y1).y).toBeGreaterThanOrEqual(50);
    expect(onScreen(v, 0, all.y2).y).toBeLessThanOrEqual(600 - 80);
  });
});

describe('a name cut to fit', () => {
  it('keeps a short last word with a digit, so CIs of one name are told apart (found by a tester)', () => {
    const one = fitLabel('Internal load balancer production 01', IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX);
    const two = fitLabel('Internal load balancer production 02', IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX);
    expect(one).toMatch(/^Internal load .*… 01$/);
    expect(two).toMatch(/… 02$/);
    expect(one).not.toBe(two);
    // Without such a word, cut at the end as before; a name that fits, whole.
    expect(fitLabel('Internal load balancer for the production estate', IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX)).toMatch(
      /^Internal load[^…]*…$/,
    );
    expect(fitLabel('Web 01', IMPACT_LABEL_MAX_PX, IMPACT_LABEL_PX)).toBe('Web 01');
  });
});
