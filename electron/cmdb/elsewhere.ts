/**
 * Edits made elsewhere: another program or connection (the `cmdb` CLI,
 * another window, another web host) committing to the open CMDB file. SQLite
 * moves `PRAGMA data_version` on this connection when any other connection
 * commits, so a cheap poll notices; commits of this service's own imports,
 * which run on connections of their own, are told apart by `ownWrites`.
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
  /** Told once per poll that saw another connection's commit. */
  onEdited: () => void;
  intervalMs?: number;
}

/**
 * Polls the connection until the returned function is called (or the
 * database closes). Does not keep the process alive.
 */
export function watchElsewhere({ db, ownWrites, onEdited, intervalMs = ELSEWHERE_POLL_MS }: ElsewhereWatch): () => void {
  const version = db.prepare('PRAGMA data_version').pluck();
  let last = version.get() as number;
  let own = ownWrites();
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
    if (now === last) return;
    last = now;
    if (!ours) onEdited();
  }, intervalMs);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
  }
  return stop;
}
