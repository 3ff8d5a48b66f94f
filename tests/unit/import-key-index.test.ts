/**
 * The relationship planner's key table (key-index.ts) answers as a Map
 * would: every key added finds its id, a key never added finds nothing,
 * whatever the keys (any characters, prefixes of each other, colliding
 * buckets, empty), across the table's growth.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyIndex } from '../../electron/cmdb/import/bulk/key-index.js';
import { Packer } from '../../electron/cmdb/import/bulk/packed.js';
import { openDatabase } from '../../electron/cmdb/db.js';

/** Adds the keys in messages of `per`, as the import thread sends them, with ids 1, 2, ... */
function indexOf(keys: string[], per: number): { index: KeyIndex; expected: Map<string, number> } {
  const index = new KeyIndex();
  const expected = new Map<string, number>();
  for (let from = 0; from < keys.length; from += per) {
    const part = keys.slice(from, from + per);
    const p = new Packer();
    part.forEach((k) => p.push(k));
    index.addPacked(
      p.take(),
      Int32Array.from(part, (_, i) => from + i + 1),
    );
    part.forEach((k, i) => {
      if (!expected.has(k)) expected.set(k, from + i + 1);
    });
  }
  return { index, expected };
}

describe('KeyIndex', () => {
  it('finds 100,000 keys across growth, and not what was never added', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `ci-${i.toString().padStart(6, '0')}`);
    const { index } = indexOf(keys, 4096);
    expect(index.size).toBe(100_000);
    keys.forEach((k, i) => expect(index.get(k)).toBe(i + 1));
    expect(index.get('ci-100000')).toBeUndefined();
    expect(index.get('ci-00000')).toBeUndefined(); // a prefix of a key
    expect(index.get('ci-0000000')).toBeUndefined(); // a key as a prefix
    expect(index.get('')).toBeUndefined();
  });

  it('keeps the first id of a key added twice', () => {
    const { index } = indexOf(['a', 'b', 'a', 'b', 'c'], 2);
    expect([index.get('a'), index.get('b'), index.get('c'), index.size]).toEqual([1, 2, 5, 3]);
  });

  it('answers as a Map for any keys (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 300 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 50 }),
        fc.integer({ min: 1, max: 64 }),
        (keys, probes, per) => {
          const { index, expected } = indexOf(keys, per);
          expect(index.size).toBe(expected.size);
          for (const k of [...keys, ...probes]) expect(index.get(k)).toBe(expected.get(k));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads every stored CI, whatever its key holds, from ids far apart (addCis)', () => {
    const db = openDatabase(':memory:');
    try {
      const add = db.prepare("INSERT INTO cis(id, key, type, name, created_at, updated_at) VALUES (?, ?, 'server', ?, 'now', 'now')");
      const expected = new Map<string, number>();
      const put = (id: number, key: string) => {
        add.run(id, key, key);
        expected.set(key, id);
      };
      db.transaction(() => {
        for (let i = 1; i <= 70_000; i++) put(i, `srv-${i}`);
      })();
      // Keys holding the separators SQLite's chunks use (the unit separator, and the record separator that
      // sends its chunk row by row), an emoji, and ids far apart.
      put(70_001, 'a\x1fb');
      put(70_002, 'c\x1ed');
      put(70_003, 'e\x1e');
      put(70_004, '\x1e');
      put(70_005, 'ünï😀');
      put(1_000_000, 'far');
      put(2_000_000_000, 'further');
      const index = new KeyIndex();
      index.addCis(db);
      expect(index.size).toBe(expected.size);
      for (const [key, id] of expected) expect(index.get(key)).toBe(id);
      for (const probe of ['a', 'b', 'c', 'd', 'srv-0', 'srv-70001', 'fa']) expect(index.get(probe)).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('finds a key that differs only in ASCII case (caseTwin), and keys added after it was first asked', () => {
    const { index } = indexOf(['SRV-3', 'db-01', 'Ünï', 'x'], 2);
    expect(index.caseTwin('srv-3')).toBe('SRV-3');
    expect(index.caseTwin('Srv-3')).toBe('SRV-3');
    expect(index.caseTwin('DB-01')).toBe('db-01');
    expect(index.caseTwin('SRV-3')).toBeUndefined(); // the key itself is no twin
    expect(index.caseTwin('srv-4')).toBeUndefined();
    expect(index.caseTwin('ünï')).toBeUndefined(); // as SQLite's NOCASE: ASCII only
    expect(index.caseTwin('')).toBeUndefined();
    const p = new Packer();
    p.push('Late-Key');
    index.addPacked(p.take(), Int32Array.of(9));
    expect(index.caseTwin('late-key')).toBe('Late-Key');
  });

  it('answers caseTwin as a search of every key would (property)', () => {
    const lower = (k: string) => k.replace(/[A-Z]/g, (c) => c.toLowerCase());
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-cA-C-]{0,4}$/), { maxLength: 200 }),
        fc.array(fc.stringMatching(/^[a-cA-C-]{0,4}$/), { maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (keys, probes, per) => {
          const { index } = indexOf(keys, per);
          for (const k of [...keys, ...probes]) {
            const twin = index.caseTwin(k);
            const any = keys.filter((o) => o !== k && lower(o) === lower(k));
            if (any.length === 0) expect(twin).toBeUndefined();
            else expect(any).toContain(twin);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows its case table with the keys added between questions', () => {
    const { index } = indexOf(['Host-0'], 1);
    expect(index.caseTwin('host-0')).toBe('Host-0');
    for (let from = 1; from < 5000; from += 700) {
      const p = new Packer();
      const ids: number[] = [];
      for (let i = from; i < Math.min(from + 700, 5000); i++) {
        p.push(`Host-${i}`);
        ids.push(i + 1);
      }
      index.addPacked(p.take(), Int32Array.from(ids));
      expect(index.caseTwin(`host-${from}`)).toBe(`Host-${from}`);
    }
    for (const i of [0, 1023, 1024, 4999]) expect(index.caseTwin(`host-${i}`)).toBe(`Host-${i}`);
    expect(index.caseTwin('host-5000')).toBeUndefined();
  });
});
