/**
 * `stale`: a live CI whose data nobody refreshed for N days (per type, or the
 * default). "Refreshed" is the later of its `updated_at` (set by every edit
 * and by every import that changed it) and the end (`finished_at`) of the
 * import that last wrote it, when that import was not undone. An import that
 * lists a CI unchanged writes nothing, so it does not refresh it: the
 * importer keeps what it saw in memory only (import/stages/seen.ts).
 */
import type { RawFinding, RuleContext } from '../context.js';
import { exemptClause, RETIRED, scopeBinds, scopeClause } from '../context.js';

const DAY_MS = 86_400_000;

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
  const rows = ctx.db
    .prepare(
      `SELECT c.id, max(c.updated_at, coalesce(i.finished_at, '')) AS refreshed
       FROM cis c LEFT JOIN imports i ON i.id = c.import_id AND i.undone_at IS NULL
       WHERE (c.status IS NULL OR c.status != '${RETIRED}')${exempt.sql}${scopeClause(ctx, 'c.id')}
         AND max(c.updated_at, coalesce(i.finished_at, '')) < ${limit}
       ORDER BY c.id`,
    )
    .raw()
    .all({ ...binds, ...exempt.binds, ...scopeBinds(ctx) }) as Array<[number, string]>;
  return rows.map(([id, refreshed]) => ({ rule: 'stale', ids: [id], detail: refreshed }));
}
