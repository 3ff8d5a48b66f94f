/**
 * The loopback web host: serves the built renderer and the CmdbApi as JSON
 * over HTTP on 127.0.0.1, for machines without the Electron binary and for
 * end-to-end tests in a real browser. Imports nothing from Electron.
 *
 * Protocol (the renderer's HTTP client codes against exactly this):
 * - `GET /?token=T` (and any other path that ends in the page: unknown paths
 *   get index.html for client-side routes) serves the page only with the
 *   token in its query; without it, a 401 text page says which URL to open.
 *   The page keeps `?token=` in its address, so reloads work. The other files
 *   of `staticDir` (scripts, styles, fonts) are the public app build and need
 *   no token.
 * - `POST /api/<method>` for each method of the contract: the body is the JSON
 *   request, the answer always the envelope `{ok:true,value}` /
 *   `{ok:false,error:{code,message,details?}}`. Status 200 for answers and
 *   handled errors; 400 malformed JSON; 401 missing or wrong token; 403 foreign
 *   Host or cross-origin; 404 unknown method; 405 wrong verb; 413 body too large.
 *   The token travels in the `X-CMDB-Token` header, nowhere else.
 * - `GET /api/events`: Server-Sent Events, `event: <type>` + `data: <json>` per
 *   CmdbEvent (shared/events.ts). The token travels in the header or, because
 *   EventSource cannot set headers, as `?token=T` (accepted on this path only).
 * - No cookie, ever: cookies ignore ports, so one would leak to every service
 *   on 127.0.0.1 and be overwritten by a second host on another port.
 * - `POST /api/upload?name=F.csv`: the raw bytes of a CSV file the person
 *   chose in the page, streamed to a private temporary folder (never held in
 *   memory) and opened for the engine; the answer is the envelope of a
 *   FileRef, whose `fileId` previewCsv, importCsv and startImport take.
 *   Requests from the page never name a path (the contract's door policy).
 *
 * Heavy methods (the contract's policy) run a few at a time; a queued one
 * whose client has left is dropped, and a running import whose client left is
 * cancelled.
 */
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_BODY_LIMIT, type Door, isMethodName, METHOD_NAMES, type MethodName, policyOf } from '../../shared/api.js';
import { CmdbError, type Envelope } from '../../shared/errors.js';
import type { CmdbEventSource } from '../../shared/events.js';
import { UPLOAD_LIMIT, UPLOAD_PATH } from '../../shared/import.js';
import { openEventStream } from './event-stream.js';
import { HttpError, methodNotAllowed, parseJsonBody, readBody, sendEnvelope, sendStream } from './http.js';
import { Slots } from './slots.js';
import { checkToken, isAllowedHost, isAllowedOrigin, newToken, SECURITY_HEADERS, TOKEN_HEADER, tokensEqual } from './security.js';
import { serveStatic } from './static-files.js';
import { storeUpload } from './upload.js';
import { newUploadsFolder } from './uploads-folder.js';

/** What the page is told of an unexpected error (its detail goes to the host's log). */
export const UNEXPECTED =
  'The web host failed to answer this request (an unexpected error; its detail is in the output of `cmdb serve`). Try again.';

/** How many heavy calls (imports, previews, exports: the contract's policy) run at once; more wait their turn. */
export const HEAVY_SLOTS = 2;

/** What the web host needs from the engine: CmdbService fits. */
export interface WebHostService extends Partial<CmdbEventSource> {
  /** Runs a method for `door` ('web' for the page's calls, 'main' for the host's own); `signal` aborts when the client left. */
  call(method: MethodName, body: unknown, door: Door, signal?: AbortSignal): Promise<Envelope<unknown>>;
  /** The JSON text of a streaming method's envelope, piece by piece (CmdbService.stream); without it, `call` answers those too. */
  stream?(method: MethodName, body: unknown, door: Door, signal?: AbortSignal): AsyncIterable<string>;
}

export interface WebHostOptions {
  service: WebHostService;
  /** 0 or absent: any free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Defaults to 32 random bytes in hex. */
  token?: string;
  /** Override the contract's body limits and the upload limit (tests use small ones). */
  bodyLimits?: { default?: number; perMethod?: Partial<Record<MethodName, number>>; upload?: number };
  /** How many heavy calls run at once (default HEAVY_SLOTS). */
  heavySlots?: number;
  /** Seconds between SSE keep-alive comments (default 25). */
  heartbeatSeconds?: number;
  /** Where the detail of an unexpected error goes, one line at a time (default: this process's stderr). */
  log?: (line: string) => void;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what the user opens. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Starts the web host on 127.0.0.1. Resolves once it is listening. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  checkToken(token, 'The web host token');
  const staticDir = resolve(options.staticDir);
  const bodyLimit = (m: MethodName): number =>
    options.bodyLimits?.perMethod?.[m] ?? policyOf(m).bodyLimit ?? options.bodyLimits?.default ?? DEFAULT_BODY_LIMIT;
  const uploadLimit = options.bodyLimits?.upload ?? UPLOAD_LIMIT;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const heavy = new Slots(options.heavySlots ?? HEAVY_SLOTS);
  // Uploads are stored here, readable by this user only, and removed with the host.
  const uploads = newUploadsFolder();
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  // No limit on a whole request's time (Node's default cuts any request off at 5 minutes with its own bare 408):
  // an upload of up to 4 GB must not need 14 MB/s. A request's headers still have headersTimeout's minute.
  const server: Server = createServer({ requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendEnvelope(res, err.status, { ok: false, error: err.info });
      // A CmdbError's message is written for the person; any other error's may name private paths (the uploads
      // folder's, in a file-system error): the page gets a generic message, the host's own output the detail.
      if (err instanceof CmdbError) return sendEnvelope(res, 500, { ok: false, error: err.toInfo() });
      log(
        `web host: ${req.method ?? '?'} ${(req.url ?? '').split('?', 1)[0]} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      sendEnvelope(res, 500, { ok: false, error: { code: 'INTERNAL', message: UNEXPECTED } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const host = req.headers.host;
    if (!isAllowedHost(host, port)) {
      throw new HttpError(403, {
        code: 'UNTRUSTED_SENDER',
        message: `Refused: the Host header must be 127.0.0.1:${port} or localhost:${port}. Open the URL that \`cmdb serve\` printed.`,
      });
    }
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, host!)) {
      throw new HttpError(403, { code: 'UNTRUSTED_SENDER', message: `Refused: cross-origin request from ${origin}.` });
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    // The raw path, not url.pathname: the URL parser would resolve `..` before we could refuse it.
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    if (rawPath === '/api' || rawPath.startsWith('/api/')) return handleApi(req, res, rawPath, url);
    return serveStatic(req, res, rawPath, url, staticDir, token);
  }

  function requireToken(given: string | null | undefined): void {
    if (!tokensEqual(given, token)) {
      throw new HttpError(401, {
        code: 'UNTRUSTED_SENDER',
        message: 'Missing or wrong token. Open the URL that `cmdb serve` printed (it ends with ?token=...).',
      });
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const name = path.slice('/api/'.length);
    const header = req.headers[TOKEN_HEADER];
    // EventSource cannot set headers, so the event stream alone also takes the token from its query.
    requireToken(typeof header === 'string' ? header : name === 'events' ? url.searchParams.get('token') : undefined);
    if (path === UPLOAD_PATH) {
      if (req.method !== 'POST') throw methodNotAllowed(res, 'POST');
      return handleUpload(req, res, url);
    }
    if (name === 'events') {
      if (req.method !== 'GET') throw methodNotAllowed(res, 'GET');
      return openEventStream(req, res, options.service, streams, options.heartbeatSeconds);
    }
    if (!isMethodName(name)) {
      throw new HttpError(404, {
        code: 'NOT_FOUND',
        message: `No API method "${name}". Methods: ${METHOD_NAMES.join(', ')}.`,
      });
    }
    if (req.method !== 'POST') throw methodNotAllowed(res, 'POST');
    await answer(res, name, async () => parseJsonBody(await readBody(req, bodyLimit(name), name, adviceFor(name))));
  }

  /**
   * Runs a call for the page and answers it. Heavy ones wait for a slot
   * before their body is read (a queue of them holds no bodies, which may be
   * a CSV of 32 MB each, in memory); one whose client left while it waited is
   * dropped, and one running when its client leaves is told so (an import
   * cancels and writes nothing, an export stops). A method whose policy
   * streams is sent as it is made.
   */
  async function answer(res: ServerResponse, name: MethodName, readRequest: () => Promise<unknown>): Promise<void> {
    const left = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) left.abort();
    };
    res.on('close', onClose);
    const policy = policyOf(name);
    const release = policy.heavy ? await heavy.take(left.signal) : () => undefined;
    try {
      if (!release) return;
      const body = await readRequest();
      const { stream } = options.service;
      if (policy.stream && stream) return await sendStream(res, stream.call(options.service, name, body, 'web', left.signal));
      sendEnvelope(res, 200, await options.service.call(name, body, 'web', left.signal));
    } finally {
      release?.();
      res.off('close', onClose);
    }
  }

  /** Streams an uploaded CSV to the uploads folder and has the engine open it. */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name') ?? '';
    const path = await storeUpload(req, name, uploads, uploadLimit);
    const envelope = await options.service.call('openFile', { path, name, temporary: true }, 'main');
    sendEnvelope(res, 200, envelope);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of streams) s.end();
        server.close(() => {
          rmSync(uploads, { recursive: true, force: true });
          ok();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}

/** What to do instead of sending a method's body that was too large. */
function adviceFor(method: MethodName): string {
  return policyOf(method).files ? ' Upload the file instead (the Import screen does), or import it with `cmdb import`.' : '';
}
