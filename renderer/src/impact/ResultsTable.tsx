/** The impacted CIs: sortable, filterable (state, type, criticality, text), virtualised so thousands of rows scroll smoothly. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { HealthRuleId, ImpactHealth } from '../../../shared/health.js';
import type { ImpactCi, ImpactDirection } from '../../../shared/impact.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { stateText } from '../../../shared/explain.js';
import { TypeDot } from '../ui/common.js';
import { HealthBadge } from './HealthPanel.js';
import { criticalityOptions, filterAndSort, listFootText, stateOf, type ImpactStateView, type SortKey, type TableFilter } from './model.js';

const ROW = 30;

const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'state', label: 'State' },
  { key: 'name', label: 'CI' },
  { key: 'type', label: 'Type' },
  { key: 'criticality', label: 'Criticality' },
  { key: 'owner', label: 'Owner' },
  { key: 'depth', label: 'Hops' },
];

/** An impacted CI's state in words (shared/explain.ts stateText): upstream, what the dependency is to the CI asked about. */
export function StatePill({ state, direction }: { state: ImpactStateView; direction: ImpactDirection }) {
  const words = stateText(state === 'changed' ? 'down' : state, state === 'changed', direction);
  return <span className={`impact-state ${state}`}>{words}</span>;
}

/** One impacted CI's row, placed at `top` in the virtualised list. */
function ResultRow({
  r,
  top,
  direction,
  selected,
  onSelect,
  rules,
}: {
  r: ImpactCi;
  top: number;
  direction: ImpactDirection;
  selected: boolean;
  onSelect: (key: string) => void;
  rules: readonly HealthRuleId[] | undefined;
}) {
  return (
    <div
      role="row"
      className="irow"
      aria-selected={selected}
      data-key={r.key}
      style={{ transform: `translateY(${top}px)`, height: ROW }}
      onClick={() => onSelect(r.key)}
    >
      <span>
        <StatePill state={stateOf(r)} direction={direction} />
      </span>
      <span className="name-cell" title={`${isolated(r.name)} (${isolated(r.key)})`}>
        <TypeDot type={r.type} />
        <span className="nm">{r.name}</span>
        <span className="k mono">{r.key}</span>
        <HealthBadge rules={rules} />
      </span>
      <span>{ciTypeLabel(r.type)}</span>
      <span>{r.criticality ?? '—'}</span>
      <span>{r.owner ?? '—'}</span>
      <span className="num">{r.depth}</span>
    </div>
  );
}

export function ResultsTable({
  rows,
  direction,
  total,
  depthLimit,
  truncated,
  selected,
  onSelect,
  health,
}: {
  rows: ImpactCi[];
  direction: ImpactDirection;
  /** Data-quality rules per CI key (the answer's `health.byKey`); a badge marks the CIs that have any. */
  health: ImpactHealth['byKey'] | undefined;
  /** Impacted CIs counted by the engine: more than `rows` when the list was cut. */
  total: number;
  /** The answer's depth limit: the rows are the CIs within it, `total` those at any depth. */
  depthLimit: number | null;
  /** Whether more CIs (within the depth limit, if any) were found than `rows` holds. */
  truncated: boolean;
  selected: string | null;
  onSelect: (key: string) => void;
}) {
  const [filter, setFilter] = useState<TableFilter>({ state: '', type: '', criticality: '', text: '' });
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const shown = useMemo(() => filterAndSort(rows, filter, sort?.key ?? null, sort?.desc ?? false), [rows, filter, sort]);
  const types = useMemo(() => [...new Set(rows.map((r) => r.type))].sort(), [rows]);
  const crits = useMemo(() => criticalityOptions(rows), [rows]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });

  // A CI selected on the graph scrolls into view here.
  useEffect(() => {
    if (!selected) return;
    const i = shown.findIndex((r) => r.key === selected);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [selected]);

  const set = (patch: Partial<TableFilter>) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <div className={`impact-table ${direction}`} aria-label="Impacted CIs">
      <div className="impact-filters" role="group" aria-label="Filter impacted CIs">
        <input
          className="input"
          placeholder="Name, key or owner"
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
          aria-label="Filter text"
        />
        <select
          className="input"
          value={filter.state}
          onChange={(e) => set({ state: e.target.value as TableFilter['state'] })}
          aria-label="State"
        >
          <option value="">Any state</option>
          {direction === 'downstream' && <option value="changed">Changed</option>}
          <option value="down">{direction === 'downstream' ? 'Down' : 'Single point of failure'}</option>
          <option value="degraded">{direction === 'downstream' ? 'Degraded' : 'Dependency'}</option>
        </select>
        <select className="input" value={filter.type} onChange={(e) => set({ type: e.target.value })} aria-label="Type">
          <option value="">Any type</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {ciTypeLabel(t)}
            </option>
          ))}
        </select>
        <select
          className="input"
          value={filter.criticality}
          onChange={(e) => set({ criticality: e.target.value })}
          aria-label="Criticality"
        >
          <option value="">Any criticality</option>
          {crits.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="irow ihead" role="row">
        {COLUMNS.map((c) => (
          <span key={c.key} role="columnheader" aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
            <button
              type="button"
              onClick={() =>
                setSort((s) => (s?.key === c.key ? (s.desc ? null : { key: c.key, desc: true }) : { key: c.key, desc: false }))
              }
            >
              {c.label}
              {sort?.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
            </button>
          </span>
        ))}
      </div>
      <div
        className="ibody"
        ref={scroller}
        role="rowgroup"
        data-testid="impact-rows"
        tabIndex={0}
        aria-label="Impacted CIs (arrow keys move the selection)"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const i = shown.findIndex((r) => r.key === selected);
          const next = shown[Math.max(0, Math.min(shown.length - 1, i < 0 ? 0 : i + (e.key === 'ArrowDown' ? 1 : -1)))];
          if (next) onSelect(next.key);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = shown[v.index]!;
            return (
              <ResultRow
                key={r.key}
                r={r}
                top={v.start}
                direction={direction}
                selected={r.key === selected}
                onSelect={onSelect}
                rules={health?.[r.key]}
              />
            );
          })}
        </div>
      </div>
      <div className="tfoot muted" aria-live="polite">
        {listFootText({ shown: shown.length, rows: rows.length, total, depthLimit, truncated })}
      </div>
    </div>
  );
}
