/**
 * Export of the findings on screen (the rule picked and the filter, or every finding) for an audit, or to route
 * the work to the teams: the engine writes the file (exportHealth), a CSV row per CI with its owner.
 */
import type { HealthRuleId } from '../../../shared/health.js';
import { cmdb } from '../api.js';
import { DATA_FORMATS, ExportRow } from '../ui/ExportRow.js';

export function HealthExport({ rule, query }: { rule: HealthRuleId | null; query: string }) {
  return (
    <ExportRow
      label="Export the findings"
      lead={rule || query ? 'Export these findings:' : 'Export all findings:'}
      formats={DATA_FORMATS}
      load={(format) => cmdb.exportHealth({ format, ...(rule ? { rule } : {}), ...(query.trim() ? { query: query.trim() } : {}) })}
      errorTitle="The findings could not be exported"
    />
  );
}
