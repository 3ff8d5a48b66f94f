/**
 * Waiting for an import job to end. The job is read as soon as an event says it ended (a small file's import
 * takes tens of milliseconds; a wait of 300 ms before the first look made a 6-row import take half a second in
 * the wizard), else polled, soon at first and then every 300 ms, so that its end is seen even if an event is lost.
 */
import type { ImportJob } from '../../../shared/import.js';
import type { CmdbEvent } from '../../../shared/events.js';

/** The phases of an import job that has not ended. */
export const RUNNING_PHASES: ReadonlySet<string> = new Set(['parsing', 'validating', 'applying']);

/** Where the job and the engine's events are read from. */
export interface JobWaitDeps {
  getJob: (jobId: string) => Promise<ImportJob>;
  /** Subscribes to the engine's events; returns the unsubscribe function. */
  onEvent: (listener: (e: CmdbEvent) => void) => () => void;
}

/** Waits for job `jobId` to end, telling each running state seen. Throws if the job cannot be read. */
export async function waitForJobEnd(jobId: string, onRunning: (j: ImportJob) => void, deps: JobWaitDeps): Promise<ImportJob> {
  for (let wait = 40; ; wait = Math.min(wait * 2, 300)) {
    await endOfJob(jobId, wait, deps.onEvent);
    const j = await deps.getJob(jobId);
    if (j.state !== 'running') return j;
    onRunning(j);
  }
}

/** Settles when an event says the job ended, or after `ms`. */
function endOfJob(jobId: string, ms: number, onEvent: JobWaitDeps['onEvent']): Promise<void> {
  return new Promise((resolve) => {
    let off = () => {};
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    off = onEvent((e) => {
      if (e.type === 'import-progress' && e.jobId === jobId && !RUNNING_PHASES.has(e.phase)) done();
    });
  });
}
