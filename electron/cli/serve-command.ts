/** `cmdb serve`: the UI and the API on 127.0.0.1 for a browser on this machine. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { INTERACTIVE_BUSY_TIMEOUT_MS } from '../cmdb/db.js';
import { openDefaultCmdb } from '../cmdb/default-cmdb.js';
import { appRoot } from '../cmdb/paths.js';
import { checkToken } from '../web/security.js';
import { startWebHost } from '../web/server.js';
import { action, parseInteger, withCommon, type GlobalOpts } from './common.js';
import { openInBrowser, type RedirectPage } from './open-browser.js';
import { printLines, printResult } from './terminal.js';

export function registerServeCommand(program: Command): void {
  withCommon(program.command('serve'))
    .description(
      'serve the app in a browser on this machine (127.0.0.1 only, with a random token in the URL); ' +
        'a CMDB file that does not exist yet, the default one or one named with --db, is created holding the demo inventory ' +
        '(to start empty, undo its import on the Import screen, or first import your own files into it with cmdb import)',
    )
    .option('--port <n>', 'TCP port (default: any free port)')
    .option('--open', 'open the URL in the default browser')
    .option('--static <dir>', 'the built renderer to serve', 'dist/renderer')
    .action(
      action(async (opts: GlobalOpts & { port?: string; open?: boolean; static: string }) => {
        // 0, or no --port: any free port.
        const port = parseInteger('--port', opts.port, 0, 65535) ?? 0;
        const staticDir = resolve(appRoot(), opts.static);
        // CMDB_WEB_TOKEN lets a test harness know the URL in advance; otherwise a fresh random token. Checked
        // before the CMDB is opened: a refused token creates no CMDB file.
        const token = process.env.CMDB_WEB_TOKEN || undefined;
        if (token !== undefined) checkToken(token, 'CMDB_WEB_TOKEN', 'Set one that is, or unset it for a fresh random token.');
        // Interactive: a request that finds the CMDB locked must not hold up every other request for long.
        const opened = await openDefaultCmdb({
          path: opts.db ? resolve(opts.db) : undefined,
          source: 'web',
          busyTimeoutMs: INTERACTIVE_BUSY_TIMEOUT_MS,
        });
        const host = await startWebHost({
          service: opened.service,
          port,
          staticDir,
          token,
          // An unexpected error's detail (its stack) may quote data: shown escaped, as all the command prints.
          log: (line) => printLines(line.split('\n'), 'stderr'),
        });
        // The page --open hands the browser (the token kept off command lines), removed when we stop.
        let opener: RedirectPage | null = null;
        // Stop handlers go in before the URL is printed: whoever reads the URL may signal us at once.
        const stopped = new Promise<void>((done) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            opener?.remove();
            void host.close().then(() => {
              opened.service.close();
              done();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        const served = { url: host.url, port: host.port, db: opened.path, created: opened.created, fromDemo: opened.fromDemo };
        printResult(opts, served, () => {
          // A new file holds the demo, named or not (docs/security.md): the way to start empty is said where it happens.
          const what = opened.created
            ? opened.fromDemo
              ? ' (new, filled from the demo inventory; to start empty, undo its import on the Import screen)'
              : ' (new and empty)'
            : '';
          return [
            `CMDB Explorer is serving ${opened.path}${what}`,
            ...(existsSync(join(staticDir, 'index.html'))
              ? []
              : [`The UI is not built (${staticDir}); run \`npm run build:renderer\`. The API works meanwhile.`]),
            `Open ${host.url}`,
            'Press Ctrl+C to stop.',
          ];
        });
        if (opts.open) opener = openInBrowser(host.url);
        await stopped;
      }),
    );
}
