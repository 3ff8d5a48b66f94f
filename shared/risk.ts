/**
 * The risk rules, in one place for the engine, the renderer and the reports:
 * what risk one impacted CI brings, and the rule in words.
 */
import { RISK_LEVELS, type RiskLevel } from './impact.js';
import { criticalityRank } from './vocab.js';

/**
 * Risk level index (RISK_LEVELS) one impacted CI brings, from whether it goes
 * down and its criticality rank (criticalityRank). Down: critical ->
 * critical, high -> high, medium -> medium, anything else -> low. Degraded:
 * one level lower (critical -> high, high -> medium), never below low. The
 * changed CIs themselves count as degraded: their outage is the planned part
 * of the change, what it takes down with it is the risk (so one of two
 * redundant load balancers in front of a critical service is a high-risk
 * change, not a critical one).
 */
export function riskIndex(isDown: boolean, rank: number): number {
  return Math.max(1, isDown ? rank : rank - 1);
}

/**
 * The highest risk the impacted CIs of unknown criticality could bring (none when there are none): one that
 * goes down could be critical, one degraded high. A gate (`--fail-on`) counts them at this, not at the lowest.
 */
export function unknownRiskCeiling(unknown: { down: number; degraded: number } | undefined): RiskLevel {
  if (!unknown || unknown.down + unknown.degraded === 0) return 'none';
  return RISK_LEVELS[riskIndex(unknown.down > 0, criticalityRank('critical'))]!;
}

/** The level the CIs of unknown criticality could bring the risk to, when that is above its level; null otherwise. */
export function riskCouldReach(risk: { level: RiskLevel; unknown?: { down: number; degraded: number } | undefined }): RiskLevel | null {
  const ceiling = unknownRiskCeiling(risk.unknown);
  return RISK_LEVELS.indexOf(ceiling) > RISK_LEVELS.indexOf(risk.level) ? ceiling : null;
}

/** Whether `level` is `threshold` or above it on the one risk scale. */
export function riskAtLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(threshold);
}

export const RISK_RULE =
  'Risk is the highest over the CIs that go down or are degraded: a critical CI down is critical; a high CI down or a critical one degraded is high; a medium CI down or a high one degraded is medium; anything else impacted is low. The changed CIs count as degraded: their outage is the planned part of the change. Criticality is read on the registry scale (critical, high, medium, low; ServiceNow "1 - most critical" ... "4 - not critical" too); impacted CIs whose criticality is unknown are named apart, not assumed.';
