/** Saved graph views (table saved_views): a name, a note and what the view reopens. */
import { graphViewSpecSchema, type GraphViewSpec, type SavedView } from '../../../shared/graph.js';
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

/** Runs a write that does not touch the graph, so answers kept over CIs (the impact index, types, facets) stay valid (data-stamp.ts). */

function toView(r: ViewRow): SavedView {
  return {
    name: r.name,
    note: r.note,
    spec: graphViewSpecSchema.parse(JSON.parse(r.spec)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class SavedViews {
  constructor(private readonly db: Db) {}

  /** Every saved view, by name. */
  listViews(): { views: SavedView[] } {
    const rows = this.db.prepare('SELECT * FROM saved_views ORDER BY name COLLATE NOCASE, name').all() as ViewRow[];
    return { views: rows.map(toView) };
  }

  /** Saves a view of an existing centre; an existing name only with `replace` (its creation time kept). */
  saveView(req: { name: string; note: string | null; spec: GraphViewSpec; replace: boolean }): SavedView {
    const name = req.name.trim();
    if (!this.db.prepare('SELECT 1 FROM cis WHERE key = ?').get(req.spec.center)) {
      throw new CmdbError(
        'NOT_FOUND',
        `No CI with key "${req.spec.center}" to centre the view "${name}" on. Open the view on a CI that exists.`,
        { key: req.spec.center },
      );
    }
    return writeOutsideCis(this.db, () =>
      this.db
        .transaction(() => {
          const existing = this.db.prepare('SELECT created_at FROM saved_views WHERE name = ?').get(name) as
            { created_at: string } | undefined;
          if (existing && !req.replace) {
            throw new CmdbError(
              'CONFLICT',
              `A saved view named "${name}" exists already. Choose another name, or pass replace to overwrite it.`,
              { name },
            );
          }
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
          return toView(row);
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
