/** main.ts wiring with `electron` and the shell replaced: single instance, readiness, IPC, protocol, permissions, files from a second launch. */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/api.js';
import { UPLOAD_CHANNEL } from '../../electron/ipc-channels.js';

const h = vi.hoisted(() => {
  const state = {
    lock: true,
    app: null as unknown as EventEmitter & Record<string, unknown>,
    ipc: [] as string[],
    protocols: [] as string[],
    privileged: [] as unknown[],
    permissionRequest: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    shells: [] as FakeShellLike[],
    lastUsed: null as string | null,
  };
  interface FakeShellLike {
    calls: unknown[][];
    engine: { close: () => Promise<void>; closed: boolean } | null;
  }
  return { state };
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getAppPath: () => '/app',
    getPath: (n: string) => `/profile/${n}`,
    setPath: vi.fn(),
    requestSingleInstanceLock: () => h.state.lock,
    quit: vi.fn(),
    whenReady: () => Promise.resolve(),
  });
  h.state.app = app as never;
  return {
    app,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof h.state.permissionRequest) => (h.state.permissionRequest = fn),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => h.state.privileged.push(...s),
      handle: (scheme: string) => h.state.protocols.push(scheme),
    },
    ipcMain: { handle: (ch: string) => h.state.ipc.push(ch), removeHandler: vi.fn() },
    shell: { openExternal: vi.fn() },
    BrowserWindow: class {},
  };
});

vi.mock('../../electron/shell.js', () => ({
  AppShell: class {
    calls: unknown[][] = [];
    engine = { closed: false, close: async () => void (this.engine.closed = true) };
    window = null;
    constructor(...args: unknown[]) {
      this.calls.push(['constructor', ...args]);
      h.state.shells.push(this as never);
    }
    lastUsed() {
      return h.state.lastUsed;
    }
    async openCmdb(...a: unknown[]) {
      this.calls.push(['openCmdb', ...a]);
      return true;
    }
    refreshMenu() {
      this.calls.push(['refreshMenu']);
    }
    createWindow() {
      this.calls.push(['createWindow']);
    }
    focus() {
      this.calls.push(['focus']);
    }
    async openFiles(f: unknown) {
      this.calls.push(['openFiles', f]);
    }
    async importFiles(f: unknown) {
      this.calls.push(['importFiles', f]);
    }
  },
}));

async function loadMain(opts: { lock?: boolean; argv?: string[]; lastUsed?: string | null } = {}) {
  vi.resetModules();
  Object.assign(h.state, { lock: opts.lock ?? true, ipc: [], protocols: [], privileged: [], shells: [], permissionRequest: null });
  h.state.lastUsed = opts.lastUsed ?? null;
  const argv = process.argv;
  process.argv = opts.argv ?? ['/opt/cmdb/cmdb-explorer'];
  try {
    await import('../../electron/main.js');
  } finally {
    process.argv = argv;
  }
  await new Promise((r) => setTimeout(r, 10)); // let whenReady's continuation run
  return { app: h.state.app, shell: h.state.shells[0] as unknown as { calls: unknown[][]; engine: { closed: boolean } } };
}

const savedDb = process.env.CMDB_DB;
afterEach(() => {
  vi.clearAllMocks();
  if (savedDb === undefined) delete process.env.CMDB_DB;
  else process.env.CMDB_DB = savedDb;
});

describe('main.ts', () => {
  it('a second instance hands over and quits, doing nothing else', async () => {
    const { app, shell } = await loadMain({ lock: false });
    expect(app.quit).toHaveBeenCalled();
    expect(shell).toBeUndefined();
    expect(h.state.ipc).toEqual([]);
  });

  it('when ready: registers the app scheme, denies permissions, serves app://, registers every IPC method, opens the default CMDB and the window', async () => {
    const { shell } = await loadMain();
    expect(h.state.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(h.state.protocols).toEqual(['app']);
    expect(h.state.ipc.sort()).toEqual([...METHOD_NAMES.map((m) => `cmdb:${m}`), UPLOAD_CHANNEL].sort());
    const cb = vi.fn();
    h.state.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    const names = shell.calls.map((c) => c[0]);
    expect(names).toEqual(['constructor', 'openCmdb', 'refreshMenu', 'createWindow']);
    expect(shell.calls[1]).toEqual(['openCmdb', 'default']);
    // The default CMDB goes in Electron's userData unless $CMDB_DB says otherwise.
    expect(process.env.CMDB_DB).toBe(savedDb ?? '/profile/userData/cmdb.db');
    expect(shell.calls[0]![1]).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      workerFile: '/app/dist/electron/engine-worker.js',
    });
  });

  it('opens the CMDB named on the command line (else the last one used) and imports CSV files given with it', async () => {
    const { shell } = await loadMain({ argv: ['/opt/cmdb/cmdb-explorer', '/data/shop.cmdb', '/data/new-cis.csv'] });
    expect(shell.calls.find((c) => c[0] === 'openCmdb')).toEqual(['openCmdb', 'open', '/data/shop.cmdb']);
    expect(shell.calls.find((c) => c[0] === 'importFiles')).toEqual(['importFiles', ['/data/new-cis.csv']]);
    const second = await loadMain({ lastUsed: '/data/last.cmdb' });
    expect(second.shell.calls.find((c) => c[0] === 'openCmdb')).toEqual(['openCmdb', 'open', '/data/last.cmdb']);
  });

  it('a second launch focuses the window and opens the files it was given', async () => {
    const { app, shell } = await loadMain();
    app.emit('second-instance', {}, ['/opt/cmdb/cmdb-explorer', '--flag', 'other.cmdb'], '/home/me');
    await new Promise((r) => setTimeout(r, 0));
    expect(shell.calls.slice(-2)).toEqual([['focus'], ['openFiles', [{ kind: 'cmdb', path: '/home/me/other.cmdb' }]]]);
  });

  it('hardens every web contents created, and closes the engine before quitting', async () => {
    const { app, shell } = await loadMain();
    const wc = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    app.emit('web-contents-created', {}, wc);
    expect(wc.setWindowOpenHandler).toHaveBeenCalled();
    expect(wc.on.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    const event = { preventDefault: vi.fn() };
    app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 0));
    expect(shell.engine.closed).toBe(true);
    expect(app.quit).toHaveBeenCalled();
  });
});
