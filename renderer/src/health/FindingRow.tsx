/** One finding: its severity and rule, what to do, its CIs (each opens in Browse), and the fix it offers. */
import type { HealthFinding } from '../../../shared/health.js';
import { formatCount } from '../../../shared/format.js';
import { QuickFix } from './QuickFix.js';
import { UnifyValues } from './UnifyValues.js';
import { SEVERITY_TONE } from './model.js';

/** Keys shown as links; a finding naming more (a type's or a spelling's every CI) says how many more. */
const KEYS_SHOWN = 50;

export interface FindingActions {
  onOpenCi: (key: string) => void;
  onEdit: (key: string) => void;
  onMerge: (f: HealthFinding) => void;
  onFixed: () => void;
}

export function FindingRow({ f, actions }: { f: HealthFinding; actions: FindingActions }) {
  const single = f.keys.length === 1 ? f.keys[0]! : null;
  return (
    <article className="health-finding" data-rule={f.rule} aria-label={`${f.rule}: ${f.keys.join(', ')}`}>
      <div className="head">
        <span className={`pill ${SEVERITY_TONE[f.severity]}`}>{f.severity}</span>
        <span className="mono muted">{f.rule}</span>
      </div>
      <p className="msg">{f.message}</p>
      <div className="keys">
        {f.keys.slice(0, KEYS_SHOWN).map((k, i) => (
          <button
            key={`${k}-${i}`}
            type="button"
            className="linkish mono"
            title={`Open ${k} in Browse`}
            aria-label={`Open ${k}`}
            onClick={() => actions.onOpenCi(k)}
          >
            {k}
          </button>
        ))}
        {f.keys.length > KEYS_SHOWN && <span className="muted">and {formatCount(f.keys.length - KEYS_SHOWN)} more</span>}
      </div>
      <div className="actions">
        {single && f.rule === 'missing-owner' && <QuickFix ciKey={single} field="owner" onFixed={actions.onFixed} />}
        {single && f.rule === 'missing-criticality' && <QuickFix ciKey={single} field="criticality" onFixed={actions.onFixed} />}
        {f.variants && <UnifyValues variants={f.variants} onFixed={actions.onFixed} />}
        {f.rule === 'duplicate' && f.keys.length > 1 && (
          <button type="button" className="btn small primary" onClick={() => actions.onMerge(f)}>
            Merge…
          </button>
        )}
        {f.keys.length > 0 && (
          <button type="button" className="btn small" onClick={() => actions.onEdit(f.keys[0]!)} aria-label={`Edit ${f.keys[0]}`}>
            {single ? 'Edit…' : `Edit ${f.keys[0]}…`}
          </button>
        )}
      </div>
    </article>
  );
}
