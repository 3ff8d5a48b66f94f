/**
 * `hard-cycle` for a few CIs: whether each lies on a cycle of hard
 * dependencies, by Tarjan's strongly connected components over the hard
 * dependencies reachable from them (a CI's cycle lies within what it depends
 * on), iteratively, on typed arrays. The search is kept with its graph index
 * and resumed by the next question on the same data: CIs it already reached
 * cost nothing again (Tarjan from further roots over finished nodes is still
 * Tarjan).
 */
import { type GraphIndex, STRENGTH_HARD } from '../impact/graph-index.js';

class Search {
  private readonly order: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  /** 1 when the node lies on a cycle of hard dependencies (meaningful once order[v] >= 0). */
  readonly cyclic: Uint8Array;
  private readonly hard: boolean[];
  private counter = 0;

  constructor(private readonly index: GraphIndex) {
    const n = index.nodeCount;
    this.order = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.cyclic = new Uint8Array(n);
    this.hard = index.relTypes.map((t) => t.code === STRENGTH_HARD);
  }

  /** Runs Tarjan from `s` when no earlier run reached it. */
  from(s: number): void {
    const { order, low, onStack, hard } = this;
    const { upRange, upSlots } = this.index;
    if (order[s] !== -1) return;
    const stack: number[] = [];
    // Per frame: its node and the next dependency slot to look at.
    const frameNode: number[] = [];
    const frameSlot: number[] = [];
    const enter = (v: number) => {
      order[v] = low[v] = this.counter++;
      stack.push(v);
      onStack[v] = 1;
      frameNode.push(v);
      frameSlot.push(upRange[2 * v]!);
    };
    enter(s);
    while (frameNode.length > 0) {
      const top = frameNode.length - 1;
      const v = frameNode[top]!;
      const k = frameSlot[top]!;
      if (k < upRange[2 * v + 1]!) {
        frameSlot[top] = k + 1;
        if (!hard[upSlots[3 * k + 1]!]) continue;
        const w = upSlots[3 * k]!;
        if (order[w] === -1) enter(w);
        else if (onStack[w] === 1 && order[w]! < low[v]!) low[v] = order[w]!;
        continue;
      }
      frameNode.pop();
      frameSlot.pop();
      if (top > 0 && low[v]! < low[frameNode[top - 1]!]!) low[frameNode[top - 1]!] = low[v]!;
      if (low[v] !== order[v]) continue;
      const component = stack.splice(stack.lastIndexOf(v));
      for (const w of component) onStack[w] = 0;
      if (component.length > 1 || this.selfLoop(v)) for (const w of component) this.cyclic[w] = 1;
    }
  }

  private selfLoop(v: number): boolean {
    const { upRange, upSlots } = this.index;
    for (let k = upRange[2 * v]!, end = upRange[2 * v + 1]!; k < end; k++) {
      if (upSlots[3 * k] === v && this.hard[upSlots[3 * k + 1]!]) return true;
    }
    return false;
  }
}

const searches = new WeakMap<GraphIndex, Search>();

/** The nodes among `starts` that lie on a cycle of hard dependencies. */
export function onHardCycle(index: GraphIndex, starts: readonly number[]): number[] {
  let search = searches.get(index);
  if (!search) searches.set(index, (search = new Search(index)));
  for (const s of starts) search.from(s);
  return starts.filter((s) => search.cyclic[s] === 1);
}
