/** `GET /api/events`: the engine's events as Server-Sent Events (`event: <type>` + `data: <json>`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CmdbEvent, CmdbEventSource } from '../../shared/events.js';

/**
 * Answers with an event stream that forwards every event of `source` until
 * the client leaves (watching for edits made elsewhere meanwhile), with a keep-alive comment every `heartbeatSeconds`.
 * `open` holds the streams still open, for the host to end when it closes.
 */
export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  source: Partial<CmdbEventSource>,
  open: Set<ServerResponse>,
  heartbeatSeconds = 25,
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  open.add(res);
  const send = (event: CmdbEvent): void => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const unsubscribe = source.onEvent?.(send) ?? (() => undefined);
  // A page is open on the CMDB: edits other programs make to it are news to it while it stays.
  const unwatch = source.watchEditsElsewhere?.() ?? (() => undefined);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatSeconds * 1000);
  heartbeat.unref();
  const done = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    unwatch();
    open.delete(res);
  };
  req.on('close', done);
  res.on('close', done);
}
