/**
 * `hard-cycle`: CIs that depend on each other through hard dependencies, so
 * each goes down with the others and none can be started first. Tarjan's
 * strongly connected components over the hard edges of the graph index
 * (iterative: a million CIs would overflow the call stack); one finding per
 * component of more than one CI, or per CI that hard-depends on itself. Its
 * CIs are listed along one cycle through the component, then the rest.
 */
import type { RawFinding, RuleContext } from '../context.js';
import { type GraphIndex, STRENGTH_HARD } from '../../impact/graph-index.js';

/** 1 per relationship type index that is hard. */
function hardTypes(index: GraphIndex): Uint8Array {
  return Uint8Array.from(index.relTypes, (t) => (t.code === STRENGTH_HARD ? 1 : 0));
}

/** The strongly connected components of the hard dependency graph with more than one node, or a hard self-loop. */
export function hardComponents(index: GraphIndex): number[][] {
  const n = index.nodeCount;
  const hard = hardTypes(index);
  const { upRange, upSlots } = index;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callSlot = new Int32Array(n);
  let sp = 0;
  let counter = 0;
  const out: number[][] = [];
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
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
        if (component.length > 1 || selfLoop(index, hard, v)) out.push(component);
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return out;
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
  for (const component of hardComponents(index)) {
    const { nodes, cycle } = cycleOrder(index, component);
    const ids = nodes.map((v) => index.ciIdOf(v));
    if (ctx.scope !== null && !ids.some((id) => ctx.scope!.has(id))) continue;
    out.push({ rule: 'hard-cycle', ids, detail: String(cycle) });
  }
  return out;
}
