/** The planned window of a change as stored text, from and back to the two datetime-local inputs. */
const SEP = ' to ';

/** "2026-12-05T22:00" pair <-> the stored window text "2026-12-05 22:00 to 2026-12-06 02:00". */
export function formatWindow(start: string, end: string, timeZone = localZone()): string | null {
  const f = (s: string) => s.replace('T', ' ');
  if (!start && !end) return null;
  // The times are local wall-clock times: name the zone, or the board reads them in its own.
  return `${f(start) || '?'}${SEP}${f(end) || '?'}${timeZone ? ` (${timeZone})` : ''}`;
}

function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

export function parseWindow(w: string | null): { start: string; end: string } {
  const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d)? ?(?:to|–) ?(\d{4}-\d\d-\d\d \d\d:\d\d)?(?: \(.*\))?$/.exec(w ?? '');
  if (!m) return { start: '', end: '' };
  return { start: (m[1] ?? '').replace(' ', 'T'), end: (m[2] ?? '').replace(' ', 'T') };
}
