/**
 * The one wrapper around a Cytoscape instance, shared by the graph view's
 * controller and the impact graph. It creates the instance once (again only
 * when asked, e.g. to switch renderer), applies updates in one batch, runs
 * the layout only when the topology changes, resizes Cytoscape when its
 * container resizes, and destroys it. Without a container the instance is
 * headless, which is how the unit tests drive it.
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { fixPolygonHitTest } from './hitTest.js';
import { topologyKey } from './model.js';

cytoscape.use(dagre);

/** The element Cytoscape draws into, typed as Cytoscape's typings name it (so this module compiles without the DOM's types too). */
export type Container = NonNullable<cytoscape.CytoscapeOptions['container']>;

interface Observer {
  observe(el: Container): void;
  disconnect(): void;
}

/** The browser's ResizeObserver; absent in Node, where the instance is headless anyway. */
function resizeObserver(onResize: () => void): Observer | null {
  const RO = (globalThis as { ResizeObserver?: new (cb: () => void) => Observer }).ResizeObserver;
  return RO ? new RO(onResize) : null;
}

/** What is drawn: nodes and edges, each with an `id` in its data (edges also `source` and `target`). */
export interface DrawnElements {
  nodes: ReadonlyArray<{ data: { id: string } }>;
  edges: ReadonlyArray<{ data: { id: string; source: string; target: string } }>;
}

/** Makes a Cytoscape instance in `container` (null: headless) and wires its events. */
export type CytoscapeFactory = (container: Container | null) => Core;

/** Lays out the drawn elements; may be asynchronous (a worker). `placed`: the nodes were added where a `Placer` put them. */
export type LayoutRunner = (cy: Core, placed: boolean) => void | Promise<void>;

/** A node's position in model coordinates. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Where a drawing's nodes go, computed from the elements before Cytoscape
 * has them (null: this drawing needs a layout on Cytoscape). New nodes are
 * then added there, so no second pass moves every node (each move dirties
 * the node's and its edges' bounds).
 */
export type Placer = () => Record<string, Point> | null;

export class CytoscapeHost {
  private cy: Core;
  /** The topology last laid out; '' after creation, so the first update lays out. */
  private topo = '';
  /** The last elements fingerprinted and their key: `changes` then `update` on the same drawing sort its ids once, not twice. */
  private keyed: { els: DrawnElements; key: string } | null = null;
  private readonly observer: Observer | null;

  constructor(
    private readonly container: Container | null,
    private readonly make: CytoscapeFactory,
  ) {
    this.cy = this.create();
    this.observer = container ? resizeObserver(() => this.cy.resize()) : null;
    if (container) this.observer?.observe(container);
  }

  /** A new instance from the factory, its polygon shapes clickable at every point (see hitTest.ts). */
  private create(): Core {
    const cy = this.make(this.container);
    fixPolygonHitTest(cy);
    return cy;
  }

  /** The current instance (a new one after `recreate`). */
  get core(): Core {
    return this.cy;
  }

  /** Whether drawing `els` would change the topology, i.e. run the layout. */
  changes(els: DrawnElements): boolean {
    return this.keyOf(els) !== this.topo;
  }

  private keyOf(els: DrawnElements): string {
    if (this.keyed?.els !== els) this.keyed = { els, key: topologyKey(els) };
    return this.keyed.key;
  }

  /** Replaces the instance with a fresh empty one (options fixed at creation, e.g. WebGL); the next update lays out. */
  recreate(): Core {
    this.cy.destroy();
    this.cy = this.create();
    this.topo = '';
    return this.cy;
  }

  /**
   * Removes what went, adds what came and updates data in place, all in one
   * batch; nodes with a place in `placed` are added there (or moved there).
   */
  sync(els: DrawnElements, placed: Record<string, Point> | null = null): void {
    const cy = this.cy;
    // Into an empty instance (a first drawing) everything is new: no look-ups.
    const fresh = cy.elements().empty();
    const wanted = new Set<string>();
    if (!fresh) {
      for (const n of els.nodes) wanted.add(n.data.id);
      for (const e of els.edges) wanted.add(e.data.id);
    }
    const added: ElementDefinition[] = [];
    cy.batch(() => {
      if (!fresh)
        cy.elements().forEach((el) => {
          if (!wanted.has(el.id())) el.remove();
        });
      for (const n of els.nodes) {
        const at = placed?.[n.data.id];
        const ex = fresh ? null : cy.getElementById(n.data.id);
        if (ex?.nonempty()) {
          ex.data(n.data);
          if (at) ex.position({ ...at });
        } else added.push(at ? { group: 'nodes', data: n.data, position: { ...at } } : { group: 'nodes', data: n.data });
      }
      for (const e of els.edges) {
        const ex = fresh ? null : cy.getElementById(e.data.id);
        if (ex?.nonempty()) ex.data(e.data);
        else added.push({ group: 'edges', data: e.data });
      }
      if (added.length) cy.add(added);
    });
  }

  /**
   * Draws `els` (see `sync`), then runs `layout` only if the topology changed
   * since the last layout, or when `force`d (a different layout was chosen);
   * `place` then says where the nodes go before they are added. `mark` names
   * a performance mark set once the elements are in. Resolves once the
   * layout is applied, with how long it took (placing included).
   */
  async update(
    els: DrawnElements,
    layout: LayoutRunner,
    opts: { force?: boolean; mark?: string; place?: Placer } = {},
  ): Promise<{ laidOut: boolean; layoutMs: number }> {
    const topo = this.keyOf(els);
    const relayout = topo !== this.topo || opts.force === true;
    const t0 = performance.now();
    const placed = relayout && opts.place ? opts.place() : null;
    const placeMs = performance.now() - t0;
    this.sync(els, placed);
    if (opts.mark) performance.mark(opts.mark);
    if (!relayout) return { laidOut: false, layoutMs: 0 };
    this.topo = topo;
    const t1 = performance.now();
    await layout(this.cy, placed !== null);
    const layoutMs = placeMs + performance.now() - t1;
    this.prepareFrame();
    return { laidOut: true, layoutMs };
  }

  /**
   * Computes every element's style, rendered style and bounding box in one
   * pass over the collection, as the next frame would otherwise do one
   * element at a time: Cytoscape's per-element `boundingBox()` on a dirty
   * element goes the slow way (new collections, its rendered style and
   * compound bounds, each for one element), which was about a third of a
   * 2,000-node first frame. The drawing is the same; headless, nothing to do.
   */
  private prepareFrame(): void {
    const r = (this.cy as unknown as { renderer(): { flushRenderedStyleQueue?: () => void } | null }).renderer();
    if (!r?.flushRenderedStyleQueue) return;
    this.cy.batch(() => this.cy.elements().boundingBox());
    r.flushRenderedStyleQueue();
    performance.mark('graph:frame-prepared');
  }

  /** Stops watching the container and destroys the instance. */
  destroy(): void {
    this.observer?.disconnect();
    this.cy.destroy();
  }
}
