/**
 * From a request to an answer a person can act on: resolves keys, runs the
 * engine on the index, fetches the CIs the answer names (in batches, not
 * one query per CI), and puts together counts, roll-ups, who to notify,
 * rolled-up graphs, the explanation of each listed step and the risk.
 */
import { CmdbError } from '../../../shared/errors.js';
import type { CiBrief, GroupBy, ImpactCi, ImpactDirection, ImpactResult, ImpactState, PathStep, StepWhy } from '../../../shared/impact.js';
import { CONTACT_FIELDS, NOT_RUNNING_SHOWN, RISK_LEVELS } from '../../../shared/impact.js';
import { compareCriticality, criticalityRank } from '../../../shared/vocab.js';
import type { Db } from '../db.js';
import { ATTR_CRITICALITY, ATTR_STRIDE, type CiAttrs } from './ci-attrs.js';
import { downstreamImpact, type ImpactRun, pathOf, STATE_DOWN, upstreamImpact } from './engine.js';
import { explainSteps, notRunningMembers, planSteps } from './explain-steps.js';
import { propagates } from '../../../shared/domain.js';
import type { GraphIndex } from './graph-index.js';
import { groupGraphs } from './group-graph.js';
import { reasonNodes, riskReasons, unknownNodes, unknownOf } from './risk-reasons.js';
import {
  bySeverity,
  cmp,
  fieldCodes,
  type FieldCodes,
  notifyEntries,
  type NotifyTally,
  ROLL_UP_CORE_FIELDS,
  rollUp,
  type Tally,
  tally,
} from './rollups.js';

export interface ImpactQuery {
  keys: readonly string[];
  direction: ImpactDirection;
  types?: readonly string[] | undefined;
  depth?: number | undefined;
  limit: number;
  /** Attributes to roll the impacted CIs up by. */
  rollUps?: readonly string[] | undefined;
  /** Contact fields for who to notify; default owner plus the CONTACT_FIELDS the estate has. */
  contactFields?: readonly string[] | undefined;
  /** List only the impacted CIs of one group of a rolled-up graph. */
  within?: { by: GroupBy; id: string } | undefined;
  /** Skip changed keys the CMDB no longer has instead of refusing (re-evaluating a saved change). */
  allowMissing?: boolean;
}

export interface ImpactAnswer {
  result: ImpactResult;
  /** Every impacted CI with its state (not cut by `limit`), for saving and comparing. */
  all: Array<[string, ImpactState]>;
  missingKeys: string[];
  /** Each CI the answer names (listed, on their paths, ...), by key, as read for it: for what is asked about them next (its health). */
  rows: ReadonlyMap<string, CiRowLite>;
}

/** A CI as answers read it: what they show, and its SQLite id (the health of the answer asks the rules by id). */
export interface CiRowLite {
  id: number;
  key: string;
  name: string;
  type: string;
  owner: string | null;
  criticality: string | null;
}

/** The columns of CiRowLite. */
const ROW_COLUMNS = 'id, key, name, type, owner, criticality';

const CHUNK = 10_000;

/** Fetches CIs by SQLite id in batches. */
export function fetchCis(db: Db, ids: ArrayLike<number>): Map<number, CiRowLite> {
  const stmt = db.prepare(`SELECT ${ROW_COLUMNS} FROM cis WHERE id IN (SELECT value FROM json_each(?))`);
  const out = new Map<number, CiRowLite>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk: number[] = [];
    for (let j = i; j < Math.min(ids.length, i + CHUNK); j++) chunk.push(ids[j]!);
    for (const r of stmt.all(JSON.stringify(chunk)) as CiRowLite[]) out.set(r.id, r);
  }
  return out;
}

/** The refusal of keys no CI has: NOT_FOUND naming the first five. */
export function unknownKeys(missing: readonly string[]): CmdbError {
  return new CmdbError(
    'NOT_FOUND',
    `No CI with key ${missing
      .slice(0, 5)
      .map((k) => `"${k}"`)
      .join(
        ', ',
      )}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}. Search for ${missing.length > 1 ? 'them' : 'it'} by name to find ${missing.length > 1 ? 'their keys' : 'its key'}.`,
    { keys: [...missing] },
  );
}

/** Resolves CI keys to rows; unknown keys are refused (or returned apart with allowMissing). */
export function resolveKeys(db: Db, keys: readonly string[], allowMissing = false): { rows: CiRowLite[]; missing: string[] } {
  const stmt = db.prepare(`SELECT ${ROW_COLUMNS} FROM cis WHERE key IN (SELECT value FROM json_each(?))`);
  const found = new Map<string, CiRowLite>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const r of stmt.all(JSON.stringify(keys.slice(i, i + CHUNK))) as CiRowLite[]) found.set(r.key, r);
  }
  const missing = [...new Set(keys.filter((k) => !found.has(k)))];
  if (missing.length > 0 && !allowMissing) throw unknownKeys(missing);
  const seen = new Set<string>();
  const rows: CiRowLite[] = [];
  for (const k of keys) {
    const r = found.get(k);
    if (r && !seen.has(k)) {
      seen.add(k);
      rows.push(r);
    }
  }
  return { rows, missing };
}

/** Checks the requested types against the registry and returns the mask and the names followed. */
export function typeSelection(index: GraphIndex, types: readonly string[] | undefined): { mask: Uint8Array; followed: string[] } {
  if (types && types.length > 0) {
    const unknown = types.filter((t) => index.typeIndex(t) < 0);
    if (unknown.length > 0) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `Unknown relationship type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}. Known types: ${index.relTypes.map((t) => t.name).join(', ')}.`,
        { types: unknown },
      );
    }
    const inert = types.filter((t) => !propagates(index.relTypes[index.typeIndex(t)]!.strength));
    if (inert.length > 0) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `${inert.map((t) => `"${t}"`).join(', ')} ${inert.length > 1 ? 'have strength "none" and never propagate' : 'has strength "none" and never propagates'} impact. Leave ${inert.length > 1 ? 'them' : 'it'} out, or change the type's strength in the registry.`,
        { types: inert },
      );
    }
  }
  const mask = index.typeMask(types);
  const followed = index.relTypes.filter((_, i) => mask[i] === 1).map((t) => t.name);
  return { mask, followed };
}

const STATE_NAME = (s: number): ImpactState => (s === STATE_DOWN ? 'down' : 'degraded');

/**
 * The fields asked for (`asked`), refused (INVALID_REQUEST) when one is neither among `core` nor an attribute
 * any CI has: a misspelt one would count every CI as "not set", or find no team to tell. `purpose` and
 * `usable` finish the message.
 */
function askedFields(db: Db, attrs: CiAttrs, asked: readonly string[], core: readonly string[], purpose: string, usable: string): string[] {
  const unique = [...new Set(asked)];
  const none = unique.filter((name) => !core.includes(name) && !attrs.hasAttribute(db, name));
  if (none.length > 0) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `No CI has ${none.length > 1 ? 'the fields' : 'the field'} ${none.map((n) => `"${n}"`).join(', ')} ${purpose} (names are as imported, case included). ${usable}`,
    );
  }
  return unique;
}

/** The contact fields of who to notify: the request's, else owner plus the usual contact attributes the estate has. */
function contactFieldsFor(db: Db, attrs: CiAttrs, q: ImpactQuery): string[] {
  // The usual contact attributes as the estate spells them ("Support Group" from a spreadsheet's column).
  const usual = () => [
    'owner',
    ...new Set(CONTACT_FIELDS.map((name) => attrs.attributeSpelled(db, name)).filter((n): n is string => n !== null)),
  ];
  if (!q.contactFields || q.contactFields.length === 0) return usual();
  return askedFields(
    db,
    attrs,
    q.contactFields,
    ['owner'],
    'to say whom to notify',
    `The CMDB has: ${usual().join(', ')}; or an attribute the CIs have.`,
  );
}

/** The roll-ups asked for: core fields (ROLL_UP_CORE_FIELDS) or attributes some CI has. */
function rollUpFieldsFor(db: Db, attrs: CiAttrs, q: ImpactQuery): string[] {
  return askedFields(
    db,
    attrs,
    q.rollUps ?? [],
    ROLL_UP_CORE_FIELDS,
    'to roll up by',
    `Roll up by ${ROLL_UP_CORE_FIELDS.join(', ')} or an attribute the CIs have.`,
  );
}

/** Runs one analysis against the index. */
export function analyse(db: Db, index: GraphIndex, attrs: CiAttrs, q: ImpactQuery & { wantAll?: boolean }): ImpactAnswer {
  const t0 = performance.now();
  const { rows: origins, missing } = resolveKeys(db, q.keys, q.allowMissing);
  const { mask, followed } = typeSelection(index, q.types);
  const downstream = q.direction === 'downstream';
  if (q.within && !downstream) {
    throw new CmdbError(
      'INVALID_REQUEST',
      'Rolled-up graphs, and listing the CIs of one of their groups (within), are for downstream analyses.',
    );
  }
  // The fields asked for are checked before the analysis runs.
  const contactFields = downstream ? contactFieldsFor(db, attrs, q) : [];
  const rollUps = rollUpFieldsFor(db, attrs, q);
  const nodes = origins.map((r) => index.nodeOf(r.id)).filter((v) => v >= 0);
  // The whole analysis, whatever the depth asked: the states, counts, business services, who to notify
  // and the risk are the change's; the depth only narrows the CIs listed (see withinDepth).
  // A redundancy group member whose status says it is not running counts as already down.
  const notRunning = attrs.notRunning();
  const options = { mask, notRunning };
  const run: ImpactRun = downstream ? downstreamImpact(index, nodes, options) : upstreamImpact(index, nodes, options);

  const critRank = Int32Array.from(attrs.criticality.values, criticalityRank);
  const rankOf = (node: number) => {
    const c = attrs.codes[ATTR_STRIDE * node + ATTR_CRITICALITY]!;
    return c < 0 ? 0 : critRank[c]!;
  };
  const t = tally(run, attrs, critRank);
  const severe = bySeverity(t);
  const fields = new Map([...new Set([...rollUps, ...contactFields])].map((name) => [name, fieldCodes(db, index, attrs, run, t, name)]));
  const notify = notifyEntries(
    run,
    t,
    contactFields.map((f) => fields.get(f)!),
    severe,
  );
  const nobody = downstream ? notify.none : null;

  // Rows: the business services first (the by-service graph names its groups by them), then
  // the listed CIs and the CIs on their paths, the group members their steps name, the single
  // points of failure and the CIs the risk reasons name.
  const cis = fetchCis(
    db,
    Int32Array.from(t.businessNodes, (v) => index.ciIdOf(v)),
  );
  for (const r of origins) cis.set(r.id, r);
  const ciOf = (v: number): CiRowLite => cis.get(index.ciIdOf(v)) ?? deletedCi(index.ciIdOf(v));
  const graphs = downstream ? groupGraphs(run, attrs, t, ciOf) : null;
  const inGroup = q.within && graphs ? graphs.within(q.within.by, q.within.id) : undefined;
  const keep = q.depth === undefined ? inGroup : withinDepth(run, t, q.depth, inGroup);
  const listedAt = keep ? bySeverity(t, keep, q.limit) : severe.subarray(0, Math.min(q.limit, severe.length));
  const listed = Array.from(listedAt, (i) => run.order[t.first + i]!);
  const paths = new Map(listed.map((v) => [v, pathOf(run, v)]));
  const plan = planSteps(index, run, paths.values());
  const singleNodes: number[] = [];
  if (!downstream) for (let i = t.first; i < run.count; i++) if (run.state[run.order[i]!] === STATE_DOWN) singleNodes.push(run.order[i]!);
  const reasons = reasonNodes(run, t, rankOf, (v) => index.ciIdOf(v));
  const unknownNamed = unknownNodes(run, t, rankOf, (v) => index.ciIdOf(v));
  const idle = notRunningMembers(index, run);
  const idleShown = idle.slice(0, NOT_RUNNING_SHOWN);
  const need = new Set<number>([
    ...listed,
    ...reasons.named,
    ...unknownNamed,
    ...plan.memberNodes,
    ...singleNodes,
    ...idleShown,
    ...(nobody?.nodes ?? []),
  ]);
  for (const p of paths.values()) for (const v of p.nodes) need.add(v);
  const more = Int32Array.from(need, (v) => index.ciIdOf(v)).filter((id) => !cis.has(id));
  for (const [id, r] of fetchCis(db, more)) cis.set(id, r);
  const keys = fetchKeys(
    db,
    Int32Array.from(new Set(notify.teams.flatMap((x) => x.nodes)), (v) => index.ciIdOf(v)),
  );
  for (const x of notify.teams) x.entry.keys = x.nodes.map((v) => keys.get(index.ciIdOf(v)) ?? `#${index.ciIdOf(v)}`);

  const sevOf = new Map<number, number>();
  for (const i of listedAt) sevOf.set(run.order[t.first + i]!, t.sev[i]!);
  const keyOrder = (a: number, b: number) => (sevOf.get(a) ?? 0) - (sevOf.get(b) ?? 0) || cmp(ciOf(a).key, ciOf(b).key);
  listed.sort(keyOrder);
  const whys = explainSteps(
    db,
    index,
    run,
    plan,
    (v) => ciOf(v).key,
    (v) => attrs.statusOf(v),
  );
  const impacted = impactedCis(index, run, listed, paths, ciOf, whys);
  const serviceOrder = (a: number, b: number) =>
    stateRank(run, a) - stateRank(run, b) || rankOf(b) - rankOf(a) || run.depth[a]! - run.depth[b]! || cmp(ciOf(a).key, ciOf(b).key);
  t.businessNodes.sort(serviceOrder);
  const unknown = downstream ? unknownOf(t, attrs) : undefined;

  const result: ImpactResult = {
    direction: q.direction,
    changed: origins.map(brief),
    types: followed,
    depthLimit: q.depth ?? null,
    impacted,
    truncated: (keep ? listedCount(keep) : t.total) > impacted.length,
    counts: countsOf(
      t,
      attrs,
      (q.rollUps ?? []).map((name) => fields.get(name)!),
    ),
    // A business service the change changes reads as changed here too, as in the list and the risk's reasons (it read
    // as down here; found by a change manager).
    businessServices: t.businessNodes.map((v) => ({
      ...brief(ciOf(v)),
      state: downstream && run.depth[v] === 0 ? 'changed' : STATE_NAME(run.state[v]!),
      depth: run.depth[v]!,
    })),
    owners: rollUp(t.byOwner, attrs.owner.values).map((r) => ({ owner: r.value, changed: r.changed, down: r.down, degraded: r.degraded })),
    notify: notify.teams.map((x) => x.entry),
    ...(nobody ? { noContact: noContactOf(nobody, contactFields, ciOf) } : {}),
    singlePoints: singleNodes.map((v) => brief(ciOf(v))).sort((a, b) => cmp(a.key, b.key)),
    ...(graphs ? { groupGraphs: { type: graphs.type, service: graphs.service } } : {}),
    risk: {
      level: RISK_LEVELS[t.worst]!,
      reasons: riskReasons(run, t, reasons.named, reasons.more, unknown, ciOf, unknownNamed),
      ...(unknown ? { unknown } : {}),
    },
    durationMs: 0,
  };
  const unfollowed = unfollowedOf(index, nodes, mask);
  if (unfollowed.length > 0) result.unfollowed = unfollowed;
  if (idle.length > 0) {
    const members = idleShown.map((v) => ({ ...brief(ciOf(v)), status: attrs.statusOf(v) ?? '' })).sort((a, b) => cmp(a.key, b.key));
    result.notRunning = { count: idle.length, members };
  }
  const all = q.wantAll ? everyState(db, index, run, t.first) : [];
  result.durationMs = Math.round((performance.now() - t0) * 100) / 100;
  const rows = new Map<string, CiRowLite>();
  for (const r of cis.values()) rows.set(r.key, r);
  return { result, all, missingKeys: missing, rows };
}

/**
 * The relationships of the changed CIs whose type this analysis does not follow (mask 0: strength none, or not
 * asked for), either way round, by type, the most first; those between two changed CIs are left out.
 */
function unfollowedOf(index: GraphIndex, nodes: readonly number[], mask: Uint8Array): NonNullable<ImpactResult['unfollowed']> {
  const counts = new Int32Array(index.relTypes.length);
  const changed = new Set(nodes);
  for (const [range, slots] of [
    [index.downRange, index.downSlots],
    [index.upRange, index.upSlots],
  ] as const)
    for (const v of changed)
      for (let k = range[2 * v]!, end = range[2 * v + 1]!; k < end; k++) {
        const t = slots[3 * k + 1]!;
        if (mask[t] !== 1 && !changed.has(slots[3 * k]!)) counts[t]!++;
      }
  return index.relTypes
    .map((t, i) => ({ type: t.name, count: counts[i]!, strengthNone: !propagates(t.strength) }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count || cmp(a.type, b.type));
}

/** The impacted CIs no contact field names (notifyEntries' `none`), as the answer gives them: counts, and the first by key and name. */
function noContactOf(
  none: NonNullable<NotifyTally['none']>,
  fields: readonly string[],
  ciOf: (v: number) => CiRowLite,
): NonNullable<ImpactResult['noContact']> {
  const cis = none.nodes.map((v) => ({ key: ciOf(v).key, name: ciOf(v).name }));
  return { fields: [...fields], changed: none.changed, down: none.down, degraded: none.degraded, cis };
}

/** Changed first, then down, then degraded (downstream); down before degraded (upstream). */
function stateRank(run: ImpactRun, v: number): number {
  if (run.direction === 'downstream' && run.depth[v] === 0) return 0;
  return run.state[v] === STATE_DOWN ? 1 : 2;
}

/** Which of the tallied CIs are at most `maxDepth` steps from a changed CI (and in `also`, when given): those a depth limit lists. */
function withinDepth(run: ImpactRun, t: Tally, maxDepth: number, also: Uint8Array | undefined): Uint8Array {
  const keep = new Uint8Array(t.total);
  for (let i = 0; i < t.total; i++)
    keep[i] = run.depth[run.order[t.first + i]!]! <= maxDepth && (also === undefined || also[i] === 1) ? 1 : 0;
  return keep;
}

function listedCount(keep: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]!;
  return n;
}

function deletedCi(id: number): CiRowLite {
  return {
    id,
    key: `#${id}`,
    name: '(deleted)',
    type: '',
    owner: null,
    criticality: null,
  };
}

/** The counts of the answer: changed, down and degraded apart, in total and per type, criticality, environment and named attribute. */
function countsOf(t: Tally, attrs: CiAttrs, attributes: readonly FieldCodes[]): ImpactResult['counts'] {
  const three = (r: { changed: number; down: number; degraded: number }) => ({ changed: r.changed, down: r.down, degraded: r.degraded });
  return {
    changed: t.changed,
    down: t.down,
    degraded: t.degraded,
    total: t.total,
    byType: rollUp(t.byType, attrs.type.values).map((r) => ({ type: r.value ?? '', ...three(r) })),
    // Most severe criticality first (critical, high, medium, low, others, not set).
    byCriticality: rollUp(t.byCrit, attrs.criticality.values)
      .sort((a, b) => compareCriticality(a.value, b.value))
      .map((r) => ({ criticality: r.value, ...three(r) })),
    byEnvironment: rollUp(t.byEnv, attrs.environment.values),
    byAttribute: [...new Set(attributes)].map((a) => ({ attribute: a.name, values: rollUp(a.counts, a.values) })),
  };
}

/** The listed CIs as the answer gives them, each with its path and why each step carries impact. */
function impactedCis(
  index: GraphIndex,
  run: ImpactRun,
  listed: readonly number[],
  paths: ReadonlyMap<number, { nodes: number[]; edges: number[] }>,
  ciOf: (node: number) => CiRowLite,
  whys: ReadonlyMap<number, StepWhy>,
): ImpactCi[] {
  const downstream = run.direction === 'downstream';
  const step = (node: number, edge: number | null): PathStep => {
    const ci = ciOf(node);
    const relType = edge === null || edge < 0 ? undefined : index.relTypes[index.edgeType[edge]!];
    // Downstream, each step reaches a dependent; upstream, a dependency. The
    // relationship runs from the previous CI to this one when the previous
    // CI is its source end.
    const forward = relType ? (relType.dependent === 'target') === downstream : null;
    const why = edge === null || edge < 0 ? null : (whys.get(edge) ?? null);
    // Each step's own state: a step not among the CIs listed was shown with none (a hypervisor down on a
    // business service's path read as unaffected; found by a CAB chair).
    const state = downstream && run.depth[node] === 0 ? 'changed' : STATE_NAME(run.state[node]!);
    return { key: ci.key, name: ci.name, type: ci.type, rel: relType?.name ?? null, forward, why, state };
  };
  return listed.map((v) => {
    const ci = ciOf(v);
    const p = paths.get(v)!;
    const changed = downstream && run.depth[v] === 0;
    return {
      key: ci.key,
      name: ci.name,
      type: ci.type,
      owner: ci.owner,
      criticality: ci.criticality,
      state: changed ? 'changed' : STATE_NAME(run.state[v]!),
      depth: run.depth[v]!,
      changed,
      path: p.nodes.map((u, i) => step(u, i === 0 ? null : p.edges[i - 1]!)),
    };
  });
}

/** Every impacted CI (not cut by the limit) by key, with its state: for saving a change and comparing it later. */
function everyState(db: Db, index: GraphIndex, run: ImpactRun, first: number): Array<[string, ImpactState]> {
  const total = run.count - first;
  const everything = Int32Array.from({ length: total }, (_, i) => index.ciIdOf(run.order[first + i]!));
  const keys = fetchKeys(db, everything);
  const all: Array<[string, ImpactState]> = [];
  for (let i = first; i < run.count; i++) {
    const v = run.order[i]!;
    const key = keys.get(index.ciIdOf(v));
    if (key !== undefined) all.push([key, STATE_NAME(run.state[v]!)]);
  }
  return all;
}

/** Keys by SQLite id, in batches of ids in ascending order (the table's order: far fewer pages read than in any other). */
function fetchKeys(db: Db, unsorted: Int32Array): Map<number, string> {
  const ids = unsorted.slice().sort();
  const stmt = db.prepare('SELECT id, key FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const [id, key] of stmt.all(JSON.stringify(Array.from(ids.subarray(i, i + CHUNK)))) as Array<[number, string]>) out.set(id, key);
  }
  return out;
}

function brief(r: CiRowLite): CiBrief {
  return { key: r.key, name: r.name, type: r.type, owner: r.owner, criticality: r.criticality };
}
