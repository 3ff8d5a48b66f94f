/** Draws the graph view's elements with its controller once they or the layout change, and reports when they are shown. */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { GraphController } from './controller.js';
import type { LayoutName } from './layouts.js';
import type { buildElements } from './model.js';
import type { GraphClock, GraphStatus, Publish } from './useGraphData.js';

export interface DrawingInput {
  ctl: RefObject<GraphController | null>;
  center: string | null;
  /** Whether there is anything fetched to draw. */
  hasData: boolean;
  elements: ReturnType<typeof buildElements>;
  layout: LayoutName;
  webgl: 'auto' | 'on' | 'off';
  selected: string | null;
  clock: GraphClock;
  publish: Publish;
  setStatus: (s: GraphStatus) => void;
  setError: (e: unknown) => void;
}

/** Returns the last drawing's fetch and layout times (null until one is shown). */
export function useGraphDrawing(d: DrawingInput): { fetchMs: number; layoutMs: number } | null {
  const [timing, setTiming] = useState<{ fetchMs: number; layoutMs: number } | null>(null);
  const lastLayout = useRef<LayoutName>(d.layout);
  const { seq, fetchStart, fetchMs } = d.clock;

  // Draw what changed; lay out when the topology (or the chosen layout) changed.
  useEffect(() => {
    const { elements, layout, selected } = d;
    const c = d.ctl.current;
    if (!c || !d.center || !d.hasData) return;
    const my = seq.current;
    const relayout = lastLayout.current !== layout;
    lastLayout.current = layout;
    c.setElements(elements, layout, relayout, d.webgl).then(
      ({ layoutMs }) => {
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            if (my !== seq.current) return;
            performance.mark('graph:shown');
            const shownMs = performance.now() - fetchStart.current;
            try {
              performance.measure('graph:fetch-layout-show', 'graph:fetch-start', 'graph:shown');
            } catch {
              // The start mark may have been cleared by a benchmark between runs.
            }
            d.setStatus('ready');
            setTiming({ fetchMs: fetchMs.current, layoutMs });
            d.publish('ready', { nodes: elements.nodes.length, edges: elements.edges.length, layoutMs, shownMs });
            if (selected) c.select(selected);
          }),
        );
      },
      (err: unknown) => {
        d.setError(err);
        d.setStatus('error');
        d.publish('error');
      },
    );
  }, [d.elements, d.layout]);
  return timing;
}
