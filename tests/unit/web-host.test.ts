import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Door, METHOD_NAMES, type MethodName } from '../../shared/api.js';
import { CmdbError } from '../../shared/errors.js';
import type { CmdbEvent } from '../../shared/events.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { isAllowedHost } from '../../electron/web/security.js';
import { startWebHost, UNEXPECTED, type WebHost } from '../../electron/web/server.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control over the path (no normalisation) and the Host header. */
function raw(
  host: WebHost,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: { ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

let dir: string;
let service: CmdbService;
let host: WebHost;
const calls: MethodName[] = [];

function api(method: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(host, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', 'X-CMDB-Token': host.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cmdb-web-'));
  writeFileSync(join(dir, 'package.json'), '{"secret":"outside the static root"}');
  mkdirSync(join(dir, 'static', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>CMDB Explorer</title><div id="root"></div>');
  writeFileSync(join(dir, 'static', 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(dir, 'static', 'assets', 'app.css'), 'body{}');
  service = CmdbService.open(join(dir, 'web.db'), { source: 'web' });
  const spy = {
    call: (m: MethodName, b: unknown, door: Door, signal?: AbortSignal) => {
      calls.push(m);
      return service.call(m, b, door, signal);
    },
    onEvent: service.onEvent.bind(service),
  };
  host = await startWebHost({
    service: spy,
    staticDir: join(dir, 'static'),
    bodyLimits: { default: 4096, perMethod: { importCsv: 64 * 1024 } },
  });
});

afterAll(async () => {
  await host.close();
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web host: address and token', () => {
  it('listens on 127.0.0.1 with a 32-byte hex token in the URL', () => {
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
  });

  it('refuses API calls without a token, with a wrong one, and accepts the right one', async () => {
    const none = await raw(host, { method: 'POST', path: '/api/stats', body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    const wrong = await api('stats', {}, { 'X-CMDB-Token': host.token.slice(0, -1) + (host.token.endsWith('0') ? '1' : '0') });
    expect(wrong.status).toBe(401);
    const short = await api('stats', {}, { 'X-CMDB-Token': host.token.slice(0, 10) });
    expect(short.status).toBe(401);
    const right = await api('stats', {});
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body)).toMatchObject({ ok: true, value: { cis: 0 } });
  });

  it('serves the page only with ?token=, and the public assets of the build without it', async () => {
    for (const path of ['/', '/?token=nope', '/index.html', '/ci/web-1', `/?token=${host.token.slice(0, 40)}`]) {
      const r = await raw(host, { path });
      expect(r.status, path).toBe(401);
      expect(r.headers['content-type'], path).toBe('text/plain; charset=utf-8');
      expect(r.body, path).toContain('Open the full URL that `cmdb serve` printed (it ends with ?token=...)');
    }
    const page = await raw(host, { path: `/?token=${host.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('CMDB Explorer');
    const js = await raw(host, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app");');
  });

  it('accepts no cookie as proof: the page, the API and the event stream all refuse a cookie alone', async () => {
    const cookie = { Cookie: `cmdb_token=${host.token}` };
    expect((await raw(host, { path: '/', headers: cookie })).status).toBe(401);
    expect((await raw(host, { path: '/ci/web-1', headers: cookie })).status).toBe(401);
    expect((await raw(host, { method: 'POST', path: '/api/stats', headers: cookie, body: '{}' })).status).toBe(401);
    const events = await fetch(`http://127.0.0.1:${host.port}/api/events`, { headers: cookie });
    expect(events.status).toBe(401);
    await events.text();
  });

  it('sets no cookie on any answer', async () => {
    const responses = [
      await raw(host, { path: `/?token=${host.token}` }),
      await raw(host, { path: `/ci/web-1?token=${host.token}` }),
      await raw(host, { path: '/' }),
      await raw(host, { path: '/assets/app.css' }),
      await raw(host, { path: '/../package.json' }),
      await raw(host, { method: 'PUT', path: '/' }),
      await raw(host, { path: `/?token=${host.token}`, headers: { Host: 'evil.example' } }),
      await api('stats', {}),
      await api('stats', {}, { 'X-CMDB-Token': 'x'.repeat(64) }),
      await api('nope', {}),
    ];
    for (const r of responses) expect(r.headers['set-cookie']).toBeUndefined();
    const events = await fetch(`http://127.0.0.1:${host.port}/api/events?token=${host.token}`);
    expect(events.status).toBe(200);
    expect(events.headers.get('set-cookie')).toBeNull();
    await events.body!.cancel();
  });

  it('takes the token from the query on the event stream only (EventSource cannot send headers)', async () => {
    const stats = await raw(host, { method: 'POST', path: `/api/stats?token=${host.token}`, body: '{}' });
    expect(stats.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${host.port}/api/events?token=${'0'.repeat(64)}`);
    expect(wrong.status).toBe(401);
    await wrong.text();
    const right = await fetch(`http://127.0.0.1:${host.port}/api/events?token=${host.token}`);
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toContain('text/event-stream');
    await right.body!.cancel();
  });
});

describe('web host: Host and Origin checks, headers', () => {
  it('takes the Host a browser sends on port 80, which leaves the port out, there only', () => {
    expect(isAllowedHost('127.0.0.1', 80)).toBe(true);
    expect(isAllowedHost('localhost', 80)).toBe(true);
    expect(isAllowedHost('127.0.0.1:80', 80)).toBe(true);
    expect(isAllowedHost('127.0.0.1', 8080)).toBe(false);
    expect(isAllowedHost('evil.example', 80)).toBe(false);
  });

  it.each([
    ['evil.example:PORT'],
    ['evil.example'],
    ['127.0.0.1'],
    ['127.0.0.1:1'],
    ['localhost.evil.example:PORT'],
    ['127.0.0.1.nip.io:PORT'],
    ['0.0.0.0:PORT'],
    ['[::1]:PORT'],
    ['127.0.0.1:PORT.evil.example'],
  ])('refuses the foreign Host %s (DNS rebinding) even with the token', async (h) => {
    const r = await raw(host, {
      method: 'POST',
      path: '/api/stats',
      headers: { Host: h.replace('PORT', String(host.port)), 'X-CMDB-Token': host.token },
      body: '{}',
    });
    expect(r.status).toBe(403);
    const page = await raw(host, { path: `/?token=${host.token}`, headers: { Host: h.replace('PORT', String(host.port)) } });
    expect(page.status).toBe(403);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('accepts localhost:PORT as the Host', async () => {
    const r = await api('stats', {}, { Host: `localhost:${host.port}` });
    expect(r.status).toBe(200);
  });

  it.each([['http://evil.example'], ['null'], ['http://127.0.0.1:1'], ['https://127.0.0.1:PORT'], ['http://localhost:PORT']])(
    'refuses the cross-origin Origin %s',
    async (o) => {
      const r = await api('stats', {}, { Origin: o.replace('PORT', String(host.port)) });
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    },
  );

  it('accepts its own origin', async () => {
    const r = await api('stats', {}, { Origin: `http://127.0.0.1:${host.port}` });
    expect(r.status).toBe(200);
  });

  it('never sends CORS headers, even to a preflight, and always sends the CSP and nosniff', async () => {
    const responses = [
      await api('stats', {}),
      await api('stats', {}, { Origin: 'http://evil.example' }),
      await raw(host, {
        method: 'OPTIONS',
        path: '/api/stats',
        headers: {
          Origin: 'http://evil.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'x-cmdb-token',
        },
      }),
      await raw(host, { method: 'OPTIONS', path: '/api/stats', headers: { 'X-CMDB-Token': host.token } }),
      await raw(host, { path: `/?token=${host.token}` }),
    ];
    for (const r of responses) {
      expect(Object.keys(r.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['content-security-policy']).toContain("script-src 'self';");
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(responses[2]!.status).toBe(403);
    expect(responses[3]!.status).toBe(405);
    // The page's address holds the token: the browser must not keep it in its cache.
    expect(responses[4]!.headers['cache-control']).toBe('no-store');
  });
});

describe('web host: the API', () => {
  it('reaches every method of the contract', async () => {
    calls.length = 0;
    for (const m of METHOD_NAMES) {
      const r = await api(m, {});
      expect(r.status, m).toBe(200);
      const env = JSON.parse(r.body) as { ok: boolean; error?: { code: string } };
      expect(typeof env.ok, m).toBe('boolean');
      if (!env.ok) expect(['INVALID_REQUEST', 'NOT_FOUND'], m).toContain(env.error!.code);
    }
    expect(calls).toEqual([...METHOD_NAMES]);
  });

  it('round-trips a write and a read, and returns handled errors as 200 envelopes', async () => {
    const created = await api('createCi', { key: 'web-1', fields: { name: 'Web one', type: 'server' } });
    expect(JSON.parse(created.body)).toMatchObject({ ok: true, value: { key: 'web-1', name: 'Web one' } });
    const got = await api('getCi', { key: 'web-1' });
    expect(JSON.parse(got.body)).toMatchObject({ ok: true });
    const missing = await api('getCi', { key: 'no-such-ci' });
    expect(missing.status).toBe(200);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const invalid = await api('listCis', { limit: -5 });
    expect(invalid.status).toBe(200);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('answers an unknown method with a 404 envelope', async () => {
    for (const m of ['nope', 'constructor', '__proto__', 'toString', 'call', 'events/x', '']) {
      const r = await api(m, {});
      expect(r.status, m).toBe(404);
      expect(JSON.parse(r.body), m).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('answers malformed JSON with 400 INVALID_REQUEST', async () => {
    for (const body of ['{', '{"a":', 'not json', "{'single':1}", '\u0000']) {
      const r = await api('stats', body);
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
  });

  it('answers a wrong verb with 405', async () => {
    const r = await raw(host, { method: 'GET', path: '/api/stats', headers: { 'X-CMDB-Token': host.token } });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
    const put = await raw(host, { method: 'PUT', path: `/?token=${host.token}` });
    expect(put.status).toBe(405);
    const ev = await raw(host, { method: 'POST', path: '/api/events', headers: { 'X-CMDB-Token': host.token }, body: '{}' });
    expect(ev.status).toBe(405);
  });

  it('closes the connection of a request refused before its body was read (no token): it does not wait for the body', async () => {
    const sock = connect(host.port, '127.0.0.1');
    const closed = new Promise<string>((done) => {
      let got = '';
      sock.on('data', (d: Buffer) => (got += d.toString()));
      sock.on('close', () => done(got));
    });
    sock.write(
      `POST /api/stats HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{`,
    );
    const answer = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open'), 3000))]);
    sock.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('answers an oversized body with 413, with a larger limit for CSV import', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(5000) });
    const r = await api('listCis', big);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const csv = `id,name,type\n${Array.from({ length: 200 }, (_, i) => `big-${i},Big ${i},server`).join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(4096);
    const imp = await api('importCsv', { cis: { name: 'big.csv', content: csv } });
    expect(imp.status).toBe(200);
    expect(JSON.parse(imp.body)).toMatchObject({ ok: true, value: { counts: { created: 200 } } });
    const tooBig = await api('importCsv', { cis: { name: 'big.csv', content: csv.repeat(20) } });
    expect(tooBig.status).toBe(413);
  });
});

describe('web host: static files', () => {
  it('serves files with their MIME type and index.html for unknown non-API paths', async () => {
    const css = await raw(host, { path: '/assets/app.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const route = await raw(host, { path: `/ci/web-1?tab=graph&token=${host.token}` });
    expect(route.status).toBe(200);
    expect(route.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(route.body).toContain('<div id="root">');
    const head = await raw(host, { method: 'HEAD', path: '/assets/app.js' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    ['/../package.json'],
    ['/assets/../../package.json'],
    ['/%2e%2e/package.json'],
    ['/%2E%2E%2Fpackage.json'],
    ['/assets/%2e%2e/%2e%2e/package.json'],
    ['/%252e%252e/package.json'],
    ['/..%5cpackage.json'],
    ['/..\\package.json'],
    ['/assets\\..\\..\\package.json'],
    ['/C:/package.json'],
    ['/%00'],
  ])('never serves %s', async (p) => {
    // No token: assets need none, so this is what anyone on the machine could try.
    const r = await raw(host, { path: p });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('secret');
  });

  it('serves an absolute path in the URL from under the root (index.html), never from the disk root', async () => {
    const r = await raw(host, { path: `${join(dir, 'package.json').replace(/\\/g, '/')}?token=${host.token}` });
    expect(r.body).not.toContain('secret');
    const r2 = await raw(host, { path: `//etc/passwd?token=${host.token}` });
    expect(r2.body).not.toContain('root:');
  });
});

describe('web host: events', () => {
  it('streams events over SSE to a client with the token, and refuses one without', async () => {
    const refused = await fetch(`http://127.0.0.1:${host.port}/api/events`);
    expect(refused.status).toBe(401);
    await refused.text();

    const res = await fetch(`http://127.0.0.1:${host.port}/api/events`, { headers: { 'X-CMDB-Token': host.token } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The first chunk (retry hint) proves the stream is open and subscribed.
    text += decoder.decode((await reader.read()).value);
    const event: CmdbEvent = { type: 'import-progress', jobId: 'job-1', phase: 'applying', rowsDone: 500, total: 1000, rate: 12345 };
    service.events.emit(event);
    while (!/event: import-progress\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const m = /event: import-progress\ndata: (.*)\n\n/.exec(text);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(event);
    await reader.cancel();
    // The closed stream unsubscribes.
    await new Promise((r) => setTimeout(r, 50));
    expect(service.events.size).toBe(0);
  });
});

describe('web host: unexpected errors', () => {
  it("tells the page a CmdbError's message, and of any other error only that it failed: its detail (a private path) goes to the host's log", async () => {
    const logged: string[] = [];
    const failing = {
      call: (m: MethodName): Promise<never> => {
        if (m === 'getCi') throw new CmdbError('BUSY', 'The CMDB is busy: an import is writing to it.');
        throw new Error("ENAMETOOLONG: name too long, open '/tmp/cmdb-uploads-123-abc/f-xyz/secret.csv'");
      },
    };
    const own = await startWebHost({ service: failing, staticDir: join(dir, 'static'), log: (line) => logged.push(line) });
    try {
      const post = (method: string) =>
        raw(own, {
          method: 'POST',
          path: `/api/${method}?x=1`,
          headers: { 'Content-Type': 'application/json', 'X-CMDB-Token': own.token },
          body: '{}',
        });
      const unexpected = await post('stats');
      expect(unexpected.status).toBe(500);
      expect(JSON.parse(unexpected.body)).toEqual({ ok: false, error: { code: 'INTERNAL', message: UNEXPECTED } });
      expect(unexpected.body).not.toContain('/tmp');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(
        /^web host: POST \/api\/stats failed: Error: ENAMETOOLONG: .*\/tmp\/cmdb-uploads-123-abc\/f-xyz\/secret\.csv/,
      );
      const busy = await post('getCi');
      expect(JSON.parse(busy.body)).toEqual({
        ok: false,
        error: { code: 'BUSY', message: 'The CMDB is busy: an import is writing to it.' },
      });
      expect(logged).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});
