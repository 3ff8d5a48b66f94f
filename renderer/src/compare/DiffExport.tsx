/** Export of the comparison on screen (its points and types, every entry) for an audit or a CAB pack, through the one report-export hook. */
import type { DIFF_EXPORT_FORMATS } from '../../../shared/baseline.js';
import { cmdb } from '../api.js';
import { useReportExport } from '../impact/reportExport.js';
import { ErrorBox } from '../ui/common.js';

type DiffFormat = (typeof DIFF_EXPORT_FORMATS)[number];
const FORMATS: ReadonlyArray<{ format: DiffFormat; label: string }> = [
  { format: 'csv', label: 'CSV' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
];

export function DiffExport({ from, to, types }: { from: string; to: string; types: string[] }) {
  const { busy, error, run } = useReportExport<DiffFormat>((format) =>
    cmdb.exportDiff({ from, to, types: types.length ? types : undefined, format }),
  );
  return (
    <div className="export-row" role="group" aria-label="Export the comparison">
      <span className="muted">Export:</span>
      {FORMATS.map((f) => (
        <button key={f.format} type="button" className="btn small" onClick={() => void run(f.format)} disabled={busy !== null}>
          {busy === f.format ? 'Exporting…' : f.label}
        </button>
      ))}
      {error != null && <ErrorBox error={error} title="The comparison could not be exported" />}
    </div>
  );
}
