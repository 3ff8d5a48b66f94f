/**
 * Edits made elsewhere (electron/cmdb/elsewhere.ts): a commit by another
 * connection to the open CMDB (the `cmdb` CLI, another window) is told to the
 * watching host as `cmdb-edited-elsewhere`, and so is a baseline saved or
 * deleted elsewhere; the service's own edits, imports (which commit on
 * connections of their own) and baselines are not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CmdbEvent } from '../../shared/events.js';
import { CmdbService } from '../../electron/cmdb/service.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-elsewhere-'));
const path = join(dir, 'cmdb.db');
const app = CmdbService.open(path, { source: 'ui' });
const cli = CmdbService.open(path, { source: 'cli' });
afterAll(() => {
  app.close();
  cli.close();
  rmSync(dir, { recursive: true, force: true });
});

const POLL_MS = 25;
/** Long enough for several polls. */
const settle = () => new Promise((r) => setTimeout(r, POLL_MS * 8));

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('edits made elsewhere', () => {
  it('tells the watcher of another connection’s commit, not of its own edits and imports, and stops when asked', async () => {
    const seen: CmdbEvent[] = [];
    app.onEvent((e) => seen.push(e));
    const stop = app.watchEditsElsewhere(POLL_MS);
    const edited = () => seen.filter((e) => e.type === 'cmdb-edited-elsewhere');

    await ok(app.call('createCi', { key: 'own-1', fields: { name: 'Own one', type: 'server' } }, 'renderer'));
    await ok(app.call('importCsv', { cis: { name: 'own.csv', content: 'id,name,type\nown-2,Own two,server\n' } }, 'renderer'));
    const job = await ok(
      app.call('startImport', { cis: { name: 'own3.csv', content: 'id,name,type\nown-3,Own three,server\n' } }, 'renderer'),
    );
    await app.imports.waitForJob(job.jobId);
    await settle();
    expect(edited()).toEqual([]);

    await ok(cli.call('createCi', { key: 'cli-1', fields: { name: 'From the CLI', type: 'server' } }));
    await settle();
    expect(edited()).toEqual([{ type: 'cmdb-edited-elsewhere', path }]);

    // A second watcher shares the poll; the poll ends with the last one.
    const stop2 = app.watchEditsElsewhere(POLL_MS);
    stop();
    stop();
    await ok(cli.call('createCi', { key: 'cli-2', fields: { name: 'Again', type: 'server' } }));
    await settle();
    expect(edited()).toHaveLength(2);
    stop2();
    await ok(cli.call('createCi', { key: 'cli-3', fields: { name: 'Unwatched', type: 'server' } }));
    await settle();
    expect(edited()).toHaveLength(2);
  });

  it('tells of a baseline saved or deleted elsewhere (a file beside the CMDB, not a commit), not of its own', async () => {
    const seen: CmdbEvent[] = [];
    const off = app.onEvent((e) => seen.push(e));
    const stop = app.watchEditsElsewhere(POLL_MS);
    const edited = () => seen.filter((e) => e.type === 'cmdb-edited-elsewhere').length;
    try {
      await ok(app.call('saveBaseline', { name: 'own-1', note: null }, 'renderer'));
      await ok(app.call('deleteBaseline', { name: 'own-1' }, 'renderer'));
      await ok(app.call('saveBaseline', { name: 'own-2', note: null }, 'renderer'));
      await settle();
      expect(edited()).toBe(0);

      await ok(cli.call('saveBaseline', { name: 'from-cli', note: null }));
      await settle();
      expect(edited()).toBe(1);
      // Its own save after it: no news, though the folder also holds the other's.
      await ok(app.call('saveBaseline', { name: 'own-3', note: null }, 'renderer'));
      await settle();
      expect(edited()).toBe(1);
      await ok(cli.call('deleteBaseline', { name: 'from-cli' }));
      await settle();
      expect(edited()).toBe(2);
      // One of its own deleted elsewhere, then saved again elsewhere under the same name: a new file, news each time.
      await ok(cli.call('deleteBaseline', { name: 'own-2' }));
      await settle();
      expect(edited()).toBe(3);
      await ok(cli.call('saveBaseline', { name: 'own-2', note: 'again' }));
      await settle();
      expect(edited()).toBe(4);
    } finally {
      stop();
      off();
    }
  });
});
