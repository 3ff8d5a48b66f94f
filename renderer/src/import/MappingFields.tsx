/**
 * A file card's column mapping: for each field, the column that holds it,
 * and for the fields a mapping may default (a CI's type, status,
 * environment, owner and criticality; a relationship's type) the value of
 * rows without one: a sheet with no type column, a link export with no
 * relationship type.
 */
import { type ImportMode, REQUIRED_FIELDS } from '../../../shared/import.js';
import { VOCAB_SCALES } from '../../../shared/import-vocab.js';
import { cmdb } from '../api.js';
import { useAsync } from '../ui/common.js';
import { DEFAULT_FIELDS, isFieldMissing, MAP_FIELDS, type Entry, type FieldMap, type Kind } from './wizard.js';

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

const label = (f: string) => FIELD_LABEL[f] ?? f;

/** The values offered for a default (any other may be typed) and by the value mapper: the registry's types, the scales. */
export function useSuggestions(kind: Kind): Record<string, readonly string[]> {
  const [types] = useAsync(() => cmdb.getTypes({}), []);
  const t = types.data;
  return {
    type: (kind === 'cis' ? t?.ciTypes : t?.relTypes)?.map((x) => x.name) ?? [],
    status: VOCAB_SCALES.status,
    criticality: VOCAB_SCALES.criticality,
  };
}

/** One field's default: a value for the rows with no column or an empty cell. */
function DefaultInput({
  id,
  field,
  mapped,
  value,
  options,
  onChange,
}: {
  id: string;
  field: string;
  mapped: boolean;
  value: string;
  options: readonly string[] | undefined;
  onChange: (v: string) => void;
}) {
  const listId = `${id}-${field}-values`;
  return (
    <>
      <input
        className="input"
        aria-label={`Default ${label(field)}`}
        placeholder={mapped ? 'default: for empty cells' : 'default: for every row'}
        value={value}
        list={options?.length ? listId : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {options && options.length > 0 && (
        <datalist id={listId}>
          {options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
    </>
  );
}

/** A field's choices: the file's headers, and the column the field reads if no header is it (a profile's `tags.Name`, one key of a JSON column). */
function columnOptions(headers: readonly string[], current: string | undefined): readonly string[] {
  return current && !headers.includes(current) ? [...headers, current] : headers;
}

export function MappingFields({
  entry,
  onMap,
  onDefaults,
  mode,
  suggestions,
}: {
  entry: Entry;
  onMap: (m: FieldMap) => void;
  onDefaults: (d: FieldMap) => void;
  mode: ImportMode;
  /** The values each field may take (useSuggestions, asked once per file card). */
  suggestions: Record<string, readonly string[]>;
}) {
  const { kind, map, defaults, preview, file } = entry;
  const required: readonly string[] = REQUIRED_FIELDS[kind];
  const id = `map-${file.fileId}`;
  return (
    <div className="mapping" role="group" aria-label={`Column mapping for ${file.name}`}>
      {MAP_FIELDS[kind].map((f) => (
        <div key={f} className={`field${isFieldMissing(entry, f, mode) ? ' missing' : ''}`}>
          <span>
            {label(f)}
            {required.includes(f) && <b title="Required: a column or a default"> *</b>}
          </span>
          <select
            className="input"
            aria-label={`Column for ${label(f)}`}
            value={map[f] ?? ''}
            // Shown as none: sent as "" (read from no column), so the import does not find it by its usual name (sentMap).
            onChange={(e) => onMap({ ...map, [f]: e.target.value })}
          >
            <option value="">{f === 'id' ? '— none: key is type:name —' : '— not in this file —'}</option>
            {columnOptions(preview.headers, map[f]).map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
          {DEFAULT_FIELDS[kind].includes(f) && (
            <DefaultInput
              id={id}
              field={f}
              mapped={!!map[f]}
              value={defaults[f] ?? ''}
              options={suggestions[f]}
              onChange={(v) => onDefaults({ ...defaults, [f]: v || undefined })}
            />
          )}
        </div>
      ))}
    </div>
  );
}
