/**
 * Facets: counts for each value of type, status, environment, owner and
 * criticality; click to filter. Each shows its top values, and where there
 * are more, "All N values…" opens every value, searchable (FacetValuesDialog).
 */
import { useState } from 'react';
import type { CiFilters, FilterField } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ErrorBox, formatCount, Skeleton, TypeDot, useAsync } from '../ui/common.js';
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
  // How many values the facets cut at TOP have in all, and the counts of chosen values beyond the top ones
  // (chosen from a full list): the engine keeps every count, so each is a lookup.
  const cut = state.data?.facets.filter((f) => f.values.length >= TOP) ?? [];
  const [beyond] = useAsync(async () => {
    const ask = { query: query || undefined, filters };
    const totals: Partial<Record<FilterField, number>> = {};
    const counts = new Map<string, number>();
    await Promise.all(
      cut.map(async (f) => {
        totals[f.field] = (await cmdb.facetValues({ ...ask, field: f.field, limit: 1 })).total;
        for (const c of filters[f.field] ?? []) {
          if (c === '' || f.values.some((v) => v.value === c)) continue;
          const found = (await cmdb.facetValues({ ...ask, field: f.field, contains: c, limit: 1000 })).values.find((v) => v.value === c);
          counts.set(`${f.field}:${c}`, found?.count ?? 0);
        }
      }),
    );
    return { totals, counts };
  }, [state.data]);
  const totals = beyond.data?.totals;
  const [open, setOpen] = useState<FilterField | null>(null);
  if (state.status === 'error') return <ErrorBox error={state.error} title="Facets could not be counted" onRetry={reload} />;
  if (!state.data) return <Skeleton rows={14} label="Counting facets" />;
  return (
    <div className="facets" aria-busy={state.status === 'loading'}>
      {state.data.facets.map((f) => {
        const chosen = filters[f.field] ?? [];
        const values = [...f.values];
        // A chosen value stays visible even when the other filters leave it with no CIs, or it is not among the top ones.
        for (const c of chosen)
          if (!values.some((v) => (v.value ?? '') === c))
            values.push({ value: c === '' ? null : c, count: beyond.data?.counts.get(`${f.field}:${c}`) ?? 0 });
        if (values.length === 0) return null;
        return (
          <section className="facet" key={f.field} aria-label={`Filter by ${LABEL[f.field]}`}>
            <h3>{LABEL[f.field]}</h3>
            <ul>
              {values.map((v) => {
                const value = v.value ?? '';
                const on = chosen.includes(value);
                const label = v.value === null ? '(none)' : f.field === 'type' ? ciTypeLabel(v.value) : v.value;
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
            {(totals?.[f.field] ?? 0) > f.values.length && (
              <button type="button" className="facet-more" onClick={() => setOpen(f.field)} aria-haspopup="dialog">
                All {formatCount(totals![f.field]!)} values…
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
