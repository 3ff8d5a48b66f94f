/**
 * Which row ids name another CI now than in a baseline. SQLite gives a new
 * row the largest row id plus one, so once the CIs with the largest ids are
 * deleted (an import undone, a CI deleted) a new CI can get the id an old one
 * had: the same id, another CI. A row is known by its id and created_at, as in
 * the diff (diff.ts).
 *
 * Looking up created_at on both sides for every id would cost seconds at a
 * million CIs, so it is looked up only where a reuse is possible. A new row
 * gets an old id only when every row of a larger id is gone at that moment; a
 * baseline row still there (same id and created_at) was there all along,
 * unless a merge was undone (merge-undo.ts puts the duplicate back under its
 * old id, the one way a row gets an id it is given). So the ids are checked
 * from the largest down until one that is the same row and was never put back
 * by an undone merge; below it only ids an undone merge put back can be
 * another CI. Without a reuse that is one batch of 64 lookups on each side.
 */
import type { Db } from '../db.js';

/** created_at of the CIs `ids` on one side, by row id. */
function createdAt(db: Db, ids: readonly number[]): Map<number, string> {
  const rows = db
    .prepare('SELECT id, created_at FROM cis WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as Array<[number, string]>;
  return new Map(rows);
}

/**
 * `ids` from the largest down, in batches of at most 10,000: each round takes
 * the ids in a range below the last one, four times wider each time, so only
 * what is yielded is sorted (the first round is usually the last).
 */
function* largestFirst(ids: readonly number[]): Generator<number[]> {
  if (ids.length === 0) return;
  let max = -Infinity;
  let min = Infinity;
  for (const id of ids) {
    if (id > max) max = id;
    if (id < min) min = id;
  }
  let hi = max + 1;
  for (let width = 64; hi > min; width *= 4) {
    const lo = Math.max(hi - width, min);
    const round: number[] = [];
    for (const id of ids) if (id >= lo && id < hi) round.push(id);
    round.sort((a, b) => b - a);
    for (let i = 0; i < round.length; i += 10_000) yield round.slice(i, i + 10_000);
    hi = lo;
  }
}

/** Of `ids` (row ids on both sides), those that are another row now (`now`) than in the baseline (`then`). */
export function reusedIds(now: Db, then: Db, ids: readonly number[]): Set<number> {
  const putBack = new Set(now.prepare('SELECT merged_id FROM merges WHERE undone_at IS NOT NULL').pluck().all() as number[]);
  const reused = new Set<number>();
  /** Checks `batch`; whether one of them is the same row on both sides and never put back. */
  const check = (batch: readonly number[]) => {
    const a = createdAt(now, batch);
    const b = createdAt(then, batch);
    let anchored = false;
    for (const id of batch) {
      const at = a.get(id);
      if (at === undefined || at !== b.get(id)) reused.add(id);
      else if (!putBack.has(id)) anchored = true;
    }
    return anchored;
  };
  let below = -Infinity;
  for (const batch of largestFirst(ids)) {
    if (check(batch)) {
      below = batch[batch.length - 1]!;
      break;
    }
  }
  if (below === -Infinity || putBack.size === 0) return reused;
  const rest = ids.filter((id) => id < below && putBack.has(id));
  for (let i = 0; i < rest.length; i += 10_000) check(rest.slice(i, i + 10_000));
  return reused;
}
