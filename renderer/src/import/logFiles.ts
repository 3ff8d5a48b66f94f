/**
 * The import log's files, told apart: two imports of files with the same names (a second tool's `cis.csv`)
 * read alike, so where their contents differ each shows the start of its files' SHA-256, as `cmdb imports
 * --json` gives it whole.
 */
import type { ImportRecord } from '../../../shared/import.js';

/** Hex digits of a file's SHA-256 shown: enough to tell files apart at a glance. */
const SHOWN = 8;

/**
 * For each import whose files have the same names as another listed import's but other contents, the start
 * of its files' hashes ("7fc9ce22 · cbfbbee3"); the others have none.
 */
export function contentTags(items: readonly Pick<ImportRecord, 'id' | 'files' | 'contentHash'>[]): Map<number, string> {
  const hashesByNames = new Map<string, Set<string>>();
  const named = (r: Pick<ImportRecord, 'files'>) => JSON.stringify(r.files);
  for (const r of items) {
    if (r.contentHash === null) continue;
    const set = hashesByNames.get(named(r)) ?? hashesByNames.set(named(r), new Set()).get(named(r))!;
    set.add(r.contentHash);
  }
  const out = new Map<number, string>();
  for (const r of items) {
    if (r.contentHash === null || (hashesByNames.get(named(r))?.size ?? 0) < 2) continue;
    out.set(
      r.id,
      r.contentHash
        .split(':')
        .map((h) => h.slice(0, SHOWN))
        .join(' · '),
    );
  }
  return out;
}
