/** The Impact screen's roll-ups and who-to-notify, from hand-built engine answers. */
import { describe, expect, it } from 'vitest';
import { NONE_GROUP, SHARED_GROUP, type GroupGraph, type ImpactCi, type NotifyEntry } from '../../shared/impact.js';
import { groupElementsOf } from '../../renderer/src/impact/graphElements.js';
import { groupView, openGroupHeading, OTHER_GROUP } from '../../renderer/src/impact/rollup.js';
import { entryTotal, notifyAllText, notifyEntries, notifyLine } from '../../renderer/src/impact/notify.js';

const grp = (id: string, criticality: string | null, changed: number, down: number, degraded: number) => ({
  id,
  label: id.toUpperCase(),
  criticality,
  changed,
  down,
  degraded,
});

describe('groupView', () => {
  const g: GroupGraph = {
    by: 'service',
    groups: [
      grp('none', null, 1, 0, 0),
      grp('bs-low', 'low', 0, 50, 0),
      grp('bs-crit', '1 - most critical', 0, 2, 0),
      grp('bs-high', 'high', 0, 0, 7),
      grp('bs-med', 'medium', 0, 3, 0),
    ],
    edges: [
      { source: 'none', target: 'bs-crit', count: 4 },
      { source: 'none', target: 'bs-low', count: 9 },
      { source: 'none', target: 'bs-med', count: 2 },
      { source: 'bs-low', target: 'bs-med', count: 1 },
      { source: 'bs-crit', target: 'bs-crit', count: 5 },
    ],
  };

  it('keeps every group and edge when they fit, leaving out an edge from a group to itself', () => {
    const v = groupView(g, 10);
    expect(v.nodes.map((n) => n.id)).toEqual(['none', 'bs-crit', 'bs-high', 'bs-med', 'bs-low']);
    expect(v.nodes.find((n) => n.id === 'bs-low')!.total).toBe(50);
    expect(v.edges.map((e) => `${e.source}>${e.target}:${e.count}`).sort()).toEqual([
      'bs-low>bs-med:1',
      'none>bs-crit:4',
      'none>bs-low:9',
      'none>bs-med:2',
    ]);
    expect(v.folded).toBe(0);
  });

  it('folds past the cap: changed first, then the most critical; counts and edges add up in the fold', () => {
    const v = groupView(g, 3);
    expect(v.nodes.map((n) => n.id)).toEqual(['none', 'bs-crit', OTHER_GROUP]);
    const other = v.nodes[2]!;
    expect([other.groups, other.down, other.degraded, other.total]).toEqual([3, 53, 7, 60]);
    expect(other.label).toBe('3 more groups');
    expect(v.folded).toBe(3);
    // none -> bs-low (9) and none -> bs-med (2) merge; bs-low -> bs-med falls inside the fold.
    expect(v.edges.map((e) => `${e.source}>${e.target}:${e.count}`).sort()).toEqual([`none>${OTHER_GROUP}:11`, 'none>bs-crit:4']);
  });
});

describe('openGroupHeading', () => {
  it('names a service or a type as such, and a group that is neither by its own name (found by a tester: "Service Several services")', () => {
    expect(openGroupHeading({ by: 'service', id: 'bs-checkout', label: 'Checkout' }, 8, false)).toBe('Service Checkout: 8 of its CIs');
    expect(openGroupHeading({ by: 'type', id: 'database', label: 'Database' }, 3, false)).toBe('Type Database: 3 of its CIs');
    expect(openGroupHeading({ by: 'service', id: SHARED_GROUP, label: 'Several services' }, 8, false)).toBe('Several services: 8 CIs');
    expect(openGroupHeading({ by: 'service', id: NONE_GROUP, label: 'No business service' }, 500, true)).toBe(
      'No business service: 500 most severe CIs',
    );
    expect(openGroupHeading({ by: 'type', id: OTHER_GROUP, label: '4 more types' }, 12, false)).toBe('4 more types: 12 CIs');
    // Found by a CAB chair: an open group of 120 CIs read as 120 drawn where the graph draws 80.
    expect(openGroupHeading({ by: 'type', id: 'virtual_machine', label: 'Virtual machine' }, 120, true, 64)).toBe(
      'Type Virtual machine: 120 most severe of its CIs; the graph shows the paths to 64 of them (the most severe)',
    );
    expect(openGroupHeading({ by: 'service', id: NONE_GROUP, label: 'No business service' }, 1500, true, 80)).toBe(
      'No business service: 1,500 most severe CIs; the graph shows the paths to 80 of them (the most severe)',
    );
    expect(openGroupHeading({ by: 'type', id: 'database', label: 'Database' }, 3, false, 3)).toBe('Type Database: 3 of its CIs');
    // One CI is one CI (it read "1 CIs"), and thousands have their separator.
    expect(openGroupHeading({ by: 'service', id: SHARED_GROUP, label: 'Several services' }, 1, false)).toBe('Several services: 1 CI');
    expect(openGroupHeading({ by: 'service', id: NONE_GROUP, label: 'No business service' }, 1500, true)).toBe(
      'No business service: 1,500 most severe CIs',
    );
  });

  it('a business service keyed `shared` or `none` is a service, drawn apart from "Several services" and "No business service" (found by a reviewer)', () => {
    expect(openGroupHeading({ by: 'service', id: 'shared', label: 'Shared platform' }, 8, false)).toBe(
      'Service Shared platform: 8 of its CIs',
    );
    expect(openGroupHeading({ by: 'service', id: 'none', label: 'Checkout' }, 3, false)).toBe('Service Checkout: 3 of its CIs');
    const g: GroupGraph = {
      by: 'service',
      groups: [
        { ...grp('shared', 'high', 0, 2, 0), label: 'Shared platform' },
        { ...grp('none', 'low', 0, 2, 0), label: 'Checkout' },
        { ...grp(SHARED_GROUP, null, 0, 2, 0), label: 'Several services' },
        { ...grp(NONE_GROUP, null, 0, 0, 1), label: 'No business service' },
      ],
      edges: [
        { source: SHARED_GROUP, target: 'shared', count: 1 },
        { source: SHARED_GROUP, target: 'none', count: 1 },
        { source: SHARED_GROUP, target: NONE_GROUP, count: 1 },
      ],
    };
    const els = groupElementsOf(groupView(g, 10));
    // Four nodes with four ids (Cytoscape refuses a second node of one id); only the two groups of no one service get the shared ring.
    expect(new Set(els.nodes.map((n) => n.data.id)).size).toBe(4);
    expect(Object.fromEntries(els.nodes.map((n) => [n.data.id, (n.data as { ring?: number }).ring]))).toEqual({
      shared: 1,
      none: 1,
      [SHARED_GROUP]: 2,
      [NONE_GROUP]: 2,
    });
    expect(els.edges.map((e) => [e.data.source, e.data.target])).toEqual([
      [SHARED_GROUP, 'shared'],
      [SHARED_GROUP, 'none'],
      [SHARED_GROUP, NONE_GROUP],
    ]);
  });
});

describe('notify', () => {
  const e: NotifyEntry = { field: 'owner', team: 'team-network', changed: 1, down: 0, degraded: 2, keys: ['lb-1', 'app-2', 'app-3'] };

  it("writes a team's line and everyone's", () => {
    expect(notifyLine(e)).toBe('team-network: lb-1, app-2, app-3');
    expect(notifyLine({ ...e, degraded: 5 })).toBe('team-network: lb-1, app-2, app-3 and 3 more');
    expect(notifyAllText([e, { ...e, team: 'team-db', field: 'support_group', keys: ['db'], changed: 0, degraded: 1 }])).toBe(
      'team-network: lb-1, app-2, app-3\nteam-db: db',
    );
    expect(entryTotal(e)).toBe(3);
  });

  it("uses the engine's entries, and the owners with their listed CIs for an answer from before them", () => {
    expect(notifyEntries({ notify: [e], owners: [], impacted: [] })).toEqual([e]);
    const c = (key: string, owner: string | null): ImpactCi => ({
      key,
      name: key,
      type: 'application',
      owner,
      criticality: null,
      state: 'down',
      depth: 1,
      changed: false,
      path: [],
    });
    const old = notifyEntries({
      owners: [
        { owner: 'team-a', changed: 0, down: 2, degraded: 0 },
        { owner: null, changed: 0, down: 1, degraded: 0 },
      ],
      impacted: [c('x', 'team-a'), c('y', null), c('z', 'team-a')],
    });
    expect(old).toEqual([{ field: 'owner', team: 'team-a', changed: 0, down: 2, degraded: 0, keys: ['x', 'z'] }]);
  });
});
