/**
 * Undoing a merge: the merged CI comes back with its id and key, its
 * relationships move back (the rows as they were, ids included), the ones
 * the merge dropped return, the kept CI's fields the merge filled are
 * emptied again, and saved changes and views it renamed name the merged CI
 * again (those nobody changed since: merge-refs.ts). Refused, saying why and what to do, when the CMDB has moved
 * on so that it cannot be done exactly: undone already, the kept CI gone, the
 * merged key taken again, a moved relationship gone, a dropped one's other
 * end deleted, a later merge into the same CI that leaned on this one.
 */
import { CmdbError } from '../../../shared/errors.js';
import type { Db } from '../db.js';
import { parseAttributes, setAttribute } from '../rows.js';
import { ciChanges, type KeyOf, type MergeHistory, relText } from './merge-history.js';
import type { DroppedRel, MergeRow, MovedRel } from './merge.js';
import { saysNothing } from './merge-fill.js';
import { restoreSavedRefs, type RenamedRefs } from './merge-refs.js';
import { sameRow, type WholeRow, type WholeRows } from './merge-rows.js';

const conflict = (m: MergeRow, why: string) =>
  new CmdbError('CONFLICT', `Merge #${m.id} (${m.merged_key} into ${m.kept_key}) cannot be undone: ${why}`, { id: m.id });

/** The kept CI as it is now, refusing when it is gone (naming the later merge that took it, if one did). */
function keptNow(db: Db, rows: WholeRows, m: MergeRow): WholeRow {
  const kept = rows.get('cis', m.kept_id);
  if (kept && kept.key === m.kept_key) return kept;
  const later = db
    .prepare('SELECT id, kept_key FROM merges WHERE merged_id = ? AND merged_key = ? AND undone_at IS NULL AND id > ? ORDER BY id LIMIT 1')
    .get(m.kept_id, m.kept_key, m.id) as { id: number; kept_key: string } | undefined;
  throw conflict(
    m,
    later
      ? `${m.kept_key} was merged into ${later.kept_key} since (merge #${later.id}). Undo that merge first.`
      : `${m.kept_key}, the CI kept, has been deleted since. Recreate ${m.merged_key} by hand if you need it.`,
  );
}

/** The rows each moved relationship became, refusing when one is gone or no longer joins the same CIs. */
function movedRowsNow(rows: WholeRows, m: MergeRow, moved: MovedRel[], keyOf: KeyOf): WholeRow[] {
  const end = (id: unknown) => (id === m.merged_id ? m.kept_id : (id as number));
  return moved.map(({ before, afterId }) => {
    const now = rows.get('relationships', afterId);
    if (!now || now.source_id !== end(before.source_id) || now.target_id !== end(before.target_id) || now.type !== before.type) {
      throw conflict(
        m,
        `the relationship ${relText(before, keyOf)}, moved to ${m.kept_key} by the merge, has been deleted or moved since. ` +
          'Undo later merges of these CIs first, or recreate it by hand.',
      );
    }
    return now;
  });
}

/** The relationship's own fields beyond its ends: what an import or an edit may set on it after the merge. */
const SET_SINCE = ['redundancy_group', 'min_up', 'attributes'] as const;

/**
 * A moved relationship as it goes back between its own ends: as it was before the merge, unless something was
 * set on it since (a group, min_up, an attribute): then with that, as a CI's later edits stay.
 */
function movedBack(before: WholeRow, now: WholeRow): WholeRow {
  if (SET_SINCE.every((f) => now[f] === before[f])) return before;
  // Its own identity back (ends, creation, the import that created it: an undo of that import must still find it).
  return {
    ...now,
    id: before.id,
    source_id: before.source_id,
    target_id: before.target_id,
    created_at: before.created_at,
    created_import_id: before.created_import_id,
  };
}

/** Refuses when a dropped relationship's other end has been deleted since (it could not come back). */
function checkDropped(rows: WholeRows, m: MergeRow, dropped: DroppedRel[], keyOf: KeyOf): void {
  for (const { row } of dropped) {
    for (const end of [row.source_id as number, row.target_id as number]) {
      if (end !== m.merged_id && !rows.get('cis', end)) {
        throw conflict(
          m,
          `the relationship ${relText(row, keyOf)}, dropped by the merge, cannot come back: ${keyOf(end)} has been deleted since.`,
        );
      }
    }
  }
}

/**
 * Refuses when a later merge into the same kept CI, still in force, leaned on
 * what this one brought: it dropped its duplicate's relationship as the same
 * as one this merge moved there (undoing this one would delete it, and the
 * duplicate's would be gone too), or left a field or attribute of its
 * duplicate untaken because this merge had filled it (undoing this one would
 * empty it). Undoing the later merge first undoes both exactly.
 */
function checkLaterMerges(db: Db, m: MergeRow, afterRows: WholeRow[], keyOf: KeyOf): void {
  const later = db
    .prepare('SELECT * FROM merges WHERE kept_id = ? AND kept_key = ? AND id > ? AND undone_at IS NULL ORDER BY id')
    .all(m.kept_id, m.kept_key, m.id) as MergeRow[];
  const filled = JSON.parse(m.filled) as string[];
  for (const l of later) {
    const first = `merge #${l.id} (${l.merged_key} into ${l.kept_key}) came after it`;
    const end = (id: unknown) => (id === l.merged_id ? l.kept_id : (id as number));
    for (const { row, reason } of JSON.parse(l.dropped) as DroppedRel[]) {
      const same = afterRows.find(
        (r) => reason === 'duplicate' && r.source_id === end(row.source_id) && r.target_id === end(row.target_id) && r.type === row.type,
      );
      if (same) {
        throw conflict(
          m,
          `${first} and dropped ${relText(row, keyOf)} as the same as ${relText(same, keyOf)}, which this merge moved there. Undo merge #${l.id} first.`,
        );
      }
    }
    const theirs = JSON.parse(l.merged_row) as WholeRow;
    const theirAttrs = parseAttributes(theirs.attributes as string);
    const taken = filled.find((name) => {
      // A retired duplicate's status is never taken (merge.ts filledRow): it did not lean on this one.
      if (name === 'status' && theirs.status === 'retired') return false;
      if (name.startsWith('attributes.')) {
        const v = theirAttrs[name.slice('attributes.'.length)];
        return v !== undefined && v.trim() !== '';
      }
      return !saysNothing(name, theirs[name]);
    });
    if (taken) {
      throw conflict(
        m,
        `${first}, and ${l.merged_key}'s ${taken} was not taken because this merge had filled it. Undo merge #${l.id} first.`,
      );
    }
  }
}

/**
 * The kept CI as before the merge: the whole row when nothing touched it
 * since; otherwise only what the merge filled and nobody changed since goes
 * back (a later edit is kept).
 */
function keptRestored(now: WholeRow, m: MergeRow, at: string): WholeRow {
  const before = JSON.parse(m.kept_before) as WholeRow;
  const after = JSON.parse(m.kept_after) as WholeRow;
  if (sameRow(now, after)) return before;
  const out: WholeRow = { ...now, updated_at: at };
  const attrs = parseAttributes(now.attributes as string);
  const [attrsAfter, attrsBefore] = [parseAttributes(after.attributes as string), parseAttributes(before.attributes as string)];
  let attrsChanged = false;
  for (const name of JSON.parse(m.filled) as string[]) {
    if (!name.startsWith('attributes.')) {
      if (now[name] === after[name]) out[name] = before[name] ?? null;
      continue;
    }
    const k = name.slice('attributes.'.length);
    const own = (o: Record<string, string>) => (Object.hasOwn(o, k) ? o[k] : undefined);
    if (own(attrs) !== own(attrsAfter)) continue;
    const was = own(attrsBefore);
    if (was === undefined) delete attrs[k];
    else setAttribute(attrs, k, was);
    attrsChanged = true;
  }
  if (attrsChanged) out.attributes = JSON.stringify(attrs);
  return out;
}

/** Undoes the merge `m` inside the caller's write transaction, recording each step in history through `log`. */
export function undoMergeRow(db: Db, rows: WholeRows, log: MergeHistory, m: MergeRow, keyOf: KeyOf): void {
  if (m.undone_at !== null) throw conflict(m, `it was undone already, at ${m.undone_at}.`);
  const merged = JSON.parse(m.merged_row) as WholeRow;
  const moved = JSON.parse(m.moved) as MovedRel[];
  const dropped = JSON.parse(m.dropped) as DroppedRel[];
  const kept = keptNow(db, rows, m);
  if (rows.ciByKey(m.merged_key)) {
    throw conflict(m, `a CI with key "${m.merged_key}" was created since. Delete it first if it is the same CI, or keep the merge.`);
  }
  if (!db.prepare('SELECT 1 FROM ci_types WHERE name = ?').get(merged.type)) {
    throw conflict(m, `the CI type "${merged.type as string}" is gone from the registry. Import or create a CI of that type first.`);
  }
  const afterRows = movedRowsNow(rows, m, moved, keyOf);
  checkDropped(rows, m, dropped, keyOf);
  checkLaterMerges(db, m, afterRows, keyOf);

  // Its own id when free (a CI created since may have taken it: then a new one, and its relationships follow).
  const id = rows.insert('cis', merged, true);
  const moveBack = (r: WholeRow): WholeRow =>
    id === m.merged_id
      ? r
      : { ...r, source_id: r.source_id === m.merged_id ? id : r.source_id, target_id: r.target_id === m.merged_id ? id : r.target_id };
  const restored = rows.get('cis', id)!;
  log.ci('create', restored, m.kept_key, `Restored by undoing its merge into ${m.kept_key} (merge #${m.id})`, ciChanges(null, restored));
  const restore = (row: WholeRow, why: string) => {
    const back = moveBack(row);
    const rid = rows.insert('relationships', back, true);
    log.relationship('create', { ...back, id: rid }, keyOf, `${relText(back, keyOf)}: restored by undoing merge #${m.id}${why}`);
  };
  moved.forEach(({ before }, i) => {
    const now = afterRows[i]!;
    rows.delete('relationships', now.id);
    log.relationship('delete', now, keyOf, `${relText(now, keyOf)}: moved back to ${m.merged_key} by undoing merge #${m.id}`);
    restore(movedBack(before, now), '');
  });
  for (const { row } of dropped) restore(row, ' (it had dropped it)');
  const keptBack = keptRestored(kept, m, log.at);
  rows.overwrite('cis', keptBack);
  log.ci('update', keptBack, m.merged_key, `Undid the merge of ${m.merged_key} into this CI (merge #${m.id})`, ciChanges(kept, keptBack));
  restoreSavedRefs(db, m.id, JSON.parse(m.renamed) as RenamedRefs);
  db.prepare('UPDATE merges SET undone_at = ? WHERE id = ?').run(log.at, m.id);
}
