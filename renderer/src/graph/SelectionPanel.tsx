/** The graph's side panel: actions on the selected CI (or the centre) and its details, the selected group, or how to use the graph. */
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { CiDetailPanel } from '../browse/CiDetail.js';
import { formatCount } from '../../../shared/format.js';
import { oneLine } from './labels.js';
import type { GroupSelection } from './selection.js';

export interface SelectionProps {
  /** The CI the panel is about: the selected one, else the centre; null when neither is drawn. */
  focus: string | null;
  /** The focused CI's name, when drawn. */
  name: string | null;
  selected: string | null;
  /** The selected node when it is a group (selection.ts): the panel then shows the group, not a CI. */
  group: GroupSelection | null;
  center: string | null;
  version: number;
  /** The first end of a path being chosen. */
  pathFrom: string | null;
  onCenter: (key: string) => void;
  onExpand: (key: string) => void;
  onPathEnd: (key: string) => void;
  /** Opens a group: its CIs are drawn in its place. */
  onOpenGroup: (id: string) => void;
  onOpenDetail: (key: string) => void;
  /** A CI named in the details was chosen. */
  onOpen: (key: string) => void;
}

export function SelectionPanel(p: SelectionProps) {
  const { focus } = p;
  if (p.group) return <GroupPanel group={p.group} onOpenGroup={p.onOpenGroup} />;
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

/** A selected group node: what it gathers, how many CIs, and how to open it. */
function GroupPanel({ group, onOpenGroup }: { group: GroupSelection; onOpenGroup: (id: string) => void }) {
  const cis = `${formatCount(group.count)} CI${group.count === 1 ? '' : 's'}`;
  return (
    <aside className="side" aria-label="Selection">
      <div className="section" style={{ display: 'grid', gap: 8 }}>
        <span className="muted" style={{ fontSize: 12 }}>
          Selected group · a group stands for several CIs; Enter or a click on it opens it, arrows walk its neighbours
        </span>
        <span className="sel-title" data-testid="selection-title">
          <strong className="truncate" title={`${group.value} (${cis})`}>
            {group.value}
          </strong>
          <span className="muted">{cis}</span>
        </span>
        <dl className="kv" data-testid="selection-group">
          <dt>Grouped by</dt>
          <dd>{group.field}</dd>
          <dt>Value</dt>
          <dd>{group.value}</dd>
          <dt>CIs</dt>
          <dd>{formatCount(group.count)}</dd>
          {group.parentName !== null && (
            <>
              <dt>All linked to</dt>
              <dd>{group.parentName}</dd>
            </>
          )}
          {group.types.length > 1 && (
            <>
              <dt>Types</dt>
              <dd>{group.types.map((t) => `${ciTypeLabel(t.type)} (${formatCount(t.count)})`).join(', ')}</dd>
            </>
          )}
        </dl>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          <button type="button" className="btn small" onClick={() => onOpenGroup(group.id)} aria-label="Open this group">
            Open group
          </button>
        </div>
        <p className="muted" style={{ margin: 0, fontSize: 12 }}>
          Opening it draws its {cis} one by one in its place, so you can select them, expand them and find paths through them.
        </p>
      </div>
    </aside>
  );
}
