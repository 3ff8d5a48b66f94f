/**
 * The impact graph panel: the explanation paths drawn CI by CI (its code a
 * chunk with Cytoscape, ui/chunk.ts), or past what a graph can show the rolled-up graph
 * (by service or by type, a group opened on click); the legend, what the
 * graph leaves out, “Wide graph” (the lists' room too) and “Open in Graph”.
 */
import type { GroupBy, ImpactDirection, ImpactResult } from '../../../shared/impact.js';
import { withinHops } from '../../../shared/explain.js';
import { ErrorBox, Skeleton } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { useChunk } from '../ui/chunk.js';
import { impactGraph } from './graphChunk.js';
import { IMPACT_COLOURS } from './model.js';
import { openGroupHeading } from './rollup.js';
import type { ImpactAnalysis } from './useImpactAnalysis.js';

function Legend({ direction }: { direction: ImpactDirection }) {
  const c = IMPACT_COLOURS;
  if (direction === 'upstream')
    return (
      <div className="overlay bl legend" aria-label="Dependencies legend">
        <div className="row">
          <span className="swatch changed" style={{ background: 'transparent', borderColor: c.changed }} /> Asked about
        </div>
        <div className="row">
          <span className="swatch" style={{ background: c.down, borderColor: c.downBorder }} /> Single point of failure
        </div>
        <div className="row">
          <span className="swatch" style={{ background: 'transparent', borderColor: 'var(--border-strong)' }} /> Other dependency, in its
          type&apos;s colour
        </div>
      </div>
    );
  return (
    <div className="overlay bl legend" aria-label="Impact legend">
      <div className="row">
        <span className="swatch changed" style={{ background: c.down, borderColor: c.changed }} /> Changed (planned outage)
      </div>
      <div className="row">
        <span className="swatch" style={{ background: c.down, borderColor: c.downBorder }} /> Down
      </div>
      <div className="row">
        <span className="swatch degraded" style={{ background: c.degraded, borderColor: c.degradedBorder }} /> Degraded (runs, at risk)
      </div>
    </div>
  );
}

const BY_LABEL: Record<GroupBy, string> = { service: 'By service', type: 'By type' };

/** What the graph shows, in words, and the roll-up toggle or the way back from an open group. */
function GraphNote({ a, r }: { a: ImpactAnalysis; r: ImpactResult }) {
  if (a.group)
    return (
      <div className="graph-note" role="group" aria-label="Open group">
        <span className="badge" data-testid="impact-graph-note">
          {a.groupLoading
            ? `Listing the CIs of ${a.group.label}…`
            : openGroupHeading(a.group, a.listed?.impacted.length ?? 0, Boolean(a.listed?.truncated), a.graph?.shown)}
        </span>
        <button type="button" className="btn small" onClick={a.closeGroup}>
          ← All groups
        </button>
      </div>
    );
  if (a.groups)
    return (
      <div className="graph-note" role="group" aria-label="Rolled-up graph">
        <span className="badge" data-testid="impact-graph-note">
          {formatCount(r.counts.total)} impacted CIs, rolled up {a.rollBy === 'service' ? 'by business service' : 'by type'}
          {a.groups.folded > 0 && ` (${formatCount(a.groups.folded)} smaller in one)`}; click a group for its CIs
        </span>
        <div className="seg" role="group" aria-label="Roll up">
          {(['service', 'type'] as const).map((by) => (
            <button key={by} type="button" aria-pressed={a.rollBy === by} onClick={() => a.setRollBy(by)}>
              {BY_LABEL[by]}
            </button>
          ))}
        </div>
      </div>
    );
  const g = a.graph;
  if (!g) return null;
  const listed = a.listed?.impacted.length ?? 0;
  return (
    <div className="graph-note">
      <span className="badge" data-testid="impact-graph-note">
        {g.omitted > 0
          ? `Graph shows the paths to ${formatCount(g.shown)} of ${formatCount(listed)} listed CIs (the most severe).`
          : `Paths to all ${formatCount(listed)} listed CIs${r.depthLimit != null ? ` (${withinHops(r.depthLimit)})` : ''}.`}
        {r.counts.total > listed &&
          ` ${formatCount(r.counts.total - listed)} more${r.depthLimit != null ? ', at any depth,' : ''} are counted but not listed.`}
      </span>
    </div>
  );
}

/** The graph side of the results; `wide`: across the lists' room too (the Wide graph toggle). */
export function ImpactCanvas({
  a,
  r,
  onGraph,
  wide,
  onWide,
}: {
  a: ImpactAnalysis;
  r: ImpactResult;
  onGraph: (key: string) => void;
  wide: boolean;
  onWide: (wide: boolean) => void;
}) {
  const path = a.pickedCi ? a.pickedCi.path.map((s) => s.key) : null;
  const code = useChunk(impactGraph);
  const ImpactGraph = code.module?.default;
  return (
    <div className="canvas-wrap impact-canvas">
      {(a.running || a.groupLoading) && <div className="loading-bar" />}
      {code.error ? (
        <ErrorBox error={code.error} title="The impact graph could not be loaded" onRetry={code.retry} />
      ) : !ImpactGraph ? (
        <Skeleton rows={6} label="Loading the graph" />
      ) : (
        (a.graph || a.groups) && (
          <ImpactGraph
            graph={a.graph}
            direction={r.direction}
            groups={a.groups}
            path={a.groups ? null : path}
            selected={a.groups ? null : a.picked}
            onSelect={(key) => {
              a.setPicked(key);
              // Its explanation is in the lists: back beside the graph, the same CI picked again too.
              if (key !== null) onWide(false);
            }}
            onOpenGroup={a.openGroup}
            whole={a.group !== null}
          />
        )
      )}
      <Legend direction={r.direction} />
      <div className="overlay tl">
        <GraphNote a={a} r={r} />
      </div>
      {r.changed.length > 0 && (
        <div className="overlay br">
          <button
            type="button"
            className="btn small wide-toggle"
            aria-pressed={wide}
            title={wide ? 'Show the lists beside the graph again' : 'Give the graph the lists’ room too'}
            onClick={() => onWide(!wide)}
          >
            Wide graph
          </button>
          <button type="button" className="btn small" onClick={() => onGraph(a.picked ?? r.changed[0]!.key)}>
            Open in Graph
          </button>
        </div>
      )}
    </div>
  );
}
