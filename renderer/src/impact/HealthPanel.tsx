/**
 * Health of a change on the Impact screen: the engine's data-quality notes
 * (which parts of the answer to doubt) under the risk, and a small badge on
 * each impacted CI and path step with findings, the rules in its title and
 * accessible name. The notes and the rules are the engine's
 * (electron/cmdb/health/on-impact.ts); nothing is judged here.
 */
import { useState } from 'react';
import type { HealthRuleId, ImpactHealth } from '../../../shared/health.js';
import { rulesInWords } from '../../../shared/health-phrases.js';
import { formatCount } from '../../../shared/format.js';

const NOTES_SHOWN = 3;

/** The notes, the first few shown and the rest a click away; nothing for an answer saved before health existed. */
export function HealthPanel({ health }: { health: ImpactHealth | undefined }) {
  const [all, setAll] = useState(false);
  if (!health) return null;
  const clean = health.notes.length === 0;
  const notes = all ? health.notes : health.notes.slice(0, NOTES_SHOWN);
  return (
    <section className={`health-panel ${clean ? 'clean' : ''}`} aria-label="Data quality" data-testid="impact-health">
      <h3>Data quality</h3>
      {clean ? (
        <p className="muted">No findings on the impacted CIs or on their paths.</p>
      ) : (
        <ul>
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
          {health.notes.length > NOTES_SHOWN && (
            <li>
              <button type="button" className="linkish" onClick={() => setAll((v) => !v)}>
                {all ? 'Fewer' : `${formatCount(health.notes.length - NOTES_SHOWN)} more`}
              </button>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

/** A CI's data-quality findings as a small badge; nothing when it has none. */
export function HealthBadge({ rules }: { rules: readonly HealthRuleId[] | undefined }) {
  if (!rules || rules.length === 0) return null;
  const words = `Data quality: ${rulesInWords(rules)}`;
  return (
    <span className="health-badge" role="img" title={words} aria-label={words} data-testid="health-badge">
      !{rules.length > 1 ? rules.length : ''}
    </span>
  );
}
