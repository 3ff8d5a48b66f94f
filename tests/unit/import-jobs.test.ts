/**
 * Import jobs through the API: a worker thread with its own connection
 * (started from the TypeScript sources with tsx), progress as
 * `import-progress` events, the result through getImportJob, and a cancel
 * that really rolls back. Also the CLI's error report and undo.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/domain.js';
import type { ImportProgressEvent } from '../../shared/events.js';
import { prewarmImportWorker, runInProcess, startImportJob, workerScript } from '../../electron/cmdb/import/jobs.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { openDatabase } from '../../electron/cmdb/db.js';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { vi } from 'vitest';
import { cmdb, DEMO_CIS, DEMO_RELS, dumpFile, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { PARALLEL_FROM_BYTES } from '../../electron/cmdb/import/load-size.js';
import { mayPlanRelationships } from '../../electron/cmdb/import/warm-worker.js';

async function bigCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,name,type,owner\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`j-${i},Job host ${i},server,team-${i % 13}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('import jobs', () => {
  it('runs in a worker thread, reports progress events, and returns the result', async () => {
    expect(workerScript()).toMatchObject({ fromSource: true });
    const dir = tempDir();
    const svc = freshService(join(dir, 'cmdb.db'));
    const big = join(dir, 'big.csv');
    await bigCsv(big, 30_000);
    const events: ImportProgressEvent[] = [];
    svc.onEvent((e) => {
      if (e.type === 'import-progress') events.push(e);
    });
    const { jobId } = await ok(svc, 'startImport', { cis: { path: big } });
    const job = await svc.imports.waitForJob(jobId);
    expect(job.state).toBe('done');
    expect(job.result?.counts.created).toBe(30_000);
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.jobId === jobId)).toBe(true);
    const mid = events.find((e) => e.phase === 'applying')!;
    expect(mid.rowsDone).toBeGreaterThan(0);
    expect(mid.total).toBeGreaterThanOrEqual(mid.rowsDone);
    expect(mid.rate).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ phase: 'done', rowsDone: 30_000, total: 30_000 });
    // The service's own connection sees the worker's commit.
    expect((await ok(svc, 'stats', {})).cis).toBe(30_000);
    expect(await ok(svc, 'getImportJob', { jobId })).toMatchObject({ state: 'done' });
  });

  it('a worker started ahead of its job (the CLI does) runs the next job: one thread, the same result', async () => {
    const dir = tempDir();
    const big = join(dir, 'big.csv');
    await bigCsv(big, 2_000);
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    try {
      prewarmImportWorker();
      prewarmImportWorker(); // once is enough: a second call starts no other thread
      const handle = startImportJob(join(dir, 'warm.db'), null, { cis: { name: 'big.csv', path: big } });
      expect(handle.threaded).toBe(true);
      // The job reached the waiting worker as a message, not through a new thread's workerData.
      expect(posted.mock.calls.filter(([m]) => (m as { type?: string }).type === 'job')).toHaveLength(1);
      const warm = await handle.done;
      // The next job, with no worker waiting, starts its own thread.
      const cold = await startImportJob(join(dir, 'cold.db'), null, { cis: { name: 'big.csv', path: big } }).done;
      expect(posted.mock.calls.filter(([m]) => (m as { type?: string }).type === 'job')).toHaveLength(1);
      expect(warm.counts).toEqual(cold.counts);
      expect(warm.counts.created).toBe(2_000);
      const cisOf = (f: string) => {
        const db = new Database(join(dir, f), { readonly: true });
        const rows = db.prepare('SELECT id, key, name, type, owner FROM cis ORDER BY id').raw().all();
        db.close();
        return rows;
      };
      expect(cisOf('warm.db')).toEqual(cisOf('cold.db'));
    } finally {
      posted.mockRestore();
    }
  });

  it('says done once its thread has closed the CMDB (no WAL left) and the error report', async () => {
    const dir = tempDir();
    const path = join(dir, 'closed.db');
    const cis = join(dir, 'bad.csv');
    writeFileSync(cis, 'id,name,type\na,A,server\na,A again,server\nb,B,server\n');
    const errors = join(dir, 'errors.csv');
    const result = await startImportJob(path, null, { cis: { name: 'bad.csv', path: cis }, skipBadRows: true, errorsFile: errors }).done;
    expect(result.counts.created).toBe(2);
    // The caller may end the process now (the CLI does): nothing is left to write.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(readFileSync(errors, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('the CLI starts a warm planner only for a big import that names a relationships file', () => {
    const dir = tempDir();
    const big = join(dir, 'big.csv');
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'source,target,type\n');
    writeFileSync(big, '');
    truncateSync(big, PARALLEL_FROM_BYTES);
    expect(mayPlanRelationships(['--db', 'x.db', '--cis', big, '--relationships', small])).toBe(true);
    expect(mayPlanRelationships(['--cis', small, `--relationships=${big}`])).toBe(true);
    expect(mayPlanRelationships(['--cis', small, '--relationships', small])).toBe(false);
    // No relationships file: nothing to plan, however big the CIs file.
    expect(mayPlanRelationships(['--cis', big])).toBe(false);
    // A file that is not there counts as empty (the import says what is wrong).
    expect(mayPlanRelationships(['--relationships', join(dir, 'missing.csv')])).toBe(false);
    expect(mayPlanRelationships(['--relationships'])).toBe(false);
  });

  it('a cancel and the commit are decided once: a cancel that comes as the import commits is refused, not promised', async () => {
    const dir = tempDir();
    const cis = join(dir, 'c.csv');
    writeFileSync(cis, 'id,name,type\na,A,server\n');
    // The import asks the gate just before COMMIT: a cancel that came first wins, and nothing is written.
    const path = join(dir, 'gate.db');
    const db = openDatabase(path);
    try {
      await expect(runImport(db, { cis: { name: 'c.csv', path: cis }, claimCommit: () => false })).rejects.toMatchObject({
        code: 'CANCELLED',
      });
      expect(db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
      await runImport(db, { cis: { name: 'c.csv', path: cis }, claimCommit: () => true });
      expect(db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    // A job that has committed refuses a cancel (in a worker thread, and in-process).
    for (const where of ['thread', 'in-process'] as const) {
      const file = join(dir, `${where}.db`);
      const spec = { cis: { name: 'c.csv', path: cis } };
      const handle = where === 'thread' ? startImportJob(file, null, spec) : runInProcess(file, null, spec);
      expect((await handle.done).counts.created).toBe(1);
      expect(handle.cancel()).toBe(false);
    }
    // One cancelled before it commits says so, and rolls back.
    const early = startImportJob(join(dir, 'early.db'), null, { cis: { name: 'c.csv', path: cis } });
    expect(early.cancel()).toBe(true);
    await expect(early.done).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('cancel rolls the import back and leaves the database as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'cmdb.db');
    const svc = freshService(path);
    await ok(svc, 'importCsv', { cis: { path: DEMO_CIS }, relationships: { path: DEMO_RELS } });
    const before = dumpFile(path);
    const big = join(dir, 'big.csv');
    await bigCsv(big, 200_000);
    let cancelAsked = false;
    const { jobId } = await ok(svc, 'startImport', { cis: { path: big } });
    svc.onEvent((e) => {
      if (e.type === 'import-progress' && e.jobId === jobId && e.phase === 'applying' && !cancelAsked) {
        cancelAsked = true;
        void svc.call('cancelImport', { jobId });
      }
    });
    const job = await svc.imports.waitForJob(jobId);
    expect(cancelAsked).toBe(true);
    expect(job.state).toBe('cancelled');
    expect(job.error?.code).toBe('CANCELLED');
    expect(dumpFile(path)).toBe(before);
    expect(await ok(svc, 'cancelImport', { jobId })).toEqual({ cancelled: false });
    expect((await fails(svc, 'getImportJob', { jobId: 'nope' })).code).toBe('NOT_FOUND');
  });
});

describe('a worker that cannot start', () => {
  it('falls back to running the same import in-process', async () => {
    const dir = tempDir();
    const path = join(dir, 'cmdb.db');
    const svc = freshService(path);
    const broken = { url: new URL('data:text/javascript,throw new Error("no worker here")'), fromSource: false };
    const job = startImportJob(path, svc.db, { cis: { name: 'cis.csv', path: DEMO_CIS }, actor: 'test' }, undefined, broken);
    const r = await job.done;
    expect(r.counts.created).toBeGreaterThan(500);
    expect((await ok(svc, 'stats', {})).cis).toBe(r.counts.created);
  });
});

describe('the import commands', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('rejects a file with bad rows, writes the error report, then imports with --skip-bad-rows, lists and undoes', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const cis = join(dir, 'inventory.csv');
    writeFileSync(cis, 'Name;Class;Owned by\nalpha;Linux Server;ops\n;server;ops\nbeta;server;ops;extra\ngamma;server;dev\n');
    const errors = join(dir, 'errors.csv');
    const r = cmdb(['import', '--db', db, '--cis', cis, '--errors', errors]);
    expect(r.code).toBe(1);
    // Not on a terminal: the reason is one line on stderr (the rows are in the --errors report), nothing on stdout.
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^cmdb: inventory\.csv line 3, column Name: missing required value.*and 1 more row error/);
    // A safe CSV (for a spreadsheet) starts with the UTF-8 byte-order mark.
    expect(readFileSync(errors, 'utf8')).toBe(
      '\uFEFFfile,line,column,message\n' +
        'inventory.csv,3,Name,"missing required value: the CI name. Fill it in, or remove the row."\n' +
        'inventory.csv,4,,"ragged row: it has 4 fields but the header has 3. Check for a missing or extra delimiter, or an unquoted value that contains the delimiter."\n',
    );

    // A dry run fails as the import would: a script can check the file with it.
    const check = cmdb(['import', '--db', db, '--cis', cis, '--dry-run']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/would import CIs 2 created, 0 updated, 0 unchanged, 2 rejected/);
    expect(check.stdout).toContain('Row errors (the import would be rejected unless --skip-bad-rows):');
    expect(check.stderr).toBe(
      'cmdb: the import would be rejected: 2 row errors. Fix the rows, or run with --skip-bad-rows to import the others.\n',
    );

    const dry = cmdb(['import', '--db', db, '--cis', cis, '--dry-run', '--skip-bad-rows']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Row errors (the import would skip these rows):');
    expect(dry.stdout).toMatch(/Dry run \(upsert; nothing written\): would import CIs 2 created/);
    // `Linux Server` is a ServiceNow class label: a server.
    expect(dry.stdout).toMatch(/inventory\.csv:2 {2}create {4}server:alpha {2}type=server, name=alpha, owner=ops/);

    const good = cmdb(['import', '--db', db, '--cis', cis, '--skip-bad-rows', '--json']);
    expect(good.code, good.stderr).toBe(0);
    const res = JSON.parse(good.stdout) as ImportResult;
    expect(res.counts).toMatchObject({ created: 2, rejected: 2 });

    const list = cmdb(['imports', '--db', db]);
    expect(list.stdout).toMatch(new RegExp(`^${res.importId} +\\S+ \\S+ +upsert +inventory\\.csv +inventory\\.csv +2 `, 'm'));
    const undo = cmdb(['undo-import', String(res.importId), '--db', db]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/2 CIs removed/);
    const again = cmdb(['undo-import', String(res.importId), '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already undone/);
  });

  it('a dry run of a file whose group settings conflict fails as the import would, even with --skip-bad-rows (found by a tester)', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const cis = join(dir, 'cis.csv');
    writeFileSync(cis, 'id,name,type\nc,c,cluster\nh1,h1,server\nh2,h2,server\nh3,h3,server\n');
    const rels = join(dir, 'rels.csv');
    writeFileSync(rels, 'source,target,type,redundancy_group,min_up\nh1,c,member_of,c,2\nh2,c,member_of,c,3\nh3,c,member_of,c,2\n');
    const dry = cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels, '--dry-run', '--skip-bad-rows']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Row errors (the import would be refused as a whole, even with --skip-bad-rows):');
    expect(dry.stdout).toMatch(/rels\.csv:3 \[min_up\] +conflicting group settings: .* has min_up 2 \(line 2\) and here 3 \(line 3\)/);
    expect(dry.stderr).toBe(
      'cmdb: the import would be rejected: 1 row error. It refuses the whole import, even with --skip-bad-rows: fix the rows.\n',
    );
    const json = cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels, '--dry-run', '--skip-bad-rows', '--json']);
    expect((JSON.parse(json.stdout) as ImportResult).refusedWhole).toBe(true);
    const real = cmdb(['import', '--db', db, '--cis', cis, '--relationships', rels, '--skip-bad-rows']);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/refuses the whole import even when bad rows are skipped/);
    expect(existsSync(db)).toBe(false);
  });

  it('preview suggests a mapping, profiles save it, and import --profile uses it', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const cis = join(dir, 'export.csv');
    writeFileSync(cis, '\ufeffsys_id\tCI Name\tClass\tSupport group\tSerial\nx1\tweb01\tcmdb_ci_linux_server\tops\tS1\n');
    const mappingFile = join(dir, 'mapping.json');
    const p = cmdb(['preview', cis, '--write-mapping', mappingFile]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/a CIs file, encoding UTF-8, delimiter tab/);
    expect(JSON.parse(readFileSync(mappingFile, 'utf8'))).toEqual({
      cis: { id: 'sys_id', name: 'CI Name', type: 'Class', owner: 'Support group' },
    });
    expect(cmdb(['profiles', 'save', 'snow', mappingFile, '--db', db]).code).toBe(0);
    expect(cmdb(['profiles', '--db', db]).stdout).toMatch(/^snow /m);
    const imp = cmdb(['import', '--db', db, '--cis', cis, '--profile', 'snow', '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const show = cmdb(['show', 'x1', '--db', db, '--json']);
    expect(JSON.parse(show.stdout).ci).toMatchObject({ name: 'web01', type: 'server', owner: 'ops', attributes: { Serial: 'S1' } });
    // Deleting one that is there, then again: the second is a failure, said on stderr.
    expect(cmdb(['profiles', 'delete', 'snow', '--db', db]).stdout).toContain('Deleted mapping profile "snow".');
    const again = cmdb(['profiles', 'delete', 'snow', '--db', db]);
    expect([again.code, again.stderr.trim()]).toEqual([
      1,
      `cmdb: No mapping profile named "snow". List them with: cmdb profiles list --db ${db}`,
    ]);
  });

  it('--save-profile saves with an import that was written, not with a dry run or a rejected import', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS]).code).toBe(0);
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ cis: { name: 'Host' } }));
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'id,Host,type\nh1,Host 1,server\n');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,Host,type\nh2,Host 2,server\nh2,Host 2 again,server\n');
    const profiles = () => cmdb(['profiles', '--db', db]).stdout;
    const dry = cmdb(['import', '--db', db, '--cis', good, '--mapping', mapping, '--save-profile', 'p1', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('the mapping was not saved as profile "p1": a dry run writes nothing.');
    expect(cmdb(['import', '--db', db, '--cis', bad, '--mapping', mapping, '--save-profile', 'p2']).code).toBe(1);
    expect(profiles()).not.toMatch(/^p[12] /m);
    expect(cmdb(['import', '--db', db, '--cis', good, '--mapping', mapping, '--save-profile', 'p3']).code).toBe(0);
    expect(profiles()).toMatch(/^p3 /m);
  });

  it('preview and dry run keep a cell with line breaks on its row', () => {
    const dir = tempDir();
    const cis = join(dir, 'export.csv');
    writeFileSync(cis, 'id;name;type\r\nA-1;"Two\r\nlines";server\r\nA-2;Plain;server\r\n');
    const p = cmdb(['preview', cis]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/^A-1\s+Two ↵ lines\s+server$/m);
    const dry = cmdb(['import', '--db', join(dir, 'c.db'), '--cis', cis, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}export\.csv:2 {2}create {4}A-1 {2}type=server, name=Two ↵ lines$/m);
  });
});
