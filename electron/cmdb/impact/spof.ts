/**
 * Single points of failure behind nested redundancy, exactly: a dependency
 * is one when its failure alone takes an origin down by the downstream rules
 * (engine.ts), even though no chain of critical steps leads to it (e.g. C
 * behind both members of a two-member group).
 *
 * Only a dependency reached by hard followed steps can take anything down,
 * and only CIs in the origins' hard upstream closure can carry its loss to
 * an origin (whatever depends on a CI of the closure is in it). So each
 * candidate gets one downstream propagation restricted to that closure,
 * stopped as soon as an origin goes down, or as soon as it takes down a CI
 * already known to be a single point of failure (down-propagation only
 * grows: that CI's loss alone already takes an origin down).
 */
import type { GraphIndex } from './graph-index.js';

/** The single points found, and the hard closure's breadth-first tree: their paths, made of hard steps only. */
export interface SharedPoints {
  found: number[];
  /** Per node of the closure: previous node on its shortest chain of hard followed steps (-1 for origins), the edge and the depth. */
  parent: Int32Array;
  edge: Int32Array;
  depth: Int32Array;
}

/** What the search needs of the query: see sharedSinglePoints. */
export interface SpofQuery {
  hard: Uint8Array;
  info: Int32Array;
  known: Uint8Array;
  /** Whether a node is not running: down already, its loss changes nothing. */
  notRunning: (node: number) => boolean;
  /** The members of group slot g that are not running. */
  idleIn: (g: number) => number;
}

/**
 * The single points of failure of `origins` that `known` (1 per node, the
 * ones on critical chains) does not already hold, in closure order.
 * `hard` and `info` are the query's hard type mask and group figures; a
 * group's members not running are down before any loss.
 */
export function sharedSinglePoints(index: GraphIndex, origins: readonly number[], q: SpofQuery): SharedPoints {
  const { hard, info, known, notRunning, idleIn } = q;
  const n = index.nodeCount;
  const { upRange, upSlots, upEdge, downRange, downSlots } = index;
  const parent = new Int32Array(n).fill(-1);
  const edge = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n).fill(-1);
  const inClosure = new Uint8Array(n);
  const isOrigin = new Uint8Array(n);
  const closure: number[] = [];
  for (const s of origins) {
    isOrigin[s] = 1;
    if (inClosure[s] === 1) continue;
    inClosure[s] = 1;
    depth[s] = 0;
    closure.push(s);
  }
  for (let head = 0; head < closure.length; head++) {
    const x = closure[head]!;
    for (let k = upRange[2 * x]!, end = upRange[2 * x + 1]!; k < end; k++) {
      if (hard[upSlots[3 * k + 1]!] !== 1) continue;
      const p = upSlots[3 * k]!;
      if (inClosure[p] === 1) continue;
      inClosure[p] = 1;
      parent[p] = x;
      edge[p] = upEdge[k]!;
      depth[p] = depth[x]! + 1;
      closure.push(p);
    }
  }
  // Known single points: the critical chains', then each one found here.
  const spof = known.slice();
  const down = new Uint8Array(n);
  const lost = new Int32Array(index.groupCount);
  const work = new Int32Array(closure.length);
  const touchedGroups: number[] = [];
  const found: number[] = [];

  /** Whether losing `c` alone takes an origin (or a known single point) down; leaves `down` and `lost` cleared. */
  const takesOriginDown = (c: number): boolean => {
    let tail = 0;
    down[c] = 1;
    work[tail++] = c;
    let hit = false;
    for (let head = 0; head < tail && !hit; head++) {
      const p = work[head]!;
      for (let k = downRange[2 * p]!, end = downRange[2 * p + 1]!; k < end; k++) {
        const j = 3 * k;
        if (hard[downSlots[j + 1]!] !== 1) continue;
        const x = downSlots[j]!;
        if (inClosure[x] !== 1 || down[x] === 1) continue;
        const g = downSlots[j + 2]!;
        if (g >= 0) {
          // A member not running is down before the loss: it is not lost again (downstream's rule).
          if (!notRunning(p)) {
            if (lost[g] === 0) touchedGroups.push(g);
            lost[g]!++;
          }
          if (info[2 * g]! - idleIn(g) - lost[g]! >= info[2 * g + 1]!) continue;
        }
        down[x] = 1;
        work[tail++] = x;
        if (isOrigin[x] === 1 || spof[x] === 1) {
          hit = true;
          break;
        }
      }
    }
    for (let i = 0; i < tail; i++) down[work[i]!] = 0;
    for (const g of touchedGroups) lost[g] = 0;
    touchedGroups.length = 0;
    return hit;
  };

  for (const c of closure) {
    if (isOrigin[c] === 1 || spof[c] === 1) continue;
    if (takesOriginDown(c)) {
      spof[c] = 1;
      found.push(c);
    }
  }
  return { found, parent, edge, depth };
}
