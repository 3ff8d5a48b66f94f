/**
 * The table of CI fields (ci-attrs.ts) after edits, instead of rebuilt: the
 * codes of the CIs an edit changed, created or deleted set afresh, and each
 * column's list of values kept exactly as a build would make it (sorted as
 * SQLite sorts text, only the values some CI has), other CIs' codes
 * renumbered when a value comes or goes. Attribute columns and the
 * "which attributes exist" answers start empty again (read on demand).
 */
import { ATTR_STRIDE, type AttrColumn, CiAttrs, KEPT_COLUMNS, type KeptColumn } from './ci-attrs.js';
import type { GraphIndex } from './graph-index.js';

/** A changed CI's fields now; null fields when the CI no longer exists. */
export interface ChangedCi {
  id: number;
  type: string | null;
  criticality: string | null;
  owner: string | null;
  environment: string | null;
  status: string | null;
}

/** Text order of SQLite's BINARY collation (UTF-8 bytes, that is code points), not UTF-16 units. */
export function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..DFFF) stand for code points above U+FFFF: after U+E000..FFFF.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

function indexOfSorted(values: readonly string[], v: string): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareBinary(values[mid]!, v);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Renumbers one column of `codes` through `map` (old code -> new code). */
function remap(codes: Int32Array, offset: number, map: Int32Array): void {
  for (let i = offset; i < codes.length; i += ATTR_STRIDE) {
    const c = codes[i]!;
    if (c >= 0) codes[i] = map[c]!;
  }
}

/** One column: its values with the changed CIs' new ones, their codes set, values no CI has any more dropped. */
function patchColumn(
  codes: Int32Array,
  offset: number,
  column: AttrColumn,
  changed: ReadonlyArray<{ node: number; value: string | null }>,
): AttrColumn {
  let values = column.values;
  const added = [...new Set(changed.map((c) => c.value).filter((v): v is string => v !== null && indexOfSorted(values, v) < 0))];
  if (added.length > 0) {
    const merged = [...values, ...added].sort(compareBinary);
    const map = Int32Array.from(values, (v) => indexOfSorted(merged, v));
    remap(codes, offset, map);
    values = merged;
  }
  const before = new Set<number>();
  for (const c of changed) {
    const at = ATTR_STRIDE * c.node + offset;
    if (codes[at]! >= 0) before.add(codes[at]!);
    codes[at] = c.value === null ? -1 : indexOfSorted(values, c.value);
  }
  for (const c of changed) if (c.value !== null) before.delete(indexOfSorted(values, c.value));
  if (before.size === 0) return { values };
  // Values the changed CIs had: does any CI still have them?
  const left = new Uint8Array(values.length);
  for (let i = offset; i < codes.length; i += ATTR_STRIDE) if (codes[i]! >= 0) left[codes[i]!] = 1;
  const gone = [...before].filter((c) => left[c] === 0);
  if (gone.length === 0) return { values };
  const drop = new Set(gone);
  const map = new Int32Array(values.length).fill(-1);
  const kept: string[] = [];
  values.forEach((v, c) => {
    if (!drop.has(c)) map[c] = kept.push(v) - 1;
  });
  remap(codes, offset, map);
  return { values: kept };
}

/** The table for `index` (the patched graph index) with the changed CIs' fields. */
export function patchAttrs(old: CiAttrs, index: GraphIndex, changed: readonly ChangedCi[]): CiAttrs {
  const t0 = performance.now();
  const codes = new Int32Array(ATTR_STRIDE * index.nodeCount).fill(-1);
  codes.set(old.codes.subarray(0, Math.min(old.codes.length, codes.length)));
  const rows = changed.map((c) => ({ node: index.nodeOf(c.id), c })).filter((r) => r.node >= 0);
  // Each kept column at its offset (KEPT_COLUMNS is in the order of the offsets).
  const columns = Object.fromEntries(
    KEPT_COLUMNS.map((field, offset) => [
      field,
      patchColumn(
        codes,
        offset,
        old[field],
        rows.map((r) => ({ node: r.node, value: r.c[field] })),
      ),
    ]),
  ) as Record<KeptColumn, AttrColumn>;
  return CiAttrs.assemble(columns, codes, performance.now() - t0);
}
