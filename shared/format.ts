/** Counts as people read them, in the app and the CLI alike. */

/** One formatter for every count: `toLocaleString` builds a new one per call (thousands per graph drawn). */
const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567" */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A count with its noun, singular for one: "1 CI", "2,400 CIs". */
export function formatCountOf(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The units of formatBytes past bytes, each 1024 of the one before (as file managers and `ls -lh` count). */
const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/**
 * A size as people read it, in the app, the web host's messages and the CLI alike: "512 bytes", "1.5 KB", "40 MB",
 * "4 GB" (one decimal below 10, else whole; never "1,024 KB": past 1023.5 of a unit it is one of the next).
 */
export function formatBytes(n: number): string {
  if (n < 1024) return formatCountOf(n, 'byte', 'bytes');
  let value = n / 1024;
  let unit = 0;
  while (value >= 1023.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 9.95 ? String(Number(value.toFixed(1))) : formatCount(Math.round(value));
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** A total that may be a lower bound (a search counts its matches only up to a cap): "10,000+". */
export function formatTotal(n: number, estimate: boolean | undefined): string {
  return `${formatCount(n)}${estimate ? '+' : ''}`;
}

/** A value not set, in words: the CLI's and its reports' (the app shows ∅; a word reads plainly in any terminal, log or pipe). */
export const NOT_SET = '(not set)';

/**
 * A field's value in a change (history, a diff) as people read it: `unset` when not set (null, undefined or ''; the
 * app's ∅, the CLI's NOT_SET: electron/cli/terminal.ts valueText), JSON for an object or list.
 */
export function formatValue(v: unknown, unset = '∅'): string {
  if (v === null || v === undefined || v === '') return unset;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One changed field of a change, or one changed attribute (named by its own name, `attribute` true). */
export interface ChangedField {
  field: string;
  from: unknown;
  to: unknown;
  attribute: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A change's fields as people read them (an import's rows in the CLI, a CI's history in the app): each changed
 * attribute on its own, by name. A change keeps `attributes` as the whole objects before and after (undo puts
 * them back as they were); shown whole, two long objects cut at one place read the same on both sides.
 */
export function changedFields(changes: Record<string, { from: unknown; to: unknown }>): ChangedField[] {
  const out: ChangedField[] = [];
  for (const [field, c] of Object.entries(changes)) {
    const from = c.from ?? {};
    const to = c.to ?? {};
    if (field !== 'attributes' || !isRecord(from) || !isRecord(to)) {
      out.push({ field, from: c.from, to: c.to, attribute: false });
      continue;
    }
    for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
      const a = from[name] ?? null;
      const b = to[name] ?? null;
      if (a !== b) out.push({ field: name, from: a, to: b, attribute: true });
    }
  }
  return out;
}

/** How many of an answer's changed CIs a heading names before "and N more" (a change may name thousands). */
export const SUBJECT_SHOWN = 10;

/** The first `shown` of a list, then "and N more": "a, b, c and 2,990 more". `total`: how many there are, when `items` holds only the first. */
export function cutList(items: readonly string[], shown = SUBJECT_SHOWN, total = items.length): string {
  const rest = total - Math.min(shown, items.length);
  return `${items.slice(0, shown).join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
}

/**
 * `text` in at most `max` characters (UTF-16 code units, as `length` counts them): a longer one is cut, its end
 * made "…" ("London LD4, Hall 2…"), never between the two halves of an emoji or other character outside the BMP.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max - 1;
  // A high surrogate left at the cut would stand alone: cut before it.
  const kept = text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(end - 1)) ? end - 1 : end);
  return `${kept.trimEnd()}…`;
}

/** Words as a sentence lists them: "a, b or c". */
export function listText(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** A clause as a sentence of its own: "merged since ..." -> "Merged since ...." */
export const asSentence = (clause: string): string => `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
