/** The graph view's question and display options, read from its URL parameters. */
import { useMemo } from 'react';
import type { Direction } from '../../../shared/domain.js';
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
}

/** Reads the parameters; the type filters keep their identity while their parameter is unchanged. */
export function useGraphParams(params: Record<string, string>): GraphParams {
  const direction = (['upstream', 'downstream', 'both'].includes(params.dir ?? '') ? params.dir : 'both') as Direction;
  const depth = Math.min(10, Math.max(1, Number(params.depth ?? 2) || 2));
  const layout: LayoutName = params.layout === 'force' ? 'force' : 'layered';
  const maxNodes = Math.min(20000, Math.max(1, Number(params.max ?? 500) || 500));
  const grouping = params.group !== '0';
  /** `gl=0` / `gl=1` force the 2D or the WebGL renderer (default: WebGL for large graphs where available). */
  const webgl = params.gl === '0' ? 'off' : params.gl === '1' ? 'on' : 'auto';
  const ciTypes = useMemo(() => (params.ct ? params.ct.split(',') : []), [params.ct]);
  const relTypes = useMemo(() => (params.rt ? params.rt.split(',') : []), [params.rt]);
  return { direction, depth, layout, maxNodes, grouping, webgl, ciTypes, relTypes };
}
