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
 * A run for some CIs (an impact answer's notes) reads only the values those
 * CIs hold and seeks each one's other spellings in the index (spellingsOf):
 * milliseconds, where the whole-field read is about 0.1 s at a million CIs.
 */
import { type ValueVariants, type VariantField, variantKey } from '../../../../shared/health.js';
import type { Db } from '../../db.js';
import type { RawFinding, RuleContext } from '../context.js';
import { scopeBinds, scopeClause, scopeJson } from '../context.js';

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

/** One value's spellings with their CIs (counted by the index where `known` has no count), the most common first, then a tidy one, then code point order. */
function counted(db: Db, field: VariantField, spellings: string[], known?: Map<string, number | null>): ValueVariants {
  const count = db.prepare(`SELECT count(*) FROM cis WHERE ${field} = ?`).pluck();
  const out = spellings.map((value) => ({ value, cis: known?.get(value) ?? (count.get(value) as number) }));
  out.sort((a, b) => b.cis - a.cis || Number(tidy(b.value)) - Number(tidy(a.value)) || cmp(a.value, b.value));
  return { field, spellings: out };
}

/** The values of `field` spelled more than one way, over the whole CMDB: each value's spellings with their CIs (`counted`). */
export function variantGroups(db: Db, field: VariantField): ValueVariants[] {
  const values = distinctValues(db, field);
  const groups = new Map<string, string[]>();
  for (const value of values.keys()) {
    const k = variantKey(value);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(value);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => counted(db, field, g, values));
}

/** Per code point, the other code points that lower-case to a string starting with it (`K` and the Kelvin sign for `k`). */
let upperOf: Map<number, number[]> | null = null;

function uppers(): Map<number, number[]> {
  if (upperOf === null) {
    const out = new Map<number, number[]>();
    // Every cased character is below U+1F000.
    for (let cp = 0; cp < 0x1f000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const c = String.fromCodePoint(cp);
      const lower = c.toLowerCase();
      if (lower === c) continue;
      const first = lower.codePointAt(0)!;
      let list = out.get(first);
      if (!list) out.set(first, (list = []));
      list.push(cp);
    }
    // Σ lower-cases to ς at the end of a word (the one mapping that depends on what follows).
    out.set(0x3c2, [...(out.get(0x3c2) ?? []), 0x3a3]);
    upperOf = out;
  }
  return upperOf;
}

/** Code point ranges holding every character `\s` matches (and some that are not: each is checked). */
const SPACE_RANGES: ReadonlyArray<[number, number]> = [
  [0x09, 0x20],
  [0xa0, 0x3000],
  [0xfeff, 0xfeff],
];
const isSpace = (ch: string) => /\s/u.test(ch);

/**
 * The stored spellings of the value whose variantKey is `key` (none when no
 * CI holds it), found by walking the field's index along the key: at each
 * character, one seek per casing of it (and per range of spaces where the key
 * allows spaces) finds the next characters stored spellings have there, so
 * only prefixes of real spellings are followed, whatever the CMDB's size.
 */
function spellingsOfKey(db: Db, field: VariantField, key: string): string[] {
  const seek = db.prepare(`SELECT min(${field}) FROM cis WHERE ${field} >= ? AND ${field} < ?`).pluck();
  const held = db.prepare(`SELECT 1 FROM cis WHERE ${field} = ? LIMIT 1`).pluck();
  const casings = uppers();
  const out: string[] = [];
  const walk = (p: string, i: number, afterSpace: boolean): void => {
    if (i === key.length && held.get(p) !== undefined && variantKey(p) === key) out.push(p);
    const here = i < key.length ? key.codePointAt(i)! : null;
    const spaces = i === 0 || i === key.length || here === 0x20 || (afterSpace && key[i - 1] === ' ');
    const ranges: Array<[number, number]> = spaces ? [...SPACE_RANGES] : [];
    if (here !== null && here !== 0x20) for (const c of [here, ...(casings.get(here) ?? [])]) ranges.push([c, c]);
    for (const [a, b] of ranges) {
      let c = a;
      while (c <= b) {
        const v = seek.get(p + String.fromCodePoint(c), b < 0x10ffff ? p + String.fromCodePoint(b + 1) : p + '\u{10ffff}\u{10ffff}') as
          string | null;
        if (v === null) break;
        c = v.codePointAt(p.length)!;
        const ch = String.fromCodePoint(c);
        if (isSpace(ch)) {
          if (spaces) walk(p + ch, here === 0x20 ? i + 1 : i, true);
        } else if (here !== null && here !== 0x20) {
          if (c === here) walk(p + ch, i + ch.length, false);
          else {
            const lower = ch.toLowerCase();
            if (key.startsWith(lower, i)) walk(p + ch, i + lower.length, false);
            if (c === 0x3a3 && key[i] === 'ς') walk(p + ch, i + 1, false);
          }
        }
        c++;
      }
    }
  };
  walk('', 0, false);
  return [...new Set(out)].sort(cmp);
}

/** One value's spellings (`to`'s, matched by variantKey) with their CIs (`counted`); null when no CI holds any. */
export function spellingsOf(db: Db, field: VariantField, value: string): ValueVariants | null {
  const spellings = spellingsOfKey(db, field, variantKey(value));
  return spellings.length > 0 ? counted(db, field, spellings) : null;
}

/** The values of `field` the scoped CIs hold that are spelled several ways (each found by spellingsOf: no read of the whole field). */
function scopedGroups(ctx: RuleContext, field: VariantField): ValueVariants[] {
  const held = ctx.db
    .prepare(`SELECT DISTINCT ${field} FROM cis WHERE id IN (SELECT value FROM json_each(?)) AND ${field} IS NOT NULL`)
    .pluck()
    .all(scopeJson(ctx)) as string[];
  const keys = [...new Set(held.map(variantKey))];
  const out: ValueVariants[] = [];
  for (const key of keys) {
    const spellings = spellingsOfKey(ctx.db, field, key);
    if (spellings.length > 1) out.push(counted(ctx.db, field, spellings));
  }
  return out;
}

/** One finding per value of a compared field spelled several ways: ids, the CIs of the less common spellings (in the scope, when there is one). */
export function valueVariants(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const field of ctx.config.variantFields) {
    const ids = ctx.db.prepare(`SELECT id FROM cis WHERE ${field} = @value${scopeClause(ctx, 'id')} ORDER BY id`).pluck();
    for (const variants of ctx.scope === null ? variantGroups(ctx.db, field) : scopedGroups(ctx, field)) {
      const held = variants.spellings.slice(1).flatMap(({ value }) => ids.all({ value, ...scopeBinds(ctx) }) as number[]);
      if (held.length > 0) out.push({ rule: 'value-variants', ids: held, variants });
    }
  }
  return out;
}
