/**
 * A click at the centre of a node selects it, whatever its shape: every
 * shape a built-in CI type is drawn as, and every shape an imported type may
 * get. Cytoscape's 2D canvas renderer used to miss the centre of a diamond,
 * a vee and a star (its polygon test counted their bottom tip twice; see
 * renderer/src/graph/hitTest.ts).
 */
import { FALLBACK_SHAPES, KNOWN, fallbackShape } from '../../renderer/src/typeStyle.js';
import { expect, test } from './fixtures.js';
import { graph } from './graph-page.js';
import type { PageGlobals } from './page-globals.js';

const HUB = 'shape-hub';

/** An imported type's name that is drawn as `shape`. */
function importedTypeOf(shape: string): string {
  for (let i = 0; i < 1000; i++) if (fallbackShape(`imported_kind_${i}`) === shape) return `imported_kind_${i}`;
  throw new Error(`no imported type drawn as ${shape}`);
}

/** One CI per shape: a built-in type of each built-in shape, an imported type of each fallback shape. */
function shapeCis(): Array<{ key: string; name: string; type: string; shape: string }> {
  const cis = [];
  const builtIn = new Map<string, string>();
  for (const [type, st] of Object.entries(KNOWN)) if (!builtIn.has(st.shape)) builtIn.set(st.shape, type);
  for (const [shape, type] of builtIn) cis.push({ key: `builtin-${shape}`, name: `Built-in ${shape}`, type, shape });
  for (const shape of FALLBACK_SHAPES) {
    cis.push({ key: `imported-${shape}`, name: `Imported ${shape}`, type: importedTypeOf(shape), shape });
  }
  return cis;
}

test('graph: a click at the centre of a node of every shape selects it and shows it beside the graph', async ({ page, app }) => {
  const cis = shapeCis();
  expect(new Set(cis.map((c) => c.shape))).toEqual(new Set([...Object.values(KNOWN).map((s) => s.shape), ...FALLBACK_SHAPES]));
  const rows = [['key', 'name', 'type'], [HUB, 'Shape hub', 'application'], ...cis.map((c) => [c.key, c.name, c.type])];
  const rels = [['source', 'target', 'type'], ...cis.map((c) => [c.key, HUB, 'depends_on'])];
  const r = await app.service.call('importCsv', {
    cis: { name: 'shape-cis.csv', content: rows.map((x) => x.join(',')).join('\n') },
    relationships: { name: 'shape-rels.csv', content: rels.map((x) => x.join(',')).join('\n') },
  });
  expect(r.ok, JSON.stringify(r)).toBe(true);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open(`#/graph?ci=${HUB}&depth=1`);
  await app.graphReady();
  // A small graph: the 2D canvas draws it (and hit-tests clicks), where the shapes were missed.
  expect(await graph(page, (g) => g.renderer)).toBe('canvas');
  const title = page.getByTestId('selection-title');
  for (const ci of cis) {
    // Start from nothing selected, so a click that hits nothing cannot pass on the last selection.
    await page.getByTestId('graph-canvas').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => graph(page, (g) => g.selected())).toBeNull();
    const at = await page.evaluate((k) => {
      const g = (globalThis as unknown as PageGlobals).__cmdbGraph!;
      g.reveal(k);
      return g.pagePosition(k);
    }, ci.key);
    expect(at, `${ci.key} is drawn`).not.toBeNull();
    await page.mouse.click(at!.x, at!.y);
    await expect.poll(() => graph(page, (g) => g.selected()), `${ci.shape} (${ci.type}) selected by a click at its centre`).toBe(ci.key);
    await expect(title).toContainText(ci.name);
    // The node, not an edge beside it (a vee's edges meet it just above its centre).
    const edges = await graph(page, (g) => g.edgeList().filter((e) => g.element(e.id)?.selected).length);
    expect(edges, `no edge selected with ${ci.key}`).toBe(0);
  }
});
