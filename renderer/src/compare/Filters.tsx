/** The Compare screen's summary strip (each figure a filter) and its filters: type (asked of the engine), owner, what and kind of change, text. */
import type { Diff } from '../../../shared/baseline.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { formatCount } from '../../../shared/format.js';
import { Menu } from '../ui/Menu.js';
import { CHANGE_KINDS, ENTITIES, isFiltered, NO_FILTER, summaryOf, toggle, type ChangeKind, type Entity, type RowFilter } from './model.js';
import type { CompareState } from './useCompare.js';

const ENTITY_LABEL: Record<Entity, string> = { ci: 'CIs', relationship: 'Relationships', type: 'Types' };
const KIND_LABEL: Record<ChangeKind, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

/** The figures of a diff; clicking one shows only those rows. */
export function DiffSummary({ diff, filter, onFilter }: { diff: Diff; filter: RowFilter; onFilter: (f: RowFilter) => void }) {
  return (
    <div className="compare-summary" role="group" aria-label="Summary">
      {summaryOf(diff).map((s) => {
        const on =
          filter.entities.length === 1 && filter.entities[0] === s.entity && filter.kinds.length === 1 && filter.kinds[0] === s.kind;
        return (
          <button
            key={s.label}
            type="button"
            className={`stat ${s.kind}`}
            aria-pressed={on}
            disabled={s.value === 0}
            onClick={() => onFilter(on ? NO_FILTER : { ...filter, entities: [s.entity], kinds: [s.kind] })}
            title={on ? 'Show every change' : `Show only the ${s.label.toLowerCase()}`}
          >
            <b>{formatCount(s.value)}</b>
            <span>{s.label}</span>
            {s.note && <small className="muted">{s.note}</small>}
          </button>
        );
      })}
    </div>
  );
}

function Chips<T extends string>({
  label,
  all,
  names,
  chosen,
  onChange,
}: {
  label: string;
  all: readonly T[];
  names: Record<T, string>;
  chosen: T[];
  onChange: (v: T[]) => void;
}) {
  return (
    <div className="seg" role="group" aria-label={label}>
      {all.map((v) => (
        <button key={v} type="button" aria-pressed={chosen.includes(v)} onClick={() => onChange(toggle(chosen, v))}>
          {names[v]}
        </button>
      ))}
    </div>
  );
}

export function Filters({ c }: { c: CompareState }) {
  const f = c.filter;
  const set = (p: Partial<RowFilter>) => c.setFilter({ ...f, ...p });
  return (
    <div className="compare-filters" role="group" aria-label="Filters">
      <Menu className="compare-menu" label="Types" summary={c.types.length ? `Types: ${c.types.map(ciTypeLabel).join(', ')}` : 'All types'}>
        {c.typeChoices.map((t) => (
          <label key={t}>
            <input type="checkbox" checked={c.types.includes(t)} onChange={() => c.setTypes(toggle(c.types, t))} />
            {ciTypeLabel(t)}
          </label>
        ))}
      </Menu>
      <Menu
        className="compare-menu"
        label="Owners"
        summary={f.owners.length ? `Owners: ${f.owners.map((o) => o ?? 'not set').join(', ')}` : 'All owners'}
      >
        {c.owners.length === 0 && <span className="muted small">No CI in this comparison.</span>}
        {c.owners.map((o) => (
          <label key={o.owner ?? ''}>
            <input type="checkbox" checked={f.owners.includes(o.owner)} onChange={() => set({ owners: toggle(f.owners, o.owner) })} />
            <span>{o.owner ?? 'Not set'}</span>
            <span className="muted">{formatCount(o.count)}</span>
          </label>
        ))}
      </Menu>
      <Chips label="Show" all={ENTITIES} names={ENTITY_LABEL} chosen={f.entities} onChange={(entities) => set({ entities })} />
      <Chips label="Kind of change" all={CHANGE_KINDS} names={KIND_LABEL} chosen={f.kinds} onChange={(kinds) => set({ kinds })} />
      <input
        className="input"
        type="search"
        placeholder="Find a key or name"
        value={f.text}
        onChange={(e) => set({ text: e.target.value })}
        aria-label="Find in the changes"
      />
      {(isFiltered(f) || c.types.length > 0) && (
        <button
          type="button"
          className="btn small ghost"
          onClick={() => {
            c.setFilter(NO_FILTER);
            if (c.types.length) c.setTypes([]);
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
