/**
 * Parsing a JSON file a person wrote (an import mapping, a health rules
 * file): a byte-order mark in front (Windows Notepad writes one) is not an
 * error, and a syntax error says where, as a line and column, not as the
 * character position JSON.parse gives on Node 20.
 */

/** The parsed value, or the syntax error with its line and column ("line 4, column 1: Expected double-quoted property name"). */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, message: whereJsonFailed(body, err instanceof Error ? err.message : String(err)) };
  }
}

function whereJsonFailed(text: string, message: string): string {
  // V8: "... in JSON at position 36" (Node 22 adds " (line 4 column 1)"); "Unexpected end of JSON input".
  const at = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  const what = (at ? message.replace(at[0], '') : message).replace(/ of JSON input$/, '');
  const position = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : null;
  if (position === null) return what;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${what}`;
}
