/** Search (FTS5) and faceted listing of CIs. */
import { type Match, rankMatches } from './search-rank.js';
import type { Ci, CiFilters, FilterField } from '../../shared/domain.js';
import { FILTER_FIELDS } from '../../shared/domain.js';
import { compareCriticality, criticalityRank } from '../../shared/vocab.js';
import { dataStamp } from './data-stamp.js';
import type { Db } from './db.js';
import { CI_COLUMNS, type CiRow, rowToCi } from './rows.js';

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name COLLATE NOCASE',
  key: 'c.key',
  type: 'c.type',
  status: 'c.status',
  environment: 'c.environment',
  owner: 'c.owner',
  // criticality: by severity, not by text (pageBySeverity).
  updatedAt: 'c.updated_at',
};

/**
 * Turns what a person typed into a safe FTS5 query: every word must match,
 * as a prefix; quotes and operators in the input are taken literally. Control
 * characters separate words, as they do in the index (the unicode61 tokenizer
 * splits on them); a NUL left inside would end the query text early for FTS5.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .split(/[\s\p{Cc}]+/u)
    .map((w) => w.replace(/"/g, '').trim())
    .filter((w) => w.length > 0);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

interface Where {
  sql: string;
  params: unknown[];
}

/** The filters as a WHERE clause on `cis c` (all but `skip`); empty when there are none. */
function filterWhere(filters: CiFilters | undefined, skip?: FilterField): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const f of FILTER_FIELDS) {
    if (f === skip) continue;
    const values = filters?.[f];
    if (!values || values.length === 0) continue;
    const hasNull = values.includes('');
    const real = values.filter((v) => v !== '');
    const parts: string[] = [];
    if (real.length > 0) {
      parts.push(`c.${f} IN (${real.map(() => '?').join(',')})`);
      params.push(...real);
    }
    if (hasNull) parts.push(`c.${f} IS NULL`);
    clauses.push(`(${parts.join(' OR ')})`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The ORDER BY of a listing sorted by `sort` (by name, the default), ties in id order; not criticality's (pageBySeverity). */
function listOrder(sort: string | undefined, order: 'asc' | 'desc' | undefined): string {
  if (!sort) return 'c.name COLLATE NOCASE, c.id';
  return `${SORT_COLUMNS[sort] ?? 'c.name'} ${order === 'desc' ? 'DESC' : 'ASC'}, c.id`;
}

/** A search's matches as a FROM clause, the FTS table driving a join to cis (never also as `IN (...)`), with the filters. */
function matchedFrom(fts: string, filters: Where): { from: string; filterSql: string; args: unknown[] } {
  const filterSql = filters.sql ? `AND ${filters.sql.slice('WHERE '.length)}` : '';
  return { from: `ci_fts f JOIN cis c ON c.id = f.rowid WHERE ci_fts MATCH ? ${filterSql}`, filterSql, args: [fts, ...filters.params] };
}

/** Beyond this many matches a search gives `total` as this figure with `totalIsEstimate`, not an exact count. */
export const SEARCH_COUNT_CAP = 10_000;
/**
 * Up to this many matches are ordered by relevance (bm25); past it, relevance over hundreds of
 * thousands of rows costs seconds and means little (the query is a common prefix), so matches come
 * in the index's own (id) order, after the exact key or name matches.
 */
export const SEARCH_RANK_LIMIT = 10_000;

/** Facet answers (every value of one field for one search and filters) kept while the data is unchanged. */
const FACET_CACHE_SIZE = 16 * FILTER_FIELDS.length;

type FacetValue = { value: string | null; count: number };
type Facet = { field: FilterField; values: FacetValue[] };
type FacetQuery = { query?: string | undefined; filters?: CiFilters | undefined };

export class Search {
  private facetCache = new Map<string, FacetValue[]>();
  private facetStamp = '';

  constructor(private readonly db: Db) {}

  list(req: {
    query?: string | undefined;
    filters?: CiFilters | undefined;
    sort?: string | undefined;
    order?: 'asc' | 'desc' | undefined;
    offset: number;
    limit: number;
  }): { items: Ci[]; total: number; totalIsEstimate?: boolean } {
    const fts = req.query ? toFtsQuery(req.query) : null;
    const filters = filterWhere(req.filters);
    const desc = req.order === 'desc';
    const cols = CI_COLUMNS.split(', ')
      .map((c) => `c.${c}`)
      .join(', ');
    if (!fts) {
      if (req.sort === 'criticality') {
        const where = filters.sql.slice('WHERE '.length);
        const { rows, total } = this.pageBySeverity({ from: 'cis c', where, params: filters.params }, cols, desc, req.offset, req.limit);
        return { items: rows.map(rowToCi), total };
      }
      const rows = this.db
        .prepare(`SELECT ${cols} FROM cis c ${filters.sql} ORDER BY ${listOrder(req.sort, req.order)} LIMIT ? OFFSET ?`)
        .all(...filters.params, req.limit, req.offset) as CiRow[];
      const total = (this.db.prepare(`SELECT count(*) AS n FROM cis c ${filters.sql}`).get(...filters.params) as { n: number }).n;
      return { items: rows.map(rowToCi), total };
    }

    const { from: matched, filterSql, args } = matchedFrom(fts, filters);
    // How many match, counted only up to the cap: reading doclists stops there.
    const probe = Math.max(SEARCH_COUNT_CAP, SEARCH_RANK_LIMIT) + 1;
    // Without filters, the first matches' ids are read once and serve both the capped count and a
    // large result's page; with filters, the count goes through the join (the filters need cis).
    const firstIds = filterSql
      ? null
      : (this.db.prepare('SELECT rowid FROM ci_fts WHERE ci_fts MATCH ? LIMIT ?').pluck().all(fts, probe) as number[]);
    const capped =
      firstIds?.length ??
      (this.db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${matched} LIMIT ?)`)
        .pluck()
        .get(...args, probe) as number);
    const totalIsEstimate = capped > SEARCH_COUNT_CAP;
    const total = totalIsEstimate ? SEARCH_COUNT_CAP : capped;
    const typed = (req.query ?? '').trim();

    let rows: CiRow[];
    if (req.sort === 'criticality') {
      const from = { from: 'ci_fts f JOIN cis c ON c.id = f.rowid', where: `ci_fts MATCH ? ${filterSql}`, params: args };
      rows = this.pageBySeverity(from, cols, desc, req.offset, req.limit).rows;
    } else if (req.sort) {
      rows = this.db
        .prepare(`SELECT ${cols} FROM ${matched} ORDER BY ${listOrder(req.sort, req.order)} LIMIT ? OFFSET ?`)
        .all(...args, req.limit, req.offset) as CiRow[];
    } else if (capped <= SEARCH_RANK_LIMIT) {
      // Best match first (search-rank.ts): the matches' names and ranks read, ordered here, and the page's CIs read.
      const ids = this.rankedIds(matched, args, typed).slice(req.offset, req.offset + req.limit);
      const byId = new Map(
        (
          this.db.prepare(`SELECT ${cols} FROM cis c WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as CiRow[]
        ).map((r) => [r.id, r]),
      );
      rows = ids.map((id) => byId.get(id)!);
    } else {
      // Many matches: the exact key or name matches (found on the key and name indexes), then the rest in id order.
      const exact = this.db
        .prepare(
          `SELECT ${cols} FROM cis c
           WHERE c.id IN (SELECT id FROM cis WHERE key IN (?, lower(?), upper(?)) UNION SELECT id FROM cis WHERE name = ? COLLATE NOCASE)
           ${filterSql} AND EXISTS (SELECT 1 FROM ci_fts WHERE ci_fts MATCH ? AND rowid = c.id) ORDER BY c.id`,
        )
        .all(typed, typed, typed, typed, ...filters.params, fts) as CiRow[];
      rows = exact.slice(req.offset, req.offset + req.limit);
      const want = req.limit - rows.length;
      if (want > 0) {
        const skip = Math.max(0, req.offset - exact.length);
        const exactIds = new Set(exact.map((r) => r.id));
        const fromFirst = firstIds ? firstIds.filter((id) => !exactIds.has(id)) : [];
        if (firstIds && skip + want <= fromFirst.length) {
          const ids = JSON.stringify(fromFirst.slice(skip, skip + want));
          rows = rows.concat(
            this.db.prepare(`SELECT ${cols} FROM cis c WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`).all(ids) as CiRow[],
          );
        } else {
          const rest = this.db
            .prepare(`SELECT ${cols} FROM ${matched} AND c.id NOT IN (SELECT value FROM json_each(?)) ORDER BY f.rowid LIMIT ? OFFSET ?`)
            .all(...args, JSON.stringify([...exactIds]), want, skip) as CiRow[];
          rows = rows.concat(rest);
        }
      }
    }
    // The flag is set only when true, so exact answers read as they always did.
    return { items: rows.map(rowToCi), total, ...(totalIsEstimate ? { totalIsEstimate } : {}) };
  }

  /** The ids of a search's matches (SEARCH_RANK_LIMIT at most) in the order the list shows them (search-rank.ts). */
  private rankedIds(matched: string, args: unknown[], typed: string): number[] {
    const matches = this.db
      .prepare(`SELECT c.id, c.key, c.name, f.rank FROM ${matched}`)
      .raw()
      .all(...args) as Match[];
    return rankMatches(matches, typed);
  }

  /**
   * Where CI `key` stands in the list `list` gives for the same question (its row from 0), or null: not in it, or
   * in an order whose place is not worked out (criticality's severity pages; a search past SEARCH_RANK_LIMIT, in
   * index order after its exact matches). The rows before it are numbered in the list's own ORDER BY.
   */
  positionOf(req: {
    key: string;
    query?: string | undefined;
    filters?: CiFilters | undefined;
    sort?: string | undefined;
    order?: 'asc' | 'desc' | undefined;
  }): { index: number | null } {
    const id = this.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(req.key) as number | undefined;
    if (id === undefined || req.sort === 'criticality') return { index: null };
    const fts = req.query ? toFtsQuery(req.query) : null;
    const filters = filterWhere(req.filters);
    const { from, args } = fts ? matchedFrom(fts, filters) : { from: `cis c ${filters.sql}`, args: filters.params };
    if (fts && !req.sort) {
      const capped = this.db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${from} LIMIT ?)`)
        .pluck()
        .get(...args, SEARCH_RANK_LIMIT + 1);
      if ((capped as number) > SEARCH_RANK_LIMIT) return { index: null };
      const at = this.rankedIds(from, args, (req.query ?? '').trim()).indexOf(id);
      return { index: at < 0 ? null : at };
    }
    if (!req.sort) {
      // The list's own order (name, then id): the rows before it counted on the name index, none read.
      const name = this.db.prepare('SELECT name FROM cis WHERE id = ?').pluck().get(id) as string;
      const where = fts || filters.sql ? `${from} AND` : `${from} WHERE`;
      const before = this.db
        .prepare(`SELECT count(*) FROM ${where} (c.name < ? COLLATE NOCASE OR (c.name = ? COLLATE NOCASE AND c.id < ?))`)
        .pluck()
        .get(...args, name, name, id) as number;
      const listed = this.db.prepare(`SELECT 1 FROM ${where} c.id = ?`).get(...args, id) !== undefined;
      return { index: listed ? before : null };
    }
    const at = this.db
      .prepare(
        `SELECT n FROM (SELECT c.id, row_number() OVER (ORDER BY ${listOrder(req.sort, req.order)}) - 1 AS n FROM ${from}) WHERE id = ?`,
      )
      .pluck()
      .get(...args, id) as number | undefined;
    return { index: at ?? null };
  }

  /**
   * A page of CIs in criticality's severity order (compareCriticality; descending turns the scale round, low first, and
   * keeps values off the scale, then no value, last), each value's CIs in id order. Sorting a million rows by an
   * expression takes seconds, so the page is read value by value: the values and their counts come from one
   * GROUP BY (over the criticality index when nothing else narrows), and only the values the page reaches are read,
   * each from the index. With it, how many CIs there are in all.
   */
  private pageBySeverity(
    src: { from: string; where: string; params: unknown[] },
    cols: string,
    desc: boolean,
    offset: number,
    limit: number,
  ): { rows: CiRow[]; total: number } {
    const where = src.where ? `WHERE ${src.where}` : '';
    const groups = this.db
      .prepare(`SELECT c.criticality AS value, count(*) AS n FROM ${src.from} ${where} GROUP BY c.criticality`)
      .all(...src.params) as Array<{ value: string | null; n: number }>;
    const onScale = (v: string | null) => criticalityRank(v) > 0;
    groups.sort(
      (a, b) =>
        (desc && onScale(a.value) && onScale(b.value) ? -1 : 1) * compareCriticality(a.value, b.value) ||
        (a.value === b.value ? 0 : a.value! < b.value! ? -1 : 1),
    );
    const page = this.db.prepare(
      `SELECT ${cols} FROM ${src.from} ${where ? `${where} AND` : 'WHERE'} c.criticality IS ? ORDER BY c.id LIMIT ? OFFSET ?`,
    );
    const rows: CiRow[] = [];
    let skip = offset;
    for (const { value, n } of groups) {
      if (rows.length >= limit) break;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      rows.push(...(page.all(...src.params, value, limit - rows.length, skip) as CiRow[]));
      skip = 0;
    }
    return { rows, total: groups.reduce((sum, g) => sum + g.n, 0) };
  }

  /**
   * For each filterable field, the most common values (criticality's in severity order) among the CIs the other filters select, how many
   * values it has in all, and the counts of its chosen values (in the filters) that are not among those shown.
   */
  facets(req: FacetQuery & { limit: number }): { facets: Array<Facet & { total: number; chosen: FacetValue[] }> } {
    const all = this.valuesOf(req, FILTER_FIELDS);
    return {
      facets: FILTER_FIELDS.map((field, i) => {
        // The most common values; criticality's shown in severity order, as every list of it is (with a search too).
        const values = all[i]!.slice(0, req.limit);
        if (field === 'criticality') values.sort((a, b) => compareCriticality(a.value, b.value));
        const chosen = (req.filters?.[field] ?? [])
          .map((c) => (c === '' ? null : c))
          .filter((c) => !values.some((v) => v.value === c))
          .map((c) => all[i]!.find((v) => v.value === c) ?? { value: c, count: 0 });
        return { field, values, total: all[i]!.length, chosen };
      }),
    };
  }

  /**
   * Every value of one field among the CIs the other filters select, most common first, one page at a time;
   * with `contains`, only the values containing it (case-insensitive; "(none)" is never among them).
   */
  facetValues(req: FacetQuery & { field: FilterField; contains?: string | undefined; offset: number; limit: number }) {
    const [all] = this.valuesOf(req, [req.field]);
    const needle = req.contains?.trim().toLocaleLowerCase();
    const matching = needle ? all!.filter((v) => v.value !== null && v.value.toLocaleLowerCase().includes(needle)) : all!;
    return { values: matching.slice(req.offset, req.offset + req.limit), total: matching.length };
  }

  /**
   * Every value of each of `fields` with its count, each field kept while the data is unchanged (unfiltered,
   * a field reads every row of its index); only the fields not kept are counted.
   */
  private valuesOf(req: FacetQuery, fields: readonly FilterField[]): FacetValue[][] {
    const stamp = dataStamp(this.db);
    if (stamp !== this.facetStamp) {
      this.facetCache.clear();
      this.facetStamp = stamp;
    }
    const keyOf = (field: FilterField) => JSON.stringify([req.query ?? '', req.filters ?? {}, field]);
    const missing = fields.filter((f) => !this.facetCache.has(keyOf(f)));
    if (missing.length > 0) {
      for (const { field, values } of this.computeFacets(req, missing)) {
        if (this.facetCache.size >= FACET_CACHE_SIZE) this.facetCache.delete(this.facetCache.keys().next().value!);
        this.facetCache.set(keyOf(field), values);
      }
    }
    return fields.map((f) => this.facetCache.get(keyOf(f))!);
  }

  private computeFacets(req: FacetQuery, fields: readonly FilterField[]): Facet[] {
    const fts = req.query ? toFtsQuery(req.query) : null;
    if (fts) return this.facetsOfMatches(fts, req.filters, fields);
    // No search: one GROUP BY per field over that field's index.
    return fields.map((field) => {
      const where = filterWhere(req.filters, field);
      const rows = this.db
        .prepare(`SELECT c.${field} AS value, count(*) AS count FROM cis c ${where.sql} GROUP BY c.${field} ORDER BY count DESC, value`)
        .all(...where.params) as FacetValue[];
      return { field, values: rows };
    });
  }

  /**
   * Facets of a search in one pass over its matches (the match is evaluated once, not once per
   * field): a CI counts for a field when it passes every filter but that field's own. Only `fields` are counted.
   */
  private facetsOfMatches(fts: string, filters: CiFilters | undefined, fields: readonly FilterField[]): Facet[] {
    const wanted = FILTER_FIELDS.map((f) => {
      const values = filters?.[f];
      return values && values.length > 0 ? new Set(values.map((v) => (v === '' ? null : v))) : null;
    });
    const counts = FILTER_FIELDS.map((f) => (fields.includes(f) ? new Map<string | null, number>() : null));
    const rows = this.db
      .prepare(`SELECT ${FILTER_FIELDS.map((f) => `c.${f}`).join(', ')} FROM ci_fts f JOIN cis c ON c.id = f.rowid WHERE ci_fts MATCH ?`)
      .raw()
      .iterate(fts) as IterableIterator<Array<string | null>>;
    for (const row of rows) {
      let fails = 0;
      let failed = -1;
      for (let i = 0; i < wanted.length && fails < 2; i++) {
        const w = wanted[i];
        if (w && !w.has(row[i]!)) {
          fails++;
          failed = i;
        }
      }
      if (fails > 1) continue;
      for (let i = 0; i < counts.length; i++) {
        const c = counts[i];
        if (!c || (fails === 1 && failed !== i)) continue;
        const v = row[i]!;
        c.set(v, (c.get(v) ?? 0) + 1);
      }
    }
    // The order SQLite gives for ORDER BY count DESC, value: NULL first among equal counts.
    const byCountThenValue = (a: FacetValue, b: FacetValue) =>
      b.count - a.count || (a.value === b.value ? 0 : a.value === null ? -1 : b.value === null ? 1 : a.value < b.value ? -1 : 1);
    return fields.map((field) => ({
      field,
      values: [...counts[FILTER_FIELDS.indexOf(field)]!].map(([value, count]) => ({ value, count })).sort(byCountThenValue),
    }));
  }
}
