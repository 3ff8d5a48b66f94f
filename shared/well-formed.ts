/**
 * Requests whose text cannot be stored as given, refused at every door
 * before a method runs (CmdbService.call), naming where the text is:
 * - a string with an unpaired UTF-16 surrogate (JSON's "\ud800" alone, or
 *   half an emoji cut off) is written to SQLite as bytes that read back as
 *   three U+FFFD, so a CI created with such a key answers under another key
 *   and cannot be found by the one it shows;
 * - a NUL character (a zero byte): the CMDB keeps none in text (the importer
 *   refuses one in a cell), so a key, an attribute or a change reference
 *   holding one made an export that would not import back, and a reference
 *   no shell argument can name (found by a security review). Text read and
 *   never stored is the exception: a CSV file's `content` (the importer
 *   reports its NUL on its row and column, as it does in a file read from
 *   disk), a search `query` (its control characters separate words) and an
 *   impact request's `within.id` (a rolled-up group's id, which begins with a
 *   NUL so that no CI key can be it: shared/impact.ts SHARED_GROUP).
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` has an unpaired surrogate (a pattern: String.isWellFormed is past the ES2023 the project targets; 64 MB take 40 ms). */
function illFormed(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** Why text cannot be stored as given. */
export type BadText = 'surrogate' | 'nul';

/** Why `s` cannot be stored as given (`nul` only where `nulAllowed` is false), or null. */
function badText(s: string, nulAllowed: boolean): BadText | null {
  if (illFormed(s)) return 'surrogate';
  return !nulAllowed && s.includes('\0') ? 'nul' : null;
}

/**
 * Where text read, never stored, may hold a NUL, by its whole path in the request: a CSV file's content
 * (shared/import.ts csvFileSchema: previewCsv's `file`, importCsv's and startImport's `cis` and `relationships`),
 * whose NUL the importer reports on its row; a search `query` (search.ts toFtsQuery: its control characters
 * separate words); an impact request's `within` group id (the "Several services" and "No business service"
 * groups' ids start with a NUL so that no CI key can be them: shared/impact.ts SHARED_GROUP). By path, not by
 * name: an attribute named `content` or `query` is stored text like any other (found by a reviewer).
 */
const NUL_READ = new Set(['query', 'file.content', 'cis.content', 'relationships.content', 'within.id']);

/** A value met on the walk, with the name it has in its parent, for the path of what is found. */
interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

/**
 * The path (`keys.2`, `spec.center`, `(root)`) of the first string in `value`
 * that cannot be stored as given, with why; or null. Walked with a stack of
 * its own, depth first in the order of the entries: a request nested
 * thousands of levels deep gets this answer (and then the schema's), not a
 * stack overflow.
 */
export function badTextPath(value: unknown): { path: string; why: BadText } | null {
  const pathOf = (v: Visit): string => {
    const keys: string[] = [];
    for (let at: Visit | null = v; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.') || '(root)';
  };
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    // An object's own names are stored too (attributes, byType).
    const named = v.key === null ? null : badText(v.key, false);
    if (named !== null) return { path: pathOf(v), why: named };
    if (typeof v.value === 'string') {
      const why = badText(v.value, true);
      if (why !== null) return { path: pathOf(v), why };
      // The path is made only for text that holds a NUL (rare): most requests never pay for it.
      if (v.value.includes('\0') && !NUL_READ.has(pathOf(v))) return { path: pathOf(v), why: 'nul' };
    } else if (v.value !== null && typeof v.value === 'object') {
      const entries = Object.entries(v.value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: v });
    }
  }
  return null;
}

/** The refusal's words for text at `path` that cannot be stored as given. */
export function badTextMessage(path: string, why: BadText): string {
  return why === 'surrogate'
    ? `Invalid request: ${path}: the text has an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be stored as given. Send well-formed Unicode text.`
    : `Invalid request: ${path}: the text holds a NUL character (a zero byte), which the CMDB does not keep in text (an export of it would not import back). Remove it.`;
}
