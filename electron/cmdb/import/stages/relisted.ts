/**
 * CIs a sync retired that its source's file lists again (one week's export missed them, a VM came back):
 * they are not retired any longer. A file without a status column gives each back the status it had before
 * that retirement, read from the retirement's history row (with the status text from the source that the
 * retirement removed, `status_source`); a file with one says the status itself. Only a
 * retirement by a sync of the same source is undone so: a CI retired by hand, by a file's status column or by
 * another source's sync stays retired.
 */
import type { Statement } from 'better-sqlite3';
import { SOURCE_ATTRIBUTE } from '../../../../shared/import-vocab.js';
import type { Db } from '../../db.js';

interface StatusChange {
  changes: string;
  mode: string | null;
  source: string | null;
}

/** What a CI listed again gets back: its status before the sync retired it, and that status's text from the source. */
export interface Revived {
  status: string | null;
  /** `status_source` as it was (null: it had none). */
  text: string | null;
}

export class RelistedCis {
  /** The CIs retired when the import began (cis_status holds them: no row is read). */
  private readonly retired: Set<number>;
  /** A CI's history rows, newest first, with the mode and source of the import that wrote each. */
  private readonly history: Statement;
  private count = 0;
  private first = '';

  constructor(
    db: Db,
    private readonly source: string,
  ) {
    this.retired = new Set(db.prepare("SELECT id FROM cis WHERE status = 'retired'").pluck().all() as number[]);
    this.history = db.prepare(
      `SELECT h.changes, i.mode, i.source FROM history h LEFT JOIN imports i ON i.id = h.import_id
       WHERE h.entity = 'ci' AND h.entity_id = ? AND h.changes IS NOT NULL ORDER BY h.id DESC`,
    );
  }

  /**
   * The status CI `id` had before a sync of this source retired it, when that retirement is its last change of
   * status, with the status text the retirement removed (`status_source`, retire.ts); undefined when it is not
   * retired, or was retired otherwise.
   */
  statusBefore(id: number): Revived | undefined {
    if (!this.retired.has(id)) return undefined;
    for (const row of this.history.iterate(id) as IterableIterator<StatusChange>) {
      const changes = JSON.parse(row.changes) as {
        status?: { from: string | null; to: string | null };
        attributes?: { from: Record<string, string> | null };
      };
      const status = changes.status;
      if (status === undefined) continue;
      const bySync = row.mode === 'sync' && row.source === this.source && status.to === 'retired';
      return bySync ? { status: status.from, text: changes.attributes?.from?.[SOURCE_ATTRIBUTE.status] ?? null } : undefined;
    }
    return undefined;
  }

  /** Notes a CI given back its status (`label` names it in the report). */
  note(label: string, status: string | null): void {
    if (this.count++ === 0) this.first = `${label}: ${status ?? 'no status'}`;
  }

  warnings(dryRun: boolean): string[] {
    if (this.count === 0) return [];
    const has = dryRun ? 'would have' : this.count === 1 ? 'has' : 'have';
    return [
      this.count === 1
        ? `1 CI a sync of this source had retired is listed again, and ${has} the status it had before (${this.first}).`
        : `${this.count} CIs a sync of this source had retired are listed again, and ${has} the status each had before (first: ${this.first}).`,
    ];
  }
}
