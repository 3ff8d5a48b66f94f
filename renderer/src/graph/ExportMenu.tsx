/** The graph's Export menu: PNG and SVG pictures, and GraphML, DOT, draw.io and JSON of what is drawn (shared/graph-export.ts writes them). */
import { useRef, useState, type RefObject } from 'react';
import type { ExportGraph, GraphExportFormat } from '../../../shared/graph.js';
import { writeGraph } from '../../../shared/graph-export.js';
import { ErrorBox } from '../ui/common.js';
import { downloadBlob, downloadText } from '../ui/download.js';
import { Menu, type MenuHandle } from '../ui/Menu.js';
import type { GraphController } from './controller.js';

const FORMATS: Array<{ format: GraphExportFormat; label: string; hint: string }> = [
  { format: 'graphml', label: 'GraphML', hint: 'yEd, Gephi' },
  { format: 'dot', label: 'DOT', hint: 'Graphviz' },
  { format: 'drawio', label: 'draw.io', hint: 'diagrams.net' },
  { format: 'json', label: 'JSON', hint: 'nodes and edges' },
];

export function ExportMenu({
  ctl,
  center,
  ready,
  drawn,
}: {
  ctl: RefObject<GraphController | null>;
  center: string;
  /** Whether a drawing is shown (the exports need one). */
  ready: boolean;
  /** The current view as drawn, with positions. */
  drawn: () => ExportGraph;
}) {
  const [error, setError] = useState<unknown>(null);
  const menu = useRef<MenuHandle>(null);
  const base = `cmdb-graph-${center}`;
  const run = async (f: () => Promise<void> | void) => {
    setError(null);
    try {
      await f();
      menu.current?.close();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Menu
      ref={menu}
      className="export-menu"
      summaryClassName="btn small"
      label="Export the view"
      groupLabel="Export formats"
      summary="Export ▾"
    >
      <button
        type="button"
        className="btn ghost small"
        disabled={!ready}
        aria-label="Export PNG"
        onClick={() =>
          void run(async () => {
            const blob = await ctl.current?.png();
            if (blob) downloadBlob(`${base}.png`, blob);
          })
        }
      >
        PNG <span className="muted">picture</span>
      </button>
      <button
        type="button"
        className="btn ghost small"
        disabled={!ready}
        aria-label="Export SVG"
        onClick={() =>
          void run(() => {
            const svg = ctl.current?.svg();
            if (svg) downloadBlob(`${base}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
          })
        }
      >
        SVG <span className="muted">picture</span>
      </button>
      {FORMATS.map((f) => (
        <button
          key={f.format}
          type="button"
          className="btn ghost small"
          disabled={!ready}
          aria-label={`Export ${f.label}`}
          onClick={() =>
            void run(() => {
              const file = writeGraph(f.format, drawn(), `Neighbourhood of ${center}`);
              downloadText(`${base}.${file.extension}`, file.content, file.mime);
            })
          }
        >
          {f.label} <span className="muted">{f.hint}</span>
        </button>
      ))}
      {error !== null && <ErrorBox error={error} title="The export failed" />}
    </Menu>
  );
}
