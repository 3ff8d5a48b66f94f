/**
 * "Show 20 older" under a list of the newest (the import log, Health's recent merges): an undo refused names an
 * import or merge to undo first, which may be older than the rows shown.
 */

/** Rows a list shows at first, and how many more each press shows (the API serves 1,000 at most). */
export const OLDER_STEP = 20;
export const OLDER_MAX = 1000;

/** The button, while the list may have older rows than the `shown` it asked for; `onMore` asks for OLDER_STEP more. */
export function ShowOlder({ shown, mayHaveMore, what, onMore }: { shown: number; mayHaveMore: boolean; what: string; onMore: () => void }) {
  if (!mayHaveMore || shown >= OLDER_MAX) return null;
  return (
    <button type="button" className="btn ghost small show-older" onClick={onMore}>
      Show {OLDER_STEP} older {what}
    </button>
  );
}
