/**
 * Graph: a CI's neighbourhood drawn with Cytoscape. The Cytoscape instance
 * lives in a host element React never re-renders, driven by GraphController;
 * the data, the drawing and the path search live in hooks beside this file.
 */
import { useMemo, useRef, useState } from 'react';
import { cmdb } from '../api.js';
import { ErrorBox, useAsync } from '../ui/common.js';
import { CanvasHost } from './CanvasHost.js';
import type { ControllerEvents } from './controller.js';
import { GraphNotices } from './GraphNotices.js';
import { GraphToolbar } from './GraphToolbar.js';
import { Legend } from './Legend.js';
import { buildElements } from './model.js';
import { SelectionPanel } from './SelectionPanel.js';
import { StartPicker } from './StartPicker.js';
import { useGraphController } from './useGraphController.js';
import { useGraphData } from './useGraphData.js';
import { useGraphDrawing } from './useGraphDrawing.js';
import { useGraphParams } from './useGraphParams.js';
import { usePathFinder } from './usePathFinder.js';
import { ZoomBar } from './ZoomBar.js';

interface Props {
  center: string | null;
  params: Record<string, string>;
  version: number;
  onCenter: (key: string) => void;
  onParams: (p: Record<string, string>) => void;
  onOpenDetail: (key: string) => void;
}

export default function GraphView({ center, params, version, onCenter, onParams, onOpenDetail }: Props) {
  const p = useGraphParams(params);
  const setParam = (k: string, v: string) => onParams({ ...params, [k]: v });

  const [types] = useAsync(() => cmdb.getTypes({}), [version]);
  const [selected, setSelected] = useState<string | null>(null);
  const events = useRef<ControllerEvents>({ onSelect: () => {}, onExpand: () => {}, onOpenGroup: () => {} });
  const { ctl, mount } = useGraphController(events);
  const path = usePathFinder(ctl);
  const g = useGraphData({ ...p, center, version }, ctl, path.reset);
  const { data, status } = g;

  const elements = useMemo(
    () => buildElements(data, { center, groupThreshold: p.grouping ? 12 : 0, openGroups: g.openGroups }),
    [data, center, p.grouping, g.openGroups],
  );
  const timing = useGraphDrawing({
    ctl,
    center,
    hasData: data.nodes.size > 0,
    elements,
    layout: p.layout,
    webgl: p.webgl,
    selected,
    clock: g.clock,
    publish: g.publish,
    setStatus: g.setStatus,
    setError: g.setError,
  });

  const select = (id: string | null) => {
    setSelected(id);
    ctl.current?.select(id);
  };
  events.current = { onSelect: select, onExpand: (id) => void g.expand(id), onOpenGroup: g.openGroup };
  const focus = selected && data.nodes.has(selected) ? selected : center && data.nodes.has(center) ? center : null;

  return (
    <div className="graph">
      <div className="graph-main">
        <GraphToolbar p={p} types={types.data} setParam={setParam} />
        <div className="canvas-wrap" aria-busy={status === 'loading'}>
          {status === 'loading' && <div className="loading-bar" role="status" aria-label="Loading the neighbourhood" />}
          <CanvasHost onMount={mount} />
          {!center && (
            <div className="overlay" style={{ inset: 0, background: 'var(--graph-bg)' }}>
              <StartPicker onCenter={onCenter} />
            </div>
          )}
          {status === 'error' && (
            <div className="overlay tl" style={{ maxWidth: 520 }}>
              <ErrorBox error={g.error} title="The neighbourhood could not be drawn" />
            </div>
          )}
          {center && status !== 'error' && (
            <GraphNotices
              ready={status === 'ready'}
              cis={data.nodes.size}
              relationships={data.edges.size}
              groups={elements.groups}
              timing={timing}
              webgl={ctl.current?.usesWebgl ?? false}
              meta={g.meta}
              maxNodes={p.maxNodes}
              pathInfo={path.info}
              onClearPath={path.clear}
              notice={g.notice}
            />
          )}
          {center && <ZoomBar ctl={ctl} center={center} selected={selected} ready={status === 'ready'} />}
          {center && <Legend nodes={elements.nodes} />}
        </div>
      </div>
      <SelectionPanel
        focus={focus}
        selected={selected}
        center={center}
        version={version}
        pathFrom={path.from}
        onCenter={onCenter}
        onExpand={(k) => void g.expand(k)}
        onPathEnd={(k) => path.choose(k, data.nodes)}
        onOpenDetail={onOpenDetail}
        onOpen={(k) => {
          if (data.nodes.has(k)) {
            select(k);
            ctl.current?.centreOn(k);
          } else onCenter(k);
        }}
      />
    </div>
  );
}
