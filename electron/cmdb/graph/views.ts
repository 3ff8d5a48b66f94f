/** Saved graph views (table saved_views): a name, a note and what the view reopens. */
import { graphViewSpecSchema, viewNameProblem, type GraphViewSpec, type SavedView } from '../../../shared/graph.js';
import { CmdbError } from '../../../shared/errors.js';
import { writeOutsideCis } from '../data-stamp.js';
import type { Db } from '../db.js';
import { nowIso } from '../rows.js';

interface ViewRow {
  name: string;
  note: string | null;
  spec: string;
  created_at: string;
  updated_at: string;
}

/** A row as listed: whether its centre is still a CI (0 or 1, SQLite's boolean). */
interface ListedRow extends ViewRow {
  center_exists: number;
}

function toView(r: ViewRow, centerExists: boolean): SavedView {
  return {
    name: r.name,
    note: r.note,
    spec: graphViewSpecSchema.parse(JSON.parse(r.spec)),
    centerExists,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The trimmed name, or INVALID_REQUEST saying what is wrong with it (the list's forms show the same words). */
function checkedName(raw: string): string {
  const problem = viewNameProblem(raw);
  if (problem) throw new CmdbError('INVALID_REQUEST', problem, { name: raw });
  return raw.trim();
}

function nameTaken(name: string): CmdbError {
  return new CmdbError('CONFLICT', `A saved view named "${name}" exists already. Choose another name, or replace that view.`, { name });
}

export class SavedViews {
  constructor(private readonly db: Db) {}

  private hasCi(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM cis WHERE key = ?').get(key) !== undefined;
  }

  /** Every saved view, by name, each saying whether its centre is still in the CMDB. */
  listViews(): { views: SavedView[] } {
    const rows = this.db
      .prepare(
        `SELECT v.*, EXISTS (SELECT 1 FROM cis WHERE cis.key = v.spec ->> '$.center') AS center_exists
         FROM saved_views v ORDER BY v.name COLLATE NOCASE, v.name`,
      )
      .all() as ListedRow[];
    return { views: rows.map((r) => toView(r, r.center_exists === 1)) };
  }

  /** Saves a view of an existing centre; an existing name only with `replace` (its creation time kept). */
  saveView(req: { name: string; note: string | null; spec: GraphViewSpec; replace: boolean }): SavedView {
    const name = checkedName(req.name);
    if (!this.hasCi(req.spec.center)) {
      throw new CmdbError(
        'NOT_FOUND',
        `No CI with key "${req.spec.center}" to centre the view "${name}" on. Open the view on a CI that exists.`,
        { key: req.spec.center },
      );
    }
    // Writes outside the data stamp: saving a view touches no CI, so answers kept over CIs stay valid (data-stamp.ts).
    return writeOutsideCis(this.db, () =>
      this.db
        .transaction(() => {
          const existing = this.db.prepare('SELECT created_at FROM saved_views WHERE name = ?').get(name) as
            { created_at: string } | undefined;
          if (existing && !req.replace) throw nameTaken(name);
          const now = nowIso();
          const row: ViewRow = {
            name,
            note: req.note,
            spec: JSON.stringify(req.spec),
            created_at: existing?.created_at ?? now,
            updated_at: now,
          };
          this.db
            .prepare(
              `INSERT INTO saved_views(name, note, spec, created_at, updated_at) VALUES (@name, @note, @spec, @created_at, @updated_at)
               ON CONFLICT(name) DO UPDATE SET note = excluded.note, spec = excluded.spec, updated_at = excluded.updated_at`,
            )
            .run(row);
          return toView(row, true);
        })
        .immediate(),
    );
  }

  /**
   * Renames view `name` to `newName` (checked as a saved name), keeping its
   * spec, note and creation time. NOT_FOUND when there is no such view,
   * CONFLICT when another view has the new name; the same name is no change.
   */
  renameView(req: { name: string; newName: string }): SavedView {
    const newName = checkedName(req.newName);
    return writeOutsideCis(this.db, () =>
      this.db
        .transaction(() => {
          const row = this.db.prepare('SELECT * FROM saved_views WHERE name = ?').get(req.name) as ViewRow | undefined;
          if (!row) {
            throw new CmdbError('NOT_FOUND', `No saved view named "${req.name}": it may have been deleted or renamed elsewhere.`, {
              name: req.name,
            });
          }
          const listed = toView(row, true);
          const view = { ...listed, centerExists: this.hasCi(listed.spec.center) };
          if (newName === row.name) return view;
          if (this.db.prepare('SELECT 1 FROM saved_views WHERE name = ?').get(newName)) throw nameTaken(newName);
          const updatedAt = nowIso();
          this.db.prepare('UPDATE saved_views SET name = ?, updated_at = ? WHERE name = ?').run(newName, updatedAt, row.name);
          return { ...view, name: newName, updatedAt };
        })
        .immediate(),
    );
  }

  /** Deletes a view; `deleted` is false when there was none by that name. */
  deleteView(req: { name: string }): { deleted: boolean } {
    const r = writeOutsideCis(this.db, () => this.db.prepare('DELETE FROM saved_views WHERE name = ?').run(req.name));
    return { deleted: r.changes > 0 };
  }
}
