/** What lies over the graph canvas: the loading bar, the start picker, the error, the notices, the zoom bar and the legend. */
import type { RefObject } from 'react';
import { ErrorBox } from '../ui/common.js';
import type { GraphController } from './controller.js';
import { GraphNotices } from './GraphNotices.js';
import { Legend } from './Legend.js';
import type { buildElements, GraphData } from './model.js';
import { StartPicker } from './StartPicker.js';
import type { GraphMeta, GraphStatus } from './useGraphData.js';
import type { PathFinder } from './usePathFinder.js';
import { ZoomBar } from './ZoomBar.js';

export interface OverlaysProps {
  ctl: RefObject<GraphController | null>;
  center: string | null;
  selected: string | null;
  status: GraphStatus;
  error: unknown;
  elements: ReturnType<typeof buildElements>;
  data: GraphData;
  timing: { fetchMs: number; layoutMs: number } | null;
  meta: GraphMeta;
  maxNodes: number;
  /** Whether a CI-type filter is on (hidden CIs are then worth a notice). */
  filtered: boolean;
  path: PathFinder;
  notice: string | null;
  autoGrouped: string | null;
  onCenter: (key: string) => void;
}

export function GraphOverlays(o: OverlaysProps) {
  const { center, status } = o;
  return (
    <>
      {status === 'loading' && <div className="loading-bar" role="status" aria-label="Loading the neighbourhood" />}
      {!center && (
        <div className="overlay" style={{ inset: 0, background: 'var(--graph-bg)' }}>
          <StartPicker onCenter={o.onCenter} />
        </div>
      )}
      {status === 'error' && (
        <div className="overlay tl" style={{ maxWidth: 520 }}>
          <ErrorBox error={o.error} title="The neighbourhood could not be drawn" />
        </div>
      )}
      {center && status !== 'error' && (
        <GraphNotices
          ready={status === 'ready'}
          cis={o.data.nodes.size + o.data.groups.reduce((n, gr) => n + gr.count, 0)}
          relationships={o.data.edges.size + o.data.groupEdges.reduce((n, e) => n + e.count, 0)}
          groups={o.elements.groups}
          timing={o.timing}
          webgl={o.ctl.current?.usesWebgl ?? false}
          meta={o.meta}
          maxNodes={o.maxNodes}
          pathInfo={o.path.info}
          onClearPath={o.path.clear}
          notice={o.notice}
          autoGrouped={o.autoGrouped}
          hidden={o.filtered ? o.data.hidden : 0}
          implied={o.elements.edges.filter((e) => e.data.implied).length}
        />
      )}
      {center && <ZoomBar ctl={o.ctl} center={center} selected={o.selected} />}
      {center && <Legend nodes={o.elements.nodes} onResize={() => o.ctl.current?.refreshLabels()} />}
    </>
  );
}
