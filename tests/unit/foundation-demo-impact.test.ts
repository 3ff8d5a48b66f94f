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

type State = 'down' | 'degraded' | 'ok';

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
