/**
 * The full impacted list, exported from the screen without saving a change:
 * the contract's `exportImpact` {request, format}, downloaded the way the
 * Changes screen downloads a report (ui/download.ts).
 */
import { useState } from 'react';
import type { ExportFormat, ImpactRequest } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { downloadText } from '../ui/download.js';
import { ErrorBox } from '../ui/common.js';

const FORMATS: Array<{ format: ExportFormat; label: string }> = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'html', label: 'HTML' },
];

/** Export buttons for the analysis on screen: every impacted CI, not only the listed ones. */
export function ExportImpact({ request }: { request: ImpactRequest }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      const r = await cmdb.exportImpact({ request: { ...request, limit: 1_000_000 }, format });
      downloadText(r.filename, r.content, r.mime);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-impact">
      <details className="dropdown">
        <summary className="btn small" title="Every impacted CI with its state and path, not only those listed">
          {busy ? 'Exporting…' : 'Export all ▾'}
        </summary>
        <div className="menu" role="group" aria-label="Export the impacted CIs">
          {FORMATS.map((f) => (
            <button key={f.format} type="button" className="btn ghost small" onClick={() => void run(f.format)} disabled={busy !== null}>
              {f.label}
            </button>
          ))}
        </div>
      </details>
      {error != null && <ErrorBox error={error} title="The impacted CIs could not be exported" />}
    </div>
  );
}
