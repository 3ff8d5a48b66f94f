/**
 * One CI's relationships across the two points, for the Compare screen's
 * graph panel: those added, removed or changed between them (from the diff)
 * and, when one point is the live CMDB, those the same in both. Pure, so it
 * is unit-tested; drawing is RelGraph.tsx's.
 */
import { NOW, type Diff } from '../../../shared/baseline.js';
import type { DrawnElements } from '../graph/cytoscapeHost.js';

export type LineState = 'added' | 'removed' | 'changed' | 'same';

export interface RelLine {
  source: string;
  target: string;
  type: string;
  state: LineState;
}

type Rel = { source: string; target: string; type: string };
const id = (r: Rel) => `${r.source}>${r.type}>${r.target}`;
const touches = (key: string) => (r: Rel) => r.source === key || r.target === key;

/**
 * The CI's relationships: each one in the diff with its state, then those
 * read from the live CMDB (`live`, the relationships of `key` now, when one
 * of the points is `now`) that the diff does not name, as `same`.
 */
export function ciRelLines(key: string, diff: Pick<Diff, 'from' | 'to' | 'relationships'>, live: readonly Rel[] | null): RelLine[] {
  const out = new Map<string, RelLine>();
  for (const state of ['added', 'removed', 'changed'] as const)
    for (const r of diff.relationships[state].filter(touches(key)))
      out.set(id(r), { source: r.source, target: r.target, type: r.type, state });
  const livePoint = diff.to === NOW ? 'to' : diff.from === NOW ? 'from' : null;
  if (live && livePoint) {
    // A relationship only at the other point (removed going to now, added coming from now) is not live; the rest is in both.
    for (const r of live.filter(touches(key))) if (!out.has(id(r))) out.set(id(r), { ...r, state: 'same' });
  }
  return [...out.values()];
}

/** Counts per state, for the legend. */
export function lineCounts(lines: readonly RelLine[]): Record<LineState, number> {
  const c: Record<LineState, number> = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const l of lines) c[l.state]++;
  return c;
}

/** What RelGraph draws (a DrawnElements for the shared host). */
export interface RelElements extends DrawnElements {
  nodes: { data: { id: string; label: string; centre: 0 | 1 } }[];
  edges: { data: { id: string; source: string; target: string; label: string; state: LineState } }[];
}

/** The lines as Cytoscape elements: the CI in the centre (`centre: 1`), each other end once, each line an edge with its state. */
export function relElements(key: string, lines: readonly RelLine[], names: ReadonlyMap<string, string>): RelElements {
  const ends = new Set<string>([key]);
  for (const l of lines) {
    ends.add(l.source);
    ends.add(l.target);
  }
  return {
    nodes: [...ends].map((k) => ({ data: { id: k, label: names.get(k) ?? k, centre: k === key ? (1 as const) : (0 as const) } })),
    edges: lines.map((l) => ({
      data: {
        id: `${l.source}>${l.type}>${l.target}`,
        source: l.source,
        target: l.target,
        label: l.type.replace(/_/g, ' '),
        state: l.state,
      },
    })),
  };
}
