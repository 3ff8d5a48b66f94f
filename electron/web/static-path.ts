/**
 * Maps a URL path to a file inside a root folder, or refuses. Shared by the
 * web host and the Electron `app://` protocol, so both serve the renderer
 * build and nothing else. Pure (no file system access): whether the file
 * exists is the caller's business.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Resolves `urlPath` (the raw, still percent-encoded path of a request URL,
 * without query or fragment) against `root`. Returns the absolute file path,
 * or null when the path could point outside `root` or is malformed.
 *
 * Refused: `..` and `.` segments (raw or percent-encoded, even double-encoded),
 * backslashes, NUL and other control characters, drive letters and other
 * colons, and anything that does not start with `/`. Empty segments (`//`)
 * are ignored. `/` maps to `index.html`, and a path ending in `/` to the
 * `index.html` inside it.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  if (typeof urlPath !== 'string' || !urlPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed percent-encoding
  }
  // A '%' left after decoding means double encoding (`%252e%252e`): nobody needs it.
  if (/[\\%:]/.test(decoded) || hasControlChar(decoded)) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  for (const s of segments) {
    if (s === '.' || s === '..') return null;
    // Windows ignores trailing dots and spaces: `...` or `.. ` would act as `..` there.
    if (/^\.+[. ]*$/.test(s) || /[. ]$/.test(s)) return null;
  }
  if (decoded.endsWith('/')) segments.push('index.html');
  const base = resolve(root);
  const file = resolve(join(base, ...segments));
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !file.startsWith(base + sep)) return null;
  return file;
}

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
