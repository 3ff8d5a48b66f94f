/**
 * An in-memory index of the relationship graph for impact analysis: compact
 * typed arrays in CSR form (no object per edge), built from SQLite in one
 * pass over `relationships`.
 *
 * Every relationship is stored once, oriented by its type's dependent end:
 * `dependent[e]` depends on `dependency[e]`. Two adjacency lists point into
 * the edge arrays: for each CI, the edges where it is the dependency (its
 * dependents: downstream) and the edges where it is the dependent (its
 * dependencies: upstream).
 *
 * Nodes are SQLite CI ids when they are dense enough (the usual case: ids are
 * assigned by SQLite), otherwise a compact numbering kept in a sorted array.
 */
import type { Strength } from '../../../shared/domain.js';
import type { Db } from '../db.js';

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
}

function strengthCode(s: Strength): number {
  return s === 'hard' ? STRENGTH_HARD : s === 'soft' ? STRENGTH_SOFT : STRENGTH_NONE;
}

export class GraphIndex {
  /** Number of node slots (some may be unused ids). */
  readonly nodeCount: number;
  /** Number of relationships indexed. */
  readonly edgeCount: number;
  /** Relationship types, by type index. */
  readonly relTypes: readonly IndexRelType[];
  /** Type index per edge. */
  readonly edgeType: Uint16Array;
  /** Interned redundancy group label per edge, -1 when ungrouped. */
  readonly edgeGroup: Int32Array;
  /** min_up per edge, 0 when not given. */
  readonly edgeMinUp: Int32Array;
  /** Node that depends on the other end, per edge. */
  readonly edgeDependent: Int32Array;
  /** Node depended on, per edge. */
  readonly edgeDependency: Int32Array;
  /** Downstream CSR: for node v, edges downEdge[downOff[v] .. downOff[v+1]) have dependency v. */
  readonly downOff: Int32Array;
  readonly downEdge: Int32Array;
  /** Upstream CSR: for node v, edges upEdge[upOff[v] .. upOff[v+1]) have dependent v. */
  readonly upOff: Int32Array;
  readonly upEdge: Int32Array;
  /** Redundancy group labels, by interned number. */
  readonly groupLabels: readonly string[];
  /** Sorted SQLite ids when the numbering is compact; null when node = SQLite id. */
  private readonly ids: Int32Array | Float64Array | null;
  private readonly typeByName: Map<string, number>;
  /** Milliseconds the build took. */
  readonly buildMs: number;

  private constructor(init: {
    nodeCount: number;
    edgeCount: number;
    relTypes: IndexRelType[];
    edgeType: Uint16Array;
    edgeGroup: Int32Array;
    edgeMinUp: Int32Array;
    edgeDependent: Int32Array;
    edgeDependency: Int32Array;
    downOff: Int32Array;
    downEdge: Int32Array;
    upOff: Int32Array;
    upEdge: Int32Array;
    groupLabels: string[];
    ids: Int32Array | Float64Array | null;
    buildMs: number;
  }) {
    this.nodeCount = init.nodeCount;
    this.edgeCount = init.edgeCount;
    this.relTypes = init.relTypes;
    this.edgeType = init.edgeType;
    this.edgeGroup = init.edgeGroup;
    this.edgeMinUp = init.edgeMinUp;
    this.edgeDependent = init.edgeDependent;
    this.edgeDependency = init.edgeDependency;
    this.downOff = init.downOff;
    this.downEdge = init.downEdge;
    this.upOff = init.upOff;
    this.upEdge = init.upEdge;
    this.groupLabels = init.groupLabels;
    this.ids = init.ids;
    this.buildMs = init.buildMs;
    this.typeByName = new Map(init.relTypes.map((t, i) => [t.name, i]));
  }

  /** Builds the index from the CMDB in one pass over its relationships. */
  static build(db: Db, options: GraphIndexOptions = {}): GraphIndex {
    const t0 = performance.now();
    const relTypes: IndexRelType[] = [];
    const typeByRowid = new Map<number, number>();
    const typeRows = db.prepare('SELECT rowid, name, dependent, strength FROM rel_types ORDER BY name').raw().all() as Array<
      [number, string, 'source' | 'target', Strength]
    >;
    for (const [rowid, name, dependent, strength] of typeRows) {
      typeByRowid.set(rowid, relTypes.length);
      relTypes.push({ name, dependent, strength, code: strengthCode(strength) });
    }
    if (relTypes.length > 0xffff) throw new Error('Too many relationship types for the impact index (more than 65535).');

    const { n: ciCount, maxId } = db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS maxId FROM cis').get() as {
      n: number;
      maxId: number;
    };
    const denseFactor = options.denseFactor ?? 4;
    let ids: Int32Array | Float64Array | null = null;
    let nodeCount: number;
    if (maxId <= denseFactor * ciCount + 1024 && maxId < 0x7fffffff) {
      nodeCount = maxId + 1;
    } else {
      const all = maxId < 0x7fffffff ? new Int32Array(ciCount) : new Float64Array(ciCount);
      let i = 0;
      for (const row of db.prepare('SELECT id FROM cis ORDER BY id').raw().iterate() as IterableIterator<[number]>) all[i++] = row[0];
      ids = all;
      nodeCount = ciCount;
    }
    const toNode = ids === null ? (id: number) => id : (id: number) => binarySearch(ids!, id);

    const { m: relCount } = db.prepare('SELECT count(*) AS m FROM relationships').get() as { m: number };
    let cap = Math.max(16, relCount);
    let edgeDependent = new Int32Array(cap);
    let edgeDependency = new Int32Array(cap);
    let edgeType = new Uint16Array(cap);
    let edgeGroup = new Int32Array(cap);
    let edgeMinUp = new Int32Array(cap);
    const groupIds = new Map<string, number>();
    const groupLabels: string[] = [];

    // The dependent end is resolved by SQLite; the type comes back as the
    // registry's rowid so no string is made per row.
    const stmt = db
      .prepare(
        `SELECT CASE WHEN t.dependent = 'source' THEN r.source_id ELSE r.target_id END,
                CASE WHEN t.dependent = 'source' THEN r.target_id ELSE r.source_id END,
                t.rowid, r.redundancy_group, r.min_up
         FROM relationships r JOIN rel_types t ON t.name = r.type`,
      )
      .raw();
    let m = 0;
    for (const row of stmt.iterate() as IterableIterator<[number, number, number, string | null, number | null]>) {
      if (m === cap) {
        cap *= 2;
        edgeDependent = grow(edgeDependent, cap);
        edgeDependency = grow(edgeDependency, cap);
        edgeType = grow(edgeType, cap);
        edgeGroup = grow(edgeGroup, cap);
        edgeMinUp = grow(edgeMinUp, cap);
      }
      edgeDependent[m] = toNode(row[0]);
      edgeDependency[m] = toNode(row[1]);
      edgeType[m] = typeByRowid.get(row[2]) ?? 0;
      const label = row[3];
      if (label === null || label === '') {
        edgeGroup[m] = -1;
      } else {
        let g = groupIds.get(label);
        if (g === undefined) {
          g = groupLabels.length;
          groupIds.set(label, g);
          groupLabels.push(label);
        }
        edgeGroup[m] = g;
      }
      edgeMinUp[m] = row[4] ?? 0;
      m++;
    }
    if (m < cap) {
      edgeDependent = edgeDependent.subarray(0, m);
      edgeDependency = edgeDependency.subarray(0, m);
      edgeType = edgeType.subarray(0, m);
      edgeGroup = edgeGroup.subarray(0, m);
      edgeMinUp = edgeMinUp.subarray(0, m);
    }

    const down = csr(nodeCount, edgeDependency, m);
    const up = csr(nodeCount, edgeDependent, m);
    return new GraphIndex({
      nodeCount,
      edgeCount: m,
      relTypes,
      edgeType,
      edgeGroup,
      edgeMinUp,
      edgeDependent,
      edgeDependency,
      downOff: down.off,
      downEdge: down.edges,
      upOff: up.off,
      upEdge: up.edges,
      groupLabels,
      ids,
      buildMs: performance.now() - t0,
    });
  }

  /** The node number of a SQLite CI id, or -1 when the index does not know it. */
  nodeOf(ciId: number): number {
    if (this.ids === null) return ciId >= 0 && ciId < this.nodeCount ? ciId : -1;
    return binarySearch(this.ids, ciId);
  }

  /** The SQLite CI id of a node number. */
  ciIdOf(node: number): number {
    return this.ids === null ? node : (this.ids[node] as number);
  }

  /** The type index of a relationship type name, or -1. */
  typeIndex(name: string): number {
    return this.typeByName.get(name) ?? -1;
  }

  /**
   * Which types propagate impact for a query: the named ones (their strength
   * still decides hard or soft; `none` types never propagate), or by default
   * every type whose strength is not `none`. 1 = follow, 0 = ignore.
   */
  typeMask(names?: readonly string[] | null): Uint8Array {
    const mask = new Uint8Array(this.relTypes.length);
    this.relTypes.forEach((t, i) => {
      if (t.code === STRENGTH_NONE) return;
      if (!names || names.length === 0 || names.includes(t.name)) mask[i] = 1;
    });
    return mask;
  }
}

function grow<T extends Int32Array | Uint16Array>(a: T, cap: number): T {
  const b = new (a.constructor as { new (n: number): T })(cap);
  b.set(a);
  return b;
}

/** Counting sort of edge numbers by one end: offsets (n+1) and edge numbers. */
function csr(n: number, end: Int32Array, m: number): { off: Int32Array; edges: Int32Array } {
  const off = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) off[end[e]! + 1]!++;
  for (let v = 0; v < n; v++) off[v + 1]! += off[v]!;
  const fill = off.slice(0, n);
  const edges = new Int32Array(m);
  for (let e = 0; e < m; e++) edges[fill[end[e]!]!++] = e;
  return { off, edges };
}

function binarySearch(a: Int32Array | Float64Array, x: number): number {
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
