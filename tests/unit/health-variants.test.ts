/**
 * `value-variants` (one value of environment, status, owner or criticality
 * stored under several spellings) and its fix, `unifyValues`: what fires,
 * what does not, the counts, and the rewrite recorded in history.
 */
import { describe, expect, it } from 'vitest';
import type { HealthRulesFile } from '../../shared/health.js';
import { rawFindings } from '../../electron/cmdb/health/compute.js';
import { healthConfig } from '../../shared/health.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok } from './helpers.js';

/** CIs (key, environment, owner), linked to a hub so that only the rule under test fires; values written as an import keeps them. */
async function cmdb(
  cis: Array<[key: string, environment: string | null, owner?: string]>,
  path?: string,
  source?: string,
): Promise<CmdbService> {
  const svc = freshService(path, source);
  await ok(svc, 'createCi', { key: 'hub', fields: { name: 'Hub', type: 'server', owner: 'team-a' } });
  for (const [key, environment, owner] of cis) {
    await ok(svc, 'createCi', { key, fields: { name: key, type: 'server', owner: owner ?? 'team-a', criticality: 'high' } });
    // Spaces around a value come from a CMDB an earlier version wrote (an edit or import trims): set in SQL.
    svc.db.prepare('UPDATE cis SET environment = ? WHERE key = ?').run(environment, key);
    await ok(svc, 'createRelationship', { source: key, target: 'hub', type: 'connects_to' });
  }
  return svc;
}

const variantFindings = async (svc: CmdbService, rules?: HealthRulesFile) =>
  (await ok(svc, 'health', { rule: 'value-variants', limit: 1000, ...(rules ? { rules } : {}) })).findings;

/** 4 "Production", 2 "production", 1 "PRODUCTION " and 1 "Pro  duction"-free staging set: the tester's case. */
const MIXED: Array<[string, string | null]> = [
  ['p1', 'Production'],
  ['p2', 'Production'],
  ['p3', 'Production'],
  ['p4', 'Production'],
  ['l1', 'production'],
  ['l2', 'production'],
  ['u1', 'PRODUCTION '],
  ['s1', 'staging'],
  ['s2', 'Staging'],
  ['d1', 'development'],
  ['n1', null],
];

describe('value-variants', () => {
  it('one finding per value spelled several ways: the field, each spelling quoted with its count, the CIs of the less common ones', async () => {
    const svc = await cmdb(MIXED);
    const f = await variantFindings(svc);
    expect(f.map((x) => [x.keys, x.severity])).toEqual([
      [['l1', 'l2', 'u1'], 'warning'],
      [['s1'], 'warning'],
    ]);
    expect(f[0]!.variants).toEqual({
      field: 'environment',
      spellings: [
        { value: 'Production', cis: 4 },
        { value: 'production', cis: 2 },
        { value: 'PRODUCTION ', cis: 1 },
      ],
    });
    expect(f[0]!.message).toBe(
      'environment holds one value spelled 3 ways, "Production" (4 CIs), "production" (2 CIs) and "PRODUCTION " (1 CI): ' +
        "filters, facet counts and impact's roll-ups count them as 3 values. " +
        'Keep one spelling ("Use this spelling" on the Health screen, or cmdb unify-values environment "Production": rewrites the 3 CIs spelled otherwise ' +
        '(l1, l2 and u1), recorded in history), then correct the source, whose next import writes its spelling again.',
    );
    // A tie: the tidy spelling, then code point order ("Staging" < "staging").
    expect(f[1]!.variants!.spellings).toEqual([
      { value: 'Staging', cis: 1 },
      { value: 'staging', cis: 1 },
    ]);
    const report = await ok(svc, 'health', { limit: 0 });
    const summary = report.rules.find((r) => r.rule === 'value-variants')!;
    expect([summary.part, summary.findings, summary.cis]).toEqual(['compliance', 2, 4]);
  });

  it('runs of spaces inside count as one; distinct values, a value spelled one way and empty values do not fire', async () => {
    expect(
      await variantFindings(
        await cmdb([
          ['a', 'pre prod'],
          ['b', 'Pre  Prod'],
        ]),
      ),
    ).toHaveLength(1);
    const svc = await cmdb([
      ['a', 'production'],
      ['b', 'production'],
      ['c', 'prod'],
      ['d', 'staging'],
      ['e', null],
      ['f', null],
    ]);
    expect(await variantFindings(svc)).toEqual([]);
    expect((await ok(svc, 'health', { limit: 0 })).rules.find((r) => r.rule === 'value-variants')!.findings).toBe(0);
  });

  it('compares owner, status and criticality too; names retired CIs (the filters list them); a rules file picks the fields or turns it off', async () => {
    const svc = await cmdb([
      ['a', 'qa', 'Team Payments'],
      ['b', 'qa', 'Team Payments'],
      ['c', 'qa', 'team payments'],
    ]);
    // Off their scales, as an import keeps a value it does not know.
    svc.db.prepare("UPDATE cis SET status = 'In Repair', criticality = 'Tier 9' WHERE key IN ('a', 'b')").run();
    svc.db.prepare("UPDATE cis SET status = 'in repair', criticality = 'tier 9' WHERE key = 'hub'").run();
    svc.db.prepare("UPDATE cis SET status = 'retired' WHERE key = 'c'").run();
    const all = await variantFindings(svc);
    expect(all.map((x) => [x.variants!.field, x.keys])).toEqual([
      ['owner', ['c']],
      ['status', ['hub']],
      ['criticality', ['hub']],
    ]);
    const owner = await variantFindings(svc, { rules: { 'value-variants': { fields: ['owner'] } } });
    expect(owner.map((x) => x.variants!.field)).toEqual(['owner']);
    expect(await variantFindings(svc, { rules: { 'value-variants': { enabled: false } } })).toEqual([]);
    const e = await fails(svc, 'health', { rules: { rules: { 'value-variants': { fields: ['type'] } } } });
    expect(e.message).toContain('must be one of environment, status, owner, criticality, not "type"');
    expect((await fails(svc, 'health', { rules: { rules: { 'value-variants': { field: ['owner'] } } } })).code).toBe('INVALID_REQUEST');
  });

  it('reads a field of many distinct values (past the index seeks) with the same result', async () => {
    const svc = await cmdb([]);
    const insert = svc.db.prepare(
      "INSERT INTO cis(key, type, name, owner, created_at, updated_at) VALUES (?, 'server', ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    );
    svc.db.transaction(() => {
      for (let i = 0; i < 2500; i++) insert.run(`o${i}`, `o${i}`, `owner-${String(i).padStart(5, '0')}`);
      insert.run('x1', 'x1', 'OWNER-02400');
      insert.run('x2', 'x2', 'owner-00007 ');
    })();
    const { raw } = rawFindings(svc.db, healthConfig(), svc.impacts.indexHolder.get(), Date.now());
    const found = raw.filter((f) => f.rule === 'value-variants');
    expect(found.map((f) => f.variants!.spellings.map((s) => s.value))).toEqual([
      ['OWNER-02400', 'owner-02400'],
      ['owner-00007', 'owner-00007 '],
    ]);
  });

  it('per CI (an impact answer) gives the rule the report gives it: on the less common spellings only', async () => {
    const svc = await cmdb(MIXED);
    const id = (key: string) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(key) as number;
    const byId = svc.health.rulesForCis([id('p1'), id('l1'), id('u1'), id('d1')]);
    expect([...byId.entries()].filter(([, r]) => r.includes('value-variants')).map(([i]) => i)).toEqual([id('l1'), id('u1')]);
  });
  it("per CI: spellings in other cases, with spaces of any kind, a Kelvin sign, a dotted capital I or a final sigma: the report's findings exactly", async () => {
    const svc = await cmdb([]);
    const insert = svc.db.prepare(
      "INSERT INTO cis(key, type, name, owner, environment, created_at, updated_at) VALUES (?, 'server', ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    );
    const owners = [
      'owner-1',
      'OWNER-1',
      '\u00a0owner-1',
      'owner\t-1',
      'kit',
      '\u212Ait',
      'KIT ',
      'i\u0307ris',
      '\u0130ris',
      'ας',
      'ΑΣ',
      'ασ',
      'ab  cd',
      'AB\u3000CD',
      'solo',
      ' ',
      '',
      'x',
    ];
    const envs = ['prod', 'Prod', ' PROD', 'p', 'P', 'ppp', 'PpP'];
    svc.db.transaction(() => {
      // Many owners (past the seeks) around the variants, so the whole-field read takes its GROUP BY path.
      for (let i = 0; i < 2100; i++) insert.run(`o${i}`, `o${i}`, `owner-${String(i).padStart(5, '0')}`, 'prod');
      owners.forEach((o, i) => insert.run(`v${i}`, `v${i}`, o, envs[i % envs.length]));
    })();
    const all = svc.db.prepare('SELECT id FROM cis ORDER BY id').pluck().all() as number[];
    const whole = rawFindings(svc.db, healthConfig(), svc.impacts.indexHolder.get(), Date.now()).raw.filter(
      (f) => f.rule === 'value-variants',
    );
    expect(whole.length).toBeGreaterThan(6);
    const scoped = new Set(all.slice(-owners.length));
    const inScope = rawFindings(svc.db, healthConfig(), svc.impacts.indexHolder.get(), Date.now(), scoped).raw.filter(
      (f) => f.rule === 'value-variants',
    );
    const shape = (fs: typeof whole) =>
      fs
        .map((f) => ({ ids: f.ids.filter((id) => scoped.has(id)), variants: f.variants }))
        .filter((f) => f.ids.length > 0)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(shape(inScope)).toEqual(shape(whole));
    // One CI at a time too (each answer its own scope).
    for (const id of scoped) {
      const one = rawFindings(svc.db, healthConfig(), svc.impacts.indexHolder.get(), Date.now(), new Set([id])).raw;
      expect(one.some((f) => f.rule === 'value-variants')).toBe(whole.some((f) => f.ids.includes(id)));
    }
  });
});

describe('unifyValues', () => {
  it('rewrites every other spelling to the one kept, in history as edits; the finding is gone', async () => {
    const svc = await cmdb(MIXED);
    const r = await ok(svc, 'unifyValues', { field: 'environment', to: 'Production' });
    expect(r).toEqual({
      field: 'environment',
      to: 'Production',
      from: [
        { value: 'production', cis: 2 },
        { value: 'PRODUCTION ', cis: 1 },
      ],
      changed: 3,
      cis: 7,
    });
    const envs = svc.db.prepare('SELECT environment, count(*) AS n FROM cis GROUP BY environment ORDER BY environment').all();
    expect(envs).toEqual([
      { environment: null, n: 2 },
      { environment: 'Production', n: 7 },
      { environment: 'Staging', n: 1 },
      { environment: 'development', n: 1 },
      { environment: 'staging', n: 1 },
    ]);
    const h = (await ok(svc, 'getCi', { key: 'u1' })).history[0]!;
    expect([h.action, h.source, h.changes]).toEqual(['update', 'test', { environment: { from: 'PRODUCTION ', to: 'Production' } }]);
    expect(h.summary).toBe('Changed environment: one spelling, "Production", for "PRODUCTION " (value-variants)');
    expect(svc.db.prepare("SELECT count(*) FROM history WHERE action = 'update' AND changes LIKE '%environment%'").pluck().get()).toBe(3);
    expect((await variantFindings(svc)).map((f) => f.keys)).toEqual([['s1']]);
    // The user may keep another spelling than the one proposed.
    expect((await ok(svc, 'unifyValues', { field: 'environment', to: 'staging' })).from).toEqual([{ value: 'Staging', cis: 1 }]);
    expect(await variantFindings(svc)).toEqual([]);
  });

  it('refuses an unknown field, a spelling no CI holds (naming the spellings) and a value spelled one way only; changes nothing', async () => {
    const svc = await cmdb(MIXED);
    const before = svc.db.prepare('SELECT count(*) FROM history').pluck().get();
    const field = await fails(svc, 'unifyValues', { field: 'type', to: 'server' });
    expect(field.code).toBe('INVALID_REQUEST');
    expect(field.message).toContain('must be one of environment, status, owner, criticality, not "type"');
    const absent = await fails(svc, 'unifyValues', { field: 'environment', to: 'PRODUCTION' });
    expect(absent.message).toBe(
      'No CI has environment "PRODUCTION", so it cannot be the spelling kept. Its spellings: "Production" (4 CIs), "production" (2 CIs), "PRODUCTION " (1 CI); give one of them exactly.',
    );
    expect((await fails(svc, 'unifyValues', { field: 'environment', to: 'prod' })).message).toContain(
      'Give a spelling a CI holds (cmdb health --rule value-variants lists them).',
    );
    expect((await fails(svc, 'unifyValues', { field: 'environment', to: 'development' })).message).toBe(
      'environment "development" is spelled one way only ("development" (1 CI)): nothing to unify.',
    );
    expect(svc.db.prepare('SELECT count(*) FROM history').pluck().get()).toBe(before);
  });

  it('an import undone after it: refused, naming the unify edit (history sees it)', async () => {
    const svc = freshService();
    const csv = 'id,name,type,environment\na,A,server,Production\nb,B,server,Production\n';
    await ok(svc, 'importCsv', { cis: { name: 'one.csv', content: csv } });
    const second = await ok(svc, 'importCsv', { cis: { name: 'two.csv', content: 'id,name,type,environment\nc,C,server,production\n' } });
    await ok(svc, 'unifyValues', { field: 'environment', to: 'Production' });
    const e = await fails(svc, 'undoImport', { id: second.importId! });
    expect(e.message).toContain('edits by hand (test) changed C (c)');
  });
});
