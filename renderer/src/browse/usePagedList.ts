/**
 * A long list read one page at a time by offset (the CI table, a hub's
 * relationships, a CI's history, a facet's values): pages are fetched as they come into view
 * or are asked for, never all at once, and forgotten when the question
 * (`params`) changes. The first page can be handed in ready (from getCi), so
 * opening a panel costs no second request.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

/** Items per request. */
export const LIST_PAGE = 100;

export interface Page<T> {
  items: T[];
  total: number;
  /** The total is a capped figure (a search past its count limit): shown with a "+". */
  totalIsEstimate?: boolean;
}

export interface PagedList<T> {
  /** Null until the first page arrives. */
  total: number | null;
  /** Whether `total` is a capped figure. */
  estimate: boolean;
  error: unknown;
  /** The item at an index, once its page has arrived. */
  itemAt: (i: number) => T | undefined;
  /** How many items from the start have arrived without a gap. */
  loaded: number;
  /** The index of the first item that has arrived and matches (-1: none of those here), wherever its page is. */
  findIndex: (match: (item: T) => boolean) => number;
  /** Fetches the pages that hold items first..last (those not already here or on their way). */
  fetchRange: (first: number, last: number) => void;
  /** After an edit elsewhere: fetches again the pages already here, keeping the place in the list. */
  refresh: () => void;
}

export function usePagedList<T>(
  fetch: (offset: number, limit: number) => Promise<Page<T>>,
  params: unknown,
  first?: Page<T>,
  pageSize = LIST_PAGE,
): PagedList<T> {
  const key = useMemo(() => JSON.stringify(params), [params]);
  const pages = useRef(new Map<number, T[]>());
  const inflight = useRef(new Set<number>());
  const gen = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [estimate, setEstimate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [, setTick] = useState(0);

  const fetchPage = (page: number) => {
    if (pages.current.has(page) || inflight.current.has(page)) return;
    const g = gen.current;
    inflight.current.add(page);
    fetch(page * pageSize, pageSize).then(
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

  // A new question: forget every page; start from the one handed in, or fetch the first.
  useEffect(() => {
    gen.current++;
    pages.current = new Map();
    inflight.current = new Set();
    setError(null);
    setEstimate(false);
    if (first) {
      // Whole pages of it (all of it when it is the whole list); the rest of a cut page is fetched when needed.
      const n = first.items.length >= first.total ? first.total : Math.floor(first.items.length / pageSize) * pageSize;
      for (let o = 0; o < n; o += pageSize) pages.current.set(o / pageSize, first.items.slice(o, Math.min(n, o + pageSize)));
      setTotal(first.total);
      setTick((t) => t + 1);
      if (n === 0 && first.total > 0) fetchPage(0);
    } else {
      setTotal(null);
      fetchPage(0);
    }
  }, [key, first]);

  let loaded = 0;
  for (let p = 0; ; p++) {
    const items = pages.current.get(p);
    if (!items) break;
    loaded += items.length;
    if (items.length < pageSize) break;
  }

  return {
    total,
    estimate,
    error,
    loaded,
    itemAt: (i) => pages.current.get(Math.floor(i / pageSize))?.[i % pageSize],
    findIndex: (match) => {
      let found = -1;
      for (const [p, items] of pages.current) {
        const i = items.findIndex(match);
        if (i >= 0 && (found < 0 || p * pageSize + i < found)) found = p * pageSize + i;
      }
      return found;
    },
    fetchRange: (a, b) => {
      for (let p = Math.floor(a / pageSize); p <= Math.floor(b / pageSize); p++) fetchPage(p);
    },
    refresh: () => {
      const keep = [...pages.current.keys()];
      gen.current++;
      pages.current = new Map();
      inflight.current = new Set();
      for (const p of keep.length ? keep : [0]) fetchPage(p);
    },
  };
}
