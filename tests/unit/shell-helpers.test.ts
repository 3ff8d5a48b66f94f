import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { classifyFile, filesFromArgv } from '../../electron/argv.js';
import { buildMenuTemplate, type MenuActions } from '../../electron/menu.js';
import { chooseNativeBinding, electronBindingPath } from '../../electron/native-binding.js';
import { addRecent, loadRecent, MAX_RECENT, saveRecent } from '../../electron/recent.js';
import { loadWindowState, sanitizeWindowState, saveWindowState, DEFAULT_WINDOW_STATE, MIN_WIDTH } from '../../electron/window-state.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmdb-shell-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function actions(): MenuActions & Record<string, ReturnType<typeof vi.fn>> {
  const names = ['newCmdb', 'openCmdb', 'openRecent', 'clearRecent', 'importCsv', 'exportCsv', 'toggleTheme', 'about', 'documentation'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as never;
}

const sub = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  (item?.submenu ?? []) as MenuItemConstructorOptions[];
const labelOf = (i: MenuItemConstructorOptions): string => i.label ?? i.role ?? i.type ?? '';

describe('menu template', () => {
  it('has File, Edit, View, Help with the usual items and shortcuts on Windows and Linux', () => {
    const a = actions();
    const t = buildMenuTemplate(a, { platform: 'linux', isDev: false, recent: ['/data/a.cmdb'], appName: 'CMDB Explorer' });
    expect(t.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const file = sub(t[0]);
    expect(file.filter((i) => i.type !== 'separator').map(labelOf)).toEqual([
      'New CMDB…',
      'Open CMDB…',
      'Open Recent',
      'Import CSV…',
      'Export…',
      'Quit',
    ]);
    expect(file.find((i) => i.label === 'Open CMDB…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(file.find((i) => i.label === 'New CMDB…')?.accelerator).toBe('CmdOrCtrl+N');
    // Each item calls its action.
    for (const [label, action] of [
      ['New CMDB…', 'newCmdb'],
      ['Open CMDB…', 'openCmdb'],
      ['Import CSV…', 'importCsv'],
      ['Export…', 'exportCsv'],
    ] as const) {
      (file.find((i) => i.label === label)!.click as () => void)();
      expect(a[action]).toHaveBeenCalledTimes(1);
    }
    const recent = sub(file.find((i) => i.label === 'Open Recent'));
    expect(recent[0]).toMatchObject({ label: 'a.cmdb', sublabel: '/data/a.cmdb' });
    (recent[0]!.click as () => void)();
    expect(a.openRecent).toHaveBeenCalledWith('/data/a.cmdb');
    const view = sub(t[2]).map(labelOf);
    expect(view).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'Toggle Theme']));
    expect(view).not.toContain('reload');
    expect(view).not.toContain('toggleDevTools');
    const help = sub(t[3]).map(labelOf);
    expect(help).toEqual(expect.arrayContaining(['Documentation', 'About CMDB Explorer']));
    expect(sub(t[1]).map(labelOf)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
  });

  it('adds reload and developer tools in development only', () => {
    const t = buildMenuTemplate(actions(), { platform: 'win32', isDev: true, recent: [], appName: 'X' });
    expect(sub(t[2]).map(labelOf)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    expect(sub(sub(t[0]).find((i) => i.label === 'Open Recent'))[0]).toMatchObject({ enabled: false });
  });

  it('follows macOS conventions: an app menu with About and Quit, no mnemonics, a Window menu', () => {
    const t = buildMenuTemplate(actions(), { platform: 'darwin', isDev: false, recent: [], appName: 'CMDB Explorer' });
    expect(t.map((m) => m.label ?? m.role)).toEqual(['CMDB Explorer', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
    expect(sub(t[0]).map(labelOf)).toEqual(expect.arrayContaining(['About CMDB Explorer', 'quit', 'hide']));
    expect(sub(t[1]).map(labelOf)).not.toContain('Quit');
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('keeps a sane saved state and drops positions that are off every screen', () => {
    expect(sanitizeWindowState({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, screens)).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
      maximized: true,
    });
    // A monitor that was unplugged: the window comes back where the system puts it.
    expect(sanitizeWindowState({ x: 2500, y: 100, width: 1200, height: 800 }, screens)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
    expect(sanitizeWindowState({ x: -1150, y: 10, width: 1200, height: 800 }, screens)).not.toHaveProperty('x');
    expect(sanitizeWindowState({ x: 100, y: -500, width: 1200, height: 800 }, screens)).not.toHaveProperty('x');
    // Absurd sizes are clamped; junk gives the defaults.
    expect(sanitizeWindowState({ width: 10, height: 99999 }, screens)).toMatchObject({ width: MIN_WIDTH, height: 1040 });
    expect(sanitizeWindowState('garbage', screens)).toEqual(DEFAULT_WINDOW_STATE);
    expect(sanitizeWindowState({ width: 'wide', height: NaN, x: Infinity, y: 0 }, screens)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('round-trips through the file and survives a damaged one', () => {
    const f = join(tmp, 'state', 'window-state.json');
    saveWindowState(f, { x: 5, y: 6, width: 1000, height: 700, maximized: false });
    expect(loadWindowState(f, screens)).toEqual({ x: 5, y: 6, width: 1000, height: 700, maximized: false });
    writeFileSync(f, '{ damaged');
    expect(loadWindowState(f, screens)).toEqual(DEFAULT_WINDOW_STATE);
    expect(loadWindowState(join(tmp, 'missing.json'), screens)).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('command-line files', () => {
  it('finds CMDB and CSV files, skipping the executable, the app folder and switches', () => {
    expect(
      filesFromArgv(
        ['/opt/cmdb/cmdb-explorer', '--no-sandbox', 'shop.cmdb', '/data/cis.csv', '--flag=x.csv', 'README.md', '.'],
        '/home/me',
      ),
    ).toEqual([
      { kind: 'cmdb', path: '/home/me/shop.cmdb' },
      { kind: 'csv', path: '/data/cis.csv' },
    ]);
    expect(classifyFile('/x/DATA.DB', '/')).toEqual({ kind: 'cmdb', path: '/x/DATA.DB' });
    expect(classifyFile('-rf.csv', '/')).toBeNull();
    expect(classifyFile('', '/')).toBeNull();
  });
});

describe('recent list', () => {
  it('puts the latest first, without duplicates, capped', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = addRecent(list, `/d/${i}.cmdb`);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toBe('/d/14.cmdb');
    list = addRecent(list, '/d/10.cmdb');
    expect(list.filter((p) => p === '/d/10.cmdb')).toHaveLength(1);
    expect(list[0]).toBe('/d/10.cmdb');
    expect(addRecent(['/D/A.cmdb'], '/d/a.cmdb', 'win32')).toEqual(['/d/a.cmdb']);
    expect(addRecent(['/D/A.cmdb'], '/d/a.cmdb', 'linux')).toEqual(['/d/a.cmdb', '/D/A.cmdb']);
  });

  it('round-trips and ignores junk', () => {
    const f = join(tmp, 'recent.json');
    saveRecent(f, ['/a.cmdb', '/b.cmdb']);
    expect(loadRecent(f)).toEqual(['/a.cmdb', '/b.cmdb']);
    writeFileSync(f, JSON.stringify(['/a.cmdb', 3, null, '']));
    expect(loadRecent(f)).toEqual(['/a.cmdb']);
    writeFileSync(f, '{"not":"a list"}');
    expect(loadRecent(f)).toEqual([]);
  });
});

describe('native binding choice', () => {
  it('prefers an explicit binding, then none when packaged, then the side build when present', () => {
    const root = join(tmp, 'app');
    const side = electronBindingPath(root, '140');
    expect(
      chooseNativeBinding({ env: { CMDB_SQLITE_NATIVE_BINDING: '/x.node' }, packaged: true, appRoot: root, modulesVersion: '140' }),
    ).toBe('/x.node');
    expect(chooseNativeBinding({ env: {}, packaged: false, appRoot: root, modulesVersion: '140' })).toBeNull();
    mkdirSync(join(side, '..'), { recursive: true });
    writeFileSync(side, '');
    expect(chooseNativeBinding({ env: {}, packaged: false, appRoot: root, modulesVersion: '140' })).toBe(side);
    expect(chooseNativeBinding({ env: {}, packaged: true, appRoot: root, modulesVersion: '140' })).toBeNull();
    expect(chooseNativeBinding({ env: {}, packaged: false, appRoot: root, modulesVersion: '141' })).toBeNull();
  });
});
