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

/** A value met on the walk, with the name it has in its parent, for the path of what is found. */
interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

/**
 * The path (`keys.2`, `spec.center`, `(root)`) of the first string in `value`
 * with an unpaired surrogate, or null. Walked with a stack of its own, depth
 * first in the order of the entries: a request nested thousands of levels
 * deep gets this answer (and then the schema's), not a stack overflow.
 */
export function illFormedTextPath(value: unknown): string | null {
  const pathOf = (v: Visit): string => {
    const keys: string[] = [];
    for (let at: Visit | null = v; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.') || '(root)';
  };
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    // An object's own names are stored too (attributes, byType).
    if (v.key !== null && illFormed(v.key)) return pathOf(v);
    if (typeof v.value === 'string') {
      if (illFormed(v.value)) return pathOf(v);
    } else if (v.value !== null && typeof v.value === 'object') {
      const entries = Object.entries(v.value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: v });
    }
  }
  return null;
}

/** The refusal's words for text at `path` with an unpaired surrogate. */
export function illFormedTextMessage(path: string): string {
  return `Invalid request: ${path}: the text has an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be stored as given. Send well-formed Unicode text.`;
}
