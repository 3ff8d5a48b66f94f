/**
 * The main process's handle on the engine worker: `call()` returns the same
 * envelopes as CmdbService.call, `onEvent` forwards the engine's events.
 * Imports nothing from Electron, so it is tested in plain Node.
 */
import { Worker } from 'node:worker_threads';
import type { Door, MethodName } from '../shared/api.js';
import { CmdbError, type Envelope } from '../shared/errors.js';
import { type CmdbEventListener, type CmdbEventSource, EventHub } from '../shared/events.js';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-protocol.js';

/** What a call, an upload or an import from the menu gets when no CMDB is open (no engine): one message, for every way in. */
export const NO_CMDB_OPEN = { code: 'DB_NOT_FOUND', message: 'No CMDB is open. Open or create one from the File menu.' } as const;

export interface EngineHostOptions extends EngineWorkerData {
  /** The worker script (dist/electron/engine-worker.js; engine-worker.ts under tsx in tests). */
  workerFile: string;
  execArgv?: string[];
}

export class EngineHost implements CmdbEventSource {
  private readonly events = new EventHub();
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>();
  private nextId = 1;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    readonly created: boolean,
    readonly fromDemo: boolean,
  ) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'result') {
        this.pending.get(m.id)?.(m.envelope);
        this.pending.delete(m.id);
      } else if (m.type === 'event') {
        this.events.emit(m.event);
      }
    });
    const fail = (why: string): void => {
      this.exited = true;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message: why } });
      this.pending.clear();
    };
    worker.on('error', (err) => fail(`The engine stopped: ${err.message}. Reopen the CMDB (File > Open Recent).`));
    worker.on('exit', () => fail('The engine has stopped. Reopen the CMDB (File > Open Recent).'));
  }

  /** Starts a worker on the CMDB; rejects with the CmdbError that prevented opening it. */
  static start(options: EngineHostOptions): Promise<EngineHost> {
    const { workerFile, execArgv, ...data } = options;
    const worker = new Worker(workerFile, { workerData: data satisfies EngineWorkerData, execArgv });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'ready') {
          cleanup();
          resolve(new EngineHost(worker, m.path, m.created, m.fromDemo));
        } else if (m.type === 'open-failed') {
          cleanup();
          void worker.terminate();
          reject(new CmdbError(m.error.code, m.error.message, m.error.details));
        }
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(new CmdbError('INTERNAL', `The engine could not start: ${err.message}`));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new CmdbError('INTERNAL', `The engine exited (code ${code}) before opening the CMDB.`));
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /** Runs a method in the worker for `door`, which the contract's policy checks there (paths only from the main process). */
  call(method: MethodName, body: unknown, door: Door): Promise<Envelope<unknown>> {
    if (this.exited) {
      return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'The engine has stopped. Reopen the CMDB.' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ type: 'call', id, method, body, door } satisfies ToWorker);
    });
  }

  onEvent(listener: CmdbEventListener): () => void {
    return this.events.onEvent(listener);
  }

  /** Closes the database (after calls already queued) and ends the worker. */
  async close(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 10_000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
  }
}
