/**
 * What the Impact screen shows of an answer: the CI picked, the rolled-up
 * graph (by service or type) past the cap, a group opened from it (the same
 * analysis asked again `within` the group), and the CI graph and list of
 * what is open.
 */
import { useEffect, useMemo, useState } from 'react';
import type { GroupBy, ImpactRequest, ImpactResult } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { impactSubgraph } from './model.js';
import { groupView, OTHER_GROUP } from './rollup.js';

/** Most CIs drawn on the graph; past it the graph is rolled up into groups (by type or by service). */
export const GRAPH_CAP = 80;
/** Most groups a rolled-up graph draws (readable on one ring); the rest fold into one node. */
const GROUP_CAP = 24;
/** A group of the rolled-up graph opened to list (and draw) its own CIs. */
export interface OpenGroup {
  by: GroupBy;
  id: string;
  label: string;
  /** Its impacted CIs, as the engine counted them. */
  total: number;
}

/** The CIs of one group of the rolled-up graph: the same analysis asked again `within` the group. */
function useGroupResult(request: ImpactRequest | null, group: OpenGroup | null) {
  const [state, setState] = useState<{ key: string; value: ImpactResult | null; error: unknown } | null>(null);
  const key = request && group ? JSON.stringify([request, group.by, group.id]) : null;
  useEffect(() => {
    if (!request || !group || !key) return;
    let live = true;
    cmdb.impact({ ...request, within: { by: group.by, id: group.id } }).then(
      (value) => live && setState({ key, value, error: null }),
      (error: unknown) => live && setState({ key, value: null, error }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  const hit = state && state.key === key ? state : null;
  return { result: hit?.value ?? null, error: hit?.error ?? null, loading: key !== null && hit === null };
}

/** The view of one answer; `reset` when a new answer comes. */
export function useImpactView(r: ImpactResult | null, request: ImpactRequest | null) {
  const [picked, setPicked] = useState<string | null>(null);
  const [rollBy, setRollBy] = useState<GroupBy>('service');
  const [group, setGroup] = useState<OpenGroup | null>(null);
  const inGroup = useGroupResult(r ? request : null, group);
  // The list and the CI graph: the open group's CIs, else the most severe of all.
  const listed = group ? inGroup.result : r;
  const byKey = useMemo(
    () => new Map([...(r?.impacted ?? []), ...(inGroup.result?.impacted ?? [])].map((c) => [c.key, c])),
    [r, inGroup.result],
  );
  // Past the cap the graph is rolled up (the engine's group graphs, downstream), unless a group is open.
  const rolled = r?.direction === 'downstream' && !!r.groupGraphs && r.counts.total > GRAPH_CAP && !group;
  const groups = useMemo(() => (rolled && r?.groupGraphs ? groupView(r.groupGraphs[rollBy], GROUP_CAP) : null), [rolled, r, rollBy]);
  const graph = useMemo(() => (listed && !rolled ? impactSubgraph(listed, GRAPH_CAP, picked) : null), [listed, rolled, picked]);
  const pickedCi = picked ? (byKey.get(picked) ?? null) : null;

  /** Picks a CI; a business service not among the listed CIs opens its own group, which lists it with its path. */
  const pick = (key: string | null) => {
    setPicked(key);
    if (!key || byKey.has(key) || !r?.groupGraphs) return;
    const g = r.groupGraphs.service.groups.find((x) => x.id === key);
    if (g) setGroup({ by: 'service', id: g.id, label: g.label, total: g.changed + g.down + g.degraded });
  };
  const openGroup = (id: string) => {
    if (id === OTHER_GROUP) return;
    const g = groups?.nodes.find((n) => n.id === id);
    setPicked(null);
    if (g) setGroup({ by: rollBy, id, label: g.label, total: g.total });
  };

  return {
    picked,
    setPicked: pick,
    pickedCi,
    byKey,
    listed,
    graph,
    rolled,
    groups,
    rollBy,
    setRollBy,
    group,
    openGroup,
    closeGroup: () => setGroup(null),
    groupLoading: inGroup.loading,
    groupError: inGroup.error,
    reset: () => {
      setPicked(null);
      setGroup(null);
    },
  };
}
