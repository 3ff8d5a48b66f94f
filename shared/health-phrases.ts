/**
 * Health rules in words for one CI or a count of CIs: the impact answer's
 * notes, its reports, the CLI and the Impact screen's badges say them alike.
 */
import { formatCount } from './format.js';
import { HEALTH_SEVERITIES, type HealthRuleId, type HealthSeverity } from './health.js';

/** What a rule says about one CI ("no owner"), for a badge's title and a report's cell. */
export const RULE_SHORT: Record<HealthRuleId, string> = {
  duplicate: 'possible duplicate',
  orphan: 'no relationship',
  'missing-owner': 'no owner',
  'missing-criticality': 'production CI without a criticality',
  stale: 'stale',
  'retired-dependency': 'retired, or depends on a retired CI',
  'hard-cycle': 'in a cycle of hard dependencies',
  'unsatisfiable-group': 'redundancy group that cannot be satisfied',
  'mixed-group': 'redundancy group of mixed types or min_up',
  'unreviewed-type': 'type flagged for review',
  'unreviewed-rel-type': 'depends through a relationship type flagged for review',
  'value-variants': 'a value spelled another way by most CIs',
};

const COUNTED: Record<HealthRuleId, [one: string, many: string]> = {
  duplicate: ['possible duplicate', 'possible duplicates'],
  orphan: ['CI with no relationship', 'CIs with no relationship'],
  'missing-owner': ['CI without an owner', 'CIs without an owner'],
  'missing-criticality': ['production CI without a criticality', 'production CIs without a criticality'],
  stale: ['stale CI', 'stale CIs'],
  'retired-dependency': ['CI retired or depending on a retired one', 'CIs retired or depending on a retired one'],
  'hard-cycle': ['CI in a cycle of hard dependencies', 'CIs in a cycle of hard dependencies'],
  'unsatisfiable-group': ['CI whose redundancy group cannot be satisfied', 'CIs whose redundancy group cannot be satisfied'],
  'mixed-group': ['CI in a redundancy group of mixed types or min_up', 'CIs in a redundancy group of mixed types or min_up'],
  'unreviewed-type': ['CI of a type flagged for review', 'CIs of a type flagged for review'],
  'unreviewed-rel-type': [
    'CI depending through a relationship type flagged for review',
    'CIs depending through a relationship type flagged for review',
  ],
  'value-variants': ['CI with a value most CIs spell another way', 'CIs with a value most CIs spell another way'],
};

/** "2 CIs without an owner", "1 possible duplicate". */
export function ruleCount(rule: HealthRuleId, n: number): string {
  const [one, many] = COUNTED[rule];
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The rules on one CI in words: "no owner; possible duplicate". */
export function rulesInWords(rules: readonly HealthRuleId[]): string {
  return rules.map((r) => RULE_SHORT[r]).join('; ');
}

/** Higher for more severe: error 2, warning 1, info 0. */
export function severityRank(s: HealthSeverity): number {
  return HEALTH_SEVERITIES.indexOf(s);
}
