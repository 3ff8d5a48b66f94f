/** The web host's static side: the built renderer, the page itself only with its token. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendText } from './http.js';
import { mimeType } from './mime.js';
import { tokensEqual } from './security.js';
import { resolveStaticPath } from './static-path.js';

/**
 * Serves `path` from `staticDir` (unknown paths get index.html, for
 * client-side routes). HTML runs as this origin, so it needs `token` in the
 * query; scripts, styles and workers are the public app build.
 */
export function serveStatic(req: IncomingMessage, res: ServerResponse, path: string, url: URL, staticDir: string, token: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'Method not allowed.');
  }
  const file = resolveStaticPath(staticDir, path);
  if (file === null) return sendText(res, 404, 'Not found.');
  const target = isFile(file) ? file : join(staticDir, 'index.html');
  // Scripts, styles and workers are the public app build; a page (HTML runs as this origin) needs the token.
  if (mimeType(target).startsWith('text/html') && !tokensEqual(url.searchParams.get('token'), token)) {
    return sendText(
      res,
      401,
      'This CMDB Explorer page needs its token. Open the full URL that `cmdb serve` printed (it ends with ?token=...).',
    );
  }
  if (!isFile(target)) {
    return sendText(res, 503, `The UI is not built yet (${target} is missing). Run \`npm run build:renderer\`, then reload.`);
  }
  const size = statSync(target).size;
  res.writeHead(200, {
    'Content-Type': mimeType(target),
    'Content-Length': String(size),
    // Never kept: the page's address holds the token, and a browser's cache keeps a page under its address.
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(target);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
