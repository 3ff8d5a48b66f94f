/**
 * `hard-cycle`: CIs that depend on each other through hard dependencies, so
 * each goes down with the others and none can be started first. Tarjan's
 * strongly connected components over the hard edges of the graph index
 * (iterative: a million CIs would overflow the call stack); one finding per
 * component of more than one CI, or per CI that hard-depends on itself. Its
 * CIs are listed along one cycle through the component, then the rest. For
 * a few CIs, only the hard dependencies reachable from them are searched (a
 * CI's cycle lies within what it depends on).
 */
import type { RawFinding, RuleContext } from '../context.js';
import { type GraphIndex, STRENGTH_HARD } from '../../impact/graph-index.js';

/** 1 per relationship type index that is hard. */
function hardTypes(index: GraphIndex): Uint8Array {
  return Uint8Array.from(index.relTypes, (t) => (t.code === STRENGTH_HARD ? 1 : 0));
}

/**
 * Tarjan's search over the hard dependency edges, resumable: a run from
 * further roots over nodes an earlier run finished is still Tarjan, so the
 * estate run starts from every node and a run for a few CIs (HealthService
 * rulesForCis, an impact answer's health) from just those, kept with its
 * graph index and resumed by the next question on the same data (a new
 * index object means the data changed).
 */
class HardSearch {
  private readonly order: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callNode: Int32Array;
  private readonly callSlot: Int32Array;
  private readonly hard: Uint8Array;
  private counter = 0;
  /** The component found for each node on a hard cycle (index into `components`), else -1. */
  readonly componentOf: Int32Array;
  /** The components with more than one node, or a hard self-loop, in the order found. */
  readonly components: number[][] = [];

  constructor(private readonly index: GraphIndex) {
    const n = index.nodeCount;
    this.order = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callNode = new Int32Array(n);
    this.callSlot = new Int32Array(n);
    this.componentOf = new Int32Array(n).fill(-1);
    this.hard = hardTypes(index);
  }

  /** Runs Tarjan from each of `roots` (every node when null) that no earlier run reached. */
  run(roots: readonly number[] | null): void {
    const { order, low, onStack, stack, callNode, callSlot, hard } = this;
    const { upRange, upSlots } = this.index;
    let counter = this.counter;
    const count = roots === null ? this.index.nodeCount : roots.length;
    for (let r = 0; r < count; r++) {
      const root = roots === null ? r : roots[r]!;
      if (order[root] !== -1) continue;
      let sp = 0;
      let depth = 0;
      callNode[0] = root;
      callSlot[0] = upRange[2 * root]!;
      order[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      while (depth >= 0) {
        const v = callNode[depth]!;
        const end = upRange[2 * v + 1]!;
        let k = callSlot[depth]!;
        let descended = false;
        for (; k < end; k++) {
          if (hard[upSlots[3 * k + 1]!] !== 1) continue;
          const w = upSlots[3 * k]!;
          if (order[w] === -1) {
            callSlot[depth] = k + 1;
            order[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            callNode[++depth] = w;
            callSlot[depth] = upRange[2 * w]!;
            descended = true;
            break;
          }
          if (onStack[w] === 1 && order[w]! < low[v]!) low[v] = order[w]!;
        }
        if (descended) continue;
        if (low[v] === order[v]) {
          const component: number[] = [];
          let w: number;
          do {
            w = stack[--sp]!;
            onStack[w] = 0;
            component.push(w);
          } while (w !== v);
          if (component.length > 1 || selfLoop(this.index, hard, v)) {
            for (const x of component) this.componentOf[x] = this.components.length;
            this.components.push(component);
          }
        }
        depth--;
        if (depth >= 0) {
          const parent = callNode[depth]!;
          if (low[v]! < low[parent]!) low[parent] = low[v]!;
        }
      }
    }
    this.counter = counter;
  }
}

const searches = new WeakMap<GraphIndex, HardSearch>();

function searchOf(index: GraphIndex): HardSearch {
  let search = searches.get(index);
  if (!search) searches.set(index, (search = new HardSearch(index)));
  return search;
}

/** The strongly connected components of the hard dependency graph with more than one node, or a hard self-loop. */
export function hardComponents(index: GraphIndex): number[][] {
  // Not kept: the report is, and the next run for a few CIs comes with a new index (the data changed).
  const search = searches.get(index) ?? new HardSearch(index);
  search.run(null);
  return search.components;
}

/** The components (as hardComponents) holding any of `ids` (SQLite CI ids), each once. */
function componentsOf(index: GraphIndex, ids: ReadonlySet<number>): number[][] {
  const search = searchOf(index);
  const nodes = [...ids].map((id) => index.nodeOf(id)).filter((v) => v >= 0);
  search.run(nodes);
  const found = new Set(nodes.map((v) => search.componentOf[v]!).filter((c) => c >= 0));
  return [...found].map((c) => search.components[c]!);
}

function selfLoop(index: GraphIndex, hard: Uint8Array, v: number): boolean {
  for (let k = index.upRange[2 * v]!, end = index.upRange[2 * v + 1]!; k < end; k++) {
    if (index.upSlots[3 * k] === v && hard[index.upSlots[3 * k + 1]!] === 1) return true;
  }
  return false;
}

/**
 * The component's nodes along one cycle from its first node (breadth-first
 * within the component, so the cycle is a shortest one), then the others.
 */
export function cycleOrder(index: GraphIndex, component: number[]): { nodes: number[]; cycle: number } {
  const start = component.reduce((a, b) => Math.min(a, b));
  const hard = hardTypes(index);
  if (component.length === 1) return { nodes: component, cycle: 1 };
  const inside = new Set(component);
  const parent = new Map<number, number>([[start, -1]]);
  const queue = [start];
  let last = -1;
  for (let q = 0; q < queue.length && last < 0; q++) {
    const v = queue[q]!;
    for (let k = index.upRange[2 * v]!, end = index.upRange[2 * v + 1]!; k < end; k++) {
      if (hard[index.upSlots[3 * k + 1]!] !== 1) continue;
      const w = index.upSlots[3 * k]!;
      if (w === start) {
        last = v;
        break;
      }
      if (!inside.has(w) || parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  const cycle: number[] = [];
  for (let v = last; v !== -1; v = parent.get(v)!) cycle.push(v);
  cycle.reverse();
  const onCycle = new Set(cycle);
  return { nodes: [...cycle, ...component.filter((v) => !onCycle.has(v)).sort((a, b) => a - b)], cycle: cycle.length };
}

/** One finding per hard cycle: ids in cycle order (each depends on the next, the last on the first); detail: how many are on the cycle. */
export function hardCycle(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const component of ctx.scope === null ? hardComponents(index) : componentsOf(index, ctx.scope)) {
    const { nodes, cycle } = cycleOrder(index, component);
    const ids = nodes.map((v) => index.ciIdOf(v));
    if (ctx.scope !== null && !ids.some((id) => ctx.scope!.has(id))) continue;
    out.push({ rule: 'hard-cycle', ids, detail: String(cycle) });
  }
  return out;
}
