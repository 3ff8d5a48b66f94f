/**
 * What `cmdb` says about an error a person can act on (common.ts fail, known-errors.ts): a damaged CMDB in
 * the words `cmdb health` uses, whichever command meets it; a port `cmdb serve` cannot take, and a malformed
 * CMDB_WEB_TOKEN, as usage errors; "This is unexpected" only for what is left. Found by a tester: each of
 * these was reported as a bug in the program.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fail } from '../../electron/cli/common.js';
import { knownError } from '../../electron/cli/known-errors.js';
import { CmdbError } from '../../shared/errors.js';
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

describe('cmdb serve', () => {
  it('a port in use is a usage error (exit 2) that says so and what to do, not a bug (found by a tester)', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = (taken.address() as { port: number }).port;
    try {
      for (const json of [[], ['--json']]) {
        const r = cmdb(['serve', '--db', demo, '--port', String(port), ...json]);
        expect(r.stderr).toBe(
          `cmdb: Port ${port} on 127.0.0.1 is in use by another program (or another \`cmdb serve\`). Choose another --port, or leave --port out for a free one.\n`,
        );
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
      }
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });

  it('a malformed CMDB_WEB_TOKEN is a usage error (exit 2), refused before a new CMDB file is created (found by a tester)', () => {
    const db = join(tempDir(), 'new.db');
    for (const token of ['short', `${'a'.repeat(40)} b`]) {
      const r = cmdb(['serve', '--db', db], { env: { CMDB_WEB_TOKEN: token } });
      expect(r.stderr).toBe(
        'cmdb: CMDB_WEB_TOKEN must be 32 to 256 letters, digits, "-" or "_". Set one that is, or unset it for a fresh random token.\n',
      );
      expect(r.code).toBe(2);
      expect(existsSync(db)).toBe(false);
    }
  });
});

describe('knownError: the one rule', () => {
  it('says a port this user may not take (EACCES on listen) as a usage error with what to do', () => {
    const err = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 80,
    });
    expect(knownError(err, 'x.db')).toMatchObject({
      code: 'INVALID_REQUEST',
      message:
        'Port 80 on 127.0.0.1 may not be used by this user (ports below 1024 usually need administrator rights). Choose another --port, or leave --port out for a free one.',
    });
  });

  it("says SQLite's damaged or not-a-database error about the command's CMDB as the service does, whatever path it escaped by", () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB']) {
      const err = Object.assign(new Error('database disk image is malformed'), { code });
      expect(knownError(err, 'c.db')).toMatchObject({
        code: 'DB_CORRUPT',
        message: expect.stringMatching(/^c\.db is damaged or not a CMDB/),
      });
    }
  });

  it('leaves a CmdbError, and an error of no known kind, as they are', () => {
    const refused = new CmdbError('NOT_FOUND', 'No CI has the key "x".');
    expect(knownError(refused, 'c.db')).toBe(refused);
    const odd = Object.assign(new Error('listen EBADF'), { code: 'EBADF', syscall: 'listen', port: 1 });
    expect(knownError(odd, 'c.db')).toBe(odd);
  });
});

describe('fail', () => {
  afterEach(() => vi.restoreAllMocks());

  /** What fail writes on stderr, and the exit code it asks for. */
  function failed(err: unknown): { stderr: string; code: number | undefined } {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
    let code: number | undefined;
    vi.spyOn(process, 'exit').mockImplementation((c) => {
      code = c as number;
      throw new Error('exit');
    });
    expect(() => fail(err)).toThrow('exit');
    return { stderr, code };
  }

  it('ends an unforeseen error that has no stop of its own with one before "This is unexpected" (exit 1)', () => {
    expect(failed(new Error('something odd'))).toEqual({
      stderr: 'cmdb: something odd. This is unexpected: please report it with the command that caused it.\n',
      code: 1,
    });
    expect(failed(new Error('something odd.')).stderr).toBe(
      'cmdb: something odd. This is unexpected: please report it with the command that caused it.\n',
    );
  });
});
