/**
 * Criticality and status values not on the registry's scales: the file
 * card's box that maps each onto a scale value (or leaves it as given), and
 * the notice a dry run or an import shows of those it stored as given.
 */
import type { UnrecognisedValue } from '../../../shared/domain.js';
import { VALUE_MAP_KEY, VOCAB_FIELDS, VOCAB_SCALES } from '../../../shared/import-vocab.js';
import { formatCount } from '../ui/common.js';
import { type ValueMaps, withValueMap } from './wizard.js';

/** A row of choices (inline: the wizard's stylesheet has no rule for this box). */
const ROW = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, marginTop: 4 } as const;

/** `'Gold' × 120`, and where a status came from the column read where the status column is empty: `(install_status)`. */
const valueText = (u: UnrecognisedValue) => `‘${u.value}’ × ${formatCount(u.count)}${u.fallbackOf && u.column ? ` (${u.column})` : ''}`;

/** The file card's box: each value not on a scale, with a choice of scale value (or as given). */
export function ValueMapper({
  values,
  maps,
  onMaps,
}: {
  values: readonly UnrecognisedValue[];
  maps: ValueMaps;
  onMaps: (m: ValueMaps) => void;
}) {
  if (values.length === 0) return null;
  const unmapped = values.filter((u) => maps[VALUE_MAP_KEY[u.field]]?.[u.value] === undefined).length;
  return (
    <div className="notice" role="group" aria-label="Values not on the scale">
      <div>
        <b>
          {unmapped > 0
            ? `${unmapped} criticality or status value${unmapped === 1 ? ' is' : 's are'} not on the registry’s scales`
            : 'Every value found is mapped onto the scales'}
        </b>{' '}
        (counted in the rows shown and the last dry run). A value left “as given” is imported as it is written and is not ranked; choose
        what each means:
      </div>
      {VOCAB_FIELDS.map((field) => {
        const of = values.filter((u) => u.field === field);
        if (of.length === 0) return null;
        const key = VALUE_MAP_KEY[field];
        return (
          <div key={field} style={ROW}>
            <span className="muted">
              {field} ({VOCAB_SCALES[field].join(', ')}):
            </span>
            {of.map((u) => (
              <label key={u.value} style={ROW}>
                {valueText(u)} →
                <select
                  className="input"
                  aria-label={`Map ${field} ${u.value}`}
                  value={maps[key]?.[u.value] ?? ''}
                  onChange={(e) => onMaps(withValueMap(maps, field, u.value, e.target.value || null))}
                >
                  <option value="">as given</option>
                  {VOCAB_SCALES[field].map((s) => (
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
        Map them in the file card’s “values not on the scale” box{dryRun ? '' : ' and import again'}, or with{' '}
        {VOCAB_FIELDS.filter((f) => values.some((u) => u.field === f))
          .map((f) => VALUE_MAP_KEY[f])
          .join(' and ')}{' '}
        in a mapping (see docs/import.md).
      </div>
    </div>
  );
}
