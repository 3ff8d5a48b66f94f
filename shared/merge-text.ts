/** A merge's outcome in words, the same on the Health screen and in `cmdb merge`. */
import { formatCount } from './format.js';
import type { MergeRecord } from './health.js';

/**
 * "2 relationships moved, 1 dropped; filled owner, serial_number; 1 saved
 * change renamed" (attributes by their own names; saved changes and views
 * only when the merge renamed some; dropped relationships whose redundancy
 * differed from the kept CI's only when there are some).
 */
export function mergeOutcome(
  m: Pick<MergeRecord, 'moved' | 'dropped' | 'filled'> & Partial<Pick<MergeRecord, 'renamed' | 'differing'>>,
): string {
  const filled = m.filled.map((f) => f.replace(/^attributes\./, ''));
  const saved = [
    m.renamed?.changes ? `${formatCount(m.renamed.changes)} saved change${m.renamed.changes === 1 ? '' : 's'}` : '',
    m.renamed?.views ? `${formatCount(m.renamed.views)} saved view${m.renamed.views === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return (
    `${formatCount(m.moved)} relationship${m.moved === 1 ? '' : 's'} moved, ${formatCount(m.dropped)} dropped` +
    (m.differing
      ? ` (${formatCount(m.differing)} of them in another redundancy than the kept CI's, which stays: check ${m.differing === 1 ? 'it' : 'them'} in the kept CI's history)`
      : '') +
    (filled.length > 0 ? `; filled ${filled.join(', ')}` : '; nothing to fill') +
    (saved.length > 0 ? `; ${saved.join(' and ')} now name the CI kept` : '')
  );
}
