/**
 * Rows written many to an `INSERT ... ON CONFLICT DO NOTHING` statement,
 * with the verdict of each row kept: a bulk load hands its rows over one by
 * one, they are written `width` at a time, and each comes back either
 * written (with its id) or a duplicate of an earlier row. A full batch that
 * writes every row gives them consecutive ids; a short count means some
 * rows repeated an earlier one, and those are then found row by row (the
 * first row with a given identity stands). A partial batch (the end of the
 * file, or a flush before an error is reported) is written a row at a time.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';

export interface BatchedInsertOptions<T> {
  db: Db;
  /** The INSERT for n rows, with the same parameters per row. */
  sql: (rows: number) => string;
  width: number;
  /** The table, for the ids already used before a batch. */
  table: string;
  /** A written row's id, looked up by what makes it unique. */
  idOf: (item: T) => number;
  /** What makes a row unique, as one string. */
  identity: (item: T) => string;
  written?: (item: T, id: number) => void;
  duplicate: (item: T) => void;
}

export class BatchedInsert<T> {
  private items: T[] = [];
  /** The parameters of the rows not yet written: push a row's here, then add() the row (no array per row). */
  readonly params: unknown[] = [];
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly maxId: Statement;

  constructor(private readonly o: BatchedInsertOptions<T>) {
    this.many = o.db.prepare(o.sql(o.width));
    this.one = o.db.prepare(o.sql(1));
    this.maxId = o.db.prepare(`SELECT coalesce(max(id), 0) FROM ${o.table}`).pluck();
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length === this.o.width) this.flush();
  }

  /** Writes what is pending, reporting each row as written or duplicate, in order. */
  flush(): void {
    const items = this.items;
    if (items.length === 0) return;
    const args = this.params.splice(0);
    this.items = [];
    const { written, duplicate } = this.o;
    if (items.length < this.o.width) {
      const per = args.length / items.length;
      items.forEach((item, k) => {
        const r = this.one.run(args.slice(k * per, (k + 1) * per));
        if (r.changes === 0) duplicate(item);
        else written?.(item, Number(r.lastInsertRowid));
      });
      return;
    }
    const maxBefore = this.maxId.get() as number;
    if (this.many.run(args).changes === items.length) {
      if (written) items.forEach((item, k) => written(item, maxBefore + 1 + k));
      return;
    }
    const seen = new Set<string>();
    for (const item of items) {
      const identity = this.o.identity(item);
      const id = this.o.idOf(item);
      if (seen.has(identity) || id <= maxBefore) duplicate(item);
      else written?.(item, id);
      seen.add(identity);
    }
  }
}
