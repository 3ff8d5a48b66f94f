/**
 * A saved change against a baseline: pick one in the change's side card, and
 * see in the main area, over the answer, how the change's blast radius now
 * differs from the same change asked of that baseline (newly impacted, no
 * longer impacted, state changed), as the engine answers. The answer was
 * small print under the picker, where nobody looked for it (found by a CAB
 * chair).
 */
import { useState } from 'react';
import type { ChangeDetail } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatTime, useAsync } from '../ui/common.js';
import { BaselineOptions, baselineTitle } from './BaselineOptions.js';
import { diffErrorNext, impactCompareSections } from './model.js';

/** Items named per list; the counts cover all. */
const SHOWN = 20;

/** The open change's comparison with a baseline: the baselines to pick from, the one picked ('' none) and the engine's answer. */
export function useChangeCompare(changeId: number | null) {
  const [list] = useAsync(() => (changeId === null ? Promise.resolve(null) : cmdb.listBaselines({})), [changeId]);
  // The baseline picked for one change: another change opened starts unpicked.
  const [picked, setPicked] = useState<{ changeId: number; name: string } | null>(null);
  const name = picked && picked.changeId === changeId ? picked.name : '';
  const [result] = useAsync(
    () => (changeId !== null && name ? cmdb.getChange({ id: changeId, compare: name }) : Promise.resolve(null)),
    [changeId, name],
  );
  const setName = (n: string) => {
    if (changeId !== null) setPicked({ changeId, name: n });
  };
  return { list, name, setName, result };
}

export type ChangeCompareState = ReturnType<typeof useChangeCompare>;

function Result({ detail, onOpen }: { detail: ChangeDetail; onOpen: (key: string) => void }) {
  const c = detail.compare!;
  const names = new Map(detail.current.impacted.map((x) => [x.key, x.name]));
  const impactedNow = new Set(names.keys());
  const sections = impactCompareSections(c, names);
  return (
    <div className={sections.length === 0 ? 'diff same' : 'diff'} role="status" aria-label="Compared with the baseline">
      <strong>
        Now against {c.baseline} ({formatTime(c.baselineAt)}):
      </strong>
      {sections.length === 0 && <span>The blast radius is the same as in {c.baseline}.</span>}
      {sections.map((s) => (
        <div key={s.id} data-testid={`baseline-${s.id}`}>
          {s.label} ({s.items.length}):{' '}
          {s.items.slice(0, SHOWN).map((it) => (
            <span key={it.key} className="diff-item">
              {impactedNow.has(it.key) ? (
                <button type="button" className="linkbtn" onClick={() => onOpen(it.key)} title={it.key}>
                  {it.name ?? it.key}
                </button>
              ) : (
                <span className="mono" title={it.key}>
                  {it.name ?? it.key}
                </span>
              )}{' '}
              <small>{it.note}</small>
            </span>
          ))}
          {s.items.length > SHOWN && <span className="muted"> and {s.items.length - SHOWN} more</span>}
        </div>
      ))}
      {c.missingKeys.length > 0 && (
        <div>
          Changed CIs not in {c.baseline}:{' '}
          {c.missingKeys.map((k) => (
            <code key={k}>{k} </code>
          ))}
        </div>
      )}
    </div>
  );
}

/** The “Compare with a baseline” picker of an open saved change, in its side card. */
export function ChangeCompare({ c }: { c: ChangeCompareState }) {
  const baselines = c.list.data?.baselines ?? [];
  const chosen = baselines.find((b) => b.name === c.name);
  return (
    <section className="change-compare" aria-label="Compare with a baseline">
      <h3>Compare with a baseline</h3>
      {c.list.status === 'error' ? (
        <ErrorBox error={c.list.error} title="The baselines could not be listed" />
      ) : c.list.data && baselines.length === 0 ? (
        <p className="muted small">No baseline saved yet: save one on the Compare screen.</p>
      ) : (
        <select
          className="input"
          value={c.name}
          onChange={(e) => c.setName(e.target.value)}
          aria-label="Baseline to compare with"
          title={chosen ? baselineTitle(chosen) : undefined}
        >
          <option value="">Pick a baseline…</option>
          <BaselineOptions baselines={baselines} />
        </select>
      )}
    </section>
  );
}

/** The comparison picked, over the answer in the main area: while it is made, why it failed, or what differs. */
export function ChangeCompareResult({ c, onOpen }: { c: ChangeCompareState; onOpen: (key: string) => void }) {
  if (c.name === '') return null;
  if (c.result.status === 'error') return <ErrorBox error={c.result.error} title="The change could not be compared" next={diffErrorNext} />;
  if (c.result.status === 'loading')
    return (
      <div className="diff same muted" role="status" aria-label="Comparing with the baseline">
        Comparing with {c.name}…
      </div>
    );
  return c.result.data?.compare ? <Result detail={c.result.data} onOpen={onOpen} /> : null;
}
