/**
 * Where a key that names no CI went, when a merge took it: files, saved
 * lists and habits keep naming the duplicate after it was merged, and "no CI
 * has that key; import it first" would have the person create the duplicate
 * again. Read only on the way to an error or a warning; `merges` is small.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';

/** The merge that took a key, and the live CI its chain of merges ends at. */
export interface MergedInto {
  mergeId: number;
  /** The CI kept, followed through later merges to one that exists (A into B, then B into C: C). */
  keptKey: string;
  /** Each merge of the chain, in order: the key's own first (A into B, #1), then the kept CI's (B into C, #2). */
  chain: Array<{ mergeId: number; keptKey: string }>;
}

/** Looks keys up in `merges`, its statements prepared once (an import asks once per unknown endpoint). */
export class MergedKeys {
  private readonly step: Statement;
  private readonly exists: Statement;

  constructor(db: Db) {
    // A hop's merge came after the one before it: the kept CI merged away later (one merged earlier, then made again, is not it).
    this.step = db.prepare(
      'SELECT id, kept_key FROM merges WHERE merged_key = ? AND id > ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1',
    );
    this.exists = db.prepare('SELECT 1 FROM cis WHERE key = ?').pluck();
  }

  /** The latest merge (not undone) of `key` into another CI, followed to a CI that exists; undefined when none took it. */
  into(key: string): MergedInto | undefined {
    const first = this.step.get(key, 0) as { id: number; kept_key: string } | undefined;
    if (!first) return undefined;
    const chain = [{ mergeId: first.id, keptKey: first.kept_key }];
    // A chain ends at a live CI; a kept CI deleted since ends it where it is. Bounded: keys can recur after undos.
    for (let hops = 0; hops < 100 && this.exists.get(chain[chain.length - 1]!.keptKey) === undefined; hops++) {
      const last = chain[chain.length - 1]!;
      const next = this.step.get(last.keptKey, last.mergeId) as { id: number; kept_key: string } | undefined;
      if (!next) break;
      chain.push({ mergeId: next.id, keptKey: next.kept_key });
    }
    return { mergeId: first.id, keptKey: chain[chain.length - 1]!.keptKey, chain };
  }

  /**
   * What to say about a key that names no CI, when a merge took it: "it was merged into A (merge #N); use A, or
   * undo the merge to bring it back"; along a chain, each merge and the undos in their order; else null.
   */
  hint(key: string): string | null {
    const m = this.into(key);
    if (!m) return null;
    if (m.chain.length === 1)
      return `it was merged into ${m.keptKey} (merge #${m.mergeId}); use ${m.keptKey}, or undo the merge to bring it back`;
    const undos = [...m.chain].reverse().map((c) => `#${c.mergeId}`);
    return `it was merged ${mergedPath(m)}; use ${m.keptKey}, or undo merges ${undos.join(' then ')} to bring it back`;
  }
}

/** "into B (merge #1), then B into C (merge #2)": each merge of a chain with its number. */
export function mergedPath(m: MergedInto): string {
  return m.chain.map((c, i) => `${i === 0 ? '' : `${m.chain[i - 1]!.keptKey} `}into ${c.keptKey} (merge #${c.mergeId})`).join(', then ');
}

/**
 * Warnings for the CIs import `importId` created under a key a merge had
 * taken (the file still lists the duplicate): it is a duplicate again.
 */
export function recreatedWarnings(db: Db, importId: number): string[] {
  const rows = db
    .prepare(
      // CROSS JOIN keeps merges (a few) the outer loop: a load that created a million CIs is not walked.
      `SELECT m.merged_key AS key, max(m.id) AS id FROM merges m CROSS JOIN cis c ON c.key = m.merged_key
       WHERE m.undone_at IS NULL AND c.created_import_id = ? GROUP BY m.merged_key ORDER BY m.merged_key`,
    )
    .all(importId) as Array<{ key: string; id: number }>;
  const merged = new MergedKeys(db);
  return rows.map(({ key }) => {
    const m = merged.into(key)!;
    return (
      `${key} was merged ${mergedPath(m)} and this import created it again: the file still lists it. ` +
      `Merge it into ${m.keptKey} again, and correct the source so it lists ${m.keptKey} only.`
    );
  });
}
