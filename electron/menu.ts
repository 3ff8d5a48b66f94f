/**
 * The native menus, as a template built from plain data so a test can check
 * it without Electron: File, Edit, View, Help (and the app menu on macOS),
 * with each platform's usual shortcuts.
 */
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newCmdb(): void;
  openCmdb(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  importCsv(): void;
  exportCsv(): void;
  toggleTheme(): void;
  about(): void;
  documentation(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development builds add Reload and the developer tools. */
  isDev: boolean;
  recent: readonly string[];
  appName: string;
}

export function buildMenuTemplate(a: MenuActions, o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  // Alt-key mnemonics (`&File`) are a Windows and Linux habit; macOS shows the ampersand.
  const top = (label: string): string => (mac ? label : `&${label}`);
  const recent: MenuItemConstructorOptions[] =
    o.recent.length === 0
      ? [{ label: 'No recent CMDBs', enabled: false }]
      : [
          ...o.recent.map((p): MenuItemConstructorOptions => ({
            label: basename(p),
            sublabel: p,
            toolTip: p,
            click: () => a.openRecent(p),
          })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => a.clearRecent() },
        ];

  const file: MenuItemConstructorOptions = {
    label: top('File'),
    submenu: [
      { label: 'New CMDB…', accelerator: 'CmdOrCtrl+N', click: () => a.newCmdb() },
      { label: 'Open CMDB…', accelerator: 'CmdOrCtrl+O', click: () => a.openCmdb() },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Import CSV…', accelerator: 'CmdOrCtrl+I', click: () => a.importCsv() },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => a.exportCsv() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: top('Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: top('View'),
    submenu: [
      ...(o.isDev
        ? [
            { role: 'reload' } as const,
            { role: 'forceReload' } as const,
            { role: 'toggleDevTools' } as const,
            { type: 'separator' } as const,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+L', click: () => a.toggleTheme() },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: top('Help'),
    submenu: [
      { label: 'Documentation', accelerator: mac ? undefined : 'F1', click: () => a.documentation() },
      ...(mac ? [] : [{ type: 'separator' } as const, { label: `About ${o.appName}`, click: () => a.about() }]),
    ],
  };

  const appMenu: MenuItemConstructorOptions = {
    label: o.appName,
    submenu: [
      { label: `About ${o.appName}`, click: () => a.about() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  return mac ? [appMenu, file, edit, view, { role: 'windowMenu' }, help] : [file, edit, view, help];
}
