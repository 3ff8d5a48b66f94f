/** The renderer's event feed: one upstream connection for the page's life, fanned out to subscribers that come and go. */
import { describe, expect, it } from 'vitest';
import type { CmdbEvent } from '../../shared/events.js';
import { EventFeed } from '../../renderer/src/eventFeed.js';

/** A fake upstream: counts connections and lets the test push events down the (single) open one. */
function upstream() {
  const delivers: ((e: CmdbEvent) => void)[] = [];
  return {
    connect: (deliver: (e: CmdbEvent) => void) => void delivers.push(deliver),
    get connections() {
      return delivers.length;
    },
    send(e: CmdbEvent) {
      for (const d of delivers) d(e);
    },
  };
}

const progress = (rowsDone: number): CmdbEvent => ({
  type: 'import-progress',
  jobId: 'job-1',
  phase: 'applying',
  rowsDone,
  total: 100,
  rate: 10,
});

describe('renderer event feed', () => {
  it('connects on the first subscription only, however often subscribers come and go', () => {
    const up = upstream();
    const feed = new EventFeed(up.connect);
    expect(up.connections).toBe(0);
    // What a component re-rendering many times does: unsubscribe, subscribe again.
    let off = feed.subscribe(() => undefined);
    for (let i = 0; i < 13; i++) {
      off();
      off = feed.subscribe(() => undefined);
    }
    const other = feed.subscribe(() => undefined);
    expect(up.connections).toBe(1);
    expect(feed.size).toBe(2);
    off();
    other();
    expect(feed.size).toBe(0);
  });

  it('delivers every event to whoever is subscribed when it arrives, including across moments with no subscriber', () => {
    const up = upstream();
    const feed = new EventFeed(up.connect);
    const a: CmdbEvent[] = [];
    const b: CmdbEvent[] = [];
    const offA = feed.subscribe((e) => a.push(e));
    up.send(progress(1));
    const offB = feed.subscribe((e) => b.push(e));
    up.send(progress(2));
    offA();
    up.send(progress(3));
    offB();
    // Nobody listens for a moment (a screen unmounts): the connection stays, and the next subscriber hears what follows.
    up.send(progress(4));
    const c: CmdbEvent[] = [];
    feed.subscribe((e) => c.push(e));
    const changed: CmdbEvent = { type: 'cmdb-changed', path: '/tmp/x.db' };
    up.send(changed);
    expect(a).toEqual([progress(1), progress(2)]);
    expect(b).toEqual([progress(2), progress(3)]);
    expect(c).toEqual([changed]);
    expect(up.connections).toBe(1);
  });

  it('keeps delivering to the others when one subscriber throws', () => {
    const up = upstream();
    const feed = new EventFeed(up.connect);
    const got: CmdbEvent[] = [];
    feed.subscribe(() => {
      throw new Error('broken screen');
    });
    feed.subscribe((e) => got.push(e));
    up.send(progress(5));
    expect(got).toEqual([progress(5)]);
  });
});
