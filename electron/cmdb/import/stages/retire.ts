/**
 * The sync stage (mode 'sync' only): retires the CIs of the import's source
 * that its CIs file no longer lists, with a history row each (a CI's status
 * text from the source, `status_source`, goes with its status). It retires
 * nothing when a CI row was rejected (a rejected row may be a CI the file
 * still means to list), but for a row repeating an earlier row's key.
 */
import { ciLabel } from '../../../../shared/ci-label.js';
import { SOURCE_ATTRIBUTE } from '../../../../shared/import-vocab.js';
import type { Changes } from '../../history.js';
import { parseAttributes } from '../../rows.js';
import type { OpenedCsv } from '../source.js';
import type { ImportContext } from './context.js';
import { ADVICE } from '../advice.js';
import { SearchUpdates } from './search-updates.js';

/** Retires what the source's file no longer lists (or warns why it does not). */
export function retireUnlisted(ctx: ImportContext, cisCsv: OpenedCsv | null): void {
  const { db, counts, mode, source, now, importId, actor } = ctx;
  // A rejected row may be a CI the file still means to list: retiring by its absence would be wrong. Not a row
  // repeating an earlier row's key: that CI is listed.
  const rejected = counts.rejected - ctx.rejectedNoneMissing.cis;
  if (mode === 'sync' && cisCsv && rejected > 0) {
    ctx.warnings.push(
      `Sync retired nothing: ${rejected} CI row${rejected === 1 ? ' was' : 's were'} rejected, and a rejected row may be a CI the file still lists. Fix the rows and sync again.`,
    );
  } else if (mode === 'sync' && cisCsv?.noRows) {
    ctx.warnings.push(noRowsNote(cisCsv.file, 'retired nothing', 'CIs', ctx.source));
  } else if (mode === 'sync' && cisCsv) {
    ctx.retiredUnlisted = true;
    // Every CI of the source, its id only (the index on source holds them, in id order: no row is read); those
    // the file did not list are read whole, and retired unless this import wrote them or they are retired already.
    const ids = db.prepare('SELECT id FROM cis WHERE source = ? ORDER BY id').pluck().all(source) as number[];
    const ciOf = db.prepare('SELECT id, key, name, status, attributes, import_id FROM cis WHERE id = ?');
    const unlisted = ids
      .filter((id) => !ctx.seenCis.has(id))
      .map((id) => ciOf.get(id) as RetiredCi)
      .filter((c) => c.import_id !== importId);
    const gone = unlisted.filter((c) => c.status !== 'retired');
    const retire = db.prepare("UPDATE cis SET status = 'retired', updated_at = ?, import_id = ? WHERE id = ?");
    const retireWithAttributes = db.prepare(
      "UPDATE cis SET status = 'retired', attributes = ?, updated_at = ?, import_id = ? WHERE id = ?",
    );
    const history = db.prepare(
      `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id, prior_import_id)
       VALUES (?, 'ci', ?, ?, NULL, 'update', ?, ?, ?, ?, ?)`,
    );
    // The attributes are searched: their entries are replaced in one batch at the end, as the CI stage's are.
    const search = new SearchUpdates(db);
    for (const c of gone) {
      const changes: Changes = { status: { from: c.status, to: 'retired' } };
      const attributes = retiredAttributes(c.attributes, changes, ctx.cisMarkedDeleted.markOf(c.key));
      if (attributes === null) retire.run(now, importId, c.id);
      else {
        search.before(c.id);
        retireWithAttributes.run(attributes, now, importId, c.id);
      }
      history.run(
        now,
        c.id,
        c.key,
        `Retired: no longer listed by its source, "${source}" (a sync)`,
        JSON.stringify(changes),
        actor,
        importId,
        c.import_id ?? 0,
      );
      counts.retired++;
      ctx.noteUnlisted('retired', cisCsv.file, c.key, ciLabel(c), changes);
    }
    // Retired by an earlier sync, and now marked deleted: its MarkAsDeleted attribute as the row has it.
    const setAttributes = db.prepare('UPDATE cis SET attributes = ?, updated_at = ?, import_id = ? WHERE id = ?');
    for (const c of unlisted) {
      const mark = c.status === 'retired' ? ctx.cisMarkedDeleted.markOf(c.key) : null;
      const changes: Changes = {};
      const attributes = mark ? retiredAttributes(c.attributes, changes, mark) : null;
      if (attributes === null) continue;
      search.before(c.id);
      setAttributes.run(attributes, now, importId, c.id);
      history.run(now, c.id, c.key, `Marked deleted by ${source}`, JSON.stringify(changes), actor, importId, c.import_id ?? 0);
    }
    search.finish();
    // Every CI of the source retired and none listed: most likely another tool's export under the same name
    // (the default source is the file's name: two tools' "export.csv").
    if (gone.length > 0 && !ids.some((id) => ctx.seenCis.has(id))) ctx.warnings.push(noneListedNote(ctx, gone.length));
    // Nothing of the source left unlisted: perhaps its first sync. firstSyncNote checks: it stops at the first CI
    // of the source created before this import (the first row it reads, on any sync but a first one).
    const first = gone.length === 0 ? firstSyncNote(ctx) : null;
    if (first) ctx.warnings.push(first);
  }
}

/** A CI a sync retires, as read for it. */
interface RetiredCi {
  id: number;
  key: string;
  name: string;
  status: string | null;
  attributes: string;
  import_id: number | null;
}

/**
 * A retired CI's attributes without the status text an import read (`status_source`, "Repair in Progress"):
 * it said what the source's status was, and the source no longer lists the CI; beside `retired` it would
 * read as the CI's status still. A CI its row marks deleted (BMC's MarkAsDeleted: Yes) takes that cell, where
 * the attribute kept last week's No. Recorded in `changes` (undo puts the attributes back as they were, and a
 * file that lists the CI again the text: relisted.ts). Null when nothing changes.
 */
function retiredAttributes(json: string, changes: Changes, mark: { attribute: string; value: string } | null): string | null {
  const before = parseAttributes(json);
  const after = { ...before };
  delete after[SOURCE_ATTRIBUTE.status];
  if (mark) after[mark.attribute] = mark.value;
  if (!Object.hasOwn(before, SOURCE_ATTRIBUTE.status) && (!mark || before[mark.attribute] === mark.value)) return null;
  changes.attributes = { from: before, to: after };
  return JSON.stringify(after);
}

/**
 * Why a sync of a file of column names only changed nothing: a failed scheduled export often writes the header
 * alone, and retiring a whole source on it would be the worst reading. What to do when the source really has none.
 */
export function noRowsNote(file: string, did: string, what: 'CIs' | 'relationships', source: string): string {
  const remedy = what === 'CIs' ? 'retire them by hand, or sync a file that lists the rest' : 'delete them by hand';
  return `Sync ${did}: ${file} has no data rows, only its column names, as a failed export writes. If the source "${source}" really has no ${what} left, ${remedy}.`;
}

/** A sync that retired every CI of its source and listed none of them: what to do if that was not meant. */
function noneListedNote(ctx: ImportContext, retired: number): string {
  const { source, dryRun, importId } = ctx;
  const what = dryRun ? `Sync would retire all ${retired} CIs` : `Sync retired all ${retired} CIs`;
  // Door-neutral: the CLI prints the undo command (with its --db) below its notes, the app has an Undo button.
  const undo = dryRun ? 'do not run it' : `undo import ${importId}`;
  return `${what} of the source "${source}": the file lists none of them. If it is another tool's export with the same file name, ${undo} and sync each export ${ADVICE.sourceOwn.cli}.`;
}

/**
 * Why a sync retired nothing when no CI had its source before it (a newer
 * export saved under a new file name, say) while other sources exist: it
 * names them, so the next sync can give the right --source.
 */
function firstSyncNote(ctx: ImportContext): string | null {
  const { db, source, importId } = ctx;
  if (ctx.cisTakenIntoSource === 0) {
    const before = db
      .prepare('SELECT 1 FROM cis WHERE source = ? AND (created_import_id IS NULL OR created_import_id != ?) LIMIT 1')
      .get(source, importId);
    if (before !== undefined) return null;
  } else {
    // Some CIs are of the source only because this import's updates took them into it (a renamed export that
    // changed some CIs): the source had CIs before only if more are of it than this import created or took.
    const now = db.prepare('SELECT count(*) FROM cis WHERE source = ?').pluck().get(source) as number;
    if (now - ctx.counts.created - ctx.cisTakenIntoSource > 0) return null;
  }
  // The first few other sources, each found through the index on source (no scan of the CIs).
  const next = db.prepare('SELECT MIN(source) FROM cis WHERE source > ?').pluck();
  const others: string[] = [];
  for (let s = next.get('') as string | null; s !== null && others.length < 5; s = next.get(s) as string | null) {
    if (s !== source) others.push(s);
  }
  if (others.length === 0) return null;
  // With a relationships file, the same source is what its relationships are removed by (unlisted-rels.ts).
  const rels = ctx.input.relationships ? ', and remove the relationships it no longer lists' : '';
  // A new source took only the CIs it changed (one by default that re-exports an earlier source is refused: source-split.ts).
  const n = ctx.cisTakenIntoSource;
  const taken =
    n > 0
      ? ` It took the ${n === 1 ? 'CI it changed' : `${n} CIs it changed`} into this source from ${n === 1 ? 'the one it had' : 'the ones they had'}; the CIs it lists unchanged stay in theirs.`
      : '';
  return `Sync retired nothing: no CI came from the source "${source}" before this import, so this was its first sync.${taken} To retire what an earlier export listed and this one does not${rels}, sync under that export's source ${ADVICE.sourceNamed.cli}sources so far: ${others.join(', ')}${others.length === 5 ? ', ...' : ''}).`;
}
