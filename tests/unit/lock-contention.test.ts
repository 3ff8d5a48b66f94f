/**
 * A CMDB another connection is writing to: who holds it is said (the writer's
 * note beside the file), writes from the interactive doors fail fast with a
 * BUSY error naming the holder, a second long writer is refused at once,
 * readers of a WAL-mode CMDB never wait, and a reader arriving during a bulk
 * load through a rollback journal is told the CMDB is being filled.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERACTIVE_BUSY_TIMEOUT_MS, migrate, openDatabase, SCHEMA_VERSION } from '../../electron/cmdb/db.js';
import { MIGRATIONS } from '../../electron/cmdb/migrations/index.js';
import { announceWriter, currentWriter, writerNotePath } from '../../electron/cmdb/holder.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { type ErrorInfo, toErrorInfo } from '../../shared/errors.js';
import { demoCsv, dumpFile, fails, ok, ROOT, tempDir } from './helpers.js';

/** A CMDB file holding the demo inventory; the service that made it is closed. */
async function demoCmdb(): Promise<string> {
  const path = join(tempDir(), 'cmdb.db');
  const svc = CmdbService.open(path, { source: 'test' });
  await ok(svc, 'importCsv', demoCsv());
  svc.close();
  return path;
}

/**
 * Another "process" writing to the CMDB as an import does: a connection of its own in a write
 * transaction with an uncommitted row, and (unless `announce` is false) its note beside the file.
 */
function holdWriteLock(path: string, announce = true): { release(): void } {
  const db = new Database(path);
  db.exec('BEGIN IMMEDIATE');
  db.prepare(`INSERT INTO ci_types(name, label) VALUES ('uncommitted_type', 'Uncommitted')`).run();
  const writer = announce
    ? announceWriter(path, { what: 'an import of cis.csv', door: 'cmdb import', cancel: 'Ctrl-C where cmdb import runs' })
    : null;
  return {
    release() {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      writer?.end();
    },
  };
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

const NAMES_THE_IMPORT = new RegExp(
  `^The CMDB is busy: an import of cis\\.csv \\(cmdb import, process ${process.pid}, started \\d\\d:\\d\\d:\\d\\d\\) is writing to it\\. Wait for it to finish or cancel it`,
);

describe('the writer note', () => {
  it('is written beside the CMDB while announced, read back, and removed at the end', () => {
    const path = join(tempDir(), 'c.db');
    const w = announceWriter(path, { what: 'an import of a.csv', door: 'cmdb import', cancel: 'Ctrl-C where cmdb import runs' });
    expect(existsSync(writerNotePath(path))).toBe(true);
    expect(currentWriter(path)).toMatchObject({ what: 'an import of a.csv', door: 'cmdb import', pid: process.pid, filling: false });
    w.end();
    expect(existsSync(writerNotePath(path))).toBe(false);
    expect(currentWriter(path)).toBeNull();
  });

  it("ending one writer leaves a later writer's note in place", () => {
    const path = join(tempDir(), 'c.db');
    const first = announceWriter(path, { what: 'an import of a.csv', door: 'cmdb import', cancel: 'Ctrl-C where cmdb import runs' });
    const second = announceWriter(path, { what: 'an undo of import 3', door: 'cmdb serve' });
    first.end();
    expect(currentWriter(path)?.what).toBe('an undo of import 3');
    second.end();
    expect(currentWriter(path)).toBeNull();
  });

  it('ignores and removes a stale note (its process is gone)', () => {
    const path = join(tempDir(), 'c.db');
    const note = {
      what: 'an import of old.csv',
      door: 'cmdb import',
      pid: deadPid(),
      host: hostname(),
      startedAt: new Date().toISOString(),
      filling: true,
      id: 'x',
    };
    writeFileSync(writerNotePath(path), JSON.stringify(note));
    expect(currentWriter(path)).toBeNull();
    expect(existsSync(writerNotePath(path))).toBe(false);
  });
});

describe('a write while another connection holds the CMDB', () => {
  it('fails fast at an interactive door with BUSY naming the holder, never "database is locked"', async () => {
    const path = await demoCmdb();
    const held = holdWriteLock(path);
    const svc = CmdbService.open(path, { source: 'web', busyTimeoutMs: INTERACTIVE_BUSY_TIMEOUT_MS });
    try {
      const { value: err, ms } = await timed(() => fails(svc, 'createCi', { key: 'new-1', fields: { type: 'server', name: 'New' } }));
      expect(err.code).toBe('BUSY');
      expect(err.message).toMatch(NAMES_THE_IMPORT);
      expect(err.message).not.toMatch(/database is locked/);
      expect(err.details).toMatchObject({ writer: { what: 'an import of cis.csv', pid: process.pid } });
      expect(ms).toBeLessThan(2000);
      held.release();
      // Once the holder is done, the same write goes through.
      await ok(svc, 'createCi', { key: 'new-1', fields: { type: 'server', name: 'New' } });
    } finally {
      held.release();
      svc.close();
    }
  });

  it('says another program has it open for writing when no live writer is announced (a stale note is ignored)', async () => {
    const path = await demoCmdb();
    writeFileSync(
      writerNotePath(path),
      JSON.stringify({
        what: 'an import of old.csv',
        door: 'cmdb import',
        pid: deadPid(),
        host: hostname(),
        startedAt: '2020-01-01T00:00:00Z',
      }),
    );
    const held = holdWriteLock(path, false);
    const svc = CmdbService.open(path, { source: 'web', busyTimeoutMs: INTERACTIVE_BUSY_TIMEOUT_MS });
    try {
      const err = await fails(svc, 'deleteCi', { key: 'bs-checkout' });
      expect(err.code).toBe('BUSY');
      expect(err.message).toContain(`another program has ${path} open for writing`);
      expect(err.message).not.toContain('old.csv');
      expect(existsSync(writerNotePath(path))).toBe(false);
    } finally {
      held.release();
      svc.close();
    }
  });

  it('an import refuses at once, naming the running import, and changes nothing', async () => {
    const path = await demoCmdb();
    const before = dumpFile(path);
    const held = holdWriteLock(path);
    const svc = CmdbService.open(path, { source: 'cli' });
    try {
      const { value: err, ms } = await timed(() =>
        fails(svc, 'importCsv', { cis: { name: 'more.csv', content: 'id,name,type\nmore-1,More,server\n' } }),
      );
      expect(err.code).toBe('BUSY');
      expect(err.message).toMatch(NAMES_THE_IMPORT);
      expect(err.message).toContain('Ctrl-C where cmdb import runs');
      // The CLI's connection waits 5 s for a short write; a long one announced is named at once.
      expect(ms).toBeLessThan(2000);
    } finally {
      held.release();
      svc.close();
    }
    expect(dumpFile(path)).toBe(before);
  });

  it("an import through an interactive door, behind a write nobody announced, gives up as soon as the door's own writes", async () => {
    const path = await demoCmdb();
    const held = holdWriteLock(path, false);
    const svc = CmdbService.open(path, { source: 'web', busyTimeoutMs: INTERACTIVE_BUSY_TIMEOUT_MS });
    try {
      const { value: err, ms } = await timed(() =>
        fails(svc, 'importCsv', { cis: { name: 'more.csv', content: 'id,name,type\nmore-1,More,server\n' } }),
      );
      expect(err.code).toBe('BUSY');
      expect(err.message).toContain('another program has');
      // It runs on the web host's thread: waiting the CLI's 5 s would hold up every other request.
      expect(ms).toBeLessThan(2000);
    } finally {
      held.release();
      svc.close();
    }
  });

  it('an undo refuses at once, naming the running import', async () => {
    const path = await demoCmdb();
    const held = holdWriteLock(path);
    const svc = CmdbService.open(path, { source: 'cli' });
    try {
      const { value: err, ms } = await timed(() => fails(svc, 'undoImport', { id: 1 }));
      expect(err.code).toBe('BUSY');
      expect(err.message).toMatch(NAMES_THE_IMPORT);
      expect(ms).toBeLessThan(2000);
    } finally {
      held.release();
      svc.close();
    }
  });
});

describe('an undo announces itself', () => {
  it('while it writes, without a way to cancel it from the app, and is gone after', async () => {
    const path = await demoCmdb();
    const svc = CmdbService.open(path, { source: 'ui' });
    const seen: Array<ReturnType<typeof currentWriter>> = [];
    try {
      // Looks beside the file from inside the undo's transaction, as each CI is deleted.
      svc.db.function('probe', () => {
        seen.push(currentWriter(path));
        return null;
      });
      svc.db.exec('CREATE TEMP TRIGGER probe_undo AFTER DELETE ON cis BEGIN SELECT probe(); END');
      await ok(svc, 'undoImport', { id: 1 });
    } finally {
      svc.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ what: 'an undo of import 1', door: 'the desktop app', cancel: null, pid: process.pid });
    expect(existsSync(writerNotePath(path))).toBe(false);
  });
});

describe('reading while another connection writes', () => {
  it('opens a WAL-mode CMDB and answers search, lists and stats at once, seeing what is committed', async () => {
    const path = await demoCmdb();
    const held = holdWriteLock(path);
    try {
      const { value, ms } = await timed(async () => {
        const svc = CmdbService.open(path, { source: 'cli' });
        try {
          return {
            search: await svc.call('listCis', { query: 'checkout', limit: 5 }),
            stats: await svc.call('stats', {}),
            types: await svc.call('getTypes', {}),
          };
        } finally {
          svc.close();
        }
      });
      expect(value.search).toMatchObject({ ok: true });
      expect(value.search.ok && value.search.value.items.length).toBeGreaterThan(0);
      expect(value.stats).toMatchObject({ ok: true });
      expect(value.types.ok && value.types.value.ciTypes.map((t) => t.name)).not.toContain('uncommitted_type');
      expect(ms).toBeLessThan(2000);
    } finally {
      held.release();
    }
  });

  it('is told at once that a bulk load is filling the CMDB (rollback journal), and leaves its journal mode alone', async () => {
    const path = join(tempDir(), 'empty.db');
    CmdbService.open(path).close();
    // An import alone with an empty CMDB: rollback journal, exclusive lock while it writes (import/stages/connection.ts).
    const loader = new Database(path);
    expect(loader.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    loader.exec('BEGIN EXCLUSIVE');
    const writer = announceWriter(path, {
      what: 'an import of cis.csv',
      door: 'cmdb import',
      cancel: 'Ctrl-C where cmdb import runs',
      filling: true,
    });
    try {
      const t = performance.now();
      let err: ErrorInfo | null = null;
      try {
        CmdbService.open(path, { source: 'cli' }).close();
      } catch (e) {
        err = (e as { toInfo(): ErrorInfo }).toInfo();
      }
      expect(performance.now() - t).toBeLessThan(2000);
      expect(err?.code).toBe('BUSY');
      expect(err?.message).toMatch(
        new RegExp(
          `^The CMDB is being filled by an import of cis\\.csv \\(cmdb import, process ${process.pid}, started [\\d:]+\\); it is empty until that import finishes\\.`,
        ),
      );
    } finally {
      loader.exec('ROLLBACK');
      writer.end();
    }
    // The load still owns the journal mode: nobody switched it under it.
    expect(loader.pragma('journal_mode', { simple: true })).toBe('delete');
    loader.close();
  });
});

describe('opening a CMDB another connection holds', () => {
  it('during a bulk load that has not locked readers out yet: opens, sees it empty, and leaves the journal mode to the load', async () => {
    const path = join(tempDir(), 'empty.db');
    CmdbService.open(path).close();
    const loader = new Database(path);
    expect(loader.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    loader.exec('BEGIN IMMEDIATE');
    loader.prepare(`INSERT INTO cis(key, type, name, attributes, created_at, updated_at) VALUES ('k', 'server', 'K', '{}', '', '')`).run();
    const writer = announceWriter(path, {
      what: 'an import of cis.csv',
      door: 'cmdb import',
      cancel: 'Ctrl-C where cmdb import runs',
      filling: true,
    });
    try {
      const { value: stats, ms } = await timed(async () => {
        const svc = CmdbService.open(path, { source: 'cli' });
        try {
          return await ok(svc, 'stats', {});
        } finally {
          svc.close();
        }
      });
      expect(stats.cis).toBe(0);
      expect(ms).toBeLessThan(2000);
      loader.exec('COMMIT');
      expect(loader.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
    } finally {
      if (loader.inTransaction) loader.exec('ROLLBACK');
      loader.close();
      writer.end();
    }
  });

  it('an older CMDB another process is migrating: waits for it, then finds nothing left to migrate', async () => {
    const path = join(tempDir(), 'v3.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL'); // as the app left it
    migrate(
      raw,
      path,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    raw.close();
    // Another process opens it first and migrates it, slowly, in one write transaction.
    const script = join(tempDir(), 'migrating.mts');
    writeFileSync(
      script,
      `import Database from ${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3', 'lib', 'index.js'))};
       import { migrate } from ${JSON.stringify(join(ROOT, 'electron', 'cmdb', 'db.ts'))};
       const db = new Database(${JSON.stringify(path)});
       db.exec('BEGIN IMMEDIATE');
       migrate(db, ${JSON.stringify(path)});
       process.stdout.write('migrated, not committed\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, 500);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', (code) => reject(new Error(`the migrating process exited ${code}`)));
    });
    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });
});

describe('an import announces itself', () => {
  const cis = (n: number) => `id,name,type\n${Array.from({ length: n }, (_, i) => `s-${i},Server ${i},server`).join('\n')}\n`;

  it('while it holds the CMDB, and is gone after it commits, is rejected or is cancelled', async () => {
    const path = await demoCmdb();
    const db = openDatabase(path);
    const seen: Array<ReturnType<typeof currentWriter>> = [];
    const run = (content: string, isCancelled?: () => boolean) =>
      runImport(db, {
        cis: { name: 'servers.csv', content },
        actor: 'web',
        onProgress: () => seen.push(currentWriter(path)),
        isCancelled,
      });
    try {
      await run(cis(12_000));
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.at(-1)).toMatchObject({
        what: 'an import of servers.csv',
        door: 'cmdb serve',
        cancel: "Cancel import in the browser's import wizard",
        pid: process.pid,
        filling: false,
      });
      expect(existsSync(writerNotePath(path))).toBe(false);
      await expect(run(`${cis(12_000)}bad,,server\n`)).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
      expect(existsSync(writerNotePath(path))).toBe(false);
      let calls = 0;
      await expect(run(cis(12_000).replace(/s-/g, 't-'), () => ++calls > 1)).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(existsSync(writerNotePath(path))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('as filling the CMDB when it loads an empty one through a rollback journal', async () => {
    const path = join(tempDir(), 'empty.db');
    const conn = openDatabase(path);
    let during: ReturnType<typeof currentWriter> = null;
    try {
      await runImport(conn, {
        cis: { name: 'cis.csv', content: cis(12_000) },
        actor: 'cli',
        rollbackJournalFrom: 0,
        onProgress: () => {
          during ??= existsSync(`${path}-journal`) ? currentWriter(path) : null;
        },
      });
    } finally {
      conn.close();
    }
    expect(during).toMatchObject({
      what: 'an import of cis.csv',
      door: 'cmdb import',
      cancel: 'Ctrl-C where cmdb import runs',
      filling: true,
    });
    expect(existsSync(writerNotePath(path))).toBe(false);
    expect(readFileSync(path).subarray(18, 20)).toEqual(Buffer.from([2, 2])); // back in WAL mode
  });

  it('that a reader kept from finishing fails with BUSY, not naming itself, and leaves no note', async () => {
    const path = join(tempDir(), 'empty.db');
    const conn = openDatabase(path, { busyTimeoutMs: 100 });
    let reader: Database.Database | null = null;
    try {
      const failed = runImport(conn, {
        cis: { name: 'cis.csv', content: cis(20_000) },
        actor: 'cli',
        rollbackJournalFrom: 0,
        onProgress: () => {
          if (reader) return;
          // A reader arrives while the load writes through a rollback journal, and keeps reading.
          reader = new Database(path);
          reader.exec('BEGIN');
          reader.prepare('SELECT count(*) FROM cis').get();
        },
      });
      const err = await failed.then(
        () => null,
        (e: unknown) => toErrorInfo(e),
      );
      expect(err?.code).toBe('BUSY');
      expect(err?.message).toMatch(
        /^The import could not finish: another program opened the CMDB while this load into the empty CMDB needed it alone\. Nothing was imported\./,
      );
      expect(err?.message).not.toMatch(/database is locked|an import of cis\.csv/);
      expect(existsSync(writerNotePath(path))).toBe(false);
    } finally {
      (reader as Database.Database | null)?.close();
      conn.close();
    }
    // Nothing was imported, and the next open has the CMDB back in WAL mode.
    const again = openDatabase(path);
    try {
      expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(again.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
      expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      again.close();
    }
  });
});
