/**
 * The CI fields an impact answer aggregates (type, criticality, owner, environment) and the status
 * (whether a redundancy group member is running, and roll-ups by status) as
 * small codes per node, side by side (one cache line per CI), so counts,
 * owners, business services and risk over hundreds of thousands of impacted
 * CIs need no query and no string per CI. Built per distinct value through
 * the columns' indexes, the ids of each value read as one string; kept and
 * rebuilt with the graph index.
 */
import { isNotRunning } from '../../../shared/vocab.js';
import type { Db } from '../db.js';
import { attributeMatchName, MATCH_NAME_SQL } from '../attribute-names.js';
import { attributeJsonPath } from '../rows.js';
import type { GraphIndex } from './graph-index.js';

export interface AttrColumn {
  /** The distinct values; a code is an index into this list. */
  values: string[];
}

/** Offsets of the fields in `CiAttrs.codes`, ATTR_STRIDE per node. */
export const ATTR_TYPE = 0;
export const ATTR_CRITICALITY = 1;
export const ATTR_OWNER = 2;
export const ATTR_ENVIRONMENT = 3;
export const ATTR_STATUS = 4;
export const ATTR_STRIDE = 5;

/** The fields kept as codes, in the order of their offsets. */
export const KEPT_COLUMNS = ['type', 'criticality', 'owner', 'environment', 'status'] as const;
export type KeptColumn = (typeof KEPT_COLUMNS)[number];

/** Attribute columns kept per build (CiAttrs.attribute). */
const ATTRIBUTE_CACHE = 16;

/** Calls `fn` with each id of a comma-separated list of ids (group_concat's), without making a string per id. */
function forEachId(text: string, fn: (id: number) => void): void {
  let id = 0;
  for (let i = 0, n = text.length; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 44;
    if (c !== 44) {
      id = id * 10 + (c - 48);
      continue;
    }
    fn(id);
    id = 0;
  }
}

/** The CIs not running (CiAttrs.notRunning): a test per node, and every such node. */
export interface NotRunning {
  test: (node: number) => boolean;
  nodes: Int32Array;
}

export class CiAttrs {
  private constructor(
    readonly type: AttrColumn,
    readonly criticality: AttrColumn,
    readonly owner: AttrColumn,
    readonly environment: AttrColumn,
    readonly status: AttrColumn,
    /** Per node v: codes[ATTR_STRIDE * v + ATTR_TYPE | ATTR_CRITICALITY | ATTR_OWNER | ATTR_ENVIRONMENT | ATTR_STATUS], -1 when NULL or unknown. */
    readonly codes: Int32Array,
    readonly buildMs: number,
  ) {}

  private readonly attributeKeys = new Map<string, boolean>();
  private readonly attributeSpellings = new Map<string, string | null>();
  private readonly attributeColumns = new Map<string, AttrColumn & { codes: Int32Array }>();

  /**
   * Whether any CI has the attribute `name` (set, not null), asked once per
   * name and build (the answer holds until the index is rebuilt, as this
   * table does). The search index finds the CIs whose attributes hold the
   * word; their JSON confirms it is a key with a value.
   */
  hasAttribute(db: Db, name: string): boolean {
    let has = this.attributeKeys.get(name);
    if (has === undefined) {
      has =
        db
          .prepare('SELECT 1 FROM ci_fts f JOIN cis c ON c.id = f.rowid WHERE ci_fts MATCH ? AND c.attributes ->> ? IS NOT NULL LIMIT 1')
          .pluck()
          .get(`attributes : "${name.replace(/"/g, '""')}"`, name.startsWith('$') ? attributeJsonPath(name) : name) !== undefined;
      this.attributeKeys.set(name, has);
    }
    return has;
  }

  /**
   * The estate's own spelling of the attribute `name` means: `name` itself when a CI has it, else one whose
   * name is the same with case, spaces, `_`, `-` and `.` ignored ("Support Group" for support_group, from a
   * spreadsheet's column); null when none. The search index finds CIs whose attributes hold its words (the
   * first 200), and their JSON gives the key. Asked once per name and build.
   */
  attributeSpelled(db: Db, name: string): string | null {
    if (this.hasAttribute(db, name)) return name;
    let spelled = this.attributeSpellings.get(name);
    if (spelled === undefined) {
      const words = name.split(/[ _.-]+/).filter((w) => w.length > 0);
      spelled =
        words.length === 0
          ? null
          : ((db
              .prepare(
                `SELECT j.key FROM (SELECT c.attributes FROM ci_fts f JOIN cis c ON c.id = f.rowid WHERE ci_fts MATCH ? LIMIT 200) c,
                   json_each(c.attributes) j WHERE ${MATCH_NAME_SQL} = ? AND j.type <> 'null' LIMIT 1`,
              )
              .pluck()
              .get(`attributes : "${words.join(' ').replace(/"/g, '""')}"`, attributeMatchName(name)) as string | undefined) ?? null);
      this.attributeSpellings.set(name, spelled);
    }
    return spelled;
  }

  /**
   * One attribute of every CI as codes per node (-1 when absent), read once
   * per name and build like the columns above (values as text; the last
   * ATTRIBUTE_CACHE names asked are kept), so roll-ups by an attribute need
   * no query per analysis.
   */
  attribute(db: Db, index: GraphIndex, name: string): AttrColumn & { codes: Int32Array } {
    return this.column(db, index, `attribute ${name}`, 'CAST(attributes ->> ? AS TEXT)', [
      // A name starting with `$` would read as a JSON path: quote it as a label.
      name.startsWith('$') ? attributeJsonPath(name) : name,
    ]);
  }

  private notRunningSet: NotRunning | null | undefined;

  /**
   * The nodes whose status says they are not running (isNotRunning: non-operational, maintenance, planned,
   * retired), read from the codes once per table: the redundancy groups of impact count such a member as
   * already down. Undefined when no CI has such a status (the engine then skips the question).
   */
  notRunning(): NotRunning | undefined {
    if (this.notRunningSet === undefined) {
      const off = Uint8Array.from(this.status.values, (v) => (isNotRunning(v) ? 1 : 0));
      const codes = this.codes;
      const test = (node: number): boolean => {
        const c = codes[ATTR_STRIDE * node + ATTR_STATUS]!;
        return c >= 0 && off[c] === 1;
      };
      const nodes: number[] = [];
      if (off.includes(1)) for (let v = 0, n = codes.length / ATTR_STRIDE; v < n; v++) if (test(v)) nodes.push(v);
      this.notRunningSet = nodes.length > 0 ? { test, nodes: Int32Array.from(nodes) } : null;
    }
    return this.notRunningSet ?? undefined;
  }

  /** A node's status as stored, null when not set. */
  statusOf(node: number): string | null {
    const c = this.codes[ATTR_STRIDE * node + ATTR_STATUS]!;
    return c < 0 ? null : this.status.values[c]!;
  }

  private column(db: Db, index: GraphIndex, cacheKey: string, expr: string, args: unknown[]): AttrColumn & { codes: Int32Array } {
    const hit = this.attributeColumns.get(cacheKey);
    if (hit) return hit;
    const codes = new Int32Array(index.nodeCount).fill(-1);
    const rows = db
      .prepare(`SELECT v, group_concat(id) FROM (SELECT id, ${expr} AS v FROM cis) WHERE v IS NOT NULL GROUP BY v ORDER BY v`)
      .raw()
      .all(...args) as Array<[string, string]>;
    const values = rows.map((r) => r[0]);
    rows.forEach(([, text], code) =>
      forEachId(text, (id) => {
        const node = index.nodeOf(id);
        if (node >= 0) codes[node] = code;
      }),
    );
    const column = { values, codes };
    if (this.attributeColumns.size >= ATTRIBUTE_CACHE) this.attributeColumns.delete(this.attributeColumns.keys().next().value!);
    this.attributeColumns.set(cacheKey, column);
    return column;
  }

  /** A table from its parts (ci-attrs-patch.ts makes one from an older table and the CIs an edit changed). */
  static assemble(columns: Record<KeptColumn, AttrColumn>, codes: Int32Array, buildMs: number): CiAttrs {
    return new CiAttrs(columns.type, columns.criticality, columns.owner, columns.environment, columns.status, codes, buildMs);
  }

  static build(db: Db, index: GraphIndex): CiAttrs {
    const t0 = performance.now();
    return db.transaction(() => {
      const codes = new Int32Array(ATTR_STRIDE * index.nodeCount).fill(-1);
      const column = (name: KeptColumn, offset: number): AttrColumn => {
        const values = db.prepare(`SELECT DISTINCT ${name} FROM cis WHERE ${name} IS NOT NULL ORDER BY ${name}`).pluck().all() as string[];
        const ids = db.prepare(`SELECT group_concat(id) FROM cis WHERE ${name} = ?`).pluck();
        values.forEach((v, code) => {
          const text = ids.get(v) as string | null;
          if (text === null) return;
          forEachId(text, (id) => {
            const node = index.nodeOf(id);
            if (node >= 0) codes[ATTR_STRIDE * node + offset] = code;
          });
        });
        return { values };
      };
      const type = column('type', ATTR_TYPE);
      const criticality = column('criticality', ATTR_CRITICALITY);
      const owner = column('owner', ATTR_OWNER);
      const environment = column('environment', ATTR_ENVIRONMENT);
      const status = column('status', ATTR_STATUS);
      return new CiAttrs(type, criticality, owner, environment, status, codes, performance.now() - t0);
    })();
  }
}
