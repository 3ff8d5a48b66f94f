/**
 * The only bridge between the sandboxed renderer and the app: `window.cmdb`
 * holds one function per contract method (derived from the api map, each an
 * invoke on `cmdb:<method>` answering with the typed envelope), and
 * `window.cmdbEvents.onEvent` subscribes to progress and shell events.
 * Never raw ipcRenderer, never a generic invoke(channel).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, type MethodName, type Request, type Response } from '../shared/api.js';
import type { Envelope } from '../shared/errors.js';
import type { CmdbEvent } from '../shared/events.js';
import { EVENT_CHANNEL, invokeChannel } from './ipc-channels.js';

/** What `window.cmdb` offers: each method answers with the envelope, so error codes and details survive the bridge. */
export type PreloadApi = { [M in MethodName]: (req?: Request<M>) => Promise<Envelope<Response<M>>> };

export interface PreloadEvents {
  onEvent(listener: (event: CmdbEvent) => void): () => void;
}

const cmdb = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, (req?: unknown) => ipcRenderer.invoke(invokeChannel(method), req ?? {})]),
) as PreloadApi;

const cmdbEvents: PreloadEvents = {
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function.');
    const handler = (_e: IpcRendererEvent, event: CmdbEvent): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('cmdb', cmdb);
contextBridge.exposeInMainWorld('cmdbEvents', cmdbEvents);
