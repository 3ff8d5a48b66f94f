/**
 * The CI table's data: `listCis` pages through the one paged-list hook
 * (usePagedList), fetched as they come into view once scrolling settles,
 * forgotten when the question changes and refreshed in place after an edit.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { Ci, CiFilters } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import type { Sort } from './CiTable.js';
import { usePagedList } from './usePagedList.js';

/** Rows per `listCis` page. */
export const PAGE = 100;

/** What the table asks for. */
interface CiQuery {
  query: string;
  filters: CiFilters;
  sort: Sort;
  /** Bumped after an edit elsewhere: the pages on screen are fetched again. */
  version: number;
  /** The total, and whether it is a capped figure (a search past 10,000 matches: show it with a "+"). */
  onTotal?: (n: number | null, estimate: boolean) => void;
}

/** The pages of CIs for the table, with the total and the last error. `params` changes with each new question. */
export function useCiPages({ query, filters, sort, version, onTotal }: CiQuery) {
  const question = useMemo(() => ({ query, filters, sort }), [query, filters, sort]);
  const params = useMemo(() => JSON.stringify(question), [question]);
  const list = usePagedList<Ci>(
    (offset, limit) => cmdb.listCis({ query: query || undefined, filters, sort: sort?.field, order: sort?.order, offset, limit }),
    question,
    undefined,
    PAGE,
  );

  // After an edit, keep the scroll position but refresh the pages on screen.
  const firstVersion = useRef(version);
  useEffect(() => {
    if (version !== firstVersion.current) list.refresh();
  }, [version]);

  useEffect(() => onTotal?.(list.total, list.estimate), [list.total, list.estimate, onTotal]);

  const fetchPage = (page: number) => list.fetchRange(page * PAGE, page * PAGE);
  /** The row of the CI `key` among the pages that have arrived (-1: not among them, or not in this question's answer). */
  const loadedIndexOf = (key: string) => list.findIndex((ci) => ci.key === key);
  return { params, total: list.total, estimate: list.estimate, error: list.error, fetchPage, rowAt: list.itemAt, loadedIndexOf };
}

/** Fetches the pages in view once scrolling settles for a moment (a fling across 900,000 rows fetches only where it stops). */
export function useFetchInView(
  { total, params, fetchPage }: Pick<ReturnType<typeof useCiPages>, 'total' | 'params' | 'fetchPage'>,
  first: number,
  last: number,
): void {
  useEffect(() => {
    if (total === null) return;
    const t = setTimeout(() => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) fetchPage(p);
    }, 40);
    return () => clearTimeout(t);
  }, [first, last, total, params]);
}
