/**
 * Heavy work in the web host is bounded and follows its client: a few heavy
 * calls at a time, a queued one whose client left never starts, and a
 * running import whose client left is cancelled and writes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Door, MethodName } from '../../shared/api.js';
import type { Envelope } from '../../shared/errors.js';
import { startWebHost, type WebHost } from '../../electron/web/server.js';
import { Slots } from '../../electron/web/slots.js';
import { dumpDb, freshService, tempDir } from './helpers.js';

describe('Slots', () => {
  it('lets `count` holders in at once and the next waiter in as one leaves, in order', async () => {
    const slots = new Slots(2);
    const a = await slots.take();
    const b = await slots.take();
    const order: string[] = [];
    const c = slots.take().then((r) => (order.push('c'), r));
    const d = slots.take().then((r) => (order.push('d'), r));
    expect(slots.queued).toBe(2);
    a!();
    a!(); // releasing twice frees one slot, not two
    await c;
    expect(order).toEqual(['c']);
    b!();
    expect(await d).toBeTypeOf('function');
    expect(order).toEqual(['c', 'd']);
  });

  it('answers null to a waiter that gave up, and never gives it a slot', async () => {
    const slots = new Slots(1);
    const held = await slots.take();
    const gaveUp = new AbortController();
    const waiting = slots.take(gaveUp.signal);
    gaveUp.abort();
    expect(await waiting).toBeNull();
    expect(slots.queued).toBe(0);
    held!();
    expect(await slots.take()).toBeTypeOf('function');
    expect(await slots.take(AbortSignal.abort())).toBeNull();
  });

  it('refuses a count that is not a whole number of at least one', () => {
    expect(() => new Slots(0)).toThrow(RangeError);
  });
});

let host: WebHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

function staticDir(): string {
  const dir = tempDir('cmdb-heavy-');
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html>');
  return join(dir, 'static');
}

/** Sends a call; `abortAfterMs` destroys the request (the client leaves) before any answer. */
function post(method: string, body: unknown, abortAfterMs?: number): Promise<number> {
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host!.port,
        method: 'POST',
        path: `/api/${method}`,
        headers: { 'X-CMDB-Token': host!.token, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', () => done(-1));
    req.end(JSON.stringify(body));
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
  });
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('web host: heavy calls', () => {
  it('runs heavy calls one slot at a time here, drops a queued one whose client left, and keeps light calls flowing', async () => {
    const started: MethodName[] = [];
    const finish: Array<() => void> = [];
    const service = {
      call: (m: MethodName): Promise<Envelope<unknown>> => {
        started.push(m);
        if (m === 'stats') return Promise.resolve({ ok: true, value: {} });
        return new Promise((ok) => finish.push(() => ok({ ok: true, value: { cis: '', relationships: '' } })));
      },
    };
    host = await startWebHost({ service, staticDir: staticDir(), heavySlots: 1 });
    const first = post('exportCsv', {});
    await until(() => started.length === 1);
    const abandoned = post('exportCsv', {}, 50);
    expect(await abandoned).toBe(-1);
    const third = post('exportCsv', {});
    expect(await post('stats', {})).toBe(200); // not behind the heavy queue
    expect(started).toEqual(['exportCsv', 'stats']);
    finish.shift()!();
    expect(await first).toBe(200);
    await until(() => started.length === 3);
    finish.shift()!();
    expect(await third).toBe(200);
    // The abandoned call never reached the engine.
    expect(started).toEqual(['exportCsv', 'stats', 'exportCsv']);
  });

  it("reads a queued heavy call's body only when its turn comes (a queue of 32 MB CSV bodies is not held in memory)", async () => {
    const finish: Array<() => void> = [];
    const service = {
      call: (m: MethodName): Promise<Envelope<unknown>> =>
        m === 'previewCsv'
          ? Promise.resolve({ ok: true, value: {} })
          : new Promise((ok) => finish.push(() => ok({ ok: true, value: { cis: '', relationships: '' } }))),
    };
    host = await startWebHost({ service, staticDir: staticDir(), heavySlots: 1 });
    const first = post('exportCsv', {});
    await until(() => finish.length === 1);
    // 24 MB: more than the loopback socket's buffers take, so the client can send it all only once the host reads it.
    const body = JSON.stringify({ file: { name: 'big.csv', content: 'a,b\n'.repeat(6 * 1024 * 1024) } });
    let sent = false;
    const queued = new Promise<number>((done) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host!.port,
          method: 'POST',
          path: '/api/previewCsv',
          headers: { 'X-CMDB-Token': host!.token, 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('finish', () => (sent = true));
      req.end(body);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sent).toBe(false);
    finish.shift()!();
    expect(await first).toBe(200);
    expect(await queued).toBe(200);
    expect(sent).toBe(true);
  });

  it('tells a running call that its client left', async () => {
    const signals: Array<AbortSignal | undefined> = [];
    const service = {
      call: (_m: MethodName, _b: unknown, _d: Door, signal?: AbortSignal): Promise<Envelope<unknown>> => {
        signals.push(signal);
        return new Promise((ok) => signal?.addEventListener('abort', () => ok({ ok: false, error: { code: 'CANCELLED', message: 'x' } })));
      },
    };
    host = await startWebHost({ service, staticDir: staticDir() });
    await post('importCsv', { cis: { name: 'a.csv', content: 'id,name,type\n' } }, 100);
    await until(() => signals[0]?.aborted === true);
  });

  it('an import whose client left is cancelled and leaves the CMDB exactly as it was', async () => {
    const dir = tempDir('cmdb-heavy-db-');
    const service = freshService(join(dir, 'cmdb.db'), 'web');
    await service.call('createCi', { key: 'keep', fields: { name: 'Keep me', type: 'server' } });
    const before = dumpDb(service.db);
    const rows = Array.from({ length: 200_000 }, (_, i) => `ci-${i},Server ${i},server,${'x'.repeat(40)}`).join('\n');
    const answers: Array<Promise<Envelope<unknown>>> = [];
    const spy = {
      call: (m: MethodName, b: unknown, d: Door, signal?: AbortSignal) => {
        const answer = service.call(m, b, d, signal);
        answers.push(answer);
        return answer;
      },
    };
    host = await startWebHost({ service: spy, staticDir: staticDir() });
    await post('importCsv', { cis: { name: 'big.csv', content: `id,name,type,notes\n${rows}\n` } }, 300);
    await until(() => answers.length === 1);
    expect(await answers[0]).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(dumpDb(service.db)).toBe(before);
  });
});
