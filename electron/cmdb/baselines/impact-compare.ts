/**
 * The same impact question asked of two CMDBs (now and a baseline), and how
 * the answers differ. Each side runs the engine on its own graph index and
 * keeps the state of every CI it reaches by row id (downstream the asked-about
 * CIs included, as a saved change keeps them; upstream without them). CIs
 * reached on both sides under the same row id in the same state are the same
 * answer when they are the same row (a renamed key is the same CI, as in the
 * diff); only the others are looked up by key and matched on it, so a CI
 * deleted and created again under its key is matched too. At a million CIs
 * that is a few key lookups instead of one per impacted CI, and no
 * explanation, roll-up or risk is computed for the baseline's side.
 *
 * A row id SQLite gave again to another CI is not the same answer: see
 * reused-ids.ts.
 */
import type { ImpactCompare, ImpactDirection, ImpactState } from '../../../shared/impact.js';
import type { Db } from '../db.js';
import { resolveKeys, typeSelection } from '../impact/analysis.js';
import type { CiAttrs } from '../impact/ci-attrs.js';
import { downstreamImpact, STATE_DOWN, upstreamImpact } from '../impact/engine.js';
import type { GraphIndex } from '../impact/graph-index.js';
import { reusedIds } from './reused-ids.js';

/** One CMDB to ask: its connection, graph index and CI fields (whose statuses say which CIs are not running there). */
export interface ImpactSide {
  db: Db;
  index: GraphIndex;
  attrs: CiAttrs;
}

/** The question, as both sides are asked it. */
export interface CompareQuery {
  keys: readonly string[];
  direction: ImpactDirection;
  types?: readonly string[] | undefined;
  depth?: number | undefined;
}

interface SideStates {
  states: Map<number, ImpactState>;
  missing: string[];
}

/** The relationship types a side follows: the request's that it knows (a baseline may predate one), else its defaults. */
function maskFor(index: GraphIndex, types: readonly string[] | undefined): Uint8Array {
  if (!types || types.length === 0) return typeSelection(index, undefined).mask;
  const known = types.filter((t) => index.typeIndex(t) >= 0);
  return known.length > 0 ? typeSelection(index, known).mask : new Uint8Array(index.relTypes.length);
}

/** The state of every CI the question reaches on one side, by row id; asked-about keys the side lacks apart. */
function statesOf(side: ImpactSide, q: CompareQuery): SideStates {
  const { rows, missing } = resolveKeys(side.db, q.keys, true);
  const mask = maskFor(side.index, q.types);
  const nodes = rows.map((r) => side.index.nodeOf(r.id)).filter((v) => v >= 0);
  const downstream = q.direction === 'downstream';
  // Each side by its own statuses, as the analysis runs (a member retired since is down now, not then).
  const options = { mask, maxDepth: q.depth, notRunning: side.attrs.notRunning() };
  const run = downstream ? downstreamImpact(side.index, nodes, options) : upstreamImpact(side.index, nodes, options);
  const states = new Map<number, ImpactState>();
  for (let i = downstream ? 0 : run.sources.length; i < run.count; i++) {
    const v = run.order[i]!;
    states.set(side.index.ciIdOf(v), run.state[v] === STATE_DOWN ? 'down' : 'degraded');
  }
  return { states, missing };
}

/** The ids of `mine` that `other` lacks or has in another state, and (with `shared`) those it has in the same state. */
function splitIds(mine: Map<number, ImpactState>, other: Map<number, ImpactState>, shared?: number[]): number[] {
  const differing: number[] = [];
  for (const [id, state] of mine) {
    if (other.get(id) !== state) differing.push(id);
    else shared?.push(id);
  }
  return differing;
}

/** The CIs `ids` of one side by key, with their names and states there. */
function byKeyOf(db: Db, ids: readonly number[], states: Map<number, ImpactState>): Map<string, { name: string; state: ImpactState }> {
  const out = new Map<string, { name: string; state: ImpactState }>();
  const stmt = db.prepare('SELECT id, key, name FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  for (let i = 0; i < ids.length; i += 10_000) {
    for (const [id, key, name] of stmt.all(JSON.stringify(ids.slice(i, i + 10_000))) as Array<[number, string, string]>)
      out.set(key, { name, state: states.get(id)! });
  }
  return out;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** How the answer `now` gives differs from the one `then` (the baseline) gives. */
export function compareAnswers(
  now: ImpactSide,
  then: ImpactSide,
  q: CompareQuery,
  baseline: { name: string; createdAt: string },
): ImpactCompare {
  const after = statesOf(now, q);
  const before = statesOf(then, q);
  const shared: number[] = [];
  const addedIds = splitIds(after.states, before.states, shared);
  const goneIds = splitIds(before.states, after.states);
  // An id reached on both sides in the same state is the same answer only when it is the same row.
  const reused = [...reusedIds(now.db, then.db, shared)];
  const added = byKeyOf(now.db, [...addedIds, ...reused], after.states);
  const gone = byKeyOf(then.db, [...goneIds, ...reused], before.states);
  const missing = new Set(before.missing);
  const out: ImpactCompare = {
    baseline: baseline.name,
    baselineAt: baseline.createdAt,
    newlyImpacted: [],
    noLongerImpacted: [],
    stateChanged: [],
    missingKeys: before.missing,
    missingNow: after.missing.filter((k) => !missing.has(k)),
  };
  for (const [key, { name, state }] of added) {
    const was = gone.get(key)?.state;
    // An asked-about CI the baseline lacks is listed once, in missingKeys.
    if (was === undefined) {
      if (!missing.has(key)) out.newlyImpacted.push({ key, name, state });
    } else if (was !== state) out.stateChanged.push({ key, name, from: was, to: state });
  }
  // A CI no longer impacted may be gone from the CMDB since: the baseline names it.
  for (const [key, { name, state }] of gone) if (!added.has(key)) out.noLongerImpacted.push({ key, name, state });
  out.newlyImpacted.sort(byKey);
  out.noLongerImpacted.sort(byKey);
  out.stateChanged.sort(byKey);
  return out;
}
