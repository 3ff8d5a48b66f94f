/**
 * The Electron main process: thin wiring of app events to the shell. The
 * engine runs in a worker thread (engine-host.ts), IPC is registered from the
 * contract (ipc.ts), and the renderer is served from app://cmdb/.
 */
import { join } from 'node:path';
import { app, session } from 'electron';
import { handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { filesFromArgv, classifyFile, type LaunchFile } from './argv.js';
import { registerIpcHandlers } from './ipc.js';
import { removeUploads } from './ipc-upload.js';
import { chooseNativeBinding } from './native-binding.js';
import { AppShell } from './shell.js';
import { denyAllPermissions, hardenWebContents } from './window.js';

const root = app.getAppPath();
const isDev = !app.isPackaged;

// A separate profile (tests, or a second independent instance): window state, recent list and the single-instance lock live there.
if (process.env.CMDB_USER_DATA) app.setPath('userData', process.env.CMDB_USER_DATA);
// The default CMDB lives in Electron's userData (the engine worker inherits the environment); $CMDB_DB overrides it.
if (!process.env.CMDB_DB) process.env.CMDB_DB = join(app.getPath('userData'), 'cmdb.db');

// Before anything opens a database: in a checkout, load an Electron-ABI better-sqlite3 build when one is present.
const binding = chooseNativeBinding({
  env: process.env,
  packaged: app.isPackaged,
  appRoot: root,
  modulesVersion: process.versions.modules,
});
if (binding) process.env.CMDB_SQLITE_NATIVE_BINDING = binding;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our argv through 'second-instance' and opens the files there.
  app.quit();
} else {
  const shellApp = new AppShell(
    {
      preload: join(root, 'dist', 'electron', 'preload.cjs'),
      workerFile: join(root, 'dist', 'electron', 'engine-worker.js'),
      userData: app.getPath('userData'),
      readme: join(root, 'README.md'),
      icon: join(root, 'assets', 'icon.png'),
    },
    isDev,
  );
  const pending: LaunchFile[] = filesFromArgv(process.argv, process.cwd());
  let ready = false;

  app.on('second-instance', (_event, argv, workingDirectory) => {
    shellApp.focus();
    void shellApp.openFiles(filesFromArgv(argv, workingDirectory));
  });

  // macOS: files dropped on the Dock icon or opened from Finder, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    const f = classifyFile(path, process.cwd());
    if (!f) return;
    if (ready) void shellApp.openFiles([f]);
    else pending.push(f);
  });

  // Every web contents, present and future: no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_event, wc) => hardenWebContents(wc, { onCsvDropped: (p) => void shellApp.importFiles([p]) }));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (!shellApp.window && ready) shellApp.createWindow();
  });

  let quitting = false;
  app.on('will-quit', (event) => {
    removeUploads();
    if (quitting || !shellApp.engine) return;
    // Close the database cleanly (WAL checkpoint) before the process ends.
    event.preventDefault();
    quitting = true;
    void shellApp.engine.close().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    handleAppProtocol(join(root, 'dist', 'renderer'));
    registerIpcHandlers(() => shellApp.engine);
    // The CMDB named on the command line, else the last one used, else the default (the demo the first time).
    const named = pending.find((f) => f.kind === 'cmdb')?.path ?? shellApp.lastUsed();
    const opened = named ? await shellApp.openCmdb('open', named) : false;
    if (!opened) await shellApp.openCmdb('default');
    shellApp.refreshMenu();
    shellApp.createWindow();
    ready = true;
    const csv = pending.filter((f) => f.kind === 'csv').map((f) => f.path);
    if (csv.length > 0) await shellApp.importFiles(csv);
  });
}
