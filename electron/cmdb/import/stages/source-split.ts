/**
 * A sync under a source no import had before, by default (its CIs file's
 * name: this week's export saved under a dated name), whose file lists CIs
 * an earlier import brought: refused. Run, it would retire none of the
 * earlier source's CIs (they are not of its source) and take into the new
 * source only the CIs it changes (an update takes a CI into the import's
 * source), splitting the earlier source so that neither name's sync retires
 * them all again. The refusal names each earlier source with how many of the
 * listed CIs it holds, and what to give as the source (in the CLI's words,
 * advice.ts: the wizard's for the app); a source given explicitly
 * (`--source`, the wizard's Source field) is honoured, new or not.
 * The CI stage notes each stored CI the file lists and asks at its end,
 * before the relationships: the import rolls back, and nothing was written.
 */
import type { Statement } from 'better-sqlite3';
import { CmdbError } from '../../../../shared/errors.js';
import { formatCount, formatCountOf } from '../../../../shared/format.js';
import type { EarlierSource } from '../../../../shared/import-fields.js';
import { ADVICE, SOURCE_ADVICE } from '../advice.js';
import type { ImportContext } from './context.js';

/** Earlier sources the refusal names, at most (the most CIs first). */
const SOURCES_NAMED = 5;

export class SourceSplit {
  /** The listed stored CIs, by the source each has (null: none). */
  private readonly bySource = new Map<string | null, number>();
  private readonly sourceOf: Statement;

  private constructor(private readonly ctx: ImportContext) {
    this.sourceOf = ctx.db.prepare('SELECT source FROM cis WHERE id = ?').pluck();
  }

  /**
   * The check for this import, or null when it has nothing to check: not a sync, a source given explicitly, an
   * empty CMDB (no earlier source), or a source known before (an import of it, or a CI of it). Called before the
   * CI stage writes anything (a CI it creates has the source).
   */
  static of(ctx: ImportContext): SourceSplit | null {
    if (ctx.mode !== 'sync' || ctx.input.source !== undefined || ctx.bulk) return null;
    const known = ctx.db
      .prepare(
        // Not an update-only import's: it takes no CI into its source.
        `SELECT EXISTS(SELECT 1 FROM imports WHERE source = @source AND id != @id AND status = 'committed' AND undone_at IS NULL
                         AND mode != 'update-only')
             OR EXISTS(SELECT 1 FROM cis WHERE source = @source)`,
      )
      .pluck()
      .get({ source: ctx.source, id: ctx.importId });
    return known ? null : new SourceSplit(ctx);
  }

  /** A stored CI the file lists (once each), before the import changes it. */
  note(id: number): void {
    const source = this.sourceOf.get(id) as string | null;
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
  }

  /** The earlier imports' sources of the listed CIs, the most CIs first (a CI made in the app has no import's source). */
  earlierSources(): EarlierSource[] {
    const imported = this.ctx.db.prepare(
      `SELECT EXISTS(SELECT 1 FROM imports WHERE source = ? AND id != ? AND status = 'committed' AND undone_at IS NULL)`,
    );
    return [...this.bySource]
      .filter((e): e is [string, number] => e[0] !== null && imported.pluck().get(e[0], this.ctx.importId) === 1)
      .map(([source, cis]) => ({ source, cis }))
      .sort((a, b) => b.cis - a.cis || (a.source < b.source ? -1 : 1));
  }

  /** Throws the refusal when the file lists CIs of earlier sources (after the CI stage: the import then rolls back). */
  refuseIfSplit(file: string): void {
    const earlier = this.earlierSources();
    if (earlier.length === 0) return;
    const { ctx } = this;
    const listed = ctx.seenCis.size + ctx.counts.created;
    const named = earlier.slice(0, SOURCES_NAMED);
    const more = earlier.length - named.length;
    const one = earlier[0]!;
    const held =
      earlier.length === 1
        ? `${one.cis === listed ? (listed === 1 ? 'the' : 'all') : `${formatCount(one.cis)} of the`} ${formatCountOf(listed, 'CI', 'CIs')} it lists ${one.cis === 1 ? 'was' : 'were'} imported from ${one.source}`
        : `of the ${formatCountOf(listed, 'CI', 'CIs')} it lists, ${andList([
            `${formatCount(one.cis)} ${one.cis === 1 ? 'was' : 'were'} imported from ${one.source}`,
            ...named.slice(1).map((e) => `${formatCount(e.cis)} from ${e.source}`),
            ...(more > 0 ? [`more from ${formatCountOf(more, 'other source', 'other sources')}`] : []),
          ])}`;
    const that = earlier.length === 1 ? 'that source' : 'one of those sources';
    throw new CmdbError(
      'INVALID_REQUEST',
      `${file}: sync refused: its source is the file's name, "${ctx.source}", a source no import had before, and ${held}. Under a new source the sync would retire none of ${earlier.length === 1 ? "that source's" : "those sources'"} CIs the file no longer lists, and take into the new source only the CIs it changes, splitting ${earlier.length === 1 ? 'it' : 'them'}. Nothing was imported. To sync ${that}, ${named.map((e) => SOURCE_ADVICE.cli(e.source)).join(' or ')}; to start a new source, ${ADVICE.sourceNew.cli}.`,
      // The earlier sources for the wizard to offer as its Source (earlierSourcesOf).
      { file, source: ctx.source, listed, earlierSources: earlier.slice(0, 100) },
    );
  }
}

/** `a`, `a and b`, `a, b and c`. */
const andList = (parts: string[]): string => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`);
