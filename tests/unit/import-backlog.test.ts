/** The bound on how far one import thread runs ahead of another: rows and bytes, whichever is hit first. */
import { describe, expect, it } from 'vitest';
import { Backlog } from '../../electron/cmdb/import/bulk/backlog.js';

describe('Backlog', () => {
  it('is over its row bound until the receiver takes enough rows', () => {
    const b = new Backlog(100, 1 << 30);
    for (let i = 0; i < 3; i++) b.sent(50, 10);
    expect(b.over(0)).toBe(true); // 150 rows out
    expect(b.over(49)).toBe(true); // 101
    expect(b.over(50)).toBe(false); // 100
  });

  it('counts the bytes of a message as held until all its rows are taken', () => {
    const b = new Backlog(1_000_000, 1000);
    b.sent(10, 600);
    b.sent(10, 600);
    expect(b.over(0)).toBe(true); // 1200 bytes
    expect(b.over(9)).toBe(true); // the first message is not yet wholly taken
    expect(b.over(10)).toBe(false); // 600
    b.sent(1, 500);
    expect(b.over(10)).toBe(true); // 1100
    expect(b.over(21)).toBe(false);
  });

  it('keeps counting right over many messages', () => {
    const b = new Backlog(5000, 50_000);
    let taken = 0;
    for (let i = 0; i < 10_000; i++) {
      b.sent(4, 40);
      while (b.over(taken)) taken += 1;
      expect(i * 4 + 4 - taken).toBeLessThanOrEqual(5000);
    }
    expect(taken).toBe(40_000 - 5000);
  });
});
