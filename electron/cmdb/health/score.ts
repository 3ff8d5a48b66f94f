/**
 * The health score (docs/health.md "The score"). Each rule's share of CIs
 * affected, `cis / max(1, CIs in the CMDB)`, counts against its part
 * (RULE_INFO) weighted by its severity (info 1, warning 2, error 3):
 *
 *   part  = 100 × (1 − Σ weight × share / Σ weight)   over the part's enabled rules
 *   score = the mean of the three parts
 *
 * A part with no enabled rule is 100. Each is rounded to a whole number, but
 * a part (or the score) with any finding is at most 99: 100 means nothing found.
 */
import { HEALTH_PARTS, type HealthPart, type HealthRuleSummary, type HealthSeverity } from '../../../shared/health.js';

export const SEVERITY_WEIGHT: Record<HealthSeverity, number> = { info: 1, warning: 2, error: 3 };

export interface HealthScore {
  score: number;
  parts: Record<HealthPart, number>;
}

/** Rounded, and at most 99 when anything was found. */
function shown(value: number, found: boolean): number {
  const r = Math.round(Math.max(0, Math.min(100, value)));
  return found && r === 100 ? 99 : r;
}

/** The score and its parts from each rule's summary and the number of CIs. */
export function healthScore(rules: readonly HealthRuleSummary[], cis: number): HealthScore {
  const parts = {} as Record<HealthPart, number>;
  let sum = 0;
  let foundAny = false;
  for (const part of HEALTH_PARTS) {
    let weights = 0;
    let lost = 0;
    let found = false;
    for (const r of rules) {
      if (r.part !== part || !r.enabled) continue;
      const w = SEVERITY_WEIGHT[r.severity];
      weights += w;
      lost += w * Math.min(1, r.cis / Math.max(1, cis));
      if (r.findings > 0) found = true;
    }
    const value = weights === 0 ? 100 : 100 * (1 - lost / weights);
    parts[part] = shown(value, found);
    sum += value;
    foundAny ||= found;
  }
  return { score: shown(sum / HEALTH_PARTS.length, foundAny), parts };
}
