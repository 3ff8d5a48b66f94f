/** The web host's HTTP answers: envelopes, streamed envelopes, plain text, and the errors that become a status. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Envelope, ErrorInfo } from '../../shared/errors.js';
import { formatBytes } from '../../shared/format.js';

/** An error that answers with its own HTTP status and envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly info: ErrorInfo,
  ) {
    super(info.message);
  }
}

/** A 413 answer: what was too large, its limit, and what to do instead. */
export function tooLarge(what: string, limit: number, instead = ''): HttpError {
  return new HttpError(413, {
    code: 'INVALID_REQUEST',
    message: `The request body for ${what} is larger than its ${formatBytes(limit)} limit.${instead}`,
    details: { limit },
  });
}

/** A 405 answer, with the Allow header set on `res`. */
export function methodNotAllowed(res: ServerResponse, allow: string): HttpError {
  res.setHeader('Allow', allow);
  return new HttpError(405, { code: 'INVALID_REQUEST', message: `Use ${allow} for this path.` });
}

/**
 * Reads a request body as UTF-8 up to `limit` bytes; past it, answers 413
 * (for `what`, with the advice `instead`) without reading the rest.
 */
export function readBody(req: IncomingMessage, limit: number, what: string, instead = ''): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(what, limit, instead));
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
        fail(tooLarge(what, limit, instead));
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

/** A request body's JSON (an empty body is `{}`); not JSON answers 400. */
export function parseJsonBody(text: string): unknown {
  if (text.trim().length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, {
      code: 'INVALID_REQUEST',
      message: `The request body is not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
    });
  }
}

/** Answers with an envelope as JSON. */
export function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    // A body left unread (too big, or refused before it was read: no token, wrong host): close the connection
    // rather than drain it. The host sets no time limit on a request (uploads), so nothing else would end it.
    ...(status === 413 || (status >= 400 && res.req?.complete === false) ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * Sends an envelope's JSON text as it is made, waiting whenever the client
 * reads slower than it comes. A failure after the first piece can no longer
 * become an error envelope: the connection is cut, so the client sees a
 * broken answer rather than a wrong one.
 */
export async function sendStream(res: ServerResponse, pieces: AsyncIterable<string>): Promise<void> {
  try {
    for await (const piece of pieces) {
      if (res.destroyed) return;
      if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      if (!res.write(piece)) await drainedOrClosed(res);
    }
    res.end();
  } catch (err) {
    if (res.headersSent) return void res.destroy();
    throw err;
  }
}

/**
 * Waits until the client has read what was written (`drain`) or has gone (`close`), and takes off the listener that
 * did not fire: a big answer waits thousands of times, and the `close` listeners left behind piled up on the
 * response (MaxListenersExceededWarning, found by a change manager exporting a hub's impact).
 */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((go) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      go();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Answers with a short text page (the static side's refusals). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
