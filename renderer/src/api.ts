/**
 * The renderer's one door to the engine: the CmdbApi. In Electron the preload
 * exposes it as `window.cmdb`; in a browser it is the loopback web host, spoken
 * to as `POST /api/<method>` with the session token the host put in the page URL
 * (protocol: electron/web/server.ts).
 */
import { METHOD_NAMES, type CmdbApi, type MethodName } from '../../shared/api.js';
import { EVENT_TYPES, type CmdbEvent } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { UPLOAD_PATH, type FileRef } from '../../shared/import.js';
import { EventFeed } from './eventFeed.js';

/** An error answer from the API, with the code the UI acts on and the message a person reads. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'UNAUTHORIZED',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

declare global {
  interface Window {
    cmdb?: CmdbApi;
    cmdbEvents?: { onEvent(listener: (e: CmdbEvent) => void): () => void };
    /** The desktop app's upload (preload.ts): the bytes of a file the person chose, to a file the engine holds. */
    cmdbFiles?: { upload(name: string, bytes: Uint8Array): Promise<Envelope> };
  }
}

/**
 * The session token from the page's own address (`?token=`). It stays in the
 * address: the host serves the page only with it, so a reload needs it, and
 * client-side routes change only the hash, which keeps it. No cookie and no
 * storage: a token kept anywhere shared across ports would reach, or be
 * overwritten by, another host on this machine.
 */
function pageToken(): string | null {
  return new URL(window.location.href).searchParams.get('token');
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

function isEnvelope(x: unknown): x is Envelope {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

/** The CmdbApi over the web host's HTTP protocol. */
function createHttpApi(token: string | null, base = ''): CmdbApi {
  const call = async (method: MethodName, req: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { 'X-CMDB-Token': token } : {}) },
        body: JSON.stringify(req ?? {}),
      });
    } catch (err) {
      throw new ApiError(
        'NETWORK',
        `Cannot reach the CMDB host (${(err as Error).message}). Check that \`cmdb serve\` is still running, then retry.`,
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new ApiError(
        'INTERNAL',
        `The CMDB host answered ${res.status} ${res.statusText} without a readable body. Retry; if it persists, restart the host.`,
      );
    }
    if (!isEnvelope(body))
      throw new ApiError('INTERNAL', `The CMDB host sent an answer this app does not understand (HTTP ${res.status}).`);
    if (body.ok) return body.value;
    if (res.status === 401 || res.status === 403) {
      throw new ApiError(
        'UNAUTHORIZED',
        `${body.error.message} Open the app from the link the host printed (it carries the session token).`,
        body.error.details,
      );
    }
    throw new ApiError(body.error.code, body.error.message, body.error.details);
  };
  const out: Record<string, (req: unknown) => Promise<unknown>> = {};
  for (const m of METHOD_NAMES) out[m] = (req) => call(m, req);
  return out as unknown as CmdbApi;
}

/** Wraps the preload API so its errors arrive as ApiError too (IPC may hand them over as plain objects). */
function wrapPreload(raw: CmdbApi): CmdbApi {
  const out: Record<string, (req: unknown) => Promise<unknown>> = {};
  for (const m of METHOD_NAMES) {
    const fn = (raw as unknown as Record<string, ((req: unknown) => Promise<unknown>) | undefined>)[m];
    out[m] = async (req) => {
      if (!fn) throw new ApiError('INTERNAL', `This version of the app does not offer "${m}". Update the app.`);
      try {
        const value = await fn(req);
        if (isEnvelope(value)) {
          if (value.ok) return value.value;
          throw new ApiError(value.error.code, value.error.message, value.error.details);
        }
        return value;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        const e = err as { code?: ErrorCode; message?: string; details?: unknown };
        throw new ApiError(e.code ?? 'INTERNAL', e.message ?? String(err), e.details);
      }
    };
  }
  return out as unknown as CmdbApi;
}

let token: string | null = null;

function createApi(): CmdbApi {
  if (typeof window !== 'undefined' && window.cmdb) return wrapPreload(window.cmdb);
  token = pageToken();
  return createHttpApi(token);
}

/** The API every component uses. */
export const cmdb: CmdbApi = createApi();

/** Connects the page to engine events: the preload's in Electron, Server-Sent Events from the web host in a browser. */
function connectEvents(deliver: (e: CmdbEvent) => void): void {
  if (window.cmdbEvents) {
    window.cmdbEvents.onEvent(deliver);
    return;
  }
  if (window.cmdb || token === null || typeof EventSource === 'undefined') return;
  // EventSource cannot send the X-CMDB-Token header: the host takes the token from this one path's query instead.
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  const handle = (ev: MessageEvent<string>) => {
    let event: CmdbEvent;
    try {
      event = JSON.parse(ev.data) as CmdbEvent;
    } catch {
      return; // A malformed event is ignored: events only refresh what is on screen.
    }
    deliver(event);
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, handle as EventListener);
}

/** One connection for the life of the page, however many components subscribe and unsubscribe. */
const events = new EventFeed(connectEvents);

/** Subscribes to engine events (progress, CMDB changed). Returns the unsubscribe function. */
export function onCmdbEvent(listener: (e: CmdbEvent) => void): () => void {
  return events.subscribe(listener);
}

/** Turns anything thrown into an ApiError for display. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
}

/**
 * Hands a file the person chose or dropped to the engine, which reads it and
 * detects its encoding and delimiter itself; answers with the id to preview
 * and import it by. In a browser the file streams to the web host (no copy
 * in the page's memory); in the desktop app it crosses IPC to the main process.
 */
export async function uploadCsv(file: File): Promise<FileRef> {
  if (window.cmdbFiles) {
    const answer = await window.cmdbFiles.upload(file.name, new Uint8Array(await file.arrayBuffer()));
    if (!answer.ok) throw new ApiError(answer.error.code, answer.error.message, answer.error.details);
    return answer.value as FileRef;
  }
  let res: Response;
  try {
    res = await fetch(`${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', ...(token ? { 'X-CMDB-Token': token } : {}) },
      body: file,
    });
  } catch (err) {
    throw new ApiError(
      'NETWORK',
      `Could not send ${file.name} to the CMDB host (${(err as Error).message}). Check that \`cmdb serve\` is still running, then retry.`,
    );
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!isEnvelope(body))
    throw new ApiError('INTERNAL', `The CMDB host answered ${res.status} to the upload of ${file.name} without a readable body.`);
  if (!body.ok) throw new ApiError(body.error.code, body.error.message, body.error.details);
  return body.value as FileRef;
}
