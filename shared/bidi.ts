/**
 * Bidirectional-text controls in text from the data. One of them in a CI name
 * (U+202E RIGHT-TO-LEFT OVERRIDE) reorders what follows it: in a report's
 * list of names, the names after it read backwards; `abc\u202egpj.exe` reads
 * "abcexe.jpg". Every writer of text for people shows them as `\u202e`-style
 * escapes (the terminal, the Markdown and HTML reports: the JSON spelling, so
 * a value seen can be searched for in JSON), and the app isolates each name
 * (`isolated` in its tooltips, CSS `unicode-bidi: isolate` on its elements).
 */

/** The bidi marks (ALM, LRM, RLM), embeddings, overrides and isolates, as a regular expression's character class. */
export const BIDI_CONTROL_CLASS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/**
 * Characters that show nothing and join nothing: zero-width space, word joiner, zero-width no-break space (U+FEFF
 * inside text). `srv-01` and `srv\u200b-01` are two keys that would read the same. Not the joiners (U+200C, U+200D),
 * which Persian, Indic and emoji text need.
 */
export const INVISIBLE_CLASS = '\\u200b\\u2060\\ufeff';

const BIDI_CONTROLS = new RegExp(`[${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]`, 'g');

/** `\u202e` for U+202E: the JSON spelling of one UTF-16 code unit. */
export function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with each bidi control and invisible character shown as its escape (`\u202e`, `\u200b`): inert, and visible. */
export function escapeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, unicodeEscape);
}

/** What can reorder the text around a value: a bidi control, or a letter of a right-to-left script. */
const REORDERS = new RegExp(
  `[${BIDI_CONTROL_CLASS}\\u0590-\\u08ff\\ufb1d-\\ufdff\\ufe70-\\ufefc\\u{10800}-\\u{10fff}\\u{1e800}-\\u{1efff}]`,
  'u',
);

/**
 * `text` as an isolate (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE) for plain text that holds other text
 * beside it, such as a tooltip or a dialog's title: a bidi control inside it, or its right-to-left letters, do not
 * reorder the text around it. Text that could not reorder anything is left as it is (names read and match as typed).
 */
export function isolated(text: string): string {
  return REORDERS.test(text) ? `\u2068${text}\u2069` : text;
}
