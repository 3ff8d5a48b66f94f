/** Impact analysis and change assessment: the schemas of the contract's impact methods. */
import { z } from 'zod';

export const impactStateSchema = z.enum(['down', 'degraded']);
export type ImpactState = z.infer<typeof impactStateSchema>;

/** Ordered from least to most severe. */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const impactDirectionSchema = z.enum(['downstream', 'upstream']);
export type ImpactDirection = z.infer<typeof impactDirectionSchema>;

export const pathStepSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  /** The relationship type of the step that reached this CI; null for the first CI of the path. */
  rel: z.string().nullable(),
  /**
   * Which way that relationship runs: true when it goes from the previous CI
   * to this one (previous -[rel]-> this), false when from this one to the
   * previous (this -[rel]-> previous). Absent in changes saved before it existed.
   */
  forward: z.boolean().nullable().optional(),
});
export type PathStep = z.infer<typeof pathStepSchema>;

export const impactCiSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  owner: z.string().nullable(),
  criticality: z.string().nullable(),
  state: impactStateSchema,
  /** Length of the explanation path (0 for a changed CI itself). */
  depth: z.number().int(),
  /** True for the CIs the change is about (downstream). */
  changed: z.boolean(),
  /** From a changed CI (or, upstream, from the CI asked about) to this one. */
  path: z.array(pathStepSchema),
});
export type ImpactCi = z.infer<typeof impactCiSchema>;

const stateCounts = { down: z.number().int(), degraded: z.number().int() };

export const impactCountsSchema = z.object({
  ...stateCounts,
  total: z.number().int(),
  byType: z.array(z.object({ type: z.string(), ...stateCounts })),
  byCriticality: z.array(z.object({ criticality: z.string().nullable(), ...stateCounts })),
});

export const impactRequestSchema = z.object({
  /** The changed CIs (downstream), or the CIs whose dependencies are wanted (upstream). */
  keys: z.array(z.string().min(1)).min(1).max(10_000),
  direction: impactDirectionSchema.default('downstream'),
  /** Relationship types that propagate; default every type whose strength is not `none`. */
  types: z.array(z.string().min(1)).optional(),
  /** Only CIs whose path is at most this long; no limit by default. */
  depth: z.number().int().min(0).optional(),
  /** How many impacted CIs to list (the most severe first); counts always cover all. */
  limit: z.number().int().min(0).max(1_000_000).default(1000),
});

export const ciBriefSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  owner: z.string().nullable(),
  criticality: z.string().nullable(),
});
export type CiBrief = z.infer<typeof ciBriefSchema>;

export const impactResultSchema = z.object({
  direction: impactDirectionSchema,
  changed: z.array(ciBriefSchema),
  /** Types followed in this analysis. */
  types: z.array(z.string()),
  depthLimit: z.number().int().nullable(),
  /** The most severe first: down before degraded, then by criticality, depth and key. */
  impacted: z.array(impactCiSchema),
  /** True when `limit` left some impacted CIs out of `impacted`. */
  truncated: z.boolean(),
  counts: impactCountsSchema,
  businessServices: z.array(ciBriefSchema.extend({ state: impactStateSchema, depth: z.number().int() })),
  /** Owners of impacted CIs, the most affected first; null = CIs with no owner. */
  owners: z.array(z.object({ owner: z.string().nullable(), ...stateCounts })),
  risk: z.object({ level: riskLevelSchema, reasons: z.array(z.string()) }),
  durationMs: z.number(),
});
export type ImpactResult = z.infer<typeof impactResultSchema>;

export const changeInputSchema = z.object({
  /** The change reference (e.g. CHG0012345); saving again with the same reference updates it. */
  ref: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(500),
  window: z.string().max(200).nullable().optional(),
  description: z.string().max(20_000).nullable().optional(),
  keys: z.array(z.string().min(1)).min(1).max(10_000),
  types: z.array(z.string().min(1)).optional(),
  depth: z.number().int().min(0).optional(),
});
export type ChangeInput = z.infer<typeof changeInputSchema>;

export const changeSummarySchema = z.object({
  id: z.number().int(),
  ref: z.string(),
  title: z.string(),
  window: z.string().nullable(),
  description: z.string().nullable(),
  keys: z.array(z.string()),
  types: z.array(z.string()).nullable(),
  depth: z.number().int().nullable(),
  risk: riskLevelSchema,
  down: z.number().int(),
  degraded: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChangeSummary = z.infer<typeof changeSummarySchema>;

/** What differs between the saved result and the analysis run now. */
export const changeDiffSchema = z.object({
  changed: z.boolean(),
  riskFrom: riskLevelSchema,
  riskTo: riskLevelSchema,
  /** Impacted now, not when saved. */
  added: z.array(z.object({ key: z.string(), state: impactStateSchema })),
  /** Impacted when saved, not now. */
  removed: z.array(z.object({ key: z.string(), state: impactStateSchema })),
  /** Impacted both times, in another state. */
  stateChanged: z.array(z.object({ key: z.string(), from: impactStateSchema, to: impactStateSchema })),
  /** Changed CIs that no longer exist in the CMDB. */
  missingKeys: z.array(z.string()),
});
export type ChangeDiff = z.infer<typeof changeDiffSchema>;

export const changeDetailSchema = z.object({
  change: changeSummarySchema,
  /** The analysis as saved (counts, risk, business services, owners); no CI list. */
  saved: impactResultSchema.omit({ impacted: true }),
  /** The analysis run now. */
  current: impactResultSchema,
  diff: changeDiffSchema,
});
export type ChangeDetail = z.infer<typeof changeDetailSchema>;

export const exportFormatSchema = z.enum(['markdown', 'html', 'csv', 'json']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;
