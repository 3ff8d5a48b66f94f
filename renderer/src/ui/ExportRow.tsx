/**
 * A row of export buttons, one per format, each fetching its file from the
 * engine and downloading it (useReportExport): a change's report, a
 * comparison, the health findings.
 */
import type { DataExportFormat } from '../../../shared/domain.js';
import { useReportExport } from '../impact/reportExport.js';
import { ErrorBox } from './common.js';

export function ExportRow<F extends string>({
  label,
  lead,
  formats,
  load,
  errorTitle,
}: {
  /** The group's accessible name ("Export the report"). */
  label: string;
  /** The words before the buttons ("Export report:"). */
  lead: string;
  formats: ReadonlyArray<{ format: F; label: string }>;
  /** Asks the engine for the file in one format. */
  load: (format: F) => Promise<{ filename: string; content: string; mime: string }>;
  errorTitle: string;
}) {
  const { busy, error, run } = useReportExport<F>(load);
  return (
    <div className="export-row" role="group" aria-label={label}>
      <span className="muted">{lead}</span>
      {formats.map((f) => (
        <button key={f.format} type="button" className="btn small" onClick={() => void run(f.format)} disabled={busy !== null}>
          {busy === f.format ? 'Exporting…' : f.label}
        </button>
      ))}
      {error != null && <ErrorBox error={error} title={errorTitle} />}
    </div>
  );
}

/** The data-file formats (a comparison's, the health findings': DATA_EXPORT_FORMATS), labelled, in the order offered. */
export const DATA_FORMATS: ReadonlyArray<{ format: DataExportFormat; label: string }> = [
  { format: 'csv', label: 'CSV' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
];
