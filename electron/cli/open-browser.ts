/**
 * `cmdb serve --open`: opens the page in the desktop's browser without
 * putting its token on a command line. Every user of the machine can read
 * the command lines of every process (`ps`, /proc/PID/cmdline), and the
 * browser started with a URL keeps it in its own for as long as it runs; the
 * token is what keeps other users' programs off 127.0.0.1:PORT. So the URL
 * goes into a page readable by this user only, which sends the browser on to
 * it, and the command line names that file (as Jupyter does).
 */
import { htmlText } from '../../shared/html.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printLines } from './terminal.js';

/** A page on disk that sends the browser on to a URL; `remove` deletes it (when the host stops). */
export interface RedirectPage {
  file: string;
  remove(): void;
}

/** Writes the page that sends the browser on to `url`, in a new folder only this user can read (0700, the file 0600). */
export function writeRedirectPage(url: string): RedirectPage {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-open-'));
  const file = join(dir, 'open.html');
  const href = htmlText(url);
  writeFileSync(
    file,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>CMDB Explorer</title>
</head>
<body>
<p>Opening CMDB Explorer… If nothing happens, <a href="${href}">open it here</a>.</p>
</body>
</html>
`,
    { mode: 0o600, flag: 'wx' },
  );
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The command that opens a file in the desktop's default program for it (a browser, for a .html page). */
export function openCommand(file: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [file]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', file]];
  return ['xdg-open', [file]];
}

/**
 * Opens `url` in the desktop's browser through a redirect page; failure is
 * reported, not fatal (the URL is printed anyway). Returns the page, for the
 * caller to remove when the host stops.
 */
export function openInBrowser(url: string): RedirectPage {
  const page = writeRedirectPage(url);
  const [cmd, args] = openCommand(page.file);
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', (err) => printLines([`cmdb: could not open a browser (${err.message}); open the URL above yourself.`], 'stderr'));
  child.unref();
  return page;
}
