/** A CI's attributes as the edit form shows them, `name = value` lines, and back. */

/** The attributes as `name = value` lines. */
export function attrsToText(a: Record<string, string>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
}

/** Parses `name = value` lines; returns the line number of the first bad one. */
export function parseAttributes(text: string): { ok: true; value: Record<string, string> } | { ok: false; line: number } {
  const entries: Array<[string, string]> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!l) continue;
    const eq = l.indexOf('=');
    if (eq <= 0) return { ok: false, line: i + 1 };
    entries.push([l.slice(0, eq).trim(), l.slice(eq + 1).trim()]);
  }
  // Entries, not `out[name] = value`: an attribute named `__proto__` would set the prototype and be lost.
  return { ok: true, value: Object.fromEntries(entries) };
}
