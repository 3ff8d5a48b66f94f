/**
 * A sync under a source no import had before, by default (its CIs file's
 * name: this week's export saved under a dated name), whose file is a
 * re-export of an earlier import's source: refused. Run, it would retire none
 * of the earlier source's CIs (they are not of its source) and take into the
 * new source only the CIs it changes (an update takes a CI into the import's
 * source), splitting the earlier source so that neither name's sync retires
 * them all again. A source given explicitly (`--source`, the wizard's Source
 * field) is honoured, new or not.
 *
 * A re-export: at least half of the first DECIDE_AFTER CIs the file lists,
 * or of all it lists, are of one earlier source. A re-export
 * lists mostly its source's CIs (a week's churn adds a few new ones); another
 * tool's export lists mostly CIs of its own, sharing a few keys with another
 * source (RVTools' VMs that ServiceNow lists too), and syncing it under that
 * source, as a refusal would advise, would retire the rest of that source.
 * Such a sync goes ahead, with a note naming the CIs it shares and those it
 * took into its source. The refusal names each earlier source with how many
 * of those CIs it holds, and what to give as the source (in the CLI's words,
 * advice.ts: the wizard's for the app).
 *
 * Decided as the DECIDE_AFTER-th listed CI is read, so a refused re-export of
 * a million rows applies no more than that many before the import rolls
 * back, and again at the file's end on all it lists (a file that lists its
 * new CIs first); each CI's source comes with the stored CI the CI stage
 * reads anyway (StoredCis `withSource`), no query a row.
 *
 * Rows that list an earlier source's CIs but mostly give them other names are no re-export of it: the
 * file's keys collide with that source's (another tool's numbers), and syncing under it, as the advice
 * would say, would rename its CIs. Then the refusal is the key collision's (renames.ts), not this advice.
 */
import { CmdbError } from '../../../../shared/errors.js';
import { formatCount, formatCountOf } from '../../../../shared/format.js';
import type { EarlierSource } from '../../../../shared/import-fields.js';
import { ADVICE, SOURCE_ADVICE } from '../advice.js';
import type { ImportContext } from './context.js';
import type { KeyRenames } from './renames.js';

/** The listed CIs the refusal is decided on: enough to tell a re-export, few enough that a refused sync stops early. */
export const DECIDE_AFTER = 1000;
/** Earlier sources a message names, at most (the most CIs first), and CI keys a note names per source. */
const SOURCES_NAMED = 5;
const KEYS_NAMED = 5;

/**
 * Whether an import other than this one (@id), committed and not undone, took CIs into @source: the one
 * definition of an import's source, for the sync's own (known, so not checked) and for the earlier sources it
 * names. Not an update-only import's: it takes no CI into its source (cis.ts), so a sync under it is its first,
 * and no CI is of it through it.
 */
const IMPORTED_SQL = `EXISTS(SELECT 1 FROM imports WHERE source = @source AND id != @id AND status = 'committed' AND undone_at IS NULL
                       AND mode != 'update-only')`;

/** The listed CIs of one source: how many, the first keys, and those the import took into its source. */
interface Held {
  cis: number;
  keys: string[];
  taken: number;
  takenKeys: string[];
}

export class SourceSplit {
  /** The listed CIs by the source each had before the import (null: none, or a CI the import created). */
  private readonly bySource = new Map<string | null, Held>();
  private listed = 0;

  private constructor(
    private readonly ctx: ImportContext,
    private readonly file: string,
    private readonly renames: KeyRenames,
  ) {}

  /**
   * The check for this import, or null when it has nothing to check: not a sync, a source given explicitly, an
   * empty CMDB (a bulk load: no earlier source), or a source known before (an import of it, or a CI of it).
   * Called before the CI stage writes anything (a CI it creates has the source). `renames`: the rows that
   * renamed CIs of other sources (renames.ts), which tell a key collision from a re-export.
   */
  static of(ctx: ImportContext, file: string, renames: KeyRenames): SourceSplit | null {
    if (ctx.mode !== 'sync' || ctx.input.source !== undefined || ctx.bulk) return null;
    const known = ctx.db
      .prepare(`SELECT ${IMPORTED_SQL} OR EXISTS(SELECT 1 FROM cis WHERE source = @source)`)
      .pluck()
      .get({ source: ctx.source, id: ctx.importId });
    return known ? null : new SourceSplit(ctx, file, renames);
  }

  /**
   * A CI the file lists (once each): `source`, the one a stored CI had (null for a CI the import creates). Throws
   * the refusal when this is the DECIDE_AFTER-th and they are a re-export (the import then rolls back).
   */
  list(source: string | null, key: string): void {
    this.listed++;
    const held = this.bySource.get(source) ?? { cis: 0, keys: [], taken: 0, takenKeys: [] };
    if (held.cis++ === 0) this.bySource.set(source, held);
    if (held.keys.length < KEYS_NAMED) held.keys.push(key);
    if (this.listed === DECIDE_AFTER) this.decide(true);
  }

  /** A listed CI of `from` the import changed, and so took into its source. */
  took(from: string | null, key: string): void {
    const held = this.bySource.get(from);
    if (held === undefined) return;
    if (held.taken++ < KEYS_NAMED) held.takenKeys.push(key);
  }

  /**
   * After the last row: the refusal, on all the CIs the file lists (unless they are the DECIDE_AFTER already
   * decided on); else the note naming the CIs it shares with earlier sources, if any.
   */
  end(): string | null {
    if (this.listed !== DECIDE_AFTER) this.decide(false);
    const earlier = this.earlierSources();
    if (earlier.length === 0) return null;
    const { ctx } = this;
    const shared = earlier.reduce((n, e) => n + e.cis, 0);
    const took = ctx.dryRun ? 'would take' : 'took';
    const parts = earlier.slice(0, SOURCES_NAMED).map((e) => {
      const held = this.bySource.get(e.source)!;
      const changed =
        held.taken === 0
          ? ''
          : `, of which it ${took} the ${formatCount(held.taken)} it changed into its source (${keysOf(held.takenKeys, held.taken)})`;
      return `${formatCount(e.cis)} of ${e.source} (${keysOf(held.keys, e.cis)})${changed}`;
    });
    if (earlier.length > SOURCES_NAMED)
      parts.push(`more of ${formatCountOf(earlier.length - SOURCES_NAMED, 'other source', 'other sources')}`);
    const went = ctx.dryRun ? 'would go ahead' : 'went ahead';
    return `${this.file}: its source, the file's name "${ctx.source}", is new, and ${formatCount(shared)} of the ${formatCountOf(this.listed, 'CI', 'CIs')} it lists ${shared === 1 ? 'is' : 'are'} of earlier sources: ${andList(parts)}. Too few to be a re-export of one source, so the sync ${went} under "${ctx.source}"; the CIs it lists unchanged stay in their source.`;
  }

  /** The earlier imports' sources of the listed CIs, the most CIs first (a CI made in the app has no import's source). */
  private earlierSources(): EarlierSource[] {
    const imported = this.ctx.db.prepare(`SELECT ${IMPORTED_SQL}`).pluck();
    return [...this.bySource]
      .filter((e): e is [string, Held] => e[0] !== null && imported.get({ source: e[0], id: this.ctx.importId }) === 1)
      .map(([source, held]) => ({ source, cis: held.cis }))
      .sort((a, b) => b.cis - a.cis || (a.source < b.source ? -1 : 1));
  }

  /** Throws the refusal when one earlier source holds at least half of the CIs listed so far (`early`: the first DECIDE_AFTER). */
  private decide(early: boolean): void {
    const earlier = this.earlierSources();
    const { ctx, listed, file } = this;
    const advised = earlier.filter((e) => 2 * e.cis >= listed);
    if (advised.length === 0) return;
    // Not a re-export of that source when its rows mostly give its CIs other names: the file's keys collide with its.
    if (this.renames.collides()) throw this.renames.refusal();
    const named = earlier.slice(0, SOURCES_NAMED);
    const more = earlier.length - named.length;
    const one = earlier[0]!;
    // Decided early, on the first DECIDE_AFTER CIs the file lists: the counts are of those.
    const total = `the ${early ? 'first ' : ''}${formatCountOf(listed, 'CI', 'CIs')}`;
    const all = early ? `all of ${total}` : listed === 1 ? total : `all ${formatCountOf(listed, 'CI', 'CIs')}`;
    const held =
      earlier.length === 1
        ? `${one.cis === listed ? all : `${formatCount(one.cis)} of ${total}`} it lists ${one.cis === 1 ? 'was' : 'were'} imported from ${one.source}`
        : `of ${total} it lists, ${andList([
            `${formatCount(one.cis)} ${one.cis === 1 ? 'was' : 'were'} imported from ${one.source}`,
            ...named.slice(1).map((e) => `${formatCount(e.cis)} from ${e.source}`),
            ...(more > 0 ? [`more from ${formatCountOf(more, 'other source', 'other sources')}`] : []),
          ])}`;
    const whose = advised.length === 1 ? (earlier.length === 1 ? "that source's" : `${advised[0]!.source}'s`) : "those sources'";
    const that = advised.length === 1 ? (earlier.length === 1 ? 'that source' : advised[0]!.source) : 'one of those sources';
    throw new CmdbError(
      'INVALID_REQUEST',
      `${file}: sync refused: its source is the file's name, "${ctx.source}", a source no import had before, and ${held}. Under a new source the sync would retire none of ${whose} CIs the file no longer lists, and take into the new source only the CIs it changes, splitting ${advised.length === 1 ? 'it' : 'them'}. Nothing was imported. To sync ${that}, ${advised.map((e) => SOURCE_ADVICE.cli(e.source)).join(' or ')}; to start a new source, ${ADVICE.sourceNew.cli}.`,
      // The sources to give, for the wizard to offer as its Source (earlierSourcesOf).
      { file, source: ctx.source, listed, earlierSources: advised },
    );
  }
}

/** The first keys of `n` CIs, with `...` for more. */
const keysOf = (keys: string[], n: number): string => `${keys.join(', ')}${n > keys.length ? ', ...' : ''}`;

/** `a`, `a and b`, `a, b and c`. */
const andList = (parts: string[]): string => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`);
