/**
 * Implied edges: a chain of relationships through CIs whose type is filtered
 * out, drawn as one edge A ⇢ C between the drawn CIs at its ends. Chains run
 * the way dependency runs (A depends on the hidden CIs, which depend on C),
 * read through each relationship type's dependent end, so two CIs that both
 * depend on a hidden one (siblings) are not joined.
 */
import type { EdgeRow } from './edges.js';

/** Hidden CIs visited, over all chains, before `hidden` stops being exact. */
const EXACT_STEPS = 2_000_000;

export interface ImpliedChain {
  /** The dependent drawn CI. */
  source: number;
  /** The drawn CI it depends on through hidden ones. */
  target: number;
  /** The distinct hidden CIs on the chains from source to target. */
  hidden: Set<number>;
}

/**
 * Every chain between drawn CIs through hidden ones, over `edges` (the relationships among the
 * walked CIs). For each drawn CI, the hidden CIs it reaches are walked forwards, then from each
 * drawn CI met beyond them backwards within what was reached, so `hidden` holds exactly the hidden
 * CIs on some chain between the two. Past EXACT_STEPS hidden CIs visited (wide fans of hidden CIs
 * shared by many drawn ones), `hidden` is every hidden CI the source reaches: an upper bound.
 */
export function impliedChains(edges: EdgeRow[], hidden: Set<number>, sourceIsDependent: Map<string, boolean>): ImpliedChain[] {
  if (hidden.size === 0) return [];
  const dependsOn = new Map<number, number[]>();
  const dependedOnBy = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, from: number, to: number) => {
    const list = m.get(from);
    if (list) list.push(to);
    else m.set(from, [to]);
  };
  for (const e of edges) {
    if (!hidden.has(e.source_id) && !hidden.has(e.target_id)) continue;
    const [dep, on] = sourceIsDependent.get(e.type) === false ? [e.target_id, e.source_id] : [e.source_id, e.target_id];
    add(dependsOn, dep, on);
    add(dependedOnBy, on, dep);
  }
  const chains: ImpliedChain[] = [];
  let steps = 0;
  for (const [a, firsts] of dependsOn) {
    if (hidden.has(a)) continue;
    // Forwards from A through hidden CIs: what it reaches, and the drawn CIs just past them.
    const reached = new Set<number>();
    const ends = new Set<number>();
    const queue = firsts.filter((h) => hidden.has(h));
    for (const h of queue) reached.add(h);
    for (let i = 0; i < queue.length; i++) {
      steps++;
      for (const next of dependsOn.get(queue[i]!) ?? []) {
        if (!hidden.has(next)) {
          if (next !== a) ends.add(next);
        } else if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    // Backwards from each end within what A reached: the hidden CIs on a chain A ⇢ C.
    for (const c of ends) {
      if (steps > EXACT_STEPS) {
        // Past the budget: every hidden CI A reaches, an upper bound of those on its chains to C.
        chains.push({ source: a, target: c, hidden: reached });
        continue;
      }
      const on = new Set<number>();
      const back = (dependedOnBy.get(c) ?? []).filter((h) => reached.has(h));
      for (const h of back) on.add(h);
      for (let i = 0; i < back.length; i++) {
        steps++;
        for (const prev of dependedOnBy.get(back[i]!) ?? []) {
          if (reached.has(prev) && !on.has(prev)) {
            on.add(prev);
            back.push(prev);
          }
        }
      }
      chains.push({ source: a, target: c, hidden: on });
    }
  }
  return chains;
}
