/**
 * Opening a CMDB that is not quite one, or cannot be written: `--db` naming a
 * folder, a CMDB missing a table its schema needs, and a read-only CMDB (read
 * commands still answer; a write says what to do). Each refusal is one clear
 * line that names the file, never raw SQL or a raw errno, and leaves the file
 * as it was.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../electron/cmdb/db.js';
import { MIGRATIONS } from '../../electron/cmdb/migrations/index.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { CmdbError } from '../../shared/errors.js';
import { cmdb, type CliResult, DEMO_CIS, DEMO_RELS, demoCsv, dumpFile, ensureCliBuilt, fails, ok, ROOT, tempDir } from './helpers.js';

/** The CmdbError thrown by fn. */
function thrown(fn: () => unknown): CmdbError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CmdbError);
    return err as CmdbError;
  }
  throw new Error('expected a CmdbError, nothing was thrown');
}

/** stderr is exactly one line, "cmdb: ...". */
function oneLineReason(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cmdb: \S/);
  return lines[0]!;
}

/** A CMDB file holding the demo inventory, closed. */
async function demoFile(dir: string, name = 'demo.db'): Promise<string> {
  const path = join(dir, name);
  const svc = CmdbService.open(path, { source: 'test' });
  try {
    await ok(svc, 'importCsv', demoCsv());
  } finally {
    svc.close();
  }
  return path;
}

beforeAll(() => ensureCliBuilt(), 120_000);

describe('--db naming a folder', () => {
  it('the engine refuses it as a folder, naming the path and what to pass', () => {
    const dir = tempDir();
    for (const readonly of [false, true]) {
      const err = thrown(() => CmdbService.open(dir, { readonly }));
      expect(err.code).toBe('DB_NOT_FOUND');
      expect(err.message).toContain(`${dir} is a folder, not a CMDB file`);
      expect(err.message).toContain(join(dir, 'cmdb.db'));
    }
  });

  it('cmdb search and import say so in one line, creating nothing in it', () => {
    const dir = tempDir();
    const search = cmdb(['search', '--db', dir, 'x']);
    expect(search.code).toBe(1);
    expect(oneLineReason(search)).toMatch(/is a folder, not a CMDB file\. Pass the CMDB file itself/);
    expect(search.stderr).not.toMatch(/EISDIR/);
    const imp = cmdb(['import', '--db', dir, '--cis', DEMO_CIS, '--progress', 'none']);
    expect(imp.code).toBe(1);
    expect(oneLineReason(imp)).toMatch(/is a folder/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--db naming an empty file', () => {
  it('read commands say there is no CMDB yet and leave it empty; an import makes one there', () => {
    const path = join(tempDir(), 'empty.db');
    writeFileSync(path, '');
    for (const args of [['search', 'x'], ['show', 'x'], ['impact', 'x'], ['health']]) {
      const r = cmdb([args[0]!, '--db', path, ...args.slice(1)]);
      expect(r.code, args[0]).toBe(1);
      expect(oneLineReason(r)).toContain(`${path} is empty: no CMDB yet, and it was left untouched. Import into it first`);
      expect(statSync(path).size).toBe(0);
    }
    expect(cmdb(['import', '--db', path, '--cis', DEMO_CIS, '--progress', 'none']).code).toBe(0);
    expect(cmdb(['search', '--db', path, 'checkout']).code).toBe(0);
  });
});

describe('a CMDB missing a table its schema needs', () => {
  it('is refused on open, naming the file and the table, and left untouched', async () => {
    const path = await demoFile(tempDir());
    const raw = new Database(path);
    raw.pragma('foreign_keys = OFF');
    raw.exec('DROP TABLE cis');
    raw.close();
    const before = readFileSync(path);
    for (const readonly of [false, true]) {
      const err = thrown(() => CmdbService.open(path, { readonly }));
      expect(err.code).toBe('DB_CORRUPT');
      expect(err.message).toContain(path);
      expect(err.message).toMatch(
        /lacks the table cis that a CMDB at schema \d+ has\. Restore it from a backup copy, or open another CMDB file/,
      );
      expect(err.details).toEqual({ missingTables: ['cis'] });
    }
    const r = cmdb(['show', '--db', path, 'bs-checkout']);
    expect(r.code).toBe(1);
    expect(oneLineReason(r)).toMatch(/lacks the table cis/);
    expect(r.stderr).not.toMatch(/no such table/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses another application’s SQLite file whose user_version matches, listing what it lacks', () => {
    const path = join(tempDir(), 'foreign.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)');
    raw.pragma(`user_version = ${SCHEMA_VERSION}`);
    raw.close();
    const before = readFileSync(path);
    const err = thrown(() => CmdbService.open(path));
    expect(err.code).toBe('DB_CORRUPT');
    expect(err.message).toMatch(/lacks the tables \w+(, \w+)* and \d+ more/);
    expect((err.details as { missingTables: string[] }).missingTables).toEqual(expect.arrayContaining(['cis', 'relationships', 'history']));
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('a CMDB with triggers or views another tool added or changed', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'a trigger added',
      'CREATE TRIGGER quiet AFTER INSERT ON history BEGIN DELETE FROM relationships WHERE id = (SELECT min(id) FROM relationships); END',
      /a trigger or view that a CMDB does not: trigger "quiet"/,
    ],
    [
      'one of its own triggers changed',
      "DROP TRIGGER cis_fts_insert; CREATE TRIGGER cis_fts_insert AFTER INSERT ON cis BEGIN UPDATE cis SET owner = 'nobody' WHERE id = new.id; END",
      /trigger "cis_fts_insert"/,
    ],
    ['a view added', 'CREATE VIEW "odd\u001b[31mname" AS SELECT 1', /view "odd\\u001b\[31mname"/],
  ];
  for (const [what, sql, says] of cases)
    it(`refuses it (${what}), named, and leaves the file untouched; its own schema opens`, async () => {
      const path = await demoFile(tempDir());
      const raw = new Database(path);
      raw.exec(sql);
      raw.close();
      const before = readFileSync(path);
      for (const readonly of [false, true]) {
        const err = thrown(() => CmdbService.open(path, { readonly }));
        expect(err.code).toBe('DB_CORRUPT');
        expect(err.message).toMatch(says);
        expect(err.message).toMatch(/would run inside this app's own writes\. The file was left untouched: open a backup copy/);
        // A name from the file reaches no terminal with its control characters.
        expect(err.message).not.toContain('\u001b');
      }
      const r = cmdb(['show', '--db', path, 'bs-checkout']);
      expect(r.code).toBe(1);
      expect(oneLineReason(r)).toMatch(says);
      expect(readFileSync(path).equals(before)).toBe(true);
    });

  it('opens a CMDB whose own triggers were dropped and made again from their SQL (as an import does)', async () => {
    const path = await demoFile(tempDir());
    const raw = new Database(path);
    const sql = raw.prepare("SELECT sql FROM sqlite_schema WHERE name = 'cis_fts_update'").pluck().get() as string;
    raw.exec(`DROP TRIGGER cis_fts_update; ${sql}`);
    raw.close();
    const svc = CmdbService.open(path);
    svc.close();
  });
});

describe('a CMDB opened read-only', () => {
  it('answers reads, and a write says the CMDB cannot be written and what to do, changing nothing', async () => {
    const path = await demoFile(tempDir());
    const before = dumpFile(path);
    const svc = CmdbService.open(path, { readonly: true });
    try {
      expect((await ok(svc, 'listCis', { query: 'checkout' })).total).toBeGreaterThan(0);
      expect((await ok(svc, 'getCi', { key: 'bs-checkout' })).ci.name).toBe('Checkout');
      expect((await ok(svc, 'impact', { keys: ['db-orders-primary'] })).counts.total).toBeGreaterThan(0);
      const err = await fails(svc, 'createCi', { key: 'new-1', fields: { type: 'server', name: 'New' } });
      expect(err.code).toBe('DB_READONLY');
      expect(err.message).toContain(path);
      expect(err.message).toMatch(
        /cannot be written .*nothing was changed\. Copy it somewhere writable and use the copy, or change its permissions/,
      );
    } finally {
      svc.close();
    }
    expect(dumpFile(path)).toBe(before);
  });
});

describe('a saved baseline named as the CMDB', () => {
  it('is refused for writing, naming its CMDB and what to do, even where it could be written (root); reads answer', async () => {
    const dir = tempDir();
    const path = await demoFile(dir);
    const svc = CmdbService.open(path, { source: 'test' });
    try {
      await ok(svc, 'saveBaseline', { name: 'audit', note: null });
    } finally {
      svc.close();
    }
    const file = join(`${path}.baselines`, 'audit.sqlite');
    // As root would find it: its read-only mode does not stop root.
    chmodSync(file, 0o644);
    const bytes = readFileSync(file);
    const err = thrown(() => CmdbService.open(file, { source: 'test' }));
    expect(err.code).toBe('DB_READONLY');
    expect(err.message).toBe(
      `${file} is the saved baseline "audit" of the CMDB ${path}: a saved baseline is never changed (diffs read it as what the CMDB was), so nothing was written. To work on it, copy it elsewhere and use the copy (cp ${file} restored.db); to compare with it: cmdb diff --db ${path} audit.`,
    );
    // Through a link too, and from the command line, in one line.
    symlinkSync(file, join(dir, 'link.db'));
    expect(thrown(() => CmdbService.open(join(dir, 'link.db'))).message).toContain(`is the saved baseline "audit" of the CMDB ${path}:`);
    writeFileSync(join(dir, 'edit.csv'), 'id,name,type,owner\nbs-checkout,Checkout,business_service,TAMPERED\n');
    const write = cmdb(['import', '--db', file, '--cis', join(dir, 'edit.csv'), '--progress', 'none']);
    expect(write.code).toBe(1);
    expect(oneLineReason(write)).toContain('is the saved baseline "audit"');
    // Reads answer, through a read-only connection: no WAL switch, no journal.
    const search = cmdb(['search', '--db', file, 'checkout']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('bs-checkout');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(`${path}.baselines`)).toEqual(['audit.sqlite']);
    // A copy elsewhere is a CMDB like any other; so is a CMDB file that is not a baseline, wherever it is.
    const copy = join(dir, 'restored.db');
    writeFileSync(copy, bytes);
    expect(cmdb(['import', '--db', copy, '--cis', join(dir, 'edit.csv'), '--progress', 'none']).code).toBe(0);
    const plain = await demoFile(`${path}.baselines`, 'other.sqlite');
    CmdbService.open(plain).close();
  });
});

describe('cmdb read commands on a CMDB they could write', () => {
  it('leave no -wal or -shm behind, as a read-write connection closing last tidies them away', async () => {
    const dir = tempDir();
    const db = await demoFile(dir);
    for (const args of [
      ['search', 'checkout'],
      ['show', 'bs-checkout'],
      ['impact', 'db-orders-primary'],
    ]) {
      const r = cmdb([...args, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(dir)).toEqual(['demo.db']);
  });
});

// Root ignores file permissions, so the CLI runs as `nobody` to meet a CMDB it cannot write.
const SETPRIV = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
const asNobody = process.getuid?.() === 0 && SETPRIV.status === 0;
if (!asNobody) {
  console.log(
    `skipping the read-only CMDB tests as another user: ${process.getuid?.() !== 0 ? 'not running as root' : 'setpriv is missing'}`,
  );
}

/** Runs the built CLI as user nobody, with its own temp folder. */
function cmdbAsNobody(args: string[], tmp: string): CliResult {
  const r = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'bin', 'cmdb.js'), ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(asNobody)('cmdb on a CMDB its user cannot write', () => {
  /** A folder nobody can enter, a demo CMDB in it, an output folder and a temp folder nobody can write. */
  async function setup(): Promise<{ dir: string; db: string; out: string; tmp: string }> {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const db = await demoFile(dir);
    // A saved change, so `changes` has something to list.
    const svc = CmdbService.open(db, { source: 'test' });
    await ok(svc, 'saveChange', { ref: 'CHG1', title: 'Patch', keys: ['db-orders-primary'] });
    svc.close();
    const out = join(dir, 'out');
    const tmp = join(dir, 'tmp');
    for (const d of [out, tmp]) {
      mkdirSync(d);
      chmodSync(d, 0o777);
    }
    return { dir, db, out, tmp };
  }

  function expectReadsWork(db: string, out: string, tmp: string): void {
    const reads: string[][] = [
      ['search', 'checkout'],
      ['show', 'bs-checkout'],
      ['impact', 'db-orders-primary'],
      ['imports'],
      ['changes'],
      ['profiles'],
      ['assess', '--ref', 'CHG1', '--out', join(out, 'CHG1.md')],
      ['export', '--cis', join(out, 'cis.csv'), '--relationships', join(out, 'rels.csv')],
    ];
    for (const args of reads) {
      const r = cmdbAsNobody([...args, '--db', db], tmp);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).not.toBe('');
    }
    expect(readFileSync(join(out, 'cis.csv'), 'utf8').split('\n').length).toBeGreaterThan(10);
  }

  function expectWritesRefused(db: string, tmp: string): void {
    const before = dumpFile(db);
    for (const args of [
      ['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none'],
      ['undo-import', '1'],
    ]) {
      const r = cmdbAsNobody([...args, '--db', db], tmp);
      expect(r.code, args[0]).toBe(1);
      expect(oneLineReason(r)).toBe(
        `cmdb: ${db} cannot be written (the file or its folder is read-only, or it was opened for reading only), so nothing was changed. Copy it somewhere writable and use the copy, or change its permissions.`,
      );
    }
    expect(dumpFile(db)).toBe(before);
  }

  it('a read-only file (0444) in a folder it can write: reads answer, writes are refused in one line', async () => {
    const { dir, db, out, tmp } = await setup();
    chmodSync(dir, 0o777);
    chmodSync(db, 0o444);
    expectReadsWork(db, out, tmp);
    expectWritesRefused(db, tmp);
  });

  it('a CMDB in a read-only folder (0555): reads answer from a private copy that is removed after', async () => {
    const { dir, db, out, tmp } = await setup();
    chmodSync(dir, 0o555);
    try {
      expectReadsWork(db, out, tmp);
      expect(readdirSync(tmp)).toEqual([]);
      expectWritesRefused(db, tmp);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('an older schema in a read-only folder is read from an upgraded private copy, the file left as it was', async () => {
    const { dir, tmp } = await setup();
    const old = join(dir, 'old.db');
    const raw = new Database(old);
    migrate(raw, old, MIGRATIONS.slice(0, 1));
    const now = '2025-01-01T00:00:00.000Z';
    raw
      .prepare(
        `INSERT INTO cis(key, type, name, attributes, created_at, updated_at) VALUES ('app-old', 'application', 'Old App', '{}', ?, ?)`,
      )
      .run(now, now);
    raw.close();
    const before = readFileSync(old);
    chmodSync(dir, 0o555);
    try {
      const r = cmdbAsNobody(['show', 'app-old', '--db', old, '--json'], tmp);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ci: { key: 'app-old', name: 'Old App' } });
      expect(readFileSync(old).equals(before)).toBe(true);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
