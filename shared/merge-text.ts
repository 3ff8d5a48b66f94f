/** A merge's outcome in words, the same on the Health screen and in `cmdb merge`. */
import { formatCount } from './format.js';
import type { MergeRecord } from './health.js';

/** "2 relationships moved, 1 dropped; filled owner, serial_number" (attributes by their own names). */
export function mergeOutcome(m: Pick<MergeRecord, 'moved' | 'dropped' | 'filled'>): string {
  const filled = m.filled.map((f) => f.replace(/^attributes\./, ''));
  return (
    `${formatCount(m.moved)} relationship${m.moved === 1 ? '' : 's'} moved, ${formatCount(m.dropped)} dropped` +
    (filled.length > 0 ? `; filled ${filled.join(', ')}` : '; nothing to fill')
  );
}
