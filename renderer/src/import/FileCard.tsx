/** One chosen CSV file: how it reads (delimiter, encoding, first rows) and which column holds which field. */
import { CI_MAP_FIELDS, REL_MAP_FIELDS, REQUIRED_FIELDS, type Preview } from '../../../shared/import.js';
import { encodingLabel, formatBytes, type LoadedFile } from './files.js';

import { ValueMapper } from './Unrecognised.js';
import type { FieldMap, Kind, ValueMaps } from './wizard.js';

const FIELD_LABEL: Record<string, string> = {
  id: 'Key (id)',
  name: 'Name',
  type: 'Type',
  status: 'Status',
  environment: 'Environment',
  owner: 'Owner',
  criticality: 'Criticality',
  description: 'Description',
  source: 'Source CI',
  target: 'Target CI',
  redundancy_group: 'Redundancy group',
  min_up: 'Minimum up',
  source_type: 'Source CI type',
  target_type: 'Target CI type',
};

const REQUIRED: Record<Kind, readonly string[]> = REQUIRED_FIELDS;

function fieldsOf(kind: Kind): readonly string[] {
  return kind === 'cis' ? CI_MAP_FIELDS : REL_MAP_FIELDS;
}

export function FileCard({
  file,
  preview,
  kind,
  map,
  onKind,
  onMap,
  onRemove,
  values,
  valueMaps,
  onValueMaps,
}: {
  file: LoadedFile;
  preview: Preview;
  kind: Kind;
  map: FieldMap;
  onKind: (k: Kind) => void;
  onMap: (m: FieldMap) => void;
  onRemove: () => void;
  /** Criticality and status values of this file not on the scales (wizard.ts valuesToMap). */
  values: Parameters<typeof ValueMapper>[0]['values'];
  valueMaps: ValueMaps;
  onValueMaps: (m: ValueMaps) => void;
}) {
  const used = new Set(Object.values(map).filter(Boolean));
  const attrs = preview.headers.filter((h) => !used.has(h));
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
              {preview.headers.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, 6).map((r, i) => (
              <tr key={i}>
                <td className="ln muted">{i + 2}</td>
                {preview.headers.map((h, j) => (
                  <td key={h}>{r[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mapping" role="group" aria-label={`Column mapping for ${file.name}`}>
        {fieldsOf(kind).map((f) => {
          const missing = REQUIRED[kind].includes(f) && !map[f];
          return (
            <label key={f} className={`field${missing ? ' missing' : ''}`}>
              <span>
                {FIELD_LABEL[f] ?? f}
                {REQUIRED[kind].includes(f) && <b title="Required"> *</b>}
              </span>
              <select
                className="input"
                aria-label={`Column for ${FIELD_LABEL[f] ?? f}`}
                value={map[f] ?? ''}
                onChange={(e) => onMap({ ...map, [f]: e.target.value || undefined })}
              >
                <option value="">{f === 'id' ? '— none: key from type and name —' : '— not in this file —'}</option>
                {preview.headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      <span className="muted small">
        {attrs.length > 0 ? `Kept as attributes: ${attrs.join(', ')}.` : 'Every column is mapped to a field.'}
      </span>
      <ValueMapper values={values} maps={valueMaps} onMaps={onValueMaps} />
    </section>
  );
}
