/**
 * HealthService: the CMDB's health report (issue 18) for the `health`
 * method, computed once per state of the CMDB and rules and then filtered and
 * paged from memory. "State of the CMDB" is the stamp the graph index uses
 * (impact/graph-index.ts dataStamp: PRAGMA data_version for other
 * connections' commits, total_changes() for this connection's writes), plus
 * the day (the stale rule's reference) and the rules' signature
 * (rules-file.ts). The graph rules read the impact engine's own index
 * (IndexHolder), so the app builds it once for both.
 */
import type { ParsedRequest } from '../../../shared/api.js';
import type { HealthReport, HealthRuleId } from '../../../shared/health.js';
import type { Db } from '../db.js';
import { dataStamp } from '../data-stamp.js';
import type { GraphIndex } from '../impact/graph-index.js';
import { nowIso } from '../rows.js';
import { type ComputedHealth, computeHealth, rawFindings, rulesByCi } from './compute.js';
import { loadHealthRules, type LoadedRules, unknownTypeWarnings } from './rules-file.js';
import { findingCis, healthFile } from './health-export.js';

interface Cached {
  stamp: string;
  report: ComputedHealth;
  rulesFile: string | null;
  computedAt: string;
  durationMs: number;
  /** Rules per CI id, made on first use (rulesForCis). */
  byId: Map<number, HealthRuleId[]> | null;
  /** Time spent getting the graph index (built, patched, or already current). */
  indexMs: number;
}

/**
 * The share of the CMDB's CIs from which rulesForCis runs the rules over the
 * whole CMDB rather than for just the CIs asked. A run for some CIs costs
 * 7 to 20 µs per CI asked (each rule reads them by id: the ids as a JSON list
 * each query reads again, a per-CI walk of the graph rules, a read of every
 * asked CI's attributes) on top of the asked types' names, read whole; one
 * over the whole CMDB about 3 µs per CI of the CMDB. At 300,000 CIs: 0.6 s
 * for 1,000 CIs, 1.3 s for 30,000, 1.8 s for 75,000, 2.4 s for the 245,749
 * an assess report names; 1.0 s over the whole CMDB (cold, the CLI's case;
 * an app with its per-index tables warm pays less for some CIs).
 */
export const WHOLE_RUN_SHARE = 0.25;

export class HealthService {
  private cached: Cached | null = null;
  /**
   * Rules per CI id of the CIs rulesForCis ran the rules for (CIs with none: in `ids` only), per state; `all`:
   * the rules ran over the whole CMDB, so `byId` holds every CI's.
   */
  private asked: { stamp: string; all: boolean; ids: Set<number>; byId: Map<number, HealthRuleId[]> } | null = null;
  /** How many times the report was computed (tests, diagnostics). */
  computations = 0;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    /** The current graph index (the impact engine's IndexHolder.get). */
    private readonly index: () => GraphIndex,
    /** The clock, for tests of the stale rule. */
    private readonly clock: () => number = Date.now,
    /** From what share of the CMDB's CIs rulesForCis runs the rules over the whole CMDB (WHOLE_RUN_SHARE; tests set others). */
    private readonly wholeRunShare: number = WHOLE_RUN_SHARE,
  ) {}

  private stampFor(rules: LoadedRules): string {
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    return `${dataStamp(this.db)}|${day}|${rules.signature}`;
  }

  /** The whole report for `rules`, from the cache when the CMDB and the rules are as they were. */
  private report(rules: LoadedRules): Cached {
    const stamp = this.stampFor(rules);
    if (this.cached?.stamp === stamp) return this.cached;
    const t0 = performance.now();
    // One read transaction: every rule sees the same CMDB (the stamp was taken before it began).
    let indexMs = 0;
    const report = this.db.transaction(() => {
      const t1 = performance.now();
      const index = this.index();
      indexMs = Math.round(performance.now() - t1);
      return computeHealth(this.db, rules.config, index, this.clock());
    })();
    this.computations++;
    this.cached = {
      stamp,
      report,
      rulesFile: rules.file,
      computedAt: nowIso(),
      durationMs: Math.round(performance.now() - t0),
      byId: null,
      indexMs,
    };
    return this.cached;
  }

  /** The `health` method: the score, every rule's summary, and the findings asked for (by rule, by CI key or name), paged. */
  health(req: ParsedRequest<'health'>): HealthReport {
    const rules = loadHealthRules(this.path, req.rules);
    const cached = this.report(rules);
    const { report } = cached;
    let findings = report.findings;
    if (req.rule) findings = findings.filter((f) => f.rule === req.rule);
    const query = req.query?.trim().toLowerCase();
    if (query) {
      const names = this.namesOf(findings);
      findings = findings.filter((f) => f.ids.some((id, i) => f.keys[i]!.toLowerCase().includes(query) || names.get(id)?.includes(query)));
    }
    return {
      score: report.score,
      parts: report.parts,
      cis: report.cis,
      relationships: report.relationships,
      rules: report.rules,
      findings: findings
        .slice(req.offset, req.offset + req.limit)
        .map(({ rule, severity, keys, message, variants }) => ({ rule, severity, keys, message, ...(variants ? { variants } : {}) })),
      total: findings.length,
      rulesFile: cached.rulesFile,
      warnings: unknownTypeWarnings(this.db, rules.config),
      computedAt: cached.computedAt,
      durationMs: cached.durationMs,
    };
  }

  /** Every finding asked for (all, a rule's, a search's) as a CSV, Markdown or JSON file (health-export.ts). */
  exportHealth(req: ParsedRequest<'exportHealth'>): { filename: string; mime: string; content: string } {
    const read = this.health({ ...req, offset: 0, limit: Number.MAX_SAFE_INTEGER });
    const report = req.rulesName === undefined ? read : { ...read, rulesFile: req.rulesName };
    return healthFile({ report, cis: findingCis(this.db, report), cmdbFile: this.path, rule: req.rule, query: req.query }, req.format);
  }

  /** Lower-cased names of the findings' CIs, by id. */
  private namesOf(findings: ComputedHealth['findings']): Map<number, string> {
    const ids = [...new Set(findings.flatMap((f) => f.ids))];
    const out = new Map<number, string>();
    const read = this.db.prepare('SELECT id, name FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
    for (let i = 0; i < ids.length; i += 50_000) {
      for (const [id, name] of read.all(JSON.stringify(ids.slice(i, i + 50_000))) as Array<[number, string]>)
        out.set(id, name.toLowerCase());
    }
    return out;
  }

  /**
   * The rules that fire on each of these CIs (by SQLite id; CIs with none are
   * left out), with the rules beside the CMDB (or the defaults): from the
   * cached report when it is current, else by running the rules for the CIs
   * not asked about before in the same state of the CMDB and rules (the
   * report is not computed for it; answers in a row on the same data pay
   * once): for just those CIs, or, when they are WHOLE_RUN_SHARE of the
   * CMDB's CIs or more, over the whole CMDB (cheaper then; every CI's rules
   * are kept, so later answers in that state pay nothing).
   */
  rulesForCis(ids: number[]): Map<number, HealthRuleId[]> {
    const rules = loadHealthRules(this.path);
    const stamp = this.stampFor(rules);
    let byId: Map<number, HealthRuleId[]>;
    if (this.cached?.stamp === stamp) {
      byId = this.cached.byId ??= rulesByCi(this.cached.report.findings);
    } else {
      if (this.asked?.stamp !== stamp) this.asked = { stamp, all: false, ids: new Set(), byId: new Map() };
      const { asked } = this;
      const scope = new Set(asked.all ? [] : ids.filter((id) => !asked.ids.has(id)));
      if (scope.size > 0) {
        this.db.transaction(() => {
          const cis = this.db.prepare('SELECT count(*) FROM cis').pluck().get() as number;
          const whole = scope.size >= this.wholeRunShare * cis;
          const { raw } = rawFindings(this.db, rules.config, this.index(), this.clock(), whole ? null : scope);
          for (const [id, found] of rulesByCi(raw)) if (whole || scope.has(id)) asked.byId.set(id, found);
          if (whole) asked.all = true;
          else for (const id of scope) asked.ids.add(id);
        })();
      }
      byId = asked.byId;
    }
    const out = new Map<number, HealthRuleId[]>();
    for (const id of ids) {
      const r = byId.get(id);
      if (r) out.set(id, r);
    }
    return out;
  }

  /** Time each rule, and getting the graph index, took in the last computation, ms (the bench). */
  lastTimings(): Partial<Record<HealthRuleId | 'index', number>> {
    return this.cached ? { index: this.cached.indexMs, ...this.cached.report.ruleMs } : {};
  }
}
