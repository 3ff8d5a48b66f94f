/**
 * `cmdb import` goes through the service's startImport, as the app does: the
 * job streams its row errors to a file the local door names (no page may),
 * its events carry the bytes read (the CLI's progress bar), and a one-command
 * door's service gives the job the file alone.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportProgressEvent } from '../../shared/events.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { dropWarmWorkers, importWorkerWaits } from '../../electron/cmdb/import/warm-worker.js';
import { fails, ok, tempDir } from './helpers.js';

describe('startImport for a local door', () => {
  it('streams row errors to errorsFile, reports bytes in its events, and with exclusiveJobs lets go of the file', async () => {
    const dir = tempDir('cmdb-jobs-');
    const cis = join(dir, 'cis.csv');
    writeFileSync(cis, 'id,name,type\na,Alpha,server\nb,,server\nc,Gamma,server\n');
    const svc = CmdbService.open(join(dir, 'cmdb.db'), { source: 'cli', exclusiveJobs: true });
    try {
      const events: ImportProgressEvent[] = [];
      const ended = new Promise<void>((go) =>
        svc.onEvent((e) => {
          if (e.type !== 'import-progress') return;
          events.push(e);
          if (e.phase === 'done' || e.phase === 'failed') go();
        }),
      );
      const errorsFile = join(dir, 'errors.csv');
      const { jobId } = await ok(svc, 'startImport', { cis: { path: cis }, skipBadRows: true, errorsFile });
      expect(svc.db.open).toBe(false); // the job has the file alone
      await ended;
      const job = await ok(svc, 'getImportJob', { jobId });
      expect(job.state).toBe('done');
      expect(job.result?.counts).toMatchObject({ created: 2, rejected: 1 });
      expect(readFileSync(errorsFile, 'utf8')).toMatch(/^\uFEFFfile,line,column,message\n.*cis\.csv,3,name,/);
      const running = events.filter((e) => e.phase !== 'done');
      expect(running.length).toBeGreaterThan(0);
      expect(running.some((e) => e.file === 'cis.csv')).toBe(true);
      expect(running.at(-1)).toMatchObject({ bytesTotal: statSync(cis).size });
      expect(running.at(-1)?.bytesDone).toBeGreaterThan(0);
    } finally {
      svc.close();
    }
  });

  it('a page may not name a file to write', async () => {
    const svc = CmdbService.open(':memory:', { source: 'web' });
    try {
      for (const door of ['web', 'renderer'] as const) {
        const e = await fails(svc, 'startImport', { cis: { name: 'a.csv', content: 'id,name,type\n' }, errorsFile: '/tmp/x.csv' }, door);
        expect(e).toMatchObject({ code: 'UNTRUSTED_SENDER', message: expect.stringContaining('file to write') });
      }
    } finally {
      svc.close();
    }
  });
});

describe('the import thread started at the preview', () => {
  it("a file previewed in the app or web host has its import's thread loading (a 6-row import waited 0.3 s for it); not the CLI's one command", async () => {
    const dir = tempDir('cmdb-warm-');
    const cis = join(dir, 'cis.csv');
    writeFileSync(cis, 'id,name,type\na,Alpha,server\nb,Beta,server\n');
    await dropWarmWorkers();
    const cli = CmdbService.open(join(dir, 'cli.db'), { source: 'cli', exclusiveJobs: true });
    try {
      await ok(cli, 'previewCsv', { file: { path: cis } });
      expect(importWorkerWaits()).toBe(false);
    } finally {
      cli.close();
    }
    const app = CmdbService.open(join(dir, 'app.db'), { source: 'app' });
    try {
      await ok(app, 'previewCsv', { file: { path: cis } });
      expect(importWorkerWaits()).toBe(true);
      // The import takes it, and runs on it.
      const { jobId } = await ok(app, 'startImport', { cis: { path: cis } });
      expect(importWorkerWaits()).toBe(false);
      const job = await app.imports.waitForJob(jobId);
      expect(job.state).toBe('done');
      expect(job.result?.counts).toMatchObject({ created: 2 });
    } finally {
      app.close();
      await dropWarmWorkers();
    }
  });
});
