/** Messages between the Electron main process and the engine worker thread (engine-worker.ts). */
import type { Door, MethodName } from '../shared/api.js';
import type { Envelope, ErrorInfo } from '../shared/errors.js';
import type { CmdbEvent } from '../shared/events.js';

/**
 * How the worker opens its CMDB: `default` opens the file, creating it from
 * the demo when missing; `open` requires an existing file; `create` makes a
 * new empty one and refuses an existing file.
 */
export interface EngineWorkerData {
  mode: 'default' | 'open' | 'create';
  /** Absent with mode 'default': the default CMDB path. */
  path?: string;
  source: string;
}

/** `door`: who the call is for; the renderer's calls (through ipc.ts) say 'renderer', the main process's own say 'main'. */
export type ToWorker = { type: 'call'; id: number; method: MethodName; body: unknown; door: Door } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; path: string; created: boolean; fromDemo: boolean }
  | { type: 'open-failed'; error: ErrorInfo }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: CmdbEvent }
  | { type: 'closed' };
