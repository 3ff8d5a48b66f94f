/**
 * Report exports from the Impact screens: the formats offered, and one hook
 * that fetches a report and downloads it, for a saved change and for the
 * analysis on screen alike.
 */
import { useState } from 'react';
import type { ExportFormat } from '../../../shared/impact.js';
import { downloadText } from '../ui/download.js';

export const REPORT_FORMATS: ReadonlyArray<{ format: ExportFormat; label: string }> = [
  { format: 'markdown', label: 'Markdown' },
  { format: 'html', label: 'Printable HTML' },
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
];

/** Runs `load` for a format (a report's, or another export's such as a diff's) and downloads its answer; `busy` is the format under way, `error` the last failure. */
export function useReportExport<F extends string = ExportFormat>(
  load: (format: F) => Promise<{ filename: string; content: string; mime: string }>,
) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<F | null>(null);
  const run = async (format: F) => {
    setBusy(format);
    setError(null);
    try {
      const r = await load(format);
      downloadText(r.filename, r.content, r.mime);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}
