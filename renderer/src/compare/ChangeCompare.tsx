/**
 * A saved change against a baseline: pick one, and see how the change's
 * blast radius now differs from the same change asked of that baseline
 * (newly impacted, no longer impacted, state changed), as the engine answers.
 */
import { useState } from 'react';
import type { ChangeDetail } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatTime, useAsync } from '../ui/common.js';
import { diffErrorNext, impactCompareSections, newestFirst } from './model.js';

/** Items named per list; the counts cover all. */
const SHOWN = 20;

function Result({ detail, onOpen }: { detail: ChangeDetail; onOpen: (key: string) => void }) {
  const c = detail.compare!;
  const names = new Map(detail.current.impacted.map((x) => [x.key, x.name]));
  const impactedNow = new Set(names.keys());
  const sections = impactCompareSections(c, names);
  return (
    <div className="lists" role="status" aria-label="Compared with the baseline">
      <span className="muted">
        Now against {c.baseline} ({formatTime(c.baselineAt)}):
      </span>
      {sections.length === 0 && <span>The blast radius is the same as in {c.baseline}.</span>}
      {sections.map((s) => (
        <div key={s.id} data-testid={`baseline-${s.id}`}>
          <strong>
            {s.label} ({s.items.length}):
          </strong>{' '}
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

/** The “Compare with a baseline” part of an open saved change. */
export function ChangeCompare({ changeId, onOpen }: { changeId: number; onOpen: (key: string) => void }) {
  const [list] = useAsync(() => cmdb.listBaselines({}), []);
  const [name, setName] = useState('');
  const [result] = useAsync(() => (name ? cmdb.getChange({ id: changeId, compare: name }) : Promise.resolve(null)), [changeId, name]);
  const baselines = list.data ? newestFirst(list.data.baselines) : [];
  return (
    <section className="change-compare" aria-label="Compare with a baseline">
      <h3>Compare with a baseline</h3>
      {list.status === 'error' ? (
        <ErrorBox error={list.error} title="The baselines could not be listed" />
      ) : list.data && baselines.length === 0 ? (
        <p className="muted small">No baseline saved yet: save one on the Compare screen.</p>
      ) : (
        <select className="input" value={name} onChange={(e) => setName(e.target.value)} aria-label="Baseline to compare with">
          <option value="">Pick a baseline…</option>
          {baselines.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name} · {formatTime(b.createdAt)}
            </option>
          ))}
        </select>
      )}
      {name !== '' && result.status === 'loading' && <span className="muted small">Comparing…</span>}
      {result.status === 'error' && <ErrorBox error={result.error} title="The change could not be compared" next={diffErrorNext} />}
      {result.status === 'ok' && result.data?.compare && <Result detail={result.data} onOpen={onOpen} />}
    </section>
  );
}
