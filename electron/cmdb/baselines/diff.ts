/**
 * What changed between two CMDBs attached to one connection (schemas `from`
 * and `to`: `main` for the live CMDB, an attached baseline otherwise).
 *
 * The work is done in SQL, over both tables at once: each side's rows are
 * joined to the other side's on the row id (the integer primary key, so each
 * lookup is one b-tree probe, no sort) and only the rows whose id is missing
 * on the other side, or whose compared columns differ (`IS NOT`), come back.
 * That is the same set `SELECT … EXCEPT SELECT …` finds, without sorting both
 * tables whole. Only those few rows reach JavaScript, where they are matched
 * on their identity:
 * - a CI on its key; a key found only before and one found only after that
 *   are the same row (same id and same created_at) is a renamed CI, reported
 *   as changed with `fields.key`; anything else is removed and added;
 * - a relationship on (source key, target key, type).
 * So a CI deleted and created again under its key (new id: an undone import
 * re-created) with the same fields is no change at all. Fields compared: the
 * core fields, and each attribute on its own as `attributes.NAME`;
 * bookkeeping (timestamps, import ids, source) is not a change.
 */
import type { Diff } from '../../../shared/baseline.js';
import { CmdbError } from '../../../shared/errors.js';
import { statusOf } from '../../../shared/vocab.js';
import type { Db } from '../db.js';
import { largeCis, largeRelationships } from './diff-large.js';
import { type CiRow as StoredCiRow, parseAttributes } from '../rows.js';
import { cmp } from '../impact/rollups.js';

/** The CI fields compared, besides the attributes. */
export const CI_FIELDS = ['key', 'type', 'name', 'status', 'environment', 'owner', 'criticality', 'description'] as const;
export const REL_FIELDS = ['redundancy_group', 'min_up'] as const;

/** A CI row as the diff reads it: the stored row without its provenance (source, updated_at, import_id). */
export type CiRow = Omit<StoredCiRow, 'source' | 'updated_at' | 'import_id'>;

export interface RelRow {
  id: number;
  source_id: number;
  target_id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
  attributes: string;
}

export interface RelSide extends RelRow {
  source: string;
  target: string;
  sourceType: string;
  targetType: string;
}

export interface DiffOptions {
  /** The names the answer gives the two points. */
  fromName: string;
  toName: string;
  /** Only CIs of these types, and relationships with an end of these types. */
  types?: readonly string[] | undefined;
  /** Most entries per list; counts cover all. */
  limit: number;
  /** Rows held in memory per table before the diff is done in SQL (IN_MEMORY_ROWS; tests lower it). */
  inMemoryRows?: number | undefined;
}

type FieldChanges = Record<string, { from: unknown; to: unknown }>;

type RelBrief = { source: string; target: string; type: string };
export const relBrief = (r: RelBrief): RelBrief => ({ source: r.source, target: r.target, type: r.type });
const byEnds = (a: RelBrief, b: RelBrief) => cmp(a.source, b.source) || cmp(a.target, b.target) || cmp(a.type, b.type);

/**
 * The entries of one list, sorted, the first `limit` kept and every one
 * counted; memory stays near `limit` entries however many pass.
 */
export class Keeper<T> {
  private items: T[] = [];
  total = 0;
  /** The entries `tally` picked out, every one counted (the retirements among the changed CIs). */
  tallied = 0;

  constructor(
    private readonly limit: number,
    private readonly order: (a: T, b: T) => number,
    private readonly tally?: (item: T) => boolean,
  ) {}

  push(item: T): void {
    this.total++;
    if (this.tally?.(item)) this.tallied++;
    this.items.push(item);
    if (this.items.length > 2 * this.limit + 1024) this.trim();
  }

  private trim(): void {
    this.items.sort(this.order);
    if (this.items.length > this.limit) this.items.length = this.limit;
  }

  done(): T[] {
    this.trim();
    return this.items;
  }
}

/** The lists a diff fills. */
export interface Lists {
  cis: {
    added: Keeper<Diff['cis']['added'][number]>;
    removed: Keeper<Diff['cis']['removed'][number]>;
    changed: Keeper<Diff['cis']['changed'][number]>;
  };
  relationships: {
    added: Keeper<RelBrief>;
    removed: Keeper<RelBrief>;
    changed: Keeper<Diff['relationships']['changed'][number]>;
  };
}

export const CI_COLUMNS = ['id', ...CI_FIELDS, 'attributes', 'created_at'];
export const REL_COLUMNS = ['id', 'source_id', 'target_id', 'type', ...REL_FIELDS, 'attributes'];

/** Rows of `a` whose id is missing from `b` or whose compared columns differ, with `b`'s row beside them (prefixed `o_`). */
function differingSql(table: string, columns: readonly string[], a: string, b: string): string {
  const compared = columns.filter((c) => c !== 'id' && c !== 'created_at');
  return `SELECT ${columns.map((c) => `x.${c}`).join(', ')}, ${columns.map((c) => `y.${c} AS o_${c}`).join(', ')}
    FROM ${a}.${table} x LEFT JOIN ${b}.${table} y ON y.id = x.id
    WHERE y.id IS NULL OR ${compared.map((c) => `y.${c} IS NOT x.${c}`).join(' OR ')}`;
}

/** Rows of `b` whose id `a` does not have. */
function onlySql(table: string, columns: readonly string[], a: string, b: string): string {
  return `SELECT ${columns.map((c) => `y.${c}`).join(', ')} FROM ${b}.${table} y WHERE NOT EXISTS (SELECT 1 FROM ${a}.${table} x WHERE x.id = y.id)`;
}

/** Splits a joined row into its own columns and the other side's (`o_`), or null when the other side had none. */
function split<T>(row: Record<string, unknown>, columns: readonly string[]): [T, T | null] {
  const own: Record<string, unknown> = {};
  const other: Record<string, unknown> = {};
  for (const c of columns) {
    own[c] = row[c];
    other[c] = row[`o_${c}`];
  }
  return [own as T, other.id === null ? null : (other as T)];
}

/** Both sides' rows that differ (before, after), or null when there are more than `cap`: a large diff, done in SQL (diff-large.ts). */
function differingRows<T>(
  db: Db,
  table: string,
  columns: readonly string[],
  from: string,
  to: string,
  cap: number,
): { before: T[]; after: T[] } | null {
  const before: T[] = [];
  const after: T[] = [];
  const gather = (sql: string, onRow: (row: Record<string, unknown>) => void): boolean => {
    for (const row of db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) {
      onRow(row);
      // Leaving the loop closes the statement.
      if (before.length + after.length > cap) return false;
    }
    return true;
  };
  const complete =
    gather(differingSql(table, columns, from, to), (row) => {
      const [mine, theirs] = split<T>(row, columns);
      before.push(mine);
      if (theirs) after.push(theirs);
    }) && gather(onlySql(table, columns, from, to), (row) => after.push(row as T));
  return complete ? { before, after } : null;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Each changed field of two versions: the named columns, then each attribute as `attributes.NAME`. */
export function fieldChanges<T extends { attributes: string }>(a: T, b: T, columns: readonly (keyof T & string)[]): FieldChanges {
  const out: FieldChanges = {};
  for (const c of columns) if (!same(a[c], b[c])) out[c] = { from: a[c] ?? null, to: b[c] ?? null };
  if (a.attributes !== b.attributes) {
    const x: Record<string, unknown> = parseAttributes(a.attributes);
    const y: Record<string, unknown> = parseAttributes(b.attributes);
    for (const name of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      if (!same(x[name], y[name])) out[`attributes.${name}`] = { from: x[name] ?? null, to: y[name] ?? null };
    }
  }
  return out;
}

export const side = (r: CiRow) => ({ key: r.key, name: r.name, type: r.type, owner: r.owner });

/**
 * The ids that name another CI on each side: another key and another
 * created_at (SQLite gave a deleted CI's id to a new one). A CI renamed keeps
 * its created_at; one deleted and created again under its key keeps its key.
 */
function reusedIds(before: readonly CiRow[], after: readonly CiRow[]): Set<number> {
  const afterById = new Map(after.map((r) => [r.id, r]));
  const out = new Set<number>();
  for (const a of before) {
    const b = afterById.get(a.id);
    if (b && b.key !== a.key && b.created_at !== a.created_at) out.add(a.id);
  }
  return out;
}

/** reusedIds in SQL, for a diff whose CIs were too many to hold (a join of both tables on the id). */
function reusedIdsSql(db: Db, from: string, to: string): Set<number> {
  const sql = `SELECT x.id FROM ${from}.cis x JOIN ${to}.cis y ON y.id = x.id WHERE y.key <> x.key AND y.created_at <> x.created_at`;
  return new Set(db.prepare(sql).pluck().all() as number[]);
}

/** Fills `out` with the CIs that differ; returns the ids reused for another CI (null when the diff was done in SQL). */
function diffCis(db: Db, from: string, to: string, wanted: (type: string) => boolean, out: Lists['cis'], cap: number): Set<number> | null {
  const rows = differingRows<CiRow>(db, 'cis', CI_COLUMNS, from, to, cap);
  if (!rows) {
    largeCis(db, from, to, wanted, out);
    return null;
  }
  const before = new Map(rows.before.map((r) => [r.key, r]));
  const after = new Map(rows.after.map((r) => [r.key, r]));
  const added: CiRow[] = [];
  const removed: CiRow[] = [];
  const record = (a: CiRow, b: CiRow) => {
    if (!wanted(a.type) && !wanted(b.type)) return;
    const fields = fieldChanges(a, b, CI_FIELDS as unknown as (keyof CiRow & string)[]);
    if (Object.keys(fields).length > 0) out.changed.push({ ...side(b), fields });
  };
  for (const [key, a] of before) {
    const b = after.get(key);
    if (b) record(a, b);
    else removed.push(a);
  }
  for (const [key, b] of after) if (!before.has(key)) added.push(b);
  // A renamed CI: the same row (id and created_at) under another key.
  const renamedFrom = new Map(removed.map((r) => [`${r.id}\u0000${r.created_at}`, r]));
  for (const b of added) {
    const a = renamedFrom.get(`${b.id}\u0000${b.created_at}`);
    if (a) {
      renamedFrom.delete(`${a.id}\u0000${a.created_at}`);
      record(a, b);
    } else if (wanted(b.type)) out.added.push(side(b));
  }
  for (const a of renamedFrom.values()) if (wanted(a.type)) out.removed.push(side(a));
  return reusedIds(rows.before, rows.after);
}

/**
 * The relationships at a CI whose id names another CI on the other side:
 * their rows may be the same, their ends are not, so they are read too (not
 * already among `have`) and matched on their ends' keys like the rest.
 */
function relsAtReused(db: Db, schema: string, ids: ReadonlySet<number>, have: readonly RelRow[]): RelRow[] {
  if (ids.size === 0) return [];
  const seen = new Set(have.map((r) => r.id));
  const list = JSON.stringify([...ids]);
  const rows = db
    .prepare(
      `SELECT ${REL_COLUMNS.join(', ')} FROM ${schema}.relationships
       WHERE source_id IN (SELECT value FROM json_each(@ids)) OR target_id IN (SELECT value FROM json_each(@ids))`,
    )
    .all({ ids: list }) as RelRow[];
  return rows.filter((r) => !seen.has(r.id));
}

/** Each relationship's end keys and types, from the CIs of its own side. */
function withEnds(db: Db, schema: string, rels: RelRow[]): RelSide[] {
  if (rels.length === 0) return [];
  const ids = [...new Set(rels.flatMap((r) => [r.source_id, r.target_id]))];
  const stmt = db.prepare(`SELECT id, key, type FROM ${schema}.cis WHERE id IN (SELECT value FROM json_each(?))`);
  const ends = new Map<number, { key: string; type: string }>();
  for (let i = 0; i < ids.length; i += 10_000) {
    for (const r of stmt.all(JSON.stringify(ids.slice(i, i + 10_000))) as Array<{ id: number; key: string; type: string }>)
      ends.set(r.id, r);
  }
  return rels.map((r) => {
    const s = ends.get(r.source_id);
    const t = ends.get(r.target_id);
    return {
      ...r,
      source: s?.key ?? `#${r.source_id}`,
      target: t?.key ?? `#${r.target_id}`,
      sourceType: s?.type ?? '',
      targetType: t?.type ?? '',
    };
  });
}

function diffRelationships(
  db: Db,
  from: string,
  to: string,
  wanted: (type: string) => boolean,
  out: Lists['relationships'],
  cap: number,
  reused: Set<number> | null,
): void {
  const rows = differingRows<RelRow>(db, 'relationships', REL_COLUMNS, from, to, cap);
  if (!rows) return largeRelationships(db, from, to, wanted, out);
  const ids = reused ?? reusedIdsSql(db, from, to);
  rows.before.push(...relsAtReused(db, from, ids, rows.before));
  rows.after.push(...relsAtReused(db, to, ids, rows.after));
  const identity = (r: RelSide) => `${r.source}\u0000${r.target}\u0000${r.type}`;
  const before = new Map(withEnds(db, from, rows.before).map((r) => [identity(r), r]));
  const after = new Map(withEnds(db, to, rows.after).map((r) => [identity(r), r]));
  const keep = (r: RelSide) => wanted(r.sourceType) || wanted(r.targetType);
  for (const [id, a] of before) {
    const b = after.get(id);
    if (!b) {
      if (keep(a)) out.removed.push(relBrief(a));
    } else if (keep(a) || keep(b)) {
      const fields = fieldChanges(a, b, REL_FIELDS as unknown as (keyof RelSide & string)[]);
      if (Object.keys(fields).length > 0) out.changed.push({ ...relBrief(b), fields });
    }
  }
  for (const [id, b] of after) if (!before.has(id) && keep(b)) out.added.push(relBrief(b));
}

function diffTypes(db: Db, from: string, to: string, wanted: (type: string) => boolean): Diff['types'] {
  const only = (a: string, b: string) =>
    (db.prepare(`SELECT name FROM ${a}.ci_types EXCEPT SELECT name FROM ${b}.ci_types ORDER BY name`).pluck().all() as string[]).filter(
      wanted,
    );
  return { added: only(to, from), removed: only(from, to) };
}

/**
 * Rows held in memory per table before a diff is done in SQL instead
 * (diff-large.ts): a diff against a baseline saved before the first import of
 * a million CIs would otherwise hold every row.
 */
export const IN_MEMORY_ROWS = 200_000;

/** Refuses CI types that neither point knows: a typo would otherwise read as "nothing changed". */
function checkTypes(db: Db, from: string, to: string, types: ReadonlySet<string>): void {
  const known = db
    .prepare(`SELECT name FROM ${from}.ci_types UNION SELECT name FROM ${to}.ci_types ORDER BY name`)
    .pluck()
    .all() as string[];
  const unknown = [...types].filter((t) => !known.includes(t));
  if (unknown.length === 0) return;
  throw new CmdbError(
    'INVALID_REQUEST',
    `Unknown CI type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}: neither point in time has ${unknown.length > 1 ? 'them' : 'it'}. The CI types are: ${known.join(', ')}.`,
    { types: unknown },
  );
}

/** A changed CI whose status now says retired (as the status scale reads it: `decommissioned` too) and did not before. */
function retiredSince(c: { fields: FieldChanges }): boolean {
  const status = c.fields.status;
  const retired = (v: unknown) => typeof v === 'string' && statusOf(v) === 'retired';
  return status !== undefined && retired(status.to) && !retired(status.from);
}

/** The difference from schema `from` to schema `to`, both attached to `db` (what was compared is the caller's to say: Diff.provenance). */
export function computeDiff(db: Db, from: string, to: string, options: DiffOptions): Omit<Diff, 'provenance'> {
  const types = options.types && options.types.length > 0 ? new Set(options.types) : null;
  if (types) checkTypes(db, from, to, types);
  const wanted = (type: string) => types === null || types.has(type);
  const cap = options.inMemoryRows ?? IN_MEMORY_ROWS;
  const byKey = (a: { key: string }, b: { key: string }) => cmp(a.key, b.key);
  const keeper = <T>(order: (a: NoInfer<T>, b: NoInfer<T>) => number, tally?: (item: T) => boolean): Keeper<T> =>
    new Keeper<T>(options.limit, order, tally);
  const lists: Lists = {
    cis: { added: keeper(byKey), removed: keeper(byKey), changed: keeper<Diff['cis']['changed'][number]>(byKey, retiredSince) },
    relationships: { added: keeper(byEnds), removed: keeper(byEnds), changed: keeper(byEnds) },
  };
  const reused = diffCis(db, from, to, wanted, lists.cis, cap);
  diffRelationships(db, from, to, wanted, lists.relationships, cap, reused);
  const all = [...Object.values(lists.cis), ...Object.values(lists.relationships)] as Array<Keeper<unknown>>;
  return {
    from: options.fromName,
    to: options.toName,
    cis: { added: lists.cis.added.done(), removed: lists.cis.removed.done(), changed: lists.cis.changed.done() },
    relationships: {
      added: lists.relationships.added.done(),
      removed: lists.relationships.removed.done(),
      changed: lists.relationships.changed.done(),
    },
    types: diffTypes(db, from, to, wanted),
    counts: {
      cisAdded: lists.cis.added.total,
      cisRemoved: lists.cis.removed.total,
      cisChanged: lists.cis.changed.total,
      cisRetired: lists.cis.changed.tallied,
      relationshipsAdded: lists.relationships.added.total,
      relationshipsRemoved: lists.relationships.removed.total,
      relationshipsChanged: lists.relationships.changed.total,
    },
    truncated: all.some((k) => k.total > options.limit),
  };
}
