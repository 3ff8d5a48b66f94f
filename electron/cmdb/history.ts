/** Field-level history of every create, update and delete. */
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
  }

  record(r: HistoryRecord): void {
    this.insert.run({ ...r, relatedKey: r.relatedKey ?? null, changes: r.changes ? JSON.stringify(r.changes) : null });
  }

  /** The newest entries that concern a CI (its own and its relationships'). */
  forCi(key: string, limit = 200): HistoryEntry[] {
    const rows = this.forKey.all({ key, limit }) as Array<{
      id: number;
      at: string;
      entity: 'ci' | 'relationship';
      action: 'create' | 'update' | 'delete';
      ci_key: string | null;
      summary: string;
      changes: string | null;
      source: string;
      import_id: number | null;
    }>;
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
