/** The health score (docs/health.md "The score"): parts from each rule's share of CIs, weighted by severity. */
import { describe, expect, it } from 'vitest';
import { HEALTH_RULES, type HealthRuleSummary, healthConfig, RULE_INFO, scoreBasisText } from '../../shared/health.js';
import { healthScore } from '../../electron/cmdb/health/score.js';

/** Every rule's summary with no finding, then the given counts of CIs (and a finding each) per rule. */
function summaries(cis: Partial<Record<(typeof HEALTH_RULES)[number], number>>, file = healthConfig()): HealthRuleSummary[] {
  return HEALTH_RULES.map((rule) => ({
    rule,
    label: RULE_INFO[rule].label,
    part: RULE_INFO[rule].part,
    severity: file.severity[rule],
    enabled: file.enabled[rule],
    findings: cis[rule] ? 1 : 0,
    cis: cis[rule] ?? 0,
  }));
}

describe('healthScore', () => {
  it('is 100 in every part when nothing is found, and for an empty CMDB', () => {
    expect(healthScore(summaries({}), 1000)).toEqual({ score: 100, parts: { completeness: 100, correctness: 100, compliance: 100 } });
    expect(healthScore(summaries({}), 0).score).toBe(100);
  });

  it('weights each rule of a part by its severity (info 1, warning 2, error 3)', () => {
    // completeness: orphan (info, 1) 10%, missing-owner (warning, 2) 5%, missing-criticality (warning, 2) 0%:
    // 100 × (1 − (1×0.10 + 2×0.05 + 2×0) / 5) = 96.
    const s = healthScore(summaries({ orphan: 100, 'missing-owner': 50 }), 1000);
    expect(s.parts.completeness).toBe(96);
    expect(s.parts.correctness).toBe(100);
    expect(s.parts.compliance).toBe(100);
    // score: the mean of the parts, (96 + 100 + 100) / 3 = 98.67 -> 99.
    expect(s.score).toBe(99);
  });

  it('an error-severity rule weighs more than an info one for the same share', () => {
    // correctness: duplicate, mixed-group, unreviewed-rel-type (warning 2 each), retired-dependency, hard-cycle,
    // unsatisfiable-group (error 3 each): Σ = 15.
    const error = healthScore(summaries({ 'hard-cycle': 300 }), 1000).parts.correctness; // 100 × (1 − 3×0.3/15) = 94
    const warning = healthScore(summaries({ duplicate: 300 }), 1000).parts.correctness; // 100 × (1 − 2×0.3/15) = 96
    expect(error).toBe(94);
    expect(warning).toBe(96);
  });

  it('a part with any finding is at most 99, and so is the score', () => {
    const s = healthScore(summaries({ 'hard-cycle': 2 }), 1_000_000);
    expect(s.parts.correctness).toBe(99);
    expect(s.score).toBe(99);
  });

  it('leaves disabled rules out of their part; a part with none enabled is 100', () => {
    const file = healthConfig({
      rules: { stale: { enabled: false }, 'unreviewed-type': { enabled: false }, 'value-variants': { enabled: false } },
    });
    const s = healthScore(summaries({ stale: 500 }, file), 1000);
    expect(s.parts.compliance).toBe(100);
    // With stale enabled: compliance = 100 × (1 − (1×0.5 + 1×0 + 2×0) / 4) = 87.5, rounded to 88 (value-variants weighs 2, a warning).
    expect(healthScore(summaries({ stale: 500 }), 1000).parts.compliance).toBe(88);
  });

  it('reaches 0 when every CI is affected by every rule of every part', () => {
    const all = Object.fromEntries(HEALTH_RULES.map((r) => [r, 10]));
    expect(healthScore(summaries(all), 10)).toEqual({ score: 0, parts: { completeness: 0, correctness: 0, compliance: 0 } });
  });
});

describe('scoreBasisText (found by a CAB chair: "99 of 100" over "14,904 errors" read as a contradiction)', () => {
  it('says each rule counts by the share of CIs it names, with the largest share', () => {
    const rules = summaries({ 'retired-dependency': 19_694, 'hard-cycle': 20, orphan: 5 });
    expect(scoreBasisText({ cis: 300_001, rules })).toBe(
      `Each rule counts by the share of the CIs its findings name: the largest, ${RULE_INFO['retired-dependency'].label}, names 19,694 of 300,001 CIs (6.6%).`,
    );
    expect(scoreBasisText({ cis: 300_001, rules: summaries({ orphan: 2 }) })).toMatch(/names 2 of 300,001 CIs \(<0\.1%\)\.$/);
    expect(scoreBasisText({ cis: 10, rules: summaries({}) })).toBeNull();
  });
});
