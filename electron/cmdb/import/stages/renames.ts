/**
 * Rows that rename the stored CI their key names, where that says the file's keys are not the CMDB's: a
 * second tool's or team's export keyed by its own numbers (GLPI's or Snipe-IT's `ID`, Lansweeper's
 * `AssetID`, Device42's `device_id`, a sheet's row number) names CIs "1", "2", "3" another source wrote,
 * and each row would take one over: rename it, change its owner and source, keep its relationships.
 *
 * - Of another source (OtherSourceRenames): a row whose key is that of a CI another source wrote (its
 *   stored source is set and is not this import's) and that gives it another name. When such rows are
 *   most of the rows whose key is that of another source's CI (more than half: a collision renames nearly
 *   every CI it meets, a re-export a few of many) and at least two (one row is no pattern: a sheet that
 *   renames one CI means it, and gets the note), the import is refused
 *   (it rolls back, so nothing is written; a dry run is refused alike) naming the file, its key column, the
 *   count and the first rows, and what to do: key the file by a column unique across the tools, or, when
 *   these are the same CIs renamed, allow it (`--allow-renames`, the request's `allowRenames`). Fewer such
 *   rows, or allowed, get a note counting them. A sync under a new source by default asks the same before it
 *   advises an earlier source (source-split.ts).
 * - Of another type (retypedRenames): a rename and a reclassification at once, whatever the source: a note.
 *
 * The rename is seen where the CI stage computes an update's changes (cis.ts storedUpdater), from the stored
 * CI it has read anyway: a comparison per updated row. The rows whose key is another source's CI but change
 * no name are counted there too when the update takes the CI into this import's source; those it leaves in
 * theirs (unchanged rows, an update-only import's) are counted by one query over the CIs the file listed,
 * made only when a row renamed one (seenOtherSource).
 */
import { CmdbError } from '../../../../shared/errors.js';
import { ADVICE } from '../advice.js';
import { formatCount, formatCountOf } from '../../../../shared/format.js';
import type { ExistingCi } from './stored-cis.js';
import type { ImportContext } from './context.js';
import type { SeenRows } from './seen.js';

/** Rows a message names as examples. */
const EXAMPLES = 2;
/** CI ids a query takes at a time. */
const IDS_A_QUERY = 5000;

/** Rows renaming CIs of other sources that may be a collision: fewer is a deliberate rename (a sheet of one row). */
const COLLISION_ROWS = 2;

/** Whether `renamed` rows of `matched` (rows whose key is another source's CI) are a key collision: most of them, and two or more. */
export function mostlyRenamed(renamed: number, matched: number): boolean {
  return renamed >= COLLISION_ROWS && 2 * renamed > matched;
}

export class OtherSourceRenames {
  /** Rows that renamed a CI of another source, by that source. */
  private readonly bySource = new Map<string, number>();
  private renamedRows = 0;
  /** Rows whose update took a CI of another source into this import's source (renamed or not). */
  private taken = 0;
  private readonly examples: string[] = [];

  /** `keyColumn`: the file's key column (null: keyed by type and name); `nameColumn`: its name column. */
  constructor(
    private readonly ctx: ImportContext,
    private readonly file: string,
    private readonly keyColumn: string | null,
    private readonly nameColumn: string | null,
  ) {}

  /**
   * An update of a stored CI (`existing`, before it): `name` the row's (null: the file has no name column),
   * `took` whether the update takes the CI into this import's source.
   */
  updated(line: number, key: string, existing: ExistingCi, name: string | null, took: boolean): void {
    const from = existing.source;
    if (from === null || from === this.ctx.source) return;
    if (took) this.taken++;
    if (name === null || name === existing.name) return;
    this.renamedRows++;
    this.bySource.set(from, (this.bySource.get(from) ?? 0) + 1);
    if (this.examples.length < EXAMPLES)
      this.examples.push(`line ${line}: key ${JSON.stringify(key)} is ${existing.name} from ${from}; this file names it ${name}`);
  }

  /** Rows that renamed a CI of `source`. */
  renamedOf(source: string): number {
    return this.bySource.get(source) ?? 0;
  }

  /** After the last row: throws the refusal when the renames are a key collision (unless allowed); else the note, if any. */
  end(): string | null {
    if (this.renamedRows === 0) return null;
    const matched = this.matched();
    if (!this.ctx.input.allowRenames && mostlyRenamed(this.renamedRows, matched)) throw this.refusal(matched);
    const rows = this.renamedRows === 1 ? '1 row' : `${formatCount(this.renamedRows)} rows`;
    const verb = this.ctx.dryRun ? 'would rename' : 'renamed';
    const what =
      this.renamedRows === 1 ? 'a CI another source wrote' : `CIs ${this.bySource.size === 1 ? 'another source' : 'other sources'} wrote`;
    const undo = this.ctx.dryRun ? '' : 'undo this import and ';
    return `${this.file}: ${rows} ${verb} ${what} (${this.examples.join('; ')}), of the ${formatCountOf(matched, 'row', 'rows')} whose key is that of another source's CI. If ${this.renamedRows === 1 ? 'it is' : 'they are'} not the same CI${this.renamedRows === 1 ? '' : 's'} renamed but other CIs under the same keys, ${undo}key the file by a column unique across the tools.`;
  }

  /** The refusal of a key collision, as end() throws it (source-split.ts throws it for a sync too). */
  refusal(matched = this.matched()): CmdbError {
    const n = this.renamedRows;
    const keys = this.keyColumn === null ? 'its keys (type and name)' : `its keys (column ${this.keyColumn})`;
    const byName = this.nameColumn === null ? '' : `its names ("cis": { "id": ${JSON.stringify(this.nameColumn)} }), `;
    return new CmdbError(
      'INVALID_REQUEST',
      `${this.file}: import refused: ${keys} collide with another source's: ${formatCount(n)} of the ${formatCountOf(matched, 'row', 'rows')} whose key is that of a CI another source wrote would rename that CI (${this.examples.join('; ')}). Each would take over that CI, its owner and its relationships. Nothing was imported. Key the file by a column unique across the tools, ${ADVICE.keyInMapping.cli}: ${byName}or a column you add of keys with a prefix of their own (GLPI-1, say). If these rows are the same CIs renamed, ${ADVICE.allowRenames.cli}.`,
      { file: this.file, keyColumn: this.keyColumn, renamed: n, matched, renamedFrom: [...this.bySource.keys()] },
    );
  }

  /** Rows whose key is that of another source's CI: those taken into this source, and those the file listed left in theirs. */
  private matched(): number {
    return this.taken + seenOtherSource(this.ctx, this.ctx.seenCis);
  }
}

/** How many of the stored CIs the file listed are of another source than the import's (set, and not its own). */
function seenOtherSource(ctx: ImportContext, seen: SeenRows): number {
  const count = ctx.db.prepare(
    'SELECT count(*) FROM cis WHERE id IN (SELECT value FROM json_each(?)) AND source IS NOT NULL AND source != ?',
  );
  let n = 0;
  let ids: number[] = [];
  for (const id of seen.ids()) {
    ids.push(id);
    if (ids.length === IDS_A_QUERY) {
      n += count.pluck().get(JSON.stringify(ids), ctx.source) as number;
      ids = [];
    }
  }
  if (ids.length > 0) n += count.pluck().get(JSON.stringify(ids), ctx.source) as number;
  return n;
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
