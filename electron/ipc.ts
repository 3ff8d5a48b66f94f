/**
 * The Electron door to the CmdbApi: one `ipcMain.handle` per contract method,
 * derived from the `api` map. Each call is checked twice before it reaches
 * the engine: the sender must be a top-level frame of our own app (see
 * trusted-url.ts), and the request must match the method's schema. Failures
 * come back as typed error envelopes, never as thrown objects.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { api, type Door, METHOD_NAMES, type MethodName } from '../shared/api.js';
import { type Envelope, toErrorInfo } from '../shared/errors.js';
import type { CmdbEvent, CmdbEventSource } from '../shared/events.js';
import { EVENT_CHANNEL, invokeChannel, UPLOAD_CHANNEL } from './ipc-channels.js';
import { NO_CMDB_OPEN } from './engine-host.js';
import { handleUpload } from './ipc-upload.js';
import { isTrustedSenderUrl } from './trusted-url.js';

/** What the handlers call: the engine worker (EngineHost) or, in tests, a CmdbService. */
export interface IpcEngine {
  call(method: MethodName, body: unknown, door: Door): Promise<Envelope<unknown>>;
}

/** The parts of an invoke event the checks read (a real IpcMainInvokeEvent fits). */
type SenderInfo = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/** True when the call comes from the top-level frame of a page served from our app protocol. */
export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed before the call arrived
  return frame.parent === null && isTrustedSenderUrl(frame.url);
}

/** Checks, validates and runs one call. Exported for tests; `registerIpcHandlers` wires it to every channel. */
export async function handleInvoke(
  method: MethodName,
  event: SenderInfo,
  raw: unknown,
  getEngine: () => IpcEngine | null,
): Promise<Envelope<unknown>> {
  if (!isTrustedSender(event)) {
    return {
      ok: false,
      error: { code: 'UNTRUSTED_SENDER', message: `Refused ${method}: the request did not come from the CMDB Explorer window.` },
    };
  }
  const parsed = api[method].request.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: toErrorInfo(parsed.error) };
  const engine = getEngine();
  if (!engine) {
    return { ok: false, error: NO_CMDB_OPEN };
  }
  try {
    return await engine.call(method, parsed.data, 'renderer');
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

/** Checks the sender of an upload (as for every call), then stores and opens the file (ipc-upload.ts). */
export async function handleUploadInvoke(event: SenderInfo, raw: unknown, getEngine: () => IpcEngine | null): Promise<Envelope<unknown>> {
  if (!isTrustedSender(event)) {
    return {
      ok: false,
      error: { code: 'UNTRUSTED_SENDER', message: 'Refused the upload: it did not come from the CMDB Explorer window.' },
    };
  }
  try {
    return await handleUpload(raw, getEngine());
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

/** Registers a handler for every contract method and the upload; returns the function that removes them. */
export function registerIpcHandlers(getEngine: () => IpcEngine | null): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(invokeChannel(method), (event, raw: unknown) => handleInvoke(method, event, raw, getEngine));
  }
  ipcMain.handle(UPLOAD_CHANNEL, (event, raw: unknown) => handleUploadInvoke(event, raw, getEngine));
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(invokeChannel(method));
    ipcMain.removeHandler(UPLOAD_CHANNEL);
  };
}

/** Sends one event to a window, only while it shows our own app. */
export function sendEvent(target: WebContents | null | undefined, event: CmdbEvent): void {
  if (!target || target.isDestroyed() || !isTrustedSenderUrl(target.getURL())) return;
  target.send(EVENT_CHANNEL, event);
}

/** Forwards every event of `source` to the window `target()` returns at the time. Returns the unsubscribe function. */
export function forwardEvents(source: CmdbEventSource, target: () => WebContents | null | undefined): () => void {
  return source.onEvent((event) => sendEvent(target(), event));
}
