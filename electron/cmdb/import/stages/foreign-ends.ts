/**
 * Relationship ends numbered by another tool: a second tool's CIs file keyed by names (as the key-collision
 * refusal, renames.ts, tells it to be) with its relationships file still naming its ends by the tool's own
 * numbers (1, 2, 3). Each such end is another CI's key, of an earlier import, so each row would link two CIs
 * this import does not list, and the impact answers would follow relationships nobody has (found by a
 * tester, after the CIs file was re-keyed).
 *
 * Counted only where the signal is plain: this import has a CIs file whose keys are not numbers (a sample
 * of its first rows), the CMDB held CIs before it, and a row links two CIs that this import's CIs file
 * neither lists nor creates, both by numbered keys. When those rows are most of the rows (more than half,
 * and two or more), the import is refused and nothing written, naming the rows and what to do. A
 * relationships file imported on its own (links to CIs earlier imports wrote, as it means) is not checked.
 * A comparison per row of the first ROWS_SAMPLED; a key read by id only for such a row whose ends are both outside the import.
 */
import { CmdbError } from '../../../../shared/errors.js';
import { formatCount } from '../../../../shared/format.js';
import type { ImportContext } from './context.js';
import { isNumberedKey } from './reformatted-keys.js';
import { ADVICE } from '../advice.js';

/** The CIs file's first keys sampled to tell whether it is keyed by numbers. */
const KEYS_SAMPLED = 64;
/** Rows a message names as examples. */
const EXAMPLES = 2;
/** One row is no pattern: a link to another tool's CI 12 may be meant. */
const REFUSED_FROM = 2;

/** Whether a CIs file is keyed by numbers, from its first keys; its key column for the message. */
export class CiFileKeys {
  private sampled = 0;
  private numbered = 0;

  constructor(
    readonly file: string,
    readonly keyColumn: string,
  ) {}

  /** A row's key (only the first KEYS_SAMPLED count). */
  add(key: string): void {
    if (this.sampled >= KEYS_SAMPLED) return;
    this.sampled++;
    if (isNumberedKey(key)) this.numbered++;
  }

  /** Whether most keys sampled are names, not numbers. */
  get named(): boolean {
    return this.sampled > 0 && 2 * this.numbered < this.sampled;
  }
}

/** A CI at one end of a relationship, with its key when the row named it by key. */
type End = { id: number; key?: string };

/** Rows judged: the first ones with both ends found, so that the check costs a bounded number of reads (found by a reviewer). */
const ROWS_SAMPLED = 1000;

export class ForeignEnds {
  private rows = 0;
  private foreign = 0;
  private readonly examples: string[] = [];
  private active: boolean;
  private nameOf: ReturnType<ImportContext['db']['prepare']> | null = null;

  /** `keyOf`: a stored CI's key by id; `columns`: the file's source and target columns. */
  constructor(
    private readonly ctx: ImportContext,
    private readonly file: string,
    private readonly columns: readonly [string, string],
    private readonly keyOf: (id: number) => string,
  ) {
    const cis = ctx.ciFileKeys;
    this.active = !ctx.bulk && ctx.ciIdsBefore > 0 && cis !== null && cis.named;
  }

  /** Whether a CI is outside this import's CIs file: stored before it, and not listed by it. */
  private outside(id: number): boolean {
    return id <= this.ctx.ciIdsBefore && !this.ctx.seenCis.has(id);
  }

  /** A row with both ends found (src the source of the relationship, tgt its target); the verdict at the ROWS_SAMPLED-th. */
  row(line: number, src: End, tgt: End): void {
    if (!this.active) return;
    if (++this.rows === ROWS_SAMPLED) this.active = false;
    if (this.outside(src.id) && this.outside(tgt.id)) {
      const s = src.key ?? this.keyOf(src.id);
      const t = tgt.key ?? this.keyOf(tgt.id);
      if (isNumberedKey(s) && isNumberedKey(t)) {
        this.foreign++;
        if (this.examples.length < EXAMPLES) {
          this.nameOf ??= this.ctx.db.prepare('SELECT name FROM cis WHERE id = ?').pluck();
          this.examples.push(`line ${line}: ${s} -> ${t} is ${String(this.nameOf.get(src.id))} -> ${String(this.nameOf.get(tgt.id))}`);
        }
      }
    }
    if (!this.active) this.end();
  }

  /** After the sample (or the last row, in a shorter file): throws the refusal when most rows link two CIs outside the import by numbers. */
  end(): void {
    if (this.foreign < REFUSED_FROM || 2 * this.foreign <= this.rows) return;
    const cis = this.ctx.ciFileKeys!;
    const [source, target] = this.columns;
    const of = this.rows === ROWS_SAMPLED ? `the first ${formatCount(this.rows)}` : `its ${formatCount(this.rows)}`;
    throw new CmdbError(
      'INVALID_REQUEST',
      `${this.file}: import refused: its ends (columns ${source} and ${target}) are numbers, while ${cis.file} keys its CIs by ${cis.keyColumn}, not by numbers: ${formatCount(this.foreign)} of ${of} relationships would link two CIs that ${cis.file} does not list, stored by earlier imports under those numbers (${this.examples.join('; ')}). They are likely another tool's numbering. Nothing was imported. Write the relationships file's ends as ${cis.file}'s ${cis.keyColumn} values (or its CIs' names) and import again. If these rows do mean the CIs stored under those numbers, ${ADVICE.relationshipsAlone.cli}.`,
      { file: this.file, rows: this.foreign, of: this.rows, cisFile: cis.file, keyColumn: cis.keyColumn },
    );
  }
}
