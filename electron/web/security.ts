/**
 * The checks that keep the loopback web host private to the person who
 * started it: a random token, the Host header (DNS rebinding), the Origin
 * header (cross-site requests), and the headers every response carries.
 * Small pure functions, tested with misleading inputs.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CmdbError } from '../../shared/errors.js';

/** The Content-Security-Policy of the UI, in the web host and in Electron alike: no remote content, no eval. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Headers on every response. Never any Access-Control-* header: cross-origin reads must fail. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The one request header that carries the token (the event stream may also take it as `?token=`). */
export const TOKEN_HEADER = 'x-cmdb-token';

/** A fresh random token: 32 bytes as 64 hex digits. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** A token given by the caller must be long and plain enough to be safe in a URL. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{32,256}$/.test(token);
}

/**
 * Refuses a token the caller gave that is not well formed: a request error (INVALID_REQUEST), naming where the
 * token came from (`what`) and, in `todo`, what to do. The token itself is not quoted: it is a secret.
 */
export function checkToken(token: string, what: string, todo = ''): void {
  if (!isWellFormedToken(token)) {
    throw new CmdbError('INVALID_REQUEST', `${what} must be 32 to 256 letters, digits, "-" or "_".${todo && ` ${todo}`}`);
  }
}

/** Constant-time comparison (hashing first makes the lengths equal, so length leaks nothing either). */
export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * True when the Host header names this server exactly: `127.0.0.1:PORT` or
 * `localhost:PORT` (on port 80, which browsers leave out of the header, also
 * without it). A DNS-rebinding page reaches us under its own name
 * (`evil.example:PORT`), so anything else is refused.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (typeof host !== 'string') return false;
  const h = host.toLowerCase();
  if (port === 80 && (h === '127.0.0.1' || h === 'localhost')) return true;
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/**
 * True when a request may proceed as far as its Origin is concerned: no
 * Origin header (same-origin GETs and navigations), or exactly this
 * server's origin as the browser sees it (`http://` + the Host header).
 * `null` (sandboxed frames, file: pages) and any other origin are refused.
 */
export function isAllowedOrigin(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}
