/**
 * The Electron main-process wiring with the `electron` module replaced:
 * every contract method has a handler, untrusted senders and invalid payloads
 * are refused with typed errors, the preload exposes exactly the contract.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true, value: 'from-main' })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
      if (mocks.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      mocks.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => mocks.handlers.delete(channel),
  },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => mocks.exposed.set(key, value) },
  ipcRenderer: { invoke: mocks.invoke, on: mocks.on, removeListener: mocks.removeListener },
}));

import { api, type Door, METHOD_NAMES, type MethodName } from '../../shared/api.js';
import type { Envelope } from '../../shared/errors.js';
import type { CmdbEvent } from '../../shared/events.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { forwardEvents, handleInvoke, handleUploadInvoke, registerIpcHandlers, sendEvent } from '../../electron/ipc.js';
import { removeUploads } from '../../electron/ipc-upload.js';
import type { FileRef } from '../../shared/import.js';
import { EVENT_CHANNEL, UPLOAD_CHANNEL } from '../../electron/ipc-channels.js';

const appFrame = (url = 'app://cmdb/index.html') => ({ senderFrame: { url, parent: null } });

function engineSpy() {
  const svc = CmdbService.open(':memory:');
  const calls: MethodName[] = [];
  return {
    svc,
    calls,
    engine: {
      call: (m: MethodName, b: unknown): Promise<Envelope<unknown>> => {
        calls.push(m);
        return svc.call(m, b);
      },
    },
  };
}

describe('ipc.ts: handlers derived from the contract', () => {
  beforeEach(() => mocks.handlers.clear());
  afterEach(() => vi.restoreAllMocks());

  it('registers exactly one handler per contract method, on cmdb:<method>, and the upload, and removes them all', () => {
    const unregister = registerIpcHandlers(() => null);
    expect([...mocks.handlers.keys()].sort()).toEqual([...METHOD_NAMES.map((m) => `cmdb:${m}`), UPLOAD_CHANNEL].sort());
    unregister();
    expect(mocks.handlers.size).toBe(0);
  });

  it('dispatches every method, through its registered handler, to the engine under its own name', async () => {
    // The schemas are the contract's business (tested below); here each one accepts, so every channel is exercised.
    // (Schemas shared by several methods are spied once; the data they return is the same object for all.)
    for (const m of METHOD_NAMES) {
      const request = api[m].request as { safeParse: (v: unknown) => unknown };
      if (!vi.isMockFunction(request.safeParse)) {
        vi.spyOn(request, 'safeParse').mockReturnValue({ success: true, data: { probe: 'parsed' } } as never);
      }
    }
    const seen: [MethodName, unknown][] = [];
    registerIpcHandlers(() => ({
      call: (m: MethodName, b: unknown) => {
        seen.push([m, b]);
        return Promise.resolve({ ok: true, value: m });
      },
    }));
    for (const m of METHOD_NAMES) {
      expect(await mocks.handlers.get(`cmdb:${m}`)!(appFrame(), { anything: 1 }), m).toEqual({ ok: true, value: m });
    }
    expect(seen).toEqual(METHOD_NAMES.map((m) => [m, { probe: 'parsed' }]));
  });

  it('answers a trusted call with the real engine (stats on an in-memory CMDB)', async () => {
    const { svc, calls, engine } = engineSpy();
    registerIpcHandlers(() => engine);
    const stats = (await mocks.handlers.get('cmdb:stats')!(appFrame('app://cmdb/ci/x?tab=graph#top'), {})) as Envelope<unknown>;
    expect(stats).toMatchObject({ ok: true, value: { cis: 0 } });
    const list = (await mocks.handlers.get('cmdb:listCis')!(appFrame(), { query: 'nothing' })) as Envelope<unknown>;
    expect(list).toMatchObject({ ok: true, value: { items: [], total: 0 } });
    expect(calls).toEqual(['stats', 'listCis']);
    svc.close();
  });

  it.each([
    ['file:///work/main/dist/renderer/index.html'],
    ['http://127.0.0.1:5173/'],
    ['https://cmdb/'],
    ['app://cmdb.evil.example/'],
    ['app://evil.example/app://cmdb/'],
    ['app://user@cmdb/'],
    ['app://cmdb:8080/'],
    ['APP://evil/'],
    ['about:blank'],
    ['devtools://devtools/bundled/inspector.html'],
    ['chrome-extension://abc/'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>1</script>'],
    [''],
  ])('refuses a sender showing %j with UNTRUSTED_SENDER, before the engine', async (url) => {
    const { svc, calls, engine } = engineSpy();
    const env = await handleInvoke('stats', { senderFrame: { url, parent: null } } as never, {}, () => engine);
    expect(env).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(calls).toEqual([]);
    svc.close();
  });

  it('refuses subframes and destroyed frames, even of our own origin', async () => {
    const { svc, calls, engine } = engineSpy();
    const sub = { senderFrame: { url: 'app://cmdb/index.html', parent: { url: 'app://cmdb/index.html' } } };
    expect(await handleInvoke('stats', sub as never, {}, () => engine)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(await handleInvoke('stats', { senderFrame: null } as never, {}, () => engine)).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
    expect(calls).toEqual([]);
    svc.close();
  });

  it('refuses invalid payloads for every method with a typed INVALID_REQUEST, before the engine', async () => {
    const { svc, calls, engine } = engineSpy();
    for (const m of METHOD_NAMES) {
      for (const bad of [42, 'text', [1, 2], true]) {
        const env = await handleInvoke(m, appFrame() as never, bad, () => engine);
        expect(env, `${m} ${JSON.stringify(bad)}`).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      }
    }
    const specific = [
      ['listCis', { limit: 5000 }],
      ['listCis', { offset: -1 }],
      ['getCi', { key: '' }],
      ['neighbourhood', { key: 'x', depth: 99 }],
      ['createCi', { fields: { name: 42 } }],
      ['deleteRelationship', { id: 'one' }],
      ['stats', { unexpected: true }],
    ] as const;
    for (const [m, body] of specific) {
      const env = await handleInvoke(m, appFrame() as never, body, () => engine);
      expect(env, m).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('Invalid request') } });
    }
    expect(calls).toEqual([]);
    svc.close();
  });

  it("the renderer's calls reach the engine as the renderer's: a path is refused there, whatever it names", async () => {
    const svc = CmdbService.open(':memory:', { source: 'ui' });
    const doors: string[] = [];
    const engine = { call: (m: MethodName, b: unknown, d: Door) => (doors.push(d), svc.call(m, b, d)) };
    const env = await handleInvoke('previewCsv', appFrame() as never, { file: { path: '/etc/passwd.csv' } }, () => engine);
    expect(env).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(await handleInvoke('openFile', appFrame() as never, { path: '/home/me/cis.csv' }, () => engine)).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
    expect(doors).toEqual(['renderer', 'renderer']);
    svc.close();
  });

  it('an upload from our window is stored privately and opened by the main process; others are refused', async () => {
    const svc = CmdbService.open(':memory:', { source: 'ui' });
    const engine = { call: (m: MethodName, b: unknown, d: Door) => svc.call(m, b, d) };
    const bytes = new TextEncoder().encode('id,name,type\na,Alpha,server\n');
    const env = (await handleUploadInvoke(appFrame() as never, { name: 'cis.csv', bytes }, () => engine)) as Envelope<FileRef>;
    expect(env).toMatchObject({ ok: true, value: { name: 'cis.csv', size: bytes.length } });
    const ref = (env as { value: FileRef }).value;
    expect(await svc.call('previewCsv', { file: { fileId: ref.fileId } }, 'renderer')).toMatchObject({
      ok: true,
      value: { rows: [['a', 'Alpha', 'server']] },
    });
    const foreign = await handleUploadInvoke(appFrame('https://evil.example/') as never, { name: 'x.csv', bytes }, () => engine);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    for (const bad of [{ name: '../x.csv', bytes }, { name: 'x.sh', bytes }, { name: 'x.csv', bytes: '/etc/passwd' }, null]) {
      expect(await handleUploadInvoke(appFrame() as never, bad, () => engine)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST' },
      });
    }
    svc.close();
    removeUploads();
  });

  it('says no CMDB is open when there is no engine, and turns an engine crash into an envelope', async () => {
    // One message, whether a call or an upload finds no CMDB open.
    const none = { ok: false, error: { code: 'DB_NOT_FOUND', message: 'No CMDB is open. Open or create one from the File menu.' } };
    expect(await handleInvoke('stats', appFrame() as never, {}, () => null)).toEqual(none);
    expect(await handleUploadInvoke(appFrame() as never, { name: 'a.csv', bytes: new Uint8Array([97]) }, () => null)).toEqual(none);
    const broken = { call: () => Promise.reject(new Error('worker died')) };
    expect(await handleInvoke('stats', appFrame() as never, {}, () => broken)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'worker died' },
    });
  });
});

describe('ipc.ts: events to the renderer', () => {
  const fakeContents = (url: string) => ({ send: vi.fn(), isDestroyed: () => false, getURL: () => url });

  it('forwards engine events on cmdb:event to our own page only', () => {
    const svc = CmdbService.open(':memory:');
    const ours = fakeContents('app://cmdb/index.html');
    const stop = forwardEvents(svc, () => ours as never);
    const ev: CmdbEvent = { type: 'import-progress', jobId: 'j', phase: 'parsing', rowsDone: 1, total: null, rate: 0 };
    svc.events.emit(ev);
    expect(ours.send).toHaveBeenCalledWith(EVENT_CHANNEL, ev);
    const foreign = fakeContents('https://evil.example/');
    sendEvent(foreign as never, ev);
    expect(foreign.send).not.toHaveBeenCalled();
    stop();
    svc.events.emit(ev);
    expect(ours.send).toHaveBeenCalledTimes(1);
    svc.close();
  });
});

describe('preload.ts: only the typed CmdbApi', () => {
  it('exposes one function per contract method, each invoking cmdb:<method>, and an event subscription', async () => {
    mocks.exposed.clear();
    await import('../../electron/preload.js');
    expect([...mocks.exposed.keys()].sort()).toEqual(['cmdb', 'cmdbEvents', 'cmdbFiles']);
    const cmdb = mocks.exposed.get('cmdb') as Record<string, (req?: unknown) => Promise<unknown>>;
    expect(Object.keys(cmdb).sort()).toEqual([...METHOD_NAMES].sort());
    for (const m of METHOD_NAMES) {
      mocks.invoke.mockClear();
      await expect(cmdb[m]!({ probe: m })).resolves.toEqual({ ok: true, value: 'from-main' });
      expect(mocks.invoke).toHaveBeenCalledWith(`cmdb:${m}`, { probe: m });
    }
    await cmdb.stats!();
    expect(mocks.invoke).toHaveBeenLastCalledWith('cmdb:stats', {});
    // Nothing generic leaks out: no invoke(channel), no ipcRenderer.
    expect(Object.values(cmdb).every((f) => typeof f === 'function' && f.length <= 1)).toBe(true);

    const events = mocks.exposed.get('cmdbEvents') as { onEvent(l: (e: unknown) => void): () => void };
    expect(Object.keys(events)).toEqual(['onEvent']);
    const seen: unknown[] = [];
    const off = events.onEvent((e) => seen.push(e));
    expect(mocks.on).toHaveBeenCalledWith('cmdb:event', expect.any(Function));
    const handler = mocks.on.mock.calls[0]![1] as (e: unknown, ev: unknown) => void;
    handler({ sender: 'ipc event object, not passed on' }, { type: 'cmdb-changed', path: '/x.db' });
    expect(seen).toEqual([{ type: 'cmdb-changed', path: '/x.db' }]);
    off();
    expect(mocks.removeListener).toHaveBeenCalledWith('cmdb:event', handler);

    // Uploads carry a name and bytes on their own channel; anything else is refused in the page.
    const files = mocks.exposed.get('cmdbFiles') as { upload(name: unknown, bytes: unknown): Promise<unknown> };
    expect(Object.keys(files)).toEqual(['upload']);
    const bytes = new Uint8Array([97, 10]);
    await files.upload('a.csv', bytes);
    expect(mocks.invoke).toHaveBeenLastCalledWith(UPLOAD_CHANNEL, { name: 'a.csv', bytes });
    expect(() => files.upload('/etc/passwd', '/etc/passwd')).toThrow(TypeError);
    expect(() => events.onEvent('not a function' as never)).toThrow(TypeError);
  });
});
