/**
 * The other saved changes on the same CIs as a change: those whose changed CIs this change changes too, takes down
 * or degrades, and those that take down or degrade a CI this change changes. A board reads their windows side by
 * side (windows are free text, so the engine does not judge their overlap): three changes on dependent CIs in one
 * night were each assessed as if alone (found by a change manager).
 *
 * Judged on the CMDB as it is now, not on the lists saved with the other changes (found by a reviewer: they may be
 * stale, and scanning them all cost a read of every saved list per changed CI). One read of the other changes'
 * references, titles, windows and changed CIs; then, for each other change whose CIs this change's CIs depend on
 * (`dependsOn`, one upstream walk for them all), which of this change's CIs it takes down or degrades (one
 * downstream walk per such change, `reached`). Every changed CI is told apart and counted:
 * the first version asked per changed CI and stopped at 20, so a change of 21 CIs or more lost the clashes of the
 * rest, and its counts (found by a change manager with a 500-VM patching change).
 */
import { OVERLAP_KEYS_SHOWN, type OtherChange } from '../../../shared/impact.js';
import type { Db } from '../db.js';

interface Row {
  id: number;
  ref: string;
  title: string;
  planned_window: string | null;
  keys: string;
}

/** The engine's two questions the check asks (impact-service.ts answers them on the shared graph index). */
export interface OverlapQuestions {
  /** Whether this change's changed CIs depend now on one of `theirs` (the engine's upstream walk), not counting themselves. */
  dependsOn: (theirs: readonly string[]) => boolean;
  /** Which of this change's changed CIs changing `theirs` takes down or degrades now (the engine's downstream walk), in their order. */
  reached: (theirs: readonly string[]) => string[];
}

/**
 * The other saved changes on the same CIs as the change `selfId` (null: one not saved), by reference; empty when none.
 * `keys`: its changed CIs; `impacted`: the CIs it takes down or degrades now.
 */
export function otherChanges(
  db: Db,
  selfId: number | null,
  keys: readonly string[],
  impacted: Iterable<string>,
  ask: OverlapQuestions,
): OtherChange[] {
  const rows = db.prepare('SELECT id, ref, title, planned_window, keys FROM changes WHERE id IS NOT ? ORDER BY ref').all(selfId) as Row[];
  if (rows.length === 0) return [];
  const mine = new Set<string>([...keys, ...impacted]);
  const theirs = rows.map((r) => JSON.parse(r.keys) as string[]);
  const out: OtherChange[] = [];
  rows.forEach((r, i) => {
    const other = theirs[i]!;
    const changes = other.filter((k) => mine.has(k));
    // A CI both change is said once, as one they both change.
    const own = new Set(other);
    const impacts = ask.dependsOn(other) ? ask.reached(other).filter((k) => !own.has(k)) : [];
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
