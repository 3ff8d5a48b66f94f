/**
 * A CI opened from elsewhere (the search box, a relationship, another screen) is put where a click on its row puts
 * it: the cursor on its row, scrolled into view, so focus comes back to that row when its detail closes. Once, when
 * it opens (or when the table's first rows arrive). A CI among the rows loaded is placed at once; one further down
 * is placed where the engine says it stands in this list (ciPosition), its page then fetched as any row in view is,
 * unless the table was scrolled or asked another question meanwhile. A CI not in the list (filtered out) leaves the
 * table where it is.
 */
import { type RefObject, useEffect, useRef } from 'react';
import type { CiFilters } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import type { Sort } from './CiTable.js';

interface Placing {
  /** The CI open, null when none. */
  selected: string | null;
  /** Bumped when a CI is opened from elsewhere: placed again, the same CI too. */
  opened: number;
  total: number | null;
  /** The table's question, as its pages are fetched for (changes with each new question). */
  params: string;
  question: { query: string; filters: CiFilters; sort: Sort };
  /** The key of the row at `i`, when loaded. */
  keyAt: (i: number) => string | undefined;
  loadedIndexOf: (key: string) => number;
  cursorIndex: number | null;
  setCursor: (i: number) => void;
  scroller: RefObject<HTMLDivElement | null>;
  rowHeight: number;
  scrollToCentre: (i: number) => void;
}

export function usePlaceOpened(p: Placing): void {
  const placed = useRef<{ key: string | null; opened: number } | null>(null);
  const latest = useRef(p);
  latest.current = p;
  /** Puts the cursor on row `at`, brought to the middle when out of sight (a row in sight stays put). */
  const place = (at: number) => {
    const { setCursor, scroller, rowHeight, scrollToCentre } = latest.current;
    setCursor(at);
    const el = scroller.current;
    if (el && (at * rowHeight < el.scrollTop || (at + 1) * rowHeight > el.scrollTop + el.clientHeight)) scrollToCentre(at);
  };
  const { selected, opened, total } = p;
  useEffect(() => {
    if ((placed.current?.key === selected && placed.current.opened === opened) || total === null) return;
    const again = placed.current?.key === selected;
    placed.current = { key: selected, opened };
    // The cursor already on its row: in view unless it was opened again after a scroll away.
    if (selected === null || (!again && p.keyAt(p.cursorIndex ?? -1) === selected)) return;
    const at = p.loadedIndexOf(selected);
    if (at >= 0) return place(at);
    const { query, filters, sort } = p.question;
    const asked = { params: p.params, top: p.scroller.current?.scrollTop ?? 0 };
    cmdb.ciPosition({ key: selected, query: query || undefined, filters, sort: sort?.field, order: sort?.order }).then(
      ({ index }) => {
        const now = latest.current;
        const moved = (now.scroller.current?.scrollTop ?? 0) !== asked.top;
        if (index !== null && placed.current?.key === selected && now.params === asked.params && !moved) place(index);
      },
      // Not placed: the detail is open all the same.
      () => {},
    );
  }, [selected, opened, total]);
}
