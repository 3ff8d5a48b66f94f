/** Impact analysis and change assessment: the schemas of the contract's impact methods. */
import * as z from 'zod';
import { impactHealthSchema } from './health.js';

export const impactStateSchema = z.enum(['down', 'degraded']);
export type ImpactState = z.infer<typeof impactStateSchema>;

/**
 * The state of a listed impacted CI: `changed` for a CI the change is about (downstream; its outage is the planned
 * part of the change), else down or degraded. Answers saved before it existed give a changed CI `down` (and
 * `changed: true`).
 */
export const impactCiStateSchema = z.enum(['changed', 'down', 'degraded']);
export type ImpactCiState = z.infer<typeof impactCiStateSchema>;

/** Ordered from least to most severe. */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const impactDirectionSchema = z.enum(['downstream', 'upstream']);
export type ImpactDirection = z.infer<typeof impactDirectionSchema>;

/**
 * A redundancy group on one step: the dependent CI's hard dependencies that
 * share a redundancy_group label (each relationship is one member).
 */
export const redundancyGroupSchema = z.object({
  /** The redundancy_group label; for an implicit group, the key of its CI. */
  label: z.string(),
  /**
   * True for a CI's members (`member_of`) without a redundancy_group: one implicit group that needs 1 up
   * (docs/impact.md). Absent otherwise, and in answers saved before it existed.
   */
  implicit: z.boolean().optional(),
  /** Hard members followed in this analysis. */
  members: z.number().int(),
  /** Members down because of the change (downstream); 0 upstream, where nothing is lost. */
  lost: z.number().int(),
  /** How many members must stay up (the largest min_up given in the group, default 1). */
  minUp: z.number().int(),
  /** Keys of the members still up (downstream) or of every member (upstream), at most UP_KEYS_SHOWN. */
  up: z.array(z.string()),
  /** Members still up beyond those listed in `up`. */
  upMore: z.number().int(),
  /**
   * Keys of the members lost (downstream), at most UP_KEYS_SHOWN: a path runs through one of them, and the
   * graph draws the others too (two changed CIs that take a service down only together). Absent in changes
   * saved before it existed.
   */
  lostKeys: z.array(z.string()).optional(),
  /**
   * The members already down before the change because their status says they are not running (non-operational,
   * maintenance, planned, retired: docs/impact.md), the change's losses apart, at most UP_KEYS_SHOWN: each key and
   * its status. They are neither `up` nor `lost`. Absent when none (and in answers saved before it existed).
   */
  notRunning: z.array(z.object({ key: z.string(), status: z.string() })).optional(),
  /** Members not running beyond those listed in `notRunning`. */
  notRunningMore: z.number().int().optional(),
  /** True when fewer than minUp members remain: the group takes its CI down. */
  failed: z.boolean(),
});
export type RedundancyGroup = z.infer<typeof redundancyGroupSchema>;
export const UP_KEYS_SHOWN = 10;
/** Members not running an answer names (ImpactResult.notRunning). */
export const NOT_RUNNING_SHOWN = 10;

/**
 * Why a step carries impact, by the engine's rules (ARCHITECTURE.md "Data model"):
 * - hard: an ungrouped hard dependency; downstream it takes the CI down, upstream its loss alone would.
 * - group: a hard dependency in a redundancy group; `group` says what was lost and what is left.
 * - soft: a soft dependency; it degrades the CI, never takes it down.
 * - carried: the dependency is degraded (not down), and the CI is degraded with it (downstream only).
 * - shared: upstream only, a dependency whose loss takes the CI down only through
 *   several of its dependencies at once (a single point of failure behind nested redundancy).
 */
export const stepWhySchema = z.object({
  kind: z.enum(['hard', 'group', 'soft', 'carried', 'shared']),
  strength: z.enum(['hard', 'soft']),
  group: redundancyGroupSchema.nullable(),
});
export type StepWhy = z.infer<typeof stepWhySchema>;

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
  /** Why this step carries impact; null for the first CI, absent in changes saved before it existed. */
  why: stepWhySchema.nullable().optional(),
  /** This step's CI's own state in the answer (changed for a changed CI); absent in answers saved before it existed. */
  state: impactCiStateSchema.optional(),
});
export type PathStep = z.infer<typeof pathStepSchema>;

export const impactCiSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  owner: z.string().nullable(),
  criticality: z.string().nullable(),
  state: impactCiStateSchema,
  /** Length of the explanation path (0 for a changed CI itself). */
  depth: z.number().int(),
  /** True for the CIs the change is about (downstream). */
  changed: z.boolean(),
  /** From a changed CI (or, upstream, from the CI asked about) to this one. */
  path: z.array(pathStepSchema),
});
export type ImpactCi = z.infer<typeof impactCiSchema>;

/**
 * Changed, down and degraded are apart and add up to the total: `changed` are
 * the CIs the change is about (their outage is planned), `down` only the CIs
 * that go down because of it. Upstream, `down` counts the single points of
 * failure and `changed` is 0. `changed` defaults to 0 for changes saved before it existed.
 */
const stateCounts = { changed: z.number().int().default(0), down: z.number().int(), degraded: z.number().int() };
export const stateCountsSchema = z.object(stateCounts);
export type StateCounts = z.infer<typeof stateCountsSchema>;

/** One value of a roll-up (a type, an environment, a team, an attribute's value); null = not set. */
export const rollUpEntrySchema = z.object({ value: z.string().nullable(), ...stateCounts });
export type RollUpEntry = z.infer<typeof rollUpEntrySchema>;

export const impactCountsSchema = z.object({
  ...stateCounts,
  total: z.number().int(),
  byType: z.array(z.object({ type: z.string(), ...stateCounts })),
  byCriticality: z.array(z.object({ criticality: z.string().nullable(), ...stateCounts })),
  /** Impacted CIs per environment, over all of them. Absent in changes saved before it existed. */
  byEnvironment: z.array(rollUpEntrySchema).optional(),
  /** Per attribute the request named in `rollUps` (location, support_group, ...): its values over all impacted CIs. */
  byAttribute: z.array(z.object({ attribute: z.string(), values: z.array(rollUpEntrySchema) })).optional(),
});
export type ImpactCounts = z.infer<typeof impactCountsSchema>;

/**
 * Who to notify: one entry per team named in a contact field (owner, and the
 * contact attributes the request or the estate gives), each with its impacted CIs.
 */
export const notifyEntrySchema = z.object({
  /** The first field the team is named in (the order of the contact fields): `owner` or an attribute name (support_group, contact, ...). */
  field: z.string(),
  /** Every field the team is named in on its impacted CIs (one team as owner and support group is one entry); absent in answers saved before. */
  fields: z.array(z.string()).optional(),
  team: z.string(),
  ...stateCounts,
  /** Keys of its impacted CIs, the most severe first, at most NOTIFY_KEYS_SHOWN (the counts cover all). */
  keys: z.array(z.string()),
});
export type NotifyEntry = z.infer<typeof notifyEntrySchema>;

/** The fields a team is named in, as a list reads them: "owner, support_group". */
export const notifyFieldsText = (e: Pick<NotifyEntry, 'field' | 'fields'>): string => (e.fields ?? [e.field]).join(', ');
/**
 * Keys named per team: enough to recognise the CIs, few enough that a blast
 * radius of 100,000 CIs across hundreds of teams costs no key lookup per
 * impacted CI (the counts cover all; `within` or the listed page gives more).
 */
export const NOTIFY_KEYS_SHOWN = 10;

/**
 * The impacted CIs none of the contact fields names: nobody is told about them. How many of each state, and the
 * first NOTIFY_KEYS_SHOWN (the most severe first) by key and name.
 */
export const noContactSchema = z.object({
  /** The contact fields asked, none of them set on these CIs. */
  fields: z.array(z.string()),
  ...stateCounts,
  cis: z.array(z.object({ key: z.string(), name: z.string() })),
});
export type NoContact = z.infer<typeof noContactSchema>;

/** Impacted CIs whose criticality is not set or not on the registry's scale: their risk is not known. */
export const unknownCriticalitySchema = z.object({
  down: z.number().int(),
  degraded: z.number().int(),
  /** The values not on the scale, with how many impacted CIs carry each; null = not set. */
  values: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
});

/** How a rolled-up graph groups impacted CIs: by type, or by the business service their impact reaches. */
export const groupBySchema = z.enum(['type', 'service']);
export type GroupBy = z.infer<typeof groupBySchema>;

/**
 * By service, the group of the impacted CIs whose explanation paths lead to
 * several business services ("Several services"). A business service's group
 * is its own key, and a NUL starts this id: no CI key holds one (the CMDB
 * keeps no NUL in text, shared/well-formed.ts), so no service's group is it,
 * even one keyed `shared` (found by a reviewer).
 */
export const SHARED_GROUP = '\u0000shared';
/** By service, the group of the impacted CIs whose paths lead to no business service ("No business service"); as SHARED_GROUP. */
export const NONE_GROUP = '\u0000none';

/**
 * A rolled-up graph over every impacted CI, for blast radii too big to draw
 * CI by CI. Groups by type, or by service: each impacted CI goes to the
 * business service its explanation paths lead to (a business service is its
 * own group), to SHARED_GROUP when they lead to several, or to NONE_GROUP. An
 * edge counts the explanation steps from one group to another.
 */
export const groupGraphSchema = z.object({
  by: groupBySchema,
  groups: z.array(
    z.object({
      /** Type name, business service key, SHARED_GROUP or NONE_GROUP. */
      id: z.string(),
      label: z.string(),
      /** The business service's criticality (by service), else null. */
      criticality: z.string().nullable(),
      ...stateCounts,
    }),
  ),
  edges: z.array(z.object({ source: z.string(), target: z.string(), count: z.number().int() })),
});
export type GroupGraph = z.infer<typeof groupGraphSchema>;

/** Issue 17: how an impact answer differs from the same question asked of a baseline. */
export const impactCompareSchema = z.object({
  baseline: z.string(),
  baselineAt: z.string(),
  /** Impacted now, not in the baseline; each with its name now. */
  newlyImpacted: z.array(z.object({ key: z.string(), name: z.string(), state: impactStateSchema })),
  /** Impacted in the baseline, not now; each with its name in the baseline (a CI deleted since has no other). */
  noLongerImpacted: z.array(z.object({ key: z.string(), name: z.string(), state: impactStateSchema })),
  /** Impacted both times, in another state; each with its name now. */
  stateChanged: z.array(z.object({ key: z.string(), name: z.string(), from: impactStateSchema, to: impactStateSchema })),
  /** Asked-about CIs the baseline does not have. */
  missingKeys: z.array(z.string()),
  /** Asked-about CIs the CMDB no longer has and the baseline has (deleted since): the baseline answers for them. */
  missingNow: z.array(z.string()),
});
export type ImpactCompare = z.infer<typeof impactCompareSchema>;

/** The CIs one question may name (changed CIs, or CIs resolved by key or name), and what to do beyond. */
export const changedCisSchema = z
  .array(z.string().min(1))
  .min(1, 'name at least one CI')
  .max(10_000, 'at most 10,000 CIs in one question: split the change into several of at most 10,000 CIs each');

/** The baseline an answer is compared with: its name. */
export const compareWithSchema = z
  .string()
  .trim()
  .min(1, 'name the baseline to compare with (cmdb baseline list shows them)')
  .max(100, 'a baseline name is at most 100 characters');

export const impactRequestSchema = z.object({
  /** The changed CIs (downstream), or the CIs whose dependencies are wanted (upstream). */
  keys: changedCisSchema,
  direction: impactDirectionSchema.default('downstream'),
  /** Relationship types that propagate; default every type whose strength is not `none`. */
  types: z.array(z.string().min(1)).optional(),
  /** List only CIs whose path is at most this long (no limit by default); the states, counts, services and risk are the whole analysis's. */
  depth: z.number().int().min(0).optional(),
  /** How many impacted CIs to list (the most severe first); counts always cover all. */
  limit: z.number().int().min(0).max(1_000_000).default(1000),
  /** Attributes to roll the impacted CIs up by (location, support_group, ...), besides type, environment and owner. */
  rollUps: z.array(z.string().min(1).max(200)).max(20).optional(),
  /**
   * Contact fields for "who to notify": `owner` and attribute names. Default:
   * owner plus the usual contact attributes the estate has (CONTACT_FIELDS).
   */
  contactFields: z.array(z.string().min(1).max(200)).max(20).optional(),
  /**
   * List only the impacted CIs of one group of a rolled-up graph (expanding a group); counts still cover all.
   * The id may be SHARED_GROUP or NONE_GROUP, whose NUL the request may hold (read, never stored: shared/well-formed.ts).
   */
  within: z.object({ by: groupBySchema, id: z.string() }).optional(),
  /** A baseline name: the answer also says how it differs from the same question asked of that baseline (`compare`). */
  compare: compareWithSchema.optional(),
});
export type ImpactRequest = z.infer<typeof impactRequestSchema>;

/** Attribute names taken as contact fields when a request names none (besides owner), if the estate has them. */
export const CONTACT_FIELDS = ['support_group', 'assignment_group', 'contact', 'managed_by', 'on_call', 'escalation'] as const;

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
  /** Every impacted business service (not cut by `limit`), the most severe first; `changed` when the change changes it. */
  businessServices: z.array(ciBriefSchema.extend({ state: impactCiStateSchema, depth: z.number().int() })),
  /** Owners of impacted CIs, the most affected first; null = CIs with no owner. */
  owners: z.array(z.object({ owner: z.string().nullable(), ...stateCounts })),
  /** Who to notify (downstream): teams from the contact fields, each with its impacted CIs. Absent in changes saved before it existed. */
  notify: z.array(notifyEntrySchema).optional(),
  /**
   * Downstream: the impacted CIs no contact field names (nobody to notify for them). Absent when every impacted CI
   * names a team, and in answers saved before it existed.
   */
  noContact: noContactSchema.optional(),
  /**
   * Upstream: every single point of failure (not cut by `limit`): each
   * dependency whose failure alone takes an asked-about CI down, found
   * exactly through nested redundancy groups. Empty downstream.
   */
  singlePoints: z.array(ciBriefSchema).optional(),
  /** Rolled-up graphs over every impacted CI, by type and by service (downstream). Absent in changes saved before they existed. */
  groupGraphs: z.object({ type: groupGraphSchema, service: groupGraphSchema }).optional(),
  risk: z.object({
    level: riskLevelSchema,
    /** The most critical business services first, then the other CIs that bring the level. */
    reasons: z.array(z.string()),
    /** Impacted CIs whose criticality is unknown (not set, or not on the scale); absent when none. */
    unknown: unknownCriticalitySchema.optional(),
  }),
  durationMs: z.number(),
  /** Data-quality findings on the impacted CIs and their paths (shared/health.ts). Absent in changes saved before it existed. */
  health: impactHealthSchema.optional(),
  /**
   * The relationships of the changed CIs (asked about, upstream) that this analysis did not follow, by type, the
   * most first: of strength none (they never carry impact), or left out of the types asked for. A switch linked
   * only by "connects to" breaks nothing here, and this says why. Absent when there are none, and in changes
   * saved before it existed.
   */
  unfollowed: z.array(z.object({ type: z.string(), count: z.number().int(), strengthNone: z.boolean() })).optional(),
  /**
   * Members of the redundancy groups this answer weighs (downstream: every group the change reaches; upstream: every
   * group of the CIs it lists whose members lie within its depth) that it counts as already down because their status says they are not running
   * (docs/impact.md): how many, and the first NOT_RUNNING_SHOWN with their status. The health notes name them.
   * Absent when none, and in changes saved before it existed.
   */
  notRunning: z.object({ count: z.number().int(), members: z.array(ciBriefSchema.extend({ status: z.string() })) }).optional(),
  /** With request.compare: how this answer differs from the baseline's (shared/baseline.ts impactCompareSchema). */
  compare: impactCompareSchema.optional(),
});
export type ImpactResult = z.infer<typeof impactResultSchema>;

export const changeInputSchema = z.object({
  /** The change reference (e.g. CHG0012345); saving again with the same reference updates it. */
  ref: z.string().trim().min(1, 'give the change reference, e.g. CHG0012345').max(200, 'a change reference is at most 200 characters'),
  title: z
    .string()
    .trim()
    .min(1, 'give a title: what the change is')
    .max(500, 'a title is at most 500 characters: put the rest in the description'),
  window: z.string().max(200, 'a planned window is at most 200 characters, e.g. "2026-12-01 22:00-23:00 UTC"').nullable().optional(),
  description: z.string().max(20_000, 'a description is at most 20,000 characters').nullable().optional(),
  keys: changedCisSchema,
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
  /** The level its impacted CIs of unknown criticality could bring the risk to, when above `risk` (riskCouldReach); else null. */
  riskUpTo: riskLevelSchema.nullable(),
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
  /** CIs of the saved answer a merge took since, by the key saved and the CI kept (compared as that CI); absent when none. */
  merged: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  /**
   * How many members of the redundancy groups the change weighs were counted as already down by their status
   * (ImpactResult.notRunning) when saved and now, when those differ: a group's margin may shrink with the same CIs
   * impacted in the same states. An answer saved before `notRunning` existed counted none. Absent when the same.
   */
  notRunning: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
});
export type ChangeDiff = z.infer<typeof changeDiffSchema>;

/**
 * Another saved change on the same CIs: it changes CIs this change takes down or degrades (or changes too), or it
 * takes down or degrades CIs this change changes. Their windows are shown side by side: a board sees two changes
 * to run apart (found by a change manager, whose three changes on dependent CIs fell in one night).
 */
export const otherChangeSchema = z.object({
  id: z.number().int(),
  ref: z.string(),
  title: z.string(),
  window: z.string().nullable(),
  /** Its changed CIs that this change changes or impacts (the first OVERLAP_KEYS_SHOWN), and how many. */
  changes: z.array(z.string()),
  changesCount: z.number().int(),
  /** This change's changed CIs that it impacts (the first OVERLAP_KEYS_SHOWN), and how many. */
  impacts: z.array(z.string()),
  impactsCount: z.number().int(),
});
export type OtherChange = z.infer<typeof otherChangeSchema>;

/** Keys an OtherChange names of each kind. */
export const OVERLAP_KEYS_SHOWN = 5;

export const changeDetailSchema = z.object({
  change: changeSummarySchema,
  /** The analysis as saved (counts, risk, business services, owners); no CI list. */
  saved: impactResultSchema.omit({ impacted: true }),
  /** The analysis run now. */
  current: impactResultSchema,
  diff: changeDiffSchema,
  /** With getChange's `compare`: the blast radius now against the same change asked of that baseline. */
  compare: impactCompareSchema.optional(),
  /** The other saved changes on the same CIs, by reference (absent when none). */
  others: z.array(otherChangeSchema).optional(),
});
export type ChangeDetail = z.infer<typeof changeDetailSchema>;

export const exportFormatSchema = z.enum(['markdown', 'html', 'csv', 'json']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;
