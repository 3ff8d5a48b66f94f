/**
 * Edits made elsewhere: another program or connection (the `cmdb` CLI,
 * another window, another web host) committing to the open CMDB file. SQLite
 * moves `PRAGMA data_version` on this connection when any other connection
 * commits, so a cheap poll notices; commits of this service's own imports,
 * which run on connections of their own, are told apart by `ownWrites`.
 * Baselines are files in a folder beside the CMDB, not commits: the poll
 * compares the folder's listing too, told apart from this service's own
 * saves and deletes by the listing they left.
 */
import type { Db } from './db.js';

/** How often the open CMDB is checked while a window watches it. */
export const ELSEWHERE_POLL_MS = 2000;

export interface ElsewhereWatch {
  db: Db;
  /**
   * A mark that differs whenever this service's own writes on other
   * connections ran or ended since it was last read, with whether one is
   * running now: their commits are not news.
   */
  ownWrites: () => { mark: string; running: boolean };
  /**
   * The CMDB's baselines folder (baselines are files beside it, not commits): what it holds now, and as this
   * service's own last save or delete left it. A change that is not this service's own is news too.
   */
  baselines?: { listing: () => string; own: () => string | null };
  /** Told once per poll that saw another connection's commit, or baselines saved or deleted elsewhere. */
  onEdited: () => void;
  intervalMs?: number;
}

/**
 * Polls the connection until the returned function is called (or the
 * database closes). Does not keep the process alive.
 */
export function watchElsewhere({ db, ownWrites, baselines, onEdited, intervalMs = ELSEWHERE_POLL_MS }: ElsewhereWatch): () => void {
  const version = db.prepare('PRAGMA data_version').pluck();
  let last = version.get() as number;
  let own = ownWrites();
  let listed = baselines?.listing() ?? '';
  /** Whether the baselines folder changed since the last poll, other than by this service. */
  const baselinesElsewhere = (): boolean => {
    if (!baselines) return false;
    let now: string;
    try {
      now = baselines.listing();
    } catch {
      return false; // Unreadable for a moment: the next poll sees what this one missed.
    }
    if (now === listed) return false;
    listed = now;
    return now !== baselines.own();
  };
  const timer = setInterval(() => {
    if (!db.open) return stop();
    let now: number;
    try {
      now = version.get() as number;
    } catch {
      return; // Busy or closing: the next poll sees what this one missed.
    }
    const mine = ownWrites();
    const ours = mine.running || own.running || mine.mark !== own.mark;
    own = mine;
    const committed = now !== last && !ours;
    last = now;
    if (baselinesElsewhere() || committed) onEdited();
  }, intervalMs);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
  }
  return stop;
}
