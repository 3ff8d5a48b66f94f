/** The Impact screen's side card: the changed CIs, how to follow them (direction, depth, relationship types), save and clear. */
import type { Stats } from '../../../shared/domain.js';
import { ChangeCompare, type ChangeCompareState } from '../compare/ChangeCompare.js';
import { TypeDot } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { Menu } from '../ui/Menu.js';
import { CiPicker } from './CiPicker.js';
import { MergedNotice } from './MergedNotice.js';
import type { ImpactAnalysis } from './useImpactAnalysis.js';

const DEPTHS = [1, 2, 3, 4, 5, 6, 8, 10];

function ChangedList({ a, stats }: { a: ImpactAnalysis; stats: Stats }) {
  if (a.keys.length === 0)
    return (
      <p className="muted small">
        Search above, or use “Add to change” on a CI in Browse or the Graph. {formatCount(stats.cis)} CIs to choose from.
      </p>
    );
  return (
    <ul className="changed-list" aria-label="Changed CIs">
      {a.keys.map((k) => {
        const n = a.names.get(k);
        const gone = a.missing.includes(k);
        return (
          <li key={k} className={gone ? 'missing' : undefined}>
            <TypeDot type={n?.type ?? ''} />
            <span className="nm" title={k}>
              {n?.name ?? k}
              <span className="mono muted">{gone ? `${k} · no CI has this key` : k}</span>
            </span>
            <button
              type="button"
              className="btn ghost icon small"
              aria-label={`Remove ${k}`}
              onClick={() => a.setKeys(a.keys.filter((x) => x !== k))}
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function FollowOptions({ a }: { a: ImpactAnalysis }) {
  return (
    <>
      <div className="opts">
        <div className="seg" role="group" aria-label="Direction">
          <button
            type="button"
            aria-pressed={a.direction === 'downstream'}
            onClick={() => a.setDirection('downstream')}
            title="What goes down if these CIs go down"
          >
            What breaks
          </button>
          <button
            type="button"
            aria-pressed={a.direction === 'upstream'}
            onClick={() => a.setDirection('upstream')}
            title="What these CIs need to run"
          >
            What they need
          </button>
        </div>
        <label className="inline">
          Depth
          <select
            className="input"
            value={a.depth ?? ''}
            onChange={(e) => a.setDepth(e.target.value === '' ? null : Number(e.target.value))}
            aria-label="Depth"
          >
            <option value="">Any</option>
            {DEPTHS.map((d) => (
              <option key={d} value={d}>
                {d} hop{d > 1 ? 's' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Menu
        className="reltypes"
        label="Relationship types followed"
        summary={`Relationship types: ${a.types ? `${a.types.length} of ${a.relTypes.size}` : 'all that carry impact'}`}
      >
        {[...a.relTypes.values()].map((t) => (
          <label key={t.name}>
            <input type="checkbox" checked={a.typeChoice.includes(t.name)} onChange={() => a.toggleType(t.name)} />
            <span className="mono">{t.name}</span>
            <span className="muted">{t.strength}</span>
          </label>
        ))}
      </Menu>
    </>
  );
}

/** The “Changed CIs” card; an open change's comparison with a baseline picked at its foot (`compare`, its answer in the main area). */
export function ChangePanel({
  a,
  stats,
  compare,
  onSave,
}: {
  a: ImpactAnalysis;
  stats: Stats;
  compare: ChangeCompareState;
  onSave: () => void;
}) {
  return (
    <section className="card">
      <h2>Changed CIs</h2>
      <CiPicker
        exclude={a.keys}
        onPick={(ci) => {
          a.addName(ci.key, { name: ci.name, type: ci.type });
          a.setKeys([...a.keys, ci.key]);
        }}
      />
      <ChangedList a={a} stats={stats} />
      <MergedNotice a={a} />
      <FollowOptions a={a} />
      <div className="actions">
        <button
          type="button"
          className="btn primary"
          disabled={!a.r || a.running || a.direction !== 'downstream'}
          onClick={onSave}
          title={
            a.direction !== 'downstream'
              ? 'A change is assessed downstream (what breaks)'
              : a.open
                ? `Save ${a.open.summary.ref}`
                : undefined
          }
        >
          {a.open ? `Save ${a.open.summary.ref}…` : 'Save as change…'}
        </button>
        {a.keys.length > 0 && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              a.setKeys([]);
              a.setOpen(null);
              a.dismissMerged();
            }}
          >
            Clear
          </button>
        )}
      </div>
      {a.open && <ChangeCompare c={compare} />}
    </section>
  );
}
