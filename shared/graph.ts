/**
 * The graph view's contract beyond plain neighbourhoods: grouping by any
 * field or attribute, implied edges through filtered-out types, saved views,
 * and the export formats (GraphML, DOT, draw.io, JSON). Schemas only; the
 * engine computes groups and implied edges (electron/cmdb/graph/), and
 * shared/graph-export.ts is the one writer of every export format.
 */
import * as z from 'zod';
import { directionSchema } from './domain.js';

/** Core CI fields a graph can be grouped by; any other name is an attribute. */
export const GROUP_CORE_FIELDS = ['type', 'owner', 'environment', 'status', 'criticality'] as const;

export const graphGroupingSchema = z.object({
  /** A core field (GROUP_CORE_FIELDS) or an attribute name (location, support_group, …). */
  by: z.string().min(1).max(100),
  /** Values drawn as their CIs instead of one group node (null = CIs without a value). */
  expand: z.array(z.string().nullable()).max(1000).default([]),
  /** A value with fewer CIs than this is drawn as its CIs, not as a group. */
  minSize: z.number().int().min(1).max(100_000).default(2),
});
export type GraphGrouping = z.infer<typeof graphGroupingSchema>;

/** The id of a group node: stable for a (field, value) pair (uniqueGroupId keeps it apart from a CI's key). */
export function groupId(by: string, value: string | null): string {
  return `group:${by}=${value === null ? '∅' : value}`;
}

/**
 * A group node's id that is no drawn CI's key: `id`, or when a CI has that key (nothing stops an
 * export keying CIs `group:...`), `id~2`, `id~3`, ... A graph's node ids must be unique: GraphML
 * and draw.io would merge the CI into the group, and the graph view would draw one of them.
 */
export function uniqueGroupId(id: string, taken: (id: string) => boolean): string {
  let out = id;
  for (let n = 2; taken(out); n++) out = `${id}~${n}`;
  return out;
}

/** One group node: the CIs of the neighbourhood that share a value of the grouping field (never the centre). */
export const graphGroupSchema = z.object({
  id: z.string(),
  by: z.string(),
  value: z.string().nullable(),
  count: z.number().int(),
  /** Its CIs by type, most first. */
  types: z.array(z.object({ type: z.string(), count: z.number().int() })),
  /** The smallest hop distance of its CIs from the centre. */
  depth: z.number().int(),
});
export type GraphGroup = z.infer<typeof graphGroupSchema>;

/** Relationships with at least one end inside a group, one per (source, target, type) with how many they are. */
export const groupEdgeSchema = z.object({
  /** A CI key or a group id. */
  source: z.string(),
  target: z.string(),
  type: z.string(),
  count: z.number().int(),
});
export type GroupEdge = z.infer<typeof groupEdgeSchema>;

/**
 * A chain of relationships through CIs of filtered-out types, drawn as one
 * dashed edge A ⇢ C. Runs the way the relationships run (source depends on /
 * uses target); `hidden` is how many distinct hidden CIs it stands for.
 */
export const impliedEdgeSchema = z.object({
  /** A CI key or a group id. */
  source: z.string(),
  target: z.string(),
  hidden: z.number().int(),
  /** The hidden CIs' types, most first. */
  via: z.array(z.string()),
});
export type ImpliedEdge = z.infer<typeof impliedEdgeSchema>;

/**
 * What a saved view reopens: the centre, how far and which way, filters,
 * grouping, layout, the cap and sibling sets. The settings added later are
 * optional: a view saved before them reopens with the graph's defaults.
 */
export const graphViewSpecSchema = z.object({
  center: z.string().min(1),
  direction: directionSchema,
  depth: z.number().int().min(0).max(10),
  ciTypes: z.array(z.string()).optional(),
  relTypes: z.array(z.string()).optional(),
  grouping: graphGroupingSchema.optional(),
  layout: z.string().max(50).optional(),
  /** The most CIs drawn (the toolbar's Cap); absent: the graph's default. */
  maxNodes: z.number().int().min(1).max(20000).optional(),
  /** Whether large sets of siblings collapse into one node (the toolbar's Siblings); absent: they do. */
  siblings: z.boolean().optional(),
});
export type GraphViewSpec = z.infer<typeof graphViewSpecSchema>;

/** The longest name a saved view can have. */
export const VIEW_NAME_MAX = 200;

/** What is wrong with `name` as a saved view's name (after trimming), in words for the person who typed it; null when nothing is. */
export function viewNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Give the view a name.';
  if (n.length > VIEW_NAME_MAX) return `A view's name can be at most ${VIEW_NAME_MAX} characters; this one has ${n.length}.`;
  return null;
}

export const savedViewSchema = z.object({
  name: z.string().min(1).max(VIEW_NAME_MAX),
  note: z.string().max(2000).nullable(),
  spec: graphViewSpecSchema,
  /** False when the view's centre is no longer in the CMDB (deleted since the view was saved): the view cannot be drawn. */
  centerExists: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const GRAPH_EXPORT_FORMATS = ['json', 'graphml', 'dot', 'drawio'] as const;
export const graphExportFormatSchema = z.enum(GRAPH_EXPORT_FORMATS);
export type GraphExportFormat = z.infer<typeof graphExportFormatSchema>;

/**
 * What every export format writes (shared/graph-export.ts): the drawn nodes
 * (CIs and groups) and edges (relationships, group edges, implied edges),
 * with types and states as attributes; x/y where a layout placed them.
 * The JSON format is exactly this object.
 */
export const exportGraphSchema = z.object({
  nodes: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      type: z.string(),
      kind: z.enum(['ci', 'group']).default('ci'),
      status: z.string().nullable().optional(),
      criticality: z.string().nullable().optional(),
      environment: z.string().nullable().optional(),
      owner: z.string().nullable().optional(),
      /** Impact state when the graph is an impact answer (changed, down, degraded). */
      state: z.string().nullable().optional(),
      depth: z.number().int().optional(),
      /** A group's CI count. */
      count: z.number().int().optional(),
      /** A group's field and value (null: its CIs have none), as grouped by. */
      groupBy: z.string().optional(),
      groupValue: z.string().nullable().optional(),
      x: z.number().optional(),
      y: z.number().optional(),
    }),
  ),
  edges: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      type: z.string(),
      kind: z.enum(['relationship', 'group', 'implied']).default('relationship'),
      redundancyGroup: z.string().nullable().optional(),
      /** Relationships a group edge stands for. */
      count: z.number().int().optional(),
      /** Hidden CIs an implied edge stands for, and their types, most first. */
      hidden: z.number().int().optional(),
      via: z.array(z.string()).optional(),
    }),
  ),
  /** Set when the graph was cut (a neighbourhood past its maxNodes): how many CIs at its edge were left out. */
  omitted: z.number().int().optional(),
});
export type ExportGraph = z.output<typeof exportGraphSchema>;
