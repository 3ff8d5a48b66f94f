/** The graph's legend: each drawn CI type with its shape, colour and how many CIs of it are drawn (group nodes count their members). */
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
    for (const n of nodes) counts.set(n.data.type, (counts.get(n.data.type) ?? 0) + (n.data.count ?? n.data.groupOf?.length ?? 1));
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
