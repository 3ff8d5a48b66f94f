/** Browse: facets on the left, the virtualised CI table in the middle, the selected CI's detail on the right. */
import { useCallback, useRef, useState } from 'react';
import type { CiFilters, FilterField, Stats } from '../../../shared/domain.js';
import { EmptyState } from '../ui/common.js';
import { formatCount, formatTotal } from '../../../shared/format.js';
import { facetValueLabel } from './facet-label.js';
import { useEscapeFromPage } from '../ui/escape.js';
import { useKeptState } from '../ui/keptState.js';
import { CiDetailPanel } from './CiDetail.js';
import { CiForm } from './CiForm.js';
import { CiTable, type Sort } from './CiTable.js';
import { Facets } from './Facets.js';

interface Props {
  /** Undefined while the CMDB's statistics are still being counted (seconds at a million CIs): the table does not wait for them. */
  stats: Stats | undefined;
  query: string;
  selected: string | null;
  /** Counts the CIs opened from the search box: the same one opened again is brought into view again. */
  opened: number;
  version: number;
  onChanged: () => void;
  onSelect: (key: string | null) => void;
  onClearQuery: () => void;
  onGraph: (key: string) => void;
}

export function Browse({ stats, query, selected, opened, version, onChanged, onSelect, onClearQuery, onGraph }: Props) {
  // Kept for the tab: a trip to Impact or the Graph and back finds the table as it was left.
  const [filters, setFilters] = useKeptState<CiFilters>('browse.filters', {});
  const [sort, setSort] = useKeptState<Sort>('browse.sort', null);
  const [creating, setCreating] = useState(false);
  const grid = useRef<HTMLDivElement>(null);
  // Focus back on the table, at the closed CI's row (the cursor), rather than lost with the panel.
  const closeDetail = () => {
    onSelect(null);
    grid.current?.focus();
  };
  // Escape closes the detail from the table and from the detail (their own keys), and with the focus nowhere: a CI
  // opened from the search box, or from another screen, closes as one clicked in the table does.
  useEscapeFromPage(selected ? closeDetail : undefined);
  const [total, setTotal] = useState<number | null>(null);
  const [totalIsEstimate, setTotalIsEstimate] = useState(false);
  const onTotal = useCallback((n: number | null, estimate: boolean) => {
    setTotal(n);
    setTotalIsEstimate(estimate);
  }, []);

  const toggle = (field: FilterField, value: string) =>
    setFilters((f) => {
      const cur = f[field] ?? [];
      const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
      const out = { ...f, [field]: next };
      if (next.length === 0) delete out[field];
      return out;
    });
  const active = Object.entries(filters).flatMap(([field, values]) => (values ?? []).map((v) => [field as FilterField, v] as const));

  return (
    <div className={`browse${selected ? '' : ' no-detail'}`}>
      {/* The facets hold some fifty buttons before the table: the first Tab offers a way past them. */}
      <button type="button" className="skip-link" onClick={() => grid.current?.focus()}>
        Skip to the CI list
      </button>
      <aside className="pane" aria-label="Filters">
        <div className="pane-head">
          <h2>Filters</h2>
          <span className="spacer" />
          {active.length > 0 && (
            <button type="button" className="btn ghost small" onClick={() => setFilters({})} aria-label="Clear all filters">
              Clear
            </button>
          )}
        </div>
        <div className="pane-body">
          <Facets query={query} filters={filters} onToggle={toggle} version={version} ready={total !== null} />
        </div>
      </aside>
      <section className="pane" aria-label="CI list">
        <div className="pane-head list-head">
          <h2>Configuration items</h2>
          <span className="muted" data-testid="table-total">
            {total === null ? '' : `${formatTotal(total, totalIsEstimate)}${stats ? ` of ${formatCount(stats.cis)}` : ''}`}
          </span>
          {query && (
            <span className="chip">
              “{query}”
              <button type="button" aria-label="Clear search" onClick={onClearQuery}>
                ×
              </button>
            </span>
          )}
          {active.map(([f, v]) => (
            <span className="chip" key={`${f}:${v}`}>
              {f}: {facetValueLabel(f, v)}
              <button type="button" aria-label={`Remove filter ${f} ${facetValueLabel(f, v)}`} onClick={() => toggle(f, v)}>
                ×
              </button>
            </span>
          ))}
          <span className="spacer" />
          <button type="button" className="btn primary" onClick={() => setCreating(true)} aria-label="New CI">
            + New CI
          </button>
        </div>
        {stats?.cis === 0 ? (
          <EmptyState
            icon="⇪"
            title="This CMDB has no CIs yet"
            action={
              <button type="button" className="btn primary" onClick={() => setCreating(true)}>
                Create the first CI
              </button>
            }
          >
            Import a CSV inventory from the Import tab (or <code>cmdb import</code>), or create a CI by hand.
          </EmptyState>
        ) : (
          <CiTable
            query={query}
            filters={filters}
            sort={sort}
            onSort={setSort}
            selected={selected}
            opened={opened}
            onSelect={onSelect}
            onClose={selected ? closeDetail : undefined}
            gridRef={grid}
            version={version}
            onTotal={onTotal}
          />
        )}
      </section>
      {selected && (
        <CiDetailPanel
          key={selected}
          ciKey={selected}
          version={version}
          onChanged={onChanged}
          onOpen={(k) => onSelect(k)}
          onClose={closeDetail}
          onGraph={onGraph}
        />
      )}
      <CiForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(ci) => {
          setCreating(false);
          onChanged();
          onSelect(ci.key);
        }}
      />
    </div>
  );
}
