/**
 * What else names a merged CI by its key: saved change assessments (their
 * changed CIs) and saved graph views (their centre). A merge renames the
 * merged key to the kept one there, as it moves relationships, so a saved
 * change still opens and a saved view still draws; each renamed row's value
 * before and after is kept in the merge's record, and undoing the merge puts
 * back the rows nobody saved since. Saved answers (what a change impacted
 * when it was saved) are history and keep the key they had.
 */
import type { Db } from '../db.js';

interface Renamed<Id> {
  id: Id;
  before: string;
  after: string;
  /** The row's `updated_at`, which the rename leaves alone: a save since moves it. */
  updatedAt: string;
}

/** The saved rows a merge renamed: `changes.keys` by change id, `saved_views.spec` by view name. */
export interface RenamedRefs {
  changes: Array<Renamed<number>>;
  views: Array<Renamed<string>>;
}

export const NO_REFS: RenamedRefs = { changes: [], views: [] };

/** The keys with `from` replaced by `to`, each key once (a change that named both CIs names the kept one once). */
function renamedKeys(keys: string[], from: string, to: string): string[] {
  return [...new Set(keys.map((k) => (k === from ? to : k)))];
}

/** Renames `from` to `to` in saved changes and saved views, inside the caller's transaction; returns what it renamed. */
export function renameSavedRefs(db: Db, from: string, to: string): RenamedRefs {
  const out: RenamedRefs = { changes: [], views: [] };
  const changes = db
    .prepare(
      'SELECT id, keys, updated_at AS updatedAt FROM changes WHERE EXISTS (SELECT 1 FROM json_each(changes.keys) WHERE value = ?) ORDER BY id',
    )
    .all(from) as Array<{ id: number; keys: string; updatedAt: string }>;
  const setKeys = db.prepare('UPDATE changes SET keys = ? WHERE id = ?');
  for (const c of changes) {
    const after = JSON.stringify(renamedKeys(JSON.parse(c.keys) as string[], from, to));
    setKeys.run(after, c.id);
    out.changes.push({ id: c.id, before: c.keys, after, updatedAt: c.updatedAt });
  }
  const views = db
    .prepare("SELECT name, spec, updated_at AS updatedAt FROM saved_views WHERE spec ->> '$.center' = ? ORDER BY name")
    .all(from) as Array<{ name: string; spec: string; updatedAt: string }>;
  const setSpec = db.prepare('UPDATE saved_views SET spec = ? WHERE name = ?');
  for (const v of views) {
    const after = JSON.stringify({ ...(JSON.parse(v.spec) as object), center: to });
    setSpec.run(after, v.name);
    out.views.push({ id: v.name, before: v.spec, after, updatedAt: v.updatedAt });
  }
  return out;
}

/** Puts back what `renameSavedRefs` renamed, where nobody saved the row since (a later save is kept as saved). */
export function restoreSavedRefs(db: Db, refs: RenamedRefs): void {
  const change = db.prepare('UPDATE changes SET keys = @before WHERE id = @id AND keys = @after AND updated_at = @updatedAt');
  for (const c of refs.changes) change.run(c);
  const view = db.prepare('UPDATE saved_views SET spec = @before WHERE name = @id AND spec = @after AND updated_at = @updatedAt');
  for (const v of refs.views) view.run(v);
}

/** How many saved changes and views a merge renamed (its record's column, or the list itself). */
export function renamedCounts(refs: string | RenamedRefs | null | undefined): { changes: number; views: number } {
  const r = typeof refs === 'string' ? (JSON.parse(refs) as RenamedRefs) : (refs ?? NO_REFS);
  return { changes: r.changes.length, views: r.views.length };
}
