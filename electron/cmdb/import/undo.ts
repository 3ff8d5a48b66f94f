/**
 * Undo of an import. Undo reverts one import as a whole: what it
 * created is deleted (rows carrying its created_import_id, and, for imports
 * from before migration 4, its 'create' history rows), what it updated or
 * retired gets its previous values back from history, and the relationships
 * a sync removed are put back from theirs. It refuses when a later import or edit changed the same CIs,
 * because reverting would silently throw that later work away.
 */
import type { Statement } from 'better-sqlite3';
import { CmdbError } from '../../../shared/errors.js';
import { commandLine } from '../../../shared/next-command.js';
import type { UndoResult } from '../../../shared/import.js';
import { longWrite } from '../busy.js';
import type { Db } from '../db.js';
import { doorOf } from '../holder.js';
import type { Changes } from '../history.js';
import { nowIso } from '../rows.js';
import { type ImportRow, json } from './log.js';
import { SEARCHED, SearchUpdates } from './stages/search-updates.js';
import { laterChanges, laterChangesConflict } from './undo-refusal.js';
import { removedFromHistory } from './stages/unlisted-rels.js';

/** Reverts import `id` as a whole, in one transaction, announced as a long write (holder.ts). */
export function undoImport(db: Db, id: number, actor = 'undo'): UndoResult {
  return longWrite(db, { what: `an undo of import ${id}`, ...doorOf(actor, 'undo-import') }, () => undo(db, id, actor));
}

/** The undo itself, inside the transaction: refuses when later changes touch the same CIs, else reverts. */
function undo(db: Db, id: number, actor: string): UndoResult {
  const imp = db.prepare(`SELECT * FROM imports WHERE id = ? AND status = 'committed'`).get(id) as ImportRow | undefined;
  if (!imp) {
    const next = { command: 'imports', args: [] };
    throw new CmdbError('NOT_FOUND', `No import ${id}. Find its number in the list of imports: ${commandLine(next)}`, { id, next });
  }
  if (imp.undone_at) throw new CmdbError('CONFLICT', `Import ${id} was already undone at ${imp.undone_at}.`, { id });
  const later = laterChanges(db, id, imp.history_mark);
  if (later.length > 0) throw laterChangesConflict(db, id, later);
  const now = nowIso();
  const source = `${actor}: undo import ${id}`;
  const first = db.prepare('SELECT min(id) FROM history WHERE import_id = ?').pluck().get(id) as number | null;
  const relsDeleted = deleteCreatedRelationships(db, id, now, source);
  const { cisRestored, relsRestored } = restoreUpdated(db, id, now, source, first);
  const relsPutBack = restoreRemovedRelationships(db, id, now, source);
  const cisDeleted = deleteCreatedCis(db, id, now, source);
  const typesRemoved = removeCreatedTypes(db, imp);
  db.prepare('UPDATE imports SET undone_at = ? WHERE id = ?').run(now, id);
  return {
    importId: id,
    cisDeleted,
    cisRestored,
    relationshipsDeleted: relsDeleted,
    relationshipsRestored: relsRestored + relsPutBack,
    typesRemoved,
  };
}

/** Relationships the import created: records their deletion, then deletes them. Returns how many. */
function deleteCreatedRelationships(db: Db, id: number, now: string, source: string): number {
  db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
     SELECT @now, 'relationship', h.entity_id, h.ci_key, h.related_key, 'delete', 'Undo of import ' || printf('%d', @id) || ': removed ' || h.summary, NULL, @source, @id
     FROM history h WHERE h.import_id = @id AND h.entity = 'relationship' AND h.action = 'create'
     UNION ALL
     SELECT @now, 'relationship', r.id, s.key, t.key, 'delete', 'Undo of import ' || printf('%d', @id) || ': removed ' || s.key || ' ' || r.type || ' ' || t.key,
            NULL, @source, @id
     FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id WHERE r.created_import_id = @id`,
  ).run({ now, id, source });
  return (
    db.prepare('DELETE FROM relationships WHERE created_import_id = ?').run(id).changes +
    db
      .prepare(
        `DELETE FROM relationships WHERE id IN (SELECT entity_id FROM history WHERE import_id = ? AND entity = 'relationship' AND action = 'create' AND source != ?)`,
      )
      .run(id, source).changes
  );
}

/** Updates (and sync retirements) the import made: the previous values back, newest first. */
function restoreUpdated(
  db: Db,
  id: number,
  now: string,
  source: string,
  first: number | null,
): { cisRestored: number; relsRestored: number } {
  const updates = db
    .prepare(
      `SELECT id, entity, entity_id, ci_key, related_key, changes, prior_import_id FROM history
       WHERE import_id = ? AND action = 'update' AND source != ? ORDER BY id DESC`,
    )
    .all(id, source) as Array<{
    id: number;
    entity: 'ci' | 'relationship';
    entity_id: number;
    ci_key: string | null;
    related_key: string | null;
    changes: string | null;
    prior_import_id: number | null;
  }>;
  const ciCols: Record<string, string> = {
    type: 'type',
    name: 'name',
    status: 'status',
    environment: 'environment',
    owner: 'owner',
    criticality: 'criticality',
    description: 'description',
    attributes: 'attributes',
    source: 'source',
  };
  const relCols: Record<string, string> = { redundancyGroup: 'redundancy_group', minUp: 'min_up', attributes: 'attributes' };
  const hist = db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
     VALUES (?, ?, ?, ?, ?, 'update', ?, ?, ?, ?)`,
  );
  let cisRestored = 0;
  let relsRestored = 0;
  // Each restored row's import before this one, from the import's first history row of it (newest first: the last seen).
  const restoredCis = new Map<number, number | null>();
  const restoredRels = new Map<number, number | null>();
  // The CIs' search entries are replaced in one batch at the end, as an import's own updates are (row by row,
  // FTS5 wrote a segment per CI); one statement per set of columns.
  const search = new SearchUpdates(db);
  const statements = new Map<string, Statement>();
  for (const u of updates) {
    const changes = json<Changes>(u.changes, {});
    const cols = u.entity === 'ci' ? ciCols : relCols;
    const sets: string[] = [];
    const vals: unknown[] = [];
    const back: Changes = {};
    for (const [field, { from, to }] of Object.entries(changes)) {
      const col = cols[field];
      if (!col) continue;
      sets.push(`${col} = ?`);
      vals.push(field === 'attributes' ? JSON.stringify(from ?? {}) : (from ?? null));
      back[field] = { from: to ?? null, to: from ?? null };
    }
    if (sets.length === 0) continue;
    const table = u.entity === 'ci' ? 'cis' : 'relationships';
    if (u.entity === 'ci' && SEARCHED.some((c) => c in back)) search.before(u.entity_id);
    const sql = `UPDATE ${table} SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`;
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    st.run(...vals, now, u.entity_id);
    hist.run(
      now,
      u.entity,
      u.entity_id,
      u.ci_key,
      u.related_key,
      `Undo of import ${id}: restored ${Object.keys(back).join(', ')}`,
      JSON.stringify(back),
      source,
      id,
    );
    if (u.entity === 'ci') {
      cisRestored++;
      restoredCis.set(u.entity_id, u.prior_import_id);
    } else {
      relsRestored++;
      restoredRels.set(u.entity_id, u.prior_import_id);
    }
  }
  search.finish();
  pointBackAt(db, 'ci', restoredCis, first);
  pointBackAt(db, 'relationship', restoredRels, first);
  return { cisRestored, relsRestored };
}

/**
 * Restored rows get back the import_id they had before the undone import took them (a sync of that import's
 * source removes the relationships whose last import is one of its), so the next sync, the next undo and
 * "last imported by" read them right. `ids`: each row's import before, as the import's history row recorded
 * it (0: none, made by hand; migration 12), or null where it did not (an import before that migration).
 */
function pointBackAt(db: Db, entity: 'ci' | 'relationship', ids: Map<number, number | null>, first: number | null): void {
  const table = entity === 'ci' ? 'cis' : 'relationships';
  const setImport = db.prepare(`UPDATE ${table} SET import_id = ? WHERE id = ?`);
  const derived = derivedPriorImport(db, entity, first);
  for (const [id, prior] of ids) setImport.run(prior === null ? derived(id) : prior === 0 ? null : prior, id);
}

/**
 * The import a row had before import `first`'s history began, where that history did not record it (imports
 * before migration 12): the import of the row's last history entry before, else the import that created it,
 * else none. Not an import undone since; not an update-only import's relationship update (it kept the
 * relationship's import); not an entry from before the row was created (of a deleted row whose id it took).
 */
function derivedPriorImport(db: Db, entity: 'ci' | 'relationship', first: number | null): (id: number) => number | null {
  const table = entity === 'ci' ? 'cis' : 'relationships';
  const prevImport = db
    .prepare(
      `SELECT h.import_id FROM history h JOIN imports i ON i.id = h.import_id AND i.undone_at IS NULL
       WHERE h.entity = @entity AND h.entity_id = @id AND h.id < @first
         AND NOT (h.entity = 'relationship' AND i.mode = 'update-only')
         AND h.at >= (SELECT created_at FROM ${table} WHERE id = @id)
       ORDER BY h.id DESC LIMIT 1`,
    )
    .pluck();
  const createdBy = db
    .prepare(
      `SELECT created_import_id FROM ${table} WHERE id = ? AND created_import_id NOT IN (SELECT id FROM imports WHERE undone_at IS NOT NULL)`,
    )
    .pluck();
  return (id) =>
    (prevImport.get({ entity, id, first: first ?? 0 }) as number | undefined) ?? (createdBy.get(id) as number | null | undefined) ?? null;
}

/**
 * The relationships a sync removed (stages/unlisted-rels.ts), back as they were, under their old id while it is free.
 * One whose end a later change deleted, or that exists again, stays as it is: the delete would have taken it, or it is
 * there. One created by an import undone since is not put back. Returns how many.
 */
function restoreRemovedRelationships(db: Db, id: number, now: string, source: string): number {
  const removed = db
    .prepare(
      `SELECT entity_id, ci_key, related_key, changes FROM history
       WHERE import_id = ? AND entity = 'relationship' AND action = 'delete' AND source != ? ORDER BY id`,
    )
    .all(id, source) as Array<{ entity_id: number; ci_key: string; related_key: string; changes: string | null }>;
  if (removed.length === 0) return 0;
  const idOf = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
  const undone = db.prepare('SELECT undone_at IS NOT NULL FROM imports WHERE id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO relationships(id, source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id, created_import_id)
     VALUES (CASE WHEN EXISTS (SELECT 1 FROM relationships WHERE id = @id) THEN NULL ELSE @id END,
             @src, @tgt, @type, @group, @minUp, @attributes, @createdAt, @updatedAt, @importId, @createdImportId)
     ON CONFLICT(source_id, target_id, type) DO NOTHING`,
  );
  const hist = db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
     VALUES (?, 'relationship', ?, ?, ?, 'create', ?, ?, ?, ?)`,
  );
  let n = 0;
  for (const r of removed) {
    const was = removedFromHistory(json<Changes>(r.changes, {}));
    const src = idOf.get(r.ci_key) as number | undefined;
    const tgt = idOf.get(r.related_key) as number | undefined;
    if (!was || src === undefined || tgt === undefined) continue;
    const createdBy = was.createdImportId;
    if (createdBy !== null && undone.get(createdBy) === 1) continue;
    const lastBy = was.importId;
    const info = insert.run({
      id: r.entity_id,
      src,
      tgt,
      type: was.type,
      group: was.redundancyGroup,
      minUp: was.minUp,
      attributes: was.attributes,
      createdAt: was.createdAt ?? now,
      updatedAt: was.updatedAt ?? now,
      importId: lastBy !== null && undone.get(lastBy) !== 1 ? lastBy : createdBy,
      createdImportId: createdBy,
    });
    if (info.changes === 0) continue;
    const key = `${r.ci_key} ${was.type} ${r.related_key}`;
    const back: Changes = {
      source: { from: null, to: r.ci_key },
      target: { from: null, to: r.related_key },
      type: { from: null, to: was.type },
    };
    hist.run(
      now,
      Number(info.lastInsertRowid),
      r.ci_key,
      r.related_key,
      `Undo of import ${id}: restored ${key}`,
      JSON.stringify(back),
      source,
      id,
    );
    n++;
  }
  return n;
}

/** CIs the import created: records their deletion, then deletes them. Returns how many. */
function deleteCreatedCis(db: Db, id: number, now: string, source: string): number {
  db.prepare(
    `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
     SELECT @now, 'ci', h.entity_id, h.ci_key, NULL, 'delete', 'Undo of import ' || printf('%d', @id) || ': removed ' || h.ci_key, NULL, @source, @id
     FROM history h WHERE h.import_id = @id AND h.entity = 'ci' AND h.action = 'create'
     UNION ALL
     SELECT @now, 'ci', c.id, c.key, NULL, 'delete', 'Undo of import ' || printf('%d', @id) || ': removed ' || c.key, NULL, @source, @id
     FROM cis c WHERE c.created_import_id = @id`,
  ).run({ now, id, source });
  return (
    db.prepare('DELETE FROM cis WHERE created_import_id = ?').run(id).changes +
    db
      .prepare(
        `DELETE FROM cis WHERE id IN (SELECT entity_id FROM history WHERE import_id = ? AND entity = 'ci' AND action = 'create' AND source != ?)`,
      )
      .run(id, source).changes
  );
}

/** Types the import added, if nothing uses them any more. Returns the names removed. */
function removeCreatedTypes(db: Db, imp: ImportRow): string[] {
  const typesRemoved: string[] = [];
  for (const t of json<string[]>(imp.created_types, [])) {
    if (
      db.prepare('DELETE FROM ci_types WHERE name = ? AND builtin = 0 AND NOT EXISTS (SELECT 1 FROM cis WHERE type = ?)').run(t, t)
        .changes > 0
    )
      typesRemoved.push(t);
  }
  for (const t of json<string[]>(imp.created_rel_types, [])) {
    if (
      db
        .prepare('DELETE FROM rel_types WHERE name = ? AND builtin = 0 AND NOT EXISTS (SELECT 1 FROM relationships WHERE type = ?)')
        .run(t, t).changes > 0
    )
      typesRemoved.push(t);
  }
  return typesRemoved;
}
