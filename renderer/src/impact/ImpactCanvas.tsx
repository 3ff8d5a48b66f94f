/** The impact graph panel: the paths drawn (loaded lazily with Cytoscape), the legend, what the graph leaves out, and “Open in Graph”. */
import { lazy, Suspense } from 'react';
import type { ImpactResult } from '../../../shared/impact.js';
import { formatCount, Skeleton } from '../ui/common.js';
import { IMPACT_COLOURS, type Subgraph } from './model.js';

const ImpactGraph = lazy(() => import('./ImpactGraph.js'));

function Legend() {
  return (
    <div className="overlay bl legend" aria-label="Impact legend">
      <div className="row">
        <span className="swatch changed" style={{ background: IMPACT_COLOURS.down, borderColor: IMPACT_COLOURS.changed }} /> Changed
        (planned outage)
      </div>
      <div className="row">
        <span className="swatch" style={{ background: IMPACT_COLOURS.down, borderColor: IMPACT_COLOURS.downBorder }} /> Down
      </div>
      <div className="row">
        <span className="swatch degraded" style={{ background: IMPACT_COLOURS.degraded, borderColor: IMPACT_COLOURS.degradedBorder }} />{' '}
        Degraded (runs, at risk)
      </div>
    </div>
  );
}

/** The graph side of the results. */
export function ImpactCanvas({
  r,
  graph,
  running,
  path,
  picked,
  onPick,
  onGraph,
}: {
  r: ImpactResult;
  graph: Subgraph | null;
  running: boolean;
  path: string[] | null;
  picked: string | null;
  onPick: (key: string | null) => void;
  onGraph: (key: string) => void;
}) {
  return (
    <div className="canvas-wrap impact-canvas">
      {running && <div className="loading-bar" />}
      <Suspense fallback={<Skeleton rows={6} label="Loading the graph" />}>
        {graph && <ImpactGraph graph={graph} path={path} selected={picked} onSelect={onPick} />}
      </Suspense>
      <Legend />
      {graph && (
        <div className="overlay tl">
          <span className="badge" data-testid="impact-graph-note">
            {graph.omitted > 0
              ? `Graph shows the paths to ${formatCount(graph.shown)} of ${formatCount(r.impacted.length)} impacted CIs (the most severe); the table lists them all.`
              : `Paths to all ${formatCount(r.impacted.length)} impacted CIs.`}
            {r.truncated && ` ${formatCount(r.counts.total - r.impacted.length)} more are counted but not listed.`}
          </span>
        </div>
      )}
      {r.changed.length > 0 && (
        <div className="overlay br">
          <button type="button" className="btn small" onClick={() => onGraph(picked ?? r.changed[0]!.key)}>
            Open in Graph
          </button>
        </div>
      )}
    </div>
  );
}
