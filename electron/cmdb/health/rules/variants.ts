/**
 * `value-variants`: one value of a CI field (environment, status, owner,
 * criticality) stored under several spellings that are the same once runs of
 * spaces are one, the ends trimmed and the case ignored (`Production`,
 * `production`, `PRODUCTION `). The import keeps what a source says; the
 * Browse filters and facet counts, and impact's rollups by environment and
 * team, then show them as distinct values. One finding per value spelled more
 * than one way, naming every CI holding a less common spelling (retired ones
 * too: the filters list them). unify-values.ts rewrites them in one step.
 *
 * Fast at a million CIs: a field's distinct values are read from its index
 * by one seek each (a handful for environments and statuses), past
 * DISTINCT_SEEKS by one GROUP BY over the rest of the index; only the
 * spellings of a value spelled several ways are counted and read by CI.
 */
import { type ValueVariants, type VariantField, variantKey } from '../../../../shared/health.js';
import type { Db } from '../../db.js';
import type { RawFinding, RuleContext } from '../context.js';
import { scopeBinds, scopeClause } from '../context.js';

/** Distinct values read one index seek each; the rest (a field of many distinct values, such as owners) by one GROUP BY. */
const DISTINCT_SEEKS = 2_000;

/** A field's distinct stored values (not NULL), with the CIs holding each where the read counted them. */
function distinctValues(db: Db, field: VariantField): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const first = db.prepare(`SELECT min(${field}) FROM cis`).pluck();
  const next = db.prepare(`SELECT min(${field}) FROM cis WHERE ${field} > ?`).pluck();
  let v = first.get() as string | null;
  while (v !== null && out.size < DISTINCT_SEEKS) {
    out.set(v, null);
    v = next.get(v) as string | null;
  }
  if (v !== null) {
    const rest = db.prepare(`SELECT ${field}, count(*) FROM cis WHERE ${field} >= ? GROUP BY ${field}`).raw();
    for (const [value, n] of rest.iterate(v) as Iterable<[string, number]>) out.set(value, n);
  }
  return out;
}

/** A spelling with nothing to trim or collapse: preferred when two spellings are held by as many CIs. */
const tidy = (v: string) => v === v.replace(/\s+/gu, ' ').trim();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The values of `field` spelled more than one way: each value's spellings
 * with their CIs, the most common first (then a tidy spelling, then in code
 * point order). Only `key`'s value when given (variantKey of a spelling).
 */
export function variantGroups(db: Db, field: VariantField, key?: string): ValueVariants[] {
  const values = distinctValues(db, field);
  const groups = new Map<string, string[]>();
  for (const value of values.keys()) {
    const k = variantKey(value);
    if (key !== undefined && k !== key) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(value);
  }
  const count = db.prepare(`SELECT count(*) FROM cis WHERE ${field} = ?`).pluck();
  const out: ValueVariants[] = [];
  for (const spellings of groups.values()) {
    if (spellings.length < 2 && key === undefined) continue;
    const counted = spellings.map((value) => ({ value, cis: values.get(value) ?? (count.get(value) as number) }));
    counted.sort((a, b) => b.cis - a.cis || Number(tidy(b.value)) - Number(tidy(a.value)) || cmp(a.value, b.value));
    out.push({ field, spellings: counted });
  }
  return out;
}

/** One finding per value of a compared field spelled several ways: ids, the CIs of the less common spellings (in the scope, when there is one). */
export function valueVariants(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const field of ctx.config.variantFields) {
    const ids = ctx.db.prepare(`SELECT id FROM cis WHERE ${field} = @value${scopeClause(ctx, 'id')} ORDER BY id`).pluck();
    for (const variants of variantGroups(ctx.db, field)) {
      const held = variants.spellings.slice(1).flatMap(({ value }) => ids.all({ value, ...scopeBinds(ctx) }) as number[]);
      if (held.length > 0) out.push({ rule: 'value-variants', ids: held, variants });
    }
  }
  return out;
}
