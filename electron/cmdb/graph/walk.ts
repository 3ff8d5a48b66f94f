/**
 * The neighbourhood's walk: breadth-first from the centre over the
 * relationship indexes, upstream (what a CI depends on), downstream (what
 * depends on it) or both: two walks from the centre, ring by ring, whose
 * union is the answer, so a CI reached down then up (a sibling) is never in it.
 * CIs of filtered-out types are walked through (they count as hops) but
 * marked hidden, for implied edges. Each ring's relationships are read as a
 * stream that stops once the cap is reached, so a hub with hundreds of
 * thousands of relationships costs no more than the cap. Of each CI it reads
 * only what it needs (id, type and the value it is grouped by): a grouped walk
 * reads up to 200,000 CIs to draw a few; the drawn ones are read whole after
 * (`readCis`).
 */
import type { Direction } from '../../../shared/domain.js';
import { CmdbError } from '../../../shared/errors.js';
import type { Db } from '../db.js';

export interface NodeRow {
  id: number;
  key: string;
  name: string;
  type: string;
  status: string | null;
  criticality: string | null;
  environment: string | null;
  owner: string | null;
  /** The value of the attribute asked for with the walk (`attribute`), as stored. */
  attr?: unknown;
}

/** A CI as the walk read it: its id and type, and the core field or attribute asked for with the walk. */
export type WalkedCi = Pick<NodeRow, 'id' | 'type'> & Partial<Omit<NodeRow, 'id' | 'type'>>;

/** The core fields a walk can read with each CI (the fields a neighbourhood groups by). */
export type WalkField = 'owner' | 'environment' | 'status' | 'criticality';

export const NODE_COLS = 'id, key, name, type, status, criticality, environment, owner';
export const CHUNK = 900;
/**
 * Relationships still read after the cap is reached, to count exactly what was left out.
 * Past this many, the rest of the ring is counted with count(*) on the relationship indexes.
 */
const COUNT_BUDGET = 1000;

export interface WalkRequest {
  key: string;
  depth: number;
  direction: Direction;
  ciTypes?: string[] | undefined;
  relTypes?: string[] | undefined;
  /** Drawn CIs (not hidden) read at most, the centre included. */
  cap: number;
  /** CIs of filtered-out types walked through at most. */
  hiddenCap: number;
  /** A core field read with each CI, for grouping by it. */
  field?: WalkField | undefined;
  /** A JSON path read from each CI's attributes with its row (into `attr`), for grouping by an attribute. */
  attribute?: string | undefined;
}

export interface WalkResult {
  center: NodeRow;
  /** Every CI walked, drawn or hidden, in the order found (the centre whole, the others as walked). */
  rows: Map<number, WalkedCi>;
  depthOf: Map<number, number>;
  /** CIs walked through but not drawn (their type was filtered out). */
  hidden: Set<number>;
  truncated: boolean;
  /** CIs left out in the ring where the cap was reached (exact, or past a hub an upper bound). */
  omitted: number;
}

/** Whether each relationship type's dependent end is its source. */
export function dependentIsSource(db: Db): Map<string, boolean> {
  return new Map(
    (db.prepare('SELECT name, dependent FROM rel_types').all() as Array<{ name: string; dependent: string }>).map((t) => [
      t.name,
      t.dependent === 'source',
    ]),
  );
}

type Side = {
  /** The far CI of each relationship read. */
  far: (ids: string) => IterableIterator<number>;
  /** How many relationships the frontier `ids` has on this side (hidden types included: an upper bound). */
  count: (ids: string) => number;
};

/** The sides a walk in `direction` follows: for each end of a relationship, the types read from a CI at that end. */
function walkSides(db: Db, direction: 'upstream' | 'downstream', relFilter: Set<string> | null): Side[] {
  const sourceIsDependent = dependentIsSource(db);
  const allTypes = [...sourceIsDependent.keys()];
  const sides: Side[] = [];
  for (const end of ['source', 'target'] as const) {
    // `from` depends on `to` when `from` is the dependent end.
    const types = allTypes.filter(
      (t) => (!relFilter || relFilter.has(t)) && (sourceIsDependent.get(t) === (end === 'source')) === (direction === 'upstream'),
    );
    if (types.length === 0) continue;
    const col = end === 'source' ? 'source_id' : 'target_id';
    const otherCol = end === 'source' ? 'target_id' : 'source_id';
    const typeSql = types.length === allTypes.length ? '' : ' AND r.type IN (SELECT value FROM json_each(?))';
    const typeArgs = typeSql ? [JSON.stringify(types)] : [];
    const from = `FROM relationships r WHERE r.${col} IN (SELECT value FROM json_each(?))${typeSql}`;
    const far = db.prepare(`SELECT r.${otherCol} ${from}`).pluck();
    const count = db.prepare(`SELECT count(*) ${from}`).pluck();
    sides.push({
      far: (ids) => far.iterate(ids, ...typeArgs) as IterableIterator<number>,
      count: (ids) => count.get(ids, ...typeArgs) as number,
    });
  }
  return sides;
}

/** One directional walk's own state: a CI reached by both walks is expanded by each, in its direction. */
interface Walk {
  sides: Side[];
  seen: Set<number>;
  frontier: number[];
}

/** The drawn CIs `ids`, whole, by id. */
export function readCis(db: Db, ids: Iterable<number>): Map<number, NodeRow> {
  const rows = db.prepare(`SELECT ${NODE_COLS} FROM cis WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...ids]));
  return new Map((rows as NodeRow[]).map((r) => [r.id, r]));
}

export function walk(db: Db, req: WalkRequest): WalkResult {
  const attr = req.attribute === undefined ? '' : ', json_extract(attributes, @path) AS attr';
  const path = req.attribute === undefined ? {} : { path: req.attribute };
  const center = db.prepare(`SELECT ${NODE_COLS}${attr} FROM cis WHERE key = @key`).get({ ...path, key: req.key }) as NodeRow | undefined;
  if (!center) throw new CmdbError('NOT_FOUND', `No CI with key "${req.key}". Search for it by name to find its key.`, { key: req.key });
  const relFilter = req.relTypes && req.relTypes.length > 0 ? new Set(req.relTypes) : null;
  const typeFilter = req.ciTypes && req.ciTypes.length > 0 ? new Set(req.ciTypes) : null;
  const directions: Array<'upstream' | 'downstream'> = req.direction === 'both' ? ['upstream', 'downstream'] : [req.direction];
  const walks: Walk[] = directions.map((d) => ({
    sides: walkSides(db, d, relFilter),
    seen: new Set([center.id]),
    frontier: [center.id],
  }));
  const cols = `id, type${req.field === undefined ? '' : `, ${req.field}`}${attr}`;
  const nodesByIds = db.prepare(`SELECT ${cols} FROM cis WHERE id IN (SELECT value FROM json_each(@ids))`);

  const rows = new Map<number, WalkedCi>([[center.id, center]]);
  const depthOf = new Map<number, number>([[center.id, 0]]);
  const hidden = new Set<number>();
  const omittedIds = new Set<number>();
  let drawn = 1;
  let truncated = false;
  let uncounted = 0;

  /**
   * Takes the CIs `w` reached at depth `d` (not yet seen by it) into the answer while the caps
   * allow, reading the new ones in one query; past the caps they are omitted without reading.
   */
  const takeAll = (w: Walk, reached: number[], d: number, next: number[]): void => {
    const unread = reached.filter((id) => !rows.has(id) && !omittedIds.has(id));
    const full = drawn >= req.cap && (!typeFilter || hidden.size >= req.hiddenCap);
    const found = new Map<number, WalkedCi>();
    if (unread.length > 0 && !full) {
      for (const n of nodesByIds.all({ ...path, ids: JSON.stringify(unread) }) as WalkedCi[]) found.set(n.id, n);
    }
    for (const id of reached) {
      if (w.seen.has(id)) continue;
      if (!rows.has(id)) {
        if (omittedIds.has(id)) continue;
        const n = found.get(id);
        if (!n) {
          // Past the caps (not read), or a relationship to a CI that is gone (foreign keys off).
          if (full) {
            truncated = true;
            omittedIds.add(id);
          }
          continue;
        }
        const isHidden = typeFilter !== null && !typeFilter.has(n.type);
        if (isHidden ? hidden.size >= req.hiddenCap : drawn >= req.cap) {
          truncated = true;
          if (!isHidden) omittedIds.add(id);
          continue;
        }
        rows.set(id, n);
        depthOf.set(id, d);
        if (isHidden) hidden.add(id);
        else drawn++;
      }
      w.seen.add(id);
      next.push(id);
    }
  };

  for (let d = 1; d <= req.depth && !truncated && walks.some((w) => w.frontier.length > 0); d++) {
    for (const w of walks) {
      const next: number[] = [];
      let budget = COUNT_BUDGET;
      let read = 0;
      let stopped = false;
      let reached: number[] = [];
      ring: for (let i = 0; i < w.frontier.length; i += CHUNK) {
        const ids = JSON.stringify(w.frontier.slice(i, i + CHUNK));
        for (const side of w.sides) {
          for (const other of side.far(ids)) {
            read++;
            if (!w.seen.has(other)) reached.push(other);
            if (reached.length >= CHUNK) {
              takeAll(w, reached, d, next);
              reached = [];
            }
            if (truncated && (budget -= 1) <= 0) {
              stopped = true;
              break ring;
            }
          }
        }
      }
      takeAll(w, reached, d, next);
      if (stopped) {
        // A hub: count the rest of the ring on the indexes instead of reading it.
        let total = 0;
        for (let i = 0; i < w.frontier.length; i += CHUNK) {
          const ids = JSON.stringify(w.frontier.slice(i, i + CHUNK));
          for (const side of w.sides) total += side.count(ids);
        }
        uncounted += Math.max(0, total - read);
      }
      w.frontier = next;
    }
  }
  return { center, rows, depthOf, hidden, truncated, omitted: omittedIds.size + uncounted };
}
