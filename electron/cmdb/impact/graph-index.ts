/**
 * An in-memory index of the relationship graph for impact analysis: compact
 * typed arrays in CSR form (no object per edge), built from SQLite in one
 * pass over `relationships`.
 *
 * Every relationship is stored once as an edge, oriented by its type's
 * dependent end: `edgeDependent[e]` depends on `edgeDependency[e]`. Two
 * adjacency lists index the edges: for each CI, its dependents (downstream)
 * and its dependencies (upstream), each CI's list one run of slots given by
 * a start and an end (CSR, with the end kept apart so an edit can move one
 * CI's list; see index-patch.ts). Each adjacency slot carries copies of what
 * the engine reads in its inner loop (the CI at the other end, the type, the
 * redundancy group), so a traversal reads memory in order.
 *
 * An index patched after an edit shares these arrays with the one it came
 * from and only appends to them (typed-room.ts): edge numbers and group
 * slots it no longer uses stay allocated but unreachable from any list.
 *
 * A redundancy group is one dependent CI's hard dependencies sharing a label;
 * each (dependent, label) pair gets a dense group slot number.
 *
 * Nodes are SQLite CI ids when they are dense enough (the usual case: ids are
 * assigned by SQLite), otherwise a compact numbering kept in a sorted array.
 */
import { propagates, type Strength } from '../../../shared/domain.js';
import type { Db } from '../db.js';
import { dataStamp } from '../data-stamp.js';
import { type JournalMarks, readMarks } from './index-journal.js';
import { adopt, roomy, withRoom } from './typed-room.js';

/** Strength codes stored per relationship type. */
export const STRENGTH_NONE = 0;
export const STRENGTH_SOFT = 1;
export const STRENGTH_HARD = 2;

export interface IndexRelType {
  name: string;
  dependent: 'source' | 'target';
  strength: Strength;
  /** STRENGTH_NONE | STRENGTH_SOFT | STRENGTH_HARD */
  code: number;
}

export interface GraphIndexOptions {
  /** Use SQLite ids as node numbers when max(id) <= this factor * count(cis) + 1024 (default 4). */
  denseFactor?: number;
  /** Read relationships row by row even when the packed read would do (for tests of both readers). */
  forceRowReader?: boolean;
}

interface Csr {
  /** Per node v: its slots are [range[2v], range[2v+1]). */
  range: Int32Array;
  /** Edge number per slot. */
  edge: Int32Array;
  /** Three integers per slot, side by side so a traversal reads one cache line: the CI at the other end, the type index, the group slot (-1 when ungrouped). */
  slots: Int32Array;
}

/** Everything an index is made of; see the fields of GraphIndex. */
export interface GraphIndexParts {
  nodeCount: number;
  relTypes: IndexRelType[];
  edgeType: Uint16Array;
  edgeGroup: Int32Array;
  edgeMinUp: Int32Array;
  edgeDependent: Int32Array;
  edgeDependency: Int32Array;
  liveEdges: number;
  groupCount: number;
  groupInfo: Int32Array;
  down: Csr;
  up: Csr;
  ids: Int32Array | Float64Array | null;
  toNode: Int32Array;
  fromNode: Int32Array;
  buildMs: number;
  reader: 'packed' | 'rows' | 'patched';
  stamp: string;
  marks: JournalMarks;
}

/**
 * The relationship type whose relationships without a redundancy group still make one: a cluster's members
 * (`member_of`, the cluster depending on each) without a `redundancy_group` are one implicit group of the cluster's
 * that needs 1 up (docs/impact.md), as a cluster survives the loss of one of its members. Its label in the index:
 * IMPLICIT_GROUP_LABEL, which no relationship can store (a label is never the empty text's NUL).
 */
export const IMPLICIT_GROUP_TYPE = 'member_of';
export const IMPLICIT_GROUP_LABEL = '\u0000members';

/** Room left at build for edits to append edges and relocated lists into (typed-room.ts). */
export function roomFor(m: number): number {
  return Math.max(4096, m >> 4);
}

/** The last index built on each connection, for IndexHolder to reuse instead of building a second one. */
const lastBuilt = new WeakMap<Db, WeakRef<GraphIndex>>();
let buildSerial = 0;

function strengthCode(s: Strength): number {
  return s === 'hard' ? STRENGTH_HARD : s === 'soft' ? STRENGTH_SOFT : STRENGTH_NONE;
}

export class GraphIndex {
  /** Number of node slots (some may be unused ids). */
  readonly nodeCount: number;
  /** Edge numbers in use: the relationships indexed, plus, in a patched index, the ones edits replaced (unreachable). */
  readonly edgeCount: number;
  /** Relationships indexed. */
  readonly liveEdges: number;
  /** Relationship types, by type index. */
  readonly relTypes: readonly IndexRelType[];
  /** Type index per edge. */
  readonly edgeType: Uint16Array;
  /** Group slot per edge (one per dependent CI and label), -1 when ungrouped. */
  readonly edgeGroup: Int32Array;
  /** min_up per edge, 0 when not given. */
  readonly edgeMinUp: Int32Array;
  /** Node that depends on the other end, per edge. */
  readonly edgeDependent: Int32Array;
  /** Node depended on, per edge. */
  readonly edgeDependency: Int32Array;
  /** Number of group slots. */
  readonly groupCount: number;
  /**
   * Per group slot g, for the default types (every hard type followed):
   * [2g] its hard members, [2g+1] its min_up (the largest given, default 1).
   */
  readonly groupInfo: Int32Array;
  /**
   * Downstream: for node v, slots k in downRange[2v] .. downRange[2v+1] are
   * the edges where v is the dependency: downEdge[k] is the edge, and
   * downSlots[3k], [3k+1], [3k+2] its dependent, type index and group slot.
   */
  readonly downRange: Int32Array;
  readonly downEdge: Int32Array;
  readonly downSlots: Int32Array;
  /** Upstream: the same for the edges where v is the dependent (upSlots[3k] is the dependency). */
  readonly upRange: Int32Array;
  readonly upEdge: Int32Array;
  readonly upSlots: Int32Array;
  /** Sorted SQLite ids when the base numbering is compact; null when base = SQLite id. */
  readonly ids: Int32Array | Float64Array | null;
  /** Base number (SQLite id or its rank) -> node, and back. */
  readonly toNode: Int32Array;
  readonly fromNode: Int32Array;
  private readonly typeByName: Map<string, number>;
  /** Milliseconds the build (or the patch) took. */
  readonly buildMs: number;
  /** Which reader loaded the relationships; 'patched' for an index patched after edits (index-patch.ts). */
  readonly reader: 'packed' | 'rows' | 'patched';
  /** The connection's dataStamp when the build began reading. */
  readonly stamp: string;
  /** Where the CMDB stood when the build read it, for patching after edits (index-journal.ts). */
  readonly marks: JournalMarks;
  /** Builds in this process are numbered in order. */
  readonly serial: number;

  private constructor(init: GraphIndexParts) {
    this.nodeCount = init.nodeCount;
    this.edgeCount = init.edgeType.length;
    this.liveEdges = init.liveEdges;
    this.relTypes = init.relTypes;
    this.edgeType = init.edgeType;
    this.edgeGroup = init.edgeGroup;
    this.edgeMinUp = init.edgeMinUp;
    this.edgeDependent = init.edgeDependent;
    this.edgeDependency = init.edgeDependency;
    this.groupCount = init.groupCount;
    this.groupInfo = init.groupInfo;
    this.downRange = init.down.range;
    this.downEdge = init.down.edge;
    this.downSlots = init.down.slots;
    this.upRange = init.up.range;
    this.upEdge = init.up.edge;
    this.upSlots = init.up.slots;
    this.ids = init.ids;
    this.toNode = init.toNode;
    this.fromNode = init.fromNode;
    this.buildMs = init.buildMs;
    this.reader = init.reader;
    this.stamp = init.stamp;
    this.marks = init.marks;
    this.serial = ++buildSerial;
    this.typeByName = new Map(init.relTypes.map((t, i) => [t.name, i]));
  }

  /** An index from its parts (index-patch.ts makes one from an older index and an edit). */
  static assemble(parts: GraphIndexParts): GraphIndex {
    return new GraphIndex(parts);
  }

  /** Builds the index from the CMDB, reading every relationship once (in one read transaction). */
  static build(db: Db, options: GraphIndexOptions = {}): GraphIndex {
    const index = db.transaction(() => GraphIndex.buildInTransaction(db, options))();
    lastBuilt.set(db, new WeakRef(index));
    return index;
  }

  /** The last index built on this connection, if still in memory (it may be stale: compare its stamp). */
  static lastBuiltOn(db: Db): GraphIndex | null {
    return lastBuilt.get(db)?.deref() ?? null;
  }

  private static buildInTransaction(db: Db, options: GraphIndexOptions): GraphIndex {
    const t0 = performance.now();
    const stamp = dataStamp(db);
    const marks = readMarks(db);
    const relTypes: IndexRelType[] = [];
    const typeRows = db.prepare('SELECT rowid, name, dependent, strength FROM rel_types ORDER BY name').raw().all() as Array<
      [number, string, 'source' | 'target', Strength]
    >;
    let maxTypeRowid = 0;
    for (const [rowid] of typeRows) maxTypeRowid = Math.max(maxTypeRowid, rowid);
    const typeByRowid = new Int32Array(maxTypeRowid + 1).fill(-1);
    for (const [rowid, name, dependent, strength] of typeRows) {
      typeByRowid[rowid] = relTypes.length;
      relTypes.push({ name, dependent, strength, code: strengthCode(strength) });
    }
    if (relTypes.length > 0xffff) throw new Error('Too many relationship types for the impact index (more than 65535).');
    const sourceIsDependent = new Uint8Array(relTypes.length);
    relTypes.forEach((t, i) => (sourceIsDependent[i] = t.dependent === 'source' ? 1 : 0));

    const { n: ciCount, maxId } = db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS maxId FROM cis').get() as {
      n: number;
      maxId: number;
    };
    let ids: Int32Array | Float64Array | null = null;
    let nodeCount: number;
    if (maxId <= (options.denseFactor ?? 4) * ciCount + 1024 && maxId < 0x7fffffff) {
      nodeCount = maxId + 1;
    } else {
      const all = maxId < 0x7fffffff ? new Int32Array(ciCount) : new Float64Array(ciCount);
      let i = 0;
      for (const id of db.prepare('SELECT id FROM cis ORDER BY id').pluck().iterate() as IterableIterator<number>) all[i++] = id;
      ids = all;
      nodeCount = ciCount;
    }

    const { m: relCount } = db.prepare('SELECT count(*) AS m FROM relationships').get() as { m: number };
    const room = roomFor(relCount);
    const edges = new EdgeBuffer(relCount + room);
    const idBits = bitLength(maxId);
    const typeBits = bitLength(maxTypeRowid);
    const packed = !options.forceRowReader && 2 * idBits + typeBits <= 53;
    if (packed) readPacked(db, edges, idBits, typeBits, typeByRowid, maxId);
    else readRows(db, edges, typeByRowid);
    // Members of a cluster without a redundancy group: one implicit group per cluster (IMPLICIT_GROUP_TYPE).
    const implicitType = relTypes.findIndex((t) => t.name === IMPLICIT_GROUP_TYPE && t.code === STRENGTH_HARD);
    if (implicitType >= 0) {
      const implicitLabel = edges.labelCount++;
      for (let e = 0; e < edges.length; e++) if (edges.label[e]! < 0 && edges.type[e] === implicitType) edges.label[e] = implicitLabel;
    }

    // Orient by each type's dependent end and map SQLite ids to nodes.
    const m = edges.length;
    const edgeDependent = roomy(Int32Array, m, room);
    const edgeDependency = roomy(Int32Array, m, room);
    for (let e = 0; e < m; e++) {
      const s = ids === null ? edges.source[e]! : binarySearch(ids, edges.source[e]!);
      const t = ids === null ? edges.target[e]! : binarySearch(ids, edges.target[e]!);
      if (sourceIsDependent[edges.type[e]!] === 1) {
        edgeDependent[e] = s;
        edgeDependency[e] = t;
      } else {
        edgeDependent[e] = t;
        edgeDependency[e] = s;
      }
    }
    const edgeType = adopt(edges.type, m);
    const edgeMinUp = adopt(edges.minUp, m);

    // Number nodes in breadth-first order from the CIs that depend on nothing,
    // so the dependents of a CI sit side by side in every per-node array and a
    // traversal reads memory nearly in order (the index is bound by memory
    // latency at a million CIs, not by arithmetic).
    const { toNode, fromNode } = localityOrder(nodeCount, edgeDependent, edgeDependency, m);
    for (let e = 0; e < m; e++) {
      edgeDependent[e] = toNode[edgeDependent[e]!]!;
      edgeDependency[e] = toNode[edgeDependency[e]!]!;
    }

    const upOrder = countingSort(nodeCount, edgeDependent, m, room);
    // Group slots: one per (dependent, label), found among each CI's own dependencies.
    const edgeGroup = roomy(Int32Array, m, room).fill(-1);
    let groupCount = 0;
    const labels = edges.label;
    const labelCount = Math.max(1, edges.labelCount);
    const bigSlots = new Map<number, number>();
    for (let v = 0; v < nodeCount; v++) {
      const from = upOrder.range[2 * v]!;
      const to = upOrder.range[2 * v + 1]!;
      for (let k = from; k < to; k++) {
        const e = upOrder.edge[k]!;
        const label = labels[e]!;
        if (label < 0) continue;
        let slot = -1;
        if (to - from > 64) {
          // A CI with many dependencies (a large cluster): look labels up instead of scanning.
          slot = bigSlots.get(v * labelCount + label) ?? -1;
          if (slot < 0) bigSlots.set(v * labelCount + label, (slot = groupCount++));
          edgeGroup[e] = slot;
          continue;
        }
        for (let j = from; j < k; j++) {
          const f = upOrder.edge[j]!;
          if (labels[f] === label) {
            slot = edgeGroup[f]!;
            break;
          }
        }
        edgeGroup[e] = slot >= 0 ? slot : groupCount++;
      }
    }
    const up = withPayload(upOrder, edgeDependency, edgeType, edgeGroup, room);
    const down = withPayload(countingSort(nodeCount, edgeDependency, m, room), edgeDependent, edgeType, edgeGroup, room);
    const hardType = (t: number) => relTypes[t]!.code === STRENGTH_HARD;
    return new GraphIndex({
      nodeCount,
      relTypes,
      edgeType,
      edgeGroup,
      edgeMinUp,
      edgeDependent,
      edgeDependency,
      liveEdges: m,
      groupCount,
      groupInfo: withRoom(
        groupInfoFor({ nodeCount, groupCount, upRange: up.range, upSlots: up.slots, upEdge: up.edge, edgeMinUp }, hardType),
        4096,
      ),
      down,
      up,
      ids,
      toNode,
      fromNode,
      buildMs: performance.now() - t0,
      reader: packed ? 'packed' : 'rows',
      stamp,
      marks,
    });
  }

  /** The node number of a SQLite CI id, or -1 when the index does not know it. */
  nodeOf(ciId: number): number {
    const base =
      this.ids === null ? (Number.isInteger(ciId) && ciId >= 0 && ciId < this.nodeCount ? ciId : -1) : binarySearch(this.ids, ciId);
    return base < 0 ? -1 : this.toNode[base]!;
  }

  /** The SQLite CI id of a node number. */
  ciIdOf(node: number): number {
    const base = this.fromNode[node]!;
    return this.ids === null ? base : (this.ids[base] as number);
  }

  /** The type index of a relationship type name, or -1. */
  typeIndex(name: string): number {
    return this.typeByName.get(name) ?? -1;
  }

  /**
   * Which types propagate impact for a query: the named ones (their strength
   * still decides hard or soft; a type of a strength that does not propagate,
   * `none`, never does), or by default every type whose strength propagates
   * (shared/domain.ts). 1 = follow, 0 = ignore.
   */
  typeMask(names?: readonly string[] | null): Uint8Array {
    const mask = new Uint8Array(this.relTypes.length);
    this.relTypes.forEach((t, i) => {
      if (!propagates(t.strength)) return;
      if (!names || names.length === 0 || names.includes(t.name)) mask[i] = 1;
    });
    return mask;
  }
}

/**
 * Group sizes and min_up (layout of GraphIndex.groupInfo) counting as members
 * the relationships whose type `isHard` accepts. Counted over each CI's list
 * of dependencies, so edge numbers a patch left unreachable never count.
 */
export function groupInfoFor(
  index: Pick<GraphIndex, 'nodeCount' | 'groupCount' | 'upRange' | 'upSlots' | 'upEdge' | 'edgeMinUp'>,
  isHard: (type: number) => boolean,
): Int32Array {
  const { nodeCount, groupCount, upRange, upSlots, upEdge, edgeMinUp } = index;
  const info = new Int32Array(2 * groupCount);
  for (let g = 0; g < groupCount; g++) info[2 * g + 1] = 1;
  const hardTypes: number[] = [];
  for (let v = 0; v < nodeCount; v++) {
    for (let k = upRange[2 * v]!, end = upRange[2 * v + 1]!; k < end; k++) {
      const g = upSlots[3 * k + 2]!;
      if (g < 0) continue;
      const t = upSlots[3 * k + 1]!;
      if ((hardTypes[t] ??= isHard(t) ? 1 : 0) !== 1) continue;
      info[2 * g]!++;
      const minUp = edgeMinUp[upEdge[k]!]!;
      if (minUp > info[2 * g + 1]!) info[2 * g + 1] = minUp;
    }
  }
  return info;
}

/** Relationships as read, before orientation: SQLite ids, type index, interned label, min_up. */
class EdgeBuffer {
  source: Int32Array;
  target: Int32Array;
  type: Uint16Array;
  label: Int32Array;
  minUp: Int32Array;
  length = 0;
  /** Distinct labels interned. */
  labelCount = 0;
  private readonly labelIds = new Map<string, number>();

  constructor(private cap: number) {
    cap = Math.max(16, cap);
    this.cap = cap;
    this.source = new Int32Array(cap);
    this.target = new Int32Array(cap);
    this.type = new Uint16Array(cap);
    this.label = new Int32Array(cap).fill(-1);
    this.minUp = new Int32Array(cap);
  }

  push(source: number, target: number, type: number): number {
    if (this.length === this.cap) this.grow();
    const e = this.length++;
    this.source[e] = source;
    this.target[e] = target;
    this.type[e] = type;
    return e;
  }

  setGroup(e: number, label: string | null, minUp: number | null): void {
    if (label !== null && label !== '') {
      let g = this.labelIds.get(label);
      if (g === undefined) {
        g = this.labelIds.size;
        this.labelIds.set(label, g);
        this.labelCount = this.labelIds.size;
      }
      this.label[e] = g;
    }
    this.minUp[e] = minUp ?? 0;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Uint16Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as { new (n: number): T })(this.cap);
      if (fill !== 0) b.fill(fill);
      b.set(a);
      return b;
    };
    this.source = g(this.source);
    this.target = g(this.target);
    this.type = g(this.type);
    this.label = g(this.label, -1);
    this.minUp = g(this.minUp);
  }
}

/**
 * The two queries of the packed reader (exported for the query-plan test).
 * Each reads one range of source ids and returns one string: the
 * relationships of that range as comma-separated integers (source, target and
 * type rowid packed), or, for the grouped ones, `packed,min_up,label;` with
 * `\` and `;` in labels escaped by a `\`.
 * One row per range instead of one per relationship: crossing from SQLite to
 * JavaScript per row costs more than SQLite's scan itself.
 */
export function packedQueries(idBits: number, typeBits: number): { all: string; grouped: string } {
  const packedExpr = `((r.source_id * ${2 ** idBits} + r.target_id) * ${2 ** typeBits} + t.rowid)`;
  const range = 'r.source_id >= ? AND r.source_id < ?';
  return {
    all: `SELECT group_concat(${packedExpr}) FROM relationships r JOIN rel_types t ON t.name = r.type WHERE ${range}`,
    grouped: `SELECT group_concat(${packedExpr} || ',' || coalesce(r.min_up, 0) || ',' || coalesce(replace(replace(r.redundancy_group, '\\', '\\\\'), ';', '\\;'), '') || ';', '')
       FROM relationships r JOIN rel_types t ON t.name = r.type
       WHERE (r.redundancy_group IS NOT NULL OR r.min_up IS NOT NULL) AND ${range}`,
  };
}

/**
 * Redundancy group labels as dense numbers, interned straight from the
 * escaped text SQLite returns (one spelling per label): a hash of the characters finds the
 * candidates, a character comparison confirms, and a JS string is made only
 * once per distinct label.
 */
class LabelInterner {
  private readonly byHash = new Map<number, number | number[]>();
  private readonly texts: string[] = [];

  get size(): number {
    return this.texts.length;
  }

  /** The number of the label in s[from, to) (escaped text, non-empty). */
  intern(s: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const len = to - from;
    const hit = this.byHash.get(h);
    if (hit !== undefined) {
      if (typeof hit === 'number') {
        if (this.texts[hit]!.length === len && s.startsWith(this.texts[hit]!, from)) return hit;
      } else {
        for (const id of hit) if (this.texts[id]!.length === len && s.startsWith(this.texts[id]!, from)) return id;
      }
    }
    const id = this.texts.length;
    this.texts.push(s.slice(from, to));
    if (hit === undefined) this.byHash.set(h, id);
    else if (typeof hit === 'number') this.byHash.set(h, [hit, id]);
    else hit.push(id);
    return id;
  }
}

/**
 * The fast reader: for each range of source ids, one string of packed
 * relationships read through the covering index on (source_id, target_id,
 * type), then the range's grouped relationships (label, min_up) from their
 * partial index, matched to the edges just read by their packed value.
 */
function readPacked(db: Db, edges: EdgeBuffer, idBits: number, typeBits: number, typeByRowid: Int32Array, maxId: number): void {
  const idMul = 2 ** idBits;
  const typeMul = 2 ** typeBits;
  const sql = packedQueries(idBits, typeBits);
  const all = db.prepare(sql.all).pluck();
  const grouped = db.prepare(sql.grouped).pluck();
  const labels = new LabelInterner();
  // About 8192 ids per range, at most ~1000 ranges whatever the id range.
  const step = Math.max(8192, Math.ceil((maxId + 1) / 1024));
  for (let lo = 0; lo <= maxId; lo += step) {
    const text = all.get(lo, lo + step) as string | null;
    if (text === null) continue;
    const first = edges.length;
    let v = 0;
    for (let i = 0, n = text.length; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 44;
      if (c !== 44) {
        v = v * 10 + (c - 48);
        continue;
      }
      const typeRowid = v % typeMul;
      const st = (v - typeRowid) / typeMul;
      const target = st % idMul;
      edges.push((st - target) / idMul, target, typeByRowid[typeRowid]!);
      v = 0;
    }
    const g = grouped.get(lo, lo + step) as string | null;
    if (g !== null) matchGrouped(edges, first, g, labels, idMul, typeMul, typeByRowid);
  }
  edges.labelCount = labels.size;
}

/**
 * Sets label and min_up on the edges [first, edges.length) from a grouped
 * string. Both scans run in index order, so a forward walk finds each one;
 * should an order ever differ, a lookup by packed value takes over.
 */
function matchGrouped(
  edges: EdgeBuffer,
  first: number,
  g: string,
  labels: LabelInterner,
  idMul: number,
  typeMul: number,
  typeByRowid: Int32Array,
): void {
  const end = edges.length;
  const { source, target, type } = edges;
  let e = first;
  let byPacked: Map<string, number> | null = null;
  for (let i = 0, n = g.length; i < n;) {
    let v = 0;
    let c = g.charCodeAt(i);
    for (; c !== 44; c = g.charCodeAt(++i)) v = v * 10 + (c - 48);
    let minUp = 0;
    for (c = g.charCodeAt(++i); c !== 44; c = g.charCodeAt(++i)) minUp = minUp * 10 + (c - 48);
    const from = ++i;
    for (c = g.charCodeAt(i); c !== 59; c = g.charCodeAt(++i)) if (c === 92) i++;
    const label = i > from ? labels.intern(g, from, i) : -1;
    i++;
    const typeRowid = v % typeMul;
    const st = (v - typeRowid) / typeMul;
    const t = st % idMul;
    const s = (st - t) / idMul;
    const ty = typeByRowid[typeRowid]!;
    let at = -1;
    if (byPacked === null) {
      while (e < end && (source[e] !== s || target[e] !== t || type[e] !== ty)) e++;
      if (e < end) at = e++;
      else {
        byPacked = new Map();
        for (let k = first; k < end; k++) byPacked.set(`${source[k]!},${target[k]!},${type[k]!}`, k);
      }
    }
    if (byPacked !== null) at = byPacked.get(`${s},${t},${ty}`) ?? -1;
    if (at < 0) throw new Error('Impact index: a grouped relationship was not found in the full scan; rebuild the index.');
    edges.label[at] = label;
    edges.minUp[at] = minUp;
  }
}

/** The general reader (any id range): one row per relationship. */
function readRows(db: Db, edges: EdgeBuffer, typeByRowid: Int32Array): void {
  const stmt = db
    .prepare(
      `SELECT r.source_id, r.target_id, t.rowid, r.redundancy_group, r.min_up
       FROM relationships r JOIN rel_types t ON t.name = r.type`,
    )
    .raw();
  for (const row of stmt.iterate() as IterableIterator<[number, number, number, string | null, number | null]>) {
    const e = edges.push(row[0], row[1], typeByRowid[row[2]]!);
    if (row[3] !== null || row[4] !== null) edges.setGroup(e, row[3], row[4]);
  }
}

function bitLength(x: number): number {
  return x <= 0 ? 1 : Math.floor(Math.log2(x)) + 1;
}

/**
 * A numbering of the nodes in breadth-first order along the dependents,
 * starting from the nodes that depend on nothing (then from any node left,
 * for cycles), so that the dependents of a node get neighbouring numbers.
 */
function localityOrder(n: number, dependent: Int32Array, dependency: Int32Array, m: number): { toNode: Int32Array; fromNode: Int32Array } {
  const down = countingSort(n, dependency, m, 0);
  const hasDependency = new Uint8Array(n);
  for (let e = 0; e < m; e++) hasDependency[dependent[e]!] = 1;
  const toNode = new Int32Array(n).fill(-1);
  const fromNode = new Int32Array(n);
  let next = 0;
  let head = 0;
  const visit = (start: number) => {
    toNode[start] = next;
    fromNode[next++] = start;
    for (; head < next; head++) {
      const v = fromNode[head]!;
      for (let k = down.range[2 * v]!, end = down.range[2 * v + 1]!; k < end; k++) {
        const x = dependent[down.edge[k]!]!;
        if (toNode[x] !== -1) continue;
        toNode[x] = next;
        fromNode[next++] = x;
      }
    }
  };
  for (let v = 0; v < n; v++) if (hasDependency[v] === 0 && toNode[v] === -1) visit(v);
  for (let v = 0; v < n; v++) if (toNode[v] === -1) visit(v);
  return { toNode, fromNode };
}

/** Counting sort of edge numbers by one end: each node's range of slots (start, end) and the edge numbers, with `room` to grow. */
function countingSort(n: number, end: Int32Array, m: number, room: number): { range: Int32Array; edge: Int32Array } {
  const off = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) off[end[e]! + 1]!++;
  for (let v = 0; v < n; v++) off[v + 1]! += off[v]!;
  const range = new Int32Array(2 * n);
  for (let v = 0; v < n; v++) {
    range[2 * v] = off[v]!;
    range[2 * v + 1] = off[v + 1]!;
  }
  const fill = off.subarray(0, n);
  const edge = roomy(Int32Array, m, room);
  for (let e = 0; e < m; e++) edge[fill[end[e]!]!++] = e;
  return { range, edge };
}

function withPayload(
  sorted: { range: Int32Array; edge: Int32Array },
  other: Int32Array,
  edgeType: Uint16Array,
  edgeGroup: Int32Array,
  room: number,
): Csr {
  const m = sorted.edge.length;
  const slots = roomy(Int32Array, 3 * m, 3 * room);
  for (let k = 0, j = 0; k < m; k++, j += 3) {
    const e = sorted.edge[k]!;
    slots[j] = other[e]!;
    slots[j + 1] = edgeType[e]!;
    slots[j + 2] = edgeGroup[e]!;
  }
  return { range: sorted.range, edge: sorted.edge, slots };
}

/** The position of `x` in the sorted array `a`, or -1. */
export function binarySearch(a: Int32Array | Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
