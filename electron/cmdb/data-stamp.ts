/**
 * The stamp that answers kept over CIs and relationships (the types and
 * their counts, facets, the impact graph index) are checked against: it moves
 * when the data they were read from may have changed.
 * - `PRAGMA data_version` moves when another connection commits;
 * - `total_changes()` counts every row this connection inserted, updated or
 *   deleted, whatever code path made the write,
 * less the rows written through `writeOutsideCis`: a saved view, a saved
 * change assessment or a mapping profile touches no CI or relationship, so it
 * leaves every kept answer valid (recounting the types costs about 300 ms at
 * 568,799 relationships).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

interface Reads {
  version: Statement;
  total: Statement;
  /** Rows this connection wrote through writeOutsideCis. */
  outside: number;
}

const perConnection = new WeakMap<Db, Reads>();

function readsOf(db: Db): Reads {
  let r = perConnection.get(db);
  if (r === undefined) {
    r = { version: db.prepare('PRAGMA data_version').pluck(), total: db.prepare('SELECT total_changes()').pluck(), outside: 0 };
    perConnection.set(db, r);
  }
  return r;
}

/** What the connection sees of CIs and relationships: equal stamps mean nothing a kept answer was read from changed. */
export function dataStamp(db: Db): string {
  const r = readsOf(db);
  return `${r.version.get() as number}:${(r.total.get() as number) - r.outside}`;
}

/**
 * Runs a write that touches no CI, relationship or type (saved views, saved
 * change assessments, mapping profiles) without moving the stamp, so kept
 * answers stay valid. A write of CI data must not go through here.
 */
export function writeOutsideCis<T>(db: Db, fn: () => T): T {
  const r = readsOf(db);
  const before = r.total.get() as number;
  try {
    return fn();
  } finally {
    r.outside += (r.total.get() as number) - before;
  }
}
