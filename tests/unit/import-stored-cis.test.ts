/**
 * StoredCis (import/stages/stored-cis.ts), the CI stage's reader of stored
 * CIs: whatever the order of the keys asked for (the CMDB's own id order,
 * reversed, shuffled, with keys it does not hold and keys asked twice), each
 * answer is the CI as a look-up by key reads it at that moment (its id,
 * import, digest and, when asked for, source; `full` the whole CI), including a CI written since the
 * reader's page was read. A row's digest is the stored one exactly when the
 * fields and attributes are the same.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../electron/cmdb/db.js';
import { rowDigest, sameDigest, StoredCis } from '../../electron/cmdb/import/stages/stored-cis.js';
import type { CiField } from '../../electron/cmdb/import/ci-rows.js';

const N = 3000;

function cmdb(): Db {
  const db = new Database(':memory:') as unknown as Db;
  db.exec(`CREATE TABLE cis(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, name TEXT NOT NULL, status TEXT,
    environment TEXT, owner TEXT, criticality TEXT, description TEXT, attributes TEXT NOT NULL DEFAULT '{}', source TEXT, import_id INTEGER)`);
  const ins = db.prepare('INSERT INTO cis(key, type, name, owner, source, import_id) VALUES (?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < N; i++) ins.run(`ci-${i}`, 'server', `Server ${i}`, i % 2 ? 'team-a' : null, i % 3 ? 'a.csv' : null, 1);
  return db;
}

/** The fields the tests' digests hold. */
const FIELDS: CiField[] = ['type', 'name', 'owner'];

type Whole = {
  id: number;
  type: string;
  name: string;
  owner: string | null;
  attributes: string;
  import_id: number | null;
  source: string | null;
};

/** A look-up by key: the CI whole, and as StoredCis answers (its digest computed from the row's values; its source `withSource`). */
const direct = (db: Db, withSource = false) => {
  const st = db.prepare(
    'SELECT id, type, name, status, environment, owner, criticality, description, attributes, import_id, source FROM cis WHERE key = ?',
  );
  const whole = (key: string) => st.get(key) as Whole | undefined;
  const ref = (key: string) => {
    const w = whole(key);
    return (
      w && {
        id: w.id,
        import_id: w.import_id,
        source: withSource ? w.source : null,
        digest: rowDigest([w.type, w.name, w.owner], w.attributes),
      }
    );
  };
  return { whole, ref };
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
    it.each([false, true])(`answers as a look-up by key does, keys in ${name} (with each CI's source: %s)`, (withSource) => {
      const db = cmdb();
      const stored = new StoredCis(db, FIELDS, withSource);
      const { whole, ref } = direct(db, withSource);
      for (const k of keys) {
        const found = stored.get(k);
        expect(found, k).toEqual(ref(k));
        if (found) expect(stored.full(found.id)).toEqual(whole(k));
      }
    });
  }

  it('reads on through CIs the file no longer lists, and goes back to its pages after a look-up', () => {
    const db = cmdb();
    const { ref } = direct(db);
    // A week's churn: 40 CIs gone, 30 of them with a new CI in their place, the file still in id order. (The look-ahead
    // stays in its page: none of the gaps is a page's last CI, ids 32, 96, 224, 480, 992, 2016 with these page sizes.)
    const churned = inOrder.flatMap((k, i) => (i % 100 === 50 ? [`new-${i}`] : i % 300 === 7 ? [] : [k]));
    const stored = new StoredCis(db, FIELDS);
    for (const k of churned) expect(stored.get(k)).toEqual(ref(k));
    // The new ones are looked up (to know they are new); the rows after a gap come from the page.
    expect(stored.lookups).toBe(N / 100);
    // A file that jumps back: after the look-up the pages are tried again a row or two later, not never.
    const jumps = new StoredCis(db, FIELDS);
    const back = [...inOrder.slice(0, 1000), ...inOrder.slice(500, 600), ...inOrder.slice(1000)];
    for (const k of back) expect(jumps.get(k)).toEqual(ref(k));
    expect(jumps.lookups).toBeLessThanOrEqual(5);
    // In another order the pages are tried less and less often: most rows are looked up.
    const other = new StoredCis(db, FIELDS);
    for (const k of shuffled(inOrder)) other.get(k);
    expect(other.lookups).toBeGreaterThan(N * 0.95);
  });

  it('answers with a CI as written since: one found out of order and updated, then asked again from a page', () => {
    const db = cmdb();
    const stored = new StoredCis(db, FIELDS);
    const { ref: get, whole } = direct(db);
    const update = db.prepare('UPDATE cis SET name = ?, import_id = 2 WHERE key = ?');
    for (let i = 0; i < 100; i++) expect(stored.get(`ci-${i}`)).toEqual(get(`ci-${i}`));
    // ci-150 out of order, then changed; the pages go on after it, and a later key reads it as it is now.
    expect(stored.get('ci-150')).toEqual(get('ci-150'));
    update.run('Renamed', 'ci-150');
    for (let i = 100; i < 150; i++) expect(stored.get(`ci-${i}`)).toEqual(get(`ci-${i}`));
    expect(stored.get('ci-150')).toEqual(get('ci-150'));
    expect(whole('ci-150')).toMatchObject({ name: 'Renamed', import_id: 2 });
    // Taken from a page, changed, then asked again: read as it is now.
    expect(stored.get('ci-151')).toEqual(get('ci-151'));
    update.run('Changed', 'ci-151');
    expect(stored.get('ci-151')).toMatchObject({ import_id: 2, digest: rowDigest(['server', 'Changed', 'team-a'], '{}') });
    // Its source too, when asked for: taken from a page, taken into another source, then asked again.
    const sourced = new StoredCis(db, FIELDS, true);
    expect([sourced.get('ci-0')?.source, sourced.get('ci-1')?.source]).toEqual([null, 'a.csv']);
    db.prepare("UPDATE cis SET source = 'b.csv' WHERE key = 'ci-1'").run();
    expect(sourced.get('ci-1')?.source).toBe('b.csv');
    // A CI created after the last stored one is found too.
    db.prepare("INSERT INTO cis(key, type, name, import_id) VALUES ('late', 'server', 'Late', 2)").run();
    for (let i = 152; i < N; i++) stored.get(`ci-${i}`);
    expect(stored.get('late')).toEqual(get('late'));
  });

  it("a row's digest is the stored one exactly when its fields and attributes are the same", () => {
    const db = cmdb();
    const put = db.prepare('UPDATE cis SET name = ?, owner = ?, attributes = ? WHERE key = ?');
    const digestOf = (key: string) => new StoredCis(db, FIELDS).get(key)!.digest;
    const cases: Array<[stored: [string, string | null, string], row: [string, string | null, string], same: boolean]> = [
      [['Web 1', 'team-a', '{"rack":"A1"}'], ['Web 1', 'team-a', '{"rack":"A1"}'], true],
      [['Web 1', null, '{}'], ['Web 1', null, '{}'], true],
      // An empty owner is not the text "n", nor an empty text.
      [['Web 1', 'n', '{}'], ['Web 1', null, '{}'], false],
      [['Web 1', '', '{}'], ['Web 1', null, '{}'], false],
      [['Web 1', 'team-a', '{"rack":"A1"}'], ['Web 1', 'team-a', '{"rack":"A2"}'], false],
      [['Web 1', 'team-a', '{}'], ['Web 1', 'team-b', '{}'], false],
      // A value holding the separator cannot pass for two fields.
      [['Web\x1fvteam-a', null, '{}'], ['Web', 'team-a', '{}'], false],
      [['Web\x1fteam-a', null, '{}'], ['Web', 'team-a', '{}'], false],
      [['Web\x1fteam-a', 'team-b', '{}'], ['Web', 'team-a', '{}'], false],
      // Which fields are empty is part of it: a value cannot move to the field an empty one leaves.
      [['', 'team-a', '{}'], ['team-a', null, '{}'], false],
      [['Web 1', '', '{}'], ['Web 1', '', '{}'], true],
    ];
    for (const [[name, owner, attrs], [rName, rOwner, rAttrs], same] of cases) {
      put.run(name, owner, attrs, 'ci-1');
      const row = rowDigest(['server', rName, rOwner], rAttrs);
      expect(row === digestOf('ci-1'), JSON.stringify([name, owner, attrs, rName, rOwner, rAttrs])).toBe(same);
      expect(sameDigest(digestOf('ci-1'), ['server', rName, rOwner], rAttrs), JSON.stringify([name, owner, attrs, rName, rOwner])).toBe(
        same,
      );
    }
    // A row value holding the separator has no digest: its CI is read whole.
    expect(rowDigest(['server', 'Web\x1f1', null], '{}')).toBeNull();
  });

  it('sameDigest answers as comparing rowDigest would, for any values (property)', () => {
    const part = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.constantFrom('\x1f', 'a\x1f', '', '1'));
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 5 }),
        fc.array(part, { minLength: 1, maxLength: 5 }),
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        (a, b, ja, jb) => {
          const stored = rowDigest(a, ja);
          if (stored === null) return;
          expect(sameDigest(stored, b, jb)).toBe(rowDigest(b, jb) === stored);
          expect(sameDigest(stored, a, ja)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sameDigest with kept values (undefined: an empty cell under "emptyCells": "keep") matches any stored value there (property)', () => {
    const part = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.constantFrom('\x1f', 'a\x1f', '', '1'));
    // The attributes' JSON never holds the separator (JSON.stringify escapes it).
    const json = fc.string({ maxLength: 6 }).filter((j) => !j.includes('\x1f'));
    fc.assert(
      fc.property(fc.array(fc.tuple(part, part, fc.boolean()), { minLength: 1, maxLength: 5 }), json, json, (cols, ja, jb) => {
        const stored = rowDigest(
          cols.map(([a]) => a),
          ja,
        );
        if (stored === null) return;
        const row = cols.map(([, b, kept]) => (kept ? undefined : b));
        // Kept values filled in with the stored ones: what the update would compare.
        const filled = cols.map(([a, b, kept]) => (kept ? a : b));
        expect(sameDigest(stored, row, jb)).toBe(rowDigest(filled, jb) === stored);
      }),
      { numRuns: 3000 },
    );
  });

  it('sameDigest with a kept value: a stored value holding the separator is never taken for the same (its CI is read whole)', () => {
    const db = cmdb();
    db.prepare("UPDATE cis SET name = 'Web\x1fteam-a', owner = NULL WHERE key = 'ci-1'").run();
    const digest = new StoredCis(db, FIELDS).get('ci-1')!.digest;
    expect(sameDigest(digest, ['server', undefined, null], '{}')).toBe(false);
    expect(sameDigest(digest, ['server', undefined, 'team-a'], '{}')).toBe(false);
    db.prepare("UPDATE cis SET name = 'Web 1', owner = 'team-a' WHERE key = 'ci-1'").run();
    const plain = new StoredCis(db, FIELDS).get('ci-1')!.digest;
    expect(sameDigest(plain, ['server', undefined, undefined], '{}')).toBe(true);
    expect(sameDigest(plain, ['server', undefined, null], '{}')).toBe(false);
    expect(sameDigest(plain, [undefined, 'Web 1', 'team-b'], '{}')).toBe(false);
  });
});
