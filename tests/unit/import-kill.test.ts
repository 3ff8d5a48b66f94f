/**
 * Crash safety: a CLI import killed with SIGKILL in the middle of a big file
 * leaves the previous content intact, the file passes PRAGMA
 * integrity_check, and the next import works.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { removeStaleScratch } from '../../electron/cmdb/import/bulk/search-index.js';
import { cmdb, DEMO_CIS, DEMO_RELS, dumpFile, ensureCliBuilt, ROOT, tempDir } from './helpers.js';

async function bigCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,name,type,status,environment,owner,criticality,description,rack,serial\n');
  for (let i = 0; i < rows; i++) {
    const line = `big-${i},Big host ${i},server,operational,production,team-${i % 97},medium,"A generated host, number ${i}",R${i % 500},SN${i * 7}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Runs `cmdb import --cis big` and kills it with SIGKILL once 50,000 rows are done; calls atKill just before. */
async function importAndKill(db: string, big: string, atKill?: () => void, env: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'cmdb.js'), 'import', '--db', db, '--cis', big, '--progress', 'lines'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  const killedMidway = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /progress: (\d+) rows/.exec(stderr.split('\n').filter(Boolean).pop() ?? '');
      if (m && Number(m[1]) >= 50_000) {
        atKill?.();
        child.kill('SIGKILL');
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the import ended before it could be killed (exit ${code}): ${stderr}`)));
  });
  await new Promise((r) => child.once('exit', r));
  return killedMidway;
}

describe('SIGKILL during a CLI import', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('leaves the previous content intact and the database sound', async () => {
    const dir = tempDir();
    const db = join(dir, 'cmdb.db');
    const first = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]);
    expect(first.code, first.stderr).toBe(0);
    const before = dumpFile(db);
    const big = join(dir, 'big.csv');
    await bigCsv(big, 400_000);

    const killedMidway = await importAndKill(db, big);
    expect(killedMidway).toBeGreaterThanOrEqual(50_000);
    expect(killedMidway).toBeLessThan(400_000);

    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    expect(dumpFile(db)).toBe(before);
    const again = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).counts.unchanged).toBeGreaterThan(500);
  }, 180_000);

  it('a big load into an empty CMDB, written through a rollback journal instead of the WAL, leaves it empty and sound', async () => {
    const dir = tempDir();
    const db = join(dir, 'cmdb.db');
    openDatabase(db).close();
    const before = dumpFile(db);
    const big = join(dir, 'big.csv');
    await bigCsv(big, 400_000);

    let journal = { rollback: false, wal: false };
    // The CLI's temporary folder is this test's own, where the search-index helper keeps its scratch database.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const killedMidway = await importAndKill(
      db,
      big,
      () => {
        journal = { rollback: existsSync(`${db}-journal`), wal: existsSync(`${db}-wal`) };
      },
      { TMPDIR: tmp },
    );
    expect(killedMidway).toBeLessThan(400_000);
    // The helper was at work: killed with the process, it leaves its scratch database behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith('cmdb-search-index-'))).toHaveLength(1);
    // The load was going through a rollback journal: the CLI had closed its own connection, so the import's was alone.
    expect(journal).toEqual({ rollback: true, wal: false });

    // Opening rolls the hot journal back: the CMDB is as it was, and back in WAL mode.
    const reopened = openDatabase(db);
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reopened.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
    reopened.close();
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(dumpFile(db)).toBe(before);
    const again = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).counts.created).toBeGreaterThan(500);
    // The killed load's folder names its process, now gone: the next bulk load's sweep removes it.
    expect(removeStaleScratch(tmp)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    const after = new Database(db, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('wal');
    after.close();
  }, 180_000);
});
