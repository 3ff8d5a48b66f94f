/**
 * The rows an update-only import skipped because no CI has their key. Such a
 * row is an update that did not happen (an owner lost to a typo, or to a key
 * written in another case than the CMDB's): the report names them, where
 * "N skipped" alone hid them.
 *
 * Two notes, after the rows: the rows whose key differs only in case from a
 * stored CI's (the note an upsert gives such a row when it creates the CI,
 * case-twins.ts), then the other skipped rows, the first SKIPPED_NAMED by key
 * and line and a count of the rest.
 *
 * The skipped keys go to a temp table as they come (the first SKIPPED_KEPT:
 * a bound on the table of a file that is mostly new CIs); the stored keys are
 * compared with them once after the rows, in SQL (a scan of the CIs' keys,
 * about 150 ms a million, as case-twins.ts does). Into an empty CMDB (a bulk
 * load) nothing was stored: no table, no scan. Case is ASCII case, as
 * SQLite's lower() folds it.
 */
import type { Db } from '../../db.js';
import { ADVICE } from '../advice.js';

/** Skipped rows a note names by key and line; the rest are counted. */
export const SKIPPED_NAMED = 5;
/** Skipped rows compared with the stored keys, at most. */
const SKIPPED_KEPT = 100_000;

/** A skipped row: its key and line, and the stored key that differs from it only in case, if any. */
interface Skipped {
  key: string;
  line: number;
  stored?: string;
}

export class UpdateOnlySkips {
  private count = 0;
  /** The first SKIPPED_NAMED skipped rows (all of them in a bulk load, where none can have a stored twin). */
  private readonly first: Skipped[] = [];
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly storedBefore: boolean,
  ) {
    if (!storedBefore) {
      this.insert = null;
      return;
    }
    db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS import_skipped(line INTEGER PRIMARY KEY, key TEXT NOT NULL, folded TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS temp.import_skipped_folded ON import_skipped(folded);
       DELETE FROM temp.import_skipped;`,
    );
    this.insert = db.prepare('INSERT OR IGNORE INTO temp.import_skipped(line, key, folded) VALUES (?, ?, lower(?))');
  }

  /** A row skipped as no CI has its key. */
  add(key: string, line: number): void {
    if (this.count++ < SKIPPED_KEPT) this.insert?.run(line, key, key);
    if (this.first.length < SKIPPED_NAMED) this.first.push({ key, line });
  }

  /** The notes (none when no row was skipped); the temp table is emptied. */
  warnings(file: string, dryRun: boolean): string[] {
    if (this.count === 0) return [];
    try {
      const { twin, twinCount, others } = this.split();
      const out: string[] = [];
      const skips = dryRun ? 'would skip' : 'skipped';
      if (twin) {
        const t = twin;
        const more =
          twinCount > 1 ? ` (and ${twinCount - 1} more row${twinCount === 2 ? '' : 's'} whose key differs so from a stored CI's)` : '';
        out.push(
          `${file}: "${t.key}" on line ${t.line} and "${t.stored}", a key the CMDB has, differ only in case, and keys are case-sensitive: this update-only import ${skips} the row (it creates no CI), and ${t.stored} ${dryRun ? 'would not be' : 'was not'} updated${more}. If they are one CI, write the key as the CMDB has it ("${t.stored}"), in the file or in the export that writes it, and import again.`,
        );
      }
      const otherCount = this.count - twinCount;
      if (otherCount > 0) {
        const named = others.map((s) => `${s.key} (line ${s.line})`).join(', ');
        const rest = otherCount > others.length ? ` and ${otherCount - others.length} more` : '';
        const rows = otherCount === 1 ? 'row whose key no CI has' : 'rows whose keys no CI has';
        out.push(
          `${file}: this update-only import ${skips} ${otherCount} ${rows} (it creates no CI): ${named}${rest}. If a key is mistyped, correct it and import again; to create these CIs, ${ADVICE.modeUpsert.cli}.`,
        );
      }
      return out;
    } finally {
      if (this.insert) this.db.exec('DELETE FROM temp.import_skipped');
    }
  }

  /**
   * The first skipped row whose key differs only in case from a stored CI's, how many do (of the first
   * SKIPPED_KEPT: past them the others' count takes in the rest), and the first SKIPPED_NAMED of the others.
   */
  private split(): { twin: Required<Skipped> | undefined; twinCount: number; others: Skipped[] } {
    if (!this.insert) return { twin: undefined, twinCount: 0, others: this.first };
    // The stored keys, each folded and looked up among the skipped ones (a scan: no index folds a key's case).
    const found = this.db
      .prepare(
        `SELECT s.line AS line, s.key AS key, min(c.key) AS stored
           FROM main.cis c JOIN temp.import_skipped s ON s.folded = lower(c.key)
          GROUP BY s.line ORDER BY s.line`,
      )
      .all() as Array<Required<Skipped>>;
    const twinLines = new Set(found.map((t) => t.line));
    // The first rows that are not twins: among the first kept, or (when twins took their places) read back.
    let others = this.first.filter((s) => !twinLines.has(s.line));
    if (others.length < SKIPPED_NAMED && found.length > 0) {
      others = (this.db.prepare('SELECT line, key FROM temp.import_skipped ORDER BY line').all() as Skipped[])
        .filter((s) => !twinLines.has(s.line))
        .slice(0, SKIPPED_NAMED);
    }
    return { twin: found[0], twinCount: found.length, others };
  }
}
