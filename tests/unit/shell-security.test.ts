/**
 * The window's security settings and the rules for navigation, new windows,
 * permissions, external links and the app:// protocol, with `electron` replaced.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  openExternal: vi.fn((_url: string) => Promise.resolve()),
  windows: [] as { options: Record<string, unknown>; webContents: FakeContents }[],
}));

type Listener = (...args: unknown[]) => void;
class FakeContents {
  listeners = new Map<string, Listener[]>();
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  on(name: string, fn: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
  /** Fires an event the way Electron would and says whether some listener prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    for (const fn of this.listeners.get(name) ?? []) fn(event, ...args);
    return prevented;
  }
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new FakeContents();
    constructor(readonly options: Record<string, unknown>) {
      mocks.windows.push({ options, webContents: this.webContents });
    }
    maximize(): void {}
    once(): void {}
  }
  return {
    BrowserWindow,
    shell: { openExternal: mocks.openExternal },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  };
});

import { createAppProtocolHandler } from '../../electron/app-protocol.js';
import { openExternalSafely } from '../../electron/safe-open.js';
import { droppedCsvPath, isAppUrl, isSafeExternalUrl, isTrustedSenderUrl } from '../../electron/trusted-url.js';
import { createMainWindow, denyAllPermissions, hardenWebContents } from '../../electron/window.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/web/security.js';

beforeEach(() => mocks.openExternal.mockClear());

describe('window options', () => {
  it('are the secure ones: isolation, sandbox, no Node, web security, no webviews', () => {
    const onCsvDropped = vi.fn();
    createMainWindow({
      preload: '/app/dist/electron/preload.cjs',
      state: { width: 1000, height: 700, maximized: false },
      title: 'T',
      onCsvDropped,
    });
    const win = mocks.windows.at(-1)!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist/electron/preload.cjs',
    });
    // Nothing that loosens them.
    for (const k of ['enableRemoteModule', 'enableBlinkFeatures', 'additionalArguments']) expect(prefs).not.toHaveProperty(k);
    expect(win.options).not.toHaveProperty('x');
    // The window is hardened as it is created.
    expect(win.webContents.listeners.has('will-navigate')).toBe(true);
    expect(win.webContents.openHandler).not.toBeNull();
  });

  it('restore a saved position', () => {
    createMainWindow({
      preload: 'p',
      state: { x: 10, y: 20, width: 900, height: 600, maximized: false },
      title: 'T',
      onCsvDropped: vi.fn(),
    });
    expect(mocks.windows.at(-1)!.options).toMatchObject({ x: 10, y: 20, width: 900, height: 600 });
  });
});

describe('navigation and new windows', () => {
  function hardened() {
    const wc = new FakeContents();
    const onCsvDropped = vi.fn();
    hardenWebContents(wc as never, { onCsvDropped });
    hardenWebContents(wc as never, { onCsvDropped }); // idempotent: no doubled listeners
    expect(wc.listeners.get('will-navigate')).toHaveLength(1);
    return { wc, onCsvDropped };
  }

  it.each([
    ['https://evil.example/', true],
    ['http://127.0.0.1:8080/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<h1>x</h1>', false],
    ['app://evil/', false],
    ['app://cmdb.evil.example/', false],
    ['chrome://settings', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['smb://attacker/share', false],
  ])('denies navigation to %s (opening it outside only when http(s): %s)', async (url, external) => {
    const { wc, onCsvDropped } = hardened();
    expect(wc.fire('will-navigate', url)).toBe(true);
    expect(wc.fire('will-redirect', url)).toBe(true);
    await Promise.resolve();
    expect(mocks.openExternal).toHaveBeenCalledTimes(external ? 1 : 0);
    expect(onCsvDropped).not.toHaveBeenCalled();
  });

  it('lets the app navigate within app://cmdb/', () => {
    const { wc } = hardened();
    expect(wc.fire('will-navigate', 'app://cmdb/index.html')).toBe(false);
    expect(wc.fire('will-navigate', 'app://cmdb/ci/web-1?tab=graph')).toBe(false);
  });

  it('turns a dropped CSV file into an import instead of a navigation', () => {
    const { wc, onCsvDropped } = hardened();
    expect(wc.fire('will-navigate', 'file:///home/me/cis%20export.csv')).toBe(true);
    expect(onCsvDropped).toHaveBeenCalledWith('/home/me/cis export.csv');
    expect(wc.fire('will-navigate', 'file:///home/me/notes.pdf')).toBe(true);
    expect(onCsvDropped).toHaveBeenCalledTimes(1);
  });

  it('denies every window.open, opening only http(s) outside', async () => {
    const { wc } = hardened();
    for (const url of ['https://docs.example/', 'app://cmdb/index.html', 'file:///etc/passwd', 'javascript:1', 'about:blank']) {
      expect(wc.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(mocks.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://docs.example/']);
  });

  it('refuses webviews', () => {
    const { wc } = hardened();
    expect(wc.fire('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('permissions', () => {
  it('are all denied, requested or checked', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((...a: unknown[]) => boolean) | undefined;
    let device: ((...a: unknown[]) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      setDevicePermissionHandler: (fn: typeof device) => (device = fn),
    } as never);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      request!({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(check!({}, p, 'app://cmdb', {})).toBe(false);
    }
    expect(device!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('openExternalSafely', () => {
  it('opens only http(s) links', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await openExternalSafely('https://example.com/docs')).toBe(true);
    for (const bad of ['file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'ms-settings:', 'https://user:pw@example.com/', '']) {
      expect(await openExternalSafely(bad), bad).toBe(false);
    }
    expect(mocks.openExternal.mock.calls).toEqual([['https://example.com/docs']]);
    warn.mockRestore();
  });
});

describe('trusted-url', () => {
  it('recognises only exactly app://cmdb as our app', () => {
    expect(isAppUrl('app://cmdb/')).toBe(true);
    expect(isAppUrl('app://cmdb/index.html?x=1#y')).toBe(true);
    for (const u of [
      'app://cmdb.evil/',
      'app://evil/cmdb',
      'app://cmdb@evil/',
      'app://x@cmdb/',
      'app://cmdb:1/',
      'apps://cmdb/',
      'http://cmdb/',
      ' app://cmdb/',
      'app:cmdb',
      'file://cmdb/',
      null,
      undefined,
      42,
    ]) {
      expect(isTrustedSenderUrl(u), String(u)).toBe(false);
    }
  });

  it('lets only plain http(s) out', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/a?b')).toBe(true);
    for (const u of [
      'HTTPS://user@example.com',
      'file:///x',
      'https:',
      'javascript:https://x',
      'vbscript:x',
      'mailto:a@b',
      'app://cmdb/',
    ]) {
      expect(isSafeExternalUrl(u), u).toBe(false);
    }
  });

  it('finds dropped CSV files only in plain file: URLs', () => {
    expect(droppedCsvPath('file:///tmp/a.CSV')).toBe('/tmp/a.CSV');
    for (const u of ['file:///tmp/a.csv?x', 'file:///tmp/a.csv#y', 'https://x/a.csv', 'file:///tmp/a.csv.exe', 'file:///tmp/']) {
      expect(droppedCsvPath(u), u).toBeNull();
    }
  });
});

describe('app:// protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-proto-'));
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'renderer', 'assets', 'a.js'), 'export {};');
  const handler = createAppProtocolHandler(join(dir, 'renderer'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the renderer with the CSP, nosniff and the right type, and index.html for routes', async () => {
    const js = await handler(new Request('app://cmdb/assets/a.js'));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const route = await handler(new Request('app://cmdb/ci/web-1'));
    expect(await route.text()).toContain('id="root"');
  });

  it.each([
    'app://cmdb/%2e%2e/secret.txt',
    'app://cmdb/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://cmdb/..%5csecret.txt',
    'app://cmdb/%252e%252e/secret.txt',
    'app://evil/index.html',
  ])('never serves a file outside the renderer for %s', async (url) => {
    // The URL parser already resolves %2e%2e segments; whatever is left must stay inside the root.
    const r = await handler(new Request(url));
    const body = await r.text();
    expect(body).not.toContain('outside');
    if (r.status === 200) expect(body).toContain('id="root"');
    else expect(r.status).toBe(404);
  });

  it('refuses a foreign host and encoded separators with 404', async () => {
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://cmdb/..%5csecret.txt'))).status).toBe(404);
    expect((await handler(new Request('app://cmdb/assets%2f..%2f..%2fsecret.txt'))).status).toBe(404);
  });

  it('refuses writes', async () => {
    expect((await handler(new Request('app://cmdb/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
