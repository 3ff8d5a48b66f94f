/** The CI table's keyboard: a cursor row moved by the arrows and page keys, kept in view and selected as it moves; Escape closes the detail. */
import type { KeyboardEvent } from 'react';
import { useState } from 'react';
import type { Ci } from '../../../shared/domain.js';

/** How far each navigation key moves the cursor. */
const MOVES = new Map<string, number>([
  ['ArrowDown', 1],
  ['ArrowUp', -1],
  ['PageDown', 20],
  ['PageUp', -20],
]);

/** The cursor row and the grid's key handler. */
export function useRowCursor({
  total,
  rowAt,
  scrollToIndex,
  onSelect,
  onEscape,
}: {
  total: number | null;
  rowAt: (i: number) => Ci | undefined;
  scrollToIndex: (i: number) => void;
  onSelect: (key: string) => void;
  /** Escape on the table: closes the open CI's detail; the cursor stays on its row. */
  onEscape?: (() => void) | undefined;
}) {
  const [activeIndex, setActiveIndex] = useState<number | null>(null);

  const move = (delta: number) => {
    if (!total) return;
    const cur = activeIndex ?? -1;
    const next = Math.max(0, Math.min(total - 1, cur + delta));
    setActiveIndex(next);
    scrollToIndex(next);
    const ci = rowAt(next);
    if (ci) onSelect(ci.key);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const delta = MOVES.get(e.key);
    if (delta !== undefined) {
      e.preventDefault();
      move(delta);
    } else if (e.key === 'Enter' && activeIndex !== null) {
      const ci = rowAt(activeIndex);
      if (ci) onSelect(ci.key);
    } else if (e.key === 'Escape' && onEscape) {
      e.preventDefault();
      onEscape();
    }
  };

  return { activeIndex, setActiveIndex, onKeyDown };
}
