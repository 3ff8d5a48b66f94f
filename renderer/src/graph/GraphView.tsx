/**
 * Graph: a CI's neighbourhood drawn with Cytoscape. The Cytoscape instance
 * lives in a host element React never re-renders, driven by GraphController;
 * the data, the drawing, the path search and the actions live in hooks and
 * parts beside this file.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SavedView } from '../../../shared/graph.js';
import { cmdb } from '../api.js';
import { useAsync } from '../ui/common.js';
import { CanvasHost } from './CanvasHost.js';
import type { ControllerEvents } from './controller.js';
import { ExportMenu } from './ExportMenu.js';
import { exportDrawn, viewCut } from './exportView.js';
import { GraphOverlays } from './GraphOverlays.js';
import { GraphToolbar } from './GraphToolbar.js';
import { buildElements } from './model.js';
import { overlayBoxes, overlayInsets } from './overlayInsets.js';
import { specParams, viewSpec } from './params.js';
import { SavedViews } from './SavedViews.js';
import { selectedGroup } from './selection.js';
import { SelectionPanel } from './SelectionPanel.js';
import { useGraphController } from './useGraphController.js';
import { AUTO_GROUP_BY, useGraphData } from './useGraphData.js';
import { useGraphDrawing } from './useGraphDrawing.js';
import { useGraphParams } from './useGraphParams.js';
import { usePathFinder } from './usePathFinder.js';

interface Props {
  center: string | null;
  params: Record<string, string>;
  version: number;
  onCenter: (key: string) => void;
  onParams: (p: Record<string, string>) => void;
  onOpenDetail: (key: string) => void;
  /** Opens a saved view: its centre and parameters at once. */
  onOpenView: (key: string, params: Record<string, string>) => void;
}

export default function GraphView({ center, params, version, onCenter, onParams, onOpenDetail, onOpenView }: Props) {
  const p = useGraphParams(params);
  const setParams = (patch: Record<string, string>) => onParams({ ...params, ...patch });
  const setParam = (k: string, v: string) => setParams({ [k]: v });

  const [types] = useAsync(() => cmdb.getTypes({}), [version]);
  const [selected, setSelected] = useState<string | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const events = useRef<ControllerEvents>({ onSelect: () => {}, onExpand: () => {}, onOpenGroup: () => {}, onOpen: () => {} });
  const { ctl, mount } = useGraphController(events);
  useEffect(() => {
    ctl.current?.setInsets(() => overlayInsets(wrap.current));
    ctl.current?.setObstacles(() => overlayBoxes(wrap.current));
  }, []);
  const path = usePathFinder(ctl);
  const g = useGraphData({ ...p, center, version }, ctl, path.reset);
  const { data, status } = g;

  const clientGroups = p.grouping && !p.groupBy && !g.autoGrouped;
  const elements = useMemo(
    () => buildElements(data, { center, groupThreshold: clientGroups ? 12 : 0, openGroups: g.openGroups }),
    [data, center, clientGroups, g.openGroups],
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
  /** An engine group opens by expanding its value (which turns an automatic grouping into a chosen one); a sibling group opens in place. */
  const openGroup = (id: string) => {
    // The group goes: a selection of it would leave the panel about nothing.
    if (selected === id) select(null);
    const gr = data.groups.find((x) => x.id === id);
    if (!gr) return g.openGroup(id);
    setParams({ gb: p.groupBy ?? AUTO_GROUP_BY, gx: JSON.stringify([...(p.groupBy ? p.expand : []), gr.value]) });
  };
  events.current = { onSelect: select, onExpand: (id) => void g.expand(id), onOpenGroup: openGroup, onOpen: onOpenDetail };
  // Notices come and go over the canvas: labels move out from under them.
  useEffect(() => {
    if (status === 'ready') ctl.current?.refreshLabels();
  }, [status, path.info, g.notice, g.autoGrouped]);
  // One answer for a selection by mouse or keyboard: a group reads as a group.
  const group = useMemo(() => selectedGroup(selected, elements.nodes, data), [selected, elements.nodes, data]);
  const focus = selected && data.nodes.has(selected) ? selected : center && data.nodes.has(center) ? center : null;
  const ready = status === 'ready';

  return (
    <div className="graph">
      <div className="graph-main">
        <GraphToolbar p={p} types={types.data} setParam={setParam} setParams={setParams}>
          <SavedViews
            spec={center ? viewSpec(center, p) : null}
            version={version}
            onOpen={(v: SavedView) => onOpenView(v.spec.center, specParams(v.spec))}
          />
          {center && (
            <ExportMenu
              ctl={ctl}
              center={center}
              ready={ready}
              drawn={() => exportDrawn(elements, data, ctl.current?.positions() ?? new Map(), viewCut(g.meta))}
            />
          )}
        </GraphToolbar>
        <div className="canvas-wrap" ref={wrap} aria-busy={status === 'loading'}>
          <CanvasHost onMount={mount} />
          <GraphOverlays
            ctl={ctl}
            center={center}
            selected={selected}
            status={status}
            error={g.error}
            elements={elements}
            data={data}
            timing={timing}
            meta={g.meta}
            maxNodes={p.maxNodes}
            filtered={p.ciTypes.length > 0}
            path={path}
            notice={g.notice}
            autoGrouped={g.autoGrouped}
            onCenter={onCenter}
          />
        </div>
      </div>
      <SelectionPanel
        focus={focus}
        name={focus ? (data.nodes.get(focus)?.name ?? null) : null}
        selected={selected}
        group={group}
        center={center}
        version={version}
        pathFrom={path.from}
        onCenter={onCenter}
        onExpand={(k) => void g.expand(k)}
        onPathEnd={(k) => path.choose(k, data.nodes)}
        onOpenGroup={openGroup}
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
