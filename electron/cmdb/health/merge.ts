/**
 * Merging duplicate CIs (issue 18): the kept CI takes the merged one's
 * relationships and fills its own empty fields (or an owner or criticality
 * that says nothing: "n/a") and missing attributes from it (never
 * overwriting a value), then the merged CI is deleted; one transaction,
 * recorded in history on both keys and in `merges` whole enough to undo
 * exactly (merge-undo.ts).
 */
import { CmdbError } from '../../../shared/errors.js';
import { commandLine } from '../../../shared/next-command.js';
import { groupConflict } from '../rel-group.js';
import type { MergeRecord } from '../../../shared/health.js';
import { mergeOutcome } from '../../../shared/merge-text.js';
import { parseAttributes, setAttribute } from '../rows.js';
import { empty, saysNothing } from './merge-fill.js';
import type { Store } from '../store.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import { ciChanges, type KeyOf, MergeHistory, relText } from './merge-history.js';
import { type WholeRow, WholeRows } from './merge-rows.js';
import { renamedCounts, renameSavedRefs, type RenamedRefs } from './merge-refs.js';
import { undoMergeRow } from './merge-undo.js';

/** The CI fields a merge fills on the kept CI when it has none. */
export const FILL_FIELDS = ['status', 'environment', 'owner', 'criticality', 'description'] as const;

/** A relationship moved: the row as it was, and the id of the row between the new ends. */
export interface MovedRel {
  before: WholeRow;
  afterId: number;
}

/** A relationship dropped: it would have duplicated one of the kept CI's, or joined the kept CI to itself. */
export interface DroppedRel {
  row: WholeRow;
  reason: 'duplicate' | 'self';
  /** A duplicate whose redundancy (group, min_up) differed from the kept CI's relationship: the kept one's, which stays. */
  kept?: { redundancy_group: string | null; min_up: number | null };
  /**
   * A duplicate whose drop left its redundancy group a member fewer: the group as the merge left it (its CI's key,
   * members, min_up), kept so the merge list says what the merge did, not what the group is today. Absent in
   * merges saved before it was kept (their groups are read as they are now).
   */
  group?: { ci: string; members: number; minUp: number };
}

/** A relationship's redundancy in words: `hard` when it is in no group, else its group and min_up. */
function redundancyText(r: Record<string, unknown>): string {
  if (r.redundancy_group === null && r.min_up === null) return 'in no redundancy group';
  const group = r.redundancy_group === null ? 'a redundancy group' : `redundancy group "${String(r.redundancy_group)}"`;
  return r.min_up === null ? `in ${group}` : `in ${group} with min_up ${String(r.min_up)}`;
}

/** A row of `merges`. */
export interface MergeRow {
  id: number;
  at: string;
  kept_id: number;
  kept_key: string;
  merged_id: number;
  merged_key: string;
  merged_name: string;
  merged_row: string;
  kept_before: string;
  kept_after: string;
  moved: string;
  dropped: string;
  filled: string;
  source: string;
  undone_at: string | null;
  /** JSON RenamedRefs: the saved changes and views renamed from the merged key to the kept one (merge-refs.ts). */
  renamed: string;
}

/** The kept CI's row with what it lacks taken from the merged one, and the names of what it took. */
export function filledRow(kept: WholeRow, merged: WholeRow, at: string): { after: WholeRow; filled: string[] } {
  const after: WholeRow = { ...kept, updated_at: at };
  const filled: string[] = [];
  for (const f of FILL_FIELDS) {
    // A retired duplicate's status says the duplicate is gone, not the CI kept: never retire it through a merge.
    if (f === 'status' && merged[f] === 'retired') continue;
    if (saysNothing(f, kept[f]) && !saysNothing(f, merged[f])) {
      after[f] = merged[f];
      filled.push(f);
    }
  }
  const attrs = parseAttributes(kept.attributes as string);
  const theirs = parseAttributes(merged.attributes as string);
  let took = false;
  for (const [k, v] of Object.entries(theirs)) {
    // Own values only: an attribute named like an Object member ("constructor") is the kept CI's only if it has one.
    if (empty(Object.hasOwn(attrs, k) ? attrs[k] : undefined) && !empty(v)) {
      setAttribute(attrs, k, v);
      filled.push(`attributes.${k}`);
      took = true;
    }
  }
  if (took) after.attributes = JSON.stringify(attrs);
  return { after, filled };
}

export class MergeService {
  private readonly rows: WholeRows;

  constructor(
    private readonly store: Store,
    /** Recorded in history as who merged: 'ui', 'cli', 'web'. */
    private readonly source: string,
  ) {
    this.rows = new WholeRows(store.db);
  }

  /** Merges `merge` into `keep` (see the file's comment); refuses the same CI twice, unknown keys and CIs of different types. */
  mergeCis(req: { keep: string; merge: string }): MergeRecord {
    if (req.keep === req.merge) {
      throw new CmdbError('INVALID_REQUEST', `Choose two different CIs: "${req.keep}" cannot be merged into itself.`, { key: req.keep });
    }
    const db = this.store.db;
    const id = db
      .transaction(() => {
        const kept = this.requireWhole(req.keep);
        const merged = this.requireWhole(req.merge);
        if (kept.type !== merged.type) {
          throw new CmdbError(
            'CONFLICT',
            `"${merged.key}" is of type ${merged.type as string} and "${kept.key}" of type ${kept.type as string}: only CIs of the same type are merged. ` +
              "If they are the same thing, change one's type first (edit the CI), then merge.",
            { keep: kept.key, merge: merged.key },
          );
        }
        const log = new MergeHistory(this.store.history, this.source);
        const keyOf = this.keys();
        const { moved, dropped } = this.moveRelationships(kept, merged, log, keyOf);
        const { after, filled } = filledRow(kept, merged, log.at);
        this.rows.overwrite('cis', after);
        const changes = ciChanges(kept, after);
        const renamed = renameSavedRefs(db, merged.key as string, kept.key as string);
        const differingRels = differingOf(dropped, keyOf);
        const outcome = mergeOutcome({
          moved: moved.length,
          dropped: dropped.length,
          differing: differingRels.length,
          differingRels,
          shrunkGroups: noteShrunkGroups(db, dropped, merged.id, keyOf),
          mergedKey: merged.key as string,
          filled,
          renamed: renamedCounts(renamed),
        });
        log.ci('update', after, merged.key as string, `Merged ${merged.key} (${merged.name}) into this CI: ${outcome}`, changes);
        log.ci(
          'delete',
          merged,
          kept.key as string,
          `Merged into ${kept.key} (${kept.name}) and deleted; undo the merge to bring it back`,
          ciChanges(merged, null),
        );
        this.rows.delete('cis', merged.id);
        return this.saveRecord(log.at, { kept, merged, moved, dropped, filled, renamed });
      })
      .immediate();
    return this.record(id);
  }

  /** The merge's row in `merges`: every row it changed as it was, enough to undo it exactly. Returns its id. */
  private saveRecord(
    at: string,
    m: { kept: WholeRow; merged: WholeRow; moved: MovedRel[]; dropped: DroppedRel[]; filled: string[]; renamed: RenamedRefs },
  ): number {
    const info = this.store.db
      .prepare(
        `INSERT INTO merges(at, kept_id, kept_key, merged_id, merged_key, merged_name, merged_row, kept_before, kept_after,
           moved, dropped, filled, source, renamed)
         VALUES (@at, @kept_id, @kept_key, @merged_id, @merged_key, @merged_name, @merged_row, @kept_before, @kept_after,
           @moved, @dropped, @filled, @source, @renamed)`,
      )
      .run({
        at,
        kept_id: m.kept.id,
        kept_key: m.kept.key,
        merged_id: m.merged.id,
        merged_key: m.merged.key,
        merged_name: m.merged.name,
        merged_row: JSON.stringify(m.merged),
        kept_before: JSON.stringify(m.kept),
        kept_after: JSON.stringify(this.rows.get('cis', m.kept.id)),
        moved: JSON.stringify(m.moved),
        dropped: JSON.stringify(m.dropped),
        filled: JSON.stringify(m.filled),
        source: this.source,
        renamed: JSON.stringify(m.renamed),
      });
    return Number(info.lastInsertRowid);
  }

  /**
   * Each relationship of `merged` moves to `kept` (a new row between the new
   * ends, recorded as created; the old row goes with the merged CI); one that would join `kept`
   * to itself or duplicate one it has (same ends and type) is dropped.
   */
  private moveRelationships(
    kept: WholeRow,
    merged: WholeRow,
    log: MergeHistory,
    keyOf: KeyOf,
  ): { moved: MovedRel[]; dropped: DroppedRel[] } {
    const moved: MovedRel[] = [];
    const dropped: DroppedRel[] = [];
    const same = this.store.db.prepare(
      'SELECT redundancy_group, min_up FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
    );
    const end = (id: unknown) => (id === merged.id ? kept.id : (id as number));
    for (const r of this.rows.relationshipsOf(merged.id)) {
      const s = end(r.source_id);
      const t = end(r.target_id);
      const text = relText(r, keyOf);
      const twin = s === t ? undefined : (same.get(s, t, r.type) as { redundancy_group: string | null; min_up: number | null } | undefined);
      const reason = s === t ? 'self' : twin !== undefined ? 'duplicate' : null;
      this.rows.delete('relationships', r.id);
      if (reason !== null) {
        // The kept CI's relationship stays as it is; one that differs in redundancy changes what an outage takes down: say so.
        const differs = twin && (twin.redundancy_group !== r.redundancy_group || twin.min_up !== r.min_up) ? twin : undefined;
        const why =
          reason === 'self'
            ? `it would join ${kept.key} to itself`
            : differs
              ? `${kept.key} has the same relationship, ${redundancyText(differs)}, where this one was ${redundancyText(r)}: ${kept.key}'s is kept; check which is right`
              : `${kept.key} has the same relationship`;
        log.relationship('delete', r, keyOf, `${text}: dropped by merging ${merged.key} into ${kept.key} (${why})`);
        dropped.push(differs ? { row: r, reason, kept: differs } : { row: r, reason });
        continue;
      }
      const row = { ...r, source_id: s, target_id: t, updated_at: log.at, created_import_id: null };
      this.checkMovedGroup(row, kept, merged, text);
      const afterId = this.rows.insert('relationships', row, false);
      const after: WholeRow = { ...row, id: afterId };
      // One entry, on the row as it is now: the old row's end that changed was the merged CI, whose own
      // delete entry tells the impact index everything that depended on it.
      log.relationship('create', after, keyOf, `${relText(after, keyOf)}: moved from ${merged.key} by a merge (was ${text})`);
      moved.push({ before: r, afterId });
    }
    return { moved, dropped };
  }

  /**
   * A moved relationship in a redundancy group must fit the group it joins (rel-group.ts: one type, one
   * min_up), as an import's and an edit's must: two groups of one label, one from each CI, would otherwise
   * become one group at odds with itself (and the CMDB's exact export would no longer import). Refuses the merge.
   */
  private checkMovedGroup(row: WholeRow, kept: WholeRow, merged: WholeRow, text: string): void {
    if (row.redundancy_group === null) return;
    const db = this.store.db;
    const dependent = db.prepare('SELECT dependent FROM rel_types WHERE name = ?').pluck().get(row.type) as string | undefined;
    const dependentIsSource = dependent !== 'target';
    const depId = (dependentIsSource ? row.source_id : row.target_id) as number;
    const dependentKey = db.prepare('SELECT key FROM cis WHERE id = ?').pluck().get(depId) as string;
    const conflict = groupConflict(db, {
      group: row.redundancy_group as string,
      minUp: row.min_up as number | null,
      type: row.type as string,
      dependentIsSource,
      sourceId: row.source_id as number,
      targetId: row.target_id as number,
      dependentKey,
    });
    if (conflict) {
      throw new CmdbError(
        'CONFLICT',
        `Merging ${merged.key} into ${kept.key} would move ${text} into a group it does not fit: ${conflict.text} Rename one of the two groups first (edit the relationship on its CI's page, or import it again with another redundancy_group), then merge.`,
        { keep: kept.key, merge: merged.key },
      );
    }
  }

  /** Undoes merge `id` exactly (merge-undo.ts), refusing when the CMDB has moved on in a way that prevents it. */
  undoMerge(req: { id: number }): MergeRecord {
    this.store.db
      .transaction(() => {
        const m = this.store.db.prepare('SELECT * FROM merges WHERE id = ?').get(req.id) as MergeRow | undefined;
        if (!m) {
          const next = { command: 'merges', args: [] };
          throw new CmdbError(
            'NOT_FOUND',
            `No merge #${req.id}. See the merges on the Health screen's Recent merges, or list them with: ${commandLine(next)}`,
            { id: req.id, next },
          );
        }
        undoMergeRow(this.store.db, this.rows, new MergeHistory(this.store.history, this.source), m, this.keys());
      })
      .immediate();
    return this.record(req.id);
  }

  /** Merges, the newest first, from the `offset`th. */
  listMerges(req: { limit: number; offset?: number }): { items: MergeRecord[] } {
    const rows = this.store.db
      .prepare('SELECT * FROM merges ORDER BY id DESC LIMIT ? OFFSET ?')
      .all(req.limit, req.offset ?? 0) as MergeRow[];
    const keyOf = this.keys();
    // One reader of group sizes for the page, not two statements prepared per merge listed.
    const shrunk = shrunkReader(this.store.db);
    return { items: rows.map((m) => toRecord(m, keyOf, shrunk)) };
  }

  private record(id: number): MergeRecord {
    return toRecord(
      this.store.db.prepare('SELECT * FROM merges WHERE id = ?').get(id) as MergeRow,
      this.keys(),
      shrunkReader(this.store.db),
    );
  }

  private requireWhole(key: string): WholeRow {
    this.store.requireCi(key);
    return this.rows.ciByKey(key)!;
  }

  /** A CI's key by id, remembered (ends of relationships are named before their CI is deleted). */
  private keys(): KeyOf {
    const known = new Map<number, string>();
    const read = this.store.db.prepare('SELECT key FROM cis WHERE id = ?').pluck();
    // A CI deleted since: the key its last history entry names.
    const gone = this.store.db.prepare("SELECT ci_key FROM history WHERE entity = 'ci' AND entity_id = ? ORDER BY id DESC LIMIT 1").pluck();
    return (id) => {
      let key = known.get(id);
      if (key === undefined) {
        key = (read.get(id) as string | undefined) ?? (gone.get(id) as string | null | undefined) ?? `#${id}`;
        known.set(id, key);
      }
      return key;
    };
  }
}

/** A dropped duplicate that was a member of a redundancy group (the merged CI its member end): the group's CI and label. */
function groupLost(d: DroppedRel, mergedId: unknown, dependentEnd: Statement) {
  if (d.reason !== 'duplicate' || d.kept !== undefined || d.row.redundancy_group === null) return null;
  const bySource = (dependentEnd.get(d.row.type) ?? 'source') === 'source';
  const [dependent, member] = bySource ? [d.row.source_id, d.row.target_id] : [d.row.target_id, d.row.source_id];
  if (member !== mergedId) return null;
  return { bySource, dependent: dependent as number, label: d.row.redundancy_group as string, type: d.row.type as string };
}

/**
 * Notes on each dropped duplicate whose group lost a member (the merged CI was its member, the dependency end by
 * its type's rel_types.dependent, not the group's CI) the group as the merge leaves it, and returns those groups.
 * Called inside the merge, after the relationships moved.
 */
function noteShrunkGroups(db: Db, dropped: DroppedRel[], mergedId: unknown, keyOf: KeyOf): MergeRecord['shrunkGroups'] {
  const read = groupReader(db);
  return dropped.flatMap((d) => {
    const g = read(d, mergedId);
    if (g === null) return [];
    d.group = { ci: keyOf(g.dependent), members: g.members, minUp: g.minUp };
    return [{ ci: d.group.ci, label: g.label, members: g.members, minUp: g.minUp }];
  });
}

/** A dropped duplicate's group as it is now: its members (relationships of its CI under its label, of this type) and the min_up it needs. */
function groupReader(db: Db) {
  const dependentEnd = db.prepare('SELECT dependent FROM rel_types WHERE name = ?').pluck();
  // One statement per end, so each reads the index on its end (a CASE over both ends scanned the whole index).
  const count = (end: string) =>
    db.prepare(
      `SELECT count(*) AS members, coalesce(max(min_up), 1) AS minUp FROM relationships
       WHERE ${end} = @dependent AND type = @type AND redundancy_group = @label`,
    );
  const bySource = count('source_id');
  const byTarget = count('target_id');
  return (d: DroppedRel, mergedId: unknown) => {
    const lost = groupLost(d, mergedId, dependentEnd);
    if (lost === null) return null;
    const { bySource: src, ...params } = lost;
    const g = (src ? bySource : byTarget).get(params) as { members: number; minUp: number };
    return { ...lost, ...g };
  };
}

/**
 * The groups a merge left a member fewer, as the merge left them (DroppedRel.group); for a merge saved before
 * that was kept, as they are now, leaving out a group with no member left (its CI deleted, or the group since).
 */
function shrunkReader(db: Db) {
  let read: ReturnType<typeof groupReader> | null = null;
  return (dropped: readonly DroppedRel[], mergedId: unknown, keyOf: KeyOf): MergeRecord['shrunkGroups'] =>
    dropped.flatMap((d) => {
      if (d.group) return [{ ci: d.group.ci, label: d.row.redundancy_group as string, members: d.group.members, minUp: d.group.minUp }];
      const g = (read ??= groupReader(db))(d, mergedId);
      return g === null || g.members === 0 ? [] : [{ ci: keyOf(g.dependent), label: g.label, members: g.members, minUp: g.minUp }];
    });
}

/** The dropped relationships whose redundancy differed from the kept CI's, by their ends' keys as they were. */
function differingOf(dropped: readonly DroppedRel[], keyOf: KeyOf): MergeRecord['differingRels'] {
  return dropped
    .filter((d) => d.kept !== undefined)
    .map((d) => ({ source: keyOf(d.row.source_id as number), type: d.row.type as string, target: keyOf(d.row.target_id as number) }));
}

/** A row of `merges` as the API answers it; `keyOf` names the ends of its dropped relationships (the merged CI by its key then). */
export function toRecord(m: MergeRow, keyOf: KeyOf, shrunk: ReturnType<typeof shrunkReader>): MergeRecord {
  const dropped = JSON.parse(m.dropped) as DroppedRel[];
  const differingRels = differingOf(dropped, (id) => (id === m.merged_id ? m.merged_key : keyOf(id)));
  return {
    id: m.id,
    at: m.at,
    keptKey: m.kept_key,
    mergedKey: m.merged_key,
    mergedName: m.merged_name,
    moved: (JSON.parse(m.moved) as unknown[]).length,
    dropped: dropped.length,
    differing: differingRels.length,
    differingRels,
    // An undone merge put the member back: its groups are whole again.
    shrunkGroups: m.undone_at !== null ? [] : shrunk(dropped, m.merged_id, (id) => (id === m.merged_id ? m.merged_key : keyOf(id))),
    filled: JSON.parse(m.filled) as string[],
    renamed: renamedCounts(m.renamed),
    undoneAt: m.undone_at,
  };
}
