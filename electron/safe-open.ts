/**
 * The one place that hands a URL to the operating system (eslint bans
 * `shell.openExternal` everywhere else): only plain http(s) links leave.
 */
import { shell } from 'electron';
import { isSafeExternalUrl } from './trusted-url.js';

/** Opens an http(s) link in the system browser; anything else is refused and reported. Returns whether it opened. */
export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isSafeExternalUrl(url)) {
    console.warn(`Refused to open ${JSON.stringify(url.slice(0, 200))}: only http and https links open outside the app.`);
    return false;
  }
  // eslint-disable-next-line no-restricted-syntax -- this helper is the one checked door to openExternal.
  await shell.openExternal(url);
  return true;
}
