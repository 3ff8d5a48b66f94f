/**
 * Import of the default CSV formats: parse -> map -> validate -> apply, in
 * one transaction. With any row error the whole import is rejected and the
 * database is left exactly as it was.
 */
import { createHash } from 'node:crypto';
import type { ImportCounts, ImportResult, RowError } from '../../../shared/domain.js';
import { CmdbError } from '../../../shared/errors.js';
import type { Db } from '../db.js';
import { History } from '../history.js';
import { nowIso, parseAttributes } from '../rows.js';
import { normaliseTypeName, labelFor, unknownRelType } from '../types-registry.js';
import { type ParsedCsv, parseCsvText } from './parse.js';

export const CI_CORE = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description'] as const;
export const REL_CORE = ['source', 'target', 'type', 'redundancy_group', 'min_up'] as const;

export interface ImportInput {
  cis?: { name: string; content: string } | undefined;
  relationships?: { name: string; content: string } | undefined;
  dryRun?: boolean;
  source?: string;
}

interface CiIn {
  line: number;
  key: string;
  type: string;
  name: string;
  status: string | null;
  environment: string | null;
  owner: string | null;
  criticality: string | null;
  description: string | null;
  attributes: Record<string, string>;
}

interface RelIn {
  line: number;
  source: string;
  target: string;
  type: string;
  redundancyGroup: string | null;
  minUp: number | null;
  attributes: Record<string, string>;
}

const emptyCounts = (): ImportCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  retired: 0,
  rejected: 0,
  relationshipsCreated: 0,
  relationshipsUpdated: 0,
  relationshipsUnchanged: 0,
  relationshipsRejected: 0,
});

function columnIndex(csv: ParsedCsv): Map<string, number> {
  return new Map(csv.headers.map((h, i) => [h.toLowerCase(), i]));
}

function requireColumns(csv: ParsedCsv, cols: string[]): void {
  const idx = columnIndex(csv);
  const missing = cols.filter((c) => !idx.has(c));
  if (missing.length > 0) {
    throw new CmdbError(
      'CSV_ERROR',
      `${csv.file} line 1: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}. The header row has: ${csv.headers.join(', ')}.`,
      { file: csv.file, line: 1, column: missing[0] },
    );
  }
}

function cell(values: string[], i: number | undefined): string | null {
  if (i === undefined) return null;
  const v = (values[i] ?? '').trim();
  return v === '' ? null : v;
}

function readCis(csv: ParsedCsv, errors: RowError[]): CiIn[] {
  requireColumns(csv, ['name', 'type']);
  const idx = columnIndex(csv);
  const extra = csv.headers.map((h, i) => ({ h, i })).filter(({ h }) => !(CI_CORE as readonly string[]).includes(h.toLowerCase()));
  const out: CiIn[] = [];
  const seen = new Map<string, number>();
  for (const row of csv.rows) {
    const err = (column: string | null, message: string) => errors.push({ file: csv.file, line: row.line, column, message });
    if (row.values.length !== csv.headers.length) {
      err(null, `has ${row.values.length} fields but the header has ${csv.headers.length}. Check for a missing or extra delimiter.`);
      continue;
    }
    const name = cell(row.values, idx.get('name'));
    const rawType = cell(row.values, idx.get('type'));
    if (!name) {
      err('name', 'missing required value. Fill in the CI name.');
      continue;
    }
    if (!rawType) {
      err('type', 'missing required value. Fill in the CI type (for example server, application).');
      continue;
    }
    const type = normaliseTypeName(rawType);
    if (!type) {
      err('type', `"${rawType}" is not a usable CI type. Use letters and digits.`);
      continue;
    }
    const key = cell(row.values, idx.get('id')) ?? `${type}:${name}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      err(idx.has('id') ? 'id' : 'name', `duplicate key "${key}" (also on line ${prev}). Each CI must appear once.`);
      continue;
    }
    seen.set(key, row.line);
    const attributes: Record<string, string> = {};
    for (const { h, i } of extra) {
      const v = cell(row.values, i);
      if (v !== null) attributes[h] = v;
    }
    out.push({
      line: row.line,
      key,
      type,
      name,
      status: cell(row.values, idx.get('status')),
      environment: cell(row.values, idx.get('environment')),
      owner: cell(row.values, idx.get('owner')),
      criticality: cell(row.values, idx.get('criticality')),
      description: cell(row.values, idx.get('description')),
      attributes,
    });
  }
  return out;
}

function readRels(csv: ParsedCsv, errors: RowError[]): RelIn[] {
  requireColumns(csv, ['source', 'target', 'type']);
  const idx = columnIndex(csv);
  const extra = csv.headers.map((h, i) => ({ h, i })).filter(({ h }) => !(REL_CORE as readonly string[]).includes(h.toLowerCase()));
  const out: RelIn[] = [];
  for (const row of csv.rows) {
    const err = (column: string | null, message: string) => errors.push({ file: csv.file, line: row.line, column, message });
    if (row.values.length !== csv.headers.length) {
      err(null, `has ${row.values.length} fields but the header has ${csv.headers.length}. Check for a missing or extra delimiter.`);
      continue;
    }
    const source = cell(row.values, idx.get('source'));
    const target = cell(row.values, idx.get('target'));
    const rawType = cell(row.values, idx.get('type'));
    if (!source) {
      err('source', 'missing required value. Fill in the key of the source CI.');
      continue;
    }
    if (!target) {
      err('target', 'missing required value. Fill in the key of the target CI.');
      continue;
    }
    if (!rawType) {
      err('type', 'missing required value. Fill in the relationship type (for example depends_on, runs_on).');
      continue;
    }
    const minUpRaw = cell(row.values, idx.get('min_up'));
    let minUp: number | null = null;
    if (minUpRaw !== null) {
      if (!/^\d+$/.test(minUpRaw) || Number(minUpRaw) < 1) {
        err('min_up', `"${minUpRaw}" is not a whole number of 1 or more. Give how many members of the redundancy group must stay up.`);
        continue;
      }
      minUp = Number(minUpRaw);
    }
    const attributes: Record<string, string> = {};
    for (const { h, i } of extra) {
      const v = cell(row.values, i);
      if (v !== null) attributes[h] = v;
    }
    out.push({
      line: row.line,
      source,
      target,
      type: normaliseTypeName(rawType),
      redundancyGroup: cell(row.values, idx.get('redundancy_group')),
      minUp,
      attributes,
    });
  }
  return out;
}

/** Runs an import of the default formats. Throws IMPORT_REJECTED (nothing written) on any row error. */
export function importDefault(db: Db, input: ImportInput): ImportResult {
  const started = performance.now();
  const errors: RowError[] = [];
  const cisCsv = input.cis ? parseCsvText(input.cis.name, input.cis.content) : null;
  const relsCsv = input.relationships ? parseCsvText(input.relationships.name, input.relationships.content) : null;
  if (!cisCsv && !relsCsv) throw new CmdbError('INVALID_REQUEST', 'Nothing to import: give a CIs file, a relationships file, or both.');
  const cis = cisCsv ? readCis(cisCsv, errors) : [];
  const rels = relsCsv ? readRels(relsCsv, errors) : [];
  const counts = emptyCounts();
  const createdTypes: string[] = [];
  const createdRelTypes: string[] = [];
  const source = input.source ?? 'import';
  const hash = createHash('sha256');
  if (input.cis) hash.update(input.cis.content);
  if (input.relationships) hash.update(input.relationships.content);

  const run = db.transaction(() => {
    const now = nowIso();
    const history = new History(db);
    const importId = Number(
      db
        .prepare('INSERT INTO imports(started_at, files, content_hash, mode, source) VALUES (?, ?, ?, ?, ?)')
        .run(now, JSON.stringify([input.cis?.name, input.relationships?.name].filter(Boolean)), hash.digest('hex'), 'upsert', source)
        .lastInsertRowid,
    );
    const addCiType = db.prepare('INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES (?, ?, 1)');
    const getCi = db.prepare(
      'SELECT id, type, name, status, environment, owner, criticality, description, attributes FROM cis WHERE key = ?',
    );
    const insertCi = db.prepare(
      `INSERT INTO cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id)
       VALUES (@key, @type, @name, @status, @environment, @owner, @criticality, @description, @attributes, @source, @now, @now, @importId)`,
    );
    const updateCi = db.prepare(
      `UPDATE cis SET type=@type, name=@name, status=@status, environment=@environment, owner=@owner, criticality=@criticality,
       description=@description, attributes=@attributes, updated_at=@now, import_id=@importId WHERE id=@id`,
    );
    for (const c of cis) {
      if (addCiType.run(c.type, labelFor(c.type)).changes > 0) createdTypes.push(c.type);
      const existing = getCi.get(c.key) as
        | {
            id: number;
            type: string;
            name: string;
            status: string | null;
            environment: string | null;
            owner: string | null;
            criticality: string | null;
            description: string | null;
            attributes: string;
          }
        | undefined;
      const params = { ...c, attributes: JSON.stringify(c.attributes), source, now, importId };
      if (!existing) {
        const id = Number(insertCi.run(params).lastInsertRowid);
        history.record({
          at: now,
          entity: 'ci',
          entityId: id,
          ciKey: c.key,
          action: 'create',
          summary: `Created ${c.type} ${c.name}`,
          changes: null,
          source,
          importId,
        });
        counts.created++;
        continue;
      }
      const before: Record<string, unknown> = { ...existing, attributes: parseAttributes(existing.attributes) };
      const after: Record<string, unknown> = {
        type: c.type,
        name: c.name,
        status: c.status,
        environment: c.environment,
        owner: c.owner,
        criticality: c.criticality,
        description: c.description,
        attributes: c.attributes,
      };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const f of Object.keys(after)) {
        if (JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
          changes[f] = { from: before[f] ?? null, to: after[f] ?? null };
      }
      if (Object.keys(changes).length === 0) {
        counts.unchanged++;
        continue;
      }
      updateCi.run({ ...params, id: existing.id });
      history.record({
        at: now,
        entity: 'ci',
        entityId: existing.id,
        ciKey: c.key,
        action: 'update',
        summary: `Changed ${Object.keys(changes).join(', ')}`,
        changes,
        source,
        importId,
      });
      counts.updated++;
    }

    const relType = db.prepare('SELECT name FROM rel_types WHERE name = ?');
    const addRelType = db.prepare(
      'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, ?, ?, 1)',
    );
    const idOf = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
    const getRel = db.prepare(
      'SELECT id, redundancy_group, min_up, attributes FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
    );
    const insertRel = db.prepare(
      `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const updateRel = db.prepare(
      'UPDATE relationships SET redundancy_group = ?, min_up = ?, attributes = ?, updated_at = ?, import_id = ? WHERE id = ?',
    );
    for (const r of rels) {
      const sId = idOf.get(r.source) as number | undefined;
      const tId = idOf.get(r.target) as number | undefined;
      const file = relsCsv!.file;
      if (sId === undefined) {
        errors.push({
          file,
          line: r.line,
          column: 'source',
          message: `unknown CI "${r.source}". Import that CI first, or correct the key.`,
        });
        continue;
      }
      if (tId === undefined) {
        errors.push({
          file,
          line: r.line,
          column: 'target',
          message: `unknown CI "${r.target}". Import that CI first, or correct the key.`,
        });
        continue;
      }
      if (sId === tId) {
        errors.push({
          file,
          line: r.line,
          column: 'target',
          message: `"${r.source}" cannot depend on itself. Correct the source or target.`,
        });
        continue;
      }
      if (!relType.get(r.type)) {
        const t = unknownRelType(r.type);
        addRelType.run(t.name, t.label, t.reverseLabel, t.dependent, t.strength);
        createdRelTypes.push(r.type);
      }
      const attrs = JSON.stringify(r.attributes);
      const existing = getRel.get(sId, tId, r.type) as
        { id: number; redundancy_group: string | null; min_up: number | null; attributes: string } | undefined;
      const summary = `${r.source} ${r.type} ${r.target}`;
      if (!existing) {
        const id = Number(insertRel.run(sId, tId, r.type, r.redundancyGroup, r.minUp, attrs, now, now, importId).lastInsertRowid);
        history.record({
          at: now,
          entity: 'relationship',
          entityId: id,
          ciKey: r.source,
          relatedKey: r.target,
          action: 'create',
          summary,
          changes: null,
          source,
          importId,
        });
        counts.relationshipsCreated++;
        continue;
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (existing.redundancy_group !== r.redundancyGroup)
        changes.redundancyGroup = { from: existing.redundancy_group, to: r.redundancyGroup };
      if (existing.min_up !== r.minUp) changes.minUp = { from: existing.min_up, to: r.minUp };
      if (JSON.stringify(parseAttributes(existing.attributes)) !== attrs)
        changes.attributes = { from: parseAttributes(existing.attributes), to: r.attributes };
      if (Object.keys(changes).length === 0) {
        counts.relationshipsUnchanged++;
        continue;
      }
      updateRel.run(r.redundancyGroup, r.minUp, attrs, now, importId, existing.id);
      history.record({
        at: now,
        entity: 'relationship',
        entityId: existing.id,
        ciKey: r.source,
        relatedKey: r.target,
        action: 'update',
        summary,
        changes,
        source,
        importId,
      });
      counts.relationshipsUpdated++;
    }

    counts.rejected = new Set(errors.filter((e) => e.file === cisCsv?.file).map((e) => e.line)).size;
    counts.relationshipsRejected = new Set(
      errors.filter((e) => e.file === relsCsv?.file && e.file !== cisCsv?.file).map((e) => e.line),
    ).size;
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new CmdbError(
        'IMPORT_REJECTED',
        `${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message.replace(/\.$/, '')}${errors.length > 1 ? ` (and ${errors.length - 1} more row error${errors.length > 2 ? 's' : ''})` : ''}. Nothing was imported.`,
        { errors, counts },
      );
    }
    const durationMs = Math.round(performance.now() - started);
    db.prepare('UPDATE imports SET finished_at = ?, counts = ?, duration_ms = ? WHERE id = ?').run(
      nowIso(),
      JSON.stringify(counts),
      durationMs,
      importId,
    );
    if (input.dryRun) throw new DryRunDone(importId);
    return importId;
  });

  let importId: number | null;
  try {
    importId = run.immediate();
  } catch (err) {
    if (!(err instanceof DryRunDone)) throw err;
    importId = null;
  }
  return {
    importId,
    dryRun: input.dryRun ?? false,
    counts,
    errors,
    createdTypes,
    createdRelTypes,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Thrown to roll a dry run back after it has done everything but commit. */
class DryRunDone extends Error {
  constructor(readonly importId: number) {
    super('dry run');
  }
}
