/**
 * Why each step of a listed explanation path carries impact (StepWhy), by
 * the engine's rules: the one place that reads states, strengths and
 * redundancy groups back into reasons. Only the steps of the listed paths
 * are explained; a group's label is read from `relationships` for those
 * steps only (the graph index keeps no labels).
 *
 * Downstream, the step into CI x from its dependency p:
 * - x DOWN: `hard` (ungrouped) or `group` (its group failed);
 * - x DEGRADED: `soft` (soft relationship), `group` (p is a lost member of a
 *   group that held), or `carried` (a hard dependency degraded, not down).
 * Upstream, the step from CI x to its dependency p: `hard`, `group` (lost 0,
 * every member up, failed when the group has no spare) or `soft`; `shared`
 * for a single point of failure reached only through nested redundancy.
 */
import type { RedundancyGroup, StepWhy } from '../../../shared/impact.js';
import { UP_KEYS_SHOWN } from '../../../shared/impact.js';
import type { Db } from '../db.js';
import { type ImpactRun, STATE_DOWN } from './engine.js';
import { type GraphIndex, IMPLICIT_GROUP_TYPE, STRENGTH_HARD } from './graph-index.js';

interface GroupFacts {
  dependent: number;
  slot: number;
  /** The members up (one per relationship): not lost (downstream), and running. */
  up: number[];
  /** The lost members (downstream) whose keys the reasons name, at most UP_KEYS_SHOWN. */
  lostShown: number[];
  /** The members not running (and not lost): down before the change; how many, and the first UP_KEYS_SHOWN. */
  notRunning: number;
  notRunningShown: number[];
  label: string;
  /** A cluster's members without a redundancy group (IMPLICIT_GROUP_TYPE): no label of their own. */
  implicit: boolean;
}

/** The steps to explain: the distinct relationships of the listed paths, and the member CIs whose keys the reasons name. */
export interface StepPlan {
  edges: number[];
  groups: Map<number, GroupFacts>;
  /** Member CIs named in `up` and `lostKeys` lists: their keys must be fetched. */
  memberNodes: number[];
}

/** Collects the relationships of the listed paths and the redundancy groups they belong to. */
export function planSteps(index: GraphIndex, run: ImpactRun, paths: Iterable<{ edges: number[] }>): StepPlan {
  const seen = new Set<number>();
  const groups = new Map<number, GroupFacts>();
  const memberNodes = new Set<number>();
  const downstream = run.direction === 'downstream';
  for (const p of paths) {
    for (const e of p.edges) {
      if (e < 0 || seen.has(e)) continue;
      seen.add(e);
      const g = index.edgeGroup[e]!;
      if (g < 0 || run.hard[index.edgeType[e]!] !== 1 || groups.has(g)) continue;
      const x = index.edgeDependent[e]!;
      const up: number[] = [];
      const lostMembers: number[] = [];
      const idle: number[] = [];
      for (let k = index.upRange[2 * x]!, end = index.upRange[2 * x + 1]!; k < end; k++) {
        if (index.upSlots[3 * k + 2] !== g || run.hard[index.upSlots[3 * k + 1]!] !== 1) continue;
        const m = index.upSlots[3 * k]!;
        (downstream && run.state[m] === STATE_DOWN ? lostMembers : run.notRunning(m) ? idle : up).push(m);
      }
      const lostShown = lostMembers.slice(0, UP_KEYS_SHOWN);
      const notRunningShown = idle.slice(0, UP_KEYS_SHOWN);
      for (const m of [...up.slice(0, UP_KEYS_SHOWN), ...lostShown, ...notRunningShown]) memberNodes.add(m);
      groups.set(g, { dependent: x, slot: g, up, lostShown, notRunning: idle.length, notRunningShown, label: '', implicit: false });
    }
  }
  return { edges: [...seen], groups, memberNodes: [...memberNodes] };
}

/**
 * The members the answer counts as already down by their status (not lost to the change), in the groups it weighs
 * (run.notRunningGroups: downstream every group the change reached, upstream every group of the CIs it lists);
 * each node once.
 */
export function notRunningMembers(index: GraphIndex, run: ImpactRun): number[] {
  const pairs = run.notRunningGroups;
  const out = new Set<number>();
  for (let i = 0; i < pairs.length; i += 2) {
    const x = pairs[i]!;
    const g = pairs[i + 1]!;
    for (let k = index.upRange[2 * x]!, end = index.upRange[2 * x + 1]!; k < end; k++) {
      if (index.upSlots[3 * k + 2] !== g || run.hard[index.upSlots[3 * k + 1]!] !== 1) continue;
      const m = index.upSlots[3 * k]!;
      if (run.notRunning(m) && !(run.direction === 'downstream' && run.state[m] === STATE_DOWN)) out.add(m);
    }
  }
  return [...out];
}

/** Reads each planned group's label from the relationship of one of its listed steps. */
function readLabels(db: Db, index: GraphIndex, plan: StepPlan): void {
  const stmt = db.prepare('SELECT redundancy_group FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?').pluck();
  const done = new Set<number>();
  for (const e of plan.edges) {
    const g = index.edgeGroup[e]!;
    const facts = plan.groups.get(g);
    if (!facts || done.has(g)) continue;
    done.add(g);
    const t = index.relTypes[index.edgeType[e]!]!;
    const dependent = index.ciIdOf(index.edgeDependent[e]!);
    const dependency = index.ciIdOf(index.edgeDependency[e]!);
    const [source, target] = t.dependent === 'source' ? [dependent, dependency] : [dependency, dependent];
    const label = stmt.get(source, target, t.name) as string | null | undefined;
    facts.implicit = (label === null || label === '') && t.name === IMPLICIT_GROUP_TYPE;
    facts.label = label ?? '';
  }
}

/**
 * StepWhy per relationship (edge number) of the plan. `keyOf` gives the key
 * of a member CI (the plan's memberNodes must have been fetched), `statusOf`
 * the status of one (of those not running).
 */
export function explainSteps(
  db: Db,
  index: GraphIndex,
  run: ImpactRun,
  plan: StepPlan,
  keyOf: (node: number) => string,
  statusOf: (node: number) => string | null,
): Map<number, StepWhy> {
  readLabels(db, index, plan);
  const downstream = run.direction === 'downstream';
  const info = run.groupInfo;
  const groupOf = (g: number, failedDownstream: boolean): RedundancyGroup => {
    const f = plan.groups.get(g)!;
    const members = info[2 * g]!;
    const minUp = info[2 * g + 1]!;
    const lost = downstream ? (run.lost?.[g] ?? 0) : 0;
    const up = f.up;
    return {
      // An implicit group is named by its CI: "members of ora-rac-prod".
      label: f.implicit ? keyOf(f.dependent) : f.label,
      ...(f.implicit ? { implicit: true } : {}),
      members,
      lost,
      minUp,
      up: up.slice(0, UP_KEYS_SHOWN).map(keyOf),
      upMore: Math.max(0, up.length - UP_KEYS_SHOWN),
      lostKeys: f.lostShown.map(keyOf),
      ...(f.notRunning > 0
        ? {
            notRunning: f.notRunningShown.map((m) => ({ key: keyOf(m), status: statusOf(m) ?? '' })),
            notRunningMore: f.notRunning - f.notRunningShown.length,
          }
        : {}),
      // Upstream: no spare when losing one more member running leaves fewer than min_up up.
      failed: downstream ? failedDownstream : members - f.notRunning - 1 < minUp,
    };
  };
  const out = new Map<number, StepWhy>();
  for (const e of plan.edges) {
    const hardStep = run.hard[index.edgeType[e]!] === 1;
    const strength = index.relTypes[index.edgeType[e]!]!.code === STRENGTH_HARD ? 'hard' : 'soft';
    const g = hardStep ? index.edgeGroup[e]! : -1;
    const dependent = index.edgeDependent[e]!;
    const dependency = index.edgeDependency[e]!;
    let why: StepWhy;
    if (downstream) {
      if (run.state[dependent] === STATE_DOWN) {
        why = g < 0 ? { kind: 'hard', strength, group: null } : { kind: 'group', strength, group: groupOf(g, true) };
      } else if (!hardStep) why = { kind: 'soft', strength, group: null };
      else if (run.state[dependency] === STATE_DOWN) {
        why = g < 0 ? { kind: 'hard', strength, group: null } : { kind: 'group', strength, group: groupOf(g, false) };
      } else why = { kind: 'carried', strength, group: null };
    } else if (run.shared?.[dependency] === 1) {
      why = { kind: 'shared', strength, group: g < 0 ? null : groupOf(g, false) };
    } else if (!hardStep) why = { kind: 'soft', strength, group: null };
    else why = g < 0 ? { kind: 'hard', strength, group: null } : { kind: 'group', strength, group: groupOf(g, false) };
    out.set(e, why);
  }
  return out;
}
