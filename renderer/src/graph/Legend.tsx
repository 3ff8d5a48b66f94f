/** The graph's legend: each drawn CI type with its shape, colour and how many CIs of it are drawn (group nodes count their members by type). */
import { useMemo } from 'react';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { typeStyle } from '../typeStyle.js';
import { formatCount } from '../ui/common.js';
import type { NodeEl } from './model.js';
import { shapeSvg } from './svg.js';

/** Nothing when no node is drawn. */
export function Legend({ nodes }: { nodes: NodeEl[] }) {
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
  return (
    <div className="overlay bl legend" aria-label="Legend">
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
            <span style={{ flex: 1 }}>{ciTypeLabel(type)}</span>
            <span className="muted">{formatCount(n)}</span>
          </div>
        );
      })}
    </div>
  );
}
