/**
 * Who to notify, as the screen lists and copies it: the engine's notify
 * entries (or, for a change saved before they existed, its owners), and the
 * text "team: key1, key2" a person pastes into a message. Pure, so it is unit-tested.
 */
import type { ImpactResult, NotifyEntry } from '../../../shared/impact.js';

/** The teams to notify, as the engine named them; from the owners and the listed CIs when the answer predates `notify`. */
export function notifyEntries(r: Pick<ImpactResult, 'notify' | 'owners' | 'impacted'>): NotifyEntry[] {
  if (r.notify) return r.notify;
  return r.owners
    .filter((o) => o.owner !== null)
    .map((o) => ({
      field: 'owner',
      team: o.owner!,
      changed: o.changed ?? 0,
      down: o.down,
      degraded: o.degraded,
      keys: r.impacted.filter((c) => c.owner === o.owner).map((c) => c.key),
    }));
}

/** How many impacted CIs a team has: changed, down and degraded are apart and add up. */
export const entryTotal = (e: Pick<NotifyEntry, 'changed' | 'down' | 'degraded'>): number => (e.changed ?? 0) + e.down + e.degraded;

/** One team's line: "team-network: lb-edge-prod-01, app-web" (and how many more the counts cover than the keys list). */
export function notifyLine(e: NotifyEntry): string {
  const more = entryTotal(e) - e.keys.length;
  return `${e.team}: ${e.keys.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Every team's line, one a line. */
export function notifyAllText(entries: readonly NotifyEntry[]): string {
  return entries.map(notifyLine).join('\n');
}
