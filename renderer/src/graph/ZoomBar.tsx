/** The graph's view controls: zoom, fit, centre (the exports are in the toolbar's Export menu). */
import type { RefObject } from 'react';
import type { GraphController } from './controller.js';

export function ZoomBar({ ctl, center, selected }: { ctl: RefObject<GraphController | null>; center: string; selected: string | null }) {
  return (
    <div className="overlay br zoombar" role="group" aria-label="View">
      <button type="button" className="btn small icon" onClick={() => ctl.current?.zoomBy(1.25)} aria-label="Zoom in" title="Zoom in">
        +
      </button>
      <button type="button" className="btn small icon" onClick={() => ctl.current?.zoomBy(0.8)} aria-label="Zoom out" title="Zoom out">
        −
      </button>
      <button type="button" className="btn small" onClick={() => ctl.current?.fit()} aria-label="Fit graph to view">
        Fit
      </button>
      <button type="button" className="btn small" onClick={() => ctl.current?.centreOn(selected ?? center)} aria-label="Centre on CI">
        Centre
      </button>
    </div>
  );
}
