/**
 * The renderer is served from `app://cmdb/`, a privileged standard scheme, not
 * from file:// (where every local file would share one origin). Paths go
 * through the same traversal-safe resolver as the web host, and responses
 * carry the same Content-Security-Policy.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol } from 'electron';
import { mimeType } from './web/mime.js';
import { SECURITY_HEADERS } from './web/security.js';
import { resolveStaticPath } from './web/static-path.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './trusted-url.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `app://cmdb/<path>` from `rendererDir`. Must run once the app is ready. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}

/** The request handler, apart from Electron so it is tested with plain Requests. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const text = (status: number, body: string): Response =>
      new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'Bad URL.');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed.');
    // The path as it was written (Chromium has already resolved plain `..` for a standard scheme; encoded forms remain).
    const rawPath = request.url.slice(APP_ORIGIN.length).split(/[?#]/, 1)[0] || '/';
    const file = resolveStaticPath(rendererDir, rawPath);
    if (file === null) return text(404, 'Not found.');
    let target = file;
    if (!(await isFile(target))) {
      target = join(rendererDir, 'index.html'); // client-side routes
      if (!(await isFile(target))) return text(503, `The UI is not built (${target} is missing). Run \`npm run build\`.`);
    }
    const body = request.method === 'HEAD' ? null : await readFile(target);
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': mimeType(target), 'Cache-Control': 'no-cache' },
    });
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
