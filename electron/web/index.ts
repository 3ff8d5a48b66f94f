/** The loopback web host: see server.ts for the protocol. */
export { startWebHost, HEAVY_SLOTS } from './server.js';
export type { WebHost, WebHostOptions, WebHostService } from './server.js';
export { resolveStaticPath } from './static-path.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './security.js';
