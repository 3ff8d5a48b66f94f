/**
 * The impact at a glance. Downstream: risk (the engine's reasons, the most
 * critical business services first), and the changed CIs counted apart from
 * what goes down or is degraded because of them. Upstream: the dependencies
 * and the single points of failure among them, no risk (nothing breaks).
 * Under both, the relationships of the changed CIs it did not follow (of
 * strength none, or of types not asked for), and the data-quality notes:
 * which parts of the answer to doubt.
 */
import type { ImpactRequest, ImpactResult, RiskLevel } from '../../../shared/impact.js';
import { unfollowedText, unknownRiskText } from '../../../shared/explain.js';
import { riskCouldReach } from '../../../shared/risk.js';
import { useState } from 'react';
import { formatCount } from '../../../shared/format.js';
import { ExportImpact } from './ExportImpact.js';
import { HealthPanel } from './HealthPanel.js';
import { notifyEntries } from './notify.js';

export function RiskBadge({ level }: { level: RiskLevel }) {
  return (
    <span className={`risk risk-${level}`} data-testid="risk">
      {level === 'none' ? 'No risk' : `${level} risk`}
    </span>
  );
}

function Count({ n, label, id, cls }: { n: number; label: string; id: string; cls?: string }) {
  return (
    <div>
      <b className={cls} data-testid={id}>
        {formatCount(n)}
      </b>
      <span>{label}</span>
    </div>
  );
}

const REASONS_SHOWN = 3;

function RiskCell({ result }: { result: ImpactResult }) {
  const { reasons, unknown } = result.risk;
  const couldReach = riskCouldReach(result.risk);
  const [all, setAll] = useState(false);
  // Not counted here: the engine's last reason may itself stand for many CIs ("and 16 more impacted CIs ...").
  const shown = all ? reasons : reasons.slice(0, REASONS_SHOWN);
  return (
    <div className="cell risk-cell">
      <RiskBadge level={result.risk.level} />
      {reasons.length > 0 && (
        <ul className={`reasons${all ? ' all' : ''}`} aria-label="Risk reasons" id="risk-reasons">
          {shown.map((r) => (
            <li key={r} title={r}>
              {r}
            </li>
          ))}
        </ul>
      )}
      {reasons.length > REASONS_SHOWN && (
        <button type="button" className="linkish small" aria-expanded={all} aria-controls="risk-reasons" onClick={() => setAll(!all)}>
          {all ? 'Show fewer reasons' : 'Show more reasons'}
        </button>
      )}
      {/* The reasons already say which CIs have no known criticality; this line says only how high that could take the risk. */}
      {couldReach && (
        <span className="muted small risk-unknown" data-testid="risk-unknown" title={unknown ? unknownRiskText(unknown) : undefined}>
          <strong>Could be up to {couldReach.toUpperCase()}</strong> with the criticality of those CIs known.
        </span>
      )}
    </div>
  );
}

export function Summary({ result, request }: { result: ImpactResult; request: ImpactRequest | null }) {
  const c = result.counts;
  const upstream = result.direction === 'upstream';
  const unfollowed = unfollowedText(result);
  return (
    <section className={`impact-summary ${upstream ? 'upstream' : ''}`} aria-label="Impact summary">
      {!upstream && <RiskCell result={result} />}
      <div className="cell counts">
        {upstream ? (
          <>
            <Count
              n={result.singlePoints?.length ?? c.down}
              label="single points of failure"
              id="count-single"
              cls={(result.singlePoints?.length ?? c.down) > 0 ? 'down-text' : undefined}
            />
            <Count n={c.total} label="dependencies" id="count-dependencies" />
          </>
        ) : (
          <>
            <Count n={c.changed ?? 0} label="changed" id="count-changed" cls="changed-text" />
            <Count n={c.down} label="down" id="count-down" cls="down-text" />
            <Count n={c.degraded} label="degraded" id="count-degraded" cls="degraded-text" />
            <Count n={result.businessServices.length} label="services" id="count-services" />
            <Count n={notifyEntries(result).length} label="to notify" id="count-teams" />
          </>
        )}
      </div>
      {request && (
        <div className="cell export-cell">
          <ExportImpact request={request} />
        </div>
      )}
      {/* A switch linked only by "connects to" breaks nothing: said so, not left as an empty answer. */}
      {unfollowed && (
        <p className="unfollowed muted small" data-testid="unfollowed">
          {unfollowed}
        </p>
      )}
      <HealthPanel health={result.health} />
    </section>
  );
}
