/**
 * Events pushed from the engine and the shell to the UI: progress of long
 * work, and requests from native menus or drag-and-drop. The Electron shell
 * forwards them over IPC (channel `cmdb:event`), the web host over
 * Server-Sent Events (`GET /api/events`, `event: <type>`). Both deliver the
 * same objects, so the UI handles one union.
 */
import type { FileRef } from './import.js';

/** Progress of one import job, keyed by job id. `total` is null while unknown. */
export interface ImportProgressEvent {
  type: 'import-progress';
  jobId: string;
  phase: 'parsing' | 'validating' | 'applying' | 'done' | 'failed' | 'cancelled';
  rowsDone: number;
  total: number | null;
  /** Rows per second over the job so far. */
  rate: number;
  /** Set when phase is 'failed': what went wrong, readable by a person. */
  message?: string;
  /** While it runs: the file being read, and how far (for a progress bar by bytes, as `cmdb import` draws). */
  file?: string | null;
  bytesDone?: number;
  bytesTotal?: number;
  elapsedMs?: number;
}

/** The open CMDB changed (another file was opened or created): reload everything. */
export interface CmdbChangedEvent {
  type: 'cmdb-changed';
  path: string;
}

/**
 * Another program or connection committed to the open CMDB (the `cmdb` CLI,
 * another window or web host on the same file): what the screens show may be
 * out of date. Sent while a window watches (CmdbEventSource.watchEditsElsewhere).
 */
export interface CmdbEditedElsewhereEvent {
  type: 'cmdb-edited-elsewhere';
  path: string;
}

/** CSV files were dropped on the window or chosen from File > Import CSV…: start the import flow with them. */
export interface ImportFilesEvent {
  type: 'import-files';
  /** The files as the engine holds them (opened by the main process), named by id: the page never sees a path. */
  files: FileRef[];
}

/** A menu command the UI carries out itself. */
export interface MenuCommandEvent {
  type: 'menu-command';
  command: 'toggle-theme';
}

export type CmdbEvent = ImportProgressEvent | CmdbChangedEvent | CmdbEditedElsewhereEvent | ImportFilesEvent | MenuCommandEvent;
export type CmdbEventType = CmdbEvent['type'];
/** Each event type once: the compiler refuses this map when a type of the union is missing, so no host lists events by hand. */
const EVENT_TYPE_MAP: { readonly [T in CmdbEventType]: T } = {
  'import-progress': 'import-progress',
  'cmdb-changed': 'cmdb-changed',
  'cmdb-edited-elsewhere': 'cmdb-edited-elsewhere',
  'import-files': 'import-files',
  'menu-command': 'menu-command',
};
/** Every event type, for a host that subscribes to each by name (the web client's EventSource). */
export const EVENT_TYPES: readonly CmdbEventType[] = Object.values(EVENT_TYPE_MAP);

export type CmdbEventListener = (event: CmdbEvent) => void;

/** Something that emits CMDB events: the service implements it, hosts subscribe. */
export interface CmdbEventSource {
  /** Subscribes; returns the function that unsubscribes. */
  onEvent(listener: CmdbEventListener): () => void;
  /** Starts watching for edits made elsewhere (a `cmdb-edited-elsewhere` event each); returns the function that stops. */
  watchEditsElsewhere?(): () => void;
}

/**
 * A tiny synchronous event hub (no Node dependency, so shared/ stays
 * portable). A listener that throws does not stop the others.
 */
export class EventHub implements CmdbEventSource {
  private readonly listeners = new Set<CmdbEventListener>();

  onEvent(listener: CmdbEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: CmdbEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One broken subscriber (a closed stream) must not starve the rest.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
