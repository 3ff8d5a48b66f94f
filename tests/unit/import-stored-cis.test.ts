/**
 * StoredCis (import/stages/stored-cis.ts), the CI stage's reader of stored
 * CIs: whatever the order of the keys asked for (the CMDB's own id order,
 * reversed, shuffled, with keys it does not hold and keys asked twice), each
 * answer is the CI as a look-up by key reads it at that moment, including a
 * CI written since the reader's page was read.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import { StoredCis } from '../../electron/cmdb/import/stages/stored-cis.js';

const N = 3000;

function cmdb(): Db {
  const db = new Database(':memory:') as unknown as Db;
  db.exec(`CREATE TABLE cis(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, name TEXT NOT NULL, status TEXT,
    environment TEXT, owner TEXT, criticality TEXT, description TEXT, attributes TEXT NOT NULL DEFAULT '{}', source TEXT, import_id INTEGER)`);
  const ins = db.prepare('INSERT INTO cis(key, type, name, owner, source, import_id) VALUES (?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < N; i++) ins.run(`ci-${i}`, 'server', `Server ${i}`, i % 2 ? 'team-a' : null, 'a.csv', 1);
  return db;
}

const direct = (db: Db) => {
  const st = db.prepare(
    'SELECT id, type, name, status, environment, owner, criticality, description, attributes, import_id, source FROM cis WHERE key = ?',
  );
  return (key: string) => st.get(key) as Record<string, unknown> | undefined;
};

/** A stable shuffle. */
function shuffled<T>(a: T[]): T[] {
  const out = [...a];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('StoredCis', () => {
  const inOrder = Array.from({ length: N }, (_, i) => `ci-${i}`);
  const orders: Record<string, string[]> = {
    'id order': inOrder,
    reversed: [...inOrder].reverse(),
    shuffled: shuffled(inOrder),
    'id order with unknown keys, repeats and a jump back': [
      ...inOrder.slice(0, 1000),
      'new-1',
      ...inOrder.slice(1000, 1500),
      'ci-10',
      'ci-1499',
      ...inOrder.slice(200, 400),
      'new-2',
      ...inOrder.slice(1500),
    ],
  };
  for (const [name, keys] of Object.entries(orders)) {
    it(`answers as a look-up by key does, keys in ${name}`, () => {
      const db = cmdb();
      const stored = new StoredCis(db);
      const get = direct(db);
      for (const k of keys) expect(stored.get(k), k).toEqual(get(k));
    });
  }

  it('answers with a CI as written since: one found out of order and updated, then asked again from a page', () => {
    const db = cmdb();
    const stored = new StoredCis(db);
    const get = direct(db);
    const update = db.prepare('UPDATE cis SET name = ?, import_id = 2 WHERE key = ?');
    for (let i = 0; i < 100; i++) expect(stored.get(`ci-${i}`)).toEqual(get(`ci-${i}`));
    // ci-150 out of order, then changed; the pages go on after it, and a later key reads it as it is now.
    expect(stored.get('ci-150')).toEqual(get('ci-150'));
    update.run('Renamed', 'ci-150');
    for (let i = 100; i < 150; i++) expect(stored.get(`ci-${i}`)).toEqual(get(`ci-${i}`));
    expect(stored.get('ci-150')).toMatchObject({ name: 'Renamed', import_id: 2 });
    // Taken from a page, changed, then asked again: read as it is now.
    expect(stored.get('ci-151')).toEqual(get('ci-151'));
    update.run('Changed', 'ci-151');
    expect(stored.get('ci-151')).toMatchObject({ name: 'Changed', import_id: 2 });
    // A CI created after the last stored one is found too.
    db.prepare("INSERT INTO cis(key, type, name, import_id) VALUES ('late', 'server', 'Late', 2)").run();
    for (let i = 152; i < N; i++) stored.get(`ci-${i}`);
    expect(stored.get('late')).toEqual(get('late'));
  });
});
