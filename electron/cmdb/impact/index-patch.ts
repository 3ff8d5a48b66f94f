/**
 * A graph index patched after edits, instead of rebuilt: given the CIs that
 * may be new and, for each dependent CI an edit touched, every relationship
 * it depends through as stored now (index-journal.ts reads both), makes a
 * new GraphIndex from the old one in time proportional to the edit plus one
 * copy of the per-node start/end arrays.
 *
 * The old index is never written to (an analysis holding it reads what it
 * read before): new edges, new group slots and the moved lists are appended
 * to the shared arrays (typed-room.ts), and a CI whose lists changed gets
 * its range pointed at the new copy. A relationship that did not change
 * keeps its edge number and a redundancy group whose members did not change
 * keeps its slot, so a dependency's list of dependents moves only when a
 * relationship to it was added, removed or changed. New CIs get the node
 * numbers after the last one. Returns null when patching would not pay or
 * cannot be exact (a new id inside a compact numbering, too many ids at
 * once, too much left unreachable): the caller rebuilds.
 */
import { binarySearch, GraphIndex, STRENGTH_HARD } from './graph-index.js';
import type { JournalMarks } from './index-journal.js';
import { extendView } from './typed-room.js';

/** One relationship of a dependent CI as stored now, oriented by its type. */
export interface DependencyRow {
  /** SQLite id of the CI depended on. */
  dependency: number;
  /** Type index in the index's relTypes. */
  type: number;
  /** Redundancy group label; null or '' when none. */
  label: string | null;
  /** min_up, 0 when not given. */
  minUp: number;
}

export interface IndexEdit {
  /** SQLite ids of CIs that exist now and the index may not know yet. */
  newCis: readonly number[];
  /** Per dependent CI (SQLite id): every relationship it depends through now (empty for a deleted CI). */
  dependencies: ReadonlyMap<number, readonly DependencyRow[]>;
}

interface Numbering {
  nodeCount: number;
  ids: Int32Array | Float64Array | null;
  toNode: Int32Array;
  fromNode: Int32Array;
  nodeOf: (id: number) => number;
}

/** The old numbering with the new CIs appended, or null when they do not fit at the end. */
function extendNumbering(old: GraphIndex, newCis: readonly number[]): Numbering | null {
  const fresh = [...new Set(newCis.filter((id) => old.nodeOf(id) < 0))].sort((a, b) => a - b);
  const n = old.nodeCount;
  let { ids, toNode, fromNode } = old;
  let nodeCount = n;
  if (fresh.length > 0) {
    if (ids === null) {
      const top = fresh[fresh.length - 1]!;
      if (fresh[0]! < n || top >= 0x7fffffff || top + 1 - n > Math.max(4096, n >> 2)) return null;
      nodeCount = top + 1;
    } else {
      if (fresh[0]! <= (ids.length > 0 ? ids[ids.length - 1]! : -Infinity) || fresh.length > Math.max(4096, n >> 2)) return null;
      if (ids instanceof Int32Array && fresh[fresh.length - 1]! >= 0x7fffffff) return null;
      ids = extendView(ids, fresh.length);
      ids.set(fresh, n);
      nodeCount = n + fresh.length;
    }
    // Appended nodes keep their base number: base b is node b.
    toNode = extendView(toNode, nodeCount - n);
    fromNode = extendView(fromNode, nodeCount - n);
    for (let b = n; b < nodeCount; b++) {
      toNode[b] = b;
      fromNode[b] = b;
    }
  }
  const idsNow = ids;
  const toNodeNow = toNode;
  const nodeOf = (id: number): number => {
    const base = idsNow === null ? (Number.isInteger(id) && id >= 0 && id < nodeCount ? id : -1) : binarySearch(idsNow, id);
    return base < 0 ? -1 : toNodeNow[base]!;
  };
  return { nodeCount, ids, toNode, fromNode, nodeOf };
}

/** What the patch appends: edges, group slots, moved dependency lists and changes to lists of dependents. */
class Appends {
  readonly edges: number[] = []; // 5 per edge: type, group, minUp, dependent, dependency
  readonly groups: number[] = []; // 2 per slot: hard members, min_up
  readonly upLists = new Map<number, number[]>(); // node -> 4 per slot: edge, dependency, type, group
  readonly downChanges = new Map<number, { removed: Set<number>; added: number[] }>(); // added: 4 per slot: edge, dependent, type, group
  live: number;

  constructor(
    readonly old: GraphIndex,
    readonly hard: (type: number) => boolean,
  ) {
    this.live = old.liveEdges;
  }

  edge(type: number, group: number, minUp: number, dependent: number, dependency: number): number {
    const e = this.old.edgeCount + this.edges.length / 5;
    this.edges.push(type, group, minUp, dependent, dependency);
    this.down(dependency).added.push(e, dependent, type, group);
    this.live++;
    return e;
  }

  remove(e: number, dependency: number): void {
    this.down(dependency).removed.add(e);
    this.live--;
  }

  group(members: ReadonlyArray<{ type: number; minUp: number }>): number {
    const g = this.old.groupCount + this.groups.length / 2;
    let count = 0;
    let minUp = 1;
    for (const m of members) {
      if (!this.hard(m.type)) continue;
      count++;
      if (m.minUp > minUp) minUp = m.minUp;
    }
    this.groups.push(count, minUp);
    return g;
  }

  private down(u: number): { removed: Set<number>; added: number[] } {
    let c = this.downChanges.get(u);
    if (!c) this.downChanges.set(u, (c = { removed: new Set(), added: [] }));
    return c;
  }
}

/** Replaces the list of dependencies of node x by `rows` (dependency nodes resolved), keeping what did not change. */
function replaceDependencies(
  a: Appends,
  x: number,
  rows: ReadonlyArray<{ u: number; type: number; label: string | null; minUp: number }>,
): void {
  const { upRange, upSlots, upEdge, edgeMinUp } = a.old;
  const from = x < a.old.nodeCount ? upRange[2 * x]! : 0;
  const to = x < a.old.nodeCount ? upRange[2 * x + 1]! : 0;
  const oldAt = new Map<number, number>();
  const oldGroupSize = new Map<number, number>();
  for (let k = from; k < to; k++) {
    oldAt.set(upSlots[3 * k]! * 65536 + upSlots[3 * k + 1]!, k);
    const g = upSlots[3 * k + 2]!;
    if (g >= 0) oldGroupSize.set(g, (oldGroupSize.get(g) ?? 0) + 1);
  }
  const keptAt = new Set<number>();
  const fresh: number[] = []; // 4 per slot: edge, dependency, type, group
  const matched = (r: { u: number; type: number }) => oldAt.get(r.u * 65536 + r.type);
  const byLabel = new Map<string, Array<(typeof rows)[number]>>();
  for (const r of rows) {
    if (r.label === null || r.label === '') {
      const k = matched(r);
      if (k !== undefined && upSlots[3 * k + 2]! < 0 && edgeMinUp[upEdge[k]!] === r.minUp) keptAt.add(k);
      else fresh.push(a.edge(r.type, -1, r.minUp, x, r.u), r.u, r.type, -1);
      continue;
    }
    let members = byLabel.get(r.label);
    if (!members) byLabel.set(r.label, (members = []));
    members.push(r);
  }
  const claimed = new Set<number>();
  for (const members of byLabel.values()) {
    const at = members.map(matched);
    const g = at[0] === undefined ? -1 : upSlots[3 * at[0] + 2]!;
    const same =
      g >= 0 &&
      !claimed.has(g) &&
      oldGroupSize.get(g) === members.length &&
      at.every((k, i) => k !== undefined && upSlots[3 * k + 2] === g && edgeMinUp[upEdge[k]!] === members[i]!.minUp);
    if (same) {
      claimed.add(g);
      for (const k of at) keptAt.add(k!);
      continue;
    }
    const slot = a.group(members);
    for (const r of members) fresh.push(a.edge(r.type, slot, r.minUp, x, r.u), r.u, r.type, slot);
  }
  if (fresh.length === 0 && keptAt.size === to - from) return;
  const list: number[] = [];
  for (let k = from; k < to; k++) {
    if (keptAt.has(k)) list.push(upEdge[k]!, upSlots[3 * k]!, upSlots[3 * k + 1]!, upSlots[3 * k + 2]!);
    else a.remove(upEdge[k]!, upSlots[3 * k]!);
  }
  list.push(...fresh);
  a.upLists.set(x, list);
}

/** Copies `range` for `nodeCount` nodes (new ones empty) and appends the moved lists to `edge`/`slots`. */
function moveLists(
  range: Int32Array,
  edge: Int32Array,
  slots: Int32Array,
  nodeCount: number,
  lists: ReadonlyMap<number, readonly number[]>,
): { range: Int32Array; edge: Int32Array; slots: Int32Array } {
  const out = new Int32Array(2 * nodeCount);
  out.set(range);
  let total = 0;
  for (const l of lists.values()) total += l.length / 4;
  let k = edge.length;
  const e2 = extendView(edge, total);
  const s2 = extendView(slots, 3 * total);
  for (const [v, l] of lists) {
    out[2 * v] = k;
    for (let i = 0; i < l.length; i += 4, k++) {
      e2[k] = l[i]!;
      s2[3 * k] = l[i + 1]!;
      s2[3 * k + 1] = l[i + 2]!;
      s2[3 * k + 2] = l[i + 3]!;
    }
    out[2 * v + 1] = k;
  }
  return { range: out, edge: e2, slots: s2 };
}

/** The lists of dependents that changed, each rewritten whole: old slots minus the removed edges, then the added ones. */
function downLists(old: GraphIndex, changes: Appends['downChanges']): Map<number, number[]> {
  const lists = new Map<number, number[]>();
  const { downRange, downEdge, downSlots } = old;
  for (const [u, c] of changes) {
    const list: number[] = [];
    if (u < old.nodeCount) {
      for (let k = downRange[2 * u]!, end = downRange[2 * u + 1]!; k < end; k++) {
        if (c.removed.has(downEdge[k]!)) continue;
        list.push(downEdge[k]!, downSlots[3 * k]!, downSlots[3 * k + 1]!, downSlots[3 * k + 2]!);
      }
    }
    list.push(...c.added);
    lists.set(u, list);
  }
  return lists;
}

/** Appends `values` (stride `stride`, field `at`) to a typed array. */
function appendField<T extends Int32Array | Uint16Array>(a: T, values: readonly number[], stride: number, at: number): T {
  const n = values.length / stride;
  const out = extendView(a, n);
  for (let i = 0; i < n; i++) out[a.length + i] = values[stride * i + at]!;
  return out;
}

/** The index after the edit, or null when the caller should rebuild instead (see the file comment). */
export function patchIndex(old: GraphIndex, edit: IndexEdit, stamp: string, marks: JournalMarks): GraphIndex | null {
  const t0 = performance.now();
  const numbering = extendNumbering(old, edit.newCis);
  if (numbering === null) return null;
  const a = new Appends(old, (t) => old.relTypes[t]!.code === STRENGTH_HARD);
  for (const [ciId, rows] of edit.dependencies) {
    const x = numbering.nodeOf(ciId);
    if (x < 0) {
      if (rows.length === 0) continue;
      return null;
    }
    const resolved = rows.map((r) => ({ u: numbering.nodeOf(r.dependency), type: r.type, label: r.label, minUp: r.minUp }));
    if (resolved.some((r) => r.u < 0 || r.type < 0 || r.type >= old.relTypes.length)) return null;
    replaceDependencies(a, x, resolved);
  }
  const up = moveLists(old.upRange, old.upEdge, old.upSlots, numbering.nodeCount, a.upLists);
  const down = moveLists(old.downRange, old.downEdge, old.downSlots, numbering.nodeCount, downLists(old, a.downChanges));
  // Rebuild rather than let unreachable slots outgrow the live ones.
  if (down.edge.length - a.live > a.live + 65536 || up.edge.length - a.live > a.live + 65536) return null;
  const g = a.groups;
  const groupInfo = extendView(old.groupInfo, g.length);
  groupInfo.set(g, old.groupInfo.length);
  return GraphIndex.assemble({
    nodeCount: numbering.nodeCount,
    relTypes: [...old.relTypes],
    edgeType: appendField(old.edgeType, a.edges, 5, 0),
    edgeGroup: appendField(old.edgeGroup, a.edges, 5, 1),
    edgeMinUp: appendField(old.edgeMinUp, a.edges, 5, 2),
    edgeDependent: appendField(old.edgeDependent, a.edges, 5, 3),
    edgeDependency: appendField(old.edgeDependency, a.edges, 5, 4),
    liveEdges: a.live,
    groupCount: old.groupCount + g.length / 2,
    groupInfo,
    down,
    up,
    ids: numbering.ids,
    toNode: numbering.toNode,
    fromNode: numbering.fromNode,
    buildMs: performance.now() - t0,
    reader: 'patched',
    stamp,
    marks,
  });
}
