/** What `cmdb` says about an error a person can act on: a damaged CMDB in the words `cmdb health` uses, whichever command meets it. */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, tempDir } from './helpers.js';

// One demo CMDB, imported by the CLI, copied by each test that damages it.
let demo: string;
beforeAll(() => {
  ensureCliBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-known-errors-'));
  demo = join(dir, 'demo.db');
  expect(cmdb(['import', '--db', demo, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
  return () => rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the demo CMDB with one page of `table` overwritten with 0xff, as a damaged disk would: its root
 * page, or (`middle`) the middle one of its leaf pages, which a read of the whole table meets part-way.
 */
function damagedCopy(table: string, which: 'root' | 'middle'): string {
  const db = join(tempDir(), 'damaged.db');
  copyFileSync(demo, db);
  const raw = new Database(db, { readonly: true });
  const size = raw.pragma('page_size', { simple: true }) as number;
  const leaves = raw.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").pluck().all(table) as number[];
  const page =
    which === 'root'
      ? (raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number)
      : leaves[Math.floor(leaves.length / 2)]!;
  raw.close();
  const fd = openSync(db, 'r+');
  writeSync(fd, Buffer.alloc(size, 0xff), 0, size, (page - 1) * size);
  closeSync(fd);
  return db;
}

/** What `cmdb health` says of a damaged CMDB, the words every command must use. */
const damagedWords = (db: string) =>
  `cmdb: ${db} is damaged or not a CMDB database (database disk image is malformed). Restore it from a backup; it was left untouched.\n`;

describe('a damaged CMDB', () => {
  it('every command that meets it says what health says (exit 1), and leaves it untouched: import as well (found by a tester)', () => {
    // The tester's file: the page of the relationship types (bytes 12288-16383 of the demo CMDB) overwritten.
    const db = damagedCopy('rel_types', 'root');
    const before = readFileSync(db);
    const health = cmdb(['health', '--db', db]);
    expect(health.stderr).toBe(damagedWords(db));
    expect(health.code).toBe(1);
    for (const args of [
      ['import', '--db', db, '--cis', DEMO_CIS, '--progress', 'none'],
      ['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--json'],
      ['import', '--db', db, '--cis', DEMO_CIS, '--dry-run', '--progress', 'none'],
      ['impact', '--db', db, 'bs-payments'],
      ['graph', '--db', db, 'bs-payments', '--format', 'json'],
    ]) {
      const r = cmdb(args);
      expect(r.stderr, args.join(' ')).toBe(damagedWords(db));
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(readdirSync(join(db, '..'))).toEqual(['damaged.db']);
  });

  // A read fails where SQLite meets the damage: a search whose page lies elsewhere answers (only health reads all).
  it('search and export that meet a damaged page part-way through the CIs fail in the same words, printing no answer', () => {
    const db = damagedCopy('cis', 'middle');
    const before = readFileSync(db);
    const out = join(tempDir(), 'export');
    for (const args of [
      ['search', '--db', db, '', '--limit', '1000'],
      ['search', '--db', db, '', '--limit', '1000', '--json'],
      ['export', '--db', db, '--out', out],
      ['export', '--db', db, '--cis', join(out, 'only-cis.csv'), '--json'],
    ]) {
      const r = cmdb(args);
      expect(r.stderr, args.join(' ')).toBe(damagedWords(db));
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
