/**
 * The CI table: virtualised rows, fetched from `listCis` one page at a time
 * by offset as they scroll into view, never all at once. Sort by any column.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Ci, CiFilters } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { tone } from '../typeStyle.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ErrorBox, formatCount, formatTime, formatTotal, TypeDot } from '../ui/common.js';

export type SortField = 'name' | 'key' | 'type' | 'status' | 'environment' | 'owner' | 'criticality' | 'updatedAt';
export type Sort = { field: SortField; order: 'asc' | 'desc' } | null;

const PAGE = 100;
const ROW = 30;

const COLUMNS: Array<{ field: SortField; label: string }> = [
  { field: 'name', label: 'Name' },
  { field: 'type', label: 'Type' },
  { field: 'status', label: 'Status' },
  { field: 'environment', label: 'Env' },
  { field: 'criticality', label: 'Criticality' },
  { field: 'owner', label: 'Owner' },
  { field: 'updatedAt', label: 'Updated' },
];

interface Props {
  query: string;
  filters: CiFilters;
  sort: Sort;
  onSort: (s: Sort) => void;
  selected: string | null;
  onSelect: (key: string) => void;
  version: number;
  /** The total, and whether it is a capped figure (a search past 10,000 matches: show it with a "+"). */
  onTotal?: (n: number | null, estimate: boolean) => void;
}

export function CiTable({ query, filters, sort, onSort, selected, onSelect, version, onTotal }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, Ci[]>());
  const inflight = useRef(new Set<number>());
  const gen = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [estimate, setEstimate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [, setTick] = useState(0);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const params = useMemo(() => JSON.stringify({ query, filters, sort }), [query, filters, sort]);

  const fetchPage = (page: number) => {
    if (pages.current.has(page) || inflight.current.has(page)) return;
    const g = gen.current;
    inflight.current.add(page);
    cmdb
      .listCis({
        query: query || undefined,
        filters,
        sort: sort?.field,
        order: sort?.order,
        offset: page * PAGE,
        limit: PAGE,
      })
      .then(
        (r) => {
          if (g !== gen.current) return;
          inflight.current.delete(page);
          pages.current.set(page, r.items);
          setTotal(r.total);
          setEstimate(r.totalIsEstimate === true);
          setError(null);
          setTick((t) => t + 1);
        },
        (err: unknown) => {
          if (g !== gen.current) return;
          inflight.current.delete(page);
          setError(err);
        },
      );
  };

  // New question (or an edit elsewhere): forget every page and start again at the top.
  useEffect(() => {
    gen.current++;
    pages.current = new Map();
    inflight.current = new Set();
    setError(null);
    setTotal(null);
    setEstimate(false);
    setActiveIndex(null);
    scroller.current?.scrollTo({ top: 0 });
    fetchPage(0);
  }, [params]);

  // After an edit, keep the scroll position but refresh the pages on screen.
  const firstVersion = useRef(version);
  useEffect(() => {
    if (version === firstVersion.current) return;
    const keep = [...pages.current.keys()];
    gen.current++;
    pages.current = new Map();
    inflight.current = new Set();
    for (const p of keep.length ? keep : [0]) fetchPage(p);
  }, [version]);

  useEffect(() => onTotal?.(total, estimate), [total, estimate, onTotal]);

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Fetch the pages in view once scrolling settles for a moment (a fling across 900,000 rows fetches only where it stops).
  useEffect(() => {
    if (total === null) return;
    const t = setTimeout(() => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) fetchPage(p);
    }, 40);
    return () => clearTimeout(t);
  }, [first, last, total, params]);

  const rowAt = (i: number): Ci | undefined => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];

  const move = (delta: number) => {
    if (!total) return;
    const cur = activeIndex ?? -1;
    const next = Math.max(0, Math.min(total - 1, cur + delta));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const ci = rowAt(next);
    if (ci) onSelect(ci.key);
  };

  return (
    <div className="table">
      <div className="trow thead" role="row">
        {COLUMNS.map((c) => {
          const active = sort?.field === c.field;
          return (
            <div key={c.field} role="columnheader" aria-sort={active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button
                type="button"
                aria-label={`Sort by ${c.label}${active ? (sort!.order === 'asc' ? ', now ascending' : ', now descending') : ''}`}
                onClick={() =>
                  onSort(active ? (sort!.order === 'asc' ? { field: c.field, order: 'desc' } : null) : { field: c.field, order: 'asc' })
                }
              >
                {c.label}
                <span aria-hidden="true" style={{ opacity: active ? 1 : 0.25 }}>
                  {active && sort!.order === 'desc' ? '↓' : '↑'}
                </span>
              </button>
            </div>
          );
        })}
      </div>
      {error != null && (
        <ErrorBox error={error} title="The CI list could not be loaded" onRetry={() => fetchPage(Math.floor(first / PAGE))} />
      )}
      <div
        ref={scroller}
        className="tbody"
        role="grid"
        aria-label="Configuration items"
        aria-rowcount={total ?? undefined}
        tabIndex={0}
        data-testid="ci-table"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            move(1);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            move(-1);
          } else if (e.key === 'PageDown') {
            e.preventDefault();
            move(20);
          } else if (e.key === 'PageUp') {
            e.preventDefault();
            move(-20);
          } else if (e.key === 'Enter' && activeIndex !== null) {
            const ci = rowAt(activeIndex);
            if (ci) onSelect(ci.key);
          }
        }}
      >
        {total === null && !error && (
          <div aria-label="Loading CIs" role="status">
            {Array.from({ length: 14 }, (_, i) => (
              <div className="trow" key={i} style={{ position: 'static' }}>
                <span className="skel" style={{ width: `${50 + ((i * 29) % 45)}%` }} />
                <span className="skel" style={{ width: '60%' }} />
                <span className="skel" style={{ width: '70%' }} />
                <span className="skel" style={{ width: '50%' }} />
                <span className="skel" style={{ width: '60%' }} />
                <span className="skel" style={{ width: '70%' }} />
                <span className="skel" style={{ width: '80%' }} />
              </div>
            ))}
          </div>
        )}
        {total === 0 && (
          <div className="empty">
            <div className="inner">
              <div className="icon" aria-hidden="true">
                ⌕
              </div>
              <h3>No CIs match</h3>
              <p>
                {query || Object.values(filters).some((v) => v && v.length)
                  ? 'Clear the search or some filters to see more.'
                  : 'This CMDB is empty: import a CSV inventory or create a CI.'}
              </p>
            </div>
          </div>
        )}
        {total !== null && total > 0 && (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const ci = rowAt(v.index);
              return (
                <div
                  key={v.index}
                  className="trow"
                  role="row"
                  aria-rowindex={v.index + 1}
                  aria-selected={ci ? ci.key === selected : false}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                  onClick={() => {
                    setActiveIndex(v.index);
                    if (ci) onSelect(ci.key);
                  }}
                >
                  {ci ? (
                    <>
                      <div className="name-cell" role="gridcell">
                        <TypeDot type={ci.type} />
                        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{ci.name}</span>
                        <span className="k mono">{ci.key}</span>
                      </div>
                      <div role="gridcell">{ciTypeLabel(ci.type)}</div>
                      <div role="gridcell">
                        {ci.status ? <span className={`pill ${tone(ci.status)}`}>{ci.status}</span> : <span className="muted">—</span>}
                      </div>
                      <div role="gridcell">{ci.environment ?? <span className="muted">—</span>}</div>
                      <div role="gridcell">
                        {ci.criticality ? (
                          <span className={`pill ${tone(ci.criticality)}`}>{ci.criticality}</span>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </div>
                      <div role="gridcell">{ci.owner ?? <span className="muted">—</span>}</div>
                      <div role="gridcell" className="muted" title={ci.updatedAt}>
                        {formatTime(ci.updatedAt).split(',')[0]}
                      </div>
                    </>
                  ) : (
                    <>
                      <span className="skel" style={{ width: '60%' }} />
                      <span className="skel" style={{ width: '50%' }} />
                      <span className="skel" style={{ width: '50%' }} />
                      <span className="skel" style={{ width: '40%' }} />
                      <span className="skel" style={{ width: '40%' }} />
                      <span className="skel" style={{ width: '60%' }} />
                      <span className="skel" style={{ width: '70%' }} />
                    </>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <div className="tfoot" aria-live="polite">
        {total === null ? 'Counting…' : `${formatTotal(total, estimate)} CI${total === 1 && !estimate ? '' : 's'}`}
        {total !== null && total > 0 && (
          <span>
            rows {formatCount(first + 1)}–{formatCount(Math.min(last + 1, total))}
          </span>
        )}
        <span className="spacer" />
        <span>
          <span className="kbd">↑</span> <span className="kbd">↓</span> move · <span className="kbd">/</span> search
        </span>
      </div>
    </div>
  );
}
