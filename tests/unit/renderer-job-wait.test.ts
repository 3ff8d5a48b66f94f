/**
 * The wizard's wait for an import job (renderer/src/import/jobWait.ts): read as soon as an event says the job
 * ended, else polled (soon at first, then every 300 ms), so that a lost event costs a poll, not the job.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CmdbEvent } from '../../shared/events.js';
import type { ImportJob } from '../../shared/import.js';
import { waitForJobEnd } from '../../renderer/src/import/jobWait.js';

afterEach(() => vi.useRealTimers());

/** A job that ends when the test says, an event hub, and the times the job was read at. */
function engine() {
  const listeners = new Set<(e: CmdbEvent) => void>();
  const readAt: number[] = [];
  let state: ImportJob['state'] = 'running';
  const job = (): ImportJob => ({ jobId: 'j1', state, rowsDone: 0, total: null, rate: 0 }) as ImportJob;
  return {
    readAt,
    deps: {
      getJob: async () => {
        readAt.push(Date.now());
        return job();
      },
      onEvent: (l: (e: CmdbEvent) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
    end(withEvent: boolean, jobId = 'j1') {
      state = 'done';
      if (withEvent) for (const l of [...listeners]) l({ type: 'import-progress', jobId, phase: 'done', rowsDone: 6, total: 6, rate: 0 });
    },
    get listening() {
      return listeners.size;
    },
  };
}

describe('waiting for an import job', () => {
  it('reads the job as soon as its end event comes, not at the next poll (a 6-row import waited 300 ms for it)', async () => {
    vi.useFakeTimers({ now: 0 });
    const e = engine();
    const done = waitForJobEnd('j1', () => {}, e.deps);
    await vi.advanceTimersByTimeAsync(10);
    e.end(true, 'another-job'); // another job's end: not this one's
    await vi.advanceTimersByTimeAsync(5);
    expect(e.readAt).toEqual([]);
    e.end(true);
    const job = await done;
    expect(job.state).toBe('done');
    expect(e.readAt).toEqual([15]);
    expect(e.listening).toBe(0);
  });

  it('without its event, polls: soon at first, then every 300 ms, telling each running state', async () => {
    vi.useFakeTimers({ now: 0 });
    const e = engine();
    const running: number[] = [];
    const done = waitForJobEnd('j1', () => running.push(Date.now()), e.deps);
    await vi.advanceTimersByTimeAsync(1000);
    e.end(false);
    await vi.advanceTimersByTimeAsync(300);
    expect((await done).state).toBe('done');
    expect(e.readAt).toEqual([40, 120, 280, 580, 880, 1180]);
    expect(running).toEqual([40, 120, 280, 580, 880]);
    expect(e.listening).toBe(0);
  });
});
