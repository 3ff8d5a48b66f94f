/**
 * What every health rule gets (the CMDB, the rules' settings, the graph
 * index, the time) and gives back: raw findings naming CIs by SQLite id,
 * turned into keys and sentences once, after every rule ran (messages.ts).
 */
import type { HealthConfig, HealthRuleId, ValueVariants } from '../../../shared/health.js';
import type { Db } from '../db.js';
import type { GraphIndex } from '../impact/graph-index.js';

/** A rule's finding before it is worded: the rule, the CIs (SQLite ids, in the order the message names them), a detail. */
export interface RawFinding {
  rule: HealthRuleId;
  ids: number[];
  /**
   * What the message needs beyond the CIs: the shared identifying attribute
   * and value of a duplicate set, the flagged type, the stale CI's last date,
   * the group's label and min_up.
   */
  detail?: string;
  /** A value-variants finding's field and spellings (the finding carries them for its fix). */
  variants?: ValueVariants;
}

export interface RuleContext {
  db: Db;
  config: HealthConfig;
  /** The graph index (impact/graph-index.ts), current with the data the rules read. */
  index: GraphIndex;
  /** Now, in ms since the epoch (the stale rule's reference). */
  now: number;
  /**
   * Only findings about these CIs are needed (HealthService.rulesForCis): a
   * rule may skip work about other CIs. Null: the whole CMDB.
   */
  scope: ReadonlySet<number> | null;
}

/** A rule: its findings over the CMDB (or touching `ctx.scope`). */
export type Rule = (ctx: RuleContext) => RawFinding[];

/** The scope's ids as a JSON array, for `id IN (SELECT value FROM json_each(?))`; null for the whole CMDB. */
export function scopeJson(ctx: RuleContext): string | null {
  return ctx.scope === null ? null : JSON.stringify([...ctx.scope]);
}

/** SQL `AND` clause restricting `col` to the scope when there is one (bind scopeJson as @scope). */
export function scopeClause(ctx: RuleContext, col: string): string {
  return ctx.scope === null ? '' : ` AND ${col} IN (SELECT value FROM json_each(@scope))`;
}

/** Binds for `scopeClause`: {scope} only when there is one. */
export function scopeBinds(ctx: RuleContext): { scope?: string } {
  const s = scopeJson(ctx);
  return s === null ? {} : { scope: s };
}

/** A JSON array of strings for `x IN (SELECT value FROM json_each(?))` (types, environments from the rules file). */
export function jsonList(values: readonly string[]): string {
  return JSON.stringify(values);
}

/**
 * `AND col NOT IN (...)` for exempt types, bound as @exempt; nothing when there
 * are none (a NOT IN over an empty list still costs a check per row).
 */
export function exemptClause(col: string, types: readonly string[]): { sql: string; binds: { exempt?: string } } {
  return types.length === 0
    ? { sql: '', binds: {} }
    : { sql: ` AND ${col} NOT IN (SELECT value FROM json_each(@exempt))`, binds: { exempt: jsonList(types) } };
}

/** Status of a retired CI: retired CIs are not asked for owners, criticality, relationships or fresh data. */
export const RETIRED = 'retired';
