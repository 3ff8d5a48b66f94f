/**
 * Why one CI is impacted: its explanation path, step by step (CI ->
 * relationship -> CI ...), each step in words the way its relationship runs
 * and with the engine's reason (shared/explain.ts): nothing is inferred here.
 */
import { useMemo } from 'react';
import type { RelType } from '../../../shared/domain.js';
import type { ImpactHealth } from '../../../shared/health.js';
import type { ImpactCi, ImpactDirection } from '../../../shared/impact.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { ciNamer, type CiNamer, type NamedCi } from '../../../shared/ci-label.js';
import { stateText, stepArrow, stepSentence, upMemberKeys, whyText } from '../../../shared/explain.js';
import { cmdb } from '../api.js';
import { TypeDot, useAsync } from '../ui/common.js';
import { HealthBadge } from './HealthPanel.js';
import { stateOf } from './model.js';
import { StatePill } from './ResultsTable.js';

export function PathSteps({
  ci,
  byKey,
  relTypes,
  direction,
  onOpen,
  health,
}: {
  ci: ImpactCi;
  byKey: ReadonlyMap<string, ImpactCi>;
  relTypes: ReadonlyMap<string, RelType>;
  direction: ImpactDirection;
  onOpen: (key: string) => void;
  /** Data-quality rules per CI key: a badge on each step that has any. */
  health: ImpactHealth['byKey'] | undefined;
}) {
  const label = (rel: string) => relTypes.get(rel)?.label;
  const names = useStepNames(ci, byKey);
  const state = stateText(ci.state, ci.changed, direction);
  return (
    <section className="path-steps" aria-label="Explanation path">
      <h3>
        {ci.changed
          ? `Why ${ci.name} is in the change`
          : direction === 'upstream'
            ? `Why ${ci.name} is a ${state}`
            : `Why ${ci.name} is ${state}`}
      </h3>
      {ci.path.length <= 1 ? (
        <p className="muted">It is one of the changed CIs: its planned outage is the change itself.</p>
      ) : (
        <ol data-testid="path-steps">
          {ci.path.map((step, i) => {
            const hit = byKey.get(step.key);
            // The engine gives each step's state; a listed CI's (or an older answer's) is read from the list.
            const state = hit ? stateOf(hit) : step.state;
            return (
              <li key={`${step.key}-${i}`}>
                {i > 0 && (
                  <div className="via">
                    <span className="rel mono" title={stepArrow(step)}>
                      {step.rel}
                    </span>
                    <span className="muted">{stepSentence(ci.path[i - 1]!, step, label)}</span>
                    {step.why && (
                      <span className={`reason ${state ?? ''}`} data-testid="step-why">
                        {whyText(step.why, direction, names)}
                      </span>
                    )}
                  </div>
                )}
                <button type="button" className="step" onClick={() => onOpen(step.key)} title="Open in Browse">
                  <TypeDot type={step.type} />
                  <span className="nm">{step.name}</span>
                  <span className="sub muted">
                    <bdi className="mono">{step.key}</bdi> · {ciTypeLabel(step.type)}
                  </span>
                  <HealthBadge rules={health?.[step.key]} />
                  {state && <StatePill state={state} direction={direction} />}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/**
 * How the path's reasons name CIs (shared/explain.ts `CiNamer.step`): the
 * members a redundancy group still has up are not impacted, so the answer
 * gives only their keys (a ServiceNow sys_id, say); their names are asked of
 * the engine. A key it no longer knows reads as itself.
 */
function useStepNames(ci: ImpactCi, byKey: ReadonlyMap<string, ImpactCi>): CiNamer {
  const missing = useMemo(() => upMemberKeys([ci]).filter((k) => !byKey.has(k)), [ci, byKey]);
  const [looked] = useAsync(async (): Promise<NamedCi[]> => {
    if (missing.length === 0) return [];
    const r = await cmdb.resolveCis({ refs: missing }).catch(() => null);
    return r ? r.cis.filter((c) => c.matchedBy === 'key') : [];
  }, [missing.join('\n')]);
  return useMemo(() => ciNamer([...byKey.values(), ...ci.path, ...(looked.data ?? [])]), [byKey, ci, looked.data]);
}
