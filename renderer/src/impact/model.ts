/**
 * The Impact screen's data, apart from React and Cytoscape: the impacted
 * subgraph (the union of explanation paths, capped) and the table's filter and
 * sort. Pure, so it is unit-tested. Explanations in words come from
 * shared/explain.ts: the renderer computes no impact rule.
 */
import { withinHops } from '../../../shared/explain.js';
import { formatCount, formatCountOf } from '../../../shared/format.js';
import type { ChangeSummary, ImpactCi, ImpactResult, PathStep } from '../../../shared/impact.js';
import { compareCriticality, criticalityRank } from '../../../shared/vocab.js';

/** Fixed impact colours: they must read the same on the light and dark graph backgrounds. */
export const IMPACT_COLOURS = {
  down: '#dc2626',
  downBorder: '#7f1d1d',
  degraded: '#fbbf24',
  degradedBorder: '#b45309',
  changed: '#4460e6',
};

export type ImpactStateView = 'changed' | 'down' | 'degraded';

export function stateOf(ci: Pick<ImpactCi, 'changed' | 'state'>): ImpactStateView {
  return ci.changed ? 'changed' : ci.state;
}

export interface SubNode {
  key: string;
  name: string;
  type: string;
  /** null for a CI that is only on a path (upstream analyses). */
  state: ImpactStateView | null;
  /** Its criticality's rank (criticalityRank: 4 critical ... 0 unknown), where the answer lists it. */
  rank?: number;
}

export interface SubEdge {
  id: string;
  source: string;
  target: string;
  rel: string;
}

export interface Subgraph {
  nodes: SubNode[];
  edges: SubEdge[];
  /** Impacted CIs whose explanation path is drawn. */
  shown: number;
  /** Impacted CIs (of those listed) left off the graph by the cap. */
  omitted: number;
}

/**
 * The union of the explanation paths of the listed CIs, most severe first,
 * until `cap` CIs are drawn; `always` (the selected result) is drawn even past the cap.
 */
export function impactSubgraph(result: ImpactResult, cap: number, always: string | null = null): Subgraph {
  const byKey = new Map(result.impacted.map((c) => [c.key, c]));
  const nodes = new Map<string, SubNode>();
  const edges = new Map<string, SubEdge>();
  const addEdge = (step: PathStep, from: string) => {
    // Drawn the way the relationship runs (step.forward), not the way the impact travelled.
    const [source, target] = step.forward === false ? [step.key, from] : [from, step.key];
    const id = `${source}->${target}:${step.rel}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, rel: step.rel! });
  };
  const groupSteps: Array<PathStep> = [];
  const addPath = (ci: ImpactCi) => {
    let prev: PathStep | null = null;
    for (const step of ci.path) {
      if (!nodes.has(step.key)) {
        const hit = byKey.get(step.key);
        nodes.set(step.key, {
          key: step.key,
          name: step.name,
          type: step.type,
          // A step not listed has the state the engine gave it on the path (older answers: none known).
          state: hit ? stateOf(hit) : (step.state ?? null),
          ...(hit ? { rank: criticalityRank(hit.criticality) } : {}),
        });
      }
      if (prev && step.rel) addEdge(step, prev.key);
      if (step.rel && step.why?.group?.lostKeys?.length) groupSteps.push(step);
      prev = step;
    }
  };
  let shown = 0;
  for (const c of result.changed) {
    const hit = byKey.get(c.key);
    nodes.set(c.key, { key: c.key, name: c.name, type: c.type, state: hit ? stateOf(hit) : 'changed' });
  }
  for (const ci of result.impacted) {
    const fresh = ci.path.filter((s) => !nodes.has(s.key)).length;
    if (nodes.size + fresh > cap && ci.key !== always) continue;
    addPath(ci);
    shown++;
  }
  if (always && byKey.has(always)) addPath(byKey.get(always)!);
  // A redundancy group's other lost members that are drawn (two changed CIs that take a service down only
  // together): their step to the group's CI too, so neither looks unrelated to what it took down.
  for (const step of groupSteps) for (const k of step.why!.group!.lostKeys!) if (nodes.has(k)) addEdge(step, k);
  return { nodes: [...nodes.values()], edges: [...edges.values()], shown, omitted: result.impacted.length - shown };
}

export type SortKey = 'state' | 'name' | 'type' | 'criticality' | 'owner' | 'depth';

export interface TableFilter {
  state: '' | ImpactStateView;
  type: string;
  criticality: string;
  text: string;
}

/**
 * The criticality values among the rows, for the table's filter: in severity order (critical, high, medium, low,
 * then values off the scale), as every list of criticality reads; values of one rank alphabetically.
 */
export function criticalityOptions(rows: readonly ImpactCi[]): string[] {
  const values = [...new Set(rows.map((r) => r.criticality ?? ''))].filter(Boolean);
  return values.sort((a, b) => compareCriticality(a, b) || a.localeCompare(b));
}

const STATE_RANK: Record<ImpactStateView, number> = { changed: 0, down: 1, degraded: 2 };

/** The rows the table shows: filtered, then sorted (ties keep the engine's severity order). */
export function filterAndSort(rows: ImpactCi[], f: TableFilter, sort: SortKey | null, desc: boolean): ImpactCi[] {
  const text = f.text.trim().toLowerCase();
  const out = rows.filter(
    (r) =>
      (!f.state || stateOf(r) === f.state) &&
      (!f.type || r.type === f.type) &&
      (!f.criticality || (r.criticality ?? '') === f.criticality) &&
      (!text || r.key.toLowerCase().includes(text) || r.name.toLowerCase().includes(text) || (r.owner ?? '').toLowerCase().includes(text)),
  );
  if (!sort) return out;
  const cmp = (a: ImpactCi, b: ImpactCi): number => {
    switch (sort) {
      case 'state':
        return STATE_RANK[stateOf(a)] - STATE_RANK[stateOf(b)];
      case 'criticality':
        // The registry's scale (ServiceNow's words too): the most critical first, unknown last.
        return criticalityRank(b.criticality) - criticalityRank(a.criticality);
      case 'depth':
        return a.depth - b.depth;
      case 'name':
        return a.name.localeCompare(b.name);
      case 'type':
        return a.type.localeCompare(b.type);
      case 'owner':
        return (a.owner ?? '\uffff').localeCompare(b.owner ?? '\uffff');
    }
  };
  const idx = new Map(out.map((r, i) => [r, i]));
  return out.sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)) || idx.get(a)! - idx.get(b)!);
}

/**
 * The impacted-CI list's footer: how many rows it shows, of how many. With a depth limit the list holds the CIs
 * within it (the most severe of them when cut) and the total is every CI at any depth (docs/impact.md): "8 CIs
 * within 1 hop · 34 at any depth", not "the most severe of 34", which they are not.
 */
export function listFootText(o: { shown: number; rows: number; total: number; depthLimit: number | null; truncated: boolean }): string {
  const { shown, rows, total, depthLimit } = o;
  const count = shown === rows ? formatCountOf(rows, 'CI', 'CIs') : `${formatCount(shown)} of ${formatCountOf(rows, 'CI', 'CIs')}`;
  if (depthLimit === null) return total > rows ? `${count} · the most severe of ${formatCount(total)}: export for all` : count;
  const within = `${count} ${withinHops(depthLimit)}${o.truncated ? ', the most severe' : ''}`;
  return total > rows ? `${within} · ${formatCount(total)} at any depth: export for all` : within;
}

/** A saved change's counts and window under its title in the list of saved changes: "1,200 down · 0 degraded · Sun 02:00-03:00". */
export function savedChangeCounts(c: Pick<ChangeSummary, 'down' | 'degraded' | 'window'>): string {
  return `${formatCount(c.down)} down · ${formatCount(c.degraded)} degraded${c.window ? ` · ${c.window}` : ''}`;
}
