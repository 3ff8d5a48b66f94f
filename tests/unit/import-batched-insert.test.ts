/**
 * BatchedInsert (import/bulk/batched-insert.ts): rows written many to a
 * statement keep their verdicts (written with their id, or a duplicate of an
 * earlier row), the many-row statement has nothing that can abort half-way
 * (so SQLite keeps no statement journal for it: the copies of every page a
 * batch touched once cost a bulk load more than its inserts), and a row that
 * a constraint other than the unique one refuses still raises its error
 * instead of passing for a duplicate.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { BatchedInsert } from '../../electron/cmdb/import/bulk/batched-insert.js';

function table(): Db {
  const db = new Database(':memory:') as unknown as Db;
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, n INTEGER CHECK (n IS NULL OR n >= 1), at TEXT NOT NULL) STRICT');
  return db;
}

function batched(db: Db, width: number) {
  const written: Array<[string, number]> = [];
  const duplicates: string[] = [];
  const sql: string[] = [];
  const prepare = db.prepare.bind(db);
  const spy = Object.assign(Object.create(db) as Db, {
    prepare: (s: string) => {
      sql.push(s);
      return prepare(s);
    },
  });
  const byKey = db.prepare('SELECT id FROM t WHERE k = ?').pluck();
  const ins = new BatchedInsert<string>({
    db: spy,
    into: 't(k, n, at)',
    row: '(?, ?, @at)',
    unique: 'k',
    perRow: 2,
    width,
    shared: { at: 'now' },
    table: 't',
    idOf: (k) => byKey.get(k) as number | undefined,
    identity: (k) => k,
    written: (k, id) => written.push([k, id]),
    duplicate: (k) => duplicates.push(k),
  });
  const add = (k: string, n: number | null = null) => {
    ins.params.push(k, n);
    ins.add(k);
  };
  return { ins, add, written, duplicates, sql };
}

describe('BatchedInsert', () => {
  it('writes full batches with consecutive ids and reports repeated keys, within a batch and across batches, as duplicates', () => {
    const db = table();
    const b = batched(db, 4);
    for (const k of ['a', 'b', 'c', 'd']) b.add(k);
    for (const k of ['e', 'b', 'f', 'e']) b.add(k);
    b.add('g');
    b.add('a');
    b.ins.flush();
    expect(b.written).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
      ['f', 6],
      ['g', 7],
    ]);
    expect(b.duplicates).toEqual(['b', 'e', 'a']);
    expect(db.prepare('SELECT k FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('has nothing in its many-row statement that can abort half-way (no statement journal)', () => {
    const db = table();
    const b = batched(db, 3);
    const many = b.sql.find((s) => s.split('(?, ?, @at)').length - 1 === 3)!;
    const one = b.sql.find((s) => s.split('(?, ?, @at)').length - 1 === 1)!;
    const aborts = (s: string) => {
      const explain = db.prepare(`EXPLAIN ${s}`);
      const anonymous = s.split('?').length - 1;
      const ops = explain.all({ at: 'x' }, ...Array.from({ length: anonymous }, () => null)) as Array<{ opcode: string; p2: number }>;
      return ops.filter((o) => (o.opcode === 'Halt' || o.opcode === 'HaltIfNull') && o.p2 === 2).length; // 2: OE_Abort
    };
    expect(aborts(many)).toBe(0);
    expect(aborts(one)).toBeGreaterThan(0); // the row written alone keeps every constraint
  });

  it('raises the error of a row another constraint refuses, in a full batch, instead of calling it a duplicate', () => {
    const db = table();
    db.exec('BEGIN');
    const b = batched(db, 3);
    b.add('a');
    b.add('b', 0); // CHECK (n >= 1)
    expect(() => b.add('c')).toThrow(/CHECK constraint failed/);
    expect(b.duplicates).toEqual([]);
  });
});
