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
  const items: Array<{ label: string; hint: string; save: () => Promise<void> | void }> = [
    {
      label: 'PNG',
      hint: 'picture',
      save: async () => {
        const blob = await ctl.current?.png();
        if (blob) downloadBlob(`${base}.png`, blob);
      },
    },
    {
      label: 'SVG',
      hint: 'picture',
      save: () => {
        const svg = ctl.current?.svg();
        if (svg) downloadBlob(`${base}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
      },
    },
    ...FORMATS.map((f) => ({
      label: f.label,
      hint: f.hint,
      save: () => {
        const file = writeGraph(f.format, drawn(), `Neighbourhood of ${center}`);
        downloadText(`${base}.${file.extension}`, file.content, file.mime);
      },
    })),
  ];
  return (
    <Menu
      ref={menu}
      className="export-menu"
      summaryClassName="btn small"
      label="Export the view"
      groupLabel="Export formats"
      summary="Export ▾"
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          className="btn ghost small"
          disabled={!ready}
          aria-label={`Export ${item.label}`}
          onClick={() => void run(item.save)}
        >
          {item.label} <span className="muted">{item.hint}</span>
        </button>
      ))}
      {error !== null && <ErrorBox error={error} title="The export failed" />}
    </Menu>
  );
}
