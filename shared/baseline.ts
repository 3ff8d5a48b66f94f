/**
 * Baselines (issue 17): named, read-only copies of the whole CMDB at one
 * moment, and the differences between any two points in time (baselines or
 * `now`). Schemas only; the engine is electron/cmdb/baselines/.
 */
import * as z from 'zod';

/** The name `now` stands for the live CMDB in a diff; it cannot name a baseline. */
export const NOW = 'now';

/** What a baseline name may hold: it is a file name on every system, so ASCII letters and digits and a few marks. */
const NAME_CHARS = 'letters A to Z, digits, spaces, dot, dash and underscore';

/** Why `name` (trimmed, not empty) cannot name a baseline file, naming the first character at fault; null when it can. */
function nameProblem(name: string): string | null {
  if (name === '' || /^[A-Za-z0-9][A-Za-z0-9._ -]*$/.test(name)) return null;
  const bad = [...name].find((c) => !/[A-Za-z0-9._ -]/.test(c));
  if (bad !== undefined) return `${JSON.stringify(bad)} cannot be in a baseline name: it is ${NAME_CHARS}, starting with a letter or digit`;
  return `a baseline name starts with a letter or digit (it is ${NAME_CHARS})`;
}

/** Windows gives these names, alone or with any extension (con.sqlite), to devices: no file there can have them. */
function deviceProblem(name: string): string | null {
  const device = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i.exec(name.split('.')[0]!.trimEnd());
  return device
    ? `"${device[1]}" is a device name on Windows, so a baseline cannot be called ${JSON.stringify(name)}: choose another name`
    : null;
}

/** A name a baseline file in the folder may have (how the folder is read): one saved elsewhere than Windows keeps its name. */
export const savedBaselineNameSchema = z
  .string()
  .trim()
  .min(1, 'give the baseline a name, e.g. before-migration')
  .max(100, 'a baseline name is at most 100 characters')
  .superRefine((n, ctx) => {
    const why = nameProblem(n);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  })
  .refine((n) => n.toLowerCase() !== NOW, { message: '"now" stands for the live CMDB and cannot name a baseline' });

/** The name of a baseline to save: a file name on every system (a CMDB folder travels between them). */
export const baselineNameSchema = savedBaselineNameSchema.superRefine((n, ctx) => {
  const why = deviceProblem(n);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

export const baselineSchema = z.object({
  name: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /** The schema version of the CMDB it copied. */
  schemaVersion: z.number().int(),
  cis: z.number().int(),
  relationships: z.number().int(),
  /** Its size on disk. */
  bytes: z.number().int(),
});
export type Baseline = z.infer<typeof baselineSchema>;

/** A point in time: a baseline's name, or `now`. */
export const pointSchema = z.string().trim().min(1).max(100);

export const fieldChangeSchema = z.object({ from: z.unknown(), to: z.unknown() });

const ciSideSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  owner: z.string().nullable(),
});

/** One point of a diff as it was read: a baseline (when it was saved, and its note) or the CMDB as it is (when the diff read it). */
export const diffPointSchema = z.object({
  kind: z.enum(['baseline', NOW]),
  /** A baseline's saved time; for now, when the diff read the CMDB. */
  at: z.string(),
  /** A baseline's note: null when it has none, and for now. */
  note: z.string().nullable(),
});
export type DiffPoint = z.infer<typeof diffPointSchema>;

export const diffSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** What was compared, for an audit: the CMDB file, each point as it was read, and the type filter. */
  provenance: z.object({
    /** The CMDB file (its full path; `:memory:` for one held in memory). */
    cmdb: z.string(),
    from: diffPointSchema,
    to: diffPointSchema,
    /** The CI types the diff kept (--types): only CIs of these types, and relationships with an end of one; null: all. */
    types: z.array(z.string()).nullable(),
  }),
  cis: z.object({
    added: z.array(ciSideSchema),
    removed: z.array(ciSideSchema),
    /** Each changed field (core fields by name, attributes as `attributes.NAME`) with its old and new value. */
    changed: z.array(ciSideSchema.extend({ fields: z.record(z.string(), fieldChangeSchema) })),
  }),
  relationships: z.object({
    added: z.array(z.object({ source: z.string(), target: z.string(), type: z.string() })),
    removed: z.array(z.object({ source: z.string(), target: z.string(), type: z.string() })),
    /** Same ends and type, other redundancy group, min_up or attributes. */
    changed: z.array(
      z.object({ source: z.string(), target: z.string(), type: z.string(), fields: z.record(z.string(), fieldChangeSchema) }),
    ),
  }),
  types: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  counts: z.object({
    cisAdded: z.number().int(),
    cisRemoved: z.number().int(),
    cisChanged: z.number().int(),
    /** Of the changed CIs, those retired since (their status now says retired, as a sync's retirements): counted apart, not listed apart. */
    cisRetired: z.number().int(),
    relationshipsAdded: z.number().int(),
    relationshipsRemoved: z.number().int(),
    relationshipsChanged: z.number().int(),
  }),
  /** True when `limit` cut a list; counts always cover all. */
  truncated: z.boolean(),
});
export type Diff = z.infer<typeof diffSchema>;

export const diffRequestSchema = z.object({
  from: pointSchema,
  to: pointSchema.default(NOW),
  /** Only CIs of these types (and relationships with an end of these types). */
  types: z.array(z.string().min(1)).optional(),
  /** Most entries listed per list; counts always cover all. */
  limit: z.number().int().min(0).max(10_000_000).default(10_000),
});
export type DiffRequest = z.infer<typeof diffRequestSchema>;

export { impactCompareSchema, type ImpactCompare } from './impact.js';
