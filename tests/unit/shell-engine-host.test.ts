/**
 * The engine worker thread the Electron main process talks to, run in plain
 * Node. The worker is bundled the way scripts/build-node.mjs bundles it.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CmdbEvent } from '../../shared/events.js';
import { announceWriter } from '../../electron/cmdb/holder.js';
import { EngineHost } from '../../electron/engine-host.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-engine-'));
// Inside the project, so the bundle's external packages resolve from node_modules.
const outDir = mkdtempSync(join(resolve('node_modules'), '.cmdb-test-engine-'));
const workerFile = join(outDir, 'engine-worker.mjs');
const execArgv: string[] = [];

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ['electron/engine-worker.ts'],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe('EngineHost', () => {
  it('creates a CMDB in a worker, answers calls with envelopes, and closes', async () => {
    const path = join(dir, 'new.cmdb');
    const host = await EngineHost.start({ workerFile, execArgv, mode: 'create', path, source: 'ui' });
    expect(host).toMatchObject({ path, created: true });
    const created = await host.call('createCi', { key: 'w-1', fields: { name: 'Worker one', type: 'server' } }, 'renderer');
    expect(created).toMatchObject({ ok: true, value: { key: 'w-1' } });
    // Calls run in order and concurrently queued ones all answer.
    const answers = await Promise.all([
      host.call('stats', {}, 'renderer'),
      host.call('getCi', { key: 'nope' }, 'renderer'),
      host.call('listCis', { limit: 0 }, 'renderer'),
    ]);
    expect(answers[0]).toMatchObject({ ok: true, value: { cis: 1 } });
    expect(answers[1]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(answers[2]).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await host.close();
    expect(await host.call('stats', {}, 'renderer')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('refuses to create over an existing file and to open a file that is not a CMDB, with typed errors', async () => {
    const existing = join(dir, 'exists.cmdb');
    writeFileSync(existing, 'this is not sqlite at all, just text');
    await expect(EngineHost.start({ workerFile, execArgv, mode: 'create', path: existing, source: 'ui' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(EngineHost.start({ workerFile, execArgv, mode: 'open', path: existing, source: 'ui' })).rejects.toMatchObject({
      code: 'DB_CORRUPT',
    });
    await expect(
      EngineHost.start({ workerFile, execArgv, mode: 'open', path: join(dir, 'missing.cmdb'), source: 'ui' }),
    ).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
    });
  });

  it('answers a write that finds the CMDB held by an import quickly with BUSY naming it, and keeps answering', async () => {
    const path = join(dir, 'held.cmdb');
    const host = await EngineHost.start({ workerFile, execArgv, mode: 'create', path, source: 'ui' });
    // Another process's import: a write transaction of its own, announced beside the file.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const writer = announceWriter(path, { what: 'an import of cis.csv', door: 'cmdb import', cancel: 'Ctrl-C where cmdb import runs' });
    try {
      const t = performance.now();
      const [created, stats] = await Promise.all([
        host.call('createCi', { key: 'w-2', fields: { name: 'Worker two', type: 'server' } }, 'renderer'),
        host.call('stats', {}, 'renderer'),
      ]);
      expect(performance.now() - t).toBeLessThan(2000);
      expect(created).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect(!created.ok && created.error.message).toMatch(/^The CMDB is busy: an import of cis\.csv \(cmdb import, process \d+, started /);
      expect(stats).toMatchObject({ ok: true, value: { cis: 0 } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
      writer.end();
      await host.close();
    }
  });

  it('forwards engine events from the worker', async () => {
    const host = await EngineHost.start({ workerFile, execArgv, mode: 'create', path: join(dir, 'events.cmdb'), source: 'ui' });
    const seen: CmdbEvent[] = [];
    host.onEvent((e) => seen.push(e));
    try {
      const r = await host.call('importCsv', { cis: { name: 'c.csv', content: 'id,name,type\na,A,server\n' } }, 'renderer');
      expect(r).toMatchObject({ ok: true });
      // A background import reports its end as an event: it must arrive through the host, for this job.
      const finished = new Promise<CmdbEvent>((resolveEvent, reject) => {
        const timer = setTimeout(() => reject(new Error(`no import-progress 'done' event arrived; saw ${JSON.stringify(seen)}`)), 20_000);
        host.onEvent((e) => {
          if (e.type === 'import-progress' && (e.phase === 'done' || e.phase === 'failed')) {
            clearTimeout(timer);
            resolveEvent(e);
          }
        });
      });
      const started = await host.call(
        'startImport',
        { cis: { name: 'd.csv', content: 'id,name,type\nb,B,server\nc,C,server\n' } },
        'renderer',
      );
      if (!started.ok) throw new Error(`startImport failed: ${started.error.message}`);
      const { jobId } = started.value as { jobId: string };
      const done = await finished;
      expect(done).toMatchObject({ type: 'import-progress', jobId, phase: 'done', rowsDone: 2, total: 2 });
      expect(seen.length).toBeGreaterThan(0);
      for (const e of seen) expect(typeof e.type).toBe('string');
      expect(await host.call('stats', {}, 'renderer')).toMatchObject({ ok: true, value: { cis: 3 } });
    } finally {
      await host.close();
    }
  });
});
