/**
 * CIs a BMC Helix export marks deleted (`MarkAsDeleted` Yes): such a row makes no CI (ci-rows.ts), and a
 * relationship naming one makes no relationship either, without an error, whether or not its relationship row
 * is marked too (BMC keeps a deleted CI's relationships unmarked). Kept here by the key and name each row gives,
 * and, for a CI an earlier import stored, by id: a sync then removes its relationships the source had, as it
 * retires the CI.
 */
import type Database from 'better-sqlite3';
import type { ImportMode } from '../../../../shared/import.js';
import type { SeenRows } from './seen.js';

/** Keys and names kept, at most (a relationship to one of the rest finds no CI, or the stored one, as before). */
const KEPT = 1_000_000;

export class MarkedDeletedCis {
  /** The CIs file that marked them. */
  private file = '';
  /** Rows marked deleted. */
  rows = 0;
  private readonly keys = new Set<string>();
  /** Their names, in lower case: a name finds a CI whatever its case (relationships.ts endpointResolver). */
  private readonly names = new Set<string>();
  private stored: Set<number> | null = null;
  /** The attribute that keeps the MarkAsDeleted column, and each key's cell ("Yes"): a CI a sync retires takes it. */
  private attribute: string | null = null;
  private readonly marks = new Map<string, string>();

  /**
   * A CIs file's row marked deleted, by the key and name it gives (a file without keys: the key made of type and
   * name), with its MarkAsDeleted cell as `attribute` keeps it (null: not kept).
   */
  add(file: string, key: string | null, name: string | null, mark: { attribute: string | null; value: string }): void {
    this.file = file;
    this.rows++;
    this.attribute = mark.attribute;
    if (key !== null && this.keys.size < KEPT) {
      this.keys.add(key);
      if (mark.attribute !== null) this.marks.set(key, mark.value);
    }
    if (name !== null && this.names.size < KEPT) this.names.add(name.toLowerCase());
  }

  /** The attribute a CI the sync retires takes as its row marks it (MarkAsDeleted: Yes), or null when its row is not marked. */
  markOf(key: string): { attribute: string; value: string } | null {
    const value = this.marks.get(key);
    return value === undefined || this.attribute === null ? null : { attribute: this.attribute, value };
  }

  /** Whether the relationships may name one (nothing to look up otherwise). */
  get any(): boolean {
    return this.rows > 0;
  }

  /** Whether a relationship's endpoint, found by no CI, is the key of a CI marked deleted. */
  hasKey(raw: string): boolean {
    return this.keys.has(raw);
  }

  /** Whether a relationship's endpoint, found by no CI, is the name of a CI marked deleted. */
  hasName(raw: string): boolean {
    return this.names.has(raw.toLowerCase());
  }

  /** The keys, for the relationship planner (bulk/rel-planner.ts), which finds endpoints by key. */
  keyList(): string[] {
    return [...this.keys];
  }

  /**
   * The ids of the CIs marked deleted that an earlier import stored, read once after the CIs file by their keys;
   * not one another row of the file lists live (`listed`) or created (a key given twice, deleted and not).
   */
  storedIds(db: Database.Database, importId: number, listed: SeenRows): Set<number> {
    if (this.stored) return this.stored;
    const idOf = db.prepare('SELECT id FROM cis WHERE key = ? AND created_import_id IS NOT ?').pluck();
    this.stored = new Set();
    for (const key of this.keys) {
      const id = idOf.get(key, importId) as number | undefined;
      if (id !== undefined && !listed.has(id)) this.stored.add(id);
    }
    return this.stored;
  }

  /** The CIs file's note on its rows marked deleted. */
  ciNote(mode: ImportMode): string {
    return markedRowsNote(this.file, this.rows, 'CI', mode);
  }

  /** A relationships file's note on its `count` rows naming a CI marked deleted. */
  relNote(relFile: string, count: number, mode: ImportMode): string {
    const rows = count === 1 ? '1 row names' : `${count} rows name`;
    return `${relFile}: ${rows} a CI marked deleted (MarkAsDeleted: Yes) in ${this.file} and make${count === 1 ? 's' : ''} no relationship${mode === 'sync' ? '; a sync removes any this source has' : ''}.`;
  }
}

/** A file's note on its `count` rows marked deleted themselves, which make no CI or relationship. */
export function markedRowsNote(file: string, count: number, what: 'CI' | 'relationship', mode: ImportMode): string {
  const sync = mode !== 'sync' ? '' : what === 'CI' ? '; a sync retires any this source has' : '; a sync removes any this source has';
  return `${file}: ${count} row${count === 1 ? ' is' : 's are'} marked deleted (MarkAsDeleted: Yes) and make${count === 1 ? 's' : ''} no ${what}${sync}.`;
}
