/**
 * The sync stage for relationships (mode 'sync', with a relationships file):
 * removes the relationships of the import's source that the file no longer
 * lists, so a weekly export that moved a VM to another host leaves no
 * dependency on the old one. A relationship belongs to the source of the
 * import that last wrote it (its import_id); one made or kept by hand (no
 * import) is never removed. Relationships have no status to retire them by:
 * each is deleted, with a history row holding all of it, from which undo
 * (undo.ts, restoreRemovedRelationships) puts it back. Nothing is removed
 * when a relationship row was rejected, but for a row repeating an earlier
 * row's relationship: another rejected row may be one the file still means
 * to list.
 */
import { ciLabel } from '../../../../shared/ci-label.js';
import { diff, type Changes } from '../../history.js';
import type { RelRow } from '../../rows.js';
import { REL_FIELDS, relRecord } from '../../store.js';
import type { OpenedCsv } from '../source.js';
import type { ImportContext } from './context.js';
import { noRowsNote } from './retire.js';
import { ADVICE } from '../advice.js';

/** A removed relationship's row as its history row keeps it, beyond the fields an edit's delete records. */
type RemovedRow = RelRow & {
  created_at: string;
  updated_at: string;
  import_id: number | null;
  created_import_id: number | null;
  source_name: string;
  target_name: string;
};

/** The extra fields a sync's delete row records, so undo restores the relationship as it was. */
const REMOVED_EXTRA = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  importId: 'import_id',
  createdImportId: 'created_import_id',
} as const;

/** A removed relationship as its history row keeps it: an edit's delete fields (source and target keys, type...) and REMOVED_EXTRA. */
function removedChanges(r: RemovedRow): Changes {
  const changes: Changes = diff(relRecord(r), {}, REL_FIELDS);
  for (const [field, column] of Object.entries(REMOVED_EXTRA)) {
    if (r[column] !== null) changes[field] = { from: r[column], to: null };
  }
  return changes;
}

/** What undo puts back (undo.ts), read from a removal's history row: null when the row does not hold one. */
export function removedFromHistory(changes: Changes): {
  type: string;
  redundancyGroup: string | null;
  minUp: number | null;
  attributes: string;
  createdAt: string | null;
  updatedAt: string | null;
  importId: number | null;
  createdImportId: number | null;
} | null {
  const was = (field: string): unknown => changes[field]?.from ?? null;
  const type = was('type');
  if (typeof type !== 'string') return null;
  return {
    type,
    redundancyGroup: was('redundancyGroup') as string | null,
    minUp: was('minUp') as number | null,
    attributes: JSON.stringify(was('attributes') ?? {}),
    createdAt: was('createdAt') as string | null,
    updatedAt: was('updatedAt') as string | null,
    importId: was('importId') as number | null,
    createdImportId: was('createdImportId') as number | null,
  };
}

/** Removes what the source's relationships file no longer lists (or warns why it removed nothing). */
export function removeUnlistedRelationships(ctx: ImportContext, relsCsv: OpenedCsv | null): void {
  const { db, counts, mode, source, now, importId, actor } = ctx;
  if (mode !== 'sync' || !relsCsv) return;
  if (relsCsv.noRows) {
    ctx.warnings.push(noRowsNote(relsCsv.file, 'removed no relationships', 'relationships', source));
    return;
  }
  // Not a row repeating an earlier row's relationship: that relationship is listed.
  const rejected = counts.relationshipsRejected - ctx.rejectedNoneMissing.relationships;
  if (rejected > 0) {
    ctx.warnings.push(
      `Sync removed no relationships: ${rejected} relationship row${rejected === 1 ? ' was' : 's were'} rejected, and a rejected row may be a relationship the file still lists. Fix the rows and sync again.`,
    );
    return;
  }
  // The file listed every stored relationship (the weekly export again): nothing to look for.
  // (A count through the smallest index; what this import created, it did not list as stored.)
  const stored = (db.prepare('SELECT count(*) FROM relationships').pluck().get() as number) - counts.relationshipsCreated;
  if (ctx.seenRels.size >= stored) return;
  const fromSource = new Set(db.prepare(SOURCE_IMPORTS).pluck().all(source, importId) as number[]);
  const candidates = unlistedCandidates(ctx);
  const rowOf = db.prepare(
    `SELECT r.id, r.source_id, r.target_id, s.key AS source_key, t.key AS target_key, s.name AS source_name, t.name AS target_name,
            r.type, r.redundancy_group, r.min_up,
            r.attributes, r.created_at, r.updated_at, r.import_id, r.created_import_id
     FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id WHERE r.id = ?`,
  );
  const remove = db.prepare('DELETE FROM relationships WHERE id = ?');
  const history = db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
     VALUES (?, 'relationship', ?, ?, ?, 'delete', ?, ?, ?, ?)`,
  );
  let removed = 0;
  for (const id of candidates) {
    const r = rowOf.get(id) as RemovedRow;
    // Only what an earlier import of this source wrote last: not another source's, not one made by hand.
    if (r.import_id === null || !fromSource.has(r.import_id)) continue;
    const changes = removedChanges(r);
    const key = `${r.source_key} ${r.type} ${r.target_key}`;
    history.run(
      now,
      r.id,
      r.source_key,
      r.target_key,
      `Removed ${key}: no longer listed by its source, "${source}" (a sync)`,
      JSON.stringify(changes),
      actor,
      importId,
    );
    remove.run(r.id);
    removed++;
    counts.relationshipsRemoved++;
    const label = `${ciLabel({ key: r.source_key, name: r.source_name })} ${r.type} ${ciLabel({ key: r.target_key, name: r.target_name })}`;
    ctx.noteUnlisted('removed', relsCsv.file, key, label, null);
  }
  if (removed > 0) ctx.trace(`${removed} relationships no longer listed removed`);
  else if (!ctx.input.cis) noteFirstSync(ctx);
}

/** The imports of this sync's source before it (a relationship belongs to the import that last wrote it). */
const SOURCE_IMPORTS = 'SELECT id FROM imports WHERE source = ? AND id != ?';

/**
 * The stored relationships the file did not list that may be this source's, in id order (the caller keeps those
 * of its imports). When the relationship stage read every stored relationship (a re-import of many), they are
 * known without a read; otherwise the source's are found by a scan (no index on import_id).
 */
function unlistedCandidates(ctx: ImportContext): number[] {
  if (ctx.storedRels) return ctx.storedRels.unlisted(ctx.seenRels);
  const ids = ctx.db
    .prepare(`SELECT id FROM relationships WHERE import_id IN (${SOURCE_IMPORTS}) ORDER BY id`)
    .pluck()
    .all(ctx.source, ctx.importId) as number[];
  return ids.filter((id) => !ctx.seenRels.has(id));
}

/** A relationships file synced alone removed nothing: when none of the stored ones came from its source, says why. */
function noteFirstSync(ctx: ImportContext): void {
  const any = ctx.db
    .prepare(`SELECT EXISTS(SELECT 1 FROM relationships WHERE import_id IN (${SOURCE_IMPORTS}))`)
    .pluck()
    .get(ctx.source, ctx.importId);
  if (any) return;
  const note = firstSyncNote(ctx);
  if (note) ctx.warnings.push(note);
}

/**
 * Why a sync of a relationships file alone removed nothing when no relationship came from its source before
 * (its source is the file's name unless --source says otherwise, and the first import named it after its CIs
 * file, say): it names the sources of the imports so far. With a CIs file, the CI stage's note says as much.
 */
function firstSyncNote(ctx: ImportContext): string | null {
  const others = ctx.db
    .prepare(
      // Not an update-only import's: it takes no relationship into its source.
      `SELECT DISTINCT source FROM imports WHERE status = 'committed' AND undone_at IS NULL AND source IS NOT NULL AND source != ? AND id != ?
         AND mode != 'update-only'
       ORDER BY source LIMIT 6`,
    )
    .pluck()
    .all(ctx.source, ctx.importId) as string[];
  if (others.length === 0) return null;
  return `Sync removed no relationships: none came from the source "${ctx.source}" before this import. To remove what an earlier export listed and this one does not, sync under that export's source ${ADVICE.sourceNamed.cli}sources so far: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}).`;
}
