/**
 * The page's one connection to engine events, shared by every subscriber.
 * A connection per subscriber (or worse, per render) loses whatever the
 * engine sends while one closes and the next opens (import progress, "the
 * CMDB changed"). So the feed connects once, on the first subscription,
 * keeps that connection for the life of the page, and fans each event out to
 * whoever is subscribed when it arrives.
 */
import { EventHub, type CmdbEvent, type CmdbEventListener } from '../../shared/events.js';

/** Opens the upstream connection (once) and calls `deliver` for every event that arrives on it. */
export type EventConnector = (deliver: (event: CmdbEvent) => void) => void;

/** Fans one upstream connection out to any number of subscribers that come and go. */
export class EventFeed {
  private readonly hub = new EventHub();
  private connected = false;

  constructor(private readonly connect: EventConnector) {}

  /** Subscribes; returns the unsubscribe function. The connection stays open when the last subscriber leaves. */
  subscribe(listener: CmdbEventListener): () => void {
    const off = this.hub.onEvent(listener);
    if (!this.connected) {
      this.connected = true;
      this.connect((event) => this.hub.emit(event));
    }
    return off;
  }

  /** How many subscribers are listening now. */
  get size(): number {
    return this.hub.size;
  }
}
