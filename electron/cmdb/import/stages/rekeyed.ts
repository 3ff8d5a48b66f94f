/**
 * CIs an import creates that its source already has under another key: the same type and name, a new key.
 * Nearly always the file is keyed by another column than the last import of it was (a mapping that now
 * names another id column, or an id column found where there was none and CIs were keyed by type and
 * name), so each such row made a second CI of one thing, and a sync retired the first. The import goes
 * ahead (it can be undone); its report says how many, names the first, and what to do.
 */
import type { Db } from '../../db.js';

export class RekeyedCis {
  /** The largest CI id before the import: the CIs it creates are numbered after it. */
  private readonly maxBefore: number;

  constructor(private readonly db: Db) {
    this.maxBefore = (db.prepare('SELECT coalesce(max(id), 0) FROM cis').pluck().get() as number) ?? 0;
  }

  /** The report's warning, when created CIs share their type and name with a CI of `source` from before the import. */
  warnings(file: string, source: string, dryRun: boolean): string[] {
    // A load into an empty CMDB has nothing to compare with.
    if (this.maxBefore === 0) return [];
    // The created CIs by id (a range of the table), each looked up on cis_type_name.
    const same = `FROM cis n JOIN cis o ON o.type = n.type AND o.name = n.name AND o.id <= @before AND o.source IS @source
                  WHERE n.id > @before`;
    const args = { before: this.maxBefore, source };
    const count = this.db.prepare(`SELECT count(DISTINCT n.id) ${same}`).pluck().get(args) as number;
    if (count === 0) return [];
    const first = this.db.prepare(`SELECT n.key, n.name, n.type, o.key AS was ${same} ORDER BY n.id, o.id LIMIT 1`).get(args) as {
      key: string;
      name: string;
      type: string;
      was: string;
    };
    const created = dryRun ? 'would create' : 'created';
    const what = count === 1 ? `1 CI this import ${created} has` : `${count} CIs this import ${created} have`;
    const made = dryRun ? 'would make' : 'made';
    return [
      `${file}: ${what} the type and name of a CI that source "${source}" had before under another key (${first.name}, a ${first.type}, is ${first.was} in the CMDB and ${first.key} in this file). If the file is keyed by another column than the last import of it was, each such row ${made} a second CI of the same thing: ${dryRun ? '' : 'undo this import and '}map id to the column the CMDB's keys came from (or, if they were type and name, leave id out). Two CIs of one name and type (pods of two namespaces) may both be right.`,
    ];
  }
}
