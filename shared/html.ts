import { escapeBidi } from './bidi.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML page (element content or a quoted attribute): the five characters HTML gives meaning, escaped,
 * and the bidi controls shown as `\u202e` (one in a CI name would reorder the names after it: shared/bidi.ts).
 */
export function htmlText(s: string | number | null | undefined): string {
  return escapeBidi(String(s ?? '')).replace(/[&<>"']/g, (c) => ESC[c]!);
}
