/** The graph's side panel: actions on the selected CI (or the centre) and its details, or how to use the graph. */
import { CiDetailPanel } from '../browse/CiDetail.js';
import { oneLine } from './labels.js';

export interface SelectionProps {
  /** The CI the panel is about: the selected one, else the centre; null when neither is drawn. */
  focus: string | null;
  /** The focused CI's name, when drawn. */
  name: string | null;
  selected: string | null;
  center: string | null;
  version: number;
  /** The first end of a path being chosen. */
  pathFrom: string | null;
  onCenter: (key: string) => void;
  onExpand: (key: string) => void;
  onPathEnd: (key: string) => void;
  onOpenDetail: (key: string) => void;
  /** A CI named in the details was chosen. */
  onOpen: (key: string) => void;
}

export function SelectionPanel(p: SelectionProps) {
  const { focus } = p;
  if (!focus) {
    return (
      <aside className="side" aria-label="Selection">
        <div className="section">
          <h3>Selection</h3>
          <p className="muted" style={{ margin: 0 }}>
            Choose a CI to draw. Then click a CI to see its details here, double-click to expand its neighbours, and click a dashed group
            node to open it. On the focused graph, the arrows move between neighbours, Enter opens the CI and Escape clears.
          </p>
        </div>
      </aside>
    );
  }
  // A multi-line name (from a spreadsheet cell) reads on one line, as on the canvas.
  const name = p.name === null ? null : oneLine(p.name);
  const pathLabel = p.pathFrom && p.pathFrom !== focus ? 'Path to here' : 'Path from here';
  return (
    <aside className="side" aria-label="Selection">
      <div className="section" style={{ display: 'grid', gap: 8 }}>
        <span className="muted" style={{ fontSize: 12 }}>
          {p.selected ? 'Selected CI' : 'Centre of the graph'} · click a CI to select it, double-click to expand it; arrows walk its
          neighbours
        </span>
        {name && (
          <span className="sel-title" data-testid="selection-title">
            <strong className="truncate" title={`${name} (${focus})`}>
              {name}
            </strong>
            <code className="sel-key" title={focus}>
              {focus}
            </code>
          </span>
        )}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          <button
            type="button"
            className="btn small"
            onClick={() => p.onCenter(focus)}
            aria-label="Centre graph on this CI"
            disabled={focus === p.center}
          >
            Make centre
          </button>
          <button type="button" className="btn small" onClick={() => p.onExpand(focus)} aria-label="Expand this CI">
            Expand
          </button>
          <button type="button" className="btn small" onClick={() => p.onPathEnd(focus)} aria-label={pathLabel}>
            {pathLabel}
          </button>
          <button type="button" className="btn small" onClick={() => p.onOpenDetail(focus)} aria-label="Open in Browse">
            Open in Browse
          </button>
        </div>
      </div>
      <CiDetailPanel key={focus} ciKey={focus} version={p.version} compact onChanged={() => {}} onOpen={p.onOpen} />
    </aside>
  );
}
