/** The badges over the graph: what is drawn and how long it took, the truncation warning, the path found, the last expand. */
import { formatCount } from '../ui/common.js';
import type { GraphMeta } from './useGraphData.js';

export interface NoticesProps {
  ready: boolean;
  cis: number;
  relationships: number;
  /** Collapsed group nodes. */
  groups: number;
  timing: { fetchMs: number; layoutMs: number } | null;
  webgl: boolean;
  meta: GraphMeta;
  maxNodes: number;
  pathInfo: string | null;
  onClearPath: () => void;
  notice: string | null;
}

export function GraphNotices(p: NoticesProps) {
  const { meta, timing, groups } = p;
  return (
    <div className="overlay tl">
      {p.ready && (
        <span className="badge" data-testid="graph-summary">
          {formatCount(p.cis)} CIs · {formatCount(p.relationships)} relationships
          {groups > 0 ? ` · ${groups} group${groups === 1 ? '' : 's'} collapsed` : ''}
          {timing ? ` · ${Math.round(timing.fetchMs)} ms fetch, ${Math.round(timing.layoutMs)} ms layout` : ''}
          {p.webgl ? ' · WebGL' : ''}
        </span>
      )}
      {(meta.truncated || meta.expandOmitted > 0) && (
        <span className="badge warn" data-testid="graph-truncated">
          Capped at {formatCount(p.maxNodes)} CIs: {formatCount(meta.omitted + meta.expandOmitted)} more at the edge were left out. Raise
          the cap, lower the depth or filter by type.
        </span>
      )}
      {p.pathInfo && (
        <span className="badge" data-testid="path-info">
          {p.pathInfo}{' '}
          <button type="button" className="btn ghost small" aria-label="Clear path" onClick={p.onClearPath}>
            Clear
          </button>
        </span>
      )}
      {p.notice && (
        <span className="badge" role="status">
          {p.notice}
        </span>
      )}
    </div>
  );
}
