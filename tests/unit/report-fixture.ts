/**
 * Hand-built impact answers for the report and CLI rendering tests: every
 * field of the contract filled (reasons, changed counts, notify, roll-ups,
 * single points), so the renderers are checked apart from the engine.
 */
import type { ChangeDetail, ImpactCi, ImpactResult, PathStep, StepWhy } from '../../shared/impact.js';

const hard: StepWhy = { kind: 'hard', strength: 'hard', group: null };
const edgeGroup: StepWhy = {
  kind: 'group',
  strength: 'hard',
  group: { label: 'edge', members: 2, lost: 1, minUp: 1, up: ['lb-edge-prod-02'], upMore: 0, failed: false },
};

const node: PathStep = { key: 'node-01', name: 'Node 01', type: 'server', rel: null, forward: null, why: null };
/** node-01 is a member of the cluster: the relationship runs forward, from node-01 to the cluster. */
const cluster: PathStep = { key: 'cluster-k8s', name: 'K8s cluster', type: 'cluster', rel: 'member_of', forward: true, why: hard };
/** app-shop runs on the cluster: the relationship runs back, from app-shop to the cluster. */
const app: PathStep = { key: 'app-shop', name: 'Shop app', type: 'application', rel: 'runs_on', forward: false, why: hard };
const checkout: PathStep = {
  key: 'bs-checkout',
  name: 'Checkout',
  type: 'business_service',
  rel: 'depends_on',
  forward: false,
  why: edgeGroup,
};

function ci(step: PathStep, path: PathStep[], state: ImpactCi['state'], extra: Partial<ImpactCi> = {}): ImpactCi {
  return {
    key: step.key,
    name: step.name,
    type: step.type,
    owner: 'team-platform',
    criticality: 'high',
    state,
    depth: path.length - 1,
    changed: false,
    path,
    ...extra,
  };
}

/** node-01 going down: it takes the cluster and the app down; checkout loses one of its two edge paths. */
export function downstreamResult(): ImpactResult {
  return {
    direction: 'downstream',
    changed: [{ key: 'node-01', name: 'Node 01', type: 'server', owner: 'team-platform', criticality: 'high' }],
    types: ['depends_on', 'runs_on', 'member_of'],
    depthLimit: null,
    impacted: [
      ci(node, [node], 'degraded', { changed: true }),
      ci(cluster, [node, cluster], 'down'),
      ci(app, [node, cluster, app], 'down', { owner: 'team-shop', criticality: null }),
      ci(checkout, [node, cluster, app, checkout], 'degraded', { owner: 'team-checkout', criticality: 'critical' }),
    ],
    truncated: false,
    counts: {
      changed: 1,
      down: 2,
      degraded: 1,
      total: 4,
      byType: [
        { type: 'server', changed: 1, down: 0, degraded: 0 },
        { type: 'cluster', changed: 0, down: 1, degraded: 0 },
        { type: 'application', changed: 0, down: 1, degraded: 0 },
        { type: 'business_service', changed: 0, down: 0, degraded: 1 },
      ],
      byCriticality: [
        { criticality: 'critical', changed: 0, down: 0, degraded: 1 },
        { criticality: 'high', changed: 1, down: 1, degraded: 0 },
        { criticality: null, changed: 0, down: 1, degraded: 0 },
      ],
      byEnvironment: [{ value: 'prod', changed: 1, down: 2, degraded: 1 }],
      byAttribute: [
        {
          attribute: 'location',
          values: [
            { value: 'DC-North', changed: 1, down: 1, degraded: 0 },
            { value: null, changed: 0, down: 1, degraded: 1 },
          ],
        },
      ],
    },
    businessServices: [
      {
        key: 'bs-checkout',
        name: 'Checkout',
        type: 'business_service',
        owner: 'team-checkout',
        criticality: 'critical',
        state: 'degraded',
        depth: 3,
      },
    ],
    owners: [
      { owner: 'team-platform', changed: 1, down: 1, degraded: 0 },
      { owner: 'team-shop', changed: 0, down: 1, degraded: 0 },
      { owner: 'team-checkout', changed: 0, down: 0, degraded: 1 },
    ],
    notify: [
      { field: 'owner', team: 'team-platform', changed: 1, down: 1, degraded: 0, keys: ['node-01', 'cluster-k8s'] },
      { field: 'support_group', team: 'SG <Ops>', changed: 0, down: 1, degraded: 1, keys: ['app-shop', 'bs-checkout'] },
    ],
    singlePoints: [],
    risk: {
      level: 'high',
      reasons: ['Checkout (bs-checkout) is degraded: business_service, criticality critical'],
      unknown: { down: 1, degraded: 0, values: [{ value: null, count: 1 }] },
    },
    durationMs: 1,
  };
}

/** What bs-checkout depends on: the cluster is a single point of failure, each edge load balancer is not. */
export function upstreamResult(): ImpactResult {
  const root: PathStep = { key: 'bs-checkout', name: 'Checkout', type: 'business_service', rel: null, forward: null, why: null };
  const lb: PathStep = {
    key: 'lb-edge-prod-01',
    name: 'Edge LB 1',
    type: 'load_balancer',
    rel: 'depends_on',
    forward: true,
    why: { ...edgeGroup, group: { ...edgeGroup.group!, lost: 0, up: ['lb-edge-prod-01', 'lb-edge-prod-02'] } },
  };
  const db: PathStep = { key: 'db-orders', name: 'Orders DB', type: 'database', rel: 'depends_on', forward: true, why: hard };
  return {
    direction: 'upstream',
    changed: [{ key: 'bs-checkout', name: 'Checkout', type: 'business_service', owner: 'team-checkout', criticality: 'critical' }],
    types: ['depends_on'],
    depthLimit: null,
    impacted: [ci(db, [root, db], 'down', { owner: 'team-dba' }), ci(lb, [root, lb], 'degraded', { owner: 'team-network' })],
    truncated: false,
    counts: {
      changed: 0,
      down: 1,
      degraded: 1,
      total: 2,
      byType: [
        { type: 'database', changed: 0, down: 1, degraded: 0 },
        { type: 'load_balancer', changed: 0, down: 0, degraded: 1 },
      ],
      byCriticality: [{ criticality: 'high', changed: 0, down: 1, degraded: 1 }],
    },
    businessServices: [],
    owners: [
      { owner: 'team-dba', changed: 0, down: 1, degraded: 0 },
      { owner: 'team-network', changed: 0, down: 0, degraded: 1 },
    ],
    singlePoints: [{ key: 'db-orders', name: 'Orders DB', type: 'database', owner: 'team-dba', criticality: 'high' }],
    risk: { level: 'high', reasons: ['db-orders would take it down'] },
    durationMs: 1,
  };
}

/** A saved change around the downstream answer. */
export function changeDetail(): ChangeDetail {
  const current = downstreamResult();
  const { impacted: _list, ...saved } = current;
  return {
    change: {
      id: 7,
      ref: 'CHG0001',
      title: 'Patch node-01',
      window: 'Sun 02:00-03:00',
      description: null,
      keys: ['node-01'],
      types: null,
      depth: null,
      risk: 'high',
      riskUpTo: null,
      down: 2,
      degraded: 1,
      createdAt: '2026-12-01T00:00:00Z',
      updatedAt: '2026-12-01T00:00:00Z',
    },
    saved,
    current,
    diff: { changed: false, riskFrom: 'high', riskTo: 'high', added: [], removed: [], stateChanged: [], missingKeys: [] },
  };
}

export const REDUNDANCY_TEXT = 'redundancy group "edge": lost 1 of 2, needs 1: lb-edge-prod-02 still up';
