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
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { isMethodName, METHOD_NAMES, type MethodName } from '../../shared/api.js';
import type { Envelope, ErrorInfo } from '../../shared/errors.js';
import type { CmdbEvent, CmdbEventSource } from '../../shared/events.js';
import { mimeType } from './mime.js';
import { isAllowedHost, isAllowedOrigin, isWellFormedToken, newToken, SECURITY_HEADERS, TOKEN_HEADER, tokensEqual } from './security.js';
import { resolveStaticPath } from './static-path.js';

const MiB = 1024 * 1024;

/** Largest request body per method. CSV import carries whole files as text; everything else is small. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;
export const IMPORT_BODY_LIMIT = 200 * MiB;
export const BODY_LIMITS: Readonly<Partial<Record<MethodName, number>>> = {
  importCsv: IMPORT_BODY_LIMIT,
  // The wizard's background import (progress, cancel) carries the same whole files.
  startImport: IMPORT_BODY_LIMIT,
};

/** What the web host needs from the engine: CmdbService fits. */
export interface WebHostService extends Partial<CmdbEventSource> {
  call(method: MethodName, body: unknown): Promise<Envelope<unknown>>;
}

export interface WebHostOptions {
  service: WebHostService;
  /** 0 or absent: any free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Defaults to 32 random bytes in hex. */
  token?: string;
  /** Override the body limits (tests use small ones). */
  bodyLimits?: { default?: number; perMethod?: Partial<Record<MethodName, number>> };
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
  const limits = {
    default: options.bodyLimits?.default ?? DEFAULT_BODY_LIMIT,
    perMethod: { ...BODY_LIMITS, ...options.bodyLimits?.perMethod },
  };
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
    const limit = limits.perMethod[name] ?? limits.default;
    const text = await readBody(req, limit, name);
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
    const envelope = await options.service.call(name, body);
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
        server.close(() => ok());
        for (const s of sockets) s.destroy();
      }),
  };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Reads a request body as UTF-8 up to `limit` bytes; past it, answers 413 without reading the rest. */
function readBody(req: IncomingMessage, limit: number, method: string): Promise<string> {
  const tooLarge = (): HttpError =>
    new HttpError(413, {
      code: 'INVALID_REQUEST',
      message: `The request body for ${method} is larger than its ${formatBytes(limit)} limit.${method === 'importCsv' ? ' Import the file with `cmdb import` instead.' : ''}`,
      details: { limit },
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
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
        fail(tooLarge());
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

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
