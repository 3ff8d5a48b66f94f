/** The impact at a glance: risk, counts, business services hit, and who to notify. */
import type { ImpactResult, RiskLevel } from '../../../shared/impact.js';
import { formatCount } from '../ui/common.js';

export function RiskBadge({ level }: { level: RiskLevel }) {
  return (
    <span className={`risk risk-${level}`} data-testid="risk">
      {level === 'none' ? 'No risk' : `${level} risk`}
    </span>
  );
}

export function Summary({ result, onOpen }: { result: ImpactResult; onOpen: (key: string) => void }) {
  const c = result.counts;
  const bs = result.businessServices;
  const owners = result.owners.filter((o) => o.down + o.degraded > 0);
  return (
    <section className="impact-summary" aria-label="Impact summary">
      <div className="cell risk-cell">
        <RiskBadge level={result.risk.level} />
        {result.risk.reasons.length > 0 && (
          <ul className="reasons">
            {result.risk.reasons.slice(0, 2).map((r) => (
              <li key={r}>{r}</li>
            ))}
            {result.risk.reasons.length > 2 && <li className="muted">and {result.risk.reasons.length - 2} more reasons</li>}
          </ul>
        )}
      </div>
      <div className="cell counts">
        <div>
          <b className="down-text" data-testid="count-down">
            {formatCount(c.down)}
          </b>
          <span>down</span>
        </div>
        <div>
          <b className="degraded-text" data-testid="count-degraded">
            {formatCount(c.degraded)}
          </b>
          <span>degraded</span>
        </div>
        <div>
          <b>{formatCount(bs.length)}</b>
          <span>business services</span>
        </div>
      </div>
      <div className="cell" aria-label="Business services impacted">
        <h3>Business services</h3>
        {bs.length === 0 ? (
          <span className="muted">None impacted</span>
        ) : (
          <div className="chips">
            {bs.slice(0, 5).map((b) => (
              <button
                key={b.key}
                type="button"
                className={`svc ${b.state}`}
                onClick={() => onOpen(b.key)}
                title={`${b.name} (${b.key}) is ${b.state}; owner ${b.owner ?? 'unknown'}`}
              >
                {b.name} <small>{b.state}</small>
              </button>
            ))}
            {bs.length > 5 && <span className="muted small">+{bs.length - 5} more (filter the table by type)</span>}
          </div>
        )}
      </div>
      <div className="cell" aria-label="Owners to notify">
        <h3>Notify</h3>
        {owners.length === 0 ? (
          <span className="muted">Nobody</span>
        ) : (
          <ul className="owners">
            {owners.slice(0, 5).map((o) => (
              <li key={o.owner ?? '∅'}>
                <span title={o.owner ?? 'CIs with no owner'}>{o.owner ?? 'CIs with no owner'}</span>
                <span className="muted">
                  {o.down > 0 && <span className="down-text">{formatCount(o.down)} down</span>}
                  {o.down > 0 && o.degraded > 0 && ' · '}
                  {o.degraded > 0 && <span className="degraded-text">{formatCount(o.degraded)} degraded</span>}
                </span>
              </li>
            ))}
            {owners.length > 5 && <li className="muted">and {owners.length - 5} more teams</li>}
          </ul>
        )}
      </div>
    </section>
  );
}
