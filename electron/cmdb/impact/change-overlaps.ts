/**
 * The other saved changes on the same CIs as a change: those whose changed CIs this change changes too, takes down
 * or degrades, and those that take down or degrade a CI this change changes. A board reads their windows side by
 * side (windows are free text, so the engine does not judge their overlap): three changes on dependent CIs in one
 * night were each assessed as if alone (found by a change manager).
 *
 * Judged on the CMDB as it is now, not on the lists saved with the other changes (found by a reviewer: they may be
 * stale, and scanning them all cost a read of every saved list per changed CI). One read of the other changes'
 * references, titles, windows and changed CIs; then what this change's changed CIs depend on (one upstream question,
 * `dependencies`); then, for each other change whose CIs are among those only, which of this change's CIs it takes
 * down or degrades (one downstream question per such change, `reached`). Every changed CI is told apart and counted:
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
  /** The CIs `keys` depend on now (the engine's upstream answer), themselves left out. */
  dependencies: (keys: readonly string[]) => ReadonlySet<string>;
  /** Which of `mine` changing `theirs` takes down or degrades now (the engine's downstream answer), in `mine`'s order. */
  reached: (theirs: readonly string[], mine: readonly string[]) => string[];
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
  const upstream = theirs.some((ks) => ks.length > 0) ? ask.dependencies(keys) : new Set<string>();
  const out: OtherChange[] = [];
  rows.forEach((r, i) => {
    const other = theirs[i]!;
    const changes = other.filter((k) => mine.has(k));
    // A CI both change is said once, as one they both change.
    const own = new Set(other);
    const impacts = other.some((k) => upstream.has(k)) ? ask.reached(other, keys).filter((k) => !own.has(k)) : [];
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
