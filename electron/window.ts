/**
 * The main window and the rules every web contents of the app follows:
 * Electron's security checklist in code, with the settings exported so a
 * test can hold them to it.
 */
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { openExternalSafely } from './safe-open.js';
import { droppedCsvPath, isAppUrl, isSafeExternalUrl } from './trusted-url.js';
import { MIN_HEIGHT, MIN_WIDTH, type WindowState } from './window-state.js';

export interface WindowHandlers {
  /** A CSV file was dropped on the window. */
  onCsvDropped(path: string): void;
}

const hardened = new WeakSet<WebContents>();

/**
 * Navigation never leaves the app: links to the web open in the system
 * browser (http(s) only), dropped CSV files start an import, anything else is
 * refused. No new windows, no webviews.
 */
export function hardenWebContents(wc: WebContents, handlers: WindowHandlers): void {
  // Called for every web contents the app creates and again for the main window: once is enough.
  if (hardened.has(wc)) return;
  hardened.add(wc);
  const onNavigate = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    const csv = droppedCsvPath(url);
    if (csv) handlers.onCsvDropped(csv);
    else if (isSafeExternalUrl(url)) void openExternalSafely(url);
  };
  wc.on('will-navigate', onNavigate);
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternalSafely(url);
    return { action: 'deny' };
  });
}

/** The app needs no camera, microphone, notifications, geolocation, USB, HID or serial ports: every request is refused. */
export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

export interface MainWindowOptions extends WindowHandlers {
  preload: string;
  state: WindowState;
  title: string;
  icon?: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...(opts.state.x !== undefined && opts.state.y !== undefined ? { x: opts.state.x, y: opts.state.y } : {}),
    width: opts.state.width,
    height: opts.state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: opts.title,
    show: false,
    backgroundColor: '#1b1f24',
    ...(opts.icon ? { icon: opts.icon } : {}),
    // The renderer gets no Node and no Electron, only what the preload exposes through contextBridge.
    // (Written out here, not built elsewhere, so the electronegativity scan sees the real settings.)
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Middle-click must not open links in new windows behind the window.open handler's back.
      disableBlinkFeatures: 'Auxclick',
      // A file dropped outside any drop zone becomes a navigation we intercept (will-navigate) to start a CSV import.
      navigateOnDragDrop: true,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  hardenWebContents(win.webContents, opts);
  if (opts.state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  return win;
}
