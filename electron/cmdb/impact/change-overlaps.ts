/**
 * The other saved changes on the same CIs as a change: those whose changed CIs this change changes too, takes down
 * or degrades, and those that take down or degrade a CI this change changes. A board reads their windows side by
 * side (windows are free text, so the engine does not judge their overlap): three changes on dependent CIs in one
 * night were each assessed as if alone (found by a change manager).
 *
 * One read of the other changes' references, titles, windows and changed CIs (small), and one scan of their saved
 * impacted lists per changed CI of this change (at most CHANGED_SCANNED), by the text of its entry.
 */
import { OVERLAP_KEYS_SHOWN, type OtherChange, type ImpactState } from '../../../shared/impact.js';
import type { Db } from '../db.js';

/** This change's changed CIs looked for in the other changes' impacted lists. */
const CHANGED_SCANNED = 50;
/** Other changes named, by reference. */
const OTHERS_SHOWN = 20;

interface Row {
  id: number;
  ref: string;
  title: string;
  planned_window: string | null;
  keys: string;
}

/**
 * The other saved changes on the same CIs as the change `selfId` (null: one not saved yet) whose changed CIs are
 * `keys` and whose impacted CIs are `impacted`, by reference; empty when none.
 */
export function otherChanges(
  db: Db,
  selfId: number | null,
  keys: readonly string[],
  impacted: ReadonlyArray<[string, ImpactState]>,
): OtherChange[] {
  const rows = db.prepare('SELECT id, ref, title, planned_window, keys FROM changes WHERE id IS NOT ? ORDER BY ref').all(selfId) as Row[];
  if (rows.length === 0) return [];
  const mine = new Set<string>(keys);
  for (const [k] of impacted) mine.add(k);
  // This change's changed CIs that each other change impacts: found in its saved list by the text of an entry, ["key",
  const impactsOf = new Map<number, string[]>();
  const find = db.prepare('SELECT id FROM changes WHERE id IS NOT ? AND instr(impacted, ?) > 0').pluck();
  for (const key of keys.slice(0, CHANGED_SCANNED)) {
    for (const id of find.all(selfId, `[${JSON.stringify(key)},`) as number[]) {
      let list = impactsOf.get(id);
      if (!list) impactsOf.set(id, (list = []));
      list.push(key);
    }
  }
  const out: OtherChange[] = [];
  for (const r of rows) {
    const changes = (JSON.parse(r.keys) as string[]).filter((k) => mine.has(k));
    const impacts = impactsOf.get(r.id) ?? [];
    if (changes.length === 0 && impacts.length === 0) continue;
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
    if (out.length === OTHERS_SHOWN) break;
  }
  return out;
}
