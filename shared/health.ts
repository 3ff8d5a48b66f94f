/**
 * CMDB health (issue 18): data-quality rules over the inventory, a score,
 * the findings on an impact answer, and merging duplicates. Schemas and the
 * pure helpers every side shares; the engine is electron/cmdb/health/.
 */
import { formatCount, formatCountOf } from './format.js';
import * as z from 'zod';

/** The rules, by their stable ids (docs/health.md explains each). */
export const HEALTH_RULES = [
  'duplicate',
  'orphan',
  'missing-owner',
  'missing-criticality',
  'stale',
  'retired-dependency',
  'hard-cycle',
  'unsatisfiable-group',
  'mixed-group',
  'unreviewed-type',
  'unreviewed-rel-type',
  'value-variants',
] as const;
export const healthRuleIdSchema = z.enum(HEALTH_RULES);
export type HealthRuleId = z.infer<typeof healthRuleIdSchema>;

/** Ordered from least to most severe. */
export const HEALTH_SEVERITIES = ['info', 'warning', 'error'] as const;
export const healthSeveritySchema = z.enum(HEALTH_SEVERITIES);
export type HealthSeverity = z.infer<typeof healthSeveritySchema>;

/** The score's three parts; each rule counts against one. */
export const HEALTH_PARTS = ['completeness', 'correctness', 'compliance'] as const;
export const healthPartSchema = z.enum(HEALTH_PARTS);
export type HealthPart = z.infer<typeof healthPartSchema>;

/** Each rule's part of the score, default severity and one-line label. */
export const RULE_INFO: Record<HealthRuleId, { part: HealthPart; severity: HealthSeverity; label: string }> = {
  duplicate: { part: 'correctness', severity: 'warning', label: 'Possible duplicates' },
  orphan: { part: 'completeness', severity: 'info', label: 'CIs with no relationship' },
  'missing-owner': { part: 'completeness', severity: 'warning', label: 'CIs without an owner' },
  'missing-criticality': { part: 'completeness', severity: 'warning', label: 'Production CIs without a criticality' },
  stale: { part: 'compliance', severity: 'info', label: 'Stale CIs' },
  'retired-dependency': { part: 'correctness', severity: 'error', label: 'Depends on a retired CI' },
  'hard-cycle': { part: 'correctness', severity: 'error', label: 'Cycles of hard dependencies' },
  'unsatisfiable-group': { part: 'correctness', severity: 'error', label: 'Redundancy groups that cannot be satisfied' },
  'mixed-group': { part: 'correctness', severity: 'warning', label: 'Redundancy groups of mixed types or min_up' },
  'unreviewed-type': { part: 'compliance', severity: 'info', label: 'CIs of types flagged for review' },
  'unreviewed-rel-type': { part: 'correctness', severity: 'warning', label: 'Dependencies through relationship types flagged for review' },
  'value-variants': { part: 'compliance', severity: 'warning', label: 'Values spelled several ways' },
};

/**
 * The CI fields `value-variants` compares, and `unifyValues` rewrites. Not `type`: the registry keeps
 * each type's name lower case with `_` (types-registry.ts), so two spellings of one type cannot be stored.
 */
export const VARIANT_FIELDS = ['environment', 'status', 'owner', 'criticality'] as const;
export const variantFieldSchema = z.enum(VARIANT_FIELDS, {
  error: (i) => `must be one of ${VARIANT_FIELDS.join(', ')}${typeof i.input === 'string' ? `, not "${i.input}"` : ''}`,
});
export type VariantField = (typeof VARIANT_FIELDS)[number];

/**
 * A value as `value-variants` compares it: runs of spaces as one, trimmed, lower case (Unicode), so
 * `Production`, `production` and `PRODUCTION ` are one value spelled three ways.
 */
export function variantKey(value: string): string {
  return value.replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** A spelling with its CIs, quoted so that spaces show: `"PRODUCTION " (1 CI)`. */
export function spellingText(s: { value: string; cis: number }): string {
  return `${JSON.stringify(s.value)} (${formatCountOf(s.cis, 'CI', 'CIs')})`;
}

/** Spellings with their CIs (spellingText), comma-separated. */
export function spellingsText(spellings: ReadonlyArray<{ value: string; cis: number }>): string {
  return spellings.map(spellingText).join(', ');
}

/** What a unify of spellings does not reach, said after it (the CLI) and before it (the app's confirmation). */
export const RESPELLED_NOTE =
  'A source whose export still writes another spelling writes it again on its next import: correct the export for a lasting fix.';

/** One value's spellings in the CMDB, the most common first, each with its CIs: what a value-variants finding is about. */
export const valueVariantsSchema = z.object({
  field: variantFieldSchema,
  spellings: z.array(z.object({ value: z.string(), cis: z.number().int() })),
});
export type ValueVariants = z.infer<typeof valueVariantsSchema>;

/** Identifying attributes the duplicate rule compares when a rules file names none. */
export const DEFAULT_IDENTIFYING_ATTRIBUTES = ['serial_number', 'ip_address', 'mac_address', 'fqdn', 'asset_tag', 'arn'];
/** Environments (compared case-insensitively) the missing-criticality rule treats as production. */
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod', 'prd'];
export const DEFAULT_STALE_DAYS = 90;
/** The most days a stale limit may be: 100 years (far more would put the cutoff before any date the rule can compute). */
export const MAX_STALE_DAYS = 36_500;
const staleDays = z
  .number()
  .int()
  .min(1)
  .max(MAX_STALE_DAYS, `at most ${MAX_STALE_DAYS} days (100 years); to never call a type stale, list it in exemptTypes`);

const base = { enabled: z.boolean().optional(), severity: healthSeveritySchema.optional() };
const types = z.array(z.string().min(1));

/**
 * A rules file: every key optional, unknown keys refused (a typo must not be
 * silently ignored). `cmdb health --rules FILE`; the app reads
 * `<cmdb file>.health.json` beside the CMDB when it exists.
 */
export const healthRulesFileSchema = z
  .object({
    rules: z
      .object({
        duplicate: z
          .object({ ...base, identifyingAttributes: z.array(z.string().min(1)).optional(), exemptTypes: types.optional() })
          .strict(),
        orphan: z.object({ ...base, exemptTypes: types.optional() }).strict(),
        'missing-owner': z.object({ ...base, exemptTypes: types.optional() }).strict(),
        'missing-criticality': z.object({ ...base, productionEnvironments: z.array(z.string().min(1)).optional() }).strict(),
        stale: z
          .object({
            ...base,
            days: staleDays.optional(),
            /** Days per CI type, overriding `days`. */
            byType: z.record(z.string(), staleDays).optional(),
            exemptTypes: types.optional(),
          })
          .strict(),
        'retired-dependency': z.object(base).strict(),
        'hard-cycle': z.object(base).strict(),
        'unsatisfiable-group': z.object(base).strict(),
        'mixed-group': z.object(base).strict(),
        'unreviewed-type': z.object(base).strict(),
        'unreviewed-rel-type': z.object(base).strict(),
        'value-variants': z.object({ ...base, fields: z.array(variantFieldSchema).min(1).optional() }).strict(),
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict();
export type HealthRulesFile = z.infer<typeof healthRulesFileSchema>;

/** A rules file with every default filled in: what the engine runs. */
export interface HealthConfig {
  enabled: Record<HealthRuleId, boolean>;
  severity: Record<HealthRuleId, HealthSeverity>;
  identifyingAttributes: string[];
  duplicateExemptTypes: string[];
  orphanExemptTypes: string[];
  ownerExemptTypes: string[];
  productionEnvironments: string[];
  staleDays: number;
  staleDaysByType: Record<string, number>;
  staleExemptTypes: string[];
  /** The fields `value-variants` compares. */
  variantFields: VariantField[];
}

export function healthConfig(file: HealthRulesFile = { rules: {} }): HealthConfig {
  const r = file.rules;
  const enabled = {} as Record<HealthRuleId, boolean>;
  const severity = {} as Record<HealthRuleId, HealthSeverity>;
  for (const id of HEALTH_RULES) {
    enabled[id] = r[id]?.enabled ?? true;
    severity[id] = r[id]?.severity ?? RULE_INFO[id].severity;
  }
  return {
    enabled,
    severity,
    identifyingAttributes: r.duplicate?.identifyingAttributes ?? DEFAULT_IDENTIFYING_ATTRIBUTES,
    duplicateExemptTypes: r.duplicate?.exemptTypes ?? [],
    orphanExemptTypes: r.orphan?.exemptTypes ?? [],
    ownerExemptTypes: r['missing-owner']?.exemptTypes ?? [],
    productionEnvironments: (r['missing-criticality']?.productionEnvironments ?? DEFAULT_PRODUCTION_ENVIRONMENTS).map((e) =>
      e.toLowerCase(),
    ),
    staleDays: r.stale?.days ?? DEFAULT_STALE_DAYS,
    staleDaysByType: r.stale?.byType ?? {},
    staleExemptTypes: r.stale?.exemptTypes ?? [],
    variantFields: [...new Set(r['value-variants']?.fields ?? VARIANT_FIELDS)],
  };
}

export { normalizeName } from './normalize-name.js';

/** One finding: a rule that fired on one or more CIs, and what to do about it. */
export const healthFindingSchema = z.object({
  rule: healthRuleIdSchema,
  severity: healthSeveritySchema,
  /** The CIs it is about: the duplicates, the cycle in order, the group's dependent and members, or the one CI. */
  keys: z.array(z.string()),
  /** What is wrong and what to do, naming the CIs. */
  message: z.string(),
  /** A value-variants finding's field and spellings (the Health screen's "use this spelling" offers them). */
  variants: valueVariantsSchema.optional(),
});
export type HealthFinding = z.infer<typeof healthFindingSchema>;

export const healthRuleSummarySchema = z.object({
  rule: healthRuleIdSchema,
  label: z.string(),
  part: healthPartSchema,
  severity: healthSeveritySchema,
  enabled: z.boolean(),
  /** Findings of this rule. */
  findings: z.number().int(),
  /** Distinct CIs in its findings. */
  cis: z.number().int(),
});
export type HealthRuleSummary = z.infer<typeof healthRuleSummarySchema>;

export const healthReportSchema = z.object({
  /** 0 to 100, from the parts (docs/health.md "The score"). */
  score: z.number().int().min(0).max(100),
  parts: z.object({ completeness: z.number().int(), correctness: z.number().int(), compliance: z.number().int() }),
  cis: z.number().int(),
  relationships: z.number().int(),
  rules: z.array(healthRuleSummarySchema),
  /** The findings asked for (all, or `rule`'s), most severe first, then by rule and first key; cut at `limit`. */
  findings: z.array(healthFindingSchema),
  /** Findings matching the request before the cut. */
  total: z.number().int(),
  /** Where the rules came from: a file's path, or null for the defaults. */
  rulesFile: z.string().nullable(),
  /** What in the rules reads as a mistake without being refused: a CI type no CI of the CMDB has (a typo is never silently ignored). */
  warnings: z.array(z.string()),
  computedAt: z.string(),
  durationMs: z.number(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

/** The enabled rules' findings by severity. */
export function findingsBySeverity(rules: readonly HealthRuleSummary[]): Record<HealthSeverity, number> {
  const out: Record<HealthSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of rules) if (r.enabled) out[r.severity] += r.findings;
  return out;
}

/**
 * The findings beside the score, by severity ("285 errors, 3 warnings, 4 notes"), or "nothing found": the score
 * says how much of the CMDB is affected, and 285 errors among 5,000 CIs still reads 99.
 */
export function findingsText(rules: readonly HealthRuleSummary[]): string {
  const n = findingsBySeverity(rules);
  const parts = [
    n.error > 0 ? formatCountOf(n.error, 'error', 'errors') : '',
    n.warning > 0 ? formatCountOf(n.warning, 'warning', 'warnings') : '',
    n.info > 0 ? formatCountOf(n.info, 'note', 'notes') : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'nothing found' : parts.join(', ');
}

/**
 * Why a score can stay high over thousands of findings: each rule counts by the share of the CMDB's CIs its
 * findings name (docs/health.md "The score"), said with the largest share. Null when nothing was found. (A CAB
 * chair read "99 of 100" over "14,904 errors" as a contradiction.)
 */
export function scoreBasisText(report: Pick<HealthReport, 'cis' | 'rules'>): string | null {
  const named = report.rules.filter((r) => r.enabled && r.cis > 0);
  if (named.length === 0) return null;
  const top = named.reduce((a, b) => (b.cis > a.cis ? b : a));
  const share = (100 * top.cis) / Math.max(1, report.cis);
  const pct = share < 0.1 ? '<0.1' : share < 10 ? share.toFixed(1) : Math.round(share).toString();
  return `Each rule counts by the share of the CIs its findings name: the largest, ${top.label}, names ${formatCount(top.cis)} of ${formatCountOf(report.cis, 'CI', 'CIs')} (${pct}%).`;
}

export const healthRequestSchema = z.object({
  /** Only this rule's findings (the summary still covers every rule). */
  rule: healthRuleIdSchema.optional(),
  /** Only findings naming a CI whose key or name contains this (case-insensitive). */
  query: z.string().max(200).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(0).max(1_000_000).default(200),
  /** Rules given inline (the CLI's --rules); otherwise the file beside the CMDB, or the defaults. */
  rules: healthRulesFileSchema.optional(),
});

/**
 * Health on an impact answer: the findings on the impacted CIs and on the
 * CIs of their explanation paths, so the board knows which parts to doubt.
 */
export const impactHealthSchema = z.object({
  /** Per rule that fired on these CIs: how many, and the first keys (most severe impact first). */
  byRule: z.array(z.object({ rule: healthRuleIdSchema, severity: healthSeveritySchema, cis: z.number().int(), keys: z.array(z.string()) })),
  /**
   * Sentences for the board, the most important first, e.g. "The path to
   * Checkout (SVC-checkout) crosses 2 CIs without an owner; 1 possible duplicate."
   */
  notes: z.array(z.string()),
  /** Rules on each CI of the answer (impacted or on a path) that has any, by key. */
  byKey: z.record(z.string(), z.array(healthRuleIdSchema)),
});
export type ImpactHealth = z.infer<typeof impactHealthSchema>;

/** Merging duplicates: keep one CI, move the other's relationships and attributes to it. */
export const mergeRequestSchema = z.object({
  keep: z.string().min(1),
  /** The duplicate that goes away. */
  merge: z.string().min(1),
});

export const mergeRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  keptKey: z.string(),
  mergedKey: z.string(),
  mergedName: z.string(),
  /** Relationships moved onto the kept CI. */
  moved: z.number().int(),
  /** Relationships dropped because the kept CI already had the same one (or it would join the two). */
  dropped: z.number().int(),
  /** Of those dropped, the ones whose redundancy (group, min_up) differed from the kept CI's relationship, which stays. */
  differing: z.number().int(),
  /**
   * Those `differing` relationships as they were, by their ends' keys (one end the merged CI): each one's
   * history entry ("dropped by merging ...") is on its ends, so the CI at its other end shows it.
   */
  differingRels: z.array(z.object({ source: z.string(), type: z.string(), target: z.string() })),
  /**
   * Redundancy groups both CIs were members of (one relationship each, the same group): the merged CI's was
   * dropped, so the group has one member fewer. By the group's CI (the other end) and label.
   */
  shrunkGroups: z.array(
    z.object({
      ci: z.string(),
      label: z.string(),
      /** Its members now, and the min_up it needs (the largest given): fewer members than that and it cannot be satisfied. */
      members: z.number().int().optional(),
      minUp: z.number().int().optional(),
    }),
  ),
  /** Attributes and fields the kept CI took from the merged one (only those it did not have). */
  filled: z.array(z.string()),
  /** Saved change assessments and saved graph views that named the merged CI and now name the kept one. */
  renamed: z.object({ changes: z.number().int(), views: z.number().int() }),
  undoneAt: z.string().nullable(),
});
export type MergeRecord = z.infer<typeof mergeRecordSchema>;

/** Every CI holding another spelling of `to` (value-variants) takes `to`, in one transaction, recorded in history. */
export const unifyValuesRequestSchema = z.object({
  field: variantFieldSchema,
  /** The spelling to keep: one the field holds now. */
  to: z.string().min(1),
});

export const unifyValuesResultSchema = z.object({
  field: variantFieldSchema,
  to: z.string(),
  /** The spellings rewritten, each with the CIs that held it. */
  from: z.array(z.object({ value: z.string(), cis: z.number().int() })),
  /** CIs changed (the sum of `from`). */
  changed: z.number().int(),
  /** CIs holding `to` now. */
  cis: z.number().int(),
});
export type UnifyValuesResult = z.infer<typeof unifyValuesResultSchema>;
