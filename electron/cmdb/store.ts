/**
 * Reads and edits of CIs and relationships, each edit recorded in history.
 * Every statement is prepared once per connection.
 */
import type { Ci, CiDetail, CiFields, Relationship } from '../../shared/domain.js';
import { CmdbError } from '../../shared/errors.js';
import type { Db } from './db.js';
import { MergedKeys } from './health/merged-keys.js';
import { CiRelationships } from './ci-pages.js';
import { diff, History } from './history.js';
import { CI_COLUMNS, type CiRow, nowIso, parseAttributes, type RelRow, rowToCi, rowToRelationship } from './rows.js';
import { checkGroupMember } from './rel-group.js';
import { normaliseTypeName } from './types-registry.js';
import { ciTypeLabel } from '../../shared/ci-types.js';
import { cleanText } from '../../shared/text.js';
import { SOURCE_ATTRIBUTE, VOCAB_FIELDS, VOCAB_SCALES, type VocabField } from '../../shared/import-vocab.js';
import { criticalityOf, statusOf } from '../../shared/vocab.js';

export const CI_FIELDS = ['type', 'name', 'status', 'environment', 'owner', 'criticality', 'description', 'attributes'] as const;

const REL_SELECT = `SELECT r.id, r.source_id, r.target_id, s.key AS source_key, t.key AS target_key, r.type,
  r.redundancy_group, r.min_up, r.attributes FROM relationships r
  JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id`;

export class Store {
  readonly history: History;
  readonly relationships: CiRelationships;
  private readonly byKey;
  private readonly byId;
  private readonly outgoing;
  private readonly incoming;
  private readonly relById;

  constructor(readonly db: Db) {
    this.history = new History(db);
    this.relationships = new CiRelationships(db);
    this.byKey = db.prepare(`SELECT ${CI_COLUMNS} FROM cis WHERE key = ?`);
    this.byId = db.prepare(`SELECT ${CI_COLUMNS} FROM cis WHERE id = ?`);
    this.outgoing = db.prepare(`${REL_SELECT} WHERE r.source_id = ? ORDER BY r.type, t.name`);
    this.incoming = db.prepare(`${REL_SELECT} WHERE r.target_id = ? ORDER BY r.type, s.name`);
    this.relById = db.prepare(`${REL_SELECT} WHERE r.id = ?`);
  }

  /** The CI of `key`; a key typed with spaces around it or in another Unicode form finds it too. */
  ciRowByKey(key: string): CiRow | undefined {
    const row = this.byKey.get(key) as CiRow | undefined;
    if (row) return row;
    const clean = cleanText(key);
    return clean === null || clean === key ? undefined : (this.byKey.get(clean) as CiRow | undefined);
  }

  requireCi(key: string): CiRow {
    const row = this.ciRowByKey(key);
    if (!row) {
      const merged = new MergedKeys(this.db).hint(key);
      throw new CmdbError('NOT_FOUND', `No CI with key "${key}"${merged ? `: ${merged}.` : '. Search for it by name to find its key.'}`, {
        key,
      });
    }
    return row;
  }

  /**
   * One CI with the first `relLimit` relationships on each side, the newest
   * `historyLimit` history entries, and how many of each there are in all
   * (the rest are paged with `relationships` and `history.page`).
   */
  getCi(key: string, relLimit = 100, historyLimit = 100): CiDetail {
    const row = this.requireCi(key);
    const side = (s: 'incoming' | 'outgoing') =>
      relLimit > 0
        ? this.relationships.page(row, { side: s, offset: 0, limit: relLimit, withTypes: false })
        : { items: [], total: this.relationships.count(row.id, { side: s }) };
    const outgoing = side('outgoing');
    const incoming = side('incoming');
    const history = historyLimit > 0 ? this.history.page(row, 0, historyLimit) : [];
    return {
      ci: rowToCi(row),
      outgoing: outgoing.items,
      incoming: incoming.items,
      history,
      outgoingTotal: outgoing.total,
      incomingTotal: incoming.total,
      historyTotal: history.length < historyLimit ? history.length : this.history.count(row),
    };
  }

  /** Ensures a CI type exists; a new one is created flagged for review. Returns the normalised name. */
  ensureCiType(raw: string): { name: string; created: boolean } {
    const name = normaliseTypeName(raw);
    if (!name) throw new CmdbError('INVALID_REQUEST', `"${raw}" is not a usable CI type name.`);
    const r = this.db.prepare('INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES (?, ?, 1)').run(name, ciTypeLabel(name));
    return { name, created: r.changes > 0 };
  }

  createCi(key: string | undefined, given: CiFields, source: string): Ci {
    const fields = onScales(cleanCiFields(given), {});
    const tx = this.db.transaction(() => {
      const type = this.ensureCiType(fields.type).name;
      const k = key === undefined ? `${type}:${fields.name}` : requiredText(key, 'key');
      if (this.ciRowByKey(k))
        throw new CmdbError('CONFLICT', `A CI with key "${k}" already exists. Choose another key or edit that CI.`, { key: k });
      const now = nowIso();
      const info = this.db
        .prepare(
          `INSERT INTO cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at)
           VALUES (@key, @type, @name, @status, @environment, @owner, @criticality, @description, @attributes, @source, @now, @now)`,
        )
        .run({
          key: k,
          type,
          name: fields.name,
          status: fields.status ?? null,
          environment: fields.environment ?? null,
          owner: fields.owner ?? null,
          criticality: fields.criticality ?? null,
          description: fields.description ?? null,
          attributes: JSON.stringify(fields.attributes ?? {}),
          source,
          now,
        });
      const id = Number(info.lastInsertRowid);
      const row = this.byId.get(id) as CiRow;
      const after = ciRecord(row);
      this.history.record({
        at: now,
        entity: 'ci',
        entityId: id,
        ciKey: k,
        action: 'create',
        summary: `Created ${type} ${fields.name}`,
        changes: diff({}, after, CI_FIELDS),
        source,
        importId: null,
      });
      return rowToCi(row);
    });
    return tx.immediate();
  }

  updateCi(key: string, given: Partial<CiFields>, source: string, since?: string): Ci {
    const fields = cleanCiFields(given);
    const tx = this.db.transaction(() => {
      const row = this.requireCi(key);
      if (since !== undefined && row.updated_at !== since) throw this.changedSince(row);
      onScales(fields, row);
      const before = ciRecord(row);
      const after: Record<string, unknown> = { ...before };
      for (const f of CI_FIELDS) {
        if (fields[f] !== undefined) after[f] = fields[f];
      }
      after.attributes = withoutStaleSources(before, after);
      if (fields.type !== undefined) after.type = this.ensureCiType(fields.type).name;
      const changes = diff(before, after, CI_FIELDS);
      if (Object.keys(changes).length === 0) return rowToCi(row);
      const now = nowIso();
      this.db
        .prepare(
          `UPDATE cis SET type = @type, name = @name, status = @status, environment = @environment, owner = @owner,
           criticality = @criticality, description = @description, attributes = @attributes, updated_at = @now WHERE id = @id`,
        )
        .run({ ...after, attributes: JSON.stringify(after.attributes ?? {}), now, id: row.id });
      this.history.record({
        at: now,
        entity: 'ci',
        entityId: row.id,
        ciKey: key,
        action: 'update',
        summary: `Changed ${Object.keys(changes).join(', ')}`,
        changes,
        source,
        importId: null,
      });
      return rowToCi(this.byId.get(row.id) as CiRow);
    });
    return tx.immediate();
  }

  /** The refusal of an edit made on a CI as it was before its last change: what changed it, and what to do. */
  private changedSince(row: CiRow): CmdbError {
    const last = this.db
      .prepare("SELECT summary, source FROM history WHERE entity = 'ci' AND entity_id = ? ORDER BY id DESC LIMIT 1")
      .get(row.id) as { summary: string; source: string } | undefined;
    const what = last ? ` (${last.summary}, by ${last.source})` : '';
    return new CmdbError(
      'CONFLICT',
      `${row.name} (${row.key}) was changed at ${row.updated_at}${what}, after you opened it. Nothing was saved: reload it and make your edit again.`,
      { key: row.key, updatedAt: row.updated_at },
    );
  }

  deleteCi(key: string, source: string): { deleted: boolean; relationshipsDeleted: number } {
    const tx = this.db.transaction(() => {
      const row = this.requireCi(key);
      const now = nowIso();
      const rels = [...(this.outgoing.all(row.id) as RelRow[]), ...(this.incoming.all(row.id) as RelRow[])];
      for (const r of rels) this.recordRelDelete(r, now, source);
      this.db.prepare('DELETE FROM relationships WHERE source_id = ? OR target_id = ?').run(row.id, row.id);
      this.db.prepare('DELETE FROM cis WHERE id = ?').run(row.id);
      this.history.record({
        at: now,
        entity: 'ci',
        entityId: row.id,
        ciKey: key,
        action: 'delete',
        summary: `Deleted ${row.type} ${row.name}`,
        changes: diff(ciRecord(row), {}, CI_FIELDS),
        source,
        importId: null,
      });
      return { deleted: true, relationshipsDeleted: rels.length };
    });
    return tx.immediate();
  }

  createRelationship(
    input: {
      source: string;
      target: string;
      type: string;
      redundancyGroup?: string | null;
      minUp?: number | null;
      attributes?: Record<string, string>;
    },
    source: string,
  ): Relationship {
    const group = input.redundancyGroup == null ? input.redundancyGroup : cleanText(input.redundancyGroup);
    const tx = this.db.transaction(() => {
      const s = this.requireCi(input.source);
      const t = this.requireCi(input.target);
      if (s.id === t.id) throw new CmdbError('INVALID_REQUEST', `A CI cannot have a relationship with itself ("${input.source}").`);
      const type = normaliseTypeName(input.type);
      const known = this.db.prepare('SELECT dependent FROM rel_types WHERE name = ?').get(type) as { dependent: string } | undefined;
      if (!known) {
        throw new CmdbError('INVALID_REQUEST', `Unknown relationship type "${input.type}". Use one of the registry's types.`, {
          type: input.type,
        });
      }
      const exists = this.db
        .prepare('SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?')
        .get(s.id, t.id, type);
      if (exists) throw new CmdbError('CONFLICT', `${input.source} already ${type} ${input.target}.`);
      const dependentIsSource = known.dependent === 'source';
      const groupName = checkGroupMember(this.db, {
        group,
        minUp: input.minUp,
        type,
        dependentIsSource,
        sourceId: s.id,
        targetId: t.id,
        dependentKey: dependentIsSource ? s.key : t.key,
      });
      const now = nowIso();
      const info = this.db
        .prepare(
          `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, t.id, type, groupName, input.minUp ?? null, JSON.stringify(input.attributes ?? {}), now, now);
      const rel = this.relById.get(Number(info.lastInsertRowid)) as RelRow;
      this.history.record({
        at: now,
        entity: 'relationship',
        entityId: rel.id,
        ciKey: s.key,
        relatedKey: t.key,
        action: 'create',
        summary: `${s.key} ${type} ${t.key}`,
        changes: diff({}, relRecord(rel), REL_FIELDS),
        source,
        importId: null,
      });
      return rowToRelationship(rel);
    });
    return tx.immediate();
  }

  deleteRelationship(id: number, source: string): { deleted: boolean } {
    const tx = this.db.transaction(() => {
      const rel = this.relById.get(id) as RelRow | undefined;
      if (!rel) throw new CmdbError('NOT_FOUND', `No relationship with id ${id}. It may have been deleted already; reload.`);
      this.recordRelDelete(rel, nowIso(), source);
      this.db.prepare('DELETE FROM relationships WHERE id = ?').run(id);
      return { deleted: true };
    });
    return tx.immediate();
  }

  private recordRelDelete(rel: RelRow, at: string, source: string): void {
    this.history.record({
      at,
      entity: 'relationship',
      entityId: rel.id,
      ciKey: rel.source_key,
      relatedKey: rel.target_key,
      action: 'delete',
      summary: `${rel.source_key} ${rel.type} ${rel.target_key}`,
      changes: diff(relRecord(rel), {}, REL_FIELDS),
      source,
      importId: null,
    });
  }
}

export const REL_FIELDS = ['source', 'target', 'type', 'redundancyGroup', 'minUp', 'attributes'] as const;

export function ciRecord(row: CiRow): Record<string, unknown> {
  return {
    type: row.type,
    name: row.name,
    status: row.status,
    environment: row.environment,
    owner: row.owner,
    criticality: row.criticality,
    description: row.description,
    attributes: parseAttributes(row.attributes),
  };
}

export function relRecord(rel: RelRow): Record<string, unknown> {
  return {
    source: rel.source_key,
    target: rel.target_key,
    type: rel.type,
    redundancyGroup: rel.redundancy_group,
    minUp: rel.min_up,
    attributes: parseAttributes(rel.attributes),
  };
}

/** Text a CI must have (its key, name or type), as the CMDB keeps it (shared/text.ts). */
function requiredText(raw: string, what: string): string {
  const v = cleanText(raw);
  if (v === null) throw new CmdbError('INVALID_REQUEST', `A CI's ${what} cannot be empty or only spaces. Give it one.`, { field: what });
  return v;
}

/**
 * Criticality and status onto their scales, as an import reads them ("High",
 * "Tier 1" -> high; "Active" -> operational). A word neither scale knows is
 * refused, unless the CI holds it already (an import keeps a file's unknown
 * values as given, and an edit of another field sends it back unchanged).
 */
function onScales<T extends Partial<CiFields>>(fields: T, held: Partial<Record<VocabField, string | null>>): T {
  for (const f of VOCAB_FIELDS) {
    const v = fields[f];
    if (typeof v !== 'string' || v === held[f]) continue;
    const onScale = f === 'criticality' ? criticalityOf(v) : statusOf(v);
    if (onScale === null) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `"${v}" is not a ${f} the CMDB knows. Use one of ${VOCAB_SCALES[f].join(', ')}, or leave it empty.`,
        { field: f },
      );
    }
    fields[f] = onScale as T[typeof f];
  }
  return fields;
}

/**
 * The attributes after an edit, without the file text (`criticality_source`,
 * `status_source`) of a criticality or status the edit changed: that text
 * says what an import read, and no longer what the CI holds.
 */
function withoutStaleSources(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, string> {
  const attrs = { ...((after.attributes as Record<string, string> | undefined) ?? {}) };
  for (const f of VOCAB_FIELDS) {
    if (after[f] !== before[f]) delete attrs[SOURCE_ATTRIBUTE[f]];
  }
  return attrs;
}

/**
 * A CI's fields as an import's cells would give them (shared/text.ts): trimmed, no-break spaces as
 * spaces, Unicode NFC; an optional field left blank is empty (null). A key, name or type that is
 * only spaces is refused.
 */
function cleanCiFields<T extends Partial<CiFields>>(fields: T): T {
  for (const [f, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.includes('\0')) {
      throw new CmdbError('INVALID_REQUEST', `A CI's ${f} cannot hold a NUL character (a zero byte). Remove it.`, { field: f });
    }
  }
  const out: Partial<CiFields> = { ...fields };
  if (fields.type !== undefined) out.type = requiredText(fields.type, 'type');
  if (fields.name !== undefined) out.name = requiredText(fields.name, 'name');
  for (const f of ['status', 'environment', 'owner', 'criticality', 'description'] as const) {
    const v = fields[f];
    if (typeof v === 'string') out[f] = cleanText(v);
  }
  return out as T;
}
