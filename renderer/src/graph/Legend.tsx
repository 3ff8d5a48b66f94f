/**
 * The graph's legend: each drawn CI type with its shape, colour and how many
 * CIs of it are drawn (group nodes count their members by type). Many types
 * are laid out in columns, so a dozen read whole at 1440×900 without
 * scrolling; past what its room holds it scrolls inside itself, and its
 * header folds it away.
 */
import { useMemo, useState, type CSSProperties } from 'react';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { typeStyle } from '../typeStyle.js';
import { formatCount } from '../../../shared/format.js';
import type { NodeEl } from './model.js';
import { shapeSvg } from './svg.js';

/** Up to this many types, one column; up to twice as many, two; then three. */
const PER_COLUMN = 8;

/** How many columns `types` rows take. */
export function legendColumns(types: number): number {
  return types <= PER_COLUMN ? 1 : types <= PER_COLUMN * 2 + 2 ? 2 : 3;
}

/** Nothing when no node is drawn. `onResize`: it was folded or unfolded (what it covers changed). */
export function Legend({ nodes, onResize }: { nodes: NodeEl[]; onResize?: () => void }) {
  const [open, setOpen] = useState(true);
  const legend = useMemo(() => {
    const counts = new Map<string, number>();
    const add = (type: string, n: number) => counts.set(type, (counts.get(type) ?? 0) + n);
    for (const n of nodes) {
      if (n.data.types) for (const t of n.data.types) add(t.type, t.count);
      else add(n.data.type, n.data.groupOf?.length ?? 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [nodes]);
  if (legend.length === 0) return null;
  const columns = legendColumns(legend.length);
  const toggle = () => {
    setOpen(!open);
    // After React has drawn it folded or unfolded: the labels are placed again around it.
    requestAnimationFrame(() => onResize?.());
  };
  return (
    <div className="overlay bl legend types" aria-label="Legend" data-testid="graph-legend">
      <button
        type="button"
        className="legend-head"
        aria-expanded={open}
        aria-label={open ? `Fold the ${legend.length} CI types away` : `Show the ${legend.length} CI types`}
        title={open ? 'Fold away' : 'Show the CI types'}
        onClick={toggle}
      >
        <span>CI types</span>
        <span className="muted">{legend.length}</span>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open && (
        <div className="legend-rows" style={{ '--legend-rows': Math.ceil(legend.length / columns) } as CSSProperties}>
          {legend.map(([type, n]) => {
            const st = typeStyle(type);
            return (
              <div className="row" key={type}>
                <svg
                  width="14"
                  height="14"
                  viewBox="0 0 14 14"
                  aria-hidden="true"
                  dangerouslySetInnerHTML={{ __html: shapeSvg(st.shape, 7, 7, 12, 12, `fill="${st.color}"`) }}
                />
                <span className="name" title={ciTypeLabel(type)}>
                  {ciTypeLabel(type)}
                </span>
                <span className="muted">{formatCount(n)}</span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
