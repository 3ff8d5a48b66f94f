/**
 * SortedRels (import/bulk/sorted-rels.ts): a bulk load's relationships
 * written in the order of their unique index, chunk by chunk, with the
 * verdicts of file order: the earliest line of repeated rows stands, the
 * others are duplicates, reported in line order at each flush, whether
 * they repeat a row of the same chunk or one written before.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { BatchedInsert } from '../../electron/cmdb/import/bulk/batched-insert.js';
import { SortedRels } from '../../electron/cmdb/import/bulk/sorted-rels.js';

function setup(maxHeld: number) {
  const db = new Database(':memory:') as unknown as Db;
  db.exec(`CREATE TABLE r(id INTEGER PRIMARY KEY, s INTEGER NOT NULL, t INTEGER NOT NULL, type TEXT NOT NULL, g TEXT, m INTEGER,
    a TEXT NOT NULL, UNIQUE (s, t, type)) STRICT`);
  const idOf = db.prepare('SELECT id FROM r WHERE s = ? AND t = ? AND type = ?').pluck();
  const reported: Array<[number, number, string, number]> = [];
  const holder: { held?: SortedRels } = {};
  const batch = new BatchedInsert<number>({
    db,
    into: 'r(s, t, type, g, m, a)',
    row: "(?, ?, ?, ?, ?, coalesce(?, '{}'))",
    unique: 's, t, type',
    perRow: 6,
    width: 4,
    table: 'r',
    idOf: (_l, row) => idOf.get(row[0], row[1], row[2]) as number | undefined,
    identity: (_l, row) => row.slice(0, 3).join(' '),
    duplicate: (line, row) => holder.held!.duplicate(line, row),
  });
  const held = (holder.held = new SortedRels(batch, (line, s, type, t) => reported.push([line, s, type, t]), maxHeld));
  return { db, held, reported };
}

describe('SortedRels', () => {
  it('writes in source, target, type order, keeps the first line of repeated rows and reports the others in line order', () => {
    const { db, held, reported } = setup(1000);
    const rows: Array<[number, number, string]> = [
      [9, 1, 'b'],
      [2, 7, 'a'],
      [9, 1, 'a'],
      [2, 3, 'a'],
      [9, 1, 'b'], // duplicate of line 1
      [5, 5, 'a'],
      [2, 7, 'a'], // duplicate of line 2
      [9, 1, 'b'], // duplicate of line 1
    ];
    rows.forEach(([s, t, type], i) =>
      held.add(i + 1, s, t, type, i === 1 ? 'grp' : null, i === 1 ? 2 : null, i === 3 ? '{"x":"1"}' : null),
    );
    held.flush();
    expect(db.prepare('SELECT s, t, type, g, m, a FROM r ORDER BY id').raw().all()).toEqual([
      [2, 3, 'a', null, null, '{"x":"1"}'],
      [2, 7, 'a', 'grp', 2, '{}'],
      [5, 5, 'a', null, null, '{}'],
      [9, 1, 'a', null, null, '{}'],
      [9, 1, 'b', null, null, '{}'],
    ]);
    expect(reported).toEqual([
      [5, 9, 'b', 1],
      [7, 2, 'a', 7],
      [8, 9, 'b', 1],
    ]);
  });

  it('finds repeats of rows written by an earlier chunk, a source with many rows included', () => {
    const { db, held, reported } = setup(7);
    let line = 0;
    for (let t = 40; t > 0; t--) held.add(++line, 1, t, 'a', null, null, null); // one source, 40 targets, backwards
    held.add(++line, 1, 40, 'a', null, null, null); // repeats line 1, written in an earlier chunk
    held.add(++line, 3, 1, 'a', null, null, null);
    held.add(line + 1, 1, 2, 'a', null, null, null); // repeats line 39
    held.flush();
    expect(db.prepare('SELECT count(*) FROM r').pluck().get()).toBe(41);
    expect(reported).toEqual([
      [41, 1, 'a', 40],
      [43, 1, 'a', 2],
    ]);
    // Within each chunk, in index order.
    const ids = db.prepare('SELECT s, t FROM r ORDER BY id').raw().all() as Array<[number, number]>;
    expect(ids.slice(0, 7).map(([, t]) => t)).toEqual([34, 35, 36, 37, 38, 39, 40]);
  });
});
