/**
 * One CI's relationships across the two points, drawn with the shared
 * CytoscapeHost: added ones green and thick, removed ones red and dashed,
 * changed ones amber, those the same in both grey; a legend with counts.
 * Loaded apart from the app (Cytoscape with it) when a CI is opened.
 */
import { useCytoscapeHost } from '../graph/useCytoscapeHost.js';
import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useMemo, useRef } from 'react';
import { NOW, type Diff } from '../../../shared/baseline.js';
import { cmdb } from '../api.js';
import { ErrorBox, useAsync } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { ciRelLines, lineCounts, relElements, type LineState } from './relLines.js';

/** Fixed colours: they read the same on the light and dark graph backgrounds. */
export const LINE_COLOURS: Record<LineState, string> = { added: '#16a34a', removed: '#dc2626', changed: '#d97706', same: '#9aa3ae' };
const LEGEND: { state: LineState; label: string; dash: boolean; width: number }[] = [
  { state: 'added', label: 'Added', dash: false, width: 4 },
  { state: 'removed', label: 'Removed', dash: true, width: 3 },
  { state: 'changed', label: 'Changed', dash: false, width: 3 },
  { state: 'same', label: 'In both', dash: false, width: 1.5 },
];
/** Relationships read from the live CMDB per side: a hub's thousands would not read as a graph anyway. */
const LIVE_LIMIT = 200;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function stylesheet(): cytoscape.StylesheetJson {
  const label = css('--graph-label', '#2b3138');
  const bg = css('--graph-bg', '#ffffff');
  const edgeStyle = (s: LineState, width: number, dashed: boolean) => ({
    selector: `edge[state = "${s}"]`,
    style: { width, 'line-color': LINE_COLOURS[s], 'target-arrow-color': LINE_COLOURS[s], 'line-style': dashed ? 'dashed' : 'solid' },
  });
  return [
    {
      selector: 'node',
      style: {
        'background-color': css('--text-3', '#7b838d'),
        width: 22,
        height: 22,
        label: 'data(label)',
        color: label,
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-max-width': '110px',
        'text-wrap': 'ellipsis',
        'text-background-color': bg,
        'text-background-opacity': 0.85,
      },
    },
    {
      selector: 'node[centre = 1]',
      style: { 'background-color': css('--accent', '#4460e6'), width: 32, height: 32, 'font-weight': 'bold' },
    },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'font-size': 9,
        color: label,
        'text-rotation': 'autorotate',
        'text-background-color': bg,
        'text-background-opacity': 0.9,
      },
    },
    ...LEGEND.map((l) => edgeStyle(l.state, l.width, l.dash)),
    // Only what differs is named: the relationships in both stay quiet lines.
    { selector: 'edge[state != "same"]', style: { label: 'data(label)', 'font-weight': 'bold' } },
  ] as cytoscape.StylesheetJson;
}

function layOut(cy: Core): void {
  cy.layout({
    name: 'concentric',
    concentric: (n: cytoscape.NodeSingular) => (n.data('centre') === 1 ? 2 : 1),
    levelWidth: () => 1,
    minNodeSpacing: 60,
    animate: false,
  } as cytoscape.LayoutOptions).run();
  cy.fit(undefined, 30);
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
}

declare global {
  interface Window {
    /** What the Compare screen's graph draws, for tests: each relationship's id and state. */
    __cmdbCompareGraph?: { centre: string; edges: { id: string; state: string; style: string; color: string }[] };
  }
}

export default function RelGraph({ ciKey, diff, live }: { ciKey: string; diff: Diff; live: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const host = useCytoscapeHost(
    box,
    (container) =>
      cytoscape({ container, style: stylesheet(), minZoom: 0.2, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: false }),
    stylesheet,
    () => delete window.__cmdbCompareGraph,
  );
  const [now] = useAsync(
    () => (live ? cmdb.getCi({ key: ciKey, relLimit: LIVE_LIMIT, historyLimit: 0 }) : Promise.resolve(null)),
    [ciKey, live, diff],
  );
  const lines = useMemo(() => {
    const rels = now.data ? [...now.data.outgoing, ...now.data.incoming] : null;
    return ciRelLines(ciKey, diff, now.status === 'ok' ? rels : null);
  }, [ciKey, diff, now]);
  const names = useMemo(() => {
    const m = new Map<string, string>();
    if (now.data) {
      m.set(now.data.ci.key, now.data.ci.name);
      for (const r of [...now.data.outgoing, ...now.data.incoming]) m.set(r.other.key, r.other.name);
    }
    for (const c of [...diff.cis.added, ...diff.cis.removed, ...diff.cis.changed]) if (!m.has(c.key)) m.set(c.key, c.name);
    return m;
  }, [now.data, diff]);

  useEffect(() => {
    const h = host.current;
    if (!h || (live && now.status === 'loading')) return;
    void h.update(relElements(ciKey, lines, names), layOut).then(() => {
      window.__cmdbCompareGraph = {
        centre: ciKey,
        edges: h.core.edges().map((e) => ({
          id: e.id(),
          state: e.data('state') as string,
          style: e.style('line-style') as string,
          color: e.style('line-color') as string,
        })),
      };
    });
  }, [lines, names, ciKey, live, now.status]);

  const counts = lineCounts(lines);
  return (
    <div className="compare-graph" aria-label="Relationships across the two points">
      <div className="canvas-wrap">
        <div ref={box} className="cy" data-testid="compare-graph" />
        <div className="overlay bl legend" aria-label="Relationship legend">
          {LEGEND.filter((l) => l.state !== 'same' || live).map((l) => (
            <div className="row" key={l.state}>
              <svg width="28" height="8" aria-hidden="true">
                <line
                  x1="0"
                  y1="4"
                  x2="28"
                  y2="4"
                  stroke={LINE_COLOURS[l.state]}
                  strokeWidth={l.width}
                  strokeDasharray={l.dash ? '5 3' : undefined}
                />
              </svg>
              {l.label} <span className="muted">{formatCount(counts[l.state])}</span>
            </div>
          ))}
        </div>
      </div>
      {now.status === 'error' && <ErrorBox error={now.error} title="The CI's relationships now could not be read" />}
      {!live && (
        <p className="muted small">
          {diff.from === NOW || diff.to === NOW
            ? 'This CI is not in the live CMDB: its relationships drawn are those that differ.'
            : 'Neither point is the live CMDB: only the relationships that differ are drawn.'}
        </p>
      )}
      {lines.length === 0 && <p className="muted small">No relationship of this CI differs, and it has none in both.</p>}
    </div>
  );
}
