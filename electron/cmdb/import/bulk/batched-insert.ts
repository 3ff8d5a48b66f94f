/**
 * Rows written many to an `INSERT ... ON CONFLICT DO NOTHING` statement,
 * with the verdict of each row kept: a bulk load hands its rows over one by
 * one, they are written `width` at a time, and each comes back either
 * written (with its id) or a duplicate of an earlier row. A full batch that
 * writes every row gives them consecutive ids; a short count means some
 * rows repeated an earlier one, and those are then found row by row (the
 * first row with a given identity stands). A partial batch (the end of the
 * file, or a flush before an error is reported) is written a row at a time.
 *
 * What every row shares (the import's time and id, its source) goes in as
 * named parameters, bound once per statement rather than once per row: in a
 * load of millions of rows, binding the same strings again per row is a
 * large part of the import thread's time.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db.js';

export interface BatchedInsertOptions<T> {
  db: Db;
  /** The INSERT for n rows, with the same anonymous parameters per row (and any of `shared`'s, by name). */
  sql: (rows: number) => string;
  /** How many anonymous parameters each row has. */
  perRow: number;
  width: number;
  /** Named parameters every row uses (`@now` in the SQL is `now` here). */
  shared?: Record<string, unknown>;
  /** The table, for the ids already used before a batch. */
  table: string;
  /** A written row's id, looked up by what makes it unique. `row` is the row's parameters. */
  idOf: (item: T, row: unknown[]) => number;
  /** What makes a row unique, as one string. */
  identity: (item: T, row: unknown[]) => string;
  written?: (item: T, id: number) => void;
  duplicate: (item: T, row: unknown[]) => void;
}

export class BatchedInsert<T> {
  private items: T[] = [];
  /** The parameters of the rows not yet written: push a row's here (`perRow` of them), then add() the row. */
  readonly params: unknown[] = [];
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly maxId: Statement;
  private readonly shared: Record<string, unknown> | undefined;

  constructor(private readonly o: BatchedInsertOptions<T>) {
    this.many = o.db.prepare(o.sql(o.width));
    this.one = o.db.prepare(o.sql(1));
    this.maxId = o.db.prepare(`SELECT coalesce(max(id), 0) FROM ${o.table}`).pluck();
    this.shared = o.shared;
  }

  private run(st: Statement, args: unknown[]) {
    return this.shared ? st.run(args, this.shared) : st.run(args);
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length === this.o.width) this.flush();
  }

  /** Writes what is pending, reporting each row as written or duplicate, in order. */
  flush(): void {
    const items = this.items;
    if (items.length === 0) return;
    const per = this.o.perRow;
    const args = this.params.splice(0);
    if (args.length !== items.length * per) throw new Error(`batched insert: ${args.length} parameters for ${items.length} rows of ${per}`);
    this.items = [];
    const { written, duplicate } = this.o;
    const rowOf = (k: number) => args.slice(k * per, (k + 1) * per);
    if (items.length < this.o.width) {
      items.forEach((item, k) => {
        const row = rowOf(k);
        const r = this.run(this.one, row);
        if (r.changes === 0) duplicate(item, row);
        else written?.(item, Number(r.lastInsertRowid));
      });
      return;
    }
    const maxBefore = this.maxId.get() as number;
    if (this.run(this.many, args).changes === items.length) {
      if (written) items.forEach((item, k) => written(item, maxBefore + 1 + k));
      return;
    }
    const seen = new Set<string>();
    items.forEach((item, k) => {
      const row = rowOf(k);
      const identity = this.o.identity(item, row);
      const id = this.o.idOf(item, row);
      if (seen.has(identity) || id <= maxBefore) duplicate(item, row);
      else written?.(item, id);
      seen.add(identity);
    });
  }
}
