/** Export of the comparison on screen (its points and types, every entry) for an audit or a CAB pack, through the one export row. */
import { cmdb } from '../api.js';
import { DATA_FORMATS, ExportRow } from '../ui/ExportRow.js';

export function DiffExport({ from, to, types }: { from: string; to: string; types: string[] }) {
  return (
    <ExportRow
      label="Export the comparison"
      lead="Export:"
      formats={DATA_FORMATS}
      load={(format) => cmdb.exportDiff({ from, to, types: types.length ? types : undefined, format })}
      errorTitle="The comparison could not be exported"
    />
  );
}
