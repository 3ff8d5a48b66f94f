/**
 * One meaning per health rule: for every CI of varied CMDBs (the demo, the
 * demo with problems added, random messy ones, with the default rules and a
 * rules file's), the rules an impact answer carries for it equal the rules
 * the estate report gives it. An answer takes them from the report when it
 * is current, else from the engine's rules run for just the CIs it names
 * (HealthService.rulesForCis); both are checked against the report, for
 * every CI at once, for a few CIs, and through impact answers themselves.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthRuleId, HealthRulesFile } from '../../shared/health.js';
import { mulberry32 } from '../../electron/cmdb/generate.js';
import { HealthService } from '../../electron/cmdb/health/health-service.js';
import { rulesFileBeside } from '../../electron/cmdb/health/rules-file.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { demoCsv, freshService, ok, tempDir } from './helpers.js';

const DAY = 86_400_000;

type Rules = ReadonlyMap<number, readonly HealthRuleId[]>;

/** `key: rules` per CI with any (of `only` when given), for a diff that names the CIs. */
function lines(svc: CmdbService, rules: Rules, only?: ReadonlySet<number>): string[] {
  const rows = svc.db.prepare('SELECT id, key FROM cis ORDER BY id').raw().all() as Array<[number, string]>;
  return rows.filter(([id]) => rules.has(id) && (!only || only.has(id))).map(([id, key]) => `${key}: ${rules.get(id)!.join(' ')}`);
}

/**
 * Every CI's rules at `now` run for every CI (over the whole CMDB, and for
 * just those CIs), then for a few, then from the estate report: all the same. Returns how many CIs have findings.
 */
function expectOneMeaning(svc: CmdbService, now: number): number {
  const ids = svc.db.prepare('SELECT id FROM cis ORDER BY id').pluck().all() as number[];
  const engine = (wholeRunShare?: number) =>
    new HealthService(
      svc.db,
      svc.path,
      () => svc.impacts.indexHolder.get(),
      () => now,
      wholeRunShare,
    );
  // Every CI asked: the rules run over the whole CMDB; and for just those CIs (never over the whole CMDB).
  const all = engine().rulesForCis(ids);
  const allScoped = engine(Infinity).rulesForCis(ids);
  const few = new Set(ids.filter((_, i) => i % 5 === 2));
  const scoped = engine().rulesForCis([...few]);
  const withReport = engine();
  withReport.health({ offset: 0, limit: 1 });
  const estate = withReport.rulesForCis(ids);
  expect(withReport.computations).toBe(1);
  expect(lines(svc, all)).toEqual(lines(svc, estate));
  expect(lines(svc, allScoped)).toEqual(lines(svc, estate));
  expect(lines(svc, scoped)).toEqual(lines(svc, estate, few));
  return estate.size;
}

/**
 * The health impact answers carry (the service's own path, its report not
 * computed since the last change), for the impact of each of `keys` both ways, against the
 * estate report computed after. Returns how many CIs they name with findings.
 */
async function expectAnswersAgree(svc: CmdbService, keys: string[]): Promise<number> {
  const carried = new Map<string, string>();
  const computed = svc.health.computations;
  for (const key of keys) {
    for (const direction of ['downstream', 'upstream'] as const) {
      const r = await ok(svc, 'impact', { keys: [key], direction, limit: 100_000 });
      for (const [k, rules] of Object.entries(r.health?.byKey ?? {})) carried.set(k, rules.join(' '));
      for (const ci of r.impacted) if (!carried.has(ci.key)) carried.set(ci.key, '');
    }
  }
  expect(svc.health.computations).toBe(computed);
  const report = await ok(svc, 'health', { limit: 100_000 });
  const fromReport = new Map<string, Set<string>>();
  for (const f of report.findings) for (const k of f.keys) (fromReport.get(k) ?? fromReport.set(k, new Set()).get(k)!).add(f.rule);
  const expected = new Map([...carried.keys()].map((k) => [k, [...(fromReport.get(k) ?? [])].join(' ')]));
  // Compared as sets of rules (the answer lists them in HEALTH_RULES order, the findings by severity).
  const sorted = (m: Map<string, string>) => [...m].map(([k, v]) => `${k}: ${v.split(' ').sort().join(' ')}`).sort();
  expect(sorted(carried)).toEqual(sorted(expected));
  return [...carried.values()].filter((r) => r !== '').length;
}

const insertCi = (svc: CmdbService) =>
  svc.db.prepare(
    `INSERT INTO cis(key, type, name, status, environment, owner, criticality, attributes, created_at, updated_at, import_id)
     VALUES (@key, @type, @name, @status, @environment, @owner, @criticality, @attributes, @at, @at, @importId)`,
  );
const insertRel = (svc: CmdbService) =>
  svc.db.prepare(
    `INSERT OR IGNORE INTO relationships(source_id, target_id, type, redundancy_group, min_up, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

async function demo(): Promise<CmdbService> {
  const svc = freshService();
  await ok(svc, 'importCsv', demoCsv());
  return svc;
}

/** A random CMDB with every kind of problem, several ways. */
function messy(seed: number, now: number, path = ':memory:'): CmdbService {
  const svc = freshService(path);
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const types = ['server', 'application', 'database', 'business_service', 'mystery_box', 'load_balancer'];
  const names = [
    'web-01',
    'WEB 01',
    'Web_01.',
    'wéb 01',
    'db-main',
    'DB main',
    'Orders API',
    'orders-api',
    '---',
    '',
    'Cache',
    'cache ',
    'ñandú',
  ];
  const values = ['SN-1', 'sn-1', ' SN-1 ', 'SN-1\t', '-', '?', '10.0.0.1', 'ÅSSET', 'åsset', 42, 42.0, true, ''];
  const attrs = ['serial_number', 'ip_address', 'asset_tag', 'colour'];
  const rels = ['depends_on', 'runs_on', 'member_of', 'uses', 'connects_to', 'backup_of', 'hosted_on'];
  const at = (days: number) => new Date(now - days * DAY).toISOString();
  svc.db.transaction(() => {
    svc.db.prepare("INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES ('mystery_box', 'Mystery box', 1)").run();
    const imp = svc.db.prepare('INSERT INTO imports(id, source, started_at, finished_at, undone_at) VALUES (?, ?, ?, ?, ?)');
    imp.run(1, 'a.csv', at(400), at(10), null);
    imp.run(2, 'b.csv', at(400), at(5), at(4));
    imp.run(3, 'c.csv', at(400), at(200), null);
    const ci = insertCi(svc);
    const n = 160;
    for (let i = 0; i < n; i++) {
      const a: Record<string, unknown> = {};
      if (rnd() < 0.4) a[pick(attrs)] = pick(values);
      if (rnd() < 0.2) a[pick(attrs)] = pick(values);
      ci.run({
        key: `ci-${i}`,
        type: pick(types),
        name: rnd() < 0.6 ? pick(names) : `unique ${i}`,
        status: pick(['operational', 'operational', 'retired', null, 'Retired']),
        environment: pick(['production', ' Prod ', 'PRD', 'dev', null, '']),
        owner: pick(['team-a', 'team-b', null, '  ', '']),
        criticality: pick(['high', null, '', ' ']),
        attributes: JSON.stringify(a),
        at: at(pick([0, 30, 89, 91, 120, 400])),
        importId: pick([null, null, 1, 2, 3]),
      });
    }
    const rel = insertRel(svc);
    for (let k = 0; k < 260; k++) {
      const s = 1 + Math.floor(rnd() * n);
      const t = rnd() < 0.03 ? s : 1 + Math.floor(rnd() * n);
      const group = rnd() < 0.15 ? pick(['pool', 'pair']) : null;
      rel.run(s, t, pick(rels), group, group ? pick([1, 2, 3, 5]) : null, at(1), at(1));
    }
  })();
  return svc;
}

/** A rules file that changes every setting the rules read. */
const RULES_FILE: HealthRulesFile = {
  rules: {
    duplicate: { identifyingAttributes: ['colour', 'serial_number'], exemptTypes: ['application'] },
    orphan: { exemptTypes: ['server'] },
    'missing-owner': { exemptTypes: ['database'] },
    'missing-criticality': { productionEnvironments: ['DEV', 'prd'] },
    stale: { days: 60, byType: { server: 100 }, exemptTypes: ['load_balancer'] },
    'unreviewed-type': { enabled: false },
  },
};

describe('one meaning per health rule: impact answers, runs for a few CIs, the estate report', () => {
  it('the demo as imported, today and a year on (everything stale)', async () => {
    const svc = await demo();
    expectOneMeaning(svc, Date.now());
    expect(expectOneMeaning(svc, Date.now() + 400 * DAY)).toBeGreaterThan(100);
    expect(await expectAnswersAgree(svc, ['lb-edge-prod-01', 'bs-checkout', 'saas-adyen'])).toBeGreaterThan(0);
  });

  it('the demo with a problem of each kind added', async () => {
    const svc = await demo();
    const keys = svc.db.prepare("SELECT key FROM cis WHERE type = 'server' ORDER BY key LIMIT 3").pluck().all() as string[];
    const [first, second, third] = keys as [string, string, string];
    await ok(svc, 'updateCi', { key: first, fields: { owner: null, status: 'retired' } });
    const thirdName = (await ok(svc, 'getCi', { key: third })).ci.name;
    await ok(svc, 'updateCi', { key: second, fields: { name: `${thirdName.toUpperCase()}!`, criticality: null, environment: ' PROD' } });
    await ok(svc, 'createCi', { key: 'lonely', fields: { type: 'server', name: 'Lonely', environment: 'prod' } });
    await ok(svc, 'createRelationship', { source: third, target: second, type: 'depends_on' });
    await ok(svc, 'createRelationship', { source: second, target: third, type: 'runs_on' });
    await ok(svc, 'createRelationship', { source: 'lonely', target: first, type: 'uses', redundancyGroup: 'g', minUp: 2 });
    await ok(svc, 'createCi', { key: 'lonelier', fields: { type: 'mystery_box', name: 'Lonelier' } });
    svc.db.prepare("INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES ('mystery_box', 'Mystery box', 1)").run();
    svc.db.prepare("UPDATE ci_types SET flagged = 1 WHERE name = 'mystery_box'").run();
    expect(expectOneMeaning(svc, Date.now())).toBeGreaterThan(5);
    expect(await expectAnswersAgree(svc, [first, second, third, 'lonely'])).toBe(4);
  });

  it('after edits that make and break duplicates by name, the names kept for answers follow the patched index', async () => {
    const svc = await demo();
    const keys = ['db-orders-primary', 'db-orders-replica-01', 'app-order-service'];
    await expectAnswersAgree(svc, keys);
    const patches = svc.impacts.indexHolder.patches;
    const edits: Array<() => Promise<unknown>> = [
      () => ok(svc, 'updateCi', { key: 'db-orders-replica-01', fields: { name: 'ORDERS db (primary)' } }),
      () => ok(svc, 'createCi', { key: 'orders-again', fields: { type: 'database', name: 'orders_db_replica_02' } }),
      () => ok(svc, 'createRelationship', { source: 'app-order-service', target: 'orders-again', type: 'uses' }),
      () => ok(svc, 'updateCi', { key: 'db-orders-replica-01', fields: { name: 'Orders DB (replica 01)' } }),
      () => ok(svc, 'updateCi', { key: 'orders-again', fields: { type: 'server' } }),
      () => ok(svc, 'updateCi', { key: 'orders-again', fields: { type: 'database', status: 'retired' } }),
      () => ok(svc, 'deleteCi', { key: 'db-orders-replica-02' }),
    ];
    let withFindings = 0;
    for (const edit of edits) {
      await edit();
      withFindings += await expectAnswersAgree(svc, keys);
    }
    expect(svc.impacts.indexHolder.patches).toBeGreaterThanOrEqual(patches + edits.length);
    expect(withFindings).toBeGreaterThan(3);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`a messy random CMDB (seed ${seed}), with the default rules and with a rules file`, async () => {
      const now = Date.now() - 3 * DAY;
      const path = join(tempDir(), 'messy.db');
      const svc = messy(seed, now, path);
      expect(expectOneMeaning(svc, now)).toBeGreaterThan(50);
      expect(await expectAnswersAgree(svc, ['ci-0', 'ci-1', 'ci-2', 'ci-3'])).toBeGreaterThan(5);
      writeFileSync(rulesFileBeside(path), JSON.stringify(RULES_FILE));
      expect(expectOneMeaning(svc, now)).toBeGreaterThan(50);
    });
  }
});
