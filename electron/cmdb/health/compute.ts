/**
 * Runs every enabled rule over the CMDB and makes the whole report: the
 * findings worded and sorted (most severe first, then by rule, then by first
 * key), each rule's summary (enabled or not), and the score.
 */
import {
  HEALTH_RULES,
  HEALTH_SEVERITIES,
  type HealthConfig,
  type HealthFinding,
  type HealthPart,
  type HealthRuleId,
  type HealthRuleSummary,
  RULE_INFO,
} from '../../../shared/health.js';
import type { Db } from '../db.js';
import type { GraphIndex } from '../impact/graph-index.js';
import type { RawFinding, Rule, RuleContext } from './context.js';
import { readLabels } from './labels.js';
import { findingMessage } from './messages.js';
import { hardCycle } from './rules/cycles.js';
import { duplicate } from './rules/duplicate.js';
import { missingCriticality, missingOwner, unreviewedType } from './rules/fields.js';
import { unreviewedRelType } from './rules/rel-types.js';
import { mixedGroup, unsatisfiableGroup } from './rules/groups.js';
import { orphan } from './rules/orphan.js';
import { retiredDependency } from './rules/retired.js';
import { stale } from './rules/stale.js';
import { valueVariants } from './rules/variants.js';
import { healthScore } from './score.js';

/** Each rule's implementation, by id. */
export const RULES: Record<HealthRuleId, Rule> = {
  duplicate,
  orphan,
  'missing-owner': missingOwner,
  'missing-criticality': missingCriticality,
  stale,
  'retired-dependency': retiredDependency,
  'hard-cycle': hardCycle,
  'unsatisfiable-group': unsatisfiableGroup,
  'mixed-group': mixedGroup,
  'unreviewed-type': unreviewedType,
  'unreviewed-rel-type': unreviewedRelType,
  'value-variants': valueVariants,
};

/** A finding with the SQLite ids of its CIs (same order as its keys), kept by the engine to answer per CI. */
export interface EngineFinding extends HealthFinding {
  ids: number[];
}

export interface ComputedHealth {
  score: number;
  parts: Record<HealthPart, number>;
  cis: number;
  relationships: number;
  rules: HealthRuleSummary[];
  findings: EngineFinding[];
  /** Time each rule took, ms (diagnostics, the bench). */
  ruleMs: Partial<Record<HealthRuleId, number>>;
}

/**
 * The enabled rules' findings before they are worded (about `scope`'s CIs
 * when given: a finding naming any of them), with the time each rule took.
 */
export function rawFindings(
  db: Db,
  config: HealthConfig,
  index: GraphIndex,
  now: number,
  scope: ReadonlySet<number> | null = null,
): { raw: RawFinding[]; ruleMs: Partial<Record<HealthRuleId, number>> } {
  const ctx: RuleContext = { db, config, index, now, scope };
  const raw: RawFinding[] = [];
  const ruleMs: Partial<Record<HealthRuleId, number>> = {};
  for (const id of HEALTH_RULES) {
    if (!config.enabled[id]) continue;
    const t0 = performance.now();
    for (const f of RULES[id](ctx)) {
      if (scope === null || f.ids.some((i) => scope.has(i))) raw.push(f);
    }
    ruleMs[id] = Math.round(performance.now() - t0);
  }
  return { raw, ruleMs };
}

/** The findings of the enabled rules (about `scope`'s CIs when given), worded. */
export function runRules(
  db: Db,
  config: HealthConfig,
  index: GraphIndex,
  now: number,
  scope: ReadonlySet<number> | null = null,
): { findings: EngineFinding[]; ruleMs: Partial<Record<HealthRuleId, number>> } {
  const { raw, ruleMs } = rawFindings(db, config, index, now, scope);
  return { findings: word(db, config, raw, now), ruleMs };
}

const severityRank = (s: string) => HEALTH_SEVERITIES.indexOf(s as (typeof HEALTH_SEVERITIES)[number]);
const ruleRank = (r: HealthRuleId) => HEALTH_RULES.indexOf(r);

/** Keys and messages for raw findings, sorted. */
function word(db: Db, config: HealthConfig, raw: RawFinding[], now: number): EngineFinding[] {
  const labels = readLabels(
    db,
    raw.flatMap((f) => f.ids),
  );
  const staleDays = (type: string) => config.staleDaysByType[type] ?? config.staleDays;
  const out: EngineFinding[] = [];
  for (const f of raw) {
    let ids = f.ids.filter((id) => labels.has(id));
    if (ids.length === 0) continue;
    // A duplicate set is listed by key; the other rules' order means something (dependent first, the cycle's order).
    if (f.rule === 'duplicate') ids = [...ids].sort((a, b) => cmp(labels.get(a)!.key, labels.get(b)!.key));
    const cis = ids.map((id) => labels.get(id)!);
    out.push({
      rule: f.rule,
      severity: config.severity[f.rule],
      keys: cis.map((c) => c.key),
      message: findingMessage({ rule: f.rule, cis, ids, detail: f.detail, variants: f.variants, staleDays, now }),
      ids,
      ...(f.variants ? { variants: f.variants } : {}),
    });
  }
  return out.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || ruleRank(a.rule) - ruleRank(b.rule) || cmp(a.keys[0]!, b.keys[0]!),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The whole report over the CMDB: findings, each rule's summary, the score. */
export function computeHealth(db: Db, config: HealthConfig, index: GraphIndex, now: number): ComputedHealth {
  const { findings, ruleMs } = runRules(db, config, index, now);
  const { cis, relationships } = db
    .prepare('SELECT (SELECT count(*) FROM cis) AS cis, (SELECT count(*) FROM relationships) AS relationships')
    .get() as { cis: number; relationships: number };
  const rules: HealthRuleSummary[] = HEALTH_RULES.map((rule) => {
    const mine = findings.filter((f) => f.rule === rule);
    const distinct = new Set<number>();
    for (const f of mine) for (const id of f.ids) distinct.add(id);
    return {
      rule,
      label: RULE_INFO[rule].label,
      part: RULE_INFO[rule].part,
      severity: config.severity[rule],
      enabled: config.enabled[rule],
      findings: mine.length,
      cis: distinct.size,
    };
  });
  return { ...healthScore(rules, cis), cis, relationships, rules, findings, ruleMs };
}

/** The rules on each CI the findings name, by SQLite id, in HEALTH_RULES order. */
export function rulesByCi(findings: ReadonlyArray<{ rule: HealthRuleId; ids: readonly number[] }>): Map<number, HealthRuleId[]> {
  const sets = new Map<number, Set<HealthRuleId>>();
  for (const f of findings) {
    for (const id of f.ids) {
      let s = sets.get(id);
      if (!s) sets.set(id, (s = new Set()));
      s.add(f.rule);
    }
  }
  const out = new Map<number, HealthRuleId[]>();
  for (const [id, s] of sets)
    out.set(
      id,
      HEALTH_RULES.filter((r) => s.has(r)),
    );
  return out;
}
