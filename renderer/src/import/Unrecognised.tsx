/**
 * Values to map: the file card's box that maps each criticality and status
 * value not on the registry's scales onto a scale value (or leaves it as
 * given) and each type value that makes a new type onto a registry type (or
 * leaves it new), and the notice a dry run or an import shows of the values
 * it stored as given.
 */
import type { UnrecognisedValue } from '../../../shared/domain.js';
import { VALUE_MAP_KEY, VOCAB_FIELDS, VOCAB_SCALES } from '../../../shared/import-vocab.js';
import { formatCount } from '../../../shared/format.js';
import { MAP_KEY, type MapField, type ValueMaps, type ValueToMap, withValueMap } from './wizard.js';

/** A row of choices (inline: the wizard's stylesheet has no rule for this box). */
const ROW = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, marginTop: 4 } as const;

/** `'Gold' × 120`, and where a status came from the column read where the status column is empty: `(install_status)`. */
const valueText = (u: UnrecognisedValue) => `‘${u.value}’ × ${formatCount(u.count)}${u.fallbackOf && u.column ? ` (${u.column})` : ''}`;

/** A value to map with where it was counted: `'Gold' × 120 in the file`, `'Gold' × 5 of the first 8 rows`. */
const toMapText = (u: ValueToMap) =>
  `‘${u.value}’ × ${formatCount(u.count)} ${u.inFile ? 'in the file' : `of the first ${formatCount(u.of)} rows`}${'fallbackOf' in u && u.fallbackOf && u.column ? ` (${u.column})` : ''}`;

/** The fields of the box, in order: what each is called and what a value left unmapped becomes. */
const FIELDS: ReadonlyArray<{ field: MapField; title: string; unmapped: (u: ValueToMap) => string }> = [
  ...VOCAB_FIELDS.map((f) => ({ field: f, title: `${f} (${VOCAB_SCALES[f].join(', ')}):`, unmapped: () => 'as given' })),
  { field: 'type', title: 'CI type, new to the registry:', unmapped: (u) => `new type ${'type' in u ? u.type : ''}` },
  { field: 'relType', title: 'relationship type, new to the registry:', unmapped: (u) => `new type ${'type' in u ? u.type : ''}` },
];

/** What the box's first line says is left to map: `2 criticality or status values are not on the registry’s scales; 1 type value makes a new type`. */
function leftText(left: readonly ValueToMap[]): string {
  const scale = left.filter((u) => u.field === 'criticality' || u.field === 'status').length;
  const types = left.length - scale;
  const parts = [
    ...(scale > 0 ? [`${scale} criticality or status value${scale === 1 ? ' is' : 's are'} not on the registry’s scales`] : []),
    ...(types > 0 ? [`${types} type value${types === 1 ? ' makes a new type' : 's make new types'} in the registry`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'Every value found is mapped';
}

/** What a value left unmapped becomes, for the kinds of value the box holds. */
function howText(values: readonly ValueToMap[]): string {
  const scale = values.some((u) => u.field === 'criticality' || u.field === 'status');
  const types = values.some((u) => u.field === 'type' || u.field === 'relType');
  const parts = [
    ...(scale ? ['a criticality or status left “as given” is imported as it is written and is not ranked'] : []),
    ...(types
      ? ['a type left “new type” is added to the registry, flagged for review (a new relationship type is read as a hard dependency)']
      : []),
  ];
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The file card's box: each value not on a scale, with a choice of scale value (or as given), and each type
 * value that makes a new type (the last dry run's), with a choice of the registry's types (or the new type).
 */
export function ValueMapper({
  types,
  values,
  maps,
  onMaps,
}: {
  /** The registry's types of the file's kind (useSuggestions, asked once per file card). */
  types: readonly string[];
  values: readonly ValueToMap[];
  maps: ValueMaps;
  onMaps: (m: ValueMaps) => void;
}) {
  if (values.length === 0) return null;
  const left = values.filter((u) => maps[MAP_KEY[u.field]]?.[u.value] === undefined);
  return (
    <div className="notice" role="group" aria-label="Values to map">
      <div>
        <b>{leftText(left)}</b>. {howText(values)} Choose what each means:
      </div>
      {FIELDS.map(({ field, title, unmapped }) => {
        const of = values.filter((u) => u.field === field);
        if (of.length === 0) return null;
        const key = MAP_KEY[field];
        const targets = field === 'type' || field === 'relType' ? types : VOCAB_SCALES[field];
        return (
          <div key={field} style={ROW}>
            <span className="muted">{title}</span>
            {of.map((u) => (
              <label key={u.value} style={ROW}>
                {toMapText(u)} →
                <select
                  className="input"
                  aria-label={`Map ${field} ${u.value}`}
                  value={maps[key]?.[u.value] ?? ''}
                  onChange={(e) => onMaps(withValueMap(maps, field, u.value, e.target.value || null))}
                >
                  <option value="">{unmapped(u)}</option>
                  {targets.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** A dry run's or an import's values stored as given, with their counts and how to map them. */
export function UnrecognisedNotice({ values, dryRun }: { values: readonly UnrecognisedValue[]; dryRun: boolean }) {
  if (values.length === 0) return null;
  return (
    <div className="notice" role="status" aria-label="Values not on the scale" data-testid="unrecognised-values">
      <b>
        {dryRun ? 'These values would be imported as given' : 'These values were imported as given'}: they are not on the registry’s scales.
      </b>
      {VOCAB_FIELDS.map((field) => {
        const of = values.filter((u) => u.field === field);
        if (of.length === 0) return null;
        return (
          <div key={field}>
            {field}: {of.map(valueText).join(', ')} (scale: {VOCAB_SCALES[field].join(', ')}).
          </div>
        );
      })}
      <div className="muted small">
        Map them in the file card’s “Values to map” box{dryRun ? '' : ' and import again'}, or with{' '}
        {VOCAB_FIELDS.filter((f) => values.some((u) => u.field === f))
          .map((f) => VALUE_MAP_KEY[f])
          .join(' and ')}{' '}
        in a mapping (see docs/import.md).
      </div>
    </div>
  );
}
