/**
 * The notice that the open CMDB was edited elsewhere (the `cmdb` command,
 * another window or web host): the screens keep what they read until the
 * person reloads them, so a drawn graph or a form being filled is never
 * redrawn or emptied unasked.
 */
import { useEffect, useState } from 'react';
import { onCmdbEvent } from '../api.js';

/**
 * Tabs of one web host share its connection to the CMDB, so the engine cannot
 * tell their edits from the page's own: each tab tells the others (same
 * origin: the same host) of its edits, naming the CMDB file.
 */
let tabs: BroadcastChannel | null | undefined;
function otherTabs(): BroadcastChannel | null {
  if (tabs === undefined) tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('cmdb-edits');
  return tabs;
}
/** The CMDB file this page shows (set by useEditedElsewhere), named in what the other tabs are told. */
let shownPath: string | undefined;

/**
 * Tells the other tabs on this CMDB that it was written here, for a write
 * that does not make this page read everything again: a change assessment,
 * a saved view or a baseline saved or deleted. (Edits and imports go through
 * `edited`, which also re-reads this page.)
 */
export function tellOtherTabs(): void {
  if (shownPath !== undefined) otherTabs()?.postMessage({ path: shownPath });
}

/**
 * Whether the CMDB at `path` was edited elsewhere since the screens last read
 * it: set by the host's `cmdb-edited-elsewhere` or another tab's edit, cleared
 * when `version` moves (every screen re-reads then: Reload, an edit here,
 * another CMDB opened). `edited`: for an edit or import made here, `reread`
 * (every screen reads again) and the other tabs told.
 */
export function useEditedElsewhere(version: number, path: string | undefined, reread: () => void) {
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    shownPath = path;
  }, [path]);
  useEffect(() => onCmdbEvent((e) => e.type === 'cmdb-edited-elsewhere' && setEdited(true)), []);
  useEffect(() => {
    const ch = otherTabs();
    const onTab = (e: MessageEvent<unknown>) => {
      if (path !== undefined && (e.data as { path?: unknown } | null)?.path === path) setEdited(true);
    };
    ch?.addEventListener('message', onTab);
    return () => ch?.removeEventListener('message', onTab);
  }, [path]);
  useEffect(() => setEdited(false), [version]);
  return {
    /** Whether the notice is up. */
    shown: edited,
    dismiss: () => setEdited(false),
    edited: () => {
      reread();
      tellOtherTabs();
    },
  };
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
