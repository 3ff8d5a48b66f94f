/** IPC channel names shared by ipc.ts (main) and preload.ts; no Electron import, so both bundles can use it. */
import type { MethodName } from '../shared/api.js';

/** One invoke channel per contract method: `cmdb:<method>`. */
export function invokeChannel(method: MethodName): `cmdb:${MethodName}` {
  return `cmdb:${method}`;
}

/** Main -> renderer: every CmdbEvent (shared/events.ts). */
export const EVENT_CHANNEL = 'cmdb:event';

/** Renderer -> main: the bytes of a CSV file the person chose in the page, stored and opened for the engine (ipc-upload.ts). */
export const UPLOAD_CHANNEL = 'cmdb-files:upload';
