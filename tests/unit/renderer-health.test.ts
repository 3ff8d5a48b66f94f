/**
 * The Health screen's pure parts (renderer/src/health/model.ts): which of
 * possible duplicates a merge proposes to keep, a merge's outcome in words
 * (from the engine's own record), the healthy state, tones, the address's rule.
 */
import { describe, expect, it } from 'vitest';
import type { CiDetail } from '../../shared/domain.js';
import { findingsText, HEALTH_RULES, RULE_INFO, type HealthReport } from '../../shared/health.js';
import { isHealthy, isRule, likelyKeep, mergeOutcome, scoreCardTone, scoreTone } from '../../renderer/src/health/model.js';
import { freshService, ok } from './helpers.js';

function detail(key: string, rels: [number, number], fields: Partial<CiDetail['ci']> = {}): CiDetail {
  return {
    ci: {
      id: 1,
      key,
      type: 'server',
      name: key,
      status: null,
      environment: null,
      owner: null,
      criticality: null,
      description: null,
      attributes: {},
      createdAt: '',
      updatedAt: '',
      importId: null,
      ...fields,
    },
    outgoing: [],
    incoming: [],
    history: [],
    outgoingTotal: rels[0],
    incomingTotal: rels[1],
    historyTotal: 0,
  };
}

function report(score: number, findings: number[]): HealthReport {
  return {
    score,
    parts: { completeness: score, correctness: score, compliance: score },
    cis: 10,
    relationships: 10,
    rules: HEALTH_RULES.map((rule, i) => ({ rule, ...RULE_INFO[rule], enabled: true, findings: findings[i] ?? 0, cis: findings[i] ?? 0 })),
    findings: [],
    total: 0,
    rulesFile: null,
    warnings: [],
    computedAt: '',
    durationMs: 0,
  };
}

describe('the Health screen model', () => {
  it('proposes to keep the CI with the most relationships, then the most filled, then the first key', () => {
    expect(likelyKeep([detail('b', [1, 0]), detail('a', [2, 1])])).toBe('a');
    expect(likelyKeep([detail('a', [1, 1]), detail('b', [0, 2], { owner: 'ops', attributes: { ip: '1' } })])).toBe('b');
    expect(likelyKeep([detail('b', [1, 1]), detail('a', [2, 0])])).toBe('a');
    expect(likelyKeep([])).toBeNull();
  });

  it("says what a merge did, from the engine's record", async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'k', fields: { type: 'server', name: 'web 1' } });
    await ok(svc, 'createCi', { key: 'm', fields: { type: 'server', name: 'WEB-1', owner: 'ops', attributes: { serial_number: 'S1' } } });
    await ok(svc, 'createCi', { key: 'x', fields: { type: 'application', name: 'x' } });
    await ok(svc, 'createRelationship', { source: 'x', target: 'm', type: 'runs_on' });
    const rec = await ok(svc, 'mergeCis', { keep: 'k', merge: 'm' });
    expect(mergeOutcome(rec)).toBe('1 relationship moved, 0 dropped; filled owner, serial_number');
    expect(mergeOutcome({ ...rec, moved: 1200, dropped: 2, filled: [] })).toBe('1,200 relationships moved, 2 dropped; nothing to fill');
    // One saved change "names" the CI kept; more "name" it.
    expect(mergeOutcome({ ...rec, renamed: { changes: 1, views: 0 } })).toBe(
      '1 relationship moved, 0 dropped; filled owner, serial_number; 1 saved change now names the CI kept',
    );
    expect(mergeOutcome({ ...rec, renamed: { changes: 0, views: 2 } })).toMatch(/; 2 saved views now name the CI kept$/);
    expect(mergeOutcome({ ...rec, renamed: { changes: 1, views: 1 } })).toMatch(/; 1 saved change and 1 saved view now name the CI kept$/);
    // Dropped relationships of another redundancy are named, each with the CI whose history holds its entry; past three, counted.
    const rels = ['a', 'b', 'c', 'd'].map((k) => ({ source: k, type: 'depends_on', target: 'x2' }));
    expect(mergeOutcome({ ...rec, mergedKey: 'x2', dropped: 4, differing: 4, differingRels: rels })).toContain(
      "4 dropped (4 of them in another redundancy group or min_up than the kept CI's same relationship, which stays: check a depends_on x2 in a's history, b depends_on x2 in b's history, c depends_on x2 in c's history, and 1 more);",
    );
  });

  it('is healthy only at 100 with no finding; tones and rules from the address', () => {
    expect(isHealthy(report(100, []))).toBe(true);
    expect(isHealthy(report(100, [0, 1]))).toBe(false);
    expect(isHealthy(report(99, []))).toBe(false);
    expect([scoreTone(100), scoreTone(90), scoreTone(89), scoreTone(70), scoreTone(69)]).toEqual(['ok', 'ok', 'warn', 'warn', 'danger']);
    // 99 with errors left to fix is not green; the findings beside it say how many of each.
    expect([scoreCardTone(99, 285), scoreCardTone(99, 0), scoreCardTone(50, 3)]).toEqual(['warn', 'ok', 'danger']);
    const rule = (severity: 'error' | 'warning' | 'info', findings: number, enabled = true) =>
      ({ rule: 'orphan', label: '', part: 'completeness', severity, enabled, findings, cis: findings }) as const;
    expect(findingsText([rule('error', 285), rule('error', 3), rule('warning', 1), rule('info', 4), rule('warning', 9, false)])).toBe(
      '288 errors, 1 warning, 4 notes',
    );
    expect(findingsText([rule('info', 0)])).toBe('nothing found');
    expect(isRule('missing-owner')).toBe(true);
    expect(isRule('missing_owner')).toBe(false);
    expect(isRule(undefined)).toBe(false);
  });
});
