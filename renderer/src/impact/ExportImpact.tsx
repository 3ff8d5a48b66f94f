/**
 * The full impacted list, exported from the screen without saving a change:
 * the contract's `exportImpact` {request, format}, downloaded the way the
 * Changes screen downloads a report (ui/download.ts).
 */
import { useRef } from 'react';
import type { ImpactRequest } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { REPORT_FORMATS, useReportExport } from './reportExport.js';
import { ErrorBox } from '../ui/common.js';
import { Menu, type MenuHandle } from '../ui/Menu.js';

/** Export buttons for the analysis on screen: every impacted CI, not only the listed ones. */
export function ExportImpact({ request }: { request: ImpactRequest }) {
  const menu = useRef<MenuHandle>(null);
  const { busy, error, run } = useReportExport((format) => cmdb.exportImpact({ request: { ...request, limit: 1_000_000 }, format }));
  return (
    <div className="export-impact">
      <Menu
        ref={menu}
        label="Export all impacted CIs"
        groupLabel="Export the impacted CIs"
        summary={busy ? 'Exporting…' : 'Export all ▾'}
        summaryClassName="btn small"
        title="Every impacted CI with its state and path, not only those listed"
      >
        {REPORT_FORMATS.map((f) => (
          <button
            key={f.format}
            type="button"
            className="btn ghost small"
            onClick={() => {
              menu.current?.close();
              void run(f.format);
            }}
            disabled={busy !== null}
          >
            {f.label}
          </button>
        ))}
      </Menu>
      {error != null && <ErrorBox error={error} title="The impacted CIs could not be exported" />}
    </div>
  );
}
