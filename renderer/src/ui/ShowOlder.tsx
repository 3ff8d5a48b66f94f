/**
 * "Show 20 older" under a list of the newest (the import log, Health's recent merges): an undo refused names an
 * import or merge to undo first, which may be older than the rows shown. Each press reads the next page only;
 * the rows shown are read again, from the newest, when the data changes.
 */
import { useRef, useState } from 'react';
import { type AsyncState, useAsync } from './common.js';

/** Rows a list shows at first, and how many more each press shows. */
export const OLDER_STEP = 20;
/** The most rows one request asks for (the API's limit). */
export const PAGE_MAX = 1000;

/** One request's rows, newest first, and how many there are in all where the API says. */
export interface Page<T> {
  items: T[];
  total?: number;
}

/** A list of the newest rows, with older pages added on demand. */
export interface NewestRows<T> {
  rows: AsyncState<Page<T> & { full: boolean }>;
  reload: () => void;
  /** Whether older rows may exist: fewer than the total, or a page as long as asked for. */
  mayHaveMore: boolean;
  /** Adds the next OLDER_STEP older rows. */
  more: () => void;
}

const sameDeps = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((d, i) => Object.is(d, b[i]));

/**
 * The newest OLDER_STEP rows that `page(limit, offset)` reads, and `more` for older ones: a press reads only the
 * rows after those held; a change of `deps` (the data changed) reads the rows shown again from the newest, as
 * many as were shown, PAGE_MAX a request.
 */
export function useNewestRows<T extends { id: number }>(
  page: (limit: number, offset: number) => Promise<Page<T>>,
  deps: unknown[],
): NewestRows<T> {
  const [shown, setShown] = useState(OLDER_STEP);
  // The rows read for `deps`, kept so a press reads only what follows them; `loads` numbers the reads, so only the last keeps its rows.
  const held = useRef<{ deps: unknown[]; items: T[]; total?: number; full: boolean } | null>(null);
  const loads = useRef(0);
  const [rows, reload] = useAsync(async () => {
    const load = ++loads.current;
    const h = held.current && sameDeps(held.current.deps, deps) ? held.current : null;
    const items = h ? h.items.slice(0, shown) : [];
    const ids = new Set(items.map((i) => i.id));
    let total = h?.total;
    let full = h?.full ?? true;
    while (full && items.length < shown) {
      const want = Math.min(PAGE_MAX, shown - items.length);
      const r = await page(want, items.length);
      // A row written by another door since (the CLI) moves the rows down a place: one read already is not listed twice.
      for (const item of r.items) {
        if (ids.has(item.id)) continue;
        items.push(item);
        ids.add(item.id);
      }
      total = r.total;
      full = r.items.length === want;
    }
    if (load === loads.current) held.current = { deps, items, total, full };
    return { items, total, full };
  }, [...deps, shown]);
  const got = rows.data;
  // The last read came back as long as asked for, and (where the API counts them) rows are left.
  const mayHaveMore = !!got && got.full && (got.total === undefined || got.items.length < got.total);
  return { rows, reload, mayHaveMore, more: () => setShown((n) => n + OLDER_STEP) };
}

/** The button, while the list may have older rows; `onMore` shows OLDER_STEP more. */
export function ShowOlder({ mayHaveMore, what, onMore }: { mayHaveMore: boolean; what: string; onMore: () => void }) {
  if (!mayHaveMore) return null;
  return (
    <button type="button" className="btn ghost small show-older" onClick={onMore}>
      Show {OLDER_STEP} older {what}
    </button>
  );
}
