/** The badges over the graph: what is drawn and how long it took, the truncation warning, the path found, the last expand. */
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { viewCut } from './exportView.js';
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
  /** Why the neighbourhood is drawn grouped by type without being asked (a hub past the cap), or null. */
  autoGrouped: string | null;
  /** CIs walked through but hidden by the CI-type filter, and the implied edges drawn through them. */
  hidden: number;
  implied: number;
}

export function GraphNotices(p: NoticesProps) {
  const { meta, timing, groups } = p;
  const cut = viewCut(meta);
  return (
    <div className="overlay tl">
      {p.ready && (
        <span className="badge" data-testid="graph-summary">
          {formatCountOf(p.cis, 'CI', 'CIs')} · {formatCountOf(p.relationships, 'relationship', 'relationships')}
          {groups > 0 ? ` · ${groups} group${groups === 1 ? '' : 's'} collapsed` : ''}
          {timing ? ` · ${Math.round(timing.fetchMs)} ms fetch, ${Math.round(timing.layoutMs)} ms layout` : ''}
          {p.webgl ? ' · WebGL' : ''}
        </span>
      )}
      {cut.truncated && (
        <span className="badge warn" data-testid="graph-truncated">
          Capped at {formatCount(p.maxNodes)} CIs: {formatCount(cut.omitted)} more at the edge were left out. Raise the cap, lower the depth
          or filter by type.
        </span>
      )}
      {p.autoGrouped && (
        <span className="badge warn" data-testid="graph-auto-grouped">
          {p.autoGrouped}
        </span>
      )}
      {p.ready && p.hidden > 0 && (
        <span className="badge" data-testid="graph-hidden">
          {formatCount(p.hidden)} CI{p.hidden === 1 ? '' : 's'} hidden by the type filter
          {p.implied > 0 ? `; ${formatCount(p.implied)} dashed edge${p.implied === 1 ? '' : 's'} stand for the chains through them` : ''}.
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
