/**
 * Field-level history of every create, update and delete. Rows an import
 * created have no history row of their own: they carry created_import_id,
 * and `forCi` shows their 'create' entry from the row and the import log.
 */
import type { HistoryEntry } from '../../shared/domain.js';
import type { Db } from './db.js';

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface HistoryRecord {
  at: string;
  entity: 'ci' | 'relationship';
  entityId: number;
  ciKey: string | null;
  relatedKey?: string | null;
  action: 'create' | 'update' | 'delete';
  summary: string;
  changes: Changes | null;
  source: string;
  importId: number | null;
}

export class History {
  private readonly insert;
  private readonly forKey;
  private readonly createdByImport;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
       VALUES (@at, @entity, @entityId, @ciKey, @relatedKey, @action, @summary, @changes, @source, @importId)`,
    );
    this.forKey = db.prepare(
      `SELECT id, at, entity, action, ci_key, summary, changes, source, import_id
       FROM history WHERE id IN (
         SELECT id FROM history WHERE ci_key = @key UNION SELECT id FROM history WHERE related_key = @key
       ) ORDER BY id DESC LIMIT @limit`,
    );
    // The CI itself and its relationships (either end), when an import created them.
    this.createdByImport = db.prepare(
      `SELECT * FROM (
         SELECT -2 * c.id AS id, c.created_at AS at, 'ci' AS entity, c.key AS ci_key, 'Created ' || c.type || ' ' || c.name AS summary,
                c.created_import_id AS import_id, coalesce(json_extract(i.options, '$.actor'), 'import') AS source
         FROM cis c JOIN imports i ON i.id = c.created_import_id WHERE c.key = @key
         UNION ALL
         SELECT * FROM (
           SELECT -2 * r.id - 1, r.created_at, 'relationship', me.key, me.key || ' ' || r.type || ' ' || t.key,
                  r.created_import_id, coalesce(json_extract(i.options, '$.actor'), 'import')
           FROM cis me JOIN relationships r ON r.source_id = me.id JOIN cis t ON t.id = r.target_id JOIN imports i ON i.id = r.created_import_id
           WHERE me.key = @key ORDER BY r.id DESC LIMIT @limit)
         UNION ALL
         SELECT * FROM (
           SELECT -2 * r.id - 1, r.created_at, 'relationship', s.key, s.key || ' ' || r.type || ' ' || me.key,
                  r.created_import_id, coalesce(json_extract(i.options, '$.actor'), 'import')
           FROM cis me JOIN relationships r ON r.target_id = me.id JOIN cis s ON s.id = r.source_id JOIN imports i ON i.id = r.created_import_id
           WHERE me.key = @key ORDER BY r.id DESC LIMIT @limit)
       )`,
    );
  }

  record(r: HistoryRecord): void {
    this.insert.run({ ...r, relatedKey: r.relatedKey ?? null, changes: r.changes ? JSON.stringify(r.changes) : null });
  }

  /** The newest entries that concern a CI (its own and its relationships'), newest first. */
  forCi(key: string, limit = 200): HistoryEntry[] {
    const recorded = this.forKey.all({ key, limit }) as Row[];
    const created = (this.createdByImport.all({ key, limit }) as Array<Omit<Row, 'action' | 'changes'>>).map((r): Row => ({
      ...r,
      action: 'create',
      changes: null,
    }));
    // Newest first by time; at the same instant a recorded entry is the later one (a row is created before it changes).
    const rows =
      created.length === 0
        ? recorded
        : [...recorded, ...created].sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1)).slice(0, limit);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      entity: r.entity,
      action: r.action,
      ciKey: r.ci_key,
      summary: r.summary,
      changes: r.changes ? (JSON.parse(r.changes) as Changes) : null,
      source: r.source,
      importId: r.import_id,
    }));
  }
}

type Row = {
  id: number;
  at: string;
  entity: 'ci' | 'relationship';
  action: 'create' | 'update' | 'delete';
  ci_key: string | null;
  summary: string;
  changes: string | null;
  source: string;
  import_id: number | null;
};

/** The fields that differ between two records, as {from, to}. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): Changes {
  const out: Changes = {};
  for (const f of fields) {
    const a = before[f] ?? null;
    const b = after[f] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = { from: a, to: b };
  }
  return out;
}
