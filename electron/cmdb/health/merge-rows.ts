/**
 * Whole rows of `cis` and `relationships`, every column, as a merge keeps
 * them to undo it exactly: read, written back with their ids, or written as
 * new rows. Column names come from the table itself, so a column a later
 * migration adds is kept too.
 */
import { CmdbError } from '../../../shared/errors.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';

/** A row as stored: column name to value. */
export type WholeRow = Record<string, unknown> & { id: number };

type Table = 'cis' | 'relationships';

export class WholeRows {
  private readonly columns = new Map<Table, string[]>();
  /** Statements by their SQL: a merge of a hub runs each once per relationship. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private columnsOf(table: Table): string[] {
    let cols = this.columns.get(table);
    if (!cols) {
      cols = (this.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter(Boolean);
      this.columns.set(table, cols);
    }
    return cols;
  }

  get(table: Table, id: number): WholeRow | undefined {
    return this.stmt(`SELECT * FROM ${table} WHERE id = ?`).get(id) as WholeRow | undefined;
  }

  ciByKey(key: string): WholeRow | undefined {
    return this.stmt('SELECT * FROM cis WHERE key = ?').get(key) as WholeRow | undefined;
  }

  /** Every relationship with `ciId` at either end, by id. */
  relationshipsOf(ciId: number): WholeRow[] {
    return this.stmt(
      'SELECT * FROM relationships WHERE source_id = ? UNION SELECT * FROM relationships WHERE target_id = ? ORDER BY id',
    ).all(ciId, ciId) as WholeRow[];
  }

  /** Inserts `row` with its own id when `keepId` and that id is free, else with a new one; returns the id it got. */
  insert(table: Table, row: Record<string, unknown>, keepId: boolean): number {
    const cols = this.columnsOf(table).filter((c) => c !== 'id' || (keepId && this.get(table, row.id as number) === undefined));
    for (const c of Object.keys(row)) {
      if (!this.columnsOf(table).includes(c)) {
        throw new CmdbError('CONFLICT', `The ${table} table has no column "${c}" any more: this merge was recorded by another version.`);
      }
    }
    const info = this.stmt(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(
      Object.fromEntries(cols.map((c) => [c, row[c] ?? null])),
    );
    return Number(info.lastInsertRowid);
  }

  /** Writes every column of `row` (but its id) over the row with its id. */
  overwrite(table: Table, row: WholeRow): void {
    const cols = this.columnsOf(table).filter((c) => c !== 'id');
    this.stmt(`UPDATE ${table} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(
      Object.fromEntries([...cols, 'id'].map((c) => [c, row[c] ?? null])),
    );
  }

  delete(table: Table, id: number): void {
    this.stmt(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }
}

/** Two rows hold the same values in every column. */
export function sameRow(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
}
