/**
 * Facets: counts for each value of type, status, environment, owner and
 * criticality; click to filter. Each shows its top values, and where there
 * are more, "All N values…" opens every value, searchable (FacetValuesDialog).
 */
import { useState } from 'react';
import type { CiFilters, FilterField } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { facetValueLabel } from './facet-label.js';
import { ErrorBox, Skeleton, TypeDot, useAsync } from '../ui/common.js';
import { formatCount } from '../../../shared/format.js';
import { FacetValuesDialog } from './FacetValuesDialog.js';

/** Values shown in each facet; the rest are in its full list. */
const TOP = 12;

const LABEL: Record<FilterField, string> = {
  type: 'Type',
  status: 'Status',
  environment: 'Environment',
  owner: 'Owner',
  criticality: 'Criticality',
};

export function Facets({
  query,
  filters,
  onToggle,
  version,
  ready = true,
}: {
  query: string;
  filters: CiFilters;
  onToggle: (field: FilterField, value: string) => void;
  version: number;
  /** False until the table has its first rows: on a big CMDB the table matters first, and counting every facet takes a while. */
  ready?: boolean;
}) {
  const [state, reload] = useAsync(
    () => (ready ? cmdb.facets({ query: query || undefined, filters, limit: TOP }) : new Promise<never>(() => {})),
    [query, JSON.stringify(filters), version, ready],
  );
  const [open, setOpen] = useState<FilterField | null>(null);
  if (state.status === 'error') return <ErrorBox error={state.error} title="Facets could not be counted" onRetry={reload} />;
  if (!state.data) return <Skeleton rows={14} label="Counting facets" />;
  return (
    <div className="facets" aria-busy={state.status === 'loading'}>
      {state.data.facets.map((f) => {
        const chosen = filters[f.field] ?? [];
        // A chosen value stays visible even when the other filters leave it with no CIs, or it is not among the top ones.
        const values = [...f.values, ...f.chosen];
        if (values.length === 0) return null;
        return (
          <section className="facet" key={f.field} aria-label={`Filter by ${LABEL[f.field]}`}>
            <h3>{LABEL[f.field]}</h3>
            <ul>
              {values.map((v) => {
                const value = v.value ?? '';
                const on = chosen.includes(value);
                const label = facetValueLabel(f.field, v.value);
                return (
                  <li key={value}>
                    <button
                      type="button"
                      aria-pressed={on}
                      aria-label={`${LABEL[f.field]}: ${label} (${v.count})`}
                      data-facet={`${f.field}:${value}`}
                      onClick={() => onToggle(f.field, value)}
                    >
                      <span className="check" aria-hidden="true">
                        {on ? '✓' : ''}
                      </span>
                      {f.field === 'type' && v.value && <TypeDot type={v.value} />}
                      <span className="label">{label}</span>
                      <span className="count">{formatCount(v.count)}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            {f.total > f.values.length && (
              <button type="button" className="facet-more" onClick={() => setOpen(f.field)} aria-haspopup="dialog">
                All {formatCount(f.total)} values…
              </button>
            )}
          </section>
        );
      })}
      {open && (
        <FacetValuesDialog
          field={open}
          label={LABEL[open]}
          query={query}
          filters={filters}
          onToggle={onToggle}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
