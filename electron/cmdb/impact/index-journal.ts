/**
 * What changed in the CMDB since a graph index was built, read back from the
 * CMDB itself, whoever wrote it (an edit on this connection, an import's
 * worker, undo, another process):
 * - every edit, import update, sync retirement, delete and undo writes a
 *   history row (store.ts, import stages, undo.ts): its CI, or its
 *   relationship's two ends (by id while the row exists, by key after);
 * - what an import creates has no history row but a new id: CIs and
 *   relationships with an id above the largest of the rows that were there
 *   when the index was read and still are (`newRowsFloor`). SQLite gives a
 *   new row the largest id plus one, so once the rows with the largest ids
 *   are deleted, a new row takes an id at or below the largest when the index
 *   was read: the id of a row deleted since (its history row names it), or one
 *   deleted before the index was read (named by nothing since);
 * - a change to the relationship types (strength, direction, a new type)
 *   is not patched: the caller rebuilds.
 * `readEdit` turns that into an IndexEdit (index-patch.ts) and the changed
 * CIs' fields (ci-attrs-patch.ts), or null when the change is too large to
 * patch profitably (more than `limit` rows, patchLimitFor) or not patchable.
 */
import type { Db } from '../db.js';
import type { ChangedCi } from './ci-attrs-patch.js';
import { type GraphIndex, IMPLICIT_GROUP_LABEL, IMPLICIT_GROUP_TYPE, STRENGTH_HARD } from './graph-index.js';
import type { DependencyRow, IndexEdit } from './index-patch.js';

/** Where the CMDB stood when an index was read: the largest ids and the relationship types. */
export interface JournalMarks {
  history: number;
  ci: number;
  rel: number;
  /** The last import: rows created by a later one carry a larger created_import_id. */
  imports: number;
  relTypes: string;
}

export interface JournalEdit {
  edit: IndexEdit;
  /** CIs created, changed or deleted, with their fields now. */
  cis: ChangedCi[];
  /** The marks to read from next time. */
  marks: JournalMarks;
}

/**
 * Rows (history, new CIs, new relationships) an edit may add before a rebuild
 * is cheaper than a patch: a patch costs about ten times more per row than a
 * build does per relationship (measured: see tests/bench/RESULTS.md, "Impact
 * after edits"), so the limit is a share of the relationships indexed.
 */
export function patchLimitFor(index: GraphIndex): number {
  return Math.max(2000, Math.floor(index.liveEdges / 32));
}

const ids = (xs: Iterable<number>) => JSON.stringify([...xs]);

/** The marks now (call inside the read transaction that reads the index). */
export function readMarks(db: Db): JournalMarks {
  const max = (table: string) => db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number;
  return {
    history: max('history'),
    ci: max('cis'),
    rel: max('relationships'),
    imports: max('imports'),
    relTypes:
      (db
        .prepare("SELECT group_concat(name || ':' || dependent || ':' || strength, ',') FROM (SELECT * FROM rel_types ORDER BY name)")
        .pluck()
        .get() as string | null) ?? '',
  };
}

/**
 * The largest id of a row of `table` that was there when `marks` were read and
 * still is: every row created since has a larger id or a history row naming
 * it. That row was never deleted since (a delete writes a history row), so the
 * largest id stayed at least its id and each new row was given a larger one.
 * Found by walking down from the largest id then, past rows a history row
 * since names and rows an import since created (created_import_id; an import
 * writes no history row for a create): a handful of rows after most edits.
 */
function newRowsFloor(db: Db, table: 'cis' | 'relationships', mark: number, marks: JournalMarks): number {
  const entity = table === 'cis' ? 'ci' : 'relationship';
  return (
    (db
      .prepare(
        `SELECT id FROM ${table}
         WHERE id <= ? AND coalesce(created_import_id, 0) <= ?
           AND id NOT IN (SELECT entity_id FROM history WHERE id > ? AND entity = '${entity}')
         ORDER BY id DESC LIMIT 1`,
      )
      .pluck()
      .get(mark, marks.imports, marks.history) as number | undefined) ?? 0
  );
}

interface HistoryRow {
  entity: 'ci' | 'relationship';
  entity_id: number;
  action: string;
  ci_key: string | null;
  related_key: string | null;
  /** A relationship's type, when its history row names it (creates and deletes by edit or import). */
  rel_type: string | null;
}

/** A relationship's ends and type: [source_id, target_id, type]. */
type RelEnds = [number, number, string];

/**
 * The CIs whose dependencies must be read afresh: the dependent end of every
 * relationship changed or created (`newRels`; both ends when the type is
 * unknown), and a deleted CI's dependents. A relationship still stored is read
 * by id; a deleted one is found by its ends' keys (keys never change).
 */
function touchedDependents(db: Db, index: GraphIndex, newRels: RelEnds[], history: HistoryRow[]): Set<number> {
  const out = new Set<number>();
  const sourceIsDependent = (type: string | null): boolean | null => {
    const t = type === null ? -1 : index.typeIndex(type);
    return t < 0 ? null : index.relTypes[t]!.dependent === 'source';
  };
  const relIds = history.filter((h) => h.entity === 'relationship').map((h) => h.entity_id);
  const changed = db
    .prepare('SELECT source_id, target_id, type FROM relationships WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(ids(relIds)) as RelEnds[];
  for (const [s, t, type] of [...changed, ...newRels]) {
    const bySource = sourceIsDependent(type);
    if (bySource !== false) out.add(s);
    if (bySource !== true) out.add(t);
  }
  const keys = new Set<string>();
  for (const h of history) {
    if (h.entity !== 'relationship' || h.action !== 'delete') continue;
    const bySource = sourceIsDependent(h.rel_type);
    if (bySource !== false && h.ci_key !== null) keys.add(h.ci_key);
    if (bySource !== true && h.related_key !== null) keys.add(h.related_key);
  }
  for (const id of db
    .prepare('SELECT id FROM cis WHERE key IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify([...keys])) as number[])
    out.add(id);
  // A deleted CI: its own list, and every CI that depended on it (a cascade may have removed those relationships).
  const { downRange, downSlots } = index;
  for (const h of history) {
    if (h.entity !== 'ci' || h.action !== 'delete') continue;
    const x = index.nodeOf(h.entity_id);
    if (x < 0) continue;
    out.add(h.entity_id);
    for (let k = downRange[2 * x]!, end = downRange[2 * x + 1]!; k < end; k++) out.add(index.ciIdOf(downSlots[3 * k]!));
  }
  return out;
}

/** Every relationship each of `dependents` depends through, as stored now. */
function dependenciesOf(db: Db, index: GraphIndex, dependents: Set<number>): Map<number, DependencyRow[]> {
  const out = new Map<number, DependencyRow[]>();
  for (const id of dependents) out.set(id, []);
  const rows = db
    .prepare(
      `SELECT r.source_id, r.target_id, r.type, r.redundancy_group, r.min_up FROM relationships r
         JOIN rel_types t ON t.name = r.type AND t.dependent = 'source'
       WHERE r.source_id IN (SELECT value FROM json_each(@ids))
       UNION ALL
       SELECT r.target_id, r.source_id, r.type, r.redundancy_group, r.min_up FROM relationships r
         JOIN rel_types t ON t.name = r.type AND t.dependent = 'target'
       WHERE r.target_id IN (SELECT value FROM json_each(@ids))`,
    )
    .raw()
    .all({ ids: ids(dependents) }) as Array<[number, number, string, string | null, number | null]>;
  // A cluster's members without a group are its implicit group, as the build makes them (graph-index.ts).
  const implicit = index.typeIndex(IMPLICIT_GROUP_TYPE);
  const implicitHard = implicit >= 0 && index.relTypes[implicit]!.code === STRENGTH_HARD;
  for (const [dependent, dependency, type, label, minUp] of rows) {
    const t = index.typeIndex(type);
    const none = label === null || label === '';
    out
      .get(dependent)!
      .push({ dependency, type: t, label: none && implicitHard && t === implicit ? IMPLICIT_GROUP_LABEL : label, minUp: minUp ?? 0 });
  }
  return out;
}

/** What changed since `marks`, as an edit of `index`; null to rebuild instead. Call inside a read transaction. */
export function readEdit(db: Db, index: GraphIndex, marks: JournalMarks, limit = patchLimitFor(index)): JournalEdit | null {
  const now = readMarks(db);
  if (now.relTypes !== marks.relTypes) return null;
  const ciFloor = newRowsFloor(db, 'cis', marks.ci, marks);
  const relFloor = newRowsFloor(db, 'relationships', marks.rel, marks);
  // History rows, new CIs and new relationships, at most `limit` in all: each read asks for one row
  // more than is left, so a change too large to patch is known without reading (or counting) all of it.
  let left = limit;
  const upTo = <T>(rows: T[]): T[] | null => {
    if (rows.length > left) return null;
    left -= rows.length;
    return rows;
  };
  const rowsLeft = () => (Number.isFinite(left) ? left + 1 : -1);
  const history = upTo(
    db
      .prepare(
        `SELECT entity, entity_id, action, ci_key, related_key,
                CASE WHEN entity = 'relationship' AND json_valid(changes) THEN coalesce(changes ->> '$.type.from', changes ->> '$.type.to') END AS rel_type
         FROM history WHERE id > ? ORDER BY id LIMIT ?`,
      )
      .all(marks.history, rowsLeft()) as HistoryRow[],
  );
  if (history === null) return null;
  const newCis = upTo(db.prepare('SELECT id FROM cis WHERE id > ? LIMIT ?').pluck().all(ciFloor, rowsLeft()) as number[]);
  if (newCis === null) return null;
  const newRels = upTo(
    db.prepare('SELECT source_id, target_id, type FROM relationships WHERE id > ? LIMIT ?').raw().all(relFloor, rowsLeft()) as RelEnds[],
  );
  if (newRels === null) return null;
  const ciIds = new Set(history.filter((h) => h.entity === 'ci').map((h) => h.entity_id));
  for (const id of newCis) ciIds.add(id);
  const found = new Map(
    (
      db
        .prepare('SELECT id, type, criticality, owner, environment, status FROM cis WHERE id IN (SELECT value FROM json_each(?))')
        .all(ids(ciIds)) as ChangedCi[]
    ).map((c) => [c.id, c]),
  );
  const cis = [...ciIds].map((id) => found.get(id) ?? { id, type: null, criticality: null, owner: null, environment: null, status: null });
  const dependents = touchedDependents(db, index, newRels, history);
  if (dependents.size > limit) return null;
  return {
    edit: { newCis: [...found.keys()], dependencies: dependenciesOf(db, index, dependents) },
    cis,
    marks: now,
  };
}
