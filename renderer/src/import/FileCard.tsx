/** One chosen CSV file: how it reads (delimiter, encoding, first rows) and which column holds which field. */
import { encodingLabel, type ImportMode } from '../../../shared/import.js';
import { formatBytes } from '../../../shared/format.js';
import { MappingFields, useSuggestions } from './MappingFields.js';
import { ValueMapper } from './Unrecognised.js';
import type { Entry, FieldMap, Kind, ValueMaps } from './wizard.js';

export function FileCard({
  entry,
  onKind,
  onMap,
  onDefaults,
  onRemove,
  values,
  valueMaps,
  onValueMaps,
  mode,
}: {
  entry: Entry;
  /** The import's mode: an update-only file of keys needs no name or type column. */
  mode: ImportMode;
  onKind: (k: Kind) => void;
  onMap: (m: FieldMap) => void;
  onDefaults: (d: FieldMap) => void;
  onRemove: () => void;
  /** Values of this file to map: criticality and status not on the scales, types new to the registry (wizard.ts valuesToMap). */
  values: Parameters<typeof ValueMapper>[0]['values'];
  valueMaps: ValueMaps;
  onValueMaps: (m: ValueMaps) => void;
}) {
  const { file, preview, kind, map } = entry;
  // The registry's types and the scales, asked once for the card (its mapping fields and its values to map).
  const suggestions = useSuggestions(kind);
  const used = new Set(Object.values(map).filter(Boolean));
  // The columns no field takes are kept as attributes, but for those without a header name the preview says are
  // ignored (a title line's empty names; its notes say why).
  const ignored = new Set(preview.ignoredColumns);
  const attrs = preview.headers.filter((h, i) => !used.has(h) && !ignored.has(i));
  const delim = preview.delimiter === '\t' ? 'tab' : preview.delimiter === ' ' ? 'space' : `“${preview.delimiter}”`;
  return (
    <section className="card file-card" aria-label={`File ${file.name}`}>
      <div className="file-head">
        <h2>{file.name}</h2>
        <span className="muted small">
          {formatBytes(file.size)} · delimiter {delim} · {encodingLabel(preview.encoding)} · {preview.headers.length} columns
        </span>
        <label className="inline">
          Holds
          <select className="input" value={kind} onChange={(e) => onKind(e.target.value as Kind)} aria-label={`What ${file.name} holds`}>
            <option value="cis">CIs</option>
            <option value="relationships">Relationships</option>
          </select>
        </label>
        <button type="button" className="btn ghost small" onClick={onRemove} aria-label={`Remove ${file.name}`}>
          Remove
        </button>
      </div>
      {preview.warnings.length > 0 && (
        <div className="notice">
          {preview.warnings.map((w) => (
            <div key={w}>{w}</div>
          ))}
        </div>
      )}
      <div className="preview-wrap">
        <table className="simple preview" aria-label={`First rows of ${file.name}`}>
          <thead>
            <tr>
              <th className="ln">Line</th>
              {/* By place: a title line's columns have no names, so names are no keys. */}
              {preview.headers.map((h, j) => (
                <th key={j}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, 6).map((r, i) => (
              <tr key={i}>
                <td className="ln muted">{i + 2}</td>
                {preview.headers.map((_, j) => (
                  <td key={j}>{r[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MappingFields entry={entry} mode={mode} onMap={onMap} onDefaults={onDefaults} suggestions={suggestions} />
      {entry.lacking && (
        <div className="notice" role="status" aria-label={`Profile columns missing from ${file.name}`}>
          The profile “{entry.lacking.profile}” reads {entry.lacking.columns.map((c) => `${c.field} from “${c.column}”`).join(', ')}, which
          this file lacks: {entry.lacking.columns.length === 1 ? 'that field keeps' : 'those fields keep'} the column suggested for this
          file, or none (— not in this file —). Check {entry.lacking.columns.length === 1 ? 'it' : 'them'} before a dry run.
        </div>
      )}
      <span className="muted small">
        {attrs.length > 0 ? `Kept as attributes: ${attrs.join(', ')}.` : 'Every column is mapped to a field.'}
      </span>
      <ValueMapper types={suggestions.type ?? []} values={values} maps={valueMaps} onMaps={onValueMaps} />
    </section>
  );
}
