/**
 * Roll-ups over every impacted CI (never the listed page): one pass over the
 * run fills typed counters from the per-node codes (type, criticality, owner,
 * environment; no query, no object per CI), each CI's severity bucket, the
 * unknown-criticality figures; attributes come as codes from the columns
 * CiAttrs reads once per build; "who to notify" groups the impacted CIs per team named
 * in a contact field.
 *
 * Counters hold three numbers per value (COUNT_CHANGED, COUNT_DOWN,
 * COUNT_DEGRADED), NULL last: a changed CI counts as changed only, `down`
 * only the CIs that go down because of the change.
 */
import type { NotifyEntry, RollUpEntry } from '../../../shared/impact.js';
import { NOTIFY_KEYS_SHOWN } from '../../../shared/impact.js';
import { riskIndex } from '../../../shared/risk.js';
import type { Db } from '../db.js';
import { ATTR_CRITICALITY, ATTR_ENVIRONMENT, ATTR_OWNER, ATTR_STATUS, ATTR_STRIDE, ATTR_TYPE, type CiAttrs } from './ci-attrs.js';
import { type ImpactRun, STATE_DOWN } from './engine.js';
import type { GraphIndex } from './graph-index.js';

export const COUNT_CHANGED = 0;
export const COUNT_DOWN = 1;
export const COUNT_DEGRADED = 2;
/**
 * Whether a node of a downstream run counts as down for the risk: down, and
 * not a changed CI (depth 0), which counts as degraded (riskIndex: its outage
 * is the planned part of the change).
 */
export function downForRisk(run: ImpactRun, v: number): boolean {
  return run.state[v] === STATE_DOWN && run.depth[v]! > 0;
}

/** The risk level index (RISK_LEVELS) a node of a downstream run brings, of criticality rank `rank` (riskIndex). */
export function nodeRisk(run: ImpactRun, v: number, rank: number): number {
  return riskIndex(downForRisk(run, v), rank);
}

/** Up to this many types (and no type), steps between types are counted in the tally's pass. */
export const TYPE_EDGES_MAX = 128;

/** What one pass over the impacted CIs counts (see `tally`). */
export interface Tally {
  /** Index in run.order of the first impacted CI (upstream, the origins are the question, not the answer). */
  first: number;
  total: number;
  changed: number;
  down: number;
  degraded: number;
  /** The highest risk level index (RISK_LEVELS) an impacted CI brings; 0 upstream, where risk is not assessed. */
  worst: number;
  /** Counters per type, criticality, owner and environment code (three per value, NULL last). */
  byType: Int32Array;
  byCrit: Int32Array;
  byOwner: Int32Array;
  byEnv: Int32Array;
  /** Per impacted CI (run.order from `first`): COUNT_CHANGED | COUNT_DOWN | COUNT_DEGRADED. */
  cls: Uint8Array;
  businessNodes: number[];
  /** Each impacted CI's severity bucket, in search order (lowest is most severe). */
  sev: Int32Array;
  /** Deepest depth + 1: the number of depth steps within a severity bucket's criticality. */
  span: number;
  /**
   * Downstream, when the types are few (TYPE_EDGES_MAX): explanation steps
   * between CIs of different types, [from * (types + 1) + to] (no type last), for the rolled-up graph by type.
   */
  typeEdges: Int32Array | null;
  /** Per impacted CI: the risk level index it brings when its criticality is known and it is not a business service, else 0 (downstream). */
  otherRisk: Uint8Array;
  /** CIs whose criticality rank is 0, downstream: down, and degraded (changed CIs count so), and per criticality code (NULL last). */
  unknownDown: number;
  unknownDegraded: number;
  unknownByCrit: Int32Array;
}

/** Severity buckets: changed first, down before degraded, then criticality (4 - rank), then depth. */
export function severityBuckets(span: number): number {
  return 2 * 2 * 5 * span;
}

/** Aggregates straight from the per-node codes in one pass over the impacted CIs. */
export function tally(run: ImpactRun, attrs: CiAttrs, critRank: Int32Array): Tally {
  const downstream = run.direction === 'downstream';
  const businessType = attrs.type.values.indexOf('business_service');
  const first = downstream ? 0 : run.sources.length;
  const total = run.count - first;
  const codes = attrs.codes;
  const nType = attrs.type.values.length;
  const nCrit = attrs.criticality.values.length;
  const nOwner = attrs.owner.values.length;
  const nEnv = attrs.environment.values.length;
  const byType = new Int32Array(3 * (nType + 1));
  const byCrit = new Int32Array(3 * (nCrit + 1));
  const byOwner = new Int32Array(3 * (nOwner + 1));
  const byEnv = new Int32Array(3 * (nEnv + 1));
  const unknownByCrit = new Int32Array(nCrit + 1);
  const cls = new Uint8Array(total);
  const otherRisk = new Uint8Array(total);
  const counts = [0, 0, 0];
  const { order, state, depth, parent } = run;
  const typeEdges = downstream && nType + 1 <= TYPE_EDGES_MAX ? new Int32Array((nType + 1) * (nType + 1)) : null;
  let maxDepth = 0;
  let worst = 0;
  let unknownDown = 0;
  let unknownDegraded = 0;
  const businessNodes: number[] = [];
  for (let i = first; i < run.count; i++) {
    const d = depth[order[i]!]!;
    if (d > maxDepth) maxDepth = d;
  }
  const span = maxDepth + 1;
  const sev = new Int32Array(total);
  for (let i = first; i < run.count; i++) {
    const v = order[i]!;
    const isDown = state[v] === STATE_DOWN;
    const d = depth[v]!;
    const isChanged = downstream && d === 0;
    const c = isChanged ? COUNT_CHANGED : isDown ? COUNT_DOWN : COUNT_DEGRADED;
    cls[i - first] = c;
    counts[c]!++;
    const at = ATTR_STRIDE * v;
    const tc = codes[at + ATTR_TYPE]!;
    const cc = codes[at + ATTR_CRITICALITY]!;
    const oc = codes[at + ATTR_OWNER]!;
    const ec = codes[at + ATTR_ENVIRONMENT]!;
    const tg = tc < 0 ? nType : tc;
    byType[3 * tg + c]!++;
    const p = parent[v]!;
    if (typeEdges !== null && p >= 0) {
      const pc = codes[ATTR_STRIDE * p + ATTR_TYPE]!;
      const pg = pc < 0 ? nType : pc;
      if (pg !== tg) typeEdges[pg * (nType + 1) + tg]!++;
    }
    byCrit[3 * (cc < 0 ? nCrit : cc) + c]!++;
    byOwner[3 * (oc < 0 ? nOwner : oc) + c]!++;
    byEnv[3 * (ec < 0 ? nEnv : ec) + c]!++;
    const isBusiness = tc === businessType && businessType >= 0;
    if (isBusiness) businessNodes.push(v);
    const rank = cc < 0 ? 0 : critRank[cc]!;
    if (downstream) {
      const risk = nodeRisk(run, v, rank);
      if (risk > worst) worst = risk;
      if (rank > 0 && !isBusiness) otherRisk[i - first] = risk;
      // A changed CI counts as degraded (its planned outage), so one of unknown criticality could bring the risk to high.
      if (rank === 0) {
        if (downForRisk(run, v)) unknownDown++;
        else unknownDegraded++;
        unknownByCrit[cc < 0 ? nCrit : cc]!++;
      }
    }
    sev[i - first] = ((isChanged ? 0 : 1) * 2 + (isDown ? 0 : 1)) * 5 * span + (4 - rank) * span + d;
  }
  return {
    first,
    total,
    changed: counts[COUNT_CHANGED]!,
    down: counts[COUNT_DOWN]!,
    degraded: counts[COUNT_DEGRADED]!,
    worst,
    byType,
    byCrit,
    byOwner,
    byEnv,
    cls,
    typeEdges,
    otherRisk,
    businessNodes,
    sev,
    span,
    unknownDown,
    unknownDegraded,
    unknownByCrit,
  };
}

/** Positions (into the impacted CIs) sorted by severity bucket, search order within a bucket; `keep` filters. */
export function bySeverity(t: Tally, keep?: Uint8Array, limit = Infinity): Int32Array {
  const buckets = severityBuckets(t.span);
  const start = new Int32Array(buckets + 1);
  let kept = 0;
  for (let i = 0; i < t.total; i++) {
    if (keep && keep[i] !== 1) continue;
    start[t.sev[i]! + 1]!++;
    kept++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const out = new Int32Array(kept);
  for (let i = 0; i < t.total; i++) {
    if (keep && keep[i] !== 1) continue;
    out[start[t.sev[i]!]!++] = i;
  }
  return limit < kept ? out.subarray(0, limit) : out;
}

/** A roll-up from three-per-value counters: the values with any impacted CI, most down first. */
export function rollUp(t: Int32Array, values: readonly string[]): RollUpEntry[] {
  const out: RollUpEntry[] = [];
  const entry = (value: string | null, at: number) => {
    const changed = t[at + COUNT_CHANGED]!;
    const down = t[at + COUNT_DOWN]!;
    const degraded = t[at + COUNT_DEGRADED]!;
    if (changed + down + degraded > 0) out.push({ value, changed, down, degraded });
  };
  values.forEach((value, c) => entry(value, 3 * c));
  entry(null, 3 * values.length);
  return out.sort(
    (a, b) => b.down - a.down || b.changed - a.changed || b.degraded - a.degraded || cmp(a.value ?? '\uffff', b.value ?? '\uffff'),
  );
}

/** One field's values as codes per node: codes[stride * node + offset], -1 when not set; and its counters over the impacted CIs. */
export interface FieldCodes {
  name: string;
  values: readonly string[];
  codes: Int32Array;
  stride: number;
  offset: number;
  /** Three-per-value counters over the impacted CIs (see countField). */
  counts: Int32Array;
}

/** Three-per-value counters of one field over the impacted CIs. */
function countField(run: ImpactRun, t: Tally, codes: Int32Array, stride: number, offset: number, valueCount: number): Int32Array {
  const c = new Int32Array(3 * (valueCount + 1));
  for (let i = 0; i < t.total; i++) {
    const v = codes[stride * run.order[t.first + i]! + offset]!;
    c[3 * (v < 0 ? valueCount : v) + t.cls[i]!]!++;
  }
  return c;
}

/** The core fields a roll-up reads from the codes CiAttrs keeps per node; their counters are the tally's. */
const KEPT_FIELDS = {
  type: { offset: ATTR_TYPE, column: (a: CiAttrs) => a.type, counts: (t: Tally) => t.byType },
  criticality: { offset: ATTR_CRITICALITY, column: (a: CiAttrs) => a.criticality, counts: (t: Tally) => t.byCrit },
  owner: { offset: ATTR_OWNER, column: (a: CiAttrs) => a.owner, counts: (t: Tally) => t.byOwner },
  environment: { offset: ATTR_ENVIRONMENT, column: (a: CiAttrs) => a.environment, counts: (t: Tally) => t.byEnv },
} as const;

/** The core fields an impact answer rolls up by (any other name is an attribute). */
export const ROLL_UP_CORE_FIELDS = [...Object.keys(KEPT_FIELDS), 'status'] as const;

/**
 * A field of the impacted CIs: type, criticality, owner or environment from
 * the codes CiAttrs keeps (their counters are the tally's), status from its
 * codes too (counted here), any other name (an attribute) from a column
 * CiAttrs reads once per build.
 */
export function fieldCodes(db: Db, index: GraphIndex, attrs: CiAttrs, run: ImpactRun, t: Tally, name: string): FieldCodes {
  // The counters are counted when first read: a contact field only (who to notify counts by team) needs none.
  let counts: Int32Array | null = null;
  if (Object.hasOwn(KEPT_FIELDS, name)) {
    const kept = KEPT_FIELDS[name as keyof typeof KEPT_FIELDS];
    return {
      name,
      values: kept.column(attrs).values,
      codes: attrs.codes,
      stride: ATTR_STRIDE,
      offset: kept.offset,
      get counts() {
        return (counts ??= kept.counts(t));
      },
    };
  }
  if (name === 'status') {
    return {
      name,
      values: attrs.status.values,
      codes: attrs.codes,
      stride: ATTR_STRIDE,
      offset: ATTR_STATUS,
      get counts() {
        return (counts ??= countField(run, t, attrs.codes, ATTR_STRIDE, ATTR_STATUS, attrs.status.values.length));
      },
    };
  }
  const column = attrs.attribute(db, index, name);
  return {
    name,
    values: column.values,
    codes: column.codes,
    stride: 1,
    offset: 0,
    get counts() {
      return (counts ??= countField(run, t, column.codes, 1, 0, column.values.length));
    },
  };
}

/** Who to notify (notifyEntries): each team with the nodes of its first CIs, and the CIs no contact field names. */
export interface NotifyTally {
  teams: Array<{ entry: NotifyEntry; nodes: number[] }>;
  /** The impacted CIs none of the fields names (counts, and the nodes of the most severe first); null when there are none. */
  none: { changed: number; down: number; degraded: number; nodes: number[] } | null;
}

/**
 * Who to notify: one entry per team (a value of any contact field: a team named as owner and as support group is
 * one team to tell, its CIs counted once), with the fields it is named in, its counts and the nodes of its impacted
 * CIs, most severe first (at most NOTIFY_KEYS_SHOWN); keys are filled by the caller once fetched in one batch. The
 * impacted CIs no field names are counted apart the same way (`none`): nobody would be told about them.
 */
export function notifyEntries(run: ImpactRun, t: Tally, fields: readonly FieldCodes[], severe: Int32Array): NotifyTally {
  // Each field's value codes mapped to one team number over all fields.
  const teamOf = new Map<string, number>();
  const teams: string[] = [];
  const codeToTeam = fields.map((f) =>
    Int32Array.from(f.values, (v) => {
      let n = teamOf.get(v);
      if (n === undefined) teamOf.set(v, (n = teams.push(v) - 1));
      return n;
    }),
  );
  const F = fields.length;
  // rollUp's layout: the last slot ('not set') counts the CIs no field names, when fields are asked for.
  const NONE = teams.length;
  const counts = new Int32Array(3 * (teams.length + 1));
  const namedIn = new Uint8Array(teams.length * F);
  // The teams of one CI, each once however many of its fields name it; NONE when none does.
  const mine: number[] = [];
  const teamsOfNode = (v: number): number[] => {
    mine.length = 0;
    for (let j = 0; j < F; j++) {
      const f = fields[j]!;
      const c = f.codes[f.stride * v + f.offset]!;
      if (c < 0) continue;
      const n = codeToTeam[j]![c]!;
      namedIn[n * F + j] = 1;
      if (!mine.includes(n)) mine.push(n);
    }
    if (mine.length === 0 && F > 0) mine.push(NONE);
    return mine;
  };
  for (let i = 0; i < t.total; i++) for (const n of teamsOfNode(run.order[t.first + i]!)) counts[3 * n + t.cls[i]!]!++;
  const nodes: number[][] = Array.from({ length: teams.length + 1 }, () => []);
  const totalOf = (n: number) => counts[3 * n]! + counts[3 * n + 1]! + counts[3 * n + 2]!;
  let open = 0;
  for (let n = 0; n <= teams.length; n++) if (totalOf(n) > 0) open++;
  // The most severe first, until every team (and the CIs of none) has its keys.
  for (let k = 0; k < severe.length && open > 0; k++) {
    const v = run.order[t.first + severe[k]!]!;
    for (const n of teamsOfNode(v)) {
      if (nodes[n]!.length >= NOTIFY_KEYS_SHOWN) continue;
      nodes[n]!.push(v);
      if (nodes[n]!.length === NOTIFY_KEYS_SHOWN || totalOf(n) === nodes[n]!.length) open--;
    }
  }
  const out: NotifyTally = { teams: [], none: null };
  for (const r of rollUp(counts, teams)) {
    if (r.value === null) {
      out.none = { changed: r.changed, down: r.down, degraded: r.degraded, nodes: nodes[NONE]! };
      continue;
    }
    const n = teamOf.get(r.value)!;
    const named = fields.filter((_, j) => namedIn[n * F + j] === 1).map((f) => f.name);
    const entry: NotifyEntry = {
      field: named[0]!,
      fields: named,
      team: r.value,
      changed: r.changed,
      down: r.down,
      degraded: r.degraded,
      keys: [],
    };
    out.teams.push({ entry, nodes: nodes[n]! });
  }
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
