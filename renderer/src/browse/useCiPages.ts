/**
 * The CI table's data: `listCis` pages fetched by offset as they come into
 * view, never all at once, forgotten when the question changes and refreshed
 * in place after an edit.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Ci, CiFilters } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import type { Sort } from './CiTable.js';

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
  const pages = useRef(new Map<number, Ci[]>());
  const inflight = useRef(new Set<number>());
  const gen = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [estimate, setEstimate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [, setTick] = useState(0);
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

  const rowAt = (i: number): Ci | undefined => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];

  return { params, total, estimate, error, fetchPage, rowAt };
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
