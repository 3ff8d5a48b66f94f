/** Search (FTS5) and faceted listing of CIs. */
import type { Ci, CiFilters, FilterField } from '../../shared/domain.js';
import { FILTER_FIELDS } from '../../shared/domain.js';
import type { Db } from './db.js';
import { CI_COLUMNS, type CiRow, rowToCi } from './rows.js';

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name COLLATE NOCASE',
  key: 'c.key',
  type: 'c.type',
  status: 'c.status',
  environment: 'c.environment',
  owner: 'c.owner',
  criticality: 'c.criticality',
  updatedAt: 'c.updated_at',
};

/**
 * Turns what a person typed into a safe FTS5 query: every word must match,
 * as a prefix; quotes and operators in the input are taken literally.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '').trim())
    .filter((w) => w.length > 0);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

interface Where {
  sql: string;
  params: unknown[];
  fts: string | null;
}

function buildWhere(query: string | undefined, filters: CiFilters | undefined, skip?: FilterField): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const fts = query ? toFtsQuery(query) : null;
  if (fts) {
    clauses.push('c.id IN (SELECT rowid FROM ci_fts WHERE ci_fts MATCH ?)');
    params.push(fts);
  }
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
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, fts };
}

export class Search {
  constructor(private readonly db: Db) {}

  list(req: {
    query?: string | undefined;
    filters?: CiFilters | undefined;
    sort?: string | undefined;
    order?: 'asc' | 'desc' | undefined;
    offset: number;
    limit: number;
  }): { items: Ci[]; total: number } {
    const where = buildWhere(req.query, req.filters);
    const dir = req.order === 'desc' ? 'DESC' : 'ASC';
    let order: string;
    let from = 'cis c';
    let params = where.params;
    if (req.sort) {
      order = `${SORT_COLUMNS[req.sort] ?? 'c.name'} ${dir}, c.id`;
    } else if (where.fts) {
      // Best match first, an exact key or name match before everything.
      from = 'cis c JOIN (SELECT rowid, rank FROM ci_fts WHERE ci_fts MATCH ?) f ON f.rowid = c.id';
      params = [where.fts, ...where.params];
      order = `(c.key = ? COLLATE NOCASE OR c.name = ? COLLATE NOCASE) DESC, f.rank, c.id`;
    } else {
      order = 'c.name COLLATE NOCASE, c.id';
    }
    const orderParams = !req.sort && where.fts ? [req.query?.trim(), req.query?.trim()] : [];
    const cols = CI_COLUMNS.split(', ')
      .map((c) => `c.${c}`)
      .join(', ');
    const rows = this.db
      .prepare(`SELECT ${cols} FROM ${from} ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, ...orderParams, req.limit, req.offset) as CiRow[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM cis c ${where.sql}`).get(...where.params) as { n: number }).n;
    return { items: rows.map(rowToCi), total };
  }

  /** For each filterable field, the most common values among the CIs the other filters select. */
  facets(req: { query?: string | undefined; filters?: CiFilters | undefined; limit: number }) {
    return {
      facets: FILTER_FIELDS.map((field) => {
        const where = buildWhere(req.query, req.filters, field);
        const rows = this.db
          .prepare(
            `SELECT c.${field} AS value, count(*) AS count FROM cis c ${where.sql} GROUP BY c.${field} ORDER BY count DESC, value LIMIT ?`,
          )
          .all(...where.params, req.limit) as Array<{ value: string | null; count: number }>;
        return { field, values: rows };
      }),
    };
  }
}
