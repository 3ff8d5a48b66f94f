/**
 * Graph: a CI's neighbourhood drawn with Cytoscape. The Cytoscape instance
 * lives in a host element React never re-renders, driven by GraphController.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Ci, Direction } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { CiDetailPanel } from '../browse/CiDetail.js';
import { typeStyle } from '../typeStyle.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { EmptyState, ErrorBox, formatCount, TypeDot, useAsync } from '../ui/common.js';
import { GraphController, type Palette } from './controller.js';
import type { LayoutName } from './layouts.js';
import { buildElements, emptyGraph, fromNeighbourhood, mergeNeighbourhood, type GraphData } from './model.js';
import { shapeSvg } from './svg.js';

declare global {
  interface Window {
    /** The graph's state for tests and the browser benchmark. */
    __cmdbGraph?: {
      status: 'loading' | 'ready' | 'error';
      seq: number;
      nodes: number;
      edges: number;
      fetchMs: number;
      layoutMs: number;
      shownMs: number;
      renderer: 'webgl' | 'canvas';
      truncated: boolean;
      omitted: number;
      panBy(dx: number, dy: number): void;
      zoomTo(level: number): void;
      fit(): void;
      /** Drawn node ids (group nodes start with "group:"). */
      nodeIds(): string[];
      /** Centres the view on a node at a readable zoom, without animation. */
      reveal(id: string): void;
      /** Where a node is on the page, for tests that click it. */
      pagePosition(id: string): { x: number; y: number } | null;
    };
  }
}

const DIRECTIONS: Array<{ value: Direction; label: string }> = [
  { value: 'upstream', label: 'Depends on' },
  { value: 'downstream', label: 'Depended on by' },
  { value: 'both', label: 'Both' },
];
const CAPS = [100, 300, 500, 1000, 2000, 5000];

function readPalette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string, d: string) => s.getPropertyValue(n).trim() || d;
  return {
    bg: v('--graph-bg', '#ffffff'),
    edge: v('--graph-edge', '#999999'),
    label: v('--graph-label', '#222222'),
    accent: v('--accent', '#4460e6'),
    danger: v('--danger', '#d2364b'),
    text: v('--text', '#111111'),
  };
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** The element Cytoscape draws into. It never re-renders, so React never touches Cytoscape's DOM. */
const CanvasHost = memo(
  function CanvasHost({ onMount }: { onMount: (el: HTMLDivElement | null) => void }) {
    return <div className="cy" ref={onMount} role="img" aria-label="Dependency graph" data-testid="graph-canvas" />;
  },
  () => true,
);

function MultiSelect({
  label,
  options,
  chosen,
  onChange,
}: {
  label: string;
  options: Array<{ value: string; label: string }>;
  chosen: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <details className="dropdown">
      <summary className="btn small" aria-label={`${label} filter`}>
        {label}
        {chosen.length ? ` (${chosen.length})` : ': all'} ▾
      </summary>
      <div className="menu" role="group" aria-label={label}>
        {chosen.length > 0 && (
          <button type="button" className="btn ghost small" onClick={() => onChange([])}>
            Show all
          </button>
        )}
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
              aria-label={o.label}
            />
            {o.label}
          </label>
        ))}
      </div>
    </details>
  );
}

function StartPicker({ onCenter }: { onCenter: (k: string) => void }) {
  const [state] = useAsync(
    () => cmdb.listCis({ filters: { type: ['business_service', 'service', 'application'] }, limit: 12, offset: 0 }),
    [],
  );
  return (
    <EmptyState icon="◎" title="Choose a CI to draw its neighbourhood">
      Press <span className="kbd">/</span> to search for one, use “Show in graph” in Browse, or start from a service:
      <span style={{ display: 'flex', flexWrap: 'wrap', gap: 6, justifyContent: 'center', marginTop: 10 }}>
        {state.data?.items.map((c: Ci) => (
          <button key={c.key} type="button" className="btn small" onClick={() => onCenter(c.key)}>
            <TypeDot type={c.type} /> {c.name}
          </button>
        ))}
      </span>
    </EmptyState>
  );
}

interface Props {
  center: string | null;
  params: Record<string, string>;
  version: number;
  onCenter: (key: string) => void;
  onParams: (p: Record<string, string>) => void;
  onOpenDetail: (key: string) => void;
}

export default function GraphView({ center, params, version, onCenter, onParams, onOpenDetail }: Props) {
  const direction = (['upstream', 'downstream', 'both'].includes(params.dir ?? '') ? params.dir : 'both') as Direction;
  const depth = Math.min(10, Math.max(1, Number(params.depth ?? 2) || 2));
  const layout: LayoutName = params.layout === 'force' ? 'force' : 'layered';
  const maxNodes = Math.min(20000, Math.max(1, Number(params.max ?? 500) || 500));
  const grouping = params.group !== '0';
  /** `gl=0` / `gl=1` force the 2D or the WebGL renderer (default: WebGL for large graphs where available). */
  const webgl = params.gl === '0' ? 'off' : params.gl === '1' ? 'on' : 'auto';
  const ciTypes = useMemo(() => (params.ct ? params.ct.split(',') : []), [params.ct]);
  const relTypes = useMemo(() => (params.rt ? params.rt.split(',') : []), [params.rt]);
  const setParam = (k: string, v: string) => onParams({ ...params, [k]: v });

  const [types] = useAsync(() => cmdb.getTypes({}), [version]);
  const [data, setData] = useState<GraphData>(emptyGraph);
  const [meta, setMeta] = useState({ truncated: false, omitted: 0, expandOmitted: 0 });
  const [status, setStatus] = useState<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const [error, setError] = useState<unknown>(null);
  const [openGroups, setOpenGroups] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  const [pathInfo, setPathInfo] = useState<string | null>(null);
  const [timing, setTiming] = useState<{ fetchMs: number; layoutMs: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const ctl = useRef<GraphController | null>(null);
  const seq = useRef(0);
  const fetchStart = useRef(0);
  const fetchMs = useRef(0);
  const lastLayout = useRef<LayoutName>(layout);
  const handlers = useRef({ select: (_: string | null) => {}, expand: (_: string) => {}, openGroup: (_: string) => {} });

  const mount = useCallback((el: HTMLDivElement | null) => {
    if (!el || ctl.current) return;
    ctl.current = new GraphController(
      el,
      {
        onSelect: (id) => handlers.current.select(id),
        onExpand: (id) => handlers.current.expand(id),
        onOpenGroup: (id) => handlers.current.openGroup(id),
      },
      readPalette(),
      document.documentElement.dataset.theme !== 'dark',
    );
  }, []);
  useEffect(
    () => () => {
      ctl.current?.destroy();
      ctl.current = null;
      delete window.__cmdbGraph;
    },
    [],
  );
  useEffect(() => {
    const on = () => ctl.current?.setTheme(readPalette(), document.documentElement.dataset.theme !== 'dark');
    window.addEventListener('cmdb-theme', on);
    return () => window.removeEventListener('cmdb-theme', on);
  }, []);

  const publish = (
    s: 'loading' | 'ready' | 'error',
    extra: { nodes?: number; edges?: number; layoutMs?: number; shownMs?: number } = {},
  ) => {
    const c = ctl.current;
    window.__cmdbGraph = {
      status: s,
      seq: seq.current,
      nodes: extra.nodes ?? 0,
      edges: extra.edges ?? 0,
      fetchMs: fetchMs.current,
      layoutMs: extra.layoutMs ?? 0,
      shownMs: extra.shownMs ?? 0,
      renderer: c?.usesWebgl ? 'webgl' : 'canvas',
      truncated: meta.truncated,
      omitted: meta.omitted,
      panBy: (dx, dy) => ctl.current?.core.panBy({ x: dx, y: dy }),
      zoomTo: (level) => {
        const cy = ctl.current?.core;
        cy?.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      },
      fit: () => ctl.current?.fit(),
      nodeIds: () => ctl.current?.core.nodes().map((n) => n.id()) ?? [],
      reveal: (id) => {
        const cy = ctl.current?.core;
        const n = cy?.getElementById(id);
        if (!cy || !n || n.empty()) return;
        cy.zoom(Math.max(cy.zoom(), 1));
        cy.center(n);
      },
      pagePosition: (id) => {
        const cy = ctl.current?.core;
        const n = cy?.getElementById(id);
        if (!cy || !n || n.empty()) return null;
        const box = cy.container()!.getBoundingClientRect();
        const p = n.renderedPosition();
        return { x: box.left + p.x, y: box.top + p.y };
      },
    };
  };

  // Fetch the neighbourhood when the question changes.
  useEffect(() => {
    if (!center) {
      setStatus('idle');
      return;
    }
    let live = true;
    const my = ++seq.current;
    setStatus('loading');
    publish('loading');
    setError(null);
    setPathFrom(null);
    setPathInfo(null);
    performance.mark('graph:fetch-start');
    fetchStart.current = performance.now();
    cmdb
      .neighbourhood({
        key: center,
        depth,
        direction,
        ciTypes: ciTypes.length ? ciTypes : undefined,
        relTypes: relTypes.length ? relTypes : undefined,
        maxNodes,
      })
      .then(
        (n) => {
          if (!live || my !== seq.current) return;
          performance.mark('graph:fetched');
          fetchMs.current = performance.now() - fetchStart.current;
          setMeta({ truncated: n.truncated, omitted: n.omitted, expandOmitted: 0 });
          setOpenGroups(new Set());
          setData(fromNeighbourhood(n));
        },
        (err: unknown) => {
          if (!live) return;
          setError(err);
          setStatus('error');
          publish('error');
        },
      );
    return () => {
      live = false;
    };
  }, [center, depth, direction, ciTypes, relTypes, maxNodes, version]);

  const elements = useMemo(
    () => buildElements(data, { center, groupThreshold: grouping ? 12 : 0, openGroups }),
    [data, center, grouping, openGroups],
  );

  // Draw what changed; lay out when the topology (or the chosen layout) changed.
  useEffect(() => {
    const c = ctl.current;
    if (!c || !center || data.nodes.size === 0) return;
    const my = seq.current;
    const relayout = lastLayout.current !== layout;
    lastLayout.current = layout;
    c.setElements(elements, layout, relayout, webgl).then(
      ({ layoutMs }) => {
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            if (my !== seq.current) return;
            performance.mark('graph:shown');
            const shownMs = performance.now() - fetchStart.current;
            try {
              performance.measure('graph:fetch-layout-show', 'graph:fetch-start', 'graph:shown');
            } catch {
              // The start mark may have been cleared by a benchmark between runs.
            }
            setStatus('ready');
            setTiming({ fetchMs: fetchMs.current, layoutMs });
            publish('ready', { nodes: elements.nodes.length, edges: elements.edges.length, layoutMs, shownMs });
            if (selected) c.select(selected);
          }),
        );
      },
      (err: unknown) => {
        setError(err);
        setStatus('error');
        publish('error');
      },
    );
  }, [elements, layout]);

  const expand = async (key: string) => {
    if (key.startsWith('group:')) return;
    setNotice(`Expanding ${data.nodes.get(key)?.name ?? key}…`);
    fetchStart.current = performance.now();
    performance.mark('graph:fetch-start');
    try {
      const n = await cmdb.neighbourhood({
        key,
        depth: 1,
        direction,
        ciTypes: ciTypes.length ? ciTypes : undefined,
        relTypes: relTypes.length ? relTypes : undefined,
        maxNodes: 500,
      });
      fetchMs.current = performance.now() - fetchStart.current;
      const before = data.nodes.size;
      const merged = mergeNeighbourhood(data, n);
      const added = merged.nodes.size - before;
      setData(merged);
      if (n.truncated) setMeta((m) => ({ ...m, expandOmitted: m.expandOmitted + n.omitted }));
      setNotice(
        added > 0
          ? `Added ${added} CI${added === 1 ? '' : 's'} around ${n.nodes[0]?.name ?? key}.`
          : `Nothing new around ${key}: all its neighbours are drawn.`,
      );
    } catch (err) {
      setNotice(`Could not expand ${key}: ${(err as Error).message}`);
    }
  };
  handlers.current = {
    select: (id) => {
      setSelected(id);
      ctl.current?.select(id);
    },
    expand: (id) => void expand(id),
    openGroup: (id) => setOpenGroups((s) => new Set([...s, id])),
  };

  const choosePathEnd = (key: string) => {
    if (!pathFrom || pathFrom === key) {
      setPathFrom(key);
      setPathInfo(`Path from ${data.nodes.get(key)?.name ?? key}: now select the other CI and choose “Path to here”.`);
      ctl.current?.clearPath();
      return;
    }
    const hops = ctl.current?.highlightPath(pathFrom, key) ?? null;
    const a = data.nodes.get(pathFrom)?.name ?? pathFrom;
    const b = data.nodes.get(key)?.name ?? key;
    setPathInfo(
      hops === null
        ? `No path between ${a} and ${b} on the drawn graph. Expand nodes or raise the depth.`
        : `Shortest path ${a} → ${b}: ${hops} hop${hops === 1 ? '' : 's'}.`,
    );
    setPathFrom(null);
  };

  const legend = useMemo(() => {
    const counts = new Map<string, number>();
    for (const n of elements.nodes) counts.set(n.data.type, (counts.get(n.data.type) ?? 0) + (n.data.groupOf?.length ?? 1));
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [elements]);

  const ciTypeOptions = (types.data?.ciTypes ?? [])
    .filter((t) => t.count > 0)
    .map((t) => ({ value: t.name, label: `${t.label} (${formatCount(t.count)})` }));
  const relTypeOptions = (types.data?.relTypes ?? [])
    .filter((t) => t.count > 0)
    .map((t) => ({ value: t.name, label: `${t.label} (${formatCount(t.count)})` }));
  const focus = selected && data.nodes.has(selected) ? selected : center && data.nodes.has(center) ? center : null;

  return (
    <div className="graph">
      <div className="graph-main">
        <div className="toolbar" role="toolbar" aria-label="Graph options">
          <div className="seg" role="group" aria-label="Direction">
            {DIRECTIONS.map((d) => (
              <button key={d.value} type="button" aria-pressed={direction === d.value} onClick={() => setParam('dir', d.value)}>
                {d.label}
              </button>
            ))}
          </div>
          <label className="inline">
            Depth
            <select className="input" value={depth} onChange={(e) => setParam('depth', e.target.value)} aria-label="Depth">
              {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            Cap
            <select className="input" value={maxNodes} onChange={(e) => setParam('max', e.target.value)} aria-label="Maximum nodes drawn">
              {[...new Set([...CAPS, maxNodes])]
                .sort((a, b) => a - b)
                .map((c) => (
                  <option key={c} value={c}>
                    {formatCount(c)}
                  </option>
                ))}
            </select>
          </label>
          <MultiSelect label="CI types" options={ciTypeOptions} chosen={ciTypes} onChange={(v) => setParam('ct', v.join(','))} />
          <MultiSelect label="Relationships" options={relTypeOptions} chosen={relTypes} onChange={(v) => setParam('rt', v.join(','))} />
          <span className="sep" />
          <div className="seg" role="group" aria-label="Layout">
            <button
              type="button"
              aria-pressed={layout === 'layered'}
              onClick={() => setParam('layout', 'layered')}
              title="Layered: dependency chains top to bottom"
            >
              Layered
            </button>
            <button type="button" aria-pressed={layout === 'force'} onClick={() => setParam('layout', 'force')} title="Force: clusters">
              Force
            </button>
          </div>
          <label className="inline">
            <input
              type="checkbox"
              checked={grouping}
              onChange={(e) => setParam('group', e.target.checked ? '' : '0')}
              aria-label="Group large sibling sets"
            />
            Group
          </label>
        </div>
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
              <ErrorBox error={error} title="The neighbourhood could not be drawn" />
            </div>
          )}
          {center && status !== 'error' && (
            <div className="overlay tl">
              {status === 'ready' && (
                <span className="badge" data-testid="graph-summary">
                  {formatCount(data.nodes.size)} CIs · {formatCount(data.edges.size)} relationships
                  {elements.groups > 0 ? ` · ${elements.groups} group${elements.groups === 1 ? '' : 's'} collapsed` : ''}
                  {timing ? ` · ${Math.round(timing.fetchMs)} ms fetch, ${Math.round(timing.layoutMs)} ms layout` : ''}
                  {ctl.current?.usesWebgl ? ' · WebGL' : ''}
                </span>
              )}
              {(meta.truncated || meta.expandOmitted > 0) && (
                <span className="badge warn" data-testid="graph-truncated">
                  Capped at {formatCount(maxNodes)} CIs: {formatCount(meta.omitted + meta.expandOmitted)} more at the edge were left out.
                  Raise the cap, lower the depth or filter by type.
                </span>
              )}
              {pathInfo && (
                <span className="badge" data-testid="path-info">
                  {pathInfo}{' '}
                  <button
                    type="button"
                    className="btn ghost small"
                    aria-label="Clear path"
                    onClick={() => {
                      ctl.current?.clearPath();
                      setPathInfo(null);
                      setPathFrom(null);
                    }}
                  >
                    Clear
                  </button>
                </span>
              )}
              {notice && (
                <span className="badge" role="status">
                  {notice}
                </span>
              )}
            </div>
          )}
          {center && (
            <div className="overlay br zoombar" role="group" aria-label="View">
              <button
                type="button"
                className="btn small icon"
                onClick={() => ctl.current?.zoomBy(1.25)}
                aria-label="Zoom in"
                title="Zoom in"
              >
                +
              </button>
              <button
                type="button"
                className="btn small icon"
                onClick={() => ctl.current?.zoomBy(0.8)}
                aria-label="Zoom out"
                title="Zoom out"
              >
                −
              </button>
              <button type="button" className="btn small" onClick={() => ctl.current?.fit()} aria-label="Fit graph to view">
                Fit
              </button>
              <button
                type="button"
                className="btn small"
                onClick={() => ctl.current?.centreOn(selected ?? center)}
                aria-label="Centre on CI"
              >
                Centre
              </button>
              <span className="sep" aria-hidden="true" />
              <button
                type="button"
                className="btn small"
                disabled={status !== 'ready'}
                aria-label="Export PNG"
                onClick={async () => {
                  const blob = await ctl.current?.png();
                  if (blob) download(`cmdb-graph-${center ?? 'view'}.png`, blob);
                }}
              >
                PNG
              </button>
              <button
                type="button"
                className="btn small"
                disabled={status !== 'ready'}
                aria-label="Export SVG"
                onClick={() => {
                  const svg = ctl.current?.svg();
                  if (svg) download(`cmdb-graph-${center ?? 'view'}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
                }}
              >
                SVG
              </button>
            </div>
          )}
          {legend.length > 0 && center && (
            <div className="overlay bl legend" aria-label="Legend">
              {legend.map(([type, n]) => {
                const st = typeStyle(type);
                return (
                  <div className="row" key={type}>
                    <svg
                      width="14"
                      height="14"
                      viewBox="0 0 14 14"
                      aria-hidden="true"
                      dangerouslySetInnerHTML={{ __html: shapeSvg(st.shape, 7, 7, 12, 12, `fill="${st.color}"`) }}
                    />
                    <span style={{ flex: 1 }}>{ciTypeLabel(type)}</span>
                    <span className="muted">{formatCount(n)}</span>
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      <aside className="side" aria-label="Selection">
        {focus ? (
          <>
            <div className="section" style={{ display: 'grid', gap: 8 }}>
              <span className="muted" style={{ fontSize: 12 }}>
                {selected ? 'Selected CI' : 'Centre of the graph'} · click a CI to select it, double-click to expand it
              </span>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => onCenter(focus)}
                  aria-label="Centre graph on this CI"
                  disabled={focus === center}
                >
                  Make centre
                </button>
                <button type="button" className="btn small" onClick={() => void expand(focus)} aria-label="Expand this CI">
                  Expand
                </button>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => choosePathEnd(focus)}
                  aria-label={pathFrom && pathFrom !== focus ? 'Path to here' : 'Path from here'}
                >
                  {pathFrom && pathFrom !== focus ? 'Path to here' : 'Path from here'}
                </button>
                <button type="button" className="btn small" onClick={() => onOpenDetail(focus)} aria-label="Open in Browse">
                  Open in Browse
                </button>
              </div>
            </div>
            <CiDetailPanel
              key={focus}
              ciKey={focus}
              version={version}
              compact
              onChanged={() => {}}
              onOpen={(k) => {
                if (data.nodes.has(k)) {
                  handlers.current.select(k);
                  ctl.current?.centreOn(k);
                } else onCenter(k);
              }}
            />
          </>
        ) : (
          <div className="section">
            <h3>Selection</h3>
            <p className="muted" style={{ margin: 0 }}>
              Choose a CI to draw. Then click a CI to see its details here, double-click to expand its neighbours, and click a dashed group
              node to open it.
            </p>
          </div>
        )}
      </aside>
    </div>
  );
}
