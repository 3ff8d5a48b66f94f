import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it, vi } from 'vitest';
import { CytoscapeHost, type Container, type DrawnElements } from '../../renderer/src/graph/cytoscapeHost.js';

/** A chain a → b → c (and more), with a label on each node. */
function chain(keys: string[], label = (k: string) => k.toUpperCase()): DrawnElements {
  return {
    nodes: keys.map((k) => ({ data: { id: k, label: label(k) } })),
    edges: keys.slice(1).map((k, i) => ({ data: { id: `${keys[i]}->${k}`, source: keys[i]!, target: k } })),
  };
}

function headless() {
  const make = vi.fn((container: Container | null) => cytoscape({ container, headless: true }));
  const host = new CytoscapeHost(null, make);
  const layout = vi.fn((cy: Core) => {
    cy.nodes().forEach((n, i) => {
      n.position({ x: i * 10, y: 0 });
    });
  });
  return { host, make, layout };
}

describe('CytoscapeHost (headless)', () => {
  it('creates the instance once and lays out the first drawing', async () => {
    const { host, make, layout } = headless();
    expect(make).toHaveBeenCalledTimes(1);
    expect(host.changes(chain(['a', 'b']))).toBe(true);
    const r = await host.update(chain(['a', 'b', 'c']), layout);
    expect(r.laidOut).toBe(true);
    expect(layout).toHaveBeenCalledTimes(1);
    expect(host.core.nodes().map((n) => n.id())).toEqual(['a', 'b', 'c']);
    expect(host.core.edges()).toHaveLength(2);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('updates data in place without laying out again when the topology is the same', async () => {
    const { host, layout } = headless();
    await host.update(chain(['a', 'b', 'c']), layout);
    const cy = host.core;
    const b = cy.getElementById('b');
    b.position({ x: 123, y: 45 });
    expect(host.changes(chain(['a', 'b', 'c'], (k) => `${k}!`))).toBe(false);
    const r = await host.update(
      chain(['a', 'b', 'c'], (k) => `${k}!`),
      layout,
    );
    expect(r).toEqual({ laidOut: false, layoutMs: 0 });
    expect(layout).toHaveBeenCalledTimes(1);
    // The same element, its data updated, where it was.
    expect(host.core).toBe(cy);
    expect(cy.getElementById('b')).toBe(b);
    expect(b.data('label')).toBe('b!');
    expect(b.position()).toEqual({ x: 123, y: 45 });
  });

  it('does not count the order of the elements as a change', async () => {
    const { host, layout } = headless();
    const els = chain(['a', 'b', 'c']);
    await host.update(els, layout);
    const shuffled = { nodes: [...els.nodes].reverse(), edges: [...els.edges].reverse() };
    expect(host.changes(shuffled)).toBe(false);
    expect((await host.update(shuffled, layout)).laidOut).toBe(false);
    expect(layout).toHaveBeenCalledTimes(1);
  });

  it('lays out again when a node or an edge comes or goes, and removes what went', async () => {
    const { host, layout } = headless();
    await host.update(chain(['a', 'b', 'c']), layout);
    expect((await host.update(chain(['a', 'b', 'c', 'd']), layout)).laidOut).toBe(true);
    expect(layout).toHaveBeenCalledTimes(2);
    expect((await host.update(chain(['a', 'b']), layout)).laidOut).toBe(true);
    expect(layout).toHaveBeenCalledTimes(3);
    expect(host.core.nodes().map((n) => n.id())).toEqual(['a', 'b']);
    expect(host.core.edges().map((e) => e.id())).toEqual(['a->b']);
    // Same nodes, one edge fewer: a topology change too.
    const noEdge = { nodes: chain(['a', 'b']).nodes, edges: [] };
    expect((await host.update(noEdge, layout)).laidOut).toBe(true);
    expect(host.core.edges()).toHaveLength(0);
    expect(layout).toHaveBeenCalledTimes(4);
  });

  it('lays out an unchanged topology when forced (another layout was chosen)', async () => {
    const { host, layout } = headless();
    await host.update(chain(['a', 'b']), layout);
    expect((await host.update(chain(['a', 'b']), layout, { force: true })).laidOut).toBe(true);
    expect(layout).toHaveBeenCalledTimes(2);
  });

  it('applies all changes of one update in a single batch', async () => {
    const { host, layout } = headless();
    await host.update(chain(['a', 'b', 'c']), layout);
    const batches = vi.spyOn(host.core, 'batch');
    await host.update(
      chain(['b', 'c', 'd', 'e'], (k) => `${k}?`),
      layout,
    );
    expect(batches).toHaveBeenCalledTimes(1);
  });

  it('runs a synchronous layout before update returns, so code right after it sees the positions (the impact graph relies on this)', () => {
    const { host, layout } = headless();
    void host.update(chain(['a', 'b', 'c']), layout);
    expect(layout).toHaveBeenCalledTimes(1);
    expect(host.core.getElementById('c').position()).toEqual({ x: 20, y: 0 });
  });

  it('waits for an asynchronous layout before resolving', async () => {
    const { host } = headless();
    let applied = false;
    const r = await host.update(chain(['a', 'b']), async (cy) => {
      await new Promise((res) => setTimeout(res, 5));
      cy.nodes().positions(() => ({ x: 1, y: 2 }));
      applied = true;
    });
    expect(applied).toBe(true);
    expect(r.laidOut).toBe(true);
    expect(r.layoutMs).toBeGreaterThan(0);
  });

  it('recreate gives a fresh empty instance whose next drawing is laid out', async () => {
    const { host, make, layout } = headless();
    await host.update(chain(['a', 'b']), layout);
    const old = host.core;
    const fresh = host.recreate();
    expect(make).toHaveBeenCalledTimes(2);
    expect(old.destroyed()).toBe(true);
    expect(host.core).toBe(fresh);
    expect(fresh.elements()).toHaveLength(0);
    expect(host.changes(chain(['a', 'b']))).toBe(true);
    expect((await host.update(chain(['a', 'b']), layout)).laidOut).toBe(true);
    expect(layout).toHaveBeenCalledTimes(2);
  });

  it('adds new nodes where the placer put them, moves kept ones there, and tells the layout they are placed', async () => {
    const { host, layout } = headless();
    const place = vi.fn(() => ({ a: { x: 5, y: 6 }, b: { x: 7, y: 8 } }));
    const runs: boolean[] = [];
    const runner = (_cy: Core, placed: boolean) => void runs.push(placed);
    expect((await host.update(chain(['a', 'b']), runner, { place })).laidOut).toBe(true);
    expect(runs).toEqual([true]);
    expect(host.core.getElementById('a').position()).toEqual({ x: 5, y: 6 });
    expect(host.core.getElementById('b').position()).toEqual({ x: 7, y: 8 });
    // A node kept across drawings moves to its new place; one the placer left out is laid out by the runner.
    const again = vi.fn(() => ({ a: { x: -1, y: -2 } }));
    await host.update(chain(['a', 'b', 'c']), runner, { place: again });
    expect(host.core.getElementById('a').position()).toEqual({ x: -1, y: -2 });
    expect(runs).toEqual([true, true]);
    // Unchanged topology: nothing is placed or laid out.
    await host.update(chain(['a', 'b', 'c']), layout, { place: again });
    expect(again).toHaveBeenCalledTimes(1);
    expect(layout).not.toHaveBeenCalled();
    // A placer with no answer: the runner lays out on Cytoscape.
    await host.update(chain(['a', 'b']), runner, { place: () => null });
    expect(runs).toEqual([true, true, false]);
    expect(place).toHaveBeenCalledTimes(1);
  });

  it('destroy destroys the instance', () => {
    const { host } = headless();
    const cy = host.core;
    host.destroy();
    expect(cy.destroyed()).toBe(true);
  });
});
