/**
 * The notice that the open CMDB was edited elsewhere (the `cmdb` command,
 * another window or web host): the screens keep what they read until the
 * person reloads them, so a drawn graph or a form being filled is never
 * redrawn or emptied unasked.
 */
import { useEffect, useState } from 'react';
import { onCmdbEvent } from '../api.js';

/**
 * Whether the CMDB was edited elsewhere since the screens last read it:
 * set by the host's `cmdb-edited-elsewhere`, cleared when `version` moves
 * (every screen re-reads then: Reload, an edit here, another CMDB opened).
 */
export function useEditedElsewhere(version: number): [boolean, () => void] {
  const [edited, setEdited] = useState(false);
  useEffect(() => onCmdbEvent((e) => e.type === 'cmdb-edited-elsewhere' && setEdited(true)), []);
  useEffect(() => setEdited(false), [version]);
  return [edited, () => setEdited(false)];
}

export function ElsewhereNotice({ onReload, onDismiss }: { onReload: () => void; onDismiss: () => void }) {
  return (
    <div className="notice elsewhere-notice" role="status" aria-label="CMDB changed elsewhere">
      <span>The CMDB was changed elsewhere.</span>
      <button type="button" className="btn small primary" onClick={onReload}>
        Reload
      </button>
      <button type="button" className="btn small ghost icon" onClick={onDismiss} aria-label="Dismiss" title="Dismiss">
        ✕
      </button>
    </div>
  );
}
