/**
 * Opening a CMDB: fresh databases, upgrades from every older schema version,
 * and the refusals (newer schema, corrupt file, SQLite file that is not a
 * CMDB), each of which must leave the file byte-for-byte as it was.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, SCHEMA_VERSION } from '../../electron/cmdb/db.js';
import { MIGRATIONS } from '../../electron/cmdb/migrations/index.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { CI_TYPE_SEEDS, REL_TYPE_SEEDS } from '../../electron/cmdb/types-registry.js';
import { ciTypeLabel } from '../../shared/ci-types.js';
import { CmdbError } from '../../shared/errors.js';
import { demoCsv, freshService, ok, tempDir } from './helpers.js';

/** The CmdbError thrown by fn (fails the test when fn does not throw one). */
function thrown(fn: () => unknown): CmdbError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CmdbError);
    return err as CmdbError;
  }
  throw new Error('expected a CmdbError, nothing was thrown');
}

/** Opening `path` fails with `code` and leaves the file, and its directory, exactly as they were. */
function expectRefusedUntouched(path: string, code: string): CmdbError {
  const before = readFileSync(path);
  const err = thrown(() => CmdbService.open(path));
  expect(err.code).toBe(code);
  expect(err.message).toContain(path);
  expect(readFileSync(path).equals(before)).toBe(true);
  expect(existsSync(`${path}-wal`)).toBe(false);
  expect(existsSync(`${path}-journal`)).toBe(false);
  return err;
}

describe('migrations', () => {
  it('lists migrations with strictly increasing versions, the last one being SCHEMA_VERSION', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    for (let i = 1; i < MIGRATIONS.length; i++) expect(MIGRATIONS[i]!.version).toBeGreaterThan(MIGRATIONS[i - 1]!.version);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
  });

  it('gives a fresh in-memory CMDB the latest user_version and the seeded types registry', async () => {
    const svc = freshService();
    expect(svc.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const types = await ok(svc, 'getTypes', {});
    const ciNames = types.ciTypes.map((t) => t.name);
    for (const seed of CI_TYPE_SEEDS) expect(ciNames).toContain(seed.name);
    // The app and the CLI read a type's label the way the registry gives it.
    for (const t of types.ciTypes) expect(ciTypeLabel(t.name)).toBe(t.label);
    expect(ciTypeLabel('windows_server')).toBe('Windows server');
    for (const required of ['business_service', 'application', 'service', 'database', 'message_queue', 'server', 'virtual_machine']) {
      expect(ciNames).toContain(required);
    }
    for (const required of ['container', 'kubernetes_cluster', 'cluster', 'load_balancer', 'network_device', 'storage', 'dns']) {
      expect(ciNames).toContain(required);
    }
    expect(ciNames).toEqual(expect.arrayContaining(['cloud_resource', 'saas']));
    expect(types.ciTypes.every((t) => t.builtin && !t.flagged && t.count === 0)).toBe(true);
    const rel = new Map(types.relTypes.map((t) => [t.name, t]));
    for (const seed of REL_TYPE_SEEDS) {
      expect(rel.get(seed.name)).toMatchObject({ dependent: seed.dependent, strength: seed.strength, builtin: true, flagged: false });
    }
    // The direction rules the impact analysis relies on.
    expect(rel.get('depends_on')).toMatchObject({ dependent: 'source', strength: 'hard' });
    expect(rel.get('runs_on')).toMatchObject({ dependent: 'source', strength: 'hard' });
    expect(rel.get('hosted_on')).toMatchObject({ dependent: 'source', strength: 'hard' });
    expect(rel.get('member_of')).toMatchObject({ dependent: 'target', strength: 'hard' });
    expect(rel.get('uses')).toMatchObject({ dependent: 'source', strength: 'soft' });
    expect(rel.get('connects_to')?.strength).toBe('none');
    expect(rel.get('backup_of')?.strength).toBe('none');
    const stats = await ok(svc, 'stats', {});
    expect(stats).toMatchObject({ cis: 0, relationships: 0, schemaVersion: SCHEMA_VERSION, flaggedTypes: [] });
  });

  it('creates a CMDB file on disk in WAL mode with foreign keys on, and reopens it with its data', async () => {
    const path = join(tempDir(), 'new.db');
    const svc = CmdbService.open(path, { source: 'test' });
    expect(svc.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(svc.db.pragma('foreign_keys', { simple: true })).toBe(1);
    await ok(svc, 'createCi', { key: 'app-1', fields: { type: 'application', name: 'One' } });
    svc.close();
    const again = CmdbService.open(path, { source: 'test' });
    try {
      expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect((await ok(again, 'getCi', { key: 'app-1' })).ci.name).toBe('One');
      // Seeding is idempotent: reopening adds no duplicate registry rows.
      expect(again.db.prepare('SELECT count(*) FROM ci_types WHERE builtin = 1').pluck().get()).toBe(CI_TYPE_SEEDS.length);
    } finally {
      again.close();
    }
  });

  it('initialises an empty (0-byte) file as a new CMDB', () => {
    const path = join(tempDir(), 'empty.db');
    writeFileSync(path, '');
    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('refuses a missing file when asked not to create it', () => {
    const path = join(tempDir(), 'missing.db');
    expect(thrown(() => openDatabase(path, { create: false })).code).toBe('DB_NOT_FOUND');
    expect(existsSync(path)).toBe(false);
  });

  // Every older schema version upgrades to the latest and keeps its data.
  for (let k = 1; k < MIGRATIONS.length; k++) {
    const older = MIGRATIONS[k - 1]!.version;
    it(`upgrades a CMDB at schema ${older} to ${SCHEMA_VERSION}, keeping its CIs, relationships and history`, async () => {
      const path = join(tempDir(), `v${older}.db`);
      const raw = new Database(path);
      raw.pragma('foreign_keys = ON');
      migrate(raw, path, MIGRATIONS.slice(0, k));
      expect(raw.pragma('user_version', { simple: true })).toBe(older);
      const now = '2025-01-01T00:00:00.000Z';
      const insertCi = raw.prepare(
        `INSERT INTO cis(key, type, name, status, attributes, created_at, updated_at) VALUES (?, ?, ?, 'operational', ?, ?, ?)`,
      );
      const a = Number(insertCi.run('app-old', 'application', 'Old App', '{"version":"1.2"}', now, now).lastInsertRowid);
      const b = Number(insertCi.run('db-old', 'database', 'Old DB', '{}', now, now).lastInsertRowid);
      insertCi.run('lnx-pay-01', 'server', 'lnx-pay-01', '{}', now, now);
      raw
        .prepare(`INSERT INTO relationships(source_id, target_id, type, created_at, updated_at) VALUES (?, ?, 'depends_on', ?, ?)`)
        .run(a, b, now, now);
      raw
        .prepare(
          `INSERT INTO history(at, entity, entity_id, ci_key, action, summary, source) VALUES (?, 'ci', ?, 'app-old', 'create', 'Created', 'test')`,
        )
        .run(now, a);
      raw.close();

      const svc = CmdbService.open(path, { source: 'test' });
      try {
        expect(svc.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        const d = await ok(svc, 'getCi', { key: 'app-old' });
        expect(d.ci).toMatchObject({ name: 'Old App', status: 'operational', attributes: { version: '1.2' } });
        expect(d.outgoing.map((r) => [r.type, r.other.key])).toEqual([['depends_on', 'db-old']]);
        expect(d.history.map((h) => h.summary)).toEqual(['Created']);
        // The search index, created by migration 1, still finds the old rows.
        expect((await ok(svc, 'listCis', { query: 'old' })).total).toBe(2);
        // Indexed again in words (migration 10): a word inside a key is found, and the whole key still is.
        expect((await ok(svc, 'listCis', { query: 'pay' })).items.map((c) => c.key)).toEqual(['lnx-pay-01']);
        expect((await ok(svc, 'listCis', { query: 'lnx-pay-01' })).items.map((c) => c.key)).toEqual(['lnx-pay-01']);
        // Every table of the latest schema exists.
        const tables = svc.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
        const fresh = freshService();
        const freshTables = fresh.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
        expect(tables.sort()).toEqual(freshTables.sort());
      } finally {
        svc.close();
      }
    });
  }

  describe('migration 11: the search index without its prefix indexes', () => {
    /** A CMDB file at schema 10 holding a few CIs. */
    function atSchema10(name: string): string {
      const path = join(tempDir(), name);
      const raw = new Database(path);
      migrate(
        raw,
        path,
        MIGRATIONS.filter((m) => m.version <= 10),
      );
      const now = '2025-01-01T00:00:00.000Z';
      const insertCi = raw.prepare(`INSERT INTO cis(key, type, name, attributes, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?)`);
      insertCi.run('lnx-pay-01', 'server', 'Payment host', now, now);
      insertCi.run('db-orders', 'database', 'Orders DB', now, now);
      insertCi.run('srv-web-02', 'server', 'Serverless gateway', now, now);
      raw.exec("INSERT INTO ci_fts(ci_fts) VALUES ('rebuild')");
      raw.close();
      return path;
    }
    const matches = (db: Database.Database, q: string) =>
      db.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck().get(q) as number;

    it("rebuilds a CMDB's index without them, and two- and three-letter prefixes still find their CIs", async () => {
      const path = atSchema10('v10.db');
      const before = new Database(path, { readonly: true });
      expect(before.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ci_fts'").pluck().get()).toMatch(/prefix = '2 3'/);
      before.close();
      const svc = CmdbService.open(path, { source: 'test' });
      try {
        expect(svc.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ci_fts'").pluck().get()).not.toMatch(/prefix/);
        const keys = async (query: string) => (await ok(svc, 'listCis', { query })).items.map((c) => c.key).sort();
        expect(await keys('pa')).toEqual(['lnx-pay-01']);
        expect(await keys('ser')).toEqual(['lnx-pay-01', 'srv-web-02']);
        expect(await keys('or')).toEqual(['db-orders']);
        expect(await keys('srv-web-02')).toEqual(['srv-web-02']);
      } finally {
        svc.close();
      }
    });

    it("leaves a baseline's upgraded copy its own index, which answers the same (no rebuild on every read)", () => {
      const cmdb = atSchema10('cmdb.db');
      const baseline = atSchema10('baseline.db');
      for (const path of [cmdb, baseline]) {
        const db = new Database(path);
        try {
          migrate(db, path, MIGRATIONS, { skipDerivedIndexes: path === baseline });
          expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
          const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ci_fts'").pluck().get() as string;
          expect(sql.includes("prefix = '2 3'")).toBe(path === baseline);
          for (const [q, n] of [
            ['payment', 1],
            ['se*', 2],
            ['"lnx" "pay"', 1],
          ] as const)
            expect(matches(db, q), q).toBe(n);
        } finally {
          db.close();
        }
      }
    });
  });

  it('applies a migration list in one transaction: a failing migration leaves version and schema as they were', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, ':memory:', MIGRATIONS);
      const schemaBefore = db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
      const broken = [
        ...MIGRATIONS,
        { version: SCHEMA_VERSION + 1, name: 'good part', up: 'CREATE TABLE added_by_test (a TEXT);' },
        { version: SCHEMA_VERSION + 2, name: 'bad part', up: 'INSERT INTO no_such_table VALUES (1);' },
      ];
      expect(() => migrate(db, ':memory:', broken)).toThrow(/no_such_table/);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
    } finally {
      db.close();
    }
  });

  it('refuses a migration list that is out of order', () => {
    const db = new Database(':memory:');
    try {
      const disordered = [
        { version: 2, name: 'two', up: '' },
        { version: 1, name: 'one', up: '' },
      ];
      expect(() => migrate(db, ':memory:', disordered)).toThrow(/out of order/);
      expect(db.pragma('user_version', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuses a CMDB written by a newer version (DB_NEWER) and leaves it byte-for-byte unchanged', () => {
    const dir = tempDir();
    // One written by a newer app in WAL mode, as this app writes them ...
    const wal = join(dir, 'newer-wal.db');
    const svc = CmdbService.open(wal, { source: 'test' });
    svc.close();
    const raw = new Database(wal);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const err = expectRefusedUntouched(wal, 'DB_NEWER');
    expect(err.message).toMatch(/newer version/);
    expect(err.details).toMatchObject({ fileVersion: SCHEMA_VERSION + 1, appVersion: SCHEMA_VERSION });
    // ... and one in rollback-journal mode, which opening must not switch to WAL.
    const journal = join(dir, 'newer-journal.db');
    const raw2 = new Database(journal);
    migrate(raw2, journal, MIGRATIONS);
    raw2.pragma(`user_version = ${SCHEMA_VERSION + 7}`);
    raw2.close();
    expectRefusedUntouched(journal, 'DB_NEWER');
    // Read-only opening refuses it as well.
    expect(thrown(() => openDatabase(journal, { readonly: true })).code).toBe('DB_NEWER');
  });

  it('refuses a file that is not SQLite (DB_CORRUPT) and leaves it byte-for-byte unchanged', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'id,name,type\napp-1,One,application\n');
    const err = expectRefusedUntouched(path, 'DB_CORRUPT');
    expect(err.message).toMatch(/not an SQLite file|not a CMDB/);
  });

  it('refuses a damaged SQLite file (DB_CORRUPT) and leaves it byte-for-byte unchanged', () => {
    const path = join(tempDir(), 'damaged.db');
    const bytes = Buffer.alloc(8192);
    Buffer.from('SQLite format 3\u0000', 'latin1').copy(bytes, 0);
    for (let i = 16; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(path, bytes);
    expectRefusedUntouched(path, 'DB_CORRUPT');
  });

  it('refuses a real CMDB that was truncated or had its pages garbled (DB_CORRUPT), leaving it byte-for-byte unchanged', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.db');
    const svc = CmdbService.open(good, { source: 'test' });
    await ok(svc, 'importCsv', demoCsv());
    svc.close();
    const bytes = readFileSync(good);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    // Cut in half at a page boundary, as a copy interrupted half-way would leave it.
    const truncated = join(dir, 'truncated.db');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2 / 4096) * 4096));
    expectRefusedUntouched(truncated, 'DB_CORRUPT');
    // Every page after the first two flipped, as a failing disk might leave it.
    const garbled = join(dir, 'garbled.db');
    const copy = Buffer.from(bytes);
    for (let i = 8192; i < copy.length; i += 7) copy[i] = copy[i]! ^ 0x5a;
    writeFileSync(garbled, copy);
    expectRefusedUntouched(garbled, 'DB_CORRUPT');
  });

  it('refuses an SQLite database that is not a CMDB and leaves it byte-for-byte unchanged', () => {
    const path = join(tempDir(), 'other-app.db');
    const raw = new Database(path);
    raw.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('Ada');");
    raw.close();
    const err = expectRefusedUntouched(path, 'DB_CORRUPT');
    expect(err.message).toMatch(/not a CMDB/);
    expect(new Database(path, { readonly: true }).prepare('SELECT name FROM customers').pluck().all()).toEqual(['Ada']);
  });
});
