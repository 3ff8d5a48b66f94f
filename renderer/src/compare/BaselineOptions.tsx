/**
 * How a baseline reads in a select (the Compare screen's points, a saved
 * change's "Compare with a baseline"): by its name alone, which fits the
 * side column where the name and its date did not (cut to "before-cab ·
 * Dec 6, 202"; found by a CAB chair); when it was saved in a tooltip, and
 * in the comparison's own heading.
 */
import type { Baseline } from '../../../shared/baseline.js';
import { formatTime } from '../ui/common.js';
import { newestFirst } from './model.js';

/** A baseline's name and when it was saved, in words: the select's tooltip, whole however long the name. */
export function baselineTitle(b: Baseline): string {
  return `${b.name} · saved ${formatTime(b.createdAt)}`;
}

/** The baselines as options, newest first, each by its name. */
export function BaselineOptions({ baselines }: { baselines: readonly Baseline[] }) {
  return newestFirst(baselines).map((b) => (
    <option key={b.name} value={b.name} title={baselineTitle(b)}>
      {b.name}
    </option>
  ));
}
