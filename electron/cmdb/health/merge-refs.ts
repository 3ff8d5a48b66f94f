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
    const after = renamedSpec(v.spec, from, to);
    setSpec.run(after, v.name);
    out.views.push({ id: v.name, before: v.spec, after, updatedAt: v.updatedAt });
  }
  return out;
}

/** A view's spec with its centre renamed from `from` to `to` (unchanged when it is centred elsewhere). */
function renamedSpec(spec: string, from: string, to: string): string {
  const s = JSON.parse(spec) as { center?: unknown };
  return s.center === from ? JSON.stringify({ ...s, center: to }) : spec;
}

/** A merge that renamed saved rows, as its undo needs it. */
interface Renamer {
  id: number;
  from: string;
  to: string;
  inForce: boolean;
  refs: RenamedRefs;
}

/**
 * Puts back what merge `mergeId` renamed (`refs`), inside the caller's
 * transaction, where nobody saved the row since (a later save is kept as
 * saved). The row becomes what was saved with the renames of the other
 * merges still in force since then applied in order: merges undone in any
 * order each take back only their own (a change naming two CIs merged into
 * one gets the first back when that merge is undone, the other still merged).
 */
export function restoreSavedRefs(db: Db, mergeId: number, refs: RenamedRefs): void {
  const renamers = (
    db
      .prepare(
        `SELECT id, merged_key AS "from", kept_key AS "to", undone_at IS NULL AS inForce, renamed FROM merges
         WHERE json_array_length(renamed, '$.changes') + json_array_length(renamed, '$.views') > 0 ORDER BY id`,
      )
      .all() as Array<Omit<Renamer, 'refs' | 'inForce'> & { inForce: number; renamed: string }>
  ).map((r): Renamer => ({ ...r, inForce: r.inForce === 1 && r.id !== mergeId, refs: JSON.parse(r.renamed) as RenamedRefs }));
  /** The row as saved at `updatedAt`, with the renames in force since applied: the first rename's `before`, then each. */
  const rebuilt = <Id>(kind: 'changes' | 'views', r: Renamed<Id>, rename: (v: string, from: string, to: string) => string) => {
    const chain = renamers.flatMap((m) => {
      const mine = (m.refs[kind] as Array<Renamed<Id>>).find((x) => x.id === r.id && x.updatedAt === r.updatedAt);
      return mine ? [{ m, mine }] : [];
    });
    let value = chain[0]?.mine.before ?? r.before;
    for (const { m } of chain) if (m.inForce) value = rename(value, m.from, m.to);
    return value;
  };
  const setKeys = db.prepare('UPDATE changes SET keys = ? WHERE id = ? AND updated_at = ?');
  const keysOf = (v: string, from: string, to: string) => JSON.stringify(renamedKeys(JSON.parse(v) as string[], from, to));
  for (const c of refs.changes) setKeys.run(rebuilt('changes', c, keysOf), c.id, c.updatedAt);
  const setSpec = db.prepare('UPDATE saved_views SET spec = ? WHERE name = ? AND updated_at = ?');
  for (const v of refs.views) setSpec.run(rebuilt('views', v, renamedSpec), v.id, v.updatedAt);
}

/** How many saved changes and views a merge renamed (its record's column, or the list itself). */
export function renamedCounts(refs: string | RenamedRefs | null | undefined): { changes: number; views: number } {
  const r = typeof refs === 'string' ? (JSON.parse(refs) as RenamedRefs) : (refs ?? NO_REFS);
  return { changes: r.changes.length, views: r.views.length };
}
