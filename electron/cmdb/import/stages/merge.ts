/** Attributes of an updated CI or relationship: the row's over the stored ones. */
import type { Changes } from '../../history.js';
import { parseAttributes } from '../../rows.js';

/**
 * A row's attributes over the stored ones (cleared cells remove theirs); records the change in `changes`. Returns the JSON to store.
 * `retired` (lower case): custom columns now read as fields (mapping.ts, ResolvedColumns.retired). A stored attribute of such a
 * name, in any case (`U_Owner` kept by an earlier file, `u_owner` read as the owner now: the header was matched without case),
 * is removed unless the row gives that attribute itself.
 */
export function mergeAttributes(
  storedJson: string,
  attrs: Record<string, string>,
  cleared: string[],
  changes: Changes,
  retired: readonly string[] = [],
): string {
  // The commonest case, a row repeating the attributes it stored last time: the same JSON, nothing to merge
  // (a cleared cell is never one of the row's own attributes, so it cannot be a stored one either; nor a
  // retired one, as the stored attributes are the row's own).
  if (JSON.stringify(attrs) === storedJson && cleared.every((k) => !Object.hasOwn(attrs, k))) return storedJson;
  const oldAttrs = parseAttributes(storedJson);
  const merged: Record<string, string> = { ...oldAttrs };
  for (const k of cleared) delete merged[k];
  if (retired.length > 0) {
    for (const k of Object.keys(merged)) if (retired.includes(k.toLowerCase()) && !Object.hasOwn(attrs, k)) delete merged[k];
  }
  // Spread, not Object.assign: assigning an attribute named `__proto__` would set the prototype and drop it.
  const updated = { ...merged, ...attrs };
  const mergedJson = JSON.stringify(updated);
  if (mergedJson !== JSON.stringify(oldAttrs)) changes.attributes = { from: oldAttrs, to: updated };
  return mergedJson;
}
