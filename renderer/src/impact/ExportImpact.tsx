/**
 * The full impacted list, exported from the screen without saving a change:
 * the contract's `exportImpact` {request, format}, downloaded the way the
 * Changes screen downloads a report (ui/download.ts).
 */
import type { ImpactRequest } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { REPORT_FORMATS, useReportExport } from './reportExport.js';
import { ErrorBox } from '../ui/common.js';

/** Export buttons for the analysis on screen: every impacted CI, not only the listed ones. */
export function ExportImpact({ request }: { request: ImpactRequest }) {
  const { busy, error, run } = useReportExport((format) => cmdb.exportImpact({ request: { ...request, limit: 1_000_000 }, format }));
  return (
    <div className="export-impact">
      <details className="dropdown">
        <summary className="btn small" title="Every impacted CI with its state and path, not only those listed">
          {busy ? 'Exporting…' : 'Export all ▾'}
        </summary>
        <div className="menu" role="group" aria-label="Export the impacted CIs">
          {REPORT_FORMATS.map((f) => (
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
