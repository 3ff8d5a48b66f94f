/** Why one CI is impacted: its explanation path, step by step (CI -> relationship -> CI ...). */
import type { RelType } from '../../../shared/domain.js';
import type { ImpactCi } from '../../../shared/impact.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { TypeDot } from '../ui/common.js';
import { stateOf, stepReason, stepSentence } from './model.js';
import { StatePill } from './ResultsTable.js';

export function PathSteps({
  ci,
  byKey,
  relTypes,
  upstream,
  onOpen,
}: {
  ci: ImpactCi;
  byKey: ReadonlyMap<string, ImpactCi>;
  relTypes: ReadonlyMap<string, RelType>;
  upstream: boolean;
  onOpen: (key: string) => void;
}) {
  const state = stateOf(ci);
  const stateAt = (i: number) => {
    const c = byKey.get(ci.path[i]!.key);
    return c ? stateOf(c) : null;
  };
  const reasonAt = (i: number) => stepReason(stateAt(i - 1), stateAt(i), relTypes.get(ci.path[i]!.rel ?? '')?.strength);
  return (
    <section className="path-steps" aria-label="Explanation path">
      <h3>
        Why {ci.name} is {state === 'changed' ? 'in the change' : upstream ? `needed (${ci.state})` : ci.state}
      </h3>
      {ci.path.length <= 1 ? (
        <p className="muted">It is one of the changed CIs: its planned outage is the change itself.</p>
      ) : (
        <ol data-testid="path-steps">
          {ci.path.map((step, i) => {
            const hit = byKey.get(step.key);
            return (
              <li key={`${step.key}-${i}`}>
                {i > 0 && (
                  <div className="via">
                    <span className="rel mono">{step.rel}</span>
                    <span className="muted">{stepSentence(ci.path[i - 1]!, step, relTypes, upstream)}</span>
                    {!upstream && reasonAt(i) && <span className={`reason ${hit ? stateOf(hit) : ''}`}>{reasonAt(i)}</span>}
                  </div>
                )}
                <button type="button" className="step" onClick={() => onOpen(step.key)} title="Open in Browse">
                  <TypeDot type={step.type} />
                  <span className="nm">{step.name}</span>
                  <span className="sub muted">
                    <span className="mono">{step.key}</span> · {ciTypeLabel(step.type)}
                  </span>
                  {hit && <StatePill state={stateOf(hit)} />}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
