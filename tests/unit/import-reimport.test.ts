/**
 * The weekly re-import (issue 19): the same export again costs a comparison
 * per row, not a write. An unchanged row updates nothing (no UPDATE, no
 * history row, no search-index change, updated_at kept); a changed row
 * writes exactly its change; sync still retires what the file no longer
 * lists; undo of a re-import restores exactly; duplicate rows get the same
 * messages as before, whether the stored relationship was read back or
 * found in the in-memory table (stages/stored-rels.ts), and the in-memory
 * set of rows seen (stages/seen.ts) behaves as the temporary table did.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { SeenRows } from '../../electron/cmdb/import/stages/seen.js';
import { mergeAttributes } from '../../electron/cmdb/import/stages/merge.js';
import { StoredRels } from '../../electron/cmdb/import/stages/stored-rels.js';
import type { Changes } from '../../electron/cmdb/history.js';
import { freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
/** Keys as long as real ones, so the files are big enough for the CMDB to read its relationships and keys once (as a real re-import does). */
const SUFFIX = '.eu-west.example.internal';
/** Text with each key (k1, k2...) as the estate writes it. */
const x = (t: string) => t.replace(/\bk\d+\b/g, (k) => `${k}${SUFFIX}`);

/** A small estate: N CIs with attributes and vocabularies, relationships between them (some grouped, some with attributes). */
function estate(n: number, change: (i: number) => boolean = () => false) {
  const cis = ['id,name,type,status,owner,criticality,rack,vendor'];
  for (let i = 0; i < n; i++) {
    const owner = change(i) ? `team-${i % 5}-moved` : `team-${i % 5}`;
    cis.push(
      `k${i}${SUFFIX},CI ${i},${i % 3 === 0 ? 'application' : 'server'},Operational,${owner},2 - somewhat critical,R${i % 7},${i % 2 ? 'Dell' : ''}`,
    );
  }
  const rels = ['source,target,type,redundancy_group,min_up,port'];
  for (let i = 3; i < n; i += 3) {
    rels.push(`k${i}${SUFFIX},k${i - 1}${SUFFIX},runs_on,,,`);
    rels.push(`k${i}${SUFFIX},k${i - 2}${SUFFIX},runs_on,,,${i % 2 ? '443' : ''}`);
    rels.push(`k${i - 1}${SUFFIX},k${i - 3}${SUFFIX},connects_to,pair-${i},1,`);
  }
  return { cis: file('inv.csv', `${cis.join('\n')}\n`), relationships: file('rels.csv', `${rels.join('\n')}\n`) };
}

/** Every UPDATE of a CI or relationship, counted by triggers of the test's own (the import's connection may not be this one). */
function countWrites(db: Db): () => { ciUpdates: number; relUpdates: number; history: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS writes(what TEXT);
    CREATE TRIGGER IF NOT EXISTS w_ci AFTER UPDATE ON cis BEGIN INSERT INTO writes VALUES ('ci'); END;
    CREATE TRIGGER IF NOT EXISTS w_rel AFTER UPDATE ON relationships BEGIN INSERT INTO writes VALUES ('rel'); END;
    DELETE FROM writes;`);
  const history0 = db.prepare('SELECT count(*) FROM history').pluck().get() as number;
  return () => ({
    ciUpdates: db.prepare("SELECT count(*) FROM writes WHERE what = 'ci'").pluck().get() as number,
    relUpdates: db.prepare("SELECT count(*) FROM writes WHERE what = 'rel'").pluck().get() as number,
    history: (db.prepare('SELECT count(*) FROM history').pluck().get() as number) - history0,
  });
}

const stamps = (db: Db) => ({
  cis: db.prepare('SELECT key, updated_at, import_id FROM cis ORDER BY key').raw().all(),
  rels: db.prepare('SELECT id, updated_at, import_id FROM relationships ORDER BY id').raw().all(),
  fts: db.prepare('SELECT count(*), sum(rowid) FROM ci_fts').raw().get(),
});

/** The user-visible data, for undo. */
const data = (db: Db) =>
  JSON.stringify({
    cis: db
      .prepare('SELECT key, type, name, status, environment, owner, criticality, description, attributes, import_id FROM cis ORDER BY key')
      .all(),
    rels: db.prepare('SELECT source_id, target_id, type, redundancy_group, min_up, attributes FROM relationships ORDER BY id').all(),
    fts: db.prepare("SELECT rowid FROM ci_fts WHERE ci_fts MATCH 'moved' ORDER BY rowid").all(),
  });

describe('re-importing the same export', () => {
  it('an unchanged sync writes nothing: no UPDATE, no history, updated_at and the search index as they were', async () => {
    const svc = freshService();
    const first = await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    expect(first.counts.relationshipsCreated).toBe(297);
    const before = stamps(svc.db);
    const writes = countWrites(svc.db);
    const read = vi.spyOn(StoredRels, 'read');
    const again = await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    // This re-import read the stored relationships once (the path a real re-import takes), not row by row.
    expect(read).toHaveBeenCalledTimes(1);
    read.mockRestore();
    expect(again.counts).toMatchObject({ unchanged: 300, updated: 0, retired: 0, relationshipsUnchanged: 297, relationshipsUpdated: 0 });
    expect(writes()).toEqual({ ciUpdates: 0, relUpdates: 0, history: 0 });
    expect(stamps(svc.db)).toEqual(before);
  });

  it('1% changed writes exactly those CIs, each with its history row; the rest keep their updated_at', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    const before = stamps(svc.db).cis as Array<[string, string, number]>;
    const writes = countWrites(svc.db);
    const changed = (i: number) => i % 100 === 42;
    const r = await ok(svc, 'importCsv', { ...estate(300, changed), mode: 'sync' });
    expect(r.counts).toMatchObject({ updated: 3, unchanged: 297, relationshipsUnchanged: 297 });
    expect(writes()).toEqual({ ciUpdates: 3, relUpdates: 0, history: 3 });
    const hist = svc.db
      .prepare('SELECT ci_key, changes FROM history WHERE import_id = ? ORDER BY ci_key')
      .raw()
      .all(r.importId) as string[][];
    expect(hist).toEqual([
      [x('k142'), JSON.stringify({ owner: { from: 'team-2', to: 'team-2-moved' } })],
      [x('k242'), JSON.stringify({ owner: { from: 'team-2', to: 'team-2-moved' } })],
      [x('k42'), JSON.stringify({ owner: { from: 'team-2', to: 'team-2-moved' } })],
    ]);
    const after = stamps(svc.db).cis as Array<[string, string, number]>;
    const moved = after.filter((row, i) => row[2] !== before[i]![2]).map((row) => row[0]);
    expect(moved).toEqual([x('k142'), x('k242'), x('k42')]);
  });

  it('sync still retires what the file no longer lists, and relationship changes beside unchanged ones are written', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    const e = estate(300);
    const cis = e.cis.content.split('\n').filter((l) => !l.startsWith(x('k7,')) && !l.startsWith(x('k8,')));
    // One grouped relationship's min_up changes, one plain one gains an attribute.
    const rels = e.relationships.content
      .replace(x('k5,k3,connects_to,pair-6,1,'), x('k5,k3,connects_to,pair-6,2,'))
      .replace(x('k9,k8,runs_on,,,\n'), x('k9,k8,runs_on,,,8080\n'));
    const writes = countWrites(svc.db);
    const r = await ok(svc, 'importCsv', {
      cis: file('inv.csv', cis.join('\n')),
      relationships: file('rels.csv', rels),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ retired: 2, relationshipsUpdated: 2, relationshipsUnchanged: 295 });
    expect(svc.db.prepare("SELECT key FROM cis WHERE status = 'retired' ORDER BY key").pluck().all()).toEqual([x('k7'), x('k8')]);
    expect(writes()).toMatchObject({ ciUpdates: 2, relUpdates: 2, history: 4 });
    const port = svc.db
      .prepare(
        'SELECT r.attributes FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id WHERE s.key = ? AND t.key = ?',
      )
      .pluck()
      .get(x('k9'), x('k8'));
    expect(port).toBe('{"port":"8080"}');
  });

  it('the search index follows the changed CIs (batched at the end of the CI stage) and its update trigger is back', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    const trigger = () => svc.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'cis_fts_update'").pluck().get();
    const before = trigger();
    await ok(svc, 'importCsv', { ...estate(300, (i) => i % 100 === 42), mode: 'sync' });
    const found = (q: string) =>
      svc.db.prepare('SELECT c.key FROM ci_fts JOIN cis c ON c.id = ci_fts.rowid WHERE ci_fts MATCH ? ORDER BY c.key').pluck().all(q);
    expect(found('"team-2-moved"')).toEqual([x('k142'), x('k242'), x('k42')]);
    // k42's old owner is no longer indexed for it (its owner's words once each, not the old ones beside the new);
    // the unchanged team-2 CIs still are.
    svc.db.exec("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, ci_fts, 'instance')");
    const ownerWords = (key: string) =>
      svc.db
        .prepare("SELECT w.term FROM temp.words w JOIN cis c ON c.id = w.doc WHERE c.key = ? AND w.col = 'owner' ORDER BY w.offset")
        .pluck()
        .all(key);
    expect(ownerWords(x('k42'))).toEqual(['team', '2', 'moved']);
    expect(ownerWords(x('k2'))).toEqual(['team', '2']);
    expect(found('"team-2"')).toContain(x('k2'));
    expect(() => svc.db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('integrity-check')")).not.toThrow();
    expect(trigger()).toBe(before);
  });

  it('undo of a re-import restores exactly what was there', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(300), mode: 'sync' });
    const before = data(svc.db);
    const r = await ok(svc, 'importCsv', { ...estate(300, (i) => i % 50 === 1), mode: 'sync' });
    expect(r.counts.updated).toBe(6);
    expect(data(svc.db)).not.toBe(before);
    await ok(svc, 'undoImport', { id: r.importId! });
    expect(data(svc.db)).toBe(before);
  });

  it('a repeated row is a duplicate with the same messages, whether the relationship was unchanged or updated by the earlier row', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(30) });
    const e = estate(30);
    const r = await ok(svc, 'importCsv', {
      cis: e.cis,
      // Line 5 (k6 runs_on k5) now has a port: updated, and the repeat on line 30 is told that line all the same.
      relationships: file(
        'rels.csv',
        `${e.relationships.content.replace(x('k6,k5,runs_on,,,'), x('k6,k5,runs_on,,,99'))}${x('k3,k2,runs_on,,,\nk6,k5,runs_on,,,\n')}`,
      ),
      skipBadRows: true,
    });
    expect(r.errors.map((x) => [x.line, x.message])).toEqual([
      [
        29,
        x(
          'duplicate relationship CI 3 (k3) runs_on CI 2 (k2): line 2 of this file lists the same source, target and type. The earlier row is imported; delete this one from the file.',
        ),
      ],
      [
        30,
        x(
          'duplicate relationship CI 6 (k6) runs_on CI 5 (k5): line 5 of this file lists the same source, target and type. The earlier row is imported; delete this one from the file.',
        ),
      ],
    ]);
    expect(r.counts).toMatchObject({ relationshipsUpdated: 1, relationshipsRejected: 2 });
  });
});

describe('the pieces', () => {
  it('SeenRows: first mark returns 0, a second the first line; grows past its start and takes huge ids', () => {
    const s = new SeenRows();
    expect(s.mark(5, 2)).toBe(0);
    expect(s.mark(5, 9)).toBe(2);
    expect(s.mark(100_000, 3)).toBe(0);
    expect(s.mark(100_000, 4)).toBe(3);
    expect(s.mark(2 ** 40, 7)).toBe(0);
    expect(s.mark(2 ** 40, 8)).toBe(7);
    expect([s.has(5), s.has(6), s.has(100_000), s.has(2 ** 40), s.has(2 ** 40 + 1)]).toEqual([true, false, true, true, false]);
  });

  it('mergeAttributes: the same attributes change nothing; a cleared or different one still does', () => {
    const c: Changes = {};
    expect(mergeAttributes('{"a":"1","b":"2"}', { a: '1', b: '2' }, [], c)).toBe('{"a":"1","b":"2"}');
    expect(c).toEqual({});
    const cleared: Changes = {};
    expect(mergeAttributes('{"a":"1","b":"2"}', { a: '1' }, ['b'], cleared)).toBe('{"a":"1"}');
    expect(cleared.attributes).toEqual({ from: { a: '1', b: '2' }, to: { a: '1' } });
    const kept: Changes = {};
    // A row without the column keeps the stored attribute: not the same JSON, but no change.
    expect(mergeAttributes('{"a":"1","b":"2"}', { a: '1' }, [], kept)).toBe('{"a":"1","b":"2"}');
    expect(kept).toEqual({});
  });

  it('StoredRels: finds plain relationships by endpoints and type; not grouped ones or other types', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(30) });
    const db = svc.db;
    const id = (s: string) => db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(x(s)) as number;
    const relId = (s: string, t: string, type: string) =>
      db.prepare('SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?').pluck().get(id(s), id(t), type);
    const stored = StoredRels.read(db)!;
    expect(stored.plainId(id('k6'), id('k5'), 'runs_on')).toBe(relId('k6', 'k5', 'runs_on'));
    expect(stored.plainId(id('k9'), id('k7'), 'runs_on')).toBeNull(); // has an attribute (port)
    expect(stored.plainId(id('k5'), id('k3'), 'connects_to')).toBeNull(); // grouped
    expect(stored.plainId(id('k6'), id('k5'), 'depends_on')).toBeNull();
    expect(stored.plainId(id('k5'), id('k6'), 'runs_on')).toBeNull();
    expect(stored.plainId(id('k6'), id('k5'), 'no_such_type')).toBeNull();
    let plain = 0;
    for (const [s, t, type] of db.prepare('SELECT source_id, target_id, type FROM relationships').raw().all() as Array<
      [number, number, string]
    >)
      if (stored.plainId(s, t, type) !== null) plain++;
    expect(plain).toBe(db.prepare("SELECT count(*) FROM relationships WHERE redundancy_group IS NULL AND attributes = '{}'").pluck().get());
  });

  it('StoredRels: answers the same in id order, out of order, repeated and for relationships not stored', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { ...estate(60) });
    const db = svc.db;
    const all = db.prepare('SELECT id, source_id, target_id, type FROM relationships ORDER BY id').raw().all() as Array<
      [number, number, number, string]
    >;
    const oracle = db.prepare(
      "SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ? AND redundancy_group IS NULL AND min_up IS NULL AND attributes = '{}'",
    );
    const expected = (s: number, t: number, type: string) => (oracle.pluck().get(s, t, type) as number | undefined) ?? null;
    // In id order (the next one each time), then a jump back, a row not stored, the rest in order,
    // the same row twice, the endpoints swapped, and a reversed pass.
    const queries: Array<[number, number, string]> = [
      ...all.slice(0, 20).map(([, s, t, type]) => [s, t, type] as [number, number, string]),
      [all[3]![1], all[3]![2], all[3]![3]],
      [all[4]![1], all[4]![2], 'depends_on'],
      [all[0]![1], all[0]![2] + 100_000, all[0]![3]],
      ...all.slice(4).map(([, s, t, type]) => [s, t, type] as [number, number, string]),
      [all[7]![1], all[7]![2], all[7]![3]],
      [all[7]![1], all[7]![2], all[7]![3]],
      [all[7]![2], all[7]![1], all[7]![3]],
      ...all
        .slice()
        .reverse()
        .map(([, s, t, type]) => [s, t, type] as [number, number, string]),
    ];
    const stored = StoredRels.read(db)!;
    const got = queries.map(([s, t, type]) => stored.plainId(s, t, type));
    expect(got).toEqual(queries.map(([s, t, type]) => expected(s, t, type)));
    expect(got.filter((g) => g !== null).length).toBeGreaterThan(all.length);
  });
});
