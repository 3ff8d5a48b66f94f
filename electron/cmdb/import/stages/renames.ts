/**
 * Rows that rename the stored CI their key names, where that says the file's keys are not the CMDB's: a
 * second tool's or team's export keyed by its own numbers (GLPI's or Snipe-IT's `ID`, Lansweeper's
 * `AssetID`, Device42's `device_id`, a sheet's row number) names CIs "1", "2", "3" another export wrote,
 * and each row would overwrite one: rename it, change its fields, keep its relationships.
 *
 * - A key collision: rows whose key is a number (a tool's own numbering, as a sheet may write it: `1001`,
 *   `1,001`, `1 001`, `1001.0`; a meaningful key, a host name or a serial, names the same thing in every
 *   tool) and matches a stored CI, of which most (more than half) and at least two (one row is no pattern:
 *   a sheet that renames one CI means it) give that CI another name (case, accents, spacing and punctuation aside, and a host
 *   name given its domain or losing it). Counted whatever the CI's source, since two tools' exports named
 *   alike (`cis.csv`) share the default source and nothing tells them from one export's next version
 *   (which a new naming convention renames throughout: allowed, or imported under its `--source` named),
 *   but for a CI of the source the import names explicitly (`--source`: its own export, whose renames it
 *   means). The import is refused (it rolls back, so nothing is written; a dry run is refused alike)
 *   naming the file, its key column, the count and the first rows, and what to do: key the file, and its
 *   relationships file, by a column unique across the tools, or, when these are the same CIs renamed,
 *   allow it (`--allow-renames`, the request's `allowRenames`). A sync under a new source by default asks
 *   the same before it advises an earlier source (source-split.ts).
 * - Of another source (a rename of a CI another source wrote, any key): not refused, but a note counts them.
 * - Of another type (retypedRenames): a rename and a reclassification at once, whatever the source: a note.
 *
 * The renames are seen where the CI stage computes an update's changes (cis.ts storedUpdater), from the
 * stored CI it has read anyway, and the unchanged rows where it counts them: a comparison per row.
 */
import { CmdbError } from '../../../../shared/errors.js';
import { ADVICE } from '../advice.js';
import { formatCount, formatCountOf } from '../../../../shared/format.js';
import type { ExistingCi } from './stored-cis.js';
import type { ImportContext } from './context.js';
import { isNumberedKey } from './reformatted-keys.js';
import { foldText } from '../../../../shared/normalize-name.js';

/** Rows a message names as examples. */
const EXAMPLES = 2;

/** Rows renaming CIs that may be a collision: fewer is a deliberate rename (a sheet of one row). */
const COLLISION_ROWS = 2;

/**
 * Whether a row's name is another than the stored CI's: case, accents, spacing and punctuation aside (as the
 * duplicate rule reads names, foldText), and a host name given its domain or losing it (`web01`,
 * `web01.corp.example.com`) is the same; null: the file has no name.
 */
function renames(name: string | null, was: string): boolean {
  if (name === null || foldText(name, ' ') === foldText(was, ' ')) return false;
  const [a, b] = [name.trim().toLowerCase(), was.trim().toLowerCase()];
  return !a.startsWith(`${b}.`) && !b.startsWith(`${a}.`);
}

export class KeyRenames {
  /** Rows whose numbered key is a stored CI's (not one of the source named explicitly), and those that overwrite it with another. */
  private numbered = 0;
  private numberedRenamed = 0;
  /** Of those, the rows that overwrite a CI of this import's own default source (another tool's file of the same name). */
  private sameDefaultSource = 0;
  private readonly numberedExamples: string[] = [];
  /** Rows that renamed a CI of another source, by that source. */
  private readonly bySource = new Map<string, number>();
  private otherRenamed = 0;
  private readonly otherExamples: string[] = [];

  /** `keyColumn`: the file's key column; `nameColumn`: its name column (null: none). */
  constructor(
    private readonly ctx: ImportContext,
    private readonly file: string,
    private readonly keyColumn: string,
    private readonly nameColumn: string | null,
  ) {}

  /** A row whose key is a stored CI's (`existing`, before the row) and that changes it; `name`: the row's (null: no name column). */
  updated(line: number, key: string, existing: ExistingCi, name: string | null): void {
    const example = () =>
      `line ${line}: key ${JSON.stringify(key)} is ${existing.name} from ${existing.source ?? 'an edit'}; this file names it ${name}`;
    const renamed = renames(name, existing.name);
    if (this.counts(key, existing.source)) {
      this.numbered++;
      if (renamed) {
        this.numberedRenamed++;
        if (existing.source === this.ctx.source) this.sameDefaultSource++;
        if (this.numberedExamples.length < EXAMPLES) this.numberedExamples.push(example());
      }
    }
    const from = existing.source;
    if (!renamed || from === null || from === this.ctx.source) return;
    this.otherRenamed++;
    this.bySource.set(from, (this.bySource.get(from) ?? 0) + 1);
    if (this.otherExamples.length < EXAMPLES) this.otherExamples.push(example());
  }

  /** A row whose key is a stored CI's and that changes nothing (its name is the CI's): `source` the CI's, when read. */
  unchanged(key: string, source: string | null): void {
    if (this.counts(key, source)) this.numbered++;
  }

  /** Whether the collision check counts a row of this key, matching a CI of `source`. */
  private counts(key: string, source: string | null): boolean {
    return isNumberedKey(key) && !(this.ctx.input.source !== undefined && source === this.ctx.source);
  }

  /** Whether the rows so far are a key collision (and it is not allowed). */
  collides(): boolean {
    // Most of them (a re-export renames a few of many), and two or more.
    const n = this.numberedRenamed;
    return !this.ctx.input.allowRenames && n >= COLLISION_ROWS && 2 * n > this.numbered;
  }

  /** After the last row: throws the refusal when the renames are a key collision (unless allowed); else the note, if any. */
  end(): string | null {
    if (this.collides()) throw this.refusal();
    if (this.otherRenamed === 0) return null;
    const n = this.otherRenamed;
    const rows = n === 1 ? '1 row' : `${formatCount(n)} rows`;
    const verb = this.ctx.dryRun ? 'would rename' : 'renamed';
    const what = n === 1 ? 'a CI another source wrote' : `CIs ${this.bySource.size === 1 ? 'another source' : 'other sources'} wrote`;
    const undo = this.ctx.dryRun ? '' : 'undo this import and ';
    return `${this.file}: ${rows} ${verb} ${what} (${this.otherExamples.join('; ')}). If ${n === 1 ? 'it is' : 'they are'} not the same CI${n === 1 ? '' : 's'} renamed but other CIs under the same keys, ${undo}key the file by a column unique across the tools.`;
  }

  /** The refusal of a key collision, as end() throws it (source-split.ts throws it for a sync too). */
  refusal(): CmdbError {
    const n = this.numberedRenamed;
    const matched = this.numbered;
    const byName = this.nameColumn === null ? '' : `its names (column ${this.nameColumn}), `;
    // Another tool's file of the same name shares the default source of the CIs it would rename: a sync of either would retire the other's.
    const ownSource =
      this.sameDefaultSource > 0 ? `, and if it is another tool's file of this name, import it ${ADVICE.sourceOwn.cli}` : '';
    const next = this.sameDefaultSource > 0 ? " (this file's next export)" : '';
    return new CmdbError(
      'INVALID_REQUEST',
      `${this.file}: import refused: its keys (column ${this.keyColumn}) are numbers that name other CIs: ${formatCount(n)} of the ${formatCountOf(matched, 'row', 'rows')} whose key is a stored CI's would rename that CI (${this.numberedExamples.join('; ')}). Each would overwrite another CI, keeping its relationships. Nothing was imported. Key the file by a column unique across the tools, ${ADVICE.keyInMapping.cli}: ${byName}or a column you add of keys with a prefix of their own (GLPI-1, say); key its relationships file's ends the same way${ownSource}. If these rows are the same CIs renamed${next}, ${ADVICE.allowRenames.cli}.`,
      { file: this.file, keyColumn: this.keyColumn, renamed: n, matched, renamedFrom: [...this.bySource.keys()] },
    );
  }
}

/**
 * Rows that rename a CI of another type than the file gives them (its type
 * column, or ciDefaults.type): a rename and a reclassification at once, or,
 * far more often, keys that are another list's numbers (NetBox numbers
 * devices and virtual machines apart, so virtual machine 1 is not device 1).
 * The import goes ahead (it can be undone); its report names the first such
 * row and what to do.
 */
export function retypedRenames(file: string, dryRun: boolean) {
  let count = 0;
  let first = '';
  return {
    note(line: number, key: string, existing: ExistingCi, name: string, type: string): void {
      if (count++ === 0) first = `line ${line}: key ${key} is ${existing.name}, a ${existing.type}; the file calls it ${name}, a ${type}`;
    },
    warnings(): string[] {
      if (count === 0) return [];
      const rows = count === 1 ? '1 row renames a CI' : `${count} rows rename CIs`;
      const what = dryRun ? 'would overwrite' : 'overwrote';
      return [
        `${file}: ${rows} of another type (${first}). If the file's keys are another list's numbers (NetBox numbers devices and virtual machines apart), these rows ${what} other CIs: ${dryRun ? '' : 'undo this import and '}key the file by a column unique across both lists (map id to another column).`,
      ];
    },
  };
}
