/**
 * exportImpact through the web host: the page asks for the whole impacted
 * list as a file, and gets it as it is made (no Content-Length), the same
 * envelope as a plain call; an unknown CI is an error envelope.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Door, MethodName } from '../../shared/api.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { startWebHost, type WebHost } from '../../electron/web/server.js';
import { demoCsv, freshService, ok, tempDir } from './helpers.js';

let svc: CmdbService;
let host: WebHost;
const streamed: MethodName[] = [];

beforeAll(async () => {
  svc = freshService();
  await ok(svc, 'importCsv', demoCsv());
  const dir = tempDir('cmdb-report-web-');
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html>');
  const service = {
    call: (m: MethodName, b: unknown, d: Door, s?: AbortSignal) => svc.call(m, b, d, s),
    stream: (m: MethodName, b: unknown, d: Door, s?: AbortSignal) => (streamed.push(m), svc.stream(m, b, d, s)),
  };
  host = await startWebHost({ service, staticDir: join(dir, 'static') });
});
afterAll(() => {
  host.close();
  svc.close();
});

function post(method: string, body: unknown) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'POST', path: `/api/${method}`, headers: { 'X-CMDB-Token': host.token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

describe('web host: exportImpact', () => {
  it('streams every impacted CI as CSV, the same envelope as a call', async () => {
    const body = { request: { keys: ['db-orders-primary'], limit: 5 }, format: 'csv' };
    const r = await post('exportImpact', body);
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBeUndefined();
    expect(streamed).toContain('exportImpact');
    const answer = JSON.parse(r.body) as { ok: true; value: { filename: string; content: string } };
    expect(answer).toEqual(await svc.call('exportImpact', body, 'web'));
    expect(answer.value.filename).toBe('impact-db-orders-primary.csv');
    const total = (await ok(svc, 'impact', { keys: ['db-orders-primary'] })).counts.total;
    expect(total).toBeGreaterThan(5);
    expect(answer.value.content.trim().split('\r\n')).toHaveLength(total + 1);
  });

  it('answers an unknown CI with an error envelope', async () => {
    const r = await post('exportImpact', { request: { keys: ['no-such-ci'] }, format: 'html' });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
