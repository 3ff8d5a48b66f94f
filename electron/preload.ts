/**
 * The only bridge between the sandboxed renderer and the app: `window.cmdb`
 * holds one function per contract method (derived from the api map, each an
 * invoke on `cmdb:<method>` answering with the typed envelope), and
 * `window.cmdbEvents.onEvent` subscribes to progress and shell events, and
 * `window.cmdbFiles.upload` hands the bytes of a file the person chose to the
 * main process (never a path). Never raw ipcRenderer, never a generic invoke(channel).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, type MethodName, type Request, type Response } from '../shared/api.js';
import type { Envelope } from '../shared/errors.js';
import type { CmdbEvent } from '../shared/events.js';
import type { FileRef } from '../shared/import.js';
import { EVENT_CHANNEL, invokeChannel, UPLOAD_CHANNEL } from './ipc-channels.js';

/** What `window.cmdb` offers: each method answers with the envelope, so error codes and details survive the bridge. */
export type PreloadApi = { [M in MethodName]: (req?: Request<M>) => Promise<Envelope<Response<M>>> };

export interface PreloadEvents {
  onEvent(listener: (event: CmdbEvent) => void): () => void;
}

export interface PreloadFiles {
  /** Stores a copy of the file's bytes and opens it for the engine; answers with its FileRef. */
  upload(name: string, bytes: Uint8Array): Promise<Envelope<FileRef>>;
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

const cmdbFiles: PreloadFiles = {
  upload(name, bytes) {
    if (typeof name !== 'string' || !(bytes instanceof Uint8Array)) throw new TypeError('upload needs a file name and its bytes.');
    return ipcRenderer.invoke(UPLOAD_CHANNEL, { name, bytes }) as Promise<Envelope<FileRef>>;
  },
};

contextBridge.exposeInMainWorld('cmdb', cmdb);
contextBridge.exposeInMainWorld('cmdbEvents', cmdbEvents);
contextBridge.exposeInMainWorld('cmdbFiles', cmdbFiles);
