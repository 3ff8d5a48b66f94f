/**
 * The change set kept for the tab names CIs by key; a merge in Health (or the
 * CLI) deletes the duplicate's key. When the analysis refuses a key that no
 * CI has, the engine is asked where it went (resolveCis names the CI a merge
 * took it into), and the draft follows it, with a message saying so.
 */
import { ciRefProblemsSchema } from '../../../shared/api.js';
import { asApiError, cmdb } from '../api.js';

/** A key of the change set that a merge took, and the CI it now names. */
export interface Rename {
  from: string;
  to: string;
  mergeId: number;
  /** Every merge of the chain that took it there, in order (one when it was merged straight into `to`). */
  mergeIds: number[];
}

/** The keys an analysis refused as naming no CI (its NOT_FOUND details), or none. */
export function missingKeys(err: unknown): string[] {
  const e = asApiError(err);
  if (e.code !== 'NOT_FOUND') return [];
  const keys = (e.details as { keys?: unknown } | undefined)?.keys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

/** The renames a resolveCis refusal reports (its problems' `mergedInto`). */
export function renamesFrom(err: unknown): Rename[] {
  const parsed = ciRefProblemsSchema.safeParse(asApiError(err).details);
  if (!parsed.success) return [];
  return parsed.data.problems.flatMap((p) =>
    p.mergedInto
      ? [{ from: p.ref, to: p.mergedInto.key, mergeId: p.mergedInto.mergeId, mergeIds: p.mergedInto.mergeIds ?? [p.mergedInto.mergeId] }]
      : [],
  );
}

/** The keys with each renamed one in its place, the kept CI listed once (it may be in the set already). */
export function applyRenames(keys: readonly string[], renames: readonly Rename[]): string[] {
  const to = new Map(renames.map((r) => [r.from, r.to]));
  return [...new Set(keys.map((k) => to.get(k) ?? k))];
}

/** Where the merged keys among `keys` went: asks the engine; none when it knows of no merge. */
export async function findRenames(keys: string[]): Promise<Rename[]> {
  if (keys.length === 0) return [];
  try {
    await cmdb.resolveCis({ refs: keys });
    return []; // Each resolved (by name): not a merge this screen can follow by key.
  } catch (err) {
    return renamesFrom(err);
  }
}

/** The message for the renames made in the draft. */
export function renameMessage(renames: readonly Rename[]): string {
  return renames
    .map((r) => {
      const merges = r.mergeIds.length > 1 ? `merges ${r.mergeIds.map((id) => `#${id}`).join(', ')}` : `merge #${r.mergeId}`;
      return `${r.from} was merged into ${r.to} (${merges}): the change now names ${r.to}.`;
    })
    .join(' ');
}
