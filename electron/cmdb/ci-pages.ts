/**
 * A CI's relationships one side and one page at a time, with the CI at the
 * other end read in the same statement: a hub with tens of thousands of
 * relationships is shown, filtered and scrolled without reading them all
 * into memory. Each side is an index search (the source side on the
 * relationships' unique (source_id, target_id, type) index, the target side
 * on relationships_target). A side of up to SORTED_SIDE_MAX relationships is
 * ordered by type, then the other end's name; a bigger one in its index's
 * order (outgoing by the other end's id, incoming by relationship id), which
 * pages without reading and sorting the whole side: offsets are counted on
 * the index alone and only the page's rows and other ends are read. Either
 * way the order ends on a unique column, so pages never overlap.
 */
import type { Related } from '../../shared/domain.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { parseAttributes, rowToRef } from './rows.js';

/** Past this many relationships on a side, its pages come in index order rather than by type and name. */
export const SORTED_SIDE_MAX = 2000;

export type RelSide = 'incoming' | 'outgoing';
export type RelTypeCount = { type: string; count: number };

export interface RelPageRequest {
  side: RelSide;
  /** Only relationships of this type. */
  type?: string | undefined;
  /** Only those whose other end's key or name contains this (case-insensitive). */
  query?: string | undefined;
  offset: number;
  limit: number;
  /** With the first page, the side's types and counts (`types`); on unless false. */
  withTypes?: boolean;
}

interface PageRow {
  id: number;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
  attributes: string;
  o_key: string;
  o_name: string;
  o_type: string;
  o_status: string | null;
  o_criticality: string | null;
}

/** `%text%` for LIKE, with the wildcards and the escape character in the text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class CiRelationships {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  /** One page of a CI's relationships on one side (the CI named by its row id and key), and how many match in all. */
  page(ci: { id: number; key: string }, req: RelPageRequest): { items: Related[]; total: number; types?: RelTypeCount[] } {
    const { from, where, params } = this.shape(ci.id, req);
    const sideTotal = this.count(ci.id, { side: req.side });
    const cols = `r.id, r.type, r.redundancy_group, r.min_up, r.attributes,
       o.key AS o_key, o.name AS o_name, o.type AS o_type, o.status AS o_status, o.criticality AS o_criticality`;
    let sql: string;
    if (sideTotal <= SORTED_SIDE_MAX) sql = `SELECT ${cols} ${from} ${where} ORDER BY r.type, o.name, r.id LIMIT ? OFFSET ?`;
    else {
      const order = req.side === 'outgoing' ? 'r.target_id, r.type' : 'r.id';
      // Without a query the page's ids come from the index (and the type check), the other ends only for the page.
      const ids = req.query
        ? `SELECT r.id ${from} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`
        : `SELECT r.id FROM relationships r ${where} ORDER BY ${order} LIMIT ? OFFSET ?`;
      sql = `SELECT ${cols} ${from} WHERE r.id IN (${ids}) ORDER BY ${order}`;
    }
    const rows = this.statement(sql).all(...params, req.limit, req.offset) as PageRow[];
    const filtered = !!req.type || !!req.query;
    const total = !filtered ? sideTotal : req.offset === 0 && rows.length < req.limit ? rows.length : this.count(ci.id, req);
    const outgoing = req.side === 'outgoing';
    return {
      items: rows.map((r) => ({
        id: r.id,
        source: outgoing ? ci.key : r.o_key,
        target: outgoing ? r.o_key : ci.key,
        type: r.type,
        redundancyGroup: r.redundancy_group,
        minUp: r.min_up,
        attributes: parseAttributes(r.attributes),
        other: rowToRef({ key: r.o_key, name: r.o_name, type: r.o_type, status: r.o_status, criticality: r.o_criticality }),
      })),
      total,
      ...(req.offset === 0 && req.withTypes !== false ? { types: this.types(ci.id, req.side) } : {}),
    };
  }

  /** The relationship types on one side of a CI, most common first, with their counts. */
  types(ciId: number, side: RelSide): RelTypeCount[] {
    const mine = side === 'outgoing' ? 'source_id' : 'target_id';
    return this.statement(
      `SELECT type, count(*) AS count FROM relationships WHERE ${mine} = ? GROUP BY type ORDER BY count DESC, type`,
    ).all(ciId) as RelTypeCount[];
  }

  /** How many relationships a CI has on one side that match the request's type and query. */
  count(ciId: number, req: Pick<RelPageRequest, 'side' | 'type' | 'query'>): number {
    const { from, where, params } = this.shape(ciId, req);
    // Without a query the other end is not needed: the count is read from the index alone.
    const sql = req.query ? `SELECT count(*) ${from} ${where}` : `SELECT count(*) FROM relationships r ${where}`;
    return this.statement(sql)
      .pluck()
      .get(...params) as number;
  }

  private shape(ciId: number, req: Pick<RelPageRequest, 'side' | 'type' | 'query'>) {
    const [mine, theirs] = req.side === 'outgoing' ? ['source_id', 'target_id'] : ['target_id', 'source_id'];
    const clauses = [`r.${mine} = ?`];
    const params: unknown[] = [ciId];
    if (req.type) {
      clauses.push('r.type = ?');
      params.push(req.type);
    }
    if (req.query) {
      clauses.push(`(o.name LIKE ? ESCAPE '\\' OR o.key LIKE ? ESCAPE '\\')`);
      const p = containsPattern(req.query);
      params.push(p, p);
    }
    return { from: `FROM relationships r JOIN cis o ON o.id = r.${theirs}`, where: `WHERE ${clauses.join(' AND ')}`, params };
  }

  /** Each distinct statement is prepared once per connection. */
  private statement(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
