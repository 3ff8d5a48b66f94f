/**
 * URL checks for the Electron shell: which pages count as our own (IPC
 * senders, navigation targets), which links may leave for the system
 * browser, and which dropped files are CSV imports. Small pure functions,
 * tested with misleading inputs; never substring checks.
 */
import { fileURLToPath } from 'node:url';
import { CSV_FILE_NAME } from '../shared/import.js';

/** The renderer is served from `app://cmdb/` (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cmdb';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  // The URL parser forgives surrounding blanks and strips tabs and newlines; a real frame URL has none.
  if (url !== url.trim() || /[\t\n\r]/.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a page of our own app: exactly `app://cmdb/...`, no credentials, no port. */
export function isAppUrl(url: unknown): boolean {
  const u = parse(url);
  return (
    u !== null && u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === ''
  );
}

/** IPC is accepted only from frames showing our own app (the sender frame's URL). */
export function isTrustedSenderUrl(url: unknown): boolean {
  return isAppUrl(url);
}

/** Links that may be handed to the system browser: plain http(s), no credentials in them. */
export function isSafeExternalUrl(url: unknown): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
}

/**
 * A file dropped on the window arrives as a navigation to its `file:` URL.
 * Returns the local path when it is a CSV file, else null.
 */
export function droppedCsvPath(url: unknown): string | null {
  const u = parse(url);
  if (u === null || u.protocol !== 'file:' || u.search !== '' || u.hash !== '') return null;
  if (!CSV_FILE_NAME.test(u.pathname)) return null;
  try {
    return fileURLToPath(u);
  } catch {
    return null;
  }
}
