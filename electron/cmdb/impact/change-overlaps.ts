/**
 * The other saved changes on the same CIs as a change: those whose changed CIs this change changes too, takes down
 * or degrades, and those that take down or degrade a CI this change changes. A board reads their windows side by
 * side (windows are free text, so the engine does not judge their overlap): three changes on dependent CIs in one
 * night were each assessed as if alone (found by a change manager).
 *
 * Judged on the CMDB as it is now, not on the lists saved with the other changes (found by a reviewer: they may be
 * stale, and scanning them all cost a read of every saved list per changed CI). One read of the other changes'
 * references, titles, windows and changed CIs; then what this change's changed CIs depend on (one upstream question,
 * `dependencies`): only when another change's CIs are among them, which of this change's CIs each reaches (one
 * question per changed CI, at most CHANGED_ATTRIBUTED: the rest are counted, not named).
 */
import { OVERLAP_KEYS_SHOWN, type OtherChange } from '../../../shared/impact.js';
import type { Db } from '../db.js';

/** This change's changed CIs each told apart by a question of its own. */
const CHANGED_ATTRIBUTED = 20;

interface Row {
  id: number;
  ref: string;
  title: string;
  planned_window: string | null;
  keys: string;
}

/**
 * The other saved changes on the same CIs as the change `selfId` (null: one not saved), by reference; empty when none.
 * `keys`: its changed CIs; `impacted`: the CIs it takes down or degrades now; `dependencies(keys)`: the CIs those
 * CIs depend on now (the engine's upstream answer), themselves left out.
 */
export function otherChanges(
  db: Db,
  selfId: number | null,
  keys: readonly string[],
  impacted: Iterable<string>,
  dependencies: (keys: readonly string[]) => ReadonlySet<string>,
): OtherChange[] {
  const rows = db.prepare('SELECT id, ref, title, planned_window, keys FROM changes WHERE id IS NOT ? ORDER BY ref').all(selfId) as Row[];
  if (rows.length === 0) return [];
  const mine = new Set<string>([...keys, ...impacted]);
  const theirs = rows.map((r) => JSON.parse(r.keys) as string[]);
  const upstream = dependencies(keys);
  // Which of this change's CIs depend on each other change's: asked per CI only when some other change's CIs are among its dependencies.
  const reaches = theirs.some((ks) => ks.some((k) => upstream.has(k)))
    ? keys.slice(0, CHANGED_ATTRIBUTED).map((k) => ({ key: k, on: dependencies([k]) }))
    : [];
  const out: OtherChange[] = [];
  rows.forEach((r, i) => {
    const other = theirs[i]!;
    const changes = other.filter((k) => mine.has(k));
    // A CI both change is said once, as one they both change.
    const impacts = reaches.filter(({ key, on }) => !other.includes(key) && other.some((k) => on.has(k))).map((x) => x.key);
    if (changes.length === 0 && impacts.length === 0) return;
    out.push({
      id: r.id,
      ref: r.ref,
      title: r.title,
      window: r.planned_window,
      changes: changes.slice(0, OVERLAP_KEYS_SHOWN),
      changesCount: changes.length,
      impacts: impacts.slice(0, OVERLAP_KEYS_SHOWN),
      impactsCount: impacts.length,
    });
  });
  return out;
}
