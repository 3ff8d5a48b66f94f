/** The graph's view controls: zoom, fit, centre, and export as PNG or SVG. */
import type { RefObject } from 'react';
import { downloadBlob as download } from '../ui/download.js';
import type { GraphController } from './controller.js';

export function ZoomBar({
  ctl,
  center,
  selected,
  ready,
}: {
  ctl: RefObject<GraphController | null>;
  center: string;
  selected: string | null;
  /** Whether a drawing is shown (the exports need one). */
  ready: boolean;
}) {
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
      <span className="sep" aria-hidden="true" />
      <button
        type="button"
        className="btn small"
        disabled={!ready}
        aria-label="Export PNG"
        onClick={async () => {
          const blob = await ctl.current?.png();
          if (blob) download(`cmdb-graph-${center}.png`, blob);
        }}
      >
        PNG
      </button>
      <button
        type="button"
        className="btn small"
        disabled={!ready}
        aria-label="Export SVG"
        onClick={() => {
          const svg = ctl.current?.svg();
          if (svg) download(`cmdb-graph-${center}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
        }}
      >
        SVG
      </button>
    </div>
  );
}
