/**
 * Rules on a CI's own fields: `missing-owner`, `missing-criticality` (in a
 * production environment) and `unreviewed-type` (CIs of a type an import
 * created and flagged for review). Retired CIs are not asked for an owner or
 * a criticality.
 */
import { CRITICALITY_SCALE, criticalityOf } from '../../../../shared/vocab.js';
import type { RawFinding, RuleContext } from '../context.js';
import { exemptClause, jsonList, RETIRED, scopeBinds, scopeClause } from '../context.js';

const blank = (col: string) => `(${col} IS NULL OR trim(${col}) = '')`;
const live = `(status IS NULL OR status != '${RETIRED}')`;

/** Owners that name no team: what spreadsheets and exports write for "nobody" (compared trimmed, in any case). */
const OWNER_PLACEHOLDERS = ['n/a', 'na', 'none', 'tbd', 'tba', 'unknown', 'unassigned', 'null'] as const;

/**
 * An owner that names no team: empty, a placeholder word, or a value with no
 * letter or digit ("-", "?": a placeholder, as the duplicate rule reads one).
 */
const noOwner = `(${blank('owner')} OR NOT (trim(owner) GLOB '*[A-Za-z0-9]*' OR trim(owner) GLOB '*[^ -~]*')
  OR lower(trim(owner)) IN (SELECT value FROM json_each('${JSON.stringify(OWNER_PLACEHOLDERS)}')))`;

/**
 * The same test for one value (a merge fills an owner that names no team): trimmed of spaces and compared
 * in ASCII lower case, as SQLite's trim() and lower() do, so that both say the same of every value.
 */
export function namesNoOwner(owner: string | null | undefined): boolean {
  const v = (owner ?? '').replace(/^ +| +$/g, '');
  if (v === '') return true;
  if (!/[A-Za-z0-9]|[^ -~]/.test(v)) return true;
  return (OWNER_PLACEHOLDERS as readonly string[]).includes(v.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

/** One finding per live CI without an owner (or with a placeholder: detail, the value), except the exempt types. */
export function missingOwner(ctx: RuleContext): RawFinding[] {
  const exempt = exemptClause('type', ctx.config.ownerExemptTypes);
  const rows = ctx.db
    .prepare(`SELECT id, trim(owner) FROM cis WHERE ${noOwner} AND ${live}${exempt.sql}${scopeClause(ctx, 'id')} ORDER BY id`)
    .raw()
    .all({ ...exempt.binds, ...scopeBinds(ctx) }) as Array<[number, string | null]>;
  return rows.map(([id, owner]) => (owner ? { rule: 'missing-owner', ids: [id], detail: owner } : { rule: 'missing-owner', ids: [id] }));
}

/**
 * One finding per live CI in a production environment (compared lower-cased
 * and trimmed) without a criticality on the registry's scale: none, or a
 * value the scale does not know ("n/a", "-"), which ranks no risk either
 * (shared/vocab.ts). SQL keeps the CIs whose value is not a scale word as
 * stored; criticalityOf decides for those few. Detail: the environment, and
 * the value when there is one.
 */
export function missingCriticality(ctx: RuleContext): RawFinding[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, environment, criticality FROM cis
       WHERE (${blank('criticality')} OR criticality NOT IN (SELECT value FROM json_each(@scale))) AND ${live}
         AND lower(trim(environment)) IN (SELECT value FROM json_each(@envs))${scopeClause(ctx, 'id')} ORDER BY id`,
    )
    .raw()
    .all({
      scale: JSON.stringify(CRITICALITY_SCALE),
      envs: jsonList(ctx.config.productionEnvironments),
      ...scopeBinds(ctx),
    }) as Array<[number, string, string | null]>;
  const out: RawFinding[] = [];
  for (const [id, environment, criticality] of rows) {
    const value = criticality?.trim() ?? '';
    if (value !== '' && criticalityOf(value) !== null) continue;
    out.push({ rule: 'missing-criticality', ids: [id], detail: value === '' ? environment : `${environment}\u0000${value}` });
  }
  return out;
}

/** One finding per type flagged for review that has CIs, naming every CI of it (retired ones too: the type is the problem). */
export function unreviewedType(ctx: RuleContext): RawFinding[] {
  const rows = ctx.db
    .prepare(
      `SELECT c.type, c.id FROM cis c WHERE c.type IN (SELECT name FROM ci_types WHERE flagged = 1)${
        // In scope: the whole type of each CI asked about (the finding names them all).
        ctx.scope === null ? '' : ' AND c.type IN (SELECT type FROM cis WHERE id IN (SELECT value FROM json_each(@scope)))'
      } ORDER BY c.type, c.id`,
    )
    .raw()
    .all(scopeBinds(ctx)) as Array<[string, number]>;
  const byType = new Map<string, number[]>();
  for (const [type, id] of rows) {
    let ids = byType.get(type);
    if (!ids) byType.set(type, (ids = []));
    ids.push(id);
  }
  return [...byType].map(([type, ids]) => ({ rule: 'unreviewed-type', ids, detail: type }));
}
