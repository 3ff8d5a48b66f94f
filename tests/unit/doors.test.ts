/**
 * Which door may name a file: the contract's policy, applied by the service
 * for every host. A page (the web host's, the app's renderer) never makes the
 * engine read a path; it uploads bytes, which the engine decodes itself.
 * Only the CLI and the host processes open files by path, and only regular
 * CSV files (a FIFO named .csv is refused at once, not waited on).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Door, doorRefusal, LOCAL_DOORS, type MethodName } from '../../shared/api.js';
import type { FileRef } from '../../shared/import.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { startWebHost, type WebHost } from '../../electron/web/server.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

const PAGES: Door[] = ['renderer', 'web'];

describe('the contract: paths only from the local doors', () => {
  const byPath = { path: '/home/me/cis.csv' };
  const cases: Array<[MethodName, Record<string, unknown>]> = [
    ['previewCsv', { file: byPath }],
    ['importCsv', { cis: byPath }],
    ['importCsv', { relationships: byPath }],
    ['startImport', { cis: byPath }],
    ['openFile', { path: '/home/me/cis.csv' }],
  ];

  it.each(cases)('%s with a path is refused from the pages and taken from the CLI and the host process', (method, req) => {
    for (const door of PAGES) expect(doorRefusal(method, door, req)).toMatch(/file path|not available/);
    for (const door of LOCAL_DOORS) expect(doorRefusal(method, door, req)).toBeNull();
  });

  it('content and file ids pass every door', () => {
    for (const door of [...PAGES, ...LOCAL_DOORS]) {
      expect(doorRefusal('importCsv', door, { cis: { name: 'a.csv', content: 'x' } })).toBeNull();
      expect(doorRefusal('previewCsv', door, { file: { fileId: 'f-1' } })).toBeNull();
    }
  });

  it('says what to do instead, per door', () => {
    expect(doorRefusal('previewCsv', 'web', { file: byPath })).toContain('Upload the file');
    expect(doorRefusal('previewCsv', 'renderer', { file: byPath })).toContain('File > Import CSV');
  });
});

describe('the service applies the policy to every call', () => {
  let dir: string;
  let secret: string;
  beforeAll(() => {
    dir = tempDir('cmdb-doors-');
    secret = join(dir, 'secret.key');
    writeFileSync(secret, 'id,name,type\nroot-secret,Root password hunter2,server\n');
    symlinkSync(secret, join(dir, 'passwd.csv'));
  });

  it('refuses a path from a page before reading anything, even through a symlink named .csv', async () => {
    const web = freshService(':memory:', 'web');
    for (const door of PAGES) {
      const e = await fails(web, 'previewCsv', { file: { path: join(dir, 'passwd.csv') } }, door);
      expect(e.code).toBe('UNTRUSTED_SENDER');
      expect(JSON.stringify(e)).not.toContain('hunter2');
      expect((await fails(web, 'importCsv', { cis: { path: join(dir, 'passwd.csv') } }, door)).code).toBe('UNTRUSTED_SENDER');
      expect((await fails(web, 'startImport', { cis: { path: join(dir, 'passwd.csv') } }, door)).code).toBe('UNTRUSTED_SENDER');
      expect((await fails(web, 'openFile', { path: join(dir, 'passwd.csv') }, door)).code).toBe('UNTRUSTED_SENDER');
    }
    expect((await ok(web, 'stats', {}, 'web')).cis).toBe(0);
  });

  it("a service's own door is the least trusted one of its host: the web host's and the app's take calls from pages", async () => {
    for (const source of ['web', 'ui']) {
      const svc = freshService(':memory:', source);
      const r = await svc.call('previewCsv', { file: { path: join(dir, 'passwd.csv') } });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    }
  });

  it('a FIFO named .csv is refused at once from the CLI, not waited on', async () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const svc = freshService();
    const started = Date.now();
    const e = await fails(svc, 'previewCsv', { file: { path: fifo } });
    expect(e).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(e.message).toContain('not a regular file');
    expect((await fails(svc, 'importCsv', { cis: { path: fifo } })).message).toContain('not a regular file');
    expect((await fails(svc, 'openFile', { path: fifo }, 'main')).message).toContain('not a regular file');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a folder named .csv, a missing file and a non-CSV name get clear errors', async () => {
    const svc = freshService();
    mkdirSync(join(dir, 'folder.csv'));
    expect((await fails(svc, 'openFile', { path: join(dir, 'folder.csv') })).message).toContain('is a folder');
    expect((await fails(svc, 'openFile', { path: join(dir, 'nope.csv') })).code).toBe('FILE_NOT_FOUND');
    expect((await fails(svc, 'openFile', { path: secret })).message).toContain('not a CSV file');
  });

  it('a file opened by the host process is previewed and imported by id from a page, and an unknown id is refused', async () => {
    const svc = freshService(':memory:', 'ui');
    const file = join(dir, 'cis.csv');
    writeFileSync(file, 'id,name,type\na,Alpha,server\nb,Beta,server\n');
    const ref = await ok(svc, 'openFile', { path: file }, 'main');
    expect(ref).toMatchObject({ name: 'cis.csv', size: 42 });
    expect((await ok(svc, 'previewCsv', { file: { fileId: ref.fileId } }, 'renderer')).rows).toHaveLength(2);
    expect((await ok(svc, 'importCsv', { cis: { fileId: ref.fileId } }, 'renderer')).counts.created).toBe(2);
    expect((await fails(svc, 'previewCsv', { file: { fileId: 'f-made-up' } }, 'renderer')).code).toBe('NOT_FOUND');
  });

  it('uploads (temporary files) are deleted when the service closes; files the user owns are not', async () => {
    const own = join(dir, 'mine.csv');
    writeFileSync(own, 'id,name,type\na,A,server\n');
    const upDir = join(dir, 'uploads');
    mkdirSync(upDir);
    writeFileSync(join(upDir, 'up.csv'), 'id,name,type\na,A,server\n');
    const svc = CmdbService.open(':memory:', { source: 'web' });
    await ok(svc, 'openFile', { path: own }, 'main');
    await ok(svc, 'openFile', { path: join(upDir, 'up.csv'), temporary: true }, 'main');
    svc.close();
    expect(readdirSync(upDir)).toEqual([]);
    expect(readdirSync(dir)).toContain('mine.csv');
  });
});

/** A raw HTTP request to the host (body as bytes). */
function send(
  host: WebHost,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'POST', path, headers: { 'X-CMDB-Token': host.token, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

describe('the web host: uploads instead of paths', () => {
  let dir: string;
  let service: CmdbService;
  let host: WebHost;
  beforeAll(async () => {
    dir = tempDir('cmdb-web-doors-');
    mkdirSync(join(dir, 'static'));
    writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>t</title>');
    service = CmdbService.open(join(dir, 'web.db'), { source: 'web' });
    host = await startWebHost({ service, staticDir: join(dir, 'static'), bodyLimits: { upload: 64 * 1024 } });
  });
  afterAll(async () => {
    await host.close();
    service.close();
  });
  const api = async (method: string, body: unknown) =>
    JSON.parse((await send(host, `/api/${method}`, JSON.stringify(body))).body) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    };

  it('refuses a path over HTTP, for each method that takes files', async () => {
    for (const [method, body] of [
      ['previewCsv', { file: { path: '/etc/passwd.csv' } }],
      ['importCsv', { cis: { path: '/etc/passwd.csv' } }],
      ['startImport', { cis: { path: '/etc/passwd.csv' } }],
      ['openFile', { path: '/etc/passwd.csv' }],
    ] as const) {
      expect(await api(method, body)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    }
  });

  it('takes an upload as raw bytes and lets the engine detect its encoding (Windows-1252 here)', async () => {
    const bytes = Buffer.from('id,name,type\r\ncafe,Caf\xe9 M\xfcller,server\r\n', 'latin1');
    const up = await send(host, '/api/upload?name=caf%C3%A9.csv', bytes, { 'Content-Type': 'application/octet-stream' });
    expect(up.status).toBe(200);
    const ref = (JSON.parse(up.body) as { value: FileRef }).value;
    expect(ref).toMatchObject({ name: 'café.csv', size: bytes.length });
    const preview = (await api('previewCsv', { file: { fileId: ref.fileId } })) as { value: { encoding: string; rows: string[][] } };
    expect(preview.value.encoding).toBe('windows1252');
    expect(preview.value.rows[0]).toEqual(['cafe', 'Café Müller', 'server']);
    expect(await api('importCsv', { cis: { fileId: ref.fileId } })).toMatchObject({ ok: true, value: { counts: { created: 1 } } });
  });

  it('stores an upload under a name of its own: a name of 260 bytes (130 "é") is taken, and the import names it', async () => {
    const name = `${'é'.repeat(130)}.CSV`;
    const up = await send(host, `/api/upload?name=${encodeURIComponent(name)}`, 'id,name,type\nlong,Long,server\n');
    expect(up.status, up.body).toBe(200);
    const ref = (JSON.parse(up.body) as { value: FileRef }).value;
    expect(ref.name).toBe(name);
    expect(await api('importCsv', { cis: { fileId: ref.fileId } })).toMatchObject({ ok: true, value: { counts: { created: 1 } } });
    const log = (await api('listImports', {})) as { value: { items: Array<{ files: string[] }> } };
    expect(log.value.items.map((i) => i.files)).toContainEqual([name]);
  });

  it("takes an inline file's name by the uploads' rule: a path is not a name the import log may show (found by a security review)", async () => {
    const content = 'id,name,type\nw1,W1,server\n';
    for (const name of ['/etc/shadow', '/etc/shadow.csv', '..\\x.csv', 'a\nb.csv', 'notes', '']) {
      for (const [method, body] of [
        ['importCsv', { cis: { name, content } }],
        ['importCsv', { relationships: { name, content: 'source,target,type\n' } }],
        ['previewCsv', { file: { name, content } }],
        ['startImport', { cis: { name, content } }],
      ] as const) {
        const r = await api(method, body);
        expect(r, `${method} ${JSON.stringify(name)}`).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
        expect(r.error!.message).toContain('a CSV file name (ending in .csv, .tsv or .txt), without folders');
      }
    }
    const log = (await api('listImports', {})) as { value: { items: Array<{ files: string[] }> } };
    expect(log.value.items.flatMap((i) => i.files).filter((f) => f.includes('shadow'))).toEqual([]);
    expect(await api('importCsv', { cis: { name: 'shadow.csv', content } })).toMatchObject({ ok: true });
  });

  it('refuses uploads that are not CSV names, carry folders, or pass the limit, and keeps nothing of them', async () => {
    for (const name of ['passwd', '..%2Fx.csv', 'a%2Fb.csv', '', 'a%0A.csv', 'a%1B%5B31m.csv']) {
      const r = await send(host, `/api/upload?name=${name}`, 'a,b\n');
      expect(r.status, name).toBe(400);
    }
    const big = await send(host, '/api/upload?name=big.csv', Buffer.alloc(65 * 1024, 0x61));
    expect(big.status).toBe(413);
    expect(big.body).toContain('cmdb import');
    const noToken = await send(host, '/api/upload?name=a.csv', 'a\n', { 'X-CMDB-Token': 'x'.repeat(64) });
    expect(noToken.status).toBe(401);
  });
});
