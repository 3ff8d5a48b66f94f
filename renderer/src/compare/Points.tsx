/** The two points compared: each a baseline or now, with a swap; an unknown name from the address stays visible as such. */
import { NOW, type Baseline } from '../../../shared/baseline.js';
import { BaselineOptions, baselineTitle } from './BaselineOptions.js';

function PointSelect({
  label,
  value,
  baselines,
  listing,
  onChange,
}: {
  label: string;
  value: string;
  baselines: readonly Baseline[];
  listing: boolean;
  onChange: (v: string) => void;
}) {
  const chosen = baselines.find((b) => b.name === value);
  const known = value === NOW || chosen !== undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <select
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-label={label}
        title={chosen ? baselineTitle(chosen) : value === NOW ? undefined : value}
      >
        {/* While the list is read again (a baseline just saved), a name not in it yet is not called missing. */}
        {!known && (
          <option value={value}>
            {value}
            {listing ? '' : ' (no such baseline)'}
          </option>
        )}
        <BaselineOptions baselines={baselines} />
        <option value={NOW}>Now (the live CMDB)</option>
      </select>
    </label>
  );
}

export function Points({
  from,
  to,
  baselines,
  listing,
  onChange,
}: {
  from: string;
  to: string;
  baselines: readonly Baseline[];
  /** The baselines are being read again: a point not among them may be one just saved. */
  listing: boolean;
  onChange: (from: string, to: string) => void;
}) {
  return (
    <div className="compare-points" role="group" aria-label="Points compared">
      <PointSelect label="From" value={from} baselines={baselines} listing={listing} onChange={(v) => onChange(v, to)} />
      <button
        type="button"
        className="btn icon ghost swap"
        onClick={() => onChange(to, from)}
        aria-label="Swap the points"
        title="Swap the points"
      >
        ⇄
      </button>
      <PointSelect label="To" value={to} baselines={baselines} listing={listing} onChange={(v) => onChange(from, v)} />
    </div>
  );
}
