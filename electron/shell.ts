/**
 * The desktop shell's state and menu commands: which CMDB is open (in the
 * engine worker), the window, the recent list, and the native dialogs behind
 * File > New, Open, Import and Export. main.ts wires it to app events.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  app,
  type BrowserWindow,
  dialog,
  Menu,
  type MessageBoxOptions,
  type OpenDialogOptions,
  type SaveDialogOptions,
  screen,
  shell,
} from 'electron';
import { toErrorInfo } from '../shared/errors.js';
import { CMDB_EXTENSIONS, CSV_EXTENSIONS } from '../shared/file-name.js';
import type { CmdbEvent } from '../shared/events.js';
import type { FileRef } from '../shared/import.js';
import type { LaunchFile } from './argv.js';
import { EngineHost, NO_CMDB_OPEN } from './engine-host.js';
import type { EngineWorkerData } from './engine-protocol.js';
import { forwardEvents, sendEvent } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { addRecent, loadRecent, saveRecent } from './recent.js';
import { APP_ENTRY_URL } from './trusted-url.js';
import { createMainWindow } from './window.js';
import { loadWindowState, saveWindowState } from './window-state.js';

export interface ShellPaths {
  preload: string;
  workerFile: string;
  userData: string;
  readme: string;
  icon?: string;
}

const CMDB_FILTERS = [
  { name: 'CMDB files', extensions: [...CMDB_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];
const CSV_FILTERS = [
  { name: 'CSV files', extensions: [...CSV_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

export class AppShell {
  engine: EngineHost | null = null;
  window: BrowserWindow | null = null;
  private recent: string[];
  private unforward: (() => void) | null = null;
  private loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly paths: ShellPaths,
    private readonly isDev: boolean,
  ) {
    this.recent = loadRecent(this.recentFile);
  }

  private get recentFile(): string {
    return join(this.paths.userData, 'recent.json');
  }

  private get stateFile(): string {
    return join(this.paths.userData, 'window-state.json');
  }

  /** Opens (or creates) a CMDB in a fresh engine worker, then retires the old one. Returns false when it could not. */
  async openCmdb(mode: EngineWorkerData['mode'], path?: string): Promise<boolean> {
    let next: EngineHost;
    try {
      next = await EngineHost.start({ workerFile: this.paths.workerFile, mode, path, source: 'ui' });
    } catch (err) {
      await this.showError(path ? `Could not open ${basename(path)}` : 'Could not open the CMDB', err);
      return false;
    }
    const old = this.engine;
    this.engine = next;
    this.unforward?.();
    this.unforward = forwardEvents(next, () => this.window?.webContents);
    await old?.close();
    this.recent = addRecent(this.recent, next.path);
    saveRecent(this.recentFile, this.recent);
    this.refreshMenu();
    this.window?.setTitle(this.title());
    if (old) this.send({ type: 'cmdb-changed', path: next.path });
    return true;
  }

  /** The most recently used CMDB that still exists, if any. */
  lastUsed(): string | null {
    return this.recent.find((p) => existsSync(p)) ?? null;
  }

  title(): string {
    return this.engine ? `${basename(this.engine.path)} — ${app.getName()}` : app.getName();
  }

  createWindow(): BrowserWindow {
    const areas = screen.getAllDisplays().map((d) => d.workArea);
    const win = createMainWindow({
      preload: this.paths.preload,
      state: loadWindowState(this.stateFile, areas),
      title: this.title(),
      icon: this.paths.icon,
      onCsvDropped: (path) => void this.importFiles([path]),
    });
    let timer: NodeJS.Timeout | undefined;
    const save = (): void => {
      if (win.isDestroyed() || win.isMinimized()) return;
      const b = win.getNormalBounds();
      saveWindowState(this.stateFile, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
    };
    const saveSoon = (): void => {
      clearTimeout(timer);
      timer = setTimeout(save, 500);
    };
    win.on('resize', saveSoon);
    win.on('move', saveSoon);
    win.on('close', () => {
      clearTimeout(timer);
      save();
    });
    win.on('closed', () => {
      if (this.window === win) this.window = null;
    });
    this.loaded = new Promise((resolve) => win.webContents.once('did-finish-load', () => resolve()));
    void win.loadURL(APP_ENTRY_URL);
    this.window = win;
    return win;
  }

  focus(): void {
    const win = this.window;
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Files named on a command line or by the OS: a CMDB is opened, CSV files start the import flow. */
  async openFiles(files: readonly LaunchFile[]): Promise<void> {
    const cmdb = files.find((f) => f.kind === 'cmdb');
    if (cmdb) await this.openCmdb('open', cmdb.path);
    const csv = files.filter((f) => f.kind === 'csv').map((f) => f.path);
    if (csv.length > 0) await this.importFiles(csv);
  }

  /**
   * Hands CSV files the user picked or dropped to the import flow: the engine
   * opens them (and detects their encoding) for the main process, and the
   * renderer gets only their ids, never a path it could change.
   */
  async importFiles(paths: readonly string[]): Promise<void> {
    if (!this.engine) return void (await this.showError('Could not import', new Error(NO_CMDB_OPEN.message)));
    const files: FileRef[] = [];
    for (const path of paths) {
      const opened = await this.engine.call('openFile', { path }, 'main');
      if (!opened.ok) return void (await this.showError(`Could not read ${basename(path)}`, opened.error));
      files.push(opened.value as FileRef);
    }
    await this.loaded;
    this.focus();
    this.send({ type: 'import-files', files });
  }

  send(event: CmdbEvent): void {
    sendEvent(this.window?.webContents, event);
  }

  refreshMenu(): void {
    const template = buildMenuTemplate(
      {
        newCmdb: () => void this.newCmdb(),
        openCmdb: () => void this.chooseCmdb(),
        openRecent: (p) => void this.openRecent(p),
        clearRecent: () => {
          this.recent = this.engine ? [this.engine.path] : [];
          saveRecent(this.recentFile, this.recent);
          this.refreshMenu();
        },
        importCsv: () => void this.chooseCsv(),
        exportCsv: () => void this.exportCsv(),
        toggleTheme: () => this.send({ type: 'menu-command', command: 'toggle-theme' }),
        about: () => app.showAboutPanel(),
        documentation: () => void shell.openPath(this.paths.readme),
      },
      { platform: process.platform, isDev: this.isDev, recent: this.recent, appName: app.getName() },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  private async newCmdb(): Promise<void> {
    const r = await this.saveDialog({
      title: 'New CMDB',
      buttonLabel: 'Create',
      defaultPath: join(app.getPath('documents'), 'cmdb.cmdb'),
      filters: CMDB_FILTERS,
    });
    if (!r) return;
    if (existsSync(r)) {
      const answer = await this.messageBox({
        type: 'question',
        message: `${basename(r)} already exists.`,
        detail: 'A new CMDB needs a new file. Open the existing one instead?',
        buttons: ['Open It', 'Cancel'],
        defaultId: 0,
        cancelId: 1,
      });
      if (answer === 0) await this.openCmdb('open', r);
      return;
    }
    await this.openCmdb('create', r);
  }

  private async chooseCmdb(): Promise<void> {
    const r = await this.openDialog({ title: 'Open CMDB', filters: CMDB_FILTERS, properties: ['openFile'] });
    if (r[0]) await this.openCmdb('open', r[0]);
  }

  private async openRecent(path: string): Promise<void> {
    if (!existsSync(path)) {
      this.recent = this.recent.filter((p) => p !== path);
      saveRecent(this.recentFile, this.recent);
      this.refreshMenu();
      await this.showError(`Could not open ${basename(path)}`, new Error(`${path} no longer exists; it was removed from the recent list.`));
      return;
    }
    await this.openCmdb('open', path);
  }

  private async chooseCsv(): Promise<void> {
    const r = await this.openDialog({ title: 'Import CSV', filters: CSV_FILTERS, properties: ['openFile', 'multiSelections'] });
    if (r.length > 0) await this.importFiles(r);
  }

  /** Writes cis.csv and relationships.csv into a folder the user picks. */
  private async exportCsv(): Promise<void> {
    if (!this.engine) return;
    const r = await this.openDialog({
      title: 'Export CSV to folder',
      buttonLabel: 'Export Here',
      properties: ['openDirectory', 'createDirectory'],
    });
    const dir = r[0];
    if (!dir) return;
    const targets = { cis: join(dir, 'cis.csv'), relationships: join(dir, 'relationships.csv') };
    const existing = Object.values(targets).filter((p) => existsSync(p));
    if (existing.length > 0) {
      const answer = await this.messageBox({
        type: 'warning',
        message: `Replace ${existing.map((p) => basename(p)).join(' and ')} in ${basename(dir)}?`,
        buttons: ['Replace', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      });
      if (answer !== 0) return;
    }
    // The engine writes the files as it reads the CMDB (streamed, however large).
    const env = await this.engine.call('exportCsvFiles', targets, 'main');
    if (!env.ok) return void (await this.showError('Export failed', env.error));
    await this.messageBox({
      type: 'info',
      message: 'Export complete.',
      detail: `Wrote ${targets.cis} and ${targets.relationships}.`,
      buttons: ['OK'],
    });
  }

  private async openDialog(options: OpenDialogOptions): Promise<string[]> {
    const r = this.window ? await dialog.showOpenDialog(this.window, options) : await dialog.showOpenDialog(options);
    return r.canceled ? [] : r.filePaths;
  }

  private async saveDialog(options: SaveDialogOptions): Promise<string | null> {
    const r = this.window ? await dialog.showSaveDialog(this.window, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  }

  private async messageBox(options: MessageBoxOptions): Promise<number> {
    const r = this.window ? await dialog.showMessageBox(this.window, options) : await dialog.showMessageBox(options);
    return r.response;
  }

  private async showError(title: string, err: unknown): Promise<void> {
    const info =
      typeof err === 'object' && err !== null && 'code' in err && 'message' in err ? (err as { message: string }) : toErrorInfo(err);
    await this.messageBox({ type: 'error', message: title, detail: info.message, buttons: ['OK'] });
  }
}
