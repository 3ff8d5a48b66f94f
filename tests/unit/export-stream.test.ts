/**
 * Large answers are streamed: the export is read page by page from one
 * snapshot and written as it is made, to files (CLI, desktop) or to the web
 * host's client, which gets the same envelope as a plain call. Other
 * requests are answered meanwhile, and a client that leaves stops it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Door, MethodName } from '../../shared/api.js';
import { exportChunks } from '../../electron/cmdb/export.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { startWebHost, type WebHost } from '../../electron/web/server.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

const N = 4500; // more than two pages of rows

let dir: string;
let svc: CmdbService;

beforeAll(async () => {
  dir = tempDir('cmdb-export-stream-');
  svc = freshService(join(dir, 'cmdb.db'), 'test');
  const cis = ['id,name,type,rack,note'];
  for (let i = 0; i < N; i++) cis.push(`ci-${i},Server ${i},server,${i % 7 === 0 ? '' : `r${i % 40}`},${i === 4321 ? '" spaced "' : 'n'}`);
  const rels = ['source,target,type'];
  for (let i = 1; i < N; i++) rels.push(`ci-${i},ci-${i - 1},depends_on`);
  writeFileSync(join(dir, 'cis.csv'), cis.join('\n'));
  writeFileSync(join(dir, 'rels.csv'), rels.join('\n'));
  await ok(svc, 'importCsv', { cis: { path: join(dir, 'cis.csv') }, relationships: { path: join(dir, 'rels.csv') } });
  // A value a column cannot carry exactly (cells are read trimmed), on a row deep in a later page.
  const late = await ok(svc, 'getCi', { key: 'ci-4321' });
  await ok(svc, 'updateCi', { key: 'ci-4321', fields: { attributes: { ...late.ci.attributes, note: ' spaced ' } } });
});

describe('exportChunks', () => {
  it('reads page by page and writes every row once, in order, with one header per file', async () => {
    const parts: Record<string, string[]> = { cis: [], relationships: [] };
    const rows = { cis: 0, relationships: 0 };
    for await (const c of exportChunks(svc.db, {}, rows)) parts[c.part]!.push(c.text);
    expect(parts.cis!.length).toBeGreaterThan(3); // header + at least three pages
    expect(rows).toEqual({ cis: N, relationships: N - 1 });
    const lines = parts.cis!.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFFid,name,type,status,environment,owner,criticality,description,note,rack,attributes_json');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(Array.from({ length: N }, (_, i) => `ci-${i}`));
    // The spaced value cannot ride in its column: it goes to attributes_json, decided before the first row was written.
    expect(lines[4322]).toContain('"{""note"":"" spaced ""}"');
  });

  it('reads one snapshot: an edit made while it streams does not show in it', async () => {
    const seen: string[] = [];
    let edited = false;
    for await (const c of exportChunks(svc.db)) {
      if (!edited) {
        await ok(svc, 'createCi', { key: 'zz-late', fields: { name: 'Late', type: 'server' } });
        edited = true;
      }
      seen.push(c.text);
    }
    expect(seen.join('')).not.toContain('zz-late');
    await ok(svc, 'deleteCi', { key: 'zz-late' });
  });

  it('stops when its signal aborts', async () => {
    const stop = new AbortController();
    const gen = exportChunks(svc.db, {}, undefined, stop.signal);
    await gen.next();
    stop.abort();
    await expect(gen.next()).rejects.toThrow();
  });
});

describe('exportCsvFiles', () => {
  it('writes the same files as exportCsv, streamed', async () => {
    const whole = await ok(svc, 'exportCsv', { exact: true });
    const files = { cis: join(dir, 'out-cis.csv'), relationships: join(dir, 'out-rels.csv') };
    const r = await ok(svc, 'exportCsvFiles', { ...files, exact: true });
    expect(r.rows).toEqual(whole.rows);
    expect(readFileSync(files.cis, 'utf8')).toBe(whole.cis);
    expect(readFileSync(files.relationships, 'utf8')).toBe(whole.relationships);
  });

  it('says in words why a path cannot be written, before reading anything', async () => {
    mkdirSync(join(dir, 'a-folder'));
    expect((await fails(svc, 'exportCsvFiles', { cis: join(dir, 'nope', 'x.csv') })).message).toContain('no such file or folder');
    expect((await fails(svc, 'exportCsvFiles', { cis: join(dir, 'a-folder') })).message).toContain('is a folder');
  });

  it('is closed to the pages: they cannot name files to write', async () => {
    for (const door of ['web', 'renderer'] as const) {
      expect((await fails(svc, 'exportCsvFiles', { cis: '/tmp/x.csv' }, door)).code).toBe('UNTRUSTED_SENDER');
    }
  });
});

describe('web host: exportCsv streams', () => {
  let host: WebHost;
  const started: MethodName[] = [];
  const finished: boolean[] = [];
  /** The service's stream, noting whether it ran to its end. */
  async function* watched(pieces: AsyncIterable<string>): AsyncGenerator<string> {
    const i = finished.push(false) - 1;
    for await (const p of pieces) yield p;
    finished[i] = true;
  }
  beforeAll(async () => {
    mkdirSync(join(dir, 'static'), { recursive: true });
    writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html>');
    const service = {
      call: (m: MethodName, b: unknown, d: Door, s?: AbortSignal) => svc.call(m, b, d, s),
      stream: (m: MethodName, b: unknown, d: Door, s?: AbortSignal) => (started.push(m), watched(svc.stream(m, b, d, s))),
    };
    host = await startWebHost({ service, staticDir: join(dir, 'static') });
  });
  afterAll(() => host.close());

  function post(method: string, body: unknown, onData?: (req: ReturnType<typeof request>) => void) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((done, fail) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'POST', path: `/api/${method}`, headers: { 'X-CMDB-Token': host.token } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            onData?.(req);
          });
          res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => done({ status: -1, headers: {}, body: '' }));
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify(body));
    });
  }

  it('answers with the same envelope as a plain call, sent as it is made (no Content-Length)', async () => {
    const streamed = await post('exportCsv', { exact: true });
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-length']).toBeUndefined();
    expect(JSON.parse(streamed.body)).toEqual(await svc.call('exportCsv', { exact: true }));
    expect(started).toContain('exportCsv');
  });

  it('refuses a bad request with an error envelope', async () => {
    expect(JSON.parse((await post('exportCsv', { exact: 'yes' })).body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('answers other requests while an export streams, and stops the export when its client leaves', async () => {
    let statsDuring: Promise<{ status: number }> | null = null;
    const left = post('exportCsv', {}, (req) => {
      statsDuring ??= post('stats', {});
      req.destroy();
    }).catch(() => ({ status: -1 }));
    await left;
    expect((await statsDuring!).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(finished.at(-1)).toBe(false);
  });
});
