/**
 * The search index's side of a re-import's CI writes (and an undo's), batched. Row by row,
 * the search triggers write each CI's entry at once, and FTS5 writes out its
 * pending terms at each statement that changes it (a new index segment per
 * CI: about 2 ms an updated CI, and 0.7 ms a created one, with its statement
 * journal, measured). For an import the triggers are set aside at the first
 * write that needs them: before an update that touches a searched column, the
 * CI's old values are kept in a temporary table; before the first create, the
 * highest id is noted (every CI created after it has a higher one). At the end
 * of the CI stage every old entry is deleted and the new ones (updated and
 * created CIs) inserted, in rowid order, in one statement, before the triggers
 * come back; all inside the import's transaction, with FTS5's batch settings
 * (fts-settings.ts).
 */
import type { Db } from '../../db.js';
import { batchSearchSettings } from '../bulk/fts-settings.js';
import { highestCiId } from './stored-cis.js';

/** The columns the search index holds (the update trigger fires on these). */
export const SEARCHED = ['key', 'name', 'type', 'owner', 'description', 'attributes'] as const;

type Trigger = 'cis_fts_update' | 'cis_fts_insert';

export class SearchUpdates {
  /** The triggers set aside, with their SQL to put them back. */
  private readonly aside = new Map<Trigger, string>();
  private keep: ReturnType<Db['prepare']> | null = null;
  /** CIs with a higher id were created by this import after the insert trigger was set aside. */
  private createdAfter: number | null = null;
  /** The triggers were not there (a load that dropped them rebuilds the whole index at the end). */
  private absent = false;

  constructor(private readonly db: Db) {}

  /** Before a CI's UPDATE that changes a searched column: its current entry is remembered, the trigger set aside. */
  before(id: number): void {
    if (!this.setAside('cis_fts_update')) return;
    // A CI this import created has no entry yet: finish() gives it one with its values then.
    if (this.createdAfter !== null && id > this.createdAfter) return;
    this.keep!.run(id);
  }

  /** Before a CI's INSERT: the insert trigger set aside (once), and the highest id before the first noted. */
  beforeCreate(): void {
    if (this.createdAfter !== null || !this.setAside('cis_fts_insert')) return;
    this.createdAfter = highestCiId(this.db);
  }

  /** Whether the trigger is set aside now (false when the load has none). */
  private setAside(name: Trigger): boolean {
    if (this.absent) return false;
    if (this.aside.has(name)) return true;
    const sql =
      (this.db.prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'trigger' AND name = ?").pluck().get(name) as string | undefined) ??
      null;
    if (sql === null) {
      this.absent = true;
      return false;
    }
    this.db.exec(`DROP TRIGGER main.${name}`);
    this.aside.set(name, sql);
    if (this.keep === null) {
      this.db.exec(
        `CREATE TEMP TABLE IF NOT EXISTS import_fts_old(id INTEGER PRIMARY KEY, ${SEARCHED.join(', ')}); DELETE FROM temp.import_fts_old;`,
      );
      this.keep = this.db.prepare(`INSERT OR IGNORE INTO temp.import_fts_old SELECT id, ${SEARCHED.join(', ')} FROM main.cis WHERE id = ?`);
    }
    return true;
  }

  /** The old entries out, the new ones in, and the triggers back. */
  finish(): void {
    if (this.aside.size === 0) return;
    const cols = SEARCHED.join(', ');
    // One statement, each CI's old entry out and its new one in, in rowid order: FTS5 keeps them all pending
    // to the end. As two statements (all deletes, then all inserts) the second wrote the first's out at its
    // start and went back to the lowest rowid: 1,000 CIs took 160 ms instead of 25.
    const created = this.createdAfter === null ? '' : `UNION ALL SELECT NULL, id, ${cols}, 1 FROM main.cis WHERE id > ${this.createdAfter}`;
    const restore = batchSearchSettings(this.db);
    this.db.exec(
      `INSERT INTO ci_fts(ci_fts, rowid, ${cols})
       SELECT op, id, ${cols} FROM (
         SELECT 'delete' AS op, id, ${cols}, 0 AS k FROM temp.import_fts_old
         UNION ALL
         SELECT NULL, c.id, ${SEARCHED.map((c) => `c.${c}`).join(', ')}, 1 FROM temp.import_fts_old o JOIN main.cis c ON c.id = o.id
         ${created}
       ) ORDER BY id, k`,
    );
    restore();
    this.db.exec('DELETE FROM temp.import_fts_old');
    for (const sql of this.aside.values()) this.db.exec(sql);
    this.aside.clear();
    this.createdAfter = null;
  }
}
