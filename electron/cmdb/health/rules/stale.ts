/**
 * `stale`: a live CI whose data nobody refreshed for N days (per type, or the
 * default). "Refreshed" is the later of its `updated_at` (set by every edit
 * and by every import that changed it) and the end (`finished_at`) of the
 * import that last wrote it, when that import was not undone. An import that
 * lists a CI unchanged writes nothing, so it does not refresh it: the
 * importer keeps what it saw in memory only (import/stages/seen.ts).
 */
import type { RawFinding, RuleContext } from '../context.js';
import { jsonList, RETIRED, scopeBinds, scopeClause } from '../context.js';

const DAY_MS = 86_400_000;

/** The ISO instant `days` days before `now`. */
export function cutoff(now: number, days: number): string {
  return new Date(now - days * DAY_MS).toISOString();
}

/** One finding per stale CI; the detail is the date it was last refreshed. */
export function stale(ctx: RuleContext): RawFinding[] {
  const { config, now } = ctx;
  const cutoffs = Object.fromEntries(Object.entries(config.staleDaysByType).map(([type, days]) => [type, cutoff(now, days)]));
  const rows = ctx.db
    .prepare(
      `WITH by_type(type, at) AS (SELECT key, value FROM json_each(@cutoffs))
       SELECT id, refreshed FROM (
         SELECT c.id, c.type, max(c.updated_at, coalesce(i.finished_at, '')) AS refreshed
         FROM cis c LEFT JOIN imports i ON i.id = c.import_id AND i.undone_at IS NULL
         WHERE (c.status IS NULL OR c.status != '${RETIRED}')
           AND c.type NOT IN (SELECT value FROM json_each(@exempt))${scopeClause(ctx, 'c.id')}
       ) AS s
       WHERE refreshed < coalesce((SELECT at FROM by_type WHERE by_type.type = s.type), @cutoff)
       ORDER BY id`,
    )
    .raw()
    .all({
      cutoffs: JSON.stringify(cutoffs),
      cutoff: cutoff(now, config.staleDays),
      exempt: jsonList(config.staleExemptTypes),
      ...scopeBinds(ctx),
    }) as Array<[number, string]>;
  return rows.map(([id, refreshed]) => ({ rule: 'stale', ids: [id], detail: refreshed }));
}
