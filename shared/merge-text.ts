/** A merge's outcome in words, the same on the Health screen and in `cmdb merge`. */
import { formatCount, formatCountOf } from './format.js';
import type { MergeRecord } from './health.js';

/** Dropped relationships named in the outcome at most; the rest are counted. */
const DIFFERING_NAMED = 3;

/**
 * "2 relationships moved, 1 dropped; filled owner, serial_number; 1 saved
 * change names the CI kept" (attributes by their own names; saved changes and
 * views only when the merge renamed some). Dropped relationships whose
 * redundancy differed from the kept CI's are named when there are some, each
 * with the CI whose history holds its entry: the CI at its other end (the
 * merged CI is gone, and the kept CI was never one of its ends).
 */
export function mergeOutcome(
  m: Pick<MergeRecord, 'moved' | 'dropped' | 'filled'> &
    Partial<Pick<MergeRecord, 'renamed' | 'differing' | 'differingRels' | 'shrunkGroups'> & Pick<MergeRecord, 'mergedKey'>>,
): string {
  const filled = m.filled.map((f) => f.replace(/^attributes\./, ''));
  const changes = m.renamed?.changes ?? 0;
  const views = m.renamed?.views ?? 0;
  const saved = [
    changes ? formatCountOf(changes, 'saved change', 'saved changes') : '',
    views ? formatCountOf(views, 'saved view', 'saved views') : '',
  ].filter(Boolean);
  return (
    `${formatCountOf(m.moved, 'relationship', 'relationships')} moved, ${formatCount(m.dropped)} dropped` +
    differingText(m) +
    shrunkText(m.shrunkGroups ?? []) +
    (filled.length > 0 ? `; filled ${filled.join(', ')}` : '; nothing to fill') +
    (saved.length > 0 ? `; ${saved.join(' and ')} now ${changes + views === 1 ? 'names' : 'name'} the CI kept` : '')
  );
}

/**
 * "; app's redundancy group "lbs" has one member fewer (both CIs were in it)": a redundant pair merged into
 * one is one member, and impact answers count it so. Empty when no group lost one.
 */
function shrunkText(groups: MergeRecord['shrunkGroups']): string {
  if (groups.length === 0) return '';
  const named = groups.slice(0, DIFFERING_NAMED).map((g) => `${g.ci}'s redundancy group "${g.label}"`);
  const more = groups.length > named.length ? `, and ${formatCount(groups.length - named.length)} more` : '';
  const one = groups.length === 1;
  // A group left with fewer members than its min_up counts its CI as down whatever stays up.
  const broken = groups
    .filter((g) => g.members !== undefined && g.minUp !== undefined && g.members < g.minUp)
    .map(
      (g) =>
        `"${g.label}" of ${g.ci} now has ${formatCountOf(g.members!, 'member', 'members')} and needs ${g.minUp}, so it cannot be satisfied`,
    );
  return (
    `; ${named.join(', ')}${more} ${one ? 'has' : 'have'} one member fewer (both CIs were in ${one ? 'it' : 'each'})` +
    (broken.length > 0 ? `; ${broken.join('; ')}` : '') +
    ': if they were two things, undo the merge'
  );
}

/** " (1 of them in another redundancy ...: check app depends_on x2 in app's history)", or "" when none differed. */
function differingText(m: Partial<Pick<MergeRecord, 'differing' | 'differingRels' | 'mergedKey'>>): string {
  const n = m.differing ?? 0;
  if (n === 0) return '';
  const which = `${formatCount(n)} of them in another redundancy group or min_up than the kept CI's same relationship, which stays`;
  const rels = m.differingRels ?? [];
  if (rels.length === 0) return ` (${which})`;
  const named = rels.slice(0, DIFFERING_NAMED).map((r) => {
    const other = r.source === m.mergedKey ? r.target : r.source;
    return `${r.source} ${r.type} ${r.target} in ${other}'s history`;
  });
  const more = n > named.length ? `, and ${formatCount(n - named.length)} more` : '';
  return ` (${which}: check ${named.join(', ')}${more})`;
}
