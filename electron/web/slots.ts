/**
 * A fixed number of slots for heavy work: `take` waits for a free one and
 * answers with its release, or with null when the caller gave up (its signal
 * aborted) before a slot was free, so abandoned work never starts.
 */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(count: number) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`Slots needs a whole number of at least 1, not ${count}.`);
    this.free = count;
  }

  /** How many callers wait for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  async take(signal?: AbortSignal): Promise<(() => void) | null> {
    if (signal?.aborted) return null;
    if (this.free > 0) {
      this.free--;
      return this.releaser();
    }
    return new Promise((ok) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        ok(this.releaser());
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        ok(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
