/**
 * The history a merge and its undo write, shaped like the store's own
 * entries (store.ts) so a CI's history shows them and the impact index's
 * journal (impact/index-journal.ts) patches the graph from them: a moved
 * relationship is a new row, recorded as created (and, on undo, recorded as
 * deleted, naming both its ends, before the old row comes back).
 */
import type { Changes, History } from '../history.js';
import { type CiRow, nowIso, type RelRow } from '../rows.js';
import { CI_FIELDS, ciRecord, REL_FIELDS, relRecord } from '../store.js';
import { diff } from '../history.js';
import type { WholeRow } from './merge-rows.js';

/** Keys of CIs by id, for naming relationship ends (ends that are gone keep the key they had). */
export type KeyOf = (ciId: number) => string;

/** A relationship's row as the store's history records take it. */
function relRow(row: WholeRow, keyOf: KeyOf): RelRow {
  return { ...(row as unknown as RelRow), source_key: keyOf(row.source_id as number), target_key: keyOf(row.target_id as number) };
}

/** `S type T`, as the store's relationship entries read. */
export function relText(row: WholeRow, keyOf: KeyOf): string {
  return `${keyOf(row.source_id as number)} ${row.type as string} ${keyOf(row.target_id as number)}`;
}

export class MergeHistory {
  readonly at = nowIso();

  constructor(
    private readonly history: History,
    private readonly source: string,
  ) {}

  /** A relationship created (moved here, or restored) or deleted (moved away, or dropped). */
  relationship(action: 'create' | 'delete', row: WholeRow, keyOf: KeyOf, summary: string): void {
    const rec = relRecord(relRow(row, keyOf));
    this.history.record({
      at: this.at,
      entity: 'relationship',
      entityId: row.id,
      ciKey: keyOf(row.source_id as number),
      relatedKey: keyOf(row.target_id as number),
      action,
      summary,
      changes: action === 'create' ? diff({}, rec, REL_FIELDS) : diff(rec, {}, REL_FIELDS),
      source: this.source,
      importId: null,
    });
  }

  /** An entry on one CI, naming the other so both CIs' histories show it. */
  ci(action: 'create' | 'update' | 'delete', row: WholeRow, other: string, summary: string, changes: Changes | null): void {
    this.history.record({
      at: this.at,
      entity: 'ci',
      entityId: row.id,
      ciKey: row.key as string,
      relatedKey: other,
      action,
      summary,
      changes: changes && Object.keys(changes).length > 0 ? changes : null,
      source: this.source,
      importId: null,
    });
  }
}

/** The CI fields that differ between two whole rows, as history records them. */
export function ciChanges(before: WholeRow | null, after: WholeRow | null): Changes {
  const rec = (r: WholeRow | null) => (r ? ciRecord(r as unknown as CiRow) : {});
  return diff(rec(before), rec(after), CI_FIELDS);
}
