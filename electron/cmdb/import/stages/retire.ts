/**
 * The sync stage (mode 'sync' only): retires the CIs of the import's source
 * that its CIs file no longer lists, with a history row each. It retires
 * nothing when a CI row was rejected (a rejected row may be a CI the file
 * still means to list).
 */
import type { Changes } from '../../history.js';
import type { OpenedCsv } from '../source.js';
import type { ImportContext } from './context.js';

/** Retires what the source's file no longer lists (or warns why it does not). */
export function retireUnlisted(ctx: ImportContext, cisCsv: OpenedCsv | null): void {
  const { db, counts, mode, source, now, importId, actor } = ctx;
  if (mode === 'sync' && cisCsv && counts.rejected > 0) {
    // A rejected row may be a CI the file still means to list: retiring by its absence would be wrong.
    ctx.warnings.push(
      `Sync retired nothing: ${counts.rejected} CI row${counts.rejected === 1 ? ' was' : 's were'} rejected, and a rejected row may be a CI the file still lists. Fix the rows and sync again.`,
    );
  } else if (mode === 'sync' && cisCsv) {
    // Every CI of the source the import has not written, its ids only; the few the file no longer lists, in full.
    const ids = db
      .prepare(
        `SELECT id FROM cis WHERE source = ? AND (import_id IS NULL OR import_id != ?)
         AND (status IS NULL OR status != 'retired') ORDER BY id`,
      )
      .pluck()
      .all(source, importId) as number[];
    const ciOf = db.prepare('SELECT id, key, status FROM cis WHERE id = ?');
    const gone = ids.filter((id) => !ctx.seenCis.has(id)).map((id) => ciOf.get(id) as { id: number; key: string; status: string | null });
    const retire = db.prepare("UPDATE cis SET status = 'retired', updated_at = ?, import_id = ? WHERE id = ?");
    const history = db.prepare(
      `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
       VALUES (?, 'ci', ?, ?, NULL, 'update', ?, ?, ?, ?)`,
    );
    for (const c of gone) {
      const changes: Changes = { status: { from: c.status, to: 'retired' } };
      retire.run(now, importId, c.id);
      history.run(now, c.id, c.key, `Retired: no longer listed by ${source}`, JSON.stringify(changes), actor, importId);
      counts.retired++;
      ctx.noteRow({ file: cisCsv.file, line: 0, key: c.key, action: 'retire', changes });
    }
  }
}
