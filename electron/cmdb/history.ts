/**
 * Field-level history of every create, update and delete. Rows an import
 * created have no history row of their own: they carry created_import_id,
 * and `page` shows their 'create' entry from the row and the import log.
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

/** A CI as history pages need it: its row id (for the relationships an import created) and its key. */
export interface HistoryCi {
  id: number;
  key: string;
}

/** An entry before it is read in full: its time, which stream it comes from (0 recorded, 1 a relationship created by an import, 2 the CI created by one) and that row's id. */
interface Event {
  at: string;
  kind: 0 | 1 | 2;
  rid: number;
}

/**
 * Newest first; at the same instant a recorded entry before a created one (a
 * row is created before it changes), a relationship created before its CI's
 * creation (the CI came first), then the newer row first.
 */
function newerFirst(a: Event, b: Event): number {
  return a.at === b.at ? a.kind - b.kind || b.rid - a.rid : a.at < b.at ? 1 : -1;
}

/**
 * The first `n` events of several streams, each already in its own order
 * (newest row first), merged by their heads: the same prefix for any `n`, so
 * pages never overlap or skip, and the global newest-first order whenever a
 * stream's rows were written in time order (as the engine writes them).
 */
function mergeHeads(streams: Event[][], n: number): Event[] {
  const at = streams.map(() => 0);
  const out: Event[] = [];
  while (out.length < n) {
    let best = -1;
    for (let i = 0; i < streams.length; i++) {
      const e = streams[i]![at[i]!];
      if (e && (best < 0 || newerFirst(e, streams[best]![at[best]!]!) < 0)) best = i;
    }
    if (best < 0) break;
    out.push(streams[best]![at[best]!++]!);
  }
  return out;
}

export class History {
  private readonly insert;
  private readonly recorded;
  private readonly createdOut;
  private readonly createdIn;
  private readonly createdCi;
  private readonly countRecorded;
  private readonly countCreated;
  private readonly recordedById;
  private readonly ciCreated;
  private readonly relCreated;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO history(at, entity, entity_id, ci_key, related_key, action, summary, changes, source, import_id)
       VALUES (@at, @entity, @entityId, @ciKey, @relatedKey, @action, @summary, @changes, @source, @importId)`,
    );
    // Each stream is an index search, newest row first, read only as far as the page needs.
    const mine = `SELECT id FROM history WHERE ci_key = @key UNION SELECT id FROM history WHERE related_key = @key`;
    this.recorded = db.prepare(`SELECT at, 0 AS kind, id AS rid FROM history WHERE id IN (${mine}) ORDER BY id DESC LIMIT @n`);
    const created = (end: string, extra = '') =>
      db.prepare(
        `SELECT created_at AS at, 1 AS kind, id AS rid FROM relationships
         WHERE ${end} = @id AND created_import_id IS NOT NULL ${extra} ORDER BY id DESC LIMIT @n`,
      );
    this.createdOut = created('source_id');
    // A relationship from the CI to itself is already in the outgoing stream.
    this.createdIn = created('target_id', 'AND source_id <> @id');
    this.createdCi = db.prepare(`SELECT created_at AS at, 2 AS kind, id AS rid FROM cis WHERE id = @id AND created_import_id IS NOT NULL`);
    this.countRecorded = db.prepare(`SELECT count(*) FROM (${mine})`).pluck();
    this.countCreated = db
      .prepare(
        `SELECT (SELECT count(*) FROM relationships WHERE source_id = @id AND created_import_id IS NOT NULL)
              + (SELECT count(*) FROM relationships WHERE target_id = @id AND source_id <> @id AND created_import_id IS NOT NULL)
              + (SELECT count(*) FROM cis WHERE id = @id AND created_import_id IS NOT NULL)`,
      )
      .pluck();
    this.recordedById = db.prepare(`SELECT id, at, entity, action, ci_key, summary, changes, source, import_id FROM history WHERE id = ?`);
    const importSource = `coalesce(json_extract(i.options, '$.actor'), 'import')`;
    // As created: a field changed since has its first value in its first change's `from` (history of the CI, oldest first).
    const asCreated = (field: 'type' | 'name') =>
      `coalesce((SELECT json_extract(h.changes, '$.${field}.from') FROM history h
        WHERE h.entity = 'ci' AND h.entity_id = c.id AND h.action = 'update' AND h.at >= c.created_at
          AND json_extract(h.changes, '$.${field}') IS NOT NULL
        ORDER BY h.id LIMIT 1), c.${field})`;
    this.ciCreated = db.prepare(
      `SELECT c.created_at AS at, c.key AS ci_key, 'Created ' || ${asCreated('type')} || ' ' || ${asCreated('name')} AS summary,
              c.created_import_id AS import_id, ${importSource} AS source
       FROM cis c LEFT JOIN imports i ON i.id = c.created_import_id WHERE c.id = ?`,
    );
    this.relCreated = db.prepare(
      `SELECT r.created_at AS at, s.key AS ci_key, s.key || ' ' || r.type || ' ' || t.key AS summary,
              r.created_import_id AS import_id, ${importSource} AS source
       FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id
       LEFT JOIN imports i ON i.id = r.created_import_id WHERE r.id = ?`,
    );
  }

  record(r: HistoryRecord): void {
    this.insert.run({ ...r, relatedKey: r.relatedKey ?? null, changes: r.changes ? JSON.stringify(r.changes) : null });
  }

  /** How many entries concern a CI (its own and its relationships', recorded or created by an import). */
  count(ci: HistoryCi): number {
    return (this.countRecorded.get({ key: ci.key }) as number) + (this.countCreated.get({ id: ci.id }) as number);
  }

  /**
   * One page of the entries that concern a CI, newest first. Rows an import
   * created have no history row: their 'create' entry is made from the row
   * and the import log, with a negative id (-2·CI id, -2·relationship id − 1)
   * that never meets a recorded one.
   */
  page(ci: HistoryCi, offset: number, limit: number): HistoryEntry[] {
    const n = offset + limit;
    const args = { key: ci.key, id: ci.id, n };
    const streams = [this.recorded, this.createdOut, this.createdIn, this.createdCi].map((s) => s.all(args) as Event[]);
    return mergeHeads(streams, n)
      .slice(offset)
      .map((e) => {
        if (e.kind === 0) return toEntry(this.recordedById.get(e.rid) as Row);
        const made = (e.kind === 2 ? this.ciCreated : this.relCreated).get(e.rid) as Omit<Row, 'id' | 'entity' | 'action' | 'changes'>;
        return e.kind === 2
          ? toEntry({ ...made, id: -2 * e.rid, entity: 'ci', action: 'create', changes: null })
          : toEntry({ ...made, id: -2 * e.rid - 1, entity: 'relationship', action: 'create', changes: null });
      });
  }
}

function toEntry(r: Row): HistoryEntry {
  return {
    id: r.id,
    at: r.at,
    entity: r.entity,
    action: r.action,
    ciKey: r.ci_key,
    summary: r.summary,
    changes: r.changes ? (JSON.parse(r.changes) as Changes) : null,
    source: r.source,
    importId: r.import_id,
  };
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
