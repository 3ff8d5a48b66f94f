/**
 * Keys that differ only in case: `SRV-1` and `srv-1` are two CIs (keys are
 * case-sensitive, and stay so), which a file seldom means. The import goes
 * ahead; its report names an example pair and what to do, for keys of the
 * file that differ so from each other, or from a key the CMDB had before.
 *
 * A row costs one pass over its key's characters (two hashes of the key
 * with ASCII case folded, one of where its capitals are) and a probe of a
 * table in one typed array, 12 bytes a slot: no string is kept per row,
 * nothing for the garbage collector (a Set of lower-cased keys took twice
 * the time, and a string a row). Two keys whose folded hashes agree (64
 * bits: a false pair among a million keys is about one chance in 30
 * million) and whose capitals differ are taken for twins; the earlier key's
 * text is read back once, for the report.
 * The CMDB's keys are compared once after the rows, in SQL, and only with
 * the CIs this import created (a scan of the keys, about 150 ms a million).
 * Case is ASCII case, as SQLite's NOCASE and lower() fold it.
 * A file without a key column keys a CI by its type and name (`server:web-01`): there the notes speak
 * of names, the column the user wrote (a tester's sheet listed `web-01`, `Web-01 ` and `WEB-01`, and
 * was told to write its key one way, in a file that has no key).
 */
import type { Db } from '../../db.js';
import { highestCiId } from './stored-cis.js';

/** The first row found whose key differs only in case from an earlier row's: its key, name and line. */
interface FileTwin {
  key: string;
  name: string | null;
  line: number;
}

/** Int32s a slot takes: the folded key's two hashes (the second never 0: a free slot's is) and the hash of its case. */
const SLOT = 3;

export class CaseTwins {
  /** The slots, side by side (one probe, one cache line), at most two thirds full. */
  private t = new Int32Array(SLOT * 4096);
  private n = 0;
  /** Rows whose key differs only in case from an earlier row's, and the first of them. */
  private count = 0;
  private first: FileTwin | null = null;
  /** The largest CI id before the import (its creates come after), or null when nothing was stored (a bulk load). */
  private readonly maxBefore: number | null;

  /**
   * storedBefore: the CMDB had CIs before the import (not a bulk load). byName: the file has no key column,
   * so its keys are made of type and name (ci-rows.ts rowKey) and its notes speak of names.
   */
  constructor(
    private readonly db: Db,
    storedBefore: boolean,
    private readonly byName = false,
  ) {
    this.maxBefore = storedBefore ? highestCiId(db) : null;
  }

  /** How many rows so far have a key that differs only in case from an earlier row's (the first row's with that key). */
  get twins(): number {
    return this.count;
  }

  /** A row's key and name (null: the file has no name column), on its line. */
  add(key: string, line: number, name: string | null = null): void {
    // With ASCII case folded: FNV-1a, and a polynomial hash (shifts, no multiply). Keys of one folded text differ
    // only in which letters are capitals: a hash of those positions tells them apart (the same for every key
    // without capitals, so it costs nothing there).
    let a = 0x811c9dc5 | 0;
    let b = 0;
    let caps = 0x811c9dc5 | 0; // as an Int32Array holds it
    let letters = false;
    for (let i = 0; i < key.length; i++) {
      let c = key.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        c += 32;
        caps = Math.imul(caps ^ i, 0x01000193);
      }
      if (c >= 97 && c <= 122) letters = true;
      a = Math.imul(a ^ c, 0x01000193);
      b = ((b << 5) - b + c) | 0;
    }
    if (!letters) return; // a key without letters (a number) has no other case
    b |= 1;
    if (3 * (this.n + 1) > 2 * (this.t.length / SLOT)) this.grow();
    const t = this.t;
    const mask = t.length / SLOT - 1;
    let s = (a ^ (a >>> 16)) & mask;
    for (let at = SLOT * s; t[at + 1] !== 0; s = (s + 1) & mask, at = SLOT * s) {
      if (t[at] !== a || t[at + 1] !== b) continue;
      if (t[at + 2] !== caps && this.count++ === 0) this.first = { key, name, line };
      return; // the same key, or its twin: the first row's stays
    }
    const at = SLOT * s;
    t[at] = a;
    t[at + 1] = b;
    t[at + 2] = caps;
    this.n++;
  }

  private grow(): void {
    const old = this.t;
    const t = (this.t = new Int32Array(old.length * 2));
    const mask = t.length / SLOT - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      const a = old[at]!;
      let s = (a ^ (a >>> 16)) & mask;
      while (t[SLOT * s + 1] !== 0) s = (s + 1) & mask;
      t[SLOT * s] = a;
      t[SLOT * s + 1] = old[at + 1]!;
      t[SLOT * s + 2] = old[at + 2]!;
    }
  }

  /**
   * The report's notes, after the rows are written: an example pair of the file's keys, then (unless
   * `storedSaid`: the re-keyed note has said the file's keys changed case) a key this import created
   * that differs only in case from one the CMDB had. lineOf: the line that created or listed a CI (0: none).
   */
  warnings(o: { file: string; importId: number; dryRun: boolean; storedSaid: boolean; lineOf: (id: number) => number }): string[] {
    const { file, importId, dryRun, storedSaid } = o;
    const out: string[] = [];
    const again = (what: string, or = '') =>
      dryRun ? `write ${what} before importing${or}` : `undo this import (import ${importId}), write ${what}${or}, and import again`;
    if (this.first) {
      const { key, line } = this.first;
      // The earlier row's CI among those of the key's case twins (a scan, once): the first line that wrote or listed one.
      const twins = this.db.prepare('SELECT id, key FROM main.cis WHERE key = ? COLLATE NOCASE AND key != ?').all(key, key) as Array<{
        id: number;
        key: string;
      }>;
      let earlier: { key: string; line: number } | null = null;
      for (const c of twins) {
        const at = o.lineOf(c.id);
        if (at !== 0 && at < line && (earlier === null || at < earlier.line)) earlier = { key: c.key, line: at };
      }
      out.push(this.byName ? this.fileNamesNote(file, earlier, again) : this.fileKeysNote(file, earlier, again));
    }
    if (this.maxBefore !== null && this.maxBefore > 0 && !storedSaid && highestCiId(this.db) > this.maxBefore) {
      const pair = this.storedTwin(o.lineOf);
      if (pair) {
        const made = dryRun ? 'would create' : 'created';
        out.push(
          this.byName
            ? this.storedNameNote(file, pair, made, again)
            : `${file}: "${pair.created}" in this file and "${pair.stored}", a key the CMDB had, differ only in case, and keys are case-sensitive: this import ${made} "${pair.created}" as a CI of its own. If they are one CI, ${again(`the key as the CMDB has it ("${pair.stored}")`)}.`,
        );
      }
    }
    return out;
  }

  /** How many more rows than the first pair's differ so from an earlier row, said of keys or names. */
  private more(what: 'key' | 'name'): string {
    const n = this.count - 1;
    return n > 0 ? ` (and ${n} more row${n === 1 ? '' : 's'} whose ${what} differs so from an earlier row's)` : '';
  }

  /** The note on the file's first pair of keys that differ only in case. */
  private fileKeysNote(file: string, earlier: { key: string; line: number } | null, again: (what: string) => string): string {
    const { key, line } = this.first!;
    const pair = `"${key}" on line ${line} and ${earlier === null ? "an earlier row's key" : `"${earlier.key}" on line ${earlier.line}`}`;
    return `${file}: keys that differ only in case are different CIs, as keys are case-sensitive: ${pair}${this.more('key')}. If they are one CI, ${again('its key one way on every row')}.`;
  }

  /**
   * The same note for a file keyed by type and name: of the names the rows wrote, and their type (only names
   * of one type make one key). The earlier key folds to the row's, so its name is as long as the row's.
   */
  private fileNamesNote(file: string, earlier: { key: string; line: number } | null, again: (what: string, or?: string) => string): string {
    const { key, line } = this.first!;
    const name = this.first!.name ?? key;
    const type = key.slice(0, key.length - name.length - 1);
    const pair = `"${name}" on line ${line} and ${earlier === null ? "an earlier row's name" : `"${earlier.key.slice(type.length + 1)}" on line ${earlier.line}`}, both of type ${type}`;
    return `${file}: names that differ only in case are different CIs, as a file without a key column keys each CI by its type and name, and keys are case-sensitive: ${pair}${this.more('name')}. If they are one CI, ${again('its name one way on every row', ', or add a key column')}.`;
  }

  /** The note on a created CI's name that differs only in case from that of a CI of its type the CMDB had (a file keyed by type and name). */
  private storedNameNote(file: string, pair: { created: string; stored: string }, made: string, again: (what: string) => string): string {
    const type = this.db.prepare('SELECT type FROM main.cis WHERE key = ?').pluck().get(pair.created) as string;
    // The stored key folds to the created one: its type is as long, and its name is what follows.
    const [created, stored] = [pair.created, pair.stored].map((k) => k.slice(type.length + 1));
    return `${file}: "${created}" in this file and "${stored}", the name of a CI of type ${type} that the CMDB had, differ only in case, and a file without a key column keys each CI by its type and name, and keys are case-sensitive: this import ${made} "${created}" as a CI of its own. If they are one CI, ${again(`the name as the CMDB has it ("${stored}")`)}.`;
  }

  /**
   * A CI this import created whose key differs only in case from that of a CI stored before which the file
   * does not list (one it lists is a pair of the file's own), and that CI's key.
   */
  private storedTwin(lineOf: (id: number) => number): { created: string; stored: string } | null {
    const { db } = this;
    db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS import_new_keys(folded TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID; DELETE FROM temp.import_new_keys;',
    );
    try {
      db.prepare('INSERT OR IGNORE INTO temp.import_new_keys SELECT lower(key), key FROM main.cis WHERE id > ?').run(this.maxBefore);
      // The stored keys, each folded and looked for among the new ones (a scan: no index folds a key's case).
      const found = db
        .prepare('SELECT id, key FROM main.cis WHERE id <= ? AND lower(key) IN (SELECT folded FROM temp.import_new_keys)')
        .iterate(this.maxBefore) as IterableIterator<{ id: number; key: string }>;
      let stored: string | undefined;
      for (const c of found) {
        if (lineOf(c.id) !== 0) continue;
        stored = c.key;
        break; // the statement is reset as the loop ends
      }
      if (stored === undefined) return null;
      const created = db.prepare('SELECT key FROM temp.import_new_keys WHERE folded = lower(?)').pluck().get(stored) as string;
      return { created, stored };
    } finally {
      db.exec('DELETE FROM temp.import_new_keys');
    }
  }
}
