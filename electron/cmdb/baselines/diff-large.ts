/**
 * A large diff (more differing rows than diff.ts holds in memory: a baseline
 * saved before the first import of a million CIs, say) done in SQL: each kind
 * of change is one query streamed through, counted, and only the first
 * `limit` of each kept. The same identities as diff.ts: CIs on their key, a
 * renamed CI (same row id and created_at, its old key gone and its new key
 * new) as changed; relationships on (source key, target key, type), here
 * through the end CIs' keys on each side, so a relationship of a renamed CI
 * reads as removed and added.
 */
import type { Db } from '../db.js';
import {
  CI_COLUMNS,
  CI_FIELDS,
  type CiRow,
  fieldChanges,
  type Lists,
  REL_COLUMNS,
  REL_FIELDS,
  relBrief,
  type RelSide,
  side,
} from './diff.js';

const cols = (alias: string, columns: readonly string[], prefix = '') => columns.map((c) => `${alias}.${c} AS ${prefix}${c}`).join(', ');

/** Splits a row of two prefixed halves (`a_`, `b_`). */
function halves<T>(row: Record<string, unknown>, columns: readonly string[]): [T, T] {
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  for (const c of columns) {
    a[c] = row[`a_${c}`];
    b[c] = row[`b_${c}`];
  }
  return [a as T, b as T];
}

/** CIs of `x` whose key `y` lacks and that were not renamed (`y` has no row of the same id and created_at under a key `x` lacks). */
function onlyCisSql(x: string, y: string): string {
  return `SELECT c.key, c.name, c.type, c.owner FROM ${x}.cis c
    WHERE NOT EXISTS (SELECT 1 FROM ${y}.cis o WHERE o.key = c.key)
      AND NOT EXISTS (SELECT 1 FROM ${y}.cis o WHERE o.id = c.id AND o.created_at = c.created_at
                      AND NOT EXISTS (SELECT 1 FROM ${x}.cis z WHERE z.key = o.key))`;
}

export function largeCis(db: Db, from: string, to: string, wanted: (type: string) => boolean, out: Lists['cis']): void {
  type Brief = { key: string; name: string; type: string; owner: string | null };
  for (const r of db.prepare(onlyCisSql(to, from)).iterate() as Iterable<Brief>) if (wanted(r.type)) out.added.push(r);
  for (const r of db.prepare(onlyCisSql(from, to)).iterate() as Iterable<Brief>) if (wanted(r.type)) out.removed.push(r);
  const compared = [...CI_FIELDS, 'attributes'].map((c) => `a.${c} IS NOT b.${c}`).join(' OR ');
  const pairs = [
    // The same key on both sides, something else differs.
    `SELECT ${cols('a', CI_COLUMNS, 'a_')}, ${cols('b', CI_COLUMNS, 'b_')} FROM ${to}.cis b JOIN ${from}.cis a ON a.key = b.key WHERE ${compared}`,
    // A renamed CI.
    `SELECT ${cols('a', CI_COLUMNS, 'a_')}, ${cols('b', CI_COLUMNS, 'b_')} FROM ${to}.cis b
       JOIN ${from}.cis a ON a.id = b.id AND a.created_at = b.created_at AND a.key <> b.key
       WHERE NOT EXISTS (SELECT 1 FROM ${from}.cis z WHERE z.key = b.key) AND NOT EXISTS (SELECT 1 FROM ${to}.cis z WHERE z.key = a.key)`,
  ];
  for (const sql of pairs) {
    for (const row of db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) {
      const [a, b] = halves<CiRow>(row, CI_COLUMNS);
      if (!wanted(a.type) && !wanted(b.type)) continue;
      const fields = fieldChanges(a, b, CI_FIELDS as unknown as (keyof CiRow & string)[]);
      if (Object.keys(fields).length > 0) out.changed.push({ ...side(b), fields });
    }
  }
}

/** A side's relationships with their ends' keys and types, as columns prefixed `p`. */
function relsWithEnds(schema: string, p: string): string {
  return `SELECT ${cols('r', REL_COLUMNS, p)}, s.key AS ${p}source, t.key AS ${p}target, s.type AS ${p}sourceType, t.type AS ${p}targetType
    FROM ${schema}.relationships r JOIN ${schema}.cis s ON s.id = r.source_id JOIN ${schema}.cis t ON t.id = r.target_id`;
}

/** Whether `schema` has a relationship of type `type` between the CIs keyed `src` and `tgt`. */
function hasRel(schema: string, src: string, tgt: string, type: string): string {
  return `EXISTS (SELECT 1 FROM ${schema}.cis s2 JOIN ${schema}.cis t2 JOIN ${schema}.relationships r2
    ON r2.source_id = s2.id AND r2.target_id = t2.id AND r2.type = ${type} WHERE s2.key = ${src} AND t2.key = ${tgt})`;
}

export function largeRelationships(db: Db, from: string, to: string, wanted: (type: string) => boolean, out: Lists['relationships']): void {
  const keep = (r: { sourceType: string; targetType: string }) => wanted(r.sourceType) || wanted(r.targetType);
  const only = (x: string, y: string) =>
    `SELECT * FROM (${relsWithEnds(x, '')}) o WHERE NOT ${hasRel(y, 'o.source', 'o.target', 'o.type')}`;
  for (const r of db.prepare(only(to, from)).iterate() as Iterable<RelSide>) if (keep(r)) out.added.push(relBrief(r));
  for (const r of db.prepare(only(from, to)).iterate() as Iterable<RelSide>) if (keep(r)) out.removed.push(relBrief(r));
  const names = [...REL_COLUMNS, 'source', 'target', 'sourceType', 'targetType'];
  const changed = `SELECT * FROM (${relsWithEnds(to, 'b_')}) b
    JOIN ${from}.cis s ON s.key = b.b_source JOIN ${from}.cis t ON t.key = b.b_target
    JOIN (${relsWithEnds(from, 'a_')}) a ON a.a_source_id = s.id AND a.a_target_id = t.id AND a.a_type = b.b_type
    WHERE ${[...REL_FIELDS, 'attributes'].map((c) => `a.a_${c} IS NOT b.b_${c}`).join(' OR ')}`;
  for (const row of db.prepare(changed).iterate() as Iterable<Record<string, unknown>>) {
    const [a, b] = halves<RelSide>(row, names);
    if (!keep(a) && !keep(b)) continue;
    const fields = fieldChanges(a, b, REL_FIELDS as unknown as (keyof RelSide & string)[]);
    if (Object.keys(fields).length > 0) out.changed.push({ ...relBrief(b), fields });
  }
}
