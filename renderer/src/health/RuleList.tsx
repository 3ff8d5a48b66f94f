/** Every rule with its count and severity, the one whose findings are listed pressed; a disabled rule shown as such. */
import type { HealthRuleId, HealthRuleSummary } from '../../../shared/health.js';
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { SEVERITY_TONE } from './model.js';

export function RuleList({
  rules,
  selected,
  onSelect,
}: {
  rules: HealthRuleSummary[];
  selected: HealthRuleId | null;
  onSelect: (rule: HealthRuleId | null) => void;
}) {
  return (
    <section className="card" aria-label="Rules">
      <h2>Rules</h2>
      <ul className="health-rules">
        {rules.map((r) => (
          <li key={r.rule}>
            <button
              type="button"
              className={`health-rule${r.enabled ? '' : ' off'}${r.findings === 0 ? ' clean' : ''}`}
              aria-pressed={selected === r.rule}
              disabled={!r.enabled}
              data-rule={r.rule}
              title={r.enabled ? `${r.label}: show the findings` : `${r.label}: disabled by the rules file`}
              onClick={() => onSelect(selected === r.rule ? null : r.rule)}
            >
              <span className="nm">{r.label}</span>
              <span className="count" data-testid={`rule-count-${r.rule}`}>
                {r.enabled ? formatCount(r.findings) : '—'}
              </span>
              <span className="meta">
                <span className="mono">{r.rule}</span>
                {r.enabled ? (
                  <span className={`pill ${SEVERITY_TONE[r.severity]}`}>{r.severity}</span>
                ) : (
                  <span className="pill">disabled</span>
                )}
                {r.enabled && r.cis !== r.findings && <span>{formatCountOf(r.cis, 'CI', 'CIs')}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
