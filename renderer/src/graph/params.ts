/** The graph view's question and display options, read from its URL parameters (pure: no React here, so Node tests import it). */
import type { Direction } from '../../../shared/domain.js';
import type { GraphViewSpec } from '../../../shared/graph.js';
import type { LayoutName } from './layouts.js';

/** What the URL parameters ask the graph view for, each within its bounds. */
export interface GraphParams {
  direction: Direction;
  depth: number;
  layout: LayoutName;
  maxNodes: number;
  grouping: boolean;
  webgl: 'auto' | 'on' | 'off';
  ciTypes: string[];
  relTypes: string[];
  /** Group by this core field or attribute (`gb`); null: no grouping asked for. */
  groupBy: string | null;
  /** Values of `groupBy` drawn as their CIs (`gx`, a JSON array; null is "no value"). */
  expand: Array<string | null>;
}

/** The expanded group values from `gx` (a JSON array of strings and null); anything else is none. */
function readExpand(raw: string | undefined): Array<string | null> {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string | null => x === null || typeof x === 'string').slice(0, 1000) : [];
  } catch {
    return [];
  }
}

/** Reads the parameters, each clamped to its bounds or defaulted. Pure. */
export function readGraphParams(params: Record<string, string>): GraphParams {
  return {
    direction: (['upstream', 'downstream', 'both'].includes(params.dir ?? '') ? params.dir : 'both') as Direction,
    depth: Math.min(10, Math.max(1, Number(params.depth ?? 2) || 2)),
    layout: params.layout === 'force' ? 'force' : 'layered',
    maxNodes: Math.min(20000, Math.max(1, Number(params.max ?? 500) || 500)),
    grouping: params.group !== '0',
    /** `gl=0` / `gl=1` force the 2D or the WebGL renderer (default: WebGL for large graphs where available). */
    webgl: params.gl === '0' ? 'off' : params.gl === '1' ? 'on' : 'auto',
    ciTypes: params.ct ? params.ct.split(',') : [],
    relTypes: params.rt ? params.rt.split(',') : [],
    groupBy: params.gb?.trim() ? params.gb.trim().slice(0, 100) : null,
    expand: readExpand(params.gx),
  };
}

/** The view a saved view stores: the centre and what the parameters ask for. */
export function viewSpec(center: string, p: GraphParams): GraphViewSpec {
  return {
    center,
    direction: p.direction,
    depth: p.depth,
    ...(p.ciTypes.length ? { ciTypes: p.ciTypes } : {}),
    ...(p.relTypes.length ? { relTypes: p.relTypes } : {}),
    ...(p.groupBy ? { grouping: { by: p.groupBy, expand: p.expand, minSize: 2 } } : {}),
    layout: p.layout,
    maxNodes: p.maxNodes,
    siblings: p.grouping,
  };
}

/** The URL parameters that reopen a saved view (its centre is the route's CI); a setting the view does not have (saved before it was kept) is left to its default. */
export function specParams(spec: GraphViewSpec): Record<string, string> {
  const out: Record<string, string> = { dir: spec.direction, depth: String(spec.depth) };
  if (spec.ciTypes?.length) out.ct = spec.ciTypes.join(',');
  if (spec.relTypes?.length) out.rt = spec.relTypes.join(',');
  if (spec.grouping) {
    out.gb = spec.grouping.by;
    if (spec.grouping.expand.length) out.gx = JSON.stringify(spec.grouping.expand);
  }
  if (spec.layout === 'force' || spec.layout === 'layered') out.layout = spec.layout;
  if (spec.maxNodes !== undefined) out.max = String(spec.maxNodes);
  if (spec.siblings === false) out.group = '0';
  return out;
}
