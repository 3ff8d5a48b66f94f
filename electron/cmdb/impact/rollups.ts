/**
 * Roll-ups over every impacted CI (never the listed page): one pass over the
 * run fills typed counters from the per-node codes (type, criticality, owner,
 * environment; no query, no object per CI), each CI's severity bucket, the
 * unknown-criticality figures; attributes the request names are read in
 * batches as codes; "who to notify" groups the impacted CIs per team named
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
import { ATTR_CRITICALITY, ATTR_ENVIRONMENT, ATTR_OWNER, ATTR_STRIDE, ATTR_TYPE, type CiAttrs } from './ci-attrs.js';
import { type ImpactRun, STATE_DOWN } from './engine.js';
import type { GraphIndex } from './graph-index.js';

export const COUNT_CHANGED = 0;
export const COUNT_DOWN = 1;
export const COUNT_DEGRADED = 2;

const CHUNK = 10_000;

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
  /** Impacted CIs (not changed) whose criticality rank is 0, per class, and per criticality code (NULL last). */
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
  const counts = [0, 0, 0];
  const { order, state, depth } = run;
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
    byType[3 * (tc < 0 ? nType : tc) + c]!++;
    byCrit[3 * (cc < 0 ? nCrit : cc) + c]!++;
    byOwner[3 * (oc < 0 ? nOwner : oc) + c]!++;
    byEnv[3 * (ec < 0 ? nEnv : ec) + c]!++;
    if (tc === businessType && businessType >= 0) businessNodes.push(v);
    const rank = cc < 0 ? 0 : critRank[cc]!;
    if (downstream) {
      const risk = riskIndex(isDown && !isChanged, rank);
      if (risk > worst) worst = risk;
      if (rank === 0 && !isChanged) {
        if (isDown) unknownDown++;
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

/** One attribute's values over the impacted CIs, as codes (-1 when absent). */
export interface AttrCodes {
  name: string;
  values: string[];
  /** Per impacted CI (run.order from `first`). */
  codes: Int32Array;
}

/**
 * Reads the named attributes of every impacted CI from `cis.attributes`, in
 * batches of ids (one query per batch for all the names), as codes.
 */
export function readAttributes(db: Db, index: GraphIndex, run: ImpactRun, first: number, names: readonly string[]): AttrCodes[] {
  if (names.length === 0) return [];
  const total = run.count - first;
  const cols = names.map(() => 'c.attributes ->> ?').join(', ');
  const stmt = db.prepare(`SELECT j.key, ${cols} FROM json_each(?) j JOIN cis c ON c.id = j.value`).raw();
  const out: AttrCodes[] = names.map((name) => ({ name, values: [], codes: new Int32Array(total).fill(-1) }));
  const lookups = names.map(() => new Map<string, number>());
  const ids: number[] = [];
  for (let from = 0; from < total; from += CHUNK) {
    ids.length = 0;
    for (let i = from; i < Math.min(total, from + CHUNK); i++) ids.push(index.ciIdOf(run.order[first + i]!));
    for (const row of stmt.all(...names, JSON.stringify(ids)) as unknown[][]) {
      const at = from + (row[0] as number);
      for (let a = 0; a < names.length; a++) {
        const raw = row[a + 1];
        if (raw === null || raw === undefined) continue;
        const value = String(raw);
        let code = lookups[a]!.get(value);
        if (code === undefined) {
          code = out[a]!.values.length;
          out[a]!.values.push(value);
          lookups[a]!.set(value, code);
        }
        out[a]!.codes[at] = code;
      }
    }
  }
  return out;
}

/** Three-per-value counters of one attribute over the impacted CIs. */
export function countCodes(t: Tally, codes: Int32Array, valueCount: number): Int32Array {
  const c = new Int32Array(3 * (valueCount + 1));
  for (let i = 0; i < t.total; i++) {
    const v = codes[i]!;
    c[3 * (v < 0 ? valueCount : v) + t.cls[i]!]!++;
  }
  return c;
}

/** The owner codes of the impacted CIs, as an attribute (for notify). */
export function ownerCodes(run: ImpactRun, attrs: CiAttrs, t: Tally): AttrCodes {
  const codes = new Int32Array(t.total);
  for (let i = 0; i < t.total; i++) codes[i] = attrs.codes[ATTR_STRIDE * run.order[t.first + i]! + ATTR_OWNER]!;
  return { name: 'owner', values: attrs.owner.values, codes };
}

/**
 * Who to notify: one entry per (field, team) with its counts and the nodes
 * of its impacted CIs, most severe first (at most NOTIFY_KEYS_SHOWN); keys
 * are filled by the caller once fetched in one batch.
 */
export function notifyEntries(
  run: ImpactRun,
  t: Tally,
  fields: readonly AttrCodes[],
  severe: Int32Array,
): Array<{ entry: NotifyEntry; nodes: number[] }> {
  const out: Array<{ entry: NotifyEntry; nodes: number[] }> = [];
  for (const f of fields) {
    const counts = countCodes(t, f.codes, f.values.length);
    const nodes: number[][] = f.values.map(() => []);
    for (const i of severe) {
      const c = f.codes[i]!;
      if (c >= 0 && nodes[c]!.length < NOTIFY_KEYS_SHOWN) nodes[c]!.push(run.order[t.first + i]!);
    }
    const codeOf = new Map(f.values.map((v, c) => [v, c]));
    const entries = rollUp(counts, f.values).filter((r) => r.value !== null);
    for (const r of entries) {
      const c = codeOf.get(r.value!)!;
      out.push({
        entry: { field: f.name, team: r.value!, changed: r.changed, down: r.down, degraded: r.degraded, keys: [] },
        nodes: nodes[c]!,
      });
    }
  }
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
