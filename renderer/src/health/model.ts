/** The Health screen's pure parts: tones, the healthy state, the CI a merge most likely keeps; a merge's outcome in words (shared with the CLI). */
import type { CiDetail } from '../../../shared/domain.js';
import { HEALTH_RULES, type HealthReport, type HealthRuleId, type HealthSeverity } from '../../../shared/health.js';

/** The tone of a score: good, to watch, poor. */
export function scoreTone(score: number): 'ok' | 'warn' | 'danger' {
  return score >= 90 ? 'ok' : score >= 70 ? 'warn' : 'danger';
}

/** The big score's tone: never green while error findings are left to fix, however few CIs they touch. */
export function scoreCardTone(score: number, errors: number): 'ok' | 'warn' | 'danger' {
  const tone = scoreTone(score);
  return errors > 0 && tone === 'ok' ? 'warn' : tone;
}

/** The pill tone of a severity. */
export const SEVERITY_TONE: Record<HealthSeverity, string> = { error: 'danger', warning: 'warn', info: '' };

/** An address's `rule` when it names a rule. */
export const isRule = (r: string | undefined): r is HealthRuleId => r !== undefined && (HEALTH_RULES as readonly string[]).includes(r);

/**
 * What to do when the report could not be made, by error code: a refused
 * request is the rules file (the screen's own requests are well formed), so
 * not "the highlighted value"; undefined for the generic step of the code.
 */
export function reportErrorNext(code: string): string | undefined {
  return code === 'INVALID_REQUEST' ? 'Correct the rules file it names, or move it away to use the default rules, then retry.' : undefined;
}

/** Score 100 and no rule with a finding. */
export const isHealthy = (r: HealthReport): boolean => r.score === 100 && r.rules.every((x) => x.findings === 0);

const relationships = (d: CiDetail) => d.outgoingTotal + d.incomingTotal;
const filledCount = (d: CiDetail) =>
  [d.ci.owner, d.ci.criticality, d.ci.environment, d.ci.status, d.ci.description].filter((v) => v !== null && v !== '').length +
  Object.keys(d.ci.attributes).length;

/** The CI a person most likely keeps of possible duplicates: the most relationships, then the most fields and attributes filled, then by key. */
export function likelyKeep(details: CiDetail[]): string | null {
  const best = [...details].sort(
    (a, b) => relationships(b) - relationships(a) || filledCount(b) - filledCount(a) || a.ci.key.localeCompare(b.ci.key),
  )[0];
  return best?.ci.key ?? null;
}

export { mergeOutcome } from '../../../shared/merge-text.js';
