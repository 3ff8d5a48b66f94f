/**
 * The health rules that fire on a few CIs (an impact answer's impacted CIs
 * and the CIs of their explanation paths), without running them over the
 * whole CMDB: a batch read of those CIs, their relationships through the
 * graph index, and, for duplicates, a per-type table of normalised names
 * kept until the data changes (duplicates.ts). Same meaning as the
 * estate-wide rules (docs/health.md): retired CIs are not asked for an
 * owner, a criticality or fresh data; a retired CI and the live CI depending
 * on it both carry `retired-dependency`; a group's dependent and its
 * members carry `unsatisfiable-group`. `orphan` cannot fire on a CI reached
 * through a relationship, but is checked all the same for the CIs asked.
 */
import type { HealthConfig, HealthRuleId } from '../../../shared/health.js';
import { HEALTH_RULES } from '../../../shared/health.js';
import type { Db } from '../db.js';
import { type GraphIndex, STRENGTH_HARD, STRENGTH_NONE } from '../impact/graph-index.js';
import { duplicateIds } from './duplicates.js';
import { onHardCycle } from './hard-cycles.js';

const DAY_MS = 86_400_000;
const CHUNK = 10_000;
const RETIRED = 'retired';

/** A CI's fields the per-CI rules read. */
export interface CiFacts {
  id: number;
  key: string;
  type: string;
  name: string;
  status: string | null;
  environment: string | null;
  owner: string | null;
  criticality: string | null;
  attributes: string;
  /** The later of updated_at and the end of the (not undone) import that last wrote it. */
  refreshed: string;
  flagged: boolean;
}

/** A CI's row as the rules read it (analysis.ts CiRowLite is one: an impact answer's rows need no second read). */
export interface CiRow {
  id: number;
  key: string;
  name: string;
  type: string;
  owner: string | null;
  criticality: string | null;
  status: string | null;
  environment: string | null;
  attributes: string;
  updated_at: string;
  import_id: number | null;
}

/** What the rules read besides the CIs, kept with the graph index (a new index means the data changed). */
interface Around {
  /** End of each import not undone, by id. */
  imports: Map<number, string>;
  flaggedTypes: Set<string>;
  /** 1 per retired node (read through the status index: retired CIs are few). */
  retired: Uint8Array;
}
const around = new WeakMap<GraphIndex, Around>();

function aroundOf(db: Db, index: GraphIndex): Around {
  let a = around.get(index);
  if (!a) {
    const imports = db.prepare('SELECT id, finished_at FROM imports WHERE undone_at IS NULL AND finished_at IS NOT NULL').raw().all();
    const retired = new Uint8Array(index.nodeCount);
    for (const id of db.prepare(`SELECT id FROM cis WHERE status = '${RETIRED}'`).pluck().all() as number[]) {
      const v = index.nodeOf(id);
      if (v >= 0) retired[v] = 1;
    }
    a = {
      imports: new Map(imports as Array<[number, string]>),
      flaggedTypes: new Set(db.prepare('SELECT name FROM ci_types WHERE flagged = 1').pluck().all() as string[]),
      retired,
    };
    around.set(index, a);
  }
  return a;
}

/** The rows of the CIs of `ids` (ascending: the table's order, far fewer pages read than in any other), in one read per 10,000. */
function readRows(db: Db, ids: readonly number[]): CiRow[] {
  const stmt = db.prepare(
    `SELECT id, key, name, type, owner, criticality, status, environment, attributes, updated_at, import_id
     FROM cis WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const out: CiRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(stmt.all(JSON.stringify(ids.slice(i, i + CHUNK))) as CiRow[]));
  return out;
}

function factsOf(rows: readonly CiRow[], a: Around): CiFacts[] {
  return rows.map((r) => {
    const imported = r.import_id === null ? undefined : a.imports.get(r.import_id);
    return {
      id: r.id,
      key: r.key,
      type: r.type,
      name: r.name,
      status: r.status,
      environment: r.environment,
      owner: r.owner,
      criticality: r.criticality,
      attributes: r.attributes,
      refreshed: imported !== undefined && imported > r.updated_at ? imported : r.updated_at,
      flagged: a.flaggedTypes.has(r.type),
    };
  });
}

const blank = (v: string | null) => v === null || v.trim() === '';

/** Rules on the CI's own fields: owner, criticality in production, stale, type flagged for review. */
function fieldRules(facts: readonly CiFacts[], config: HealthConfig, now: number, add: (id: number, rule: HealthRuleId) => void): void {
  const cutoffs = new Map<string, string>();
  const cutoffOf = (type: string) => {
    let at = cutoffs.get(type);
    if (at === undefined)
      cutoffs.set(type, (at = new Date(now - (config.staleDaysByType[type] ?? config.staleDays) * DAY_MS).toISOString()));
    return at;
  };
  for (const c of facts) {
    if (c.flagged) add(c.id, 'unreviewed-type');
    if (c.status === RETIRED) continue;
    if (blank(c.owner) && !config.ownerExemptTypes.includes(c.type)) add(c.id, 'missing-owner');
    const env = c.environment?.trim().toLowerCase();
    if (env !== undefined && config.productionEnvironments.includes(env) && blank(c.criticality)) add(c.id, 'missing-criticality');
    if (!config.staleExemptTypes.includes(c.type) && c.refreshed < cutoffOf(c.type)) add(c.id, 'stale');
  }
}

/** Rules read from the graph index: retired dependencies, unsatisfiable groups, orphans. */
function graphRules(
  index: GraphIndex,
  retired: Uint8Array,
  facts: readonly CiFacts[],
  config: HealthConfig,
  add: (id: number, rule: HealthRuleId) => void,
): void {
  const carries = index.relTypes.map((t) => t.code !== STRENGTH_NONE);
  const { upRange, upSlots, downRange, downSlots } = index;
  for (const c of facts) {
    const v = index.nodeOf(c.id);
    if (v < 0) continue;
    const up0 = upRange[2 * v]!;
    const up1 = upRange[2 * v + 1]!;
    const down0 = downRange[2 * v]!;
    const down1 = downRange[2 * v + 1]!;
    if (up0 === up1 && down0 === down1 && c.status !== RETIRED && !config.orphanExemptTypes.includes(c.type)) add(c.id, 'orphan');
    // A live CI depending on a retired one, or a retired CI a live one depends on.
    const [from, to, slots, wantRetired] = c.status === RETIRED ? [down0, down1, downSlots, false] : [up0, up1, upSlots, true];
    for (let k = from; k < to; k++) {
      if (carries[slots[3 * k + 1]!] && (retired[slots[3 * k]!] === 1) === wantRetired) {
        add(c.id, 'retired-dependency');
        break;
      }
    }
    if (unsatisfiableAt(index, v)) add(c.id, 'unsatisfiable-group');
  }
}

/** Whether node v is the dependent or a member of a hard redundancy group whose min_up exceeds its members. */
function unsatisfiableAt(index: GraphIndex, v: number): boolean {
  const info = index.groupInfo;
  const bad = (g: number) => g >= 0 && info[2 * g + 1]! > info[2 * g]!;
  for (let k = index.upRange[2 * v]!, end = index.upRange[2 * v + 1]!; k < end; k++) {
    if (bad(index.upSlots[3 * k + 2]!) && index.relTypes[index.upSlots[3 * k + 1]!]!.code === STRENGTH_HARD) return true;
  }
  for (let k = index.downRange[2 * v]!, end = index.downRange[2 * v + 1]!; k < end; k++) {
    if (bad(index.downSlots[3 * k + 2]!) && index.relTypes[index.downSlots[3 * k + 1]!]!.code === STRENGTH_HARD) return true;
  }
  return false;
}

/** The rules on each of `facts`' CIs, by id, in HEALTH_RULES order; CIs with none left out. */
function rulesOf(
  db: Db,
  facts: readonly CiFacts[],
  a: Around,
  config: HealthConfig,
  index: GraphIndex,
  now: number,
): Map<number, HealthRuleId[]> {
  const found = new Map<number, Set<HealthRuleId>>();
  const add = (id: number, rule: HealthRuleId) => {
    if (!config.enabled[rule]) return;
    let rules = found.get(id);
    if (!rules) found.set(id, (rules = new Set()));
    rules.add(rule);
  };
  fieldRules(facts, config, now, add);
  graphRules(index, a.retired, facts, config, add);
  if (config.enabled['hard-cycle']) {
    const nodes = facts.map((c) => index.nodeOf(c.id)).filter((v) => v >= 0);
    for (const v of onHardCycle(index, nodes)) add(index.ciIdOf(v), 'hard-cycle');
  }
  if (config.enabled.duplicate) for (const id of duplicateIds(db, facts, config, index)) add(id, 'duplicate');
  const out = new Map<number, HealthRuleId[]>();
  for (const [id, rules] of found)
    out.set(
      id,
      HEALTH_RULES.filter((r) => rules.has(r)),
    );
  return out;
}

/**
 * The rules that fire on each of `ids` (SQLite CI ids), in HEALTH_RULES
 * order; CIs with none are left out. Disabled rules never fire. `index` is
 * the graph index current with `db` (the impact answer's); `now` the stale
 * rule's reference time.
 */
export function ciRules(
  db: Db,
  ids: readonly number[],
  config: HealthConfig,
  index: GraphIndex,
  now = Date.now(),
): Map<number, HealthRuleId[]> {
  return ciRulesOfRows(
    db,
    readRows(
      db,
      [...new Set(ids)].sort((x, y) => x - y),
    ),
    config,
    index,
    now,
  );
}

/** ciRules on rows already read (an impact answer's: ImpactAnswer.rows). */
export function ciRulesOfRows(
  db: Db,
  rows: readonly CiRow[],
  config: HealthConfig,
  index: GraphIndex,
  now = Date.now(),
): Map<number, HealthRuleId[]> {
  const a = aroundOf(db, index);
  return rulesOf(db, factsOf(rows, a), a, config, index, now);
}
