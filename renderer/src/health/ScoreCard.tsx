/** The health score, big, with its three parts (completeness, correctness, compliance) as bars. */
import { findingsBySeverity, findingsText, HEALTH_PARTS, type HealthReport, scoreBasisText } from '../../../shared/health.js';
import { formatCountOf } from '../../../shared/format.js';
import { scoreCardTone, scoreTone } from './model.js';

const PART_LABEL = { completeness: 'Completeness', correctness: 'Correctness', compliance: 'Compliance' } as const;

export function ScoreCard({ report }: { report: HealthReport }) {
  const errors = findingsBySeverity(report.rules).error;
  const tone = scoreCardTone(report.score, errors);
  const basis = scoreBasisText(report);
  return (
    <section className="card health-score" aria-label="Health score">
      <div className="health-score-head">
        <div className={`health-score-big ${tone}`} data-testid="health-score" aria-label={`Score ${report.score} of 100`}>
          {report.score}
        </div>
        <div className="muted small">
          of 100, over {formatCountOf(report.cis, 'CI', 'CIs')} and {formatCountOf(report.relationships, 'relationship', 'relationships')}
          {report.rulesFile ? (
            <>
              {' '}
              · rules from <span className="mono">{report.rulesFile.split(/[\\/]/).pop()}</span>
            </>
          ) : (
            ' · default rules'
          )}
        </div>
      </div>
      <div className={`health-score-findings${errors > 0 ? ' has-errors' : ''}`} data-testid="health-findings">
        {findingsText(report.rules)}
      </div>
      {basis && (
        <p className="muted small" data-testid="health-score-basis">
          {basis}
        </p>
      )}
      {report.warnings.map((w) => (
        <div key={w} className="notice" role="note">
          Rules: {w}
        </div>
      ))}
      <dl className="health-parts">
        {HEALTH_PARTS.map((p) => {
          const v = report.parts[p];
          return (
            <div key={p} className="health-part" data-testid={`health-part-${p}`}>
              <dt>{PART_LABEL[p]}</dt>
              <dd>
                <span className="bar" aria-hidden="true">
                  <span className={scoreTone(v)} style={{ width: `${Math.max(0, Math.min(100, v))}%` }} />
                </span>
                <b>{v}</b>
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
