/**
 * Health of a change (issue 18 part 4): the findings of the per-CI health
 * rules on an impact answer's impacted CIs and on the CIs of their
 * explanation paths, the notes for the board, and the reports and CLI text
 * that carry them.
 */
import { describe, expect, it } from 'vitest';
import { api } from '../../shared/api.js';
import { healthConfig, type HealthRuleId } from '../../shared/health.js';
import type { ImpactResult } from '../../shared/impact.js';
import { impactSummary } from '../../electron/cli/impact-commands.js';
import { rawFindings, rulesByCi } from '../../electron/cmdb/health/compute.js';
import { parseSaved } from '../../electron/cmdb/impact/impact-service.js';
import { analysisSubject, CSV_HEADER, renderSubject } from '../../electron/cmdb/impact/report.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

interface Ci {
  key: string;
  type?: string;
  name?: string;
  owner?: string | null;
  status?: string;
  environment?: string;
  criticality?: string | null;
  attributes?: Record<string, string>;
  updatedAt?: string;
}

const RECENT = new Date().toISOString();

/**
 * A CMDB where `db` is what changes: `app` depends on it (hard), `shop` (a
 * business service) on `app`, and `other` (another business service) on
 * `db` directly. Each CI clean unless the test says otherwise.
 */
function cmdb(overrides: Ci[] = [], extraRels: Array<[string, string, string, string?, number?]> = []): CmdbService {
  const svc = freshService();
  const base: Ci[] = [
    { key: 'db', type: 'database', name: 'Orders DB' },
    { key: 'app', type: 'application', name: 'Order API' },
    { key: 'shop', type: 'business_service', name: 'Checkout' },
    { key: 'other', type: 'business_service', name: 'Reporting' },
  ];
  const byKey = new Map(base.map((c) => [c.key, c]));
  for (const o of overrides) byKey.set(o.key, { ...byKey.get(o.key), ...o });
  const ins = svc.db.prepare(
    `INSERT INTO cis(key, type, name, status, environment, owner, criticality, attributes, created_at, updated_at)
     VALUES (@key, @type, @name, @status, @environment, @owner, @criticality, @attributes, @at, @at)`,
  );
  const insType = svc.db.prepare('INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES (?, ?, 1)');
  // A relationship type the registry lacks is created flagged, read as a hard depends_on, as an import does.
  const insRelType = svc.db.prepare(
    "INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, 'source', 'hard', 1)",
  );
  const rel = svc.db.prepare(
    `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, created_at, updated_at)
     VALUES ((SELECT id FROM cis WHERE key = ?), (SELECT id FROM cis WHERE key = ?), ?, ?, ?, ?, ?)`,
  );
  svc.db.transaction(() => {
    for (const c of byKey.values()) {
      const type = c.type ?? 'application';
      insType.run(type, type);
      ins.run({
        key: c.key,
        type,
        name: c.name ?? c.key,
        status: c.status ?? 'operational',
        environment: c.environment ?? 'production',
        owner: c.owner === undefined ? 'team-a' : c.owner,
        criticality: c.criticality === undefined ? 'high' : c.criticality,
        attributes: JSON.stringify(c.attributes ?? {}),
        at: c.updatedAt ?? RECENT,
      });
    }
    const rels: Array<[string, string, string, string?, number?]> = [
      ['app', 'db', 'depends_on'],
      ['shop', 'app', 'depends_on'],
      ['other', 'db', 'depends_on'],
      ...extraRels,
    ];
    for (const [s, t, type, g, m] of rels) {
      insRelType.run(type, type, `${type} (reverse)`);
      rel.run(s, t, type, g ?? null, m ?? null, RECENT, RECENT);
    }
  })();
  return svc;
}

async function impactOf(svc: CmdbService, key = 'db'): Promise<ImpactResult> {
  return ok(svc, 'impact', { keys: [key] });
}

const rulesOf = (r: ImpactResult, key: string): HealthRuleId[] => r.health?.byKey[key] ?? [];
const OLD = '2001-01-01T00:00:00.000Z';

describe('per-CI rules on an impact answer', () => {
  it('a clean answer has no findings and no notes', async () => {
    const r = await impactOf(cmdb());
    expect(r.health).toEqual({ byRule: [], notes: [], byKey: {} });
  });

  // Each rule on a CI on the path to `shop` (app) and on the changed CI itself (db), which is on every path.
  const cases: Array<{
    rule: HealthRuleId;
    on: (key: string) => Ci[];
    rels?: (key: string) => Array<[string, string, string, string?, number?]>;
  }> = [
    { rule: 'missing-owner', on: (key) => [{ key, owner: null }] },
    { rule: 'missing-owner', on: (key) => [{ key, owner: '  ' }] },
    { rule: 'missing-criticality', on: (key) => [{ key, criticality: null, environment: 'Prod' }] },
    { rule: 'stale', on: (key) => [{ key, updatedAt: OLD }] },
    { rule: 'unreviewed-type', on: (key) => [{ key, type: 'mystery_box' }] },
    { rule: 'unreviewed-rel-type', on: () => [{ key: 'ext', type: 'server' }], rels: (key) => [[key, 'ext', 'frobnicates']] },
    {
      rule: 'duplicate',
      on: (key) => [
        { key, name: 'Web-01' },
        { key: 'twin', name: 'web 01', type: key === 'db' ? 'database' : 'application' },
      ],
    },
    {
      rule: 'duplicate',
      on: (key) => [
        { key, attributes: { serial_number: 'SN-1' } },
        { key: 'twin', attributes: { serial_number: 'SN-1' }, type: key === 'db' ? 'database' : 'application' },
      ],
    },
    {
      rule: 'retired-dependency',
      on: () => [{ key: 'old', status: 'retired', type: 'server' }],
      rels: (key) => [[key, 'old', 'depends_on']],
    },
    {
      rule: 'hard-cycle',
      on: () => [{ key: 'loop' }],
      rels: (key) => [
        [key, 'loop', 'depends_on'],
        ['loop', key, 'depends_on'],
      ],
    },
    {
      rule: 'unsatisfiable-group',
      on: () => [{ key: 'm1', type: 'server' }],
      rels: (key) => [[key, 'm1', 'depends_on', 'pool', 3]],
    },
  ];
  for (const c of cases) {
    for (const key of ['app', 'db']) {
      it(`${c.rule} shows on ${key === 'db' ? 'the changed CI' : 'a CI on the path'} and in the path's note`, async () => {
        const r = await impactOf(cmdb(c.on(key), c.rels?.(key)));
        expect(rulesOf(r, key)).toContain(c.rule);
        expect(r.health!.byRule.find((b) => b.rule === c.rule)!.keys).toContain(key);
        // On the changed CI, both paths cross it (one sentence); on app, only the path to Checkout does.
        const note = key === 'db' ? 'The paths to Reporting (other) and Checkout (shop) each cross' : 'The path to Checkout (shop) crosses';
        expect(r.health!.notes.filter((n) => n.includes('(other)') || n.includes('(shop)'))).toEqual([expect.stringContaining(note)]);
      });
    }
  }

  it('retired-dependency: the retired CI on a path carries it too, a live dependency does not', async () => {
    const r = await impactOf(cmdb([{ key: 'app', status: 'retired' }]));
    expect(rulesOf(r, 'app')).toContain('retired-dependency');
    // shop (live) depends on app (retired)
    expect(rulesOf(r, 'shop')).toContain('retired-dependency');
    expect(rulesOf(r, 'db')).not.toContain('retired-dependency');
  });

  it('rules that must not fire: other environments, exempt and disabled rules, a different type with the same name, a connects_to to a retired CI', async () => {
    const svc = cmdb(
      [
        { key: 'app', criticality: null, environment: 'staging' },
        { key: 'db', name: 'Shared' },
        { key: 'x', name: 'SHARED', type: 'server' },
        { key: 'old', status: 'retired', type: 'server' },
        // A retired CI is not asked for an owner.
        { key: 'gone', status: 'retired', owner: null, type: 'server' },
      ],
      [
        ['app', 'old', 'connects_to'],
        ['gone', 'x', 'connects_to'],
      ],
    );
    const r = await impactOf(svc);
    expect(r.health!.byKey).toEqual({});
    const config = healthConfig({ rules: { 'missing-owner': { enabled: false } } });
    svc.db.prepare("UPDATE cis SET owner = NULL WHERE key = 'app'").run();
    svc.impacts.indexHolder.markChanged();
    const { index } = svc.impacts.indexHolder.getWithAttrs();
    const appId = svc.db.prepare("SELECT id FROM cis WHERE key = 'app'").pluck().get() as number;
    const rulesOnApp = (c: typeof config) => rulesByCi(rawFindings(svc.db, c, index, Date.now(), new Set([appId])).raw).get(appId);
    expect(rulesOnApp(config)).toBeUndefined();
    expect(rulesOnApp(healthConfig())).toEqual(['missing-owner']);
  });

  it('path notes: paths with the same findings share a sentence, three services named at most', async () => {
    const svc = cmdb(
      [{ key: 'db', owner: null }, ...['s1', 's2', 's3', 's4'].map((key) => ({ key, type: 'business_service', name: key.toUpperCase() }))],
      ['s1', 's2', 's3', 's4'].map((s): [string, string, string] => [s, 'db', 'depends_on']),
    );
    const notes = (await impactOf(svc)).health!.notes;
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatch(/^The paths to \w+ \(\w+\), \w+ \(\w+\), \w+ \(\w+\) and 3 more each cross 1 CI without an owner\.$/);
  });

  it('notes: one overall sentence, then each path with its counts, the most severe rule first', async () => {
    const svc = cmdb(
      [
        { key: 'app', owner: null, name: 'Dup' },
        { key: 'twin', name: 'DUP', type: 'application' },
        { key: 'shop', owner: null },
        { key: 'old', status: 'retired', type: 'server' },
      ],
      [['app', 'old', 'depends_on']],
    );
    const r = await impactOf(svc);
    expect(r.health!.notes).toEqual([
      '2 of 4 impacted CIs have data-quality findings: 1 CI retired or depending on a retired one; 2 CIs without an owner; 1 possible duplicate.',
      'The path to Checkout (shop) crosses 1 CI retired or depending on a retired one; 2 CIs without an owner; 1 possible duplicate.',
    ]);
    expect(r.health!.byRule.map((b) => [b.rule, b.severity, b.cis])).toEqual([
      ['retired-dependency', 'error', 1],
      ['missing-owner', 'warning', 2],
      ['duplicate', 'warning', 1],
    ]);
    expect(r.health!.byKey).toEqual({ app: ['duplicate', 'missing-owner', 'retired-dependency'], shop: ['missing-owner'] });
    api.impact.response.parse(r);
  });

  it('upstream, the notes speak of dependencies, not of impacted CIs; an answer not all listed says the rest were not checked (found by a tester)', async () => {
    const svc = cmdb([{ key: 'app', owner: null }]);
    const up = await ok(svc, 'impact', { keys: ['shop'], direction: 'upstream' });
    expect(up.health!.notes[0]).toMatch(/^1 of \d+ dependencies has data-quality findings: 1 CI without an owner\.$/);
    const none = await ok(svc, 'impact', { keys: ['shop'], direction: 'upstream', limit: 0 });
    expect(none.health!.notes).toEqual([
      expect.stringMatching(/^No dependency is listed here, so none of the \d+ was checked for data quality/),
    ]);
    const down = await ok(svc, 'impact', { keys: ['db'], limit: 0 });
    expect(down.health!.notes).toEqual([
      expect.stringMatching(/^No impacted CI is listed here, so none of the \d+ was checked for data quality/),
    ]);
  });

  it('a truncated answer says how many CIs it looked at, of how many impacted', async () => {
    const r = await ok(svc2(), 'impact', { keys: ['db'], limit: 1 });
    expect(r.truncated).toBe(true);
    expect(r.health!.notes[0]).toBe(
      '1 of the 1 CI listed here and on its paths (of 4 impacted) has data-quality findings: 1 CI without an owner. The other 3 impacted CIs are not listed, so not checked: list them, or export the report (it checks them all), to check them.',
    );
    // Listed within a depth, not cut by the limit: said alike (found by a tester: it read "1 of 2 impacted CIs").
    const near = await ok(svc2(), 'impact', { keys: ['db'], depth: 1 });
    expect(near.truncated).toBe(false);
    expect(near.impacted.length).toBeLessThan(near.counts.total);
    expect(near.health!.notes[0]).toMatch(/listed here and on (its|their) paths \(of 4 impacted\) ha(s|ve) data-quality findings/);
  });

  it('a bad rules file beside the CMDB costs the answer nothing: the note says what to fix', async () => {
    const { tempDir } = await import('./helpers.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const path = join(tempDir(), 'c.db');
    const svc = freshService(path);
    writeFileSync(`${path}.health.json`, '{"rules": {"stale": {"dayz": 3}}}');
    const ins = svc.db.prepare("INSERT INTO cis(key, type, name, created_at, updated_at) VALUES (?, 'application', ?, ?, ?)");
    ins.run('a', 'a', RECENT, RECENT);
    const r = await ok(svc, 'impact', { keys: ['a'] });
    expect(r.health!.byRule).toEqual([]);
    expect(r.health!.notes[0]).toMatch(/^Data quality not checked: .*c\.db\.health\.json: not a valid rules file: rules\.stale/);
  });
});

/** The changed CI without an owner, the rest clean. */
function svc2(): CmdbService {
  return cmdb([{ key: 'db', owner: null }]);
}

describe('saved changes, reports and the CLI carry the health', () => {
  it('a change saved with health keeps it; one saved before it existed still parses', async () => {
    const svc = svc2();
    const saved = await ok(svc, 'saveChange', { ref: 'CHG1', title: 'T', keys: ['db'] });
    const detail = await ok(svc, 'getChange', { id: saved.change.id });
    expect(detail.saved.health?.byKey).toEqual({ db: ['missing-owner'] });
    expect(detail.current.health?.byKey).toEqual({ db: ['missing-owner'] });
    const summary = svc.db.prepare('SELECT summary FROM changes WHERE id = ?').pluck().get(saved.change.id) as string;
    const { health: _h, ...before } = JSON.parse(summary) as Record<string, unknown>;
    expect(parseSaved(JSON.stringify(before)).health).toBeUndefined();
    svc.db.prepare('UPDATE changes SET summary = ? WHERE id = ?').run(JSON.stringify(before), saved.change.id);
    const old = await ok(svc, 'getChange', { id: saved.change.id });
    expect(old.saved.health).toBeUndefined();
  });

  it('Markdown, HTML, CSV and JSON reports carry the data quality', async () => {
    const r = await impactOf(svc2());
    const md = renderSubject(analysisSubject(r), 'markdown', 'now').content;
    expect(md).toContain('## Data quality');
    expect(md).toContain('- 1 of 4 impacted CIs has data-quality findings: 1 CI without an owner.');
    expect(md).toContain('| CIs without an owner (missing-owner) | warning | 1 | Orders DB (db) |');
    expect(md).toMatch(/\| db \| Orders DB \|.*\| no owner \|/);
    // Right after the risk it qualifies.
    expect(md.indexOf('## Data quality')).toBeGreaterThan(md.indexOf('## Why this risk'));
    expect(md.indexOf('## Data quality')).toBeLessThan(md.indexOf('## Business services impacted'));
    const html = renderSubject(analysisSubject(r), 'html', 'now').content;
    expect(html).toContain('<h2>Data quality</h2>');
    expect(html).toContain('<li>1 of 4 impacted CIs has data-quality findings: 1 CI without an owner.</li>');
    const csv = renderSubject(analysisSubject(r), 'csv', 'now').content.split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('data_quality');
    expect(CSV_HEADER.at(-1)).toBe('data_quality');
    const lastCell = (key: string) => /,([^,]*)$/.exec(csv.find((l) => l.startsWith(`${key},`))!)![1];
    expect(lastCell('db')).toBe('missing-owner');
    expect(lastCell('app')).toBe('');
    const json = JSON.parse(renderSubject(analysisSubject(r), 'json', 'now').content) as ImpactResult;
    expect(json.health?.byKey).toEqual({ db: ['missing-owner'] });
    // A clean answer says so in the section.
    const clean = renderSubject(analysisSubject(await impactOf(cmdb())), 'markdown', 'now').content;
    expect(clean).toContain('## Data quality\n\nNo data-quality findings on the impacted CIs or on their paths.');
  });

  it('cmdb impact prints the notes, and a column of rule ids', async () => {
    const lines = impactSummary(await impactOf(svc2()));
    const at = lines.indexOf('Data quality (parts of this answer to doubt):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('  - 1 of 4 impacted CIs has data-quality findings: 1 CI without an owner.');
    // Both paths cross the changed CI: one sentence names both, in the order of the services (the nearer first).
    expect(lines[at + 2]).toBe('  - The paths to Reporting (other) and Checkout (shop) each cross 1 CI without an owner.');
    expect(lines.some((l) => l.includes('DATA QUALITY'))).toBe(true);
    expect(lines.find((l) => /^changed +0 +db +Orders DB/.test(l))).toMatch(/missing-owner\s*$/);
    expect(impactSummary(await impactOf(cmdb()))).toContain('Data quality: no findings on the impacted CIs or on their paths.');
  });
});
