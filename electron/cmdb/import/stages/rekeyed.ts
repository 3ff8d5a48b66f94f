/**
 * CIs an import creates that its source already had under another key: the same type and name, a new key,
 * and the old key no longer listed by the file. When that is most of what the file lists, the file is keyed
 * by another column than the last import of it was (a mapping that now names another id column, or an id
 * column found where CIs had been keyed by type and name), so each such row made a second CI of one thing,
 * and a sync retired the first. The import goes ahead (it can be undone); its report says how many, names
 * the first, and what to do. A few such rows among many are ordinary churn (an instance replaced under the
 * same name, a VM restored with a new UUID) and are not reported.
 */
import type { Db } from '../../db.js';
import type { SeenRows } from './seen.js';
import { highestCiId } from './stored-cis.js';
import { mapCiType } from '../mapping.js';

/** Whether a stored type word (datenbank, vcenter_cluster) is read by this version as another type. */
const readsAs = (was: string, type: string): boolean =>
  [was, was.replace(/_/g, ' '), `cmdb_ci_${was}`].some((w) => mapCiType(w, undefined) === type);

/** A key of digits that is an earlier key without its leading zeros (000101 read as the number 101). */
const lostLeadingZeros = (was: string, key: string): boolean =>
  /^\d+$/.test(key) && /^0+\d/.test(was) && was.replace(/^0+(?=\d)/, '') === key;

/** ASCII case folded, as SQLite's lower() folds it. */
const foldCase = (k: string): string => k.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** A CI the import created (its id, key, name, type) beside one its source had before (id and key). */
interface Pair {
  created: number;
  key: string;
  name: string;
  type: string;
  earlier: number;
  was: string;
}

export class RekeyedCis {
  /** The largest CI id before the import: the CIs it creates are numbered after it. */
  private readonly maxBefore: number;

  /** Set by warnings(): the CIs it counts have the keys of the earlier ones in another case. */
  caseChanged = false;

  constructor(private readonly db: Db) {
    this.maxBefore = highestCiId(db);
  }

  /**
   * The report's warning, when at least half of the `listed` CIs the file names were created with the type
   * and name of a CI of `source` from before the import that the file no longer lists (`seen`).
   */
  warnings(file: string, source: string, listed: number, seen: SeenRows, dryRun: boolean): string[] {
    // A load into an empty CMDB has nothing to compare with; an import that created nothing, nothing to say.
    if (this.maxBefore === 0 || highestCiId(this.db) === this.maxBefore) return [];
    const retyped = this.retyped(file, source, seen, dryRun);
    if (retyped) return [retyped];
    // The created CIs by id (a range of the table), each looked up on cis_type_name: the `+` keeps SQLite from
    // walking the source's every earlier CI on cis_source instead.
    const pairs = this.db
      .prepare(
        `SELECT n.id AS created, n.key, n.name, n.type, o.id AS earlier, o.key AS was
         FROM cis n JOIN cis o ON o.type = n.type AND o.name = n.name AND +o.id <= @before AND +o.source IS @source
         WHERE n.id > @before ORDER BY n.id, o.id`,
      )
      .all({ before: this.maxBefore, source }) as Pair[];
    const unlisted = pairs.filter((p) => !seen.has(p.earlier));
    const count = new Set(unlisted.map((p) => p.created)).size;
    if (count === 0 || count * 2 < listed) return [];
    const created = dryRun ? 'would create' : 'created';
    const what = count === 1 ? `1 CI this import ${created} has` : `${count} CIs this import ${created} have`;
    const made = dryRun ? 'would make' : 'made';
    // The same column with its keys in another case (SRV-001 last time, srv-001 now): another column is not the cause.
    const byCase = unlisted.filter((p) => foldCase(p.key) === foldCase(p.was));
    if (new Set(byCase.map((p) => p.created)).size * 2 >= count) {
      this.caseChanged = true;
      const first = byCase[0]!;
      return [
        `${file}: ${what} the type and name of a CI that source "${source}" had before under a key that differs only in case, which the file no longer lists (${first.name}, a ${first.type}, is ${first.was} in the CMDB and ${first.key} in this file). The file's keys changed case since the last import of it, and keys are case-sensitive: each such row ${made} a second CI of the same thing. ${dryRun ? 'Write' : 'Undo this import and write'} the keys as the CMDB has them (${first.was}): in the file, or in the export that writes it.`,
      ];
    }
    // The same column read by a spreadsheet that took its keys for numbers (000101 last time, 101 now).
    const byZeros = unlisted.filter((p) => lostLeadingZeros(p.was, p.key));
    if (new Set(byZeros.map((p) => p.created)).size * 2 >= count) {
      const first = byZeros[0]!;
      return [
        `${file}: ${what} the type and name of a CI that source "${source}" had before under the same key with leading zeros, which the file no longer lists (${first.name}, a ${first.type}, is ${first.was} in the CMDB and ${first.key} in this file). The file went through a spreadsheet that read its key column as numbers and dropped the zeros: each such row ${made} a second CI of the same thing. ${dryRun ? 'Import' : 'Undo this import and import'} the export as it came, or open it in the spreadsheet with that column's type set to Text (in Excel: Data > From Text/CSV > Transform Data, then Data Type: Text) before saving it.`,
      ];
    }
    const first = unlisted[0]!;
    return [
      `${file}: ${what} the type and name of a CI that source "${source}" had before under another key, which the file no longer lists (${first.name}, a ${first.type}, is ${first.was} in the CMDB and ${first.key} in this file). The file is likely keyed by another column than the last import of it was: each such row ${made} a second CI of the same thing. ${dryRun ? 'Map' : 'Undo this import and map'} id to the column the CMDB's keys came from, or, if they were type and name, to none (\`"id": ""\`).`,
    ];
  }

  /**
   * CIs created under the name of a CI of `source` from before that the file no longer lists, whose type word
   * this version reads as another type (`Datenbank` was the type datenbank, and is database now: the registry
   * learnt the word): keyed by type and name, each such CI was created again and, by a sync, the first retired.
   * Said however few they are, with the mapping that keeps the type the CMDB has.
   */
  private retyped(file: string, source: string, seen: SeenRows, dryRun: boolean): string | null {
    const pairs = this.db
      .prepare(
        `SELECT n.id AS created, n.key, n.name, n.type, o.id AS earlier, o.key AS was, o.type AS wasType
         FROM cis n JOIN cis o ON o.name = n.name COLLATE NOCASE AND o.name = n.name AND o.type != n.type
           AND +o.id <= @before AND +o.source IS @source
         WHERE n.id > @before ORDER BY n.id, o.id`,
      )
      .all({ before: this.maxBefore, source }) as Array<Pair & { wasType: string }>;
    const now = pairs.filter((p) => !seen.has(p.earlier) && readsAs(p.wasType, p.type));
    if (now.length === 0) return null;
    const count = new Set(now.map((p) => p.created)).size;
    const first = now[0]!;
    const what =
      count === 1
        ? `1 CI this import ${dryRun ? 'would create' : 'created'} is`
        : `${count} CIs this import ${dryRun ? 'would create' : 'created'} are`;
    const keep = [...new Set(now.map((p) => p.wasType))]
      .slice(0, 3)
      .map((w) => `"<the file's type for ${w}>": "${w}"`)
      .join(', ');
    return `${file}: ${what} a CI that source "${source}" had before as another type, which the file no longer lists (${first.name} is ${first.was}, a ${first.wasType}, in the CMDB and ${first.key}, a ${first.type}, now): this version reads the file's type word as ${first.type} (the registry's type for it), and a CI keyed by its type and name gets a new key with it, so each such row ${dryRun ? 'would make' : 'made'} a second CI of the same thing. ${dryRun ? 'To keep the CIs as they are, import' : 'Undo this import and, to keep the CIs as they are, import'} with "typeValues": { ${keep} } in the mapping, or key the file by a column of its own (id).`;
  }

  /**
   * CIs created with, as their name, the key of a CI of the same type the CMDB had (a `Hostname` column of
   * the CMDB's keys read as the name, the key then made of type and name): each is a second CI of one thing,
   * whatever its source. Said however few, naming the first and the column to key the file by.
   */
  namedAsKeys(file: string, nameColumn: string | null, dryRun: boolean): string[] {
    if (this.maxBefore === 0 || highestCiId(this.db) === this.maxBefore) return [];
    const rows = this.db
      .prepare(
        `SELECT n.key, o.key AS stored, o.name AS storedName, n.type FROM cis n
         JOIN cis o ON o.key = n.name AND o.type = n.type AND +o.id <= @before
         WHERE n.id > @before ORDER BY n.id`,
      )
      .all({ before: this.maxBefore }) as Array<{ key: string; stored: string; storedName: string; type: string }>;
    if (rows.length === 0) return [];
    const first = rows[0]!;
    const what =
      rows.length === 1
        ? `1 CI this import ${dryRun ? 'would create' : 'created'} is`
        : `${rows.length} CIs this import ${dryRun ? 'would create' : 'created'} are`;
    const column = nameColumn ? `column ${nameColumn}` : 'name column';
    return [
      `${file}: ${what} named with the key of a CI the CMDB has, of the same type (${first.key}: the CMDB has ${first.stored}, ${first.storedName}, a ${first.type}): the file's ${column} likely holds the CMDB's keys, and each such row ${dryRun ? 'would make' : 'made'} a second CI of the same thing. ${dryRun ? 'Map' : 'Undo this import and map'} id (the key) to that column, and name to the column of names.`,
    ];
  }
}
