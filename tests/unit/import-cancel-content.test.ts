/**
 * Cancelling a background import of CSV given as text (the app's import
 * wizard sends file contents, not paths): the worker must see the cancel
 * while it is busy in synchronous SQLite work, and the database must be left
 * exactly as it was.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpFile, freshService, ok, tempDir, DEMO_CIS, DEMO_RELS } from './helpers.js';

function bigCsvText(rows: number): string {
  const lines = ['id;name;type;owner'];
  for (let i = 0; i < rows; i++) lines.push(`c-${i};Content host ${i};server;team-${i % 11}`);
  return lines.join('\n') + '\n';
}

describe('cancel of an import given as content', () => {
  it('stops the worker mid-way and leaves the database unchanged', async () => {
    const dir = tempDir();
    const path = join(dir, 'cmdb.db');
    const svc = freshService(path);
    await ok(svc, 'importCsv', { cis: { path: DEMO_CIS }, relationships: { path: DEMO_RELS } });
    const before = dumpFile(path);
    const { jobId } = await ok(svc, 'startImport', { cis: { name: 'big.csv', content: bigCsvText(150_000) } });
    let progressAtCancel = -1;
    svc.onEvent((e) => {
      if (e.type === 'import-progress' && e.jobId === jobId && e.rowsDone > 0 && progressAtCancel < 0) {
        progressAtCancel = e.rowsDone;
        void svc.call('cancelImport', { jobId });
      }
    });
    const job = await svc.imports.waitForJob(jobId);
    expect(progressAtCancel).toBeGreaterThan(0);
    expect(job.state).toBe('cancelled');
    // It stopped well before the end, not after applying everything.
    expect(job.rowsDone).toBeLessThan(150_000);
    expect(dumpFile(path)).toBe(before);
    svc.close();
  });
});
