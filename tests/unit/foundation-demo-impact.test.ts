/**
 * The demo CMDB answers impact questions the way an engineer would: the
 * impact engine, run on the imported demo, against failures whose outcome
 * anyone who runs an online shop can state. And the committed CSVs are what
 * the deterministic generator writes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import { DEMO_CIS, DEMO_RELS, demoCsv, ok, ROOT, tempDir } from './helpers.js';

let svc: CmdbService;
beforeAll(async () => {
  svc = CmdbService.open(':memory:', { source: 'test' });
  await ok(svc, 'importCsv', demoCsv());
  return () => svc.close();
});

type State = 'changed' | 'down' | 'degraded' | 'ok';

async function statesAfterLosing(keys: string[]): Promise<(key: string) => State> {
  const r = await ok(svc, 'impact', { keys, direction: 'downstream', limit: 1_000_000 });
  expect(r.truncated).toBe(false);
  const states = new Map(r.impacted.map((c) => [c.key, c.state]));
  return (key) => states.get(key) ?? 'ok';
}

const SCENARIOS: Array<{ lose: string[]; expect: Record<string, State>; why: string }> = [
  {
    lose: ['lb-edge-prod-01'],
    expect: { 'bs-checkout': 'degraded', 'bs-catalogue': 'degraded', 'bs-mobile-app': 'ok' },
    why: 'one load balancer of the pair: the other carries the traffic',
  },
  {
    lose: ['lb-edge-prod-01', 'lb-edge-prod-02'],
    expect: { 'bs-checkout': 'down', 'bs-search': 'down', 'bs-mobile-app': 'ok' },
    why: 'both load balancers: the web shop is unreachable; the apps use the AWS load balancer',
  },
  {
    lose: ['db-orders-primary'],
    expect: { 'bs-checkout': 'down', 'app-order-service': 'down', 'bs-catalogue': 'ok' },
    why: 'no orders can be written without the primary',
  },
  {
    lose: ['db-orders-replica-01'],
    expect: { 'app-order-history-api': 'degraded', 'bs-checkout': 'ok' },
    why: 'one read replica of two: order history runs on the other',
  },
  {
    lose: ['saas-sendgrid'],
    expect: { 'bs-order-confirmation': 'degraded', 'app-notification-service': 'degraded', 'bs-checkout': 'ok' },
    why: 'no confirmation emails, but orders are still taken (SMS still goes out)',
  },
  {
    lose: ['mq-kafka-prod-broker-01'],
    expect: { 'mq-kafka-prod': 'degraded', 'bs-checkout': 'degraded' },
    why: 'two brokers of three keep min.insync.replicas',
  },
  {
    lose: ['mq-kafka-prod-broker-01', 'mq-kafka-prod-broker-02'],
    expect: { 'mq-kafka-prod': 'down', 'bs-checkout': 'down', 'bs-fulfilment': 'down' },
    why: 'one broker cannot accept writes: order events stop',
  },
  {
    lose: ['saas-stripe'],
    expect: { 'bs-payments': 'down', 'bs-checkout': 'down', 'bs-catalogue': 'ok' },
    why: 'card payments are how most orders are paid',
  },
  {
    lose: ['saas-dhl', 'saas-royal-mail', 'saas-dpd'],
    expect: { 'app-shipping-service': 'down', 'bs-fulfilment': 'down', 'bs-payments': 'ok' },
    why: 'no carrier can take a parcel',
  },
  {
    lose: ['k8s-stg-ldn'],
    expect: { 'app-checkout-api-stg': 'down', 'app-checkout-api': 'ok', 'bs-checkout': 'ok' },
    why: 'staging never takes production with it',
  },
  {
    lose: ['stor-backup-ldn-01'],
    expect: { 'db-orders-primary': 'ok', 'bs-checkout': 'ok' },
    why: 'a backup target is not in the request path',
  },
];

describe('impact on the demo CMDB', () => {
  for (const s of SCENARIOS) {
    it(`losing ${s.lose.join(' + ')}: ${s.why}`, async () => {
      const state = await statesAfterLosing(s.lose);
      const got = Object.fromEntries(Object.keys(s.expect).map((k) => [k, state(k)]));
      expect(got).toEqual(s.expect);
    });
  }

  it('explains why checkout goes down when the orders primary is lost, by a path of relationships', async () => {
    const r = await ok(svc, 'impact', { keys: ['db-orders-primary'], direction: 'downstream' });
    const checkout = r.impacted.find((c) => c.key === 'bs-checkout')!;
    expect(checkout.path[0]!.key).toBe('db-orders-primary');
    expect(checkout.path[checkout.path.length - 1]!.key).toBe('bs-checkout');
    expect(checkout.path.map((p) => p.key)).toContain('app-order-service');
  });
});

describe('explanations on the demo CMDB', () => {
  it('one of the two edge load balancers: checkout is degraded by its redundancy group, which still holds', async () => {
    const r = await ok(svc, 'impact', { keys: ['lb-edge-prod-01'], direction: 'downstream' });
    const checkout = r.impacted.find((c) => c.key === 'bs-checkout')!;
    expect(checkout.state).toBe('degraded');
    const step = checkout.path[checkout.path.length - 1]!;
    expect(step.why).toEqual({
      kind: 'group',
      strength: 'hard',
      group: {
        label: 'edge-load-balancers',
        members: 2,
        lost: 1,
        minUp: 1,
        up: ['lb-edge-prod-02'],
        upMore: 0,
        lostKeys: ['lb-edge-prod-01'],
        failed: false,
      },
    });
    expect(checkout.path[0]!.why).toBeNull();
    // The changed load balancer is counted as changed, never as down; the risk is high (checkout degraded), not critical.
    expect(r.counts).toMatchObject({ changed: 1, down: 0 });
    expect(r.counts.total).toBe(r.counts.changed + r.counts.down + r.counts.degraded);
    expect(r.risk.level).toBe('high');
    expect(r.risk.reasons[0]).toMatch(/^Checkout \(bs-checkout\) is degraded: /);
  });

  it('both edge load balancers: the group failed, with none left up', async () => {
    const r = await ok(svc, 'impact', { keys: ['lb-edge-prod-01', 'lb-edge-prod-02'], direction: 'downstream' });
    const checkout = r.impacted.find((c) => c.key === 'bs-checkout')!;
    expect(checkout.state).toBe('down');
    expect(checkout.path[checkout.path.length - 1]!.why).toMatchObject({
      kind: 'group',
      group: { label: 'edge-load-balancers', members: 2, lost: 2, minUp: 1, up: [], failed: true },
    });
    expect(r.counts.changed).toBe(2);
    expect(r.counts.down).toBe(r.impacted.filter((c) => c.state === 'down' && !c.changed).length);
  });

  it('the orders primary: every step to checkout is a hard dependency without redundancy', async () => {
    const r = await ok(svc, 'impact', { keys: ['db-orders-primary'], direction: 'downstream' });
    const checkout = r.impacted.find((c) => c.key === 'bs-checkout')!;
    expect(checkout.path.slice(1).map((s) => s.why?.kind)).toEqual(['hard', 'hard', 'hard']);
    for (const c of r.impacted) for (const s of c.path.slice(1)) expect(s.why, `${c.key} step ${s.key}`).toBeTruthy();
    // Degraded CIs are explained as soft, a group that held, or carried, never as hard.
    for (const c of r.impacted.filter((x) => x.state === 'degraded')) {
      expect(['soft', 'group', 'carried']).toContain(c.path[c.path.length - 1]!.why!.kind);
    }
  });

  it('upstream of checkout: the single points of failure are exactly the dependencies that are down', async () => {
    const r = await ok(svc, 'impact', { keys: ['bs-checkout'], direction: 'upstream', limit: 100_000 });
    const down = r.impacted.filter((c) => c.state === 'down').map((c) => c.key);
    expect(r.singlePoints!.map((c) => c.key).sort()).toEqual(down.sort());
    expect(r.counts).toMatchObject({ changed: 0, down: down.length });
    expect(down).toContain('db-orders-primary');
    expect(down).not.toContain('lb-edge-prod-01');
    const lb = r.impacted.find((c) => c.key === 'lb-edge-prod-01')!;
    expect(lb.path[lb.path.length - 1]!.why).toMatchObject({ kind: 'group', group: { lost: 0, failed: false, members: 2 } });
    expect(r.notify).toEqual([]);
  });
});

describe('the demo generator', () => {
  it('is deterministic and the committed CSVs are its current output', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-demo.ts', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/impact scenarios checked/);
    expect(readFileSync(join(dir, 'cis.csv'), 'utf8')).toBe(readFileSync(DEMO_CIS, 'utf8'));
    expect(readFileSync(join(dir, 'relationships.csv'), 'utf8')).toBe(readFileSync(DEMO_RELS, 'utf8'));
  });
});
