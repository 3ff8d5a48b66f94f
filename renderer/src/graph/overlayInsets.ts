/** The room the graph canvas's overlays take (notices top left, legend bottom left, zoom bar bottom right): a fitted graph keeps clear of them. */
import type { Insets } from './controller.js';
import type { Box } from './labels.js';

/** The summary badge appears once the graph is drawn, after it is fitted: room for it is kept beforehand. */
const SUMMARY_ROW = 34;
const MIN_TOP = 44;

/** The room to keep clear: below the notices and above the zoom bar, and either above the legend or beside it. */
export function overlayInsets(wrap: HTMLElement | null): Insets[] {
  if (!wrap) return [{ top: MIN_TOP, right: 12, bottom: 48, left: 12 }];
  const box = wrap.getBoundingClientRect();
  const below = (sel: string) => {
    const el = wrap.querySelector(sel);
    return el ? el.getBoundingClientRect().bottom - box.top : 0;
  };
  const above = (sel: string) => {
    const el = wrap.querySelector(sel);
    return el ? box.bottom - el.getBoundingClientRect().top : 0;
  };
  const legend = wrap.querySelector('.legend')?.getBoundingClientRect();
  const top = Math.min(
    box.height * 0.3,
    Math.max(MIN_TOP, below('.overlay.tl') + 8 + (wrap.querySelector('[data-testid="graph-summary"]') ? 0 : SUMMARY_ROW)),
  );
  const bottom = Math.min(box.height * 0.2, Math.max(48, above('.zoombar') + 8));
  const base = { top, right: 12, bottom, left: 12 };
  if (!legend) return [base];
  return [
    { ...base, bottom: Math.min(box.height * 0.5, Math.max(bottom, box.bottom - legend.top + 8)) },
    { ...base, left: Math.min(box.width * 0.4, legend.right - box.left + 8) },
  ];
}

/** The widest the summary badge is reserved before it appears (it reads e.g. "2,136 CIs · 5,683 relationships · 119 ms fetch, 11 ms layout"). */
const SUMMARY_WIDTH = 560;

/**
 * The overlays' boxes in canvas pixels (notices, legend, zoom bar): labels
 * are not placed under them. The summary badge appears once the graph is
 * drawn, after its labels are placed: its room is reserved from the start
 * (a line SUMMARY_WIDTH wide, two where the notices are narrower; or what it
 * takes), so its arrival does not move labels, nor place them a second time.
 */
export function overlayBoxes(wrap: HTMLElement | null): Box[] {
  if (!wrap) return [];
  const box = wrap.getBoundingClientRect();
  const toBox = (r: DOMRect): Box => ({ x1: r.left - box.left, y1: r.top - box.top, x2: r.right - box.left, y2: r.bottom - box.top });
  const boxes = [...wrap.querySelectorAll('.overlay.tl > :not([data-testid="graph-summary"]), .legend, .zoombar')].map((el) =>
    toBox(el.getBoundingClientRect()),
  );
  const tl = wrap.querySelector('.overlay.tl');
  if (tl) {
    const at = toBox(tl.getBoundingClientRect());
    // The notices are at most so wide (CSS max-width): a badge wider than that wraps onto a second line.
    const max = getComputedStyle(tl).maxWidth;
    const room = max.endsWith('%') ? (box.width * parseFloat(max)) / 100 : max === 'none' ? box.width : parseFloat(max);
    const lines = room < SUMMARY_WIDTH ? 2 : 1;
    const summary = wrap.querySelector('[data-testid="graph-summary"]')?.getBoundingClientRect();
    const width = Math.max(Math.min(SUMMARY_WIDTH, room), summary ? summary.width : 0);
    const height = Math.max(lines * SUMMARY_ROW - (lines - 1) * 8, summary ? summary.height : 0);
    boxes.push({ x1: at.x1, y1: at.y1, x2: at.x1 + width, y2: at.y1 + height });
  }
  return boxes;
}
