/**
 * `stale`: a live CI whose data nobody refreshed for N days (per type, or the
 * default). "Refreshed" is the latest of:
 * - its `updated_at` (set by every edit and by every import that changed it);
 * - the end (`finished_at`) of the import that last wrote it;
 * - the end of the last sync of its source that retired what its file does
 *   not list (it rejected no CI row, or only rows repeating an earlier row's
 *   key): a CI of that source still live after it was in the file, changed
 *   or not (or was written after it).
 * A CI brought back by undoing its merge was not there for a sync that ran
 * while it was merged away: the sync before the merge counts for it instead.
 * Undone imports count for nothing. An upsert import that lists a CI
 * unchanged writes nothing and retires nothing, so it does not refresh it
 * (unchanged rows cost a comparison, not a write: import/stages/seen.ts).
 */
import type { RawFinding, RuleContext } from '../context.js';
import { exemptClause, RETIRED, scopeBinds, scopeClause } from '../context.js';

const DAY_MS = 86_400_000;

/**
 * Per source, when its last sync that saw every live CI of the source ended:
 * one with a CIs file (a relationships file alone retires no CI; imports
 * from before `withCis` was recorded always had one) that retired the CIs its
 * file does not list (`retiredUnlisted`, 1 or 0 on every sync with a CIs file
 * since a rejected duplicate no longer stops it, and a file without rows
 * retires nothing; before, one that rejected no CI row), not undone.
 */
const SYNCS = `SELECT source, finished_at FROM imports
  WHERE mode = 'sync' AND source IS NOT NULL AND finished_at IS NOT NULL AND undone_at IS NULL
    AND CASE WHEN options ->> 'retiredUnlisted' IS NOT NULL THEN options ->> 'retiredUnlisted' = 1
             ELSE coalesce(counts ->> 'rejected', 0) = 0 END
    AND coalesce(options ->> 'withCis', 1) = 1`;
const SYNCS_SEEN = `SELECT source, max(finished_at) AS seen FROM (${SYNCS}) GROUP BY source`;

/**
 * A CI brought back by undoing its merge was absent from the CMDB between the
 * merge and the undo: a sync of its source that ended then did not see it
 * (it would have retired it). For such a CI the sync that counts is the last
 * one before the merge, unless one ended after the undo. Per key, the latest
 * undone merge; joined only when there is one (a probe per CI otherwise).
 */
const RESTORED = `SELECT merged_key AS key, max(at) AS at, undone_at FROM merges WHERE undone_at IS NOT NULL GROUP BY merged_key`;

/** The SQL for when a CI was last seen by a sync of its source (`s.seen`, and `r` when RESTORED is joined). */
function syncSeen(restored: boolean): string {
  if (!restored) return `coalesce(s.seen, '')`;
  return `CASE WHEN r.key IS NOT NULL AND s.seen >= r.at AND s.seen <= r.undone_at
    THEN coalesce((SELECT max(finished_at) FROM (${SYNCS}) WHERE source = c.source AND finished_at < r.at), '')
    ELSE coalesce(s.seen, '') END`;
}

/** The ISO instant `days` days before `now`. */
export function cutoff(now: number, days: number): string {
  return new Date(now - days * DAY_MS).toISOString();
}

/** One finding per stale CI; the detail is the date it was last refreshed. */
export function stale(ctx: RuleContext): RawFinding[] {
  const { config, now } = ctx;
  // The cutoff per type as a CASE over bound values (a lookup per row in a table of types costs more than the scan).
  const byType = Object.entries(config.staleDaysByType);
  const binds: Record<string, string> = { cutoff: cutoff(now, config.staleDays) };
  byType.forEach(([type, days], i) => {
    binds[`t${i}`] = type;
    binds[`c${i}`] = cutoff(now, days);
  });
  const limit =
    byType.length === 0 ? '@cutoff' : `CASE c.type ${byType.map((_, i) => `WHEN @t${i} THEN @c${i}`).join(' ')} ELSE @cutoff END`;
  const exempt = exemptClause('c.type', config.staleExemptTypes);
  const restored = ctx.db.prepare('SELECT EXISTS(SELECT 1 FROM merges WHERE undone_at IS NOT NULL)').pluck().get() === 1;
  const refreshed = `max(c.updated_at, coalesce(i.finished_at, ''), ${syncSeen(restored)})`;
  const rows = ctx.db
    .prepare(
      `SELECT c.id, ${refreshed} AS refreshed
       FROM cis c LEFT JOIN imports i ON i.id = c.import_id AND i.undone_at IS NULL
         LEFT JOIN (${SYNCS_SEEN}) s ON s.source = c.source${restored ? ` LEFT JOIN (${RESTORED}) r ON r.key = c.key` : ''}
       WHERE (c.status IS NULL OR c.status != '${RETIRED}')${exempt.sql}${scopeClause(ctx, 'c.id')}
         AND ${refreshed} < ${limit}
       ORDER BY c.id`,
    )
    .raw()
    .all({ ...binds, ...exempt.binds, ...scopeBinds(ctx) }) as Array<[number, string]>;
  return rows.map(([id, refreshed]) => ({ rule: 'stale', ids: [id], detail: refreshed }));
}
