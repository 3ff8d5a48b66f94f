/**
 * Where a key that names no CI went, when a merge took it: files, saved
 * lists and habits keep naming the duplicate after it was merged, and "no CI
 * has that key; import it first" would have the person create the duplicate
 * again. Read on the way to an error or a warning, and for a reopened change's CIs no longer impacted; `merges`
 * is small, and its keys are read once per MergedKeys.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';

/** The merge that took a key, and the live CI its chain of merges ends at. */
export interface MergedInto {
  mergeId: number;
  /** The CI kept, followed through its own later merges (A into B, then B into C: C); it may have been deleted since. */
  keptKey: string;
  /** Each merge of the chain, in order: the key's own first (A into B, #1), then the kept CI's (B into C, #2). */
  chain: Array<{ mergeId: number; keptKey: string }>;
}

/** Looks keys up in `merges`, its statements prepared once (an import asks once per unknown endpoint). */
export class MergedKeys {
  private readonly first: Statement;
  private readonly step: Statement;
  /** Every key a merge in force took, read at the first look-up: most keys asked about were never merged, and cost no query. */
  private taken: Set<string> | null = null;

  constructor(private readonly db: Db) {
    this.first = db.prepare('SELECT id, kept_id, kept_key FROM merges WHERE merged_key = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1');
    // A hop is the first later merge of the very CI the one before kept (by its id: a CI made again under the same
    // key since is another CI, and the data went with the first).
    this.step = db.prepare(
      'SELECT id, kept_id, kept_key FROM merges WHERE merged_id = ? AND merged_key = ? AND id > ? AND undone_at IS NULL ORDER BY id LIMIT 1',
    );
  }

  /** The latest merge (not undone) of `key` into another CI, followed through the kept CI's own later merges; undefined when none took it. */
  into(key: string): MergedInto | undefined {
    type Hop = { id: number; kept_id: number; kept_key: string };
    this.taken ??= new Set(this.db.prepare('SELECT DISTINCT merged_key FROM merges WHERE undone_at IS NULL').pluck().all() as string[]);
    if (!this.taken.has(key)) return undefined;
    let hop = this.first.get(key) as Hop | undefined;
    if (!hop) return undefined;
    const chain = [{ mergeId: hop.id, keptKey: hop.kept_key }];
    // Bounded, as a guard: each hop is a later merge, so the chain cannot loop.
    for (let hops = 0; hops < 100; hops++) {
      hop = this.step.get(hop.kept_id, hop.kept_key, hop.id) as Hop | undefined;
      if (!hop) break;
      chain.push({ mergeId: hop.id, keptKey: hop.kept_key });
    }
    return { mergeId: chain[0]!.mergeId, keptKey: chain[chain.length - 1]!.keptKey, chain };
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
