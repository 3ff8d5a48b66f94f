/**
 * The impact engine: states, depths and explanation paths over a GraphIndex.
 *
 * Downstream (what breaks when the changed CIs go down), by the rules in
 * ARCHITECTURE.md "Data model":
 * - A CI is DOWN when an ungrouped hard dependency is down, or when one of
 *   its redundancy groups falls below min_up. A group is the set of hard
 *   dependencies of one CI sharing a redundancy_group label (each
 *   relationship is one member); its min_up is the largest min_up given on
 *   its relationships (default 1). A group fails only when it lost a member
 *   and fewer than min_up members remain up. A member whose status says it
 *   is not running (options.notRunning) is not up before the change: it
 *   counts as already down, once, whether or not the change reaches it.
 * - A CI that is not down but is reached from an impacted CI through a hard
 *   or soft relationship is DEGRADED (a lost group member, a soft dependency
 *   down or degraded, or any dependency degraded). Soft relationships never
 *   take a CI down, whatever their group.
 * - Relationship types of strength `none` never propagate; a query may
 *   narrow the types followed.
 *
 * Phase 1 computes the DOWN set as a least fixpoint with a worklist (a node
 * enters once; states only move up), so cycles cannot make a CI down on their
 * own. Phase 2 is one breadth-first search from the changed CIs with one
 * global visited set: a DOWN CI is entered only through a relationship that
 * explains it (from a down CI, hard, ungrouped or in a failed group), so its
 * path runs through down CIs only; a DEGRADED CI is entered through any
 * followed relationship from an impacted CI. Depth = length of that shortest
 * path. A depth limit cuts the answer, never the truth: the states reported
 * are those of the full analysis.
 */
import type { NotRunning } from './ci-attrs.js';
import { propagates } from '../../../shared/domain.js';
import { type GraphIndex, groupInfoFor, STRENGTH_HARD } from './graph-index.js';
import { sharedSinglePoints } from './spof.js';

export const STATE_NONE = 0;
export const STATE_DEGRADED = 1;
export const STATE_DOWN = 2;

/** The outcome of one analysis, in node numbers; see `pathOf`. */
export interface ImpactRun {
  direction: 'downstream' | 'upstream';
  /** The origin nodes (changed CIs, or the CIs asked about upstream), deduplicated. */
  sources: number[];
  /** Reached nodes in breadth-first order (origins first); `count` are used. */
  order: Int32Array;
  count: number;
  /** Per node: STATE_NONE | STATE_DEGRADED | STATE_DOWN. */
  state: Uint8Array;
  /** Per node: depth of its explanation path, -1 when not reached. */
  depth: Int32Array;
  /** Per node: previous node on its explanation path, -1 for origins. */
  parent: Int32Array;
  /** Upstream only: the paths of DEGRADED nodes and shared single points (pass 2), apart from the critical ones. */
  altParent?: Int32Array;
  /**
   * Upstream only: per node, 1 for a single point of failure found through
   * nested redundancy (not on a chain of critical steps); its path is its
   * shortest chain of hard followed steps (hardParent) and its last step is
   * explained as `shared`.
   */
  shared?: Uint8Array;
  /** Upstream only: the hard closure's breadth-first tree, for the paths of shared single points. */
  hardParent?: Int32Array;
  /** Per type index: 1 = followed and hard (can take a dependent down). */
  hard: Uint8Array;
  /** Group sizes and min_up for this query (GraphIndex.groupInfo layout). */
  groupInfo: Int32Array;
  /** Downstream only: members lost per group slot (relationships from down CIs). */
  lost?: Int32Array;
  /** Whether a node's status says it is not running (a group member already down before the change); the query's option. */
  notRunning: (node: number) => boolean;
  /**
   * The groups the answer weighs that have members not running, as pairs (dependent node, group slot), each group
   * once: downstream those the change reached; upstream those of the CIs it lists whose members lie within its depth.
   * Neither depends on the order the search met CIs or relationships in.
   */
  notRunningGroups: number[];
  /**
   * The relationship (edge number) of the last step of a reached node's
   * path, -1 for origins. Downstream finds it on demand (only listed paths
   * need it), by the same rule the search used, so no per-node array is kept.
   * `alt`: along altParent (upstream DEGRADED paths); 'hard': along hardParent.
   */
  edgeTo(node: number, alt?: boolean | 'hard'): number;
}

export interface ImpactOptions {
  /** Per type index: 1 = follow. From GraphIndex.typeMask. */
  mask: Uint8Array;
  /** Report only CIs whose explanation path is at most this long. */
  maxDepth?: number | undefined;
  /** The nodes whose status says they are not running (CiAttrs.notRunning): as redundancy group members, already down. None when absent. */
  notRunning?: NotRunning | undefined;
}

const RUNNING = (): boolean => false;

/**
 * notRunningCounts' answers, per set of nodes not running (a CiAttrs' own, replaced when the CIs are
 * patched or rebuilt), per index (replaced when patched or rebuilt), per hard mask: they change only with
 * the data and the relationship types followed, not per question.
 */
const notRunningCache = new WeakMap<Int32Array, WeakMap<GraphIndex, Map<string, Int32Array>>>();

/**
 * Per group slot, its members (hard, per `hard`) not running: over the dependents of the nodes not running
 * only, counted once per index, set of nodes and mask (notRunningCache). Shared: a caller that changes the
 * counts takes a copy.
 */
export function notRunningCounts(index: GraphIndex, hard: Uint8Array, nodes: Int32Array): Int32Array {
  let byIndex = notRunningCache.get(nodes);
  if (!byIndex) notRunningCache.set(nodes, (byIndex = new WeakMap()));
  let byMask = byIndex.get(index);
  if (!byMask) byIndex.set(index, (byMask = new Map()));
  const key = hard.join('');
  const hit = byMask.get(key);
  if (hit) return hit;
  const { downRange, downSlots } = index;
  const counts = new Int32Array(index.groupCount);
  for (const v of nodes) {
    for (let k = downRange[2 * v]!, end = downRange[2 * v + 1]!; k < end; k++) {
      const g = downSlots[3 * k + 2]!;
      if (g >= 0 && hard[downSlots[3 * k + 1]!] === 1) counts[g]!++;
    }
  }
  byMask.set(key, counts);
  return counts;
}

/**
 * Group sizes and min_up for a query (GraphIndex.groupInfo layout): the
 * index's own when every hard type is followed, else counted afresh.
 */
function groupInfo(index: GraphIndex, hard: Uint8Array): Int32Array {
  let all = true;
  index.relTypes.forEach((t, i) => {
    if ((t.code === STRENGTH_HARD) !== (hard[i] === 1)) all = false;
  });
  if (all) return index.groupInfo;
  return groupInfoFor(index, (t) => hard[t] === 1);
}

function hardMask(index: GraphIndex, mask: Uint8Array): Uint8Array {
  return Uint8Array.from(index.relTypes, (t, i) => (mask[i] === 1 && t.code === STRENGTH_HARD ? 1 : 0));
}

function followMask(index: GraphIndex, mask: Uint8Array): Uint8Array {
  return Uint8Array.from(index.relTypes, (t, i) => (mask[i] === 1 && propagates(t.strength) ? 1 : 0));
}

function uniqueSources(index: GraphIndex, sources: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const s of sources) {
    if (s < 0 || s >= index.nodeCount) throw new RangeError(`Node ${s} is not in the impact index.`);
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

/** What goes down or is degraded when `sources` go down. */
export function downstreamImpact(index: GraphIndex, sources: readonly number[], options: ImpactOptions): ImpactRun {
  const maxDepth = options.maxDepth ?? Infinity;
  const n = index.nodeCount;
  const { downRange, downEdge, downSlots } = index;
  const hard = hardMask(index, options.mask);
  const follow = followMask(index, options.mask);
  const origins = uniqueSources(index, sources);
  const state = new Uint8Array(n);
  const info = groupInfo(index, hard);
  const notRunning = options.notRunning?.test ?? RUNNING;
  /** Members lost per group slot. */
  const lost = new Int32Array(index.groupCount);
  /** Members not up per group slot: not running, or lost. */
  const gone = options.notRunning ? notRunningCounts(index, hard, options.notRunning.nodes).slice() : new Int32Array(index.groupCount);
  const notRunningGroups: number[] = [];

  // Phase 1: the DOWN set, a least fixpoint. Every down node is expanded
  // once, and every hard grouped relationship from a down node counts one
  // lost member, so the group counts are complete for phase 2.
  const work = new Int32Array(n);
  let tail = 0;
  for (const s of origins) {
    state[s] = STATE_DOWN;
    work[tail++] = s;
  }
  for (let head = 0; head < tail; head++) {
    const p = work[head]!;
    // 1 or 0 once asked (p in a group), -1 before.
    let pNotRunning = -1;
    for (let k = downRange[2 * p]!, end = downRange[2 * p + 1]!; k < end; k++) {
      const j = 3 * k;
      if (hard[downSlots[j + 1]!] !== 1) continue;
      const x = downSlots[j]!;
      const g = downSlots[j + 2]!;
      if (g < 0) {
        if (state[x] !== STATE_DOWN) {
          state[x] = STATE_DOWN;
          work[tail++] = x;
        }
        continue;
      }
      // The groups the change reaches with members not running, for the answer to name them.
      if (lost[g]!++ === 0 && gone[g]! > 0) notRunningGroups.push(x, g);
      if (pNotRunning < 0) pNotRunning = notRunning(p) ? 1 : 0;
      // A member not running was counted already.
      if (pNotRunning === 0) gone[g]!++;
      // The group fails when fewer than min_up members remain up.
      const left = info[2 * g]! - gone[g]!;
      if (state[x] !== STATE_DOWN && left < info[2 * g + 1]!) {
        state[x] = STATE_DOWN;
        work[tail++] = x;
      }
    }
  }

  // Phase 2: breadth-first from the origins, entering a down node only
  // through a relationship that explains it.
  const depth = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const order = work; // reused: phase 1 is done with it
  let count = 0;
  for (const s of origins) {
    depth[s] = 0;
    order[count++] = s;
  }
  for (let head = 0; head < count; head++) {
    const p = order[head]!;
    const d = depth[p]!;
    if (d >= maxDepth) continue;
    const pDown = state[p] === STATE_DOWN;
    for (let k = downRange[2 * p]!, end = downRange[2 * p + 1]!; k < end; k++) {
      const j = 3 * k;
      const t = downSlots[j + 1]!;
      if (follow[t] !== 1) continue;
      const x = downSlots[j]!;
      if (depth[x] !== -1) continue;
      if (state[x] === STATE_DOWN) {
        if (!pDown || hard[t] !== 1) continue;
        const g = downSlots[j + 2]!;
        if (g >= 0 && info[2 * g]! - gone[g]! >= info[2 * g + 1]!) continue;
      } else {
        state[x] = STATE_DEGRADED;
      }
      depth[x] = d + 1;
      parent[x] = p;
      order[count++] = x;
    }
  }
  // Nodes beyond a depth limit keep their phase-1 state; report only reached ones.
  // The first relationship from the parent the search could enter x by: the one it took.
  const edgeTo = (x: number): number => {
    const p = parent[x]!;
    if (p < 0) return -1;
    const xDown = state[x] === STATE_DOWN;
    for (let k = downRange[2 * p]!, end = downRange[2 * p + 1]!; k < end; k++) {
      const j = 3 * k;
      const t = downSlots[j + 1]!;
      if (downSlots[j] !== x || follow[t] !== 1) continue;
      if (xDown) {
        if (hard[t] !== 1) continue;
        const g = downSlots[j + 2]!;
        if (g >= 0 && info[2 * g]! - gone[g]! >= info[2 * g + 1]!) continue;
      }
      return downEdge[k]!;
    }
    return -1;
  };
  return {
    direction: 'downstream',
    sources: origins,
    order,
    count,
    state,
    depth,
    parent,
    edgeTo,
    hard,
    groupInfo: info,
    lost,
    notRunning,
    notRunningGroups,
  };
}

/**
 * Everything `sources` depend on, transitively (root cause, planning). A
 * dependency is DOWN (a single point of failure) exactly when its failure
 * alone takes an origin down by the downstream rules, through nested
 * redundancy groups too (members not running already down, so a group with
 * one member left running makes that one a single point); otherwise DEGRADED. Paths run from the origin to
 * the dependency: a single point on a chain of critical steps (every step
 * ungrouped hard, or in a group that cannot lose one member) has that chain
 * as its path; one found only through redundancy (see spof.ts) its shortest
 * chain of hard followed steps; a DEGRADED dependency its shortest path over
 * the followed relationships.
 */
export function upstreamImpact(index: GraphIndex, sources: readonly number[], options: ImpactOptions): ImpactRun {
  const maxDepth = options.maxDepth ?? Infinity;
  const n = index.nodeCount;
  const { upRange, upEdge, upSlots } = index;
  const hard = hardMask(index, options.mask);
  const follow = followMask(index, options.mask);
  const origins = uniqueSources(index, sources);
  const info = groupInfo(index, hard);
  const notRunning = options.notRunning?.test ?? RUNNING;
  /** Members not running per group slot. */
  const idle = options.notRunning ? notRunningCounts(index, hard, options.notRunning.nodes) : null;
  const idleIn = (g: number): number => (idle === null ? 0 : idle[g]!);
  /**
   * A step from x whose loss alone takes x down: ungrouped, or in a group left with fewer than min_up up (the
   * members not running are down already; losing one of them takes nothing more, as downstream).
   */
  const critical = (k: number): boolean => {
    if (hard[upSlots[3 * k + 1]!] !== 1) return false;
    const g = upSlots[3 * k + 2]!;
    return g < 0 || info[2 * g]! - idleIn(g) - (notRunning(upSlots[3 * k]!) ? 0 : 1) < info[2 * g + 1]!;
  };

  const state = new Uint8Array(n);
  const depth = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  const order = new Int32Array(n);
  let count = 0;
  for (const s of origins) {
    depth[s] = 0;
    order[count++] = s;
  }
  // Pass 1: critical chains (DOWN), in full: a dependency critical beyond
  // the depth limit must not be reported as degraded within it.
  for (let head = 0; head < count; head++) {
    const x = order[head]!;
    const d = depth[x]!;
    for (let k = upRange[2 * x]!, end = upRange[2 * x + 1]!; k < end; k++) {
      const p = upSlots[3 * k]!;
      if (depth[p] !== -1 || !critical(k)) continue;
      state[p] = STATE_DOWN;
      depth[p] = d + 1;
      parent[p] = x;
      parentEdge[p] = upEdge[k]!;
      order[count++] = p;
    }
  }
  const chainCount = count;
  // Pass 2: every followed relationship, in full, from scratch so depths
  // stay shortest: the paths of the dependencies pass 1 did not reach.
  const depth2 = new Int32Array(n).fill(-1);
  const parent2 = new Int32Array(n).fill(-1);
  const edge2 = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let qn = 0;
  for (const s of origins) {
    depth2[s] = 0;
    queue[qn++] = s;
  }
  for (let head = 0; head < qn; head++) {
    const x = queue[head]!;
    const d = depth2[x]!;
    for (let k = upRange[2 * x]!, end = upRange[2 * x + 1]!; k < end; k++) {
      if (follow[upSlots[3 * k + 1]!] !== 1) continue;
      const p = upSlots[3 * k]!;
      if (depth2[p] !== -1) continue;
      depth2[p] = d + 1;
      parent2[p] = x;
      edge2[p] = upEdge[k]!;
      queue[qn++] = p;
    }
  }
  // The single points of failure no critical chain reaches (behind nested redundancy).
  const known = new Uint8Array(n);
  for (let i = 0; i < chainCount; i++) known[order[i]!] = 1;
  const shared = new Uint8Array(n);
  const points = sharedSinglePoints(index, origins, { hard, info, known, notRunning, idleIn });
  for (const p of points.found) {
    shared[p] = 1;
    state[p] = STATE_DOWN;
  }
  let kept = 0;
  for (let i = 0; i < chainCount; i++) {
    const v = order[i]!;
    if (depth[v]! <= maxDepth) order[kept++] = v;
  }
  count = kept;
  for (let i = 0; i < qn; i++) {
    const p = queue[i]!;
    if (depth[p] !== -1) continue;
    // A shared single point's path is its chain of hard steps; a degraded node's, its pass-2 chain.
    const d = shared[p] === 1 ? points.depth[p]! : depth2[p]!;
    if (d > maxDepth) continue;
    if (shared[p] !== 1) state[p] = STATE_DEGRADED;
    depth[p] = d;
    order[count++] = p;
  }
  const notRunningGroups = idle === null ? [] : weighedGroups(index, hard, idle, order, count, (x) => depth[x]! < maxDepth);
  // A degraded node's path is its pass-2 chain, which may run through down
  // nodes by a different (shorter) way than their own critical path.
  const edgeTo = (v: number, alt: boolean | 'hard' = false): number =>
    alt === 'hard' ? points.edge[v]! : alt ? edge2[v]! : parentEdge[v]!;
  return {
    direction: 'upstream',
    sources: origins,
    order,
    count,
    state,
    depth,
    parent,
    altParent: parent2,
    shared,
    hardParent: points.parent,
    edgeTo,
    hard,
    groupInfo: info,
    notRunning,
    notRunningGroups,
  };
}

/**
 * Upstream, the groups with members not running (`idle` per slot) among the hard steps of the listed CIs (`order`'s
 * first `count`) that `within` keeps: pairs (dependent node, group slot), each slot once. Every such group is
 * weighed (pass 1 asks of every step whether it is critical), not only those of the steps a path took: with
 * parallel relationships, which of them a path takes depends on the order the index holds them in.
 */
function weighedGroups(
  index: GraphIndex,
  hard: Uint8Array,
  idle: Int32Array,
  order: Int32Array,
  count: number,
  within: (node: number) => boolean,
): number[] {
  const { upRange, upSlots } = index;
  const seen = new Uint8Array(index.groupCount);
  const pairs: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = order[i]!;
    if (!within(x)) continue;
    for (let k = upRange[2 * x]!, end = upRange[2 * x + 1]!; k < end; k++) {
      const g = upSlots[3 * k + 2]!;
      if (g < 0 || seen[g] === 1 || idle[g] === 0 || hard[upSlots[3 * k + 1]!] !== 1) continue;
      seen[g] = 1;
      pairs.push(x, g);
    }
  }
  return pairs;
}

/** Which parents a node's explanation path follows: its own search's, pass 2's (upstream DEGRADED) or the hard closure's (shared single points). */
function pathMode(run: ImpactRun, node: number): boolean | 'hard' {
  if (run.shared?.[node] === 1) return 'hard';
  return run.altParent !== undefined && run.state[node] === STATE_DEGRADED;
}

/**
 * The explanation path of a reached node: nodes from its origin to it, and
 * per step after the first the relationship (edge number) taken.
 */
export function pathOf(run: ImpactRun, node: number): { nodes: number[]; edges: number[] } {
  const mode = pathMode(run, node);
  const par = mode === 'hard' ? run.hardParent! : mode ? run.altParent! : run.parent;
  const nodes: number[] = [];
  const edges: number[] = [];
  for (let v = node; v !== -1; v = par[v]!) {
    nodes.push(v);
    if (par[v] !== -1) edges.push(run.edgeTo(v, mode));
  }
  return { nodes: nodes.reverse(), edges: edges.reverse() };
}
