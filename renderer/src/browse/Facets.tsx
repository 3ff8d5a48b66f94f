/** Facets: counts for each value of type, status, environment, owner and criticality; click to filter. */
import type { CiFilters, FilterField } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ErrorBox, formatCount, Skeleton, TypeDot, useAsync } from '../ui/common.js';

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
    () => (ready ? cmdb.facets({ query: query || undefined, filters, limit: 12 }) : new Promise<never>(() => {})),
    [query, JSON.stringify(filters), version, ready],
  );
  if (state.status === 'error') return <ErrorBox error={state.error} title="Facets could not be counted" onRetry={reload} />;
  if (!state.data) return <Skeleton rows={14} label="Counting facets" />;
  return (
    <div className="facets" aria-busy={state.status === 'loading'}>
      {state.data.facets.map((f) => {
        const chosen = filters[f.field] ?? [];
        const values = [...f.values];
        // A chosen value stays visible even when the other filters leave it with no CIs.
        for (const c of chosen) if (!values.some((v) => (v.value ?? '') === c)) values.push({ value: c === '' ? null : c, count: 0 });
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
          </section>
        );
      })}
    </div>
  );
}
