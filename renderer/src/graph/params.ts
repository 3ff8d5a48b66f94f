/** The graph view's question and display options, read from its URL parameters (pure: no React here, so Node tests import it). */
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
  };
}
