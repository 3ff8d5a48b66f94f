/**
 * sendStream waits for a slow reader at every full buffer: each wait leaves no listener behind (a hub's impact
 * exported through the web host waited thousands of times and piled up `close` listeners on the response,
 * MaxListenersExceededWarning; found by a change manager).
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendStream } from '../../electron/web/http.js';

/** A response whose client is always behind: every write fills the buffer, and it drains on the next turn. */
class SlowResponse extends EventEmitter {
  destroyed = false;
  headersSent = false;
  written: string[] = [];
  ended = false;
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  write(piece: string): boolean {
    this.written.push(piece);
    setImmediate(() => this.emit('drain'));
    return false;
  }
  end(): void {
    this.ended = true;
  }
}

async function* pieces(n: number): AsyncIterable<string> {
  for (let i = 0; i < n; i++) yield `${i},`;
}

describe('web host: a streamed answer to a slow reader', () => {
  it('is sent whole, with no drain or close listener left from its waits', async () => {
    const res = new SlowResponse();
    await sendStream(res as unknown as ServerResponse, pieces(50));
    expect(res.written).toHaveLength(50);
    expect(res.ended).toBe(true);
    expect(res.listenerCount('close')).toBe(0);
    expect(res.listenerCount('drain')).toBe(0);
  });
});
