/** The two points compared: each a baseline or now, with a swap; an unknown name from the address stays visible as such. */
import { NOW, type Baseline } from '../../../shared/baseline.js';
import { formatTime } from '../ui/common.js';
import { newestFirst } from './model.js';

function PointSelect({
  label,
  value,
  baselines,
  onChange,
}: {
  label: string;
  value: string;
  baselines: readonly Baseline[];
  onChange: (v: string) => void;
}) {
  const known = value === NOW || baselines.some((b) => b.name === value);
  return (
    <label className="field">
      <span>{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {!known && <option value={value}>{value} (no such baseline)</option>}
        {newestFirst(baselines).map((b) => (
          <option key={b.name} value={b.name}>
            {b.name} · {formatTime(b.createdAt)}
          </option>
        ))}
        <option value={NOW}>Now (the live CMDB)</option>
      </select>
    </label>
  );
}

export function Points({
  from,
  to,
  baselines,
  onChange,
}: {
  from: string;
  to: string;
  baselines: readonly Baseline[];
  onChange: (from: string, to: string) => void;
}) {
  return (
    <div className="compare-points" role="group" aria-label="Points compared">
      <PointSelect label="From" value={from} baselines={baselines} onChange={(v) => onChange(v, to)} />
      <button
        type="button"
        className="btn icon ghost swap"
        onClick={() => onChange(to, from)}
        aria-label="Swap the points"
        title="Swap the points"
      >
        ⇄
      </button>
      <PointSelect label="To" value={to} baselines={baselines} onChange={(v) => onChange(from, v)} />
    </div>
  );
}
