/** Attributes of an updated CI or relationship: the row's over the stored ones. */
import type { Changes } from '../../history.js';
import { parseAttributes } from '../../rows.js';

/** A row's attributes over the stored ones (cleared cells remove theirs); records the change in `changes`. Returns the JSON to store. */
export function mergeAttributes(storedJson: string, attrs: Record<string, string>, cleared: string[], changes: Changes): string {
  // The commonest case, a row repeating the attributes it stored last time: the same JSON, nothing to merge
  // (a cleared cell is never one of the row's own attributes, so it cannot be a stored one either).
  if (JSON.stringify(attrs) === storedJson && cleared.every((k) => !Object.hasOwn(attrs, k))) return storedJson;
  const oldAttrs = parseAttributes(storedJson);
  const merged: Record<string, string> = { ...oldAttrs };
  for (const k of cleared) delete merged[k];
  Object.assign(merged, attrs);
  const mergedJson = JSON.stringify(merged);
  if (mergedJson !== JSON.stringify(oldAttrs)) changes.attributes = { from: oldAttrs, to: merged };
  return mergedJson;
}
