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
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_BODY_LIMIT, type Door, isMethodName, METHOD_NAMES, type MethodName, policyOf } from '../../shared/api.js';
import type { Envelope, ErrorInfo } from '../../shared/errors.js';
import type { CmdbEvent, CmdbEventSource } from '../../shared/events.js';
import { CSV_FILE_NAME, UPLOAD_LIMIT, UPLOAD_PATH } from '../../shared/import.js';
import { Slots } from './slots.js';
import { mimeType } from './mime.js';
import { isAllowedHost, isAllowedOrigin, isWellFormedToken, newToken, SECURITY_HEADERS, TOKEN_HEADER, tokensEqual } from './security.js';
import { resolveStaticPath } from './static-path.js';

const MiB = 1024 * 1024;

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
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what the user opens. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly info: ErrorInfo,
  ) {
    super(info.message);
  }
}

/** Starts the web host on 127.0.0.1. Resolves once it is listening. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  if (!isWellFormedToken(token)) {
    throw new Error('The web host token must be 32 to 256 letters, digits, "-" or "_".');
  }
  const staticDir = resolve(options.staticDir);
  const bodyLimit = (m: MethodName): number =>
    options.bodyLimits?.perMethod?.[m] ?? policyOf(m).bodyLimit ?? options.bodyLimits?.default ?? DEFAULT_BODY_LIMIT;
  const uploadLimit = options.bodyLimits?.upload ?? UPLOAD_LIMIT;
  const heavy = new Slots(options.heavySlots ?? HEAVY_SLOTS);
  // Uploads are stored here, readable by this user only, and removed with the host.
  const uploads = mkdtempSync(join(tmpdir(), 'cmdb-uploads-'));
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendEnvelope(res, err.status, { ok: false, error: err.info });
      const message = err instanceof Error ? err.message : String(err);
      sendEnvelope(res, 500, { ok: false, error: { code: 'INTERNAL', message } });
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
    return handleStatic(req, res, rawPath, url);
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
      return openEventStream(req, res);
    }
    if (!isMethodName(name)) {
      throw new HttpError(404, {
        code: 'NOT_FOUND',
        message: `No API method "${name}". Methods: ${METHOD_NAMES.join(', ')}.`,
      });
    }
    if (req.method !== 'POST') throw methodNotAllowed(res, 'POST');
    const text = await readBody(req, bodyLimit(name), name);
    let body: unknown = {};
    if (text.trim().length > 0) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new HttpError(400, {
          code: 'INVALID_REQUEST',
          message: `The request body is not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
        });
      }
    }
    await answer(res, name, body);
  }

  /**
   * Runs a call for the page and answers it. Heavy ones wait for a slot; one
   * whose client left while it waited is dropped, and one running when its
   * client leaves is told so (an import cancels and writes nothing, an export
   * stops). A method whose policy streams is sent as it is made.
   */
  async function answer(res: ServerResponse, name: MethodName, body: unknown): Promise<void> {
    const left = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) left.abort();
    };
    res.on('close', onClose);
    const policy = policyOf(name);
    const release = policy.heavy ? await heavy.take(left.signal) : () => undefined;
    try {
      if (!release) return;
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
    if (!CSV_FILE_NAME.test(name) || /[/\\\0]/.test(name) || name.length > 255) {
      throw new HttpError(400, {
        code: 'INVALID_REQUEST',
        message: `Upload a CSV file by its name (?name=FILE.csv, .tsv or .txt, without folders); got "${name.slice(0, 100)}".`,
      });
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > uploadLimit) throw tooLarge(name, uploadLimit, ' Import it with `cmdb import` instead.');
    const dir = mkdtempSync(join(uploads, 'f-'));
    const path = join(dir, name);
    let size = 0;
    try {
      await pipeline(
        req,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > uploadLimit) throw tooLarge(name, uploadLimit, ' Import it with `cmdb import` instead.');
            yield chunk;
          }
        },
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      );
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const envelope = await options.service.call('openFile', { path, name, temporary: true }, 'main');
    sendEnvelope(res, 200, envelope);
  }

  function methodNotAllowed(res: ServerResponse, allow: string): HttpError {
    res.setHeader('Allow', allow);
    return new HttpError(405, { code: 'INVALID_REQUEST', message: `Use ${allow} for this path.` });
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const send = (event: CmdbEvent): void => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = options.service.onEvent?.(send) ?? (() => undefined);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), (options.heartbeatSeconds ?? 25) * 1000);
    heartbeat.unref();
    const done = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
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
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(target);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
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

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A 413 answer: what was too large, its limit, and what to do instead. */
function tooLarge(what: string, limit: number, instead = ''): HttpError {
  return new HttpError(413, {
    code: 'INVALID_REQUEST',
    message: `The request body for ${what} is larger than its ${formatBytes(limit)} limit.${instead}`,
    details: { limit },
  });
}

/** What to do instead of sending a method's body that was too large. */
function adviceFor(method: MethodName): string {
  return policyOf(method).files ? ' Upload the file instead (the Import screen does), or import it with `cmdb import`.' : '';
}

/** Reads a request body as UTF-8 up to `limit` bytes; past it, answers 413 without reading the rest. */
function readBody(req: IncomingMessage, limit: number, method: MethodName): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(method, limit, adviceFor(method)));
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        req.pause();
        fail(tooLarge(method, limit, adviceFor(method)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) ok(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) fail(err);
    });
  });
}

function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${Math.round(n / 1024 / MiB)} GB`;
  return n >= MiB ? `${Math.round(n / MiB)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    // An oversized body is left unread: close the connection rather than drain it.
    ...(status === 413 ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * Sends an envelope's JSON text as it is made, waiting whenever the client
 * reads slower than it comes. A failure after the first piece can no longer
 * become an error envelope: the connection is cut, so the client sees a
 * broken answer rather than a wrong one.
 */
async function sendStream(res: ServerResponse, pieces: AsyncIterable<string>): Promise<void> {
  try {
    for await (const piece of pieces) {
      if (res.destroyed) return;
      if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      if (!res.write(piece)) await new Promise((go) => (res.once('drain', go), res.once('close', go)));
    }
    res.end();
  } catch (err) {
    if (res.headersSent) return void res.destroy();
    throw err;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
