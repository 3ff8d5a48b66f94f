/**
 * A CMDB held by a writer, seen through the real doors: `cmdb search` and a
 * second `cmdb import` (after the build), and the web host of `cmdb serve`,
 * which must answer a locked write quickly with BUSY and keep answering other
 * requests meanwhile.
 */
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { announceWriter } from '../../electron/cmdb/holder.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, ROOT, tempDir } from './helpers.js';

beforeAll(() => ensureCliBuilt());

/** A CMDB file imported by the CLI from the demo inventory. */
function demoCmdb(): string {
  const db = join(tempDir(), 'cmdb.db');
  const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

/** Holds the CMDB as an import does: a write transaction on a connection of its own, announced beside the file. */
function holdAsImport(path: string, how: 'wal' | 'filling' = 'wal'): { release(): void } {
  const db = new Database(path);
  if (how === 'filling') {
    // A bulk load into an empty CMDB, alone with it: a rollback journal and, once it writes, an exclusive lock.
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
  } else {
    db.exec('BEGIN IMMEDIATE');
    db.prepare(`INSERT INTO ci_types(name, label) VALUES ('uncommitted_type', 'Uncommitted')`).run();
  }
  const writer = announceWriter(path, {
    what: 'an import of cis.csv',
    door: 'cmdb import',
    cancel: 'Ctrl-C where cmdb import runs',
    filling: how === 'filling',
  });
  return {
    release() {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      writer.end();
    },
  };
}

function timedCmdb(args: string[]): ReturnType<typeof cmdb> & { ms: number } {
  const t = performance.now();
  const r = cmdb(args);
  return { ...r, ms: performance.now() - t };
}

const started = String.raw`started \d\d:\d\d:\d\d`;

describe('cmdb while an import holds the CMDB', () => {
  it('cmdb search answers from what is committed', () => {
    const db = demoCmdb();
    const held = holdAsImport(db);
    try {
      const r = timedCmdb(['search', 'checkout', '--db', db, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(4000);
    } finally {
      held.release();
    }
  });

  it('a CI named while an import writes the CMDB: not found, and the import named (its CIs come when it commits)', () => {
    const db = demoCmdb();
    const held = holdAsImport(db);
    try {
      const r = timedCmdb(['impact', 'not-yet-committed', '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          String.raw`^cmdb: No CI has the key or name "not-yet-committed".* The CMDB is busy: an import of cis\.csv \(cmdb import, process ${process.pid}, ${started}\) is writing to it\.`,
        ),
      );
    } finally {
      held.release();
    }
  });

  it('cmdb search during a bulk load into an empty CMDB says it is being filled, by what, in one line', () => {
    const db = join(tempDir(), 'empty.db');
    openDatabase(db).close(); // a new, empty CMDB
    const held = holdAsImport(db, 'filling');
    try {
      const r = timedCmdb(['search', 'checkout', '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          String.raw`^cmdb: The CMDB is being filled by an import of cis\.csv \(cmdb import, process ${process.pid}, ${started}\); it is empty until that import finishes\. Wait for it to finish or cancel it \(Ctrl-C where cmdb import runs\), then try again\.\n$`,
        ),
      );
      expect(r.ms).toBeLessThan(4000);
    } finally {
      held.release();
    }
  });

  it('a second cmdb import is refused at once, naming the running import', () => {
    const db = demoCmdb();
    const more = join(tempDir(), 'more.csv');
    writeFileSync(more, 'id,name,type\nmore-1,More,server\n');
    const held = holdAsImport(db);
    try {
      const r = timedCmdb(['import', '--db', db, '--cis', more, '--progress', 'none']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          String.raw`^cmdb: The CMDB is busy: an import of cis\.csv \(cmdb import, process ${process.pid}, ${started}\) is writing to it\.`,
        ),
      );
      expect(r.stderr).not.toMatch(/database is locked/);
      expect(r.ms).toBeLessThan(4000);
    } finally {
      held.release();
    }
  });
});

/** Starts `cmdb serve --json` on `db` and resolves with its port and token once it listens. */
function serve(db: string): Promise<{ child: ChildProcess; port: number; token: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'cmdb.js'), 'serve', '--db', db, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/\}\s*$/.test(out)) {
        const info = JSON.parse(out) as { url: string; port: number };
        ok({ child, port: info.port, token: new URL(info.url).searchParams.get('token')! });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => fail(new Error(`cmdb serve exited ${code}: ${err}`)));
  });
}

describe('cmdb serve while an import holds the CMDB', () => {
  it('answers a write quickly with BUSY naming the import, and a concurrent stats request without delay', async () => {
    const db = demoCmdb();
    const host = await serve(db);
    const post = async (method: string, body: unknown) => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
        method: 'POST',
        headers: { 'X-CMDB-Token': host.token, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { envelope: (await res.json()) as { ok: boolean; error?: { code: string; message: string } }, ms: performance.now() - t };
    };
    const held = holdAsImport(db);
    try {
      const write = post('createCi', { key: 'web-1', fields: { type: 'server', name: 'Web one' } });
      await new Promise((r) => setTimeout(r, 30));
      const [created, stats, list] = await Promise.all([write, post('stats', {}), post('listCis', { query: 'checkout', limit: 3 })]);
      expect(created.envelope.ok).toBe(false);
      expect(created.envelope.error?.code).toBe('BUSY');
      expect(created.envelope.error?.message).toMatch(
        new RegExp(
          String.raw`^The CMDB is busy: an import of cis\.csv \(cmdb import, process ${process.pid}, ${started}\) is writing to it\.`,
        ),
      );
      expect(created.ms).toBeLessThan(2000);
      expect(stats.envelope.ok).toBe(true);
      expect(stats.ms).toBeLessThan(2000);
      expect(list.envelope.ok).toBe(true);
      expect(list.ms).toBeLessThan(2000);
    } finally {
      held.release();
      host.child.removeAllListeners('exit');
      host.child.kill('SIGTERM');
    }
  });
});
