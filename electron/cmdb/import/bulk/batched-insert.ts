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
 *
 * The many-row statement is `INSERT OR IGNORE`, not `ON CONFLICT DO NOTHING`:
 * a statement that writes many rows and may abort half-way (a NOT NULL or
 * CHECK constraint with the default ABORT) makes SQLite copy every page it
 * changes that existed before it into a statement journal, a temporary
 * file, so that it can undo the statement alone. Inserted in file order, a
 * batch of relationships touches a different page of the unique index per
 * row: 98,125 CIs and 326,719 relationships wrote 1.3 GB of statement journal
 * (312,000 page copies) and it cost the import thread more than the inserts
 * themselves. With OR IGNORE nothing can abort, so there is no statement
 * journal. The rows are checked before they get here (ci-rows.ts,
 * rel-rows.ts), so only the unique constraint can turn one away; a row
 * missing after the statement without a duplicate to explain it is written
 * again alone, with the usual constraints, so that its error is raised as before.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db.js';

export interface BatchedInsertOptions<T> {
  db: Db;
  /** What follows `INSERT INTO`: the table and its columns, `cis(key, type, ...)`. */
  into: string;
  /** One row's values, `(?, ?, @now)`: the same anonymous parameters per row (and any of `shared`'s, by name). */
  row: string;
  /** The unique constraint that makes a row a duplicate of an earlier one, `key` or `source_id, target_id, type`. */
  unique: string;
  /** How many anonymous parameters each row has. */
  perRow: number;
  width: number;
  /** Named parameters every row uses (`@now` in the SQL is `now` here). */
  shared?: Record<string, unknown>;
  /** The table, for the ids already used before a batch. */
  table: string;
  /** A written row's id, looked up by what makes it unique (undefined: no such row). `row` is the row's parameters. */
  idOf: (item: T, row: unknown[]) => number | undefined;
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
    this.many = o.db.prepare(`INSERT OR IGNORE INTO ${o.into} VALUES ${Array.from({ length: o.width }, () => o.row).join(', ')}`);
    this.one = o.db.prepare(`INSERT INTO ${o.into} VALUES ${o.row} ON CONFLICT(${o.unique}) DO NOTHING`);
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
      if (id === undefined) {
        // Not written, and no row it repeats: written alone, its constraint error (if any) is raised.
        const r = this.run(this.one, row);
        if (r.changes === 0) duplicate(item, row);
        else written?.(item, Number(r.lastInsertRowid));
      } else if (seen.has(identity) || id <= maxBefore) duplicate(item, row);
      else written?.(item, id);
      seen.add(identity);
    });
  }
}
