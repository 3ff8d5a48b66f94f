/**
 * The graph view's data: the neighbourhood of the centre CI, fetched again
 * when the question changes and merged with what expanding a CI adds, with
 * its status, error, truncation and the clock the timings are read from.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Direction } from '../../../shared/domain.js';
import { formatCount } from '../../../shared/format.js';
import { cmdb } from '../api.js';
import type { GraphController } from './controller.js';
import { publishGraphState } from './debugHandle.js';
import { emptyGraph, fromNeighbourhood, mergeNeighbourhood, type GraphData } from './model.js';

/** What to fetch. */
export interface GraphQuery {
  center: string | null;
  depth: number;
  direction: Direction;
  ciTypes: string[];
  relTypes: string[];
  maxNodes: number;
  /** Group by this field or attribute, with these values expanded (null: no grouping asked for). */
  groupBy: string | null;
  expand: Array<string | null>;
  /** Bumped when the CMDB changed. */
  version: number;
}

/** Whether the cap cut the neighbourhood short, and by how much (at fetch and by expanding). */
export interface GraphMeta {
  truncated: boolean;
  omitted: number;
  expandOmitted: number;
}

export type GraphStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The current drawing's number and when its fetch started and how long it took. */
export interface GraphClock {
  seq: RefObject<number>;
  fetchStart: RefObject<number>;
  fetchMs: RefObject<number>;
}

/** Publishes the graph's state for tests (see debugHandle), with this render's truncation. */
export type Publish = (
  status: 'loading' | 'ready' | 'error',
  extra?: { nodes?: number; edges?: number; layoutMs?: number; shownMs?: number },
) => void;

/** The grouping field a hub is drawn with when its neighbourhood does not fit under the cap. */
export const AUTO_GROUP_BY = 'type';

/** The request for `key`'s neighbourhood, with the query's direction, type filters and grouping (`groupBy` overrides the query's). */
export function neighbourhoodRequest(q: GraphQuery, key: string, depth: number, maxNodes: number, groupBy = q.groupBy) {
  return {
    key,
    depth,
    direction: q.direction,
    ciTypes: q.ciTypes.length ? q.ciTypes : undefined,
    relTypes: q.relTypes.length ? q.relTypes : undefined,
    maxNodes,
    grouping: groupBy ? { by: groupBy, expand: groupBy === q.groupBy ? q.expand : [], minSize: 2 } : undefined,
    implied: true,
  };
}

/** The notice of a hub drawn grouped by type because its neighbourhood passed the cap. */
function autoGroupNotice(omitted: number, maxNodes: number): string {
  return `More than ${formatCount(maxNodes)} CIs around this one (${formatCount(omitted)} past the cap): drawn grouped by type. Click a group to draw its CIs, or choose another Group by.`;
}

/**
 * Fetches `q`'s neighbourhood whenever it changes (calling `onQuestion`
 * first), and offers `expand` to add a CI's neighbours to the drawing.
 */
export function useGraphData(q: GraphQuery, ctl: RefObject<GraphController | null>, onQuestion: () => void) {
  const [data, setData] = useState<GraphData>(emptyGraph);
  const [meta, setMeta] = useState<GraphMeta>({ truncated: false, omitted: 0, expandOmitted: 0 });
  const [status, setStatus] = useState<GraphStatus>('idle');
  const [error, setError] = useState<unknown>(null);
  const [openGroups, setOpenGroups] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  /** The notice of a hub drawn grouped by type automatically, or null. */
  const [autoGrouped, setAutoGrouped] = useState<string | null>(null);
  const seq = useRef(0);
  const fetchStart = useRef(0);
  const fetchMs = useRef(0);

  const publish: Publish = (s, extra = {}) =>
    publishGraphState(ctl, { status: s, seq: seq.current, fetchMs: fetchMs.current, meta, ...extra });

  // Fetch the neighbourhood when the question changes.
  useEffect(() => {
    const { center } = q;
    if (!center) {
      setStatus('idle');
      return;
    }
    let live = true;
    const my = ++seq.current;
    setStatus('loading');
    publish('loading');
    setError(null);
    // What an expand said is about the last drawing, not this one.
    setNotice(null);
    onQuestion();
    performance.mark('graph:fetch-start');
    fetchStart.current = performance.now();
    const shown = (n: Awaited<ReturnType<typeof cmdb.neighbourhood>>) => {
      if (!live || my !== seq.current) return;
      performance.mark('graph:fetched');
      fetchMs.current = performance.now() - fetchStart.current;
      setMeta({ truncated: n.truncated, omitted: n.omitted, expandOmitted: 0 });
      setOpenGroups(new Set());
      setAutoGrouped(n.autoGrouped ? autoGroupNotice(n.autoGrouped.omitted, q.maxNodes) : null);
      setData(fromNeighbourhood(n));
    };
    const failed = (err: unknown) => {
      if (!live) return;
      setError(err);
      setStatus('error');
      publish('error');
    };
    // A hub: what does not fit under the cap is drawn grouped by type rather than cut off (the engine decides, in the same call).
    const auto = q.groupBy ? {} : { autoGroup: { by: AUTO_GROUP_BY, expand: [], minSize: 2 } };
    cmdb.neighbourhood({ ...neighbourhoodRequest(q, center, q.depth, q.maxNodes), ...auto }).then(shown, failed);
    return () => {
      live = false;
    };
  }, [q.center, q.depth, q.direction, q.ciTypes, q.relTypes, q.maxNodes, q.groupBy, q.expand, q.version]);

  const expand = async (key: string) => {
    if (!data.nodes.has(key)) return; // a group node: it opens, it does not expand
    setNotice(`Expanding ${data.nodes.get(key)?.name ?? key}…`);
    fetchStart.current = performance.now();
    performance.mark('graph:fetch-start');
    try {
      const n = await cmdb.neighbourhood(neighbourhoodRequest(q, key, 1, 500, null));
      fetchMs.current = performance.now() - fetchStart.current;
      const before = data.nodes.size;
      const merged = mergeNeighbourhood(data, n);
      const added = merged.nodes.size - before;
      setData(merged);
      if (n.truncated) setMeta((m) => ({ ...m, expandOmitted: m.expandOmitted + n.omitted }));
      setNotice(
        added > 0
          ? `Added ${added} CI${added === 1 ? '' : 's'} around ${n.nodes[0]?.name ?? key}.`
          : `Nothing new around ${key}: all its neighbours are drawn.`,
      );
    } catch (err) {
      setNotice(`Could not expand ${key}: ${(err as Error).message}`);
    }
  };
  const openGroup = (id: string) => {
    setNotice(null); // an expand's notice is about that expand, not what opening a group draws
    setOpenGroups((s) => new Set([...s, id]));
  };

  const clock: GraphClock = { seq, fetchStart, fetchMs };
  return { data, meta, status, setStatus, error, setError, openGroups, openGroup, notice, autoGrouped, expand, publish, clock };
}
