/**
 * The CI table: virtualised rows, fetched from `listCis` one page at a time
 * by offset as they scroll into view, never all at once (useCiPages). Sort by
 * any column; move with the keyboard (useRowCursor).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type RefObject, useEffect, useRef } from 'react';
import type { CiFilters } from '../../../shared/domain.js';
import { ErrorBox } from '../ui/common.js';
import { CiCells, CiTableFoot, CiTableHead, LoadingRows, NoCis, PendingCells } from './CiTableParts.js';
import { PAGE, useCiPages, useFetchInView } from './useCiPages.js';
import { usePlaceOpened } from './usePlaceOpened.js';
import { useRowCursor } from './useRowCursor.js';

export type SortField = 'name' | 'key' | 'type' | 'status' | 'environment' | 'owner' | 'criticality' | 'updatedAt';
export type Sort = { field: SortField; order: 'asc' | 'desc' } | null;

const ROW = 30;

interface Props {
  query: string;
  filters: CiFilters;
  sort: Sort;
  onSort: (s: Sort) => void;
  selected: string | null;
  /** Counts the CIs opened from elsewhere: each brings its row into view, the same CI again too. */
  opened?: number;
  onSelect: (key: string) => void;
  /** Closes the open CI's detail (Escape on the table); undefined when none is open. */
  onClose?: (() => void) | undefined;
  /** The grid, for focus from outside: the skip link, and back from the closed detail. */
  gridRef?: RefObject<HTMLDivElement | null>;
  version: number;
  /** The total, and whether it is a capped figure (a search past 10,000 matches: show it with a "+"). */
  onTotal?: (n: number | null, estimate: boolean) => void;
}

/** The Browse screen's table of CIs. */
export function CiTable({ query, filters, sort, onSort, selected, opened = 0, onSelect, onClose, gridRef, version, onTotal }: Props) {
  const own = useRef<HTMLDivElement>(null);
  const scroller = gridRef ?? own;
  const data = useCiPages({ query, filters, sort, version, onTotal });
  const { total, error, rowAt } = data;

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useFetchInView(data, first, last);

  const cursor = useRowCursor({
    total,
    rowAt,
    scrollToIndex: (i) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    onSelect,
    onEscape: onClose,
  });
  const cursorDrawn = cursor.activeIndex !== null && items.some((v) => v.index === cursor.activeIndex);
  // A new question starts the table again at the top, with no cursor row.
  useEffect(() => {
    cursor.setActiveIndex(null);
    scroller.current?.scrollTo({ top: 0 });
  }, [data.params]);
  usePlaceOpened({
    selected,
    opened,
    total,
    params: data.params,
    question: { query, filters, sort },
    keyAt: (i) => rowAt(i)?.key,
    loadedIndexOf: data.loadedIndexOf,
    cursorIndex: cursor.activeIndex,
    setCursor: cursor.setActiveIndex,
    scroller,
    rowHeight: ROW,
    scrollToCentre: (i) => virtualizer.scrollToIndex(i, { align: 'center' }),
  });

  return (
    <div className="table">
      <CiTableHead sort={sort} onSort={onSort} />
      {error != null && (
        <ErrorBox error={error} title="The CI list could not be loaded" onRetry={() => data.fetchPage(Math.floor(first / PAGE))} />
      )}
      <div
        ref={scroller}
        className="tbody"
        role="grid"
        aria-label="Configuration items"
        aria-rowcount={total ?? undefined}
        aria-activedescendant={cursorDrawn ? `ci-row-${cursor.activeIndex}` : undefined}
        tabIndex={0}
        data-testid="ci-table"
        onKeyDown={cursor.onKeyDown}
      >
        {total === null && !error && <LoadingRows />}
        {total === 0 && <NoCis narrowed={!!query || Object.values(filters).some((v) => v && v.length)} />}
        {total !== null && total > 0 && (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const ci = rowAt(v.index);
              return (
                <div
                  key={v.index}
                  id={`ci-row-${v.index}`}
                  className={v.index === cursor.activeIndex ? 'trow cursor' : 'trow'}
                  role="row"
                  aria-rowindex={v.index + 1}
                  aria-selected={ci ? ci.key === selected : false}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                  onClick={() => {
                    cursor.setActiveIndex(v.index);
                    if (ci) onSelect(ci.key);
                  }}
                >
                  {ci ? <CiCells ci={ci} /> : <PendingCells />}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <CiTableFoot total={total} estimate={data.estimate} first={first} last={last} />
    </div>
  );
}
