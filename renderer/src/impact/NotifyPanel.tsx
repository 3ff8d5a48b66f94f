/**
 * Who to notify: every team the engine named in a contact field, with its
 * changed, down and degraded CIs, each expandable to the keys; a team's line
 * or all of them copied as "team: key1, key2" text for a message.
 */
import { useState } from 'react';
import { noContactText } from '../../../shared/explain.js';
import { type NoContact, type NotifyEntry, notifyFieldsText } from '../../../shared/impact.js';
import { copyText } from '../ui/clipboard.js';
import { formatCount } from '../../../shared/format.js';
import { notifyAllText, notifyLine } from './notify.js';

const PAGE = 100;

function CopyButton({ text, label, title }: { text: string; label: string; title: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="btn small"
      title={done === 'failed' ? 'The browser did not allow copying' : title}
      onClick={() =>
        void copyText(text).then(
          () => setDone('copied'),
          () => setDone('failed'),
        )
      }
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : label}
    </button>
  );
}

function Entry({ e, onPick }: { e: NotifyEntry; onPick: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="notify-entry" data-team={e.team}>
      <div className="notify-head">
        <button type="button" className="btn ghost small expand" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} <span className="team">{e.team}</span>
        </button>
        {notifyFieldsText(e) !== 'owner' && <span className="field muted mono">{notifyFieldsText(e)}</span>}
        <span className="notify-counts">
          {(e.changed ?? 0) > 0 && <span className="changed-text">{formatCount(e.changed)} changed</span>}
          {e.down > 0 && <span className="down-text">{formatCount(e.down)} down</span>}
          {e.degraded > 0 && <span className="degraded-text">{formatCount(e.degraded)} degraded</span>}
        </span>
        <CopyButton text={notifyLine(e)} label="Copy" title={`Copy “${e.team}: ” and its CI keys`} />
      </div>
      {open && (
        <ul className="notify-keys" aria-label={`CIs of ${e.team}`}>
          {e.keys.map((k) => (
            <li key={k}>
              <button type="button" className="linkish mono" onClick={() => onPick(k)}>
                {k}
              </button>
            </li>
          ))}
          {e.keys.length < (e.changed ?? 0) + e.down + e.degraded && (
            <li className="muted">and {formatCount((e.changed ?? 0) + e.down + e.degraded - e.keys.length)} more (export for all)</li>
          )}
        </ul>
      )}
    </li>
  );
}

/** The impacted CIs no contact field names (the engine's `noContact`): said, not dropped, as nobody would be told. */
function Nobody({ nobody }: { nobody: NoContact | undefined }) {
  if (!nobody) return null;
  return (
    <p className="muted small notify-nobody" data-testid="notify-nobody">
      {noContactText(nobody)}
    </p>
  );
}

/** The Notify tab: every team, a page at a time, then the impacted CIs no team is named on. */
export function NotifyPanel({
  entries,
  nobody,
  onPick,
}: {
  entries: NotifyEntry[];
  nobody?: NoContact | undefined;
  onPick: (key: string) => void;
}) {
  const [shown, setShown] = useState(PAGE);
  if (entries.length === 0)
    return (
      <>
        <p className="muted brief-empty">Nobody: no impacted CI names a team in its contact fields.</p>
        <Nobody nobody={nobody} />
      </>
    );
  return (
    <section className="notify" aria-label="Who to notify">
      <div className="notify-bar">
        <span className="muted">{formatCount(entries.length)} to notify, the most affected first</span>
        <CopyButton text={notifyAllText(entries)} label="Copy all" title="Copy every team's line" />
      </div>
      <ul className="notify-list">
        {entries.slice(0, shown).map((e) => (
          <Entry key={`${e.field}\u0000${e.team}`} e={e} onPick={onPick} />
        ))}
      </ul>
      {entries.length > shown && (
        <button type="button" className="btn small more" onClick={() => setShown((n) => n + PAGE)}>
          Show {formatCount(Math.min(PAGE, entries.length - shown))} more of {formatCount(entries.length - shown)}
        </button>
      )}
      <Nobody nobody={nobody} />
    </section>
  );
}
