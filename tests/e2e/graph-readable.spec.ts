/**
 * Issue 16, the graph made readable: the first view fitted with readable,
 * non-overlapping labels; edge labels when readable; the path along the
 * relationships' direction without squashing nodes; the neighbours of the
 * selection highlighted; the keyboard; the layout at 1024×700.
 */
import type { Page } from '@playwright/test';
import { expect, snap, test } from './fixtures.js';
import { clickNode, graph } from './graph-page.js';
import { overlappingBoxes, type PageGlobals } from './page-globals.js';

/** Every drawn node's centre inside the canvas, and the canvas left of the side panel. */
async function expectFitted(page: Page): Promise<void> {
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const side = (await page.getByRole('complementary', { name: 'Selection' }).boundingBox())!;
  expect(canvas.x + canvas.width).toBeLessThanOrEqual(side.x + 1);
  const points = await page.evaluate(() => {
    const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
    return g.nodeIds().map((id) => g.pagePosition(id)!);
  });
  const outside = points.filter((p) => p.x < canvas.x || p.x > canvas.x + canvas.width || p.y < canvas.y || p.y > canvas.y + canvas.height);
  expect(outside, 'nodes outside the canvas').toEqual([]);
}

/** Labels drawn: at least `min`, each at 11 px or more on screen, no two overlapping, the centre's among them. */
async function expectReadableLabels(page: Page, center: string, min: number): Promise<void> {
  const labels = await graph(page, (g) => g.labels());
  expect(labels.length).toBeGreaterThanOrEqual(min);
  expect(labels.map((l) => l.id)).toContain(center);
  for (const l of labels) expect(l.fontPx, `label of ${l.id}`).toBeGreaterThanOrEqual(11);
  expect(overlappingBoxes(labels), 'overlapping labels').toEqual([]);
  // None hides under the summary badge over the canvas, and none is cut by the canvas's edge.
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const cut = labels.filter((l) => l.x1 < -1 || l.y1 < -1 || l.x2 > canvas.width + 1 || l.y2 > canvas.height + 1);
  expect(
    cut.map((l) => `${l.id} ${Math.round(l.x1)}..${Math.round(l.x2)} × ${Math.round(l.y1)}..${Math.round(l.y2)}`),
    'labels cut by the canvas edge',
  ).toEqual([]);
  const s = (await page.getByTestId('graph-summary').boundingBox())!;
  const under = labels.filter(
    (l) => l.x1 + canvas.x < s.x + s.width && s.x < l.x2 + canvas.x && l.y1 + canvas.y < s.y + s.height && s.y < l.y2 + canvas.y,
  );
  expect(
    under.map((l) => l.id),
    'labels under the summary',
  ).toEqual([]);
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  test(`graph ${size.width}×${size.height}: the first view is fitted, labels readable and apart, edge labels when readable`, async ({
    page,
    app,
  }) => {
    await page.setViewportSize(size);
    await app.open('#/graph?ci=bs-checkout&depth=3');
    const g = await app.graphReady();
    expect(g.nodes).toBeGreaterThan(20);
    await expectFitted(page);
    // The labels are placed once for the drawing (fitted, the overlays settled and the fit's zoom event ask for the same placement).
    await page.waitForTimeout(400);
    const placements = await page.evaluate(() => {
      const start = performance.getEntriesByName('graph:fetch-start', 'mark').pop()!.startTime;
      return performance.getEntriesByName('graph:labels', 'measure').filter((m) => m.startTime >= start).length;
    });
    expect(placements).toBe(1);
    await expectReadableLabels(page, 'bs-checkout', 8);
    await snap(page, `graph-fitted-${size.width}`);
    // The toolbar wraps inside the window and the side panel fits beside the canvas.
    const toolbar = page.getByRole('toolbar', { name: 'Graph options' });
    expect(await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const side = (await page.getByRole('complementary', { name: 'Selection' }).boundingBox())!;
    expect(side.x + side.width).toBeLessThanOrEqual(size.width + 1);
    expect((await page.getByTestId('graph-canvas').boundingBox())!.width).toBeGreaterThan(size.width * 0.5);
    // Fitted, with nothing selected, edges are unlabelled (too small to read); zoomed in, those that fit show their label.
    expect(await graph(page, (x) => x.edgeLabels())).toBe(0);
    // Zoomed in on the centre's neighbourhood (labels are placed on the canvas only: off it they would be cut).
    await page.evaluate(() => {
      const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
      g.reveal('app-checkout-api');
      g.zoomTo(1.3);
    });
    await expect.poll(() => graph(page, (x) => x.edgeLabels())).toBeGreaterThan(5);
    await snap(page, `graph-zoomed-${size.width}`);
    await page.getByRole('button', { name: 'Fit graph to view' }).click();
    await expect.poll(() => graph(page, (x) => x.edgeLabels())).toBe(0);
    await expectReadableLabels(page, 'bs-checkout', 8);
  });
}

test('graph: selecting a node highlights its neighbours and their edges, dims the rest, labels them', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=2');
  await app.graphReady();
  await clickNode(page, 'app-checkout-api');
  const state = await graph(page, (g) => {
    const edges = g.edgeList();
    const near = new Set<string>();
    for (const e of edges) {
      if (e.source === 'app-checkout-api') near.add(e.target);
      if (e.target === 'app-checkout-api') near.add(e.source);
    }
    const ids = g.nodeIds();
    return {
      near: [...near].map((id) => ({ id, classes: g.element(id)!.classes })),
      far: ids.filter((id) => id !== 'app-checkout-api' && !near.has(id)).map((id) => ({ id, classes: g.element(id)!.classes })),
      edges: edges.filter((e) => e.source === 'app-checkout-api' || e.target === 'app-checkout-api').map((e) => g.element(e.id)!.classes),
      labelled: g.labels().map((l) => l.id),
      selected: g.selected(),
      edgeLabels: g.edgeLabels(),
    };
  });
  expect(state.selected).toBe('app-checkout-api');
  expect(state.near.length).toBeGreaterThan(2);
  for (const n of state.near) expect(n.classes, n.id).toContain('hl');
  expect(state.far.length).toBeGreaterThan(0);
  for (const n of state.far) expect(n.classes, n.id).toContain('dim');
  for (const e of state.edges) expect(e).toContain('hl');
  expect(state.labelled).toContain('app-checkout-api');
  expect(state.edgeLabels).toBeGreaterThanOrEqual(state.edges.length);
  await snap(page, 'graph-selected-neighbours');
});

test('graph: a pointer sweeping across nodes places the labels once a frame, for the node it stops on (found by a reviewer)', async ({
  page,
  app,
}) => {
  await app.open('#/graph?ci=bs-checkout&depth=3');
  await app.graphReady();
  // Nothing hovered: no edge is labelled in the fitted view.
  await expect.poll(() => graph(page, (g) => g.edgeLabels())).toBe(0);
  const swept = await page.evaluate(() => {
    const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
    const ids = g.nodeIds().slice(0, 12);
    performance.mark('sweep-start');
    // One task: the pointer crosses twelve nodes, as a quick sweep does between two frames.
    for (const id of ids) {
      const p = g.pagePosition(id)!;
      document.elementFromPoint(p.x, p.y)!.dispatchEvent(new MouseEvent('mousemove', { clientX: p.x, clientY: p.y, bubbles: true }));
    }
    const start = performance.getEntriesByName('sweep-start', 'mark').pop()!.startTime;
    const placedInTask = performance.getEntriesByName('graph:labels', 'measure').filter((m) => m.startTime >= start).length;
    return { placedInTask };
  });
  // None while the pointer moves (each node's mouseover and mouseout placed them twice before), one on the next frame.
  expect(swept.placedInTask).toBe(0);
  await expect
    .poll(() =>
      page.evaluate(() => {
        const start = performance.getEntriesByName('sweep-start', 'mark').pop()!.startTime;
        return performance.getEntriesByName('graph:labels', 'measure').filter((m) => m.startTime >= start).length;
      }),
    )
    .toBe(1);
  // Placed for the node the pointer stopped on: its edges are highlighted and labelled.
  const hovered = await graph(page, (g) => {
    const last = g.element(g.nodeIds().slice(0, 12).pop()!)!;
    return { classes: last.classes, edgeLabels: g.edgeLabels() };
  });
  expect(hovered.classes).toContain('hover');
  expect(hovered.edgeLabels).toBeGreaterThan(0);
});

test('graph: the keyboard focuses the canvas, walks neighbours by direction, Escape clears, Enter opens the CI', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=2&dir=upstream');
  await app.graphReady();
  const canvas = page.getByTestId('graph-canvas');
  await canvas.focus();
  await expect(canvas).toBeFocused();
  expect(await canvas.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  // The first arrow selects the centre; the next moves to a neighbour that lies below it (the layered layout draws dependencies below).
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => graph(page, (g) => g.selected())).toBe('bs-checkout');
  await page.keyboard.press('ArrowDown');
  const moved = await graph(page, (g) => {
    const s = g.selected()!;
    const edges = g.edgeList();
    return {
      id: s,
      neighbour: edges.some((e) => (e.source === 'bs-checkout' && e.target === s) || (e.target === 'bs-checkout' && e.source === s)),
      below: g.pagePosition(s)!.y > g.pagePosition('bs-checkout')!.y,
    };
  });
  expect(moved.id).not.toBe('bs-checkout');
  expect(moved.neighbour).toBe(true);
  expect(moved.below).toBe(true);
  await expect(page.getByTestId('selection-title')).toContainText(moved.id);
  // Left and right move between the centre's other dependencies on the same row.
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => graph(page, (g) => g.selected())).toBe('bs-checkout');
  await page.keyboard.press('Escape');
  await expect.poll(() => graph(page, (g) => g.selected())).toBeNull();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await snap(page, 'graph-keyboard');
  const chosen = await graph(page, (g) => g.selected());
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/browse.*${chosen}`));
});

test('graph: the path follows the relationships’ direction and leaves nodes their size', async ({ page, app }) => {
  await app.open('#/graph?ci=bs-checkout&depth=3&dir=both');
  await app.graphReady();
  const { target, siblings } = await graph(page, (g) => {
    const edges = g.edgeList().filter((e) => !e.implied);
    const out = new Map<string, string[]>();
    for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    const reach = (a: string) => {
      const seen = new Set([a]);
      const todo = [a];
      while (todo.length)
        for (const n of out.get(todo.pop()!) ?? []) {
          if (seen.has(n)) continue;
          seen.add(n);
          todo.push(n);
        }
      return seen;
    };
    // Two CIs both used by the same CI with no directed path either way: an undirected search would join them through it.
    let pair: [string, string] | null = null;
    for (const [, ts] of out)
      for (const a of ts) for (const b of ts) if (!pair && a !== b && !reach(a).has(b) && !reach(b).has(a)) pair = [a, b];
    const far = [...reach('bs-checkout')].find((id) => id.startsWith('db-')) ?? null;
    return { target: far, siblings: pair };
  });
  expect(target).not.toBeNull();
  expect(siblings).not.toBeNull();
  const sizes = () =>
    graph(page, (g) =>
      Object.fromEntries(g.nodeIds().map((id) => [id, { ...g.element(id)!, path: g.element(id)!.classes.includes('path') }])),
    );
  const before = await sizes();
  // From the database to the service: no path runs that way, so the one from the service to it is shown, saying so.
  await clickNode(page, target!);
  await page.getByRole('button', { name: 'Path from here' }).click();
  await clickNode(page, 'bs-checkout');
  await page.getByRole('button', { name: 'Path to here' }).click();
  await expect(page.getByTestId('path-info')).toContainText(/Shortest path Checkout → .*: \d+ hops? \(none runs from .* to Checkout\)/);
  const after = await sizes();
  const onPath = Object.keys(after).filter((id) => after[id]!.path);
  expect(onPath).toContain('bs-checkout');
  expect(onPath).toContain(target);
  // The path's nodes keep their shape: a border is added, no width taken away (they were squashed into 3.5-px bars).
  for (const id of onPath) {
    expect(after[id]!.width / after[id]!.height, `${id} keeps its shape`).toBeCloseTo(before[id]!.width / before[id]!.height, 0);
    expect(after[id]!.width, `${id} keeps its width`).toBeGreaterThanOrEqual(before[id]!.width - 0.5);
  }
  await snap(page, 'graph-path-directed');
  // Siblings: related only through what uses them both, so there is no directed path.
  await page.getByRole('button', { name: 'Clear path' }).click();
  await clickNode(page, siblings![0]);
  await page.getByRole('button', { name: 'Path from here' }).click();
  await clickNode(page, siblings![1]);
  await page.getByRole('button', { name: 'Path to here' }).click();
  await expect(page.getByTestId('path-info')).toContainText(
    /No path between .* along the relationships’ direction|No path between .* along the relationships' direction/,
  );
});

test('graph at 1024×700: a truncated name in the selection panel shows its key and its full name in a title', async ({ page, app }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await app.open('#/graph?ci=lb-edge-prod-01&depth=1');
  await app.graphReady();
  const title = page.getByTestId('selection-title');
  await expect(title).toContainText('lb-edge-prod-01');
  await expect(title.locator('strong')).toHaveAttribute('title', 'Edge load balancer 01 (lb-edge-prod-01)');
  await snap(page, 'graph-1024-selection');
});

/** Pairs of drawn labels that overlap: edge labels as turned rectangles (the separating axis test), node labels upright; 1 px of slack. */
async function overlappingLabels(page: Page): Promise<string[]> {
  return graph(page, (g) => {
    type R = { id: string; cx: number; cy: number; hw: number; hh: number; angle: number };
    const rects: R[] = [
      ...g
        .edgeLabelBoxes()
        .map((e) => ({ id: `${e.id} "${e.label}"`, cx: e.cx, cy: e.cy, hw: e.w / 2 - 1, hh: e.h / 2 - 1, angle: e.angle })),
      ...g.labels().map((l) => ({
        id: l.id,
        cx: (l.x1 + l.x2) / 2,
        cy: (l.y1 + l.y2) / 2,
        hw: (l.x2 - l.x1) / 2 - 1,
        hh: (l.y2 - l.y1) / 2 - 1,
        angle: 0,
      })),
    ];
    const ext = (q: R, t: number) => q.hw * Math.abs(Math.cos(q.angle - t)) + q.hh * Math.abs(Math.sin(q.angle - t));
    const overlap = (a: R, b: R) =>
      [a.angle, a.angle + Math.PI / 2, b.angle, b.angle + Math.PI / 2].every(
        (t) => Math.abs((b.cx - a.cx) * Math.cos(t) + (b.cy - a.cy) * Math.sin(t)) < ext(a, t) + ext(b, t),
      );
    const out: string[] = [];
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) if (overlap(rects[i]!, rects[j]!)) out.push(`${rects[i]!.id} / ${rects[j]!.id}`);
    return out;
  });
}

test('graph: a hub expanded with a double-click draws its edges’ labels apart, never piled up (found by a tester)', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open('#/graph?ci=app-order-service&depth=1');
  const first = await app.graphReady();
  // Kafka: about thirty relationships, most of them "depends on", fanning into it.
  await clickNode(page, 'mq-kafka-prod', true);
  await expect(page.getByText(/^Added \d+ CIs? around/)).toBeVisible();
  await expect.poll(async () => (await graph(page, (g) => g.nodeIds())).length).toBeGreaterThan(first.nodes + 15);
  await page.waitForTimeout(600);
  // The pointer is still on Kafka, which is selected: its edges' labels are wanted, and drawn where they have room (they were all drawn, over each other).
  await snap(page, 'graph-hub-expanded-edge-labels');
  expect(await graph(page, (g) => g.selected())).toBe('mq-kafka-prod');
  expect(await graph(page, (g) => g.edgeLabels())).toBeGreaterThan(0);
  expect(await overlappingLabels(page), 'overlapping labels').toEqual([]);
  // Zoomed in, where every edge's label is wanted, and with the pointer off the hub.
  await page.mouse.move(5, 5);
  await page.evaluate(() => {
    const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
    g.reveal('mq-kafka-prod');
    g.zoomTo(1.4);
  });
  await page.waitForTimeout(400);
  await snap(page, 'graph-hub-expanded-edge-labels-zoomed');
  // Each kind of relationship at the hub is labelled (a bundle's label before repeats), none over another.
  const kinds = await graph(page, (g) => [...new Set(g.edgeLabelBoxes().map((e) => e.label))].sort());
  expect(kinds).toEqual(['depends on', 'member of', 'uses']);
  expect(await overlappingLabels(page), 'overlapping labels, zoomed in').toEqual([]);
});
