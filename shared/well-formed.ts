/**
 * Requests whose text cannot be stored as given: a string with an unpaired
 * UTF-16 surrogate (JSON's "\ud800" alone, or half an emoji cut off) is
 * written to SQLite as bytes that read back as three U+FFFD, so a CI created
 * with such a key answers under another key and cannot be found by the one it
 * shows. Every door refuses them before a method runs (CmdbService.call).
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` has an unpaired surrogate (a pattern: String.isWellFormed is past the ES2023 the project targets; 64 MB take 40 ms). */
function illFormed(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** The path (`keys.2`, `spec.center`, `(root)`) of the first string in `value` with an unpaired surrogate, or null. */
export function illFormedTextPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return illFormed(value) ? path.join('.') || '(root)' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    // An object's own names are stored too (attributes, byType).
    if (illFormed(k)) return [...path, k].join('.');
    const found = illFormedTextPath(v, [...path, k]);
    if (found !== null) return found;
  }
  return null;
}

/** The refusal's words for text at `path` with an unpaired surrogate. */
export function illFormedTextMessage(path: string): string {
  return `Invalid request: ${path}: the text has an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be stored as given. Send well-formed Unicode text.`;
}
