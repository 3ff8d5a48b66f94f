/**
 * Rows a spreadsheet adds that are not CIs: a totals row (`Total`, `Grand
 * total`) under the list, a note under it (`Notes:`, `* app03 retired in
 * June`: row-cells.ts isNoteRow), and a formula written as text where the sheet
 * was saved with its formulas (`=HYPERLINK("https://...","web-01")`). Each
 * imports as a CI of that name when the row reads as one (a default type
 * gives it a type; without one such a row is refused, ci-rows.ts); the report
 * names the first of each, so the file can be fixed. A row costs a look at
 * the name's first character and, for a short name, one set lookup.
 */
import type { Statement } from 'better-sqlite3';
import { formatCount } from '../../../../shared/format.js';
import type { Db } from '../../db.js';
import { isTotalsName, shownText } from '../row-cells.js';

/**
 * Whether a cell of a row refused as a totals row or a note names a stored CI (its key or name): then it may be
 * a CI's or relationship's row whose other cells were lost, which a sync must not take as listing nothing.
 */
export function storedCiNamer(db: Db): (cells: readonly string[]) => boolean {
  let byKey: Statement | null = null;
  let byName: Statement | null = null;
  return (cells) => {
    byKey ??= db.prepare('SELECT 1 FROM cis WHERE key = ?').pluck();
    byName ??= db.prepare('SELECT 1 FROM cis WHERE name = ? COLLATE NOCASE LIMIT 1').pluck();
    return cells.some((text) => {
      const t = text.trim();
      return t !== '' && (byKey!.get(t) !== undefined || byName!.get(t) !== undefined);
    });
  };
}

/** A formula as text: `=` and a function's name and its opening parenthesis. */
const FORMULA = /^=[A-Za-z][A-Za-z0-9._]*\(/;

interface First {
  line: number;
  name: string;
  count: number;
}

export class SheetArtefacts {
  private totals: First | null = null;
  private notes: First | null = null;
  private formulas: First | null = null;

  /** A row's CI name (null: the file has no name column), on its line; `note`: the row is a note under the table (isNoteRow). */
  check(name: string | null, line: number, note = false): void {
    if (name === null) return;
    if (note) {
      if (this.notes) this.notes.count++;
      else this.notes = { line, name, count: 1 };
    } else if (name.charCodeAt(0) === 61 /* = */ && FORMULA.test(name)) {
      if (this.formulas) this.formulas.count++;
      else this.formulas = { line, name, count: 1 };
    } else if (isTotalsName(name)) {
      if (this.totals) this.totals.count++;
      else this.totals = { line, name, count: 1 };
    }
  }

  /** The report's notes: what the rows look like, and what to do (the undo when the import is done). */
  warnings(file: string, importId: number, dryRun: boolean): string[] {
    const then = dryRun ? '' : `, then undo this import (import ${importId}) and import it again`;
    const rows = (f: First) => (f.count === 1 ? `line ${f.line}` : `${formatCount(f.count)} rows (the first on line ${f.line})`);
    const out: string[] = [];
    if (this.totals) {
      out.push(
        `${file}: ${rows(this.totals)} ${this.totals.count === 1 ? 'names a CI' : 'name CIs'} "${this.totals.name}", as a spreadsheet's totals row does, not a CI: delete ${this.totals.count === 1 ? 'that row' : 'those rows'} from the file${then}.`,
      );
    }
    if (this.notes) {
      const one = this.notes.count === 1;
      out.push(
        `${file}: ${rows(this.notes)} ${one ? 'names a CI' : 'name CIs'} "${shownText(this.notes.name)}" and ${one ? 'has' : 'have'} nothing else filled in, as a note under a spreadsheet's table does, not a CI: delete ${one ? 'that row' : 'those rows'} from the file${then}.`,
      );
    }
    if (this.formulas) {
      out.push(
        `${file}: ${rows(this.formulas)} ${this.formulas.count === 1 ? 'has' : 'have'} a spreadsheet formula for the CI name (${shownText(this.formulas.name)}): the sheet was saved with its formulas, and the CMDB keeps their text. Save the sheet's values (copy, paste as values) before exporting it${then}.`,
      );
    }
    return out;
  }
}
