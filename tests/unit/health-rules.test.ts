/**
 * Each health rule (issue 18) on a small hand-made CMDB: what makes it fire,
 * and a near miss that must not. Built through the service (createCi,
 * createRelationship), as a person would; dates moved in SQL where a rule
 * reads time.
 */
import { describe, expect, it } from 'vitest';
import type { CiFields } from '../../shared/domain.js';
import { healthConfig, type HealthRuleId, type HealthRulesFile, normalizeName } from '../../shared/health.js';
import { HealthService } from '../../electron/cmdb/health/health-service.js';
import { rawFindings } from '../../electron/cmdb/health/compute.js';
import { nameHash } from '../../electron/cmdb/health/rules/duplicate.js';
import { namesNoOwner } from '../../electron/cmdb/health/rules/fields.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { freshService, ok } from './helpers.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
type Ci = [key: string, type: string, name: string, fields?: Partial<CiFields>];
type Rel = [source: string, target: string, type: string, group?: string, minUp?: number];

/** A CMDB of these CIs (owner and criticality set unless given) and relationships. */
async function cmdb(cis: Ci[], rels: Rel[] = []): Promise<CmdbService> {
  const svc = freshService();
  for (const [key, type, name, fields] of cis) {
    const { criticality, ...rest } = { owner: 'team-a', criticality: 'high', ...fields };
    await ok(svc, 'createCi', { key, fields: { type, name, ...rest } });
    // A criticality off the scale ("n/a") comes from an import, which keeps it as given; an edit by hand refuses it.
    if (criticality != null) svc.db.prepare('UPDATE cis SET criticality = ? WHERE key = ?').run(criticality.trim(), key);
  }
  for (const [source, target, type, redundancyGroup, minUp] of rels)
    await ok(svc, 'createRelationship', { source, target, type, redundancyGroup: redundancyGroup ?? null, minUp: minUp ?? null });
  return svc;
}

/** The findings of one rule, as [keys, message], with these rules. */
async function findings(svc: CmdbService, rule: HealthRuleId, rules?: HealthRulesFile) {
  const health = new HealthService(
    svc.db,
    ':memory:',
    () => svc.impacts.indexHolder.get(),
    () => NOW,
  );
  const r = health.health({ rule, offset: 0, limit: 1000, ...(rules ? { rules } : {}) });
  return r.findings.map((f) => ({ keys: f.keys, message: f.message, severity: f.severity }));
}

const keysOf = async (svc: CmdbService, rule: HealthRuleId, rules?: HealthRulesFile) =>
  (await findings(svc, rule, rules)).map((f) => f.keys);

// Every CI linked to one hub, so no rule but the one under test fires for want of relationships.
const hub: Ci = ['hub', 'server', 'Hub'];
const linked = (keys: string[]): Rel[] => keys.map((k) => [k, 'hub', 'connects_to']);

describe('duplicate', () => {
  it('matches names differing only in case, spaces, punctuation and accents, within one type', async () => {
    const svc = await cmdb(
      [
        hub,
        ['a', 'server', 'web-01'],
        ['b', 'server', 'WEB 01'],
        ['c', 'server', 'Wéb_01.'],
        ['d', 'application', 'web-01'],
        ['e', 'server', 'web-02'],
      ],
      linked(['a', 'b', 'c', 'd', 'e']),
    );
    const f = await findings(svc, 'duplicate');
    expect(f.map((x) => x.keys)).toEqual([['a', 'b', 'c']]);
    expect(f[0]!.message).toContain(
      'web-01 (a), WEB 01 (b) and Wéb_01. (c) look like the same server: the same name (ignoring case, spaces and punctuation). Merge them',
    );
    expect(f[0]!.message).toContain('Merge them on the Health screen');
    expect(f[0]!.severity).toBe('warning');
  });

  it('matches an identifying attribute trimmed and case-insensitive, in one set with name matches; not across types', async () => {
    const svc = await cmdb(
      [
        hub,
        ['s1', 'server', 'alpha', { attributes: { serial_number: 'SN-1 ' } }],
        ['s2', 'server', 'beta', { attributes: { serial_number: 'sn-1' } }],
        ['s3', 'server', 'Beta'],
        ['vm', 'virtual_machine', 'gamma', { attributes: { serial_number: 'SN-1' } }],
        ['x1', 'server', 'delta', { attributes: { serial_number: '' } }],
        ['x2', 'server', 'epsilon', { attributes: { serial_number: '' } }],
        ['x3', 'server', 'zeta', { attributes: { serial_number: '-' } }],
        ['x4', 'server', 'eta', { attributes: { serial_number: ' - ' } }],
        // What exports write for "not known" identifies nothing either.
        ['y1', 'server', 'theta', { attributes: { serial_number: 'N/A', ip_address: '0.0.0.0' } }],
        ['y2', 'server', 'iota', { attributes: { serial_number: 'n/a', ip_address: '0.0.0.0' } }],
        ['y3', 'server', 'kappa', { attributes: { serial_number: 'To be filled by O.E.M.', ip_address: '127.0.0.1' } }],
        ['y4', 'server', 'lambda', { attributes: { serial_number: 'To Be Filled By O.E.M.', ip_address: '127.0.0.1' } }],
        ['y5', 'server', 'mu', { attributes: { serial_number: 'Unknown', mac_address: '00:00:00:00:00:00' } }],
        ['y6', 'server', 'nu', { attributes: { serial_number: 'UNKNOWN ', mac_address: '00:00:00:00:00:00' } }],
      ],
      linked(['s1', 's2', 's3', 'vm', 'x1', 'x2', 'x3', 'x4', 'y1', 'y2', 'y3', 'y4', 'y5', 'y6']),
    );
    const f = await findings(svc, 'duplicate');
    expect(f.map((x) => x.keys)).toEqual([['s1', 's2', 's3']]);
    expect(f[0]!.message).toMatch(/the same serial_number "SN-1"|the same serial_number "sn-1"/);
    // Each reason names the CIs it holds for, as not all three share the name, nor the serial number.
    expect(f[0]!.message).toContain(
      'alpha (s1), beta (s2) and Beta (s3) look like the same server: the same serial_number "SN-1" (s1 and s2) and the same name (ignoring case, spaces and punctuation) (s2 and s3).',
    );
  });

  it('CIs of one name that hold different values of an identifying attribute are distinct (for_each instances), not duplicates', async () => {
    const svc = await cmdb(
      [
        hub,
        // Terraform for_each: one name, each instance its own ARN.
        ['i-1', 'virtual_machine', 'web', { attributes: { arn: 'arn:aws:ec2:eu-west-1:1:instance/i-1' } }],
        ['i-2', 'virtual_machine', 'web', { attributes: { arn: 'arn:aws:ec2:eu-west-1:1:instance/i-2' } }],
        ['i-3', 'virtual_machine', 'web', { attributes: { arn: 'arn:aws:ec2:eu-west-1:1:instance/i-3' } }],
        // One name, one serial number or none: still one thing recorded twice.
        ['s-1', 'server', 'db host', { attributes: { 'Serial Number': 'SN-9' } }],
        ['s-2', 'server', 'DB-host', { attributes: { serial_number: 'sn-9 ' } }],
        ['s-3', 'server', 'db_host'],
        // A placeholder tells nothing apart.
        ['p-1', 'server', 'cache', { attributes: { serial_number: '-' } }],
        ['p-2', 'server', 'cache', { attributes: { serial_number: 'SN-5' } }],
      ],
      linked(['i-1', 'i-2', 'i-3', 's-1', 's-2', 's-3', 'p-1', 'p-2']),
    );
    expect(await keysOf(svc, 'duplicate')).toEqual([
      ['p-1', 'p-2'],
      ['s-1', 's-2', 's-3'],
    ]);
    // The same answer for a few CIs (an impact answer's health), and with ARNs not among the identifying attributes.
    const ids = new Set(svc.db.prepare("SELECT id FROM cis WHERE key IN ('i-1', 's-3')").pluck().all() as number[]);
    const keyOf = (id: number) => svc.db.prepare('SELECT key FROM cis WHERE id = ?').pluck().get(id) as string;
    const { raw } = rawFindings(svc.db, healthConfig(), svc.impacts.indexHolder.get(), NOW, ids);
    expect(raw.filter((f) => f.rule === 'duplicate').map((f) => f.ids.map(keyOf))).toEqual([['s-1', 's-2', 's-3']]);
    expect(await keysOf(svc, 'duplicate', { rules: { duplicate: { identifyingAttributes: ['serial_number'] } } })).toContainEqual([
      'i-1',
      'i-2',
      'i-3',
    ]);
  });

  it('a reason that holds for every CI of the set names none of them', async () => {
    const svc = await cmdb(
      [
        hub,
        ['a', 'server', 'web-01', { attributes: { serial_number: 'X1' } }],
        ['b', 'server', 'WEB 01', { attributes: { serial_number: 'x1' } }],
      ],
      linked(['a', 'b']),
    );
    expect((await findings(svc, 'duplicate'))[0]!.message).toContain(
      'web-01 (a) and WEB 01 (b) look like the same server: the same name (ignoring case, spaces and punctuation) and the same serial_number "X1". Merge',
    );
  });

  it('honours the rules file: other identifying attributes, exempt types, disabled', async () => {
    const svc = await cmdb(
      [
        hub,
        ['a', 'server', 'x', { attributes: { rack: 'R1' } }],
        ['b', 'server', 'y', { attributes: { rack: 'r1' } }],
        ['c', 'container', 'pod'],
        ['d', 'container', 'POD'],
      ],
      linked(['a', 'b', 'c', 'd']),
    );
    expect(await keysOf(svc, 'duplicate')).toEqual([['c', 'd']]);
    expect(
      await keysOf(svc, 'duplicate', { rules: { duplicate: { identifyingAttributes: ['rack'], exemptTypes: ['container'] } } }),
    ).toEqual([['a', 'b']]);
    expect(await keysOf(svc, 'duplicate', { rules: { duplicate: { enabled: false } } })).toEqual([]);
  });

  it("finds an identifying attribute under an export's spelling of its name (Serial Number, SerialNumber, IP-Address)", async () => {
    const svc = await cmdb(
      [
        hub,
        ['a', 'server', 'alpha', { attributes: { 'Serial Number': 'SN-9' } }],
        ['b', 'server', 'beta', { attributes: { SerialNumber: 'sn-9 ' } }],
        // One CI with the attribute under two spellings is not a duplicate of itself.
        ['c', 'server', 'gamma', { attributes: { serial_number: 'SN-7', 'Serial Number': 'SN-7' } }],
        ['d', 'server', 'delta', { attributes: { 'IP-Address': '10.0.0.5' } }],
        ['e', 'server', 'epsilon', { attributes: { ip_address: '10.0.0.5' } }],
      ],
      linked(['a', 'b', 'c', 'd', 'e']),
    );
    const f = await findings(svc, 'duplicate');
    expect(f.map((x) => x.keys)).toEqual([
      ['a', 'b'],
      ['d', 'e'],
    ]);
    expect(f[0]!.message).toMatch(/the same serial_number "(SN-9|sn-9)"/);
    expect(f[1]!.message).toMatch(/the same ip_address "10.0.0.5"/);
  });

  it('reads an identifying attribute whose name has quotes, backslashes, dots or brackets', async () => {
    const names = ['serial "no"', 'path\\id', 'asset.tag', 'slot]x'];
    const attrs = (v: string) => Object.fromEntries(names.map((n) => [n, `${n}=${v}`]));
    const svc = await cmdb(
      [hub, ['a', 'server', 'x', { attributes: attrs('1') }], ['b', 'server', 'y', { attributes: attrs('1') }]],
      linked(['a', 'b']),
    );
    for (const name of names) {
      expect(await keysOf(svc, 'duplicate', { rules: { duplicate: { identifyingAttributes: [name] } } }), name).toEqual([['a', 'b']]);
    }
  });

  it('never reports two names whose hashes collide but which differ', async () => {
    // Birthday search for two names with the same 32-bit hash (one type: its number is 0 in the scan).
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null; i++) {
      const name = `n${i}`;
      const h = nameHash(0, name);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, name];
      else seen.set(h, name);
    }
    const svc = await cmdb(
      [
        ['c1', 'server', pair[0]],
        ['c2', 'server', pair[1]],
        ['c3', 'server', pair[1].toUpperCase()],
      ],
      [
        ['c1', 'c2', 'connects_to'],
        ['c2', 'c3', 'connects_to'],
      ],
    );
    expect(nameHash(0, pair[0])).toBe(nameHash(0, pair[1]));
    expect(await keysOf(svc, 'duplicate')).toEqual([['c2', 'c3']]);
  });

  it('hashes a name as normalizeName compares it (the fast ASCII path agrees with the full one)', () => {
    const names = ['web-01', 'WEB 01', 'Web_01!', 'wèb01', 'ﬁle', 'file', '---', '', 'Ünïcode Ñame', 'unicode-name', 'A1 b2', 'a1b2'];
    for (const a of names)
      for (const b of names) {
        const same = normalizeName(a) === normalizeName(b) && normalizeName(a) !== '';
        if (same) expect(nameHash(3, a), `${a} / ${b}`).toBe(nameHash(3, b));
      }
    expect(nameHash(3, '---')).toBe(0);
    expect(nameHash(3, 'web01')).not.toBe(nameHash(4, 'web01'));
  });
});

describe('orphan', () => {
  it('fires on a CI with no relationship; not on one with only a connects_to, nor on an exempt type or a retired CI', async () => {
    const svc = await cmdb(
      [
        hub,
        ['lonely', 'server', 'Lonely'],
        ['net', 'server', 'Net'],
        ['saas', 'saas', 'SaaS'],
        ['old', 'server', 'Old', { status: 'retired' }],
      ],
      [['net', 'hub', 'connects_to']],
    );
    const f = await findings(svc, 'orphan');
    expect(f.map((x) => x.keys)).toEqual([['lonely'], ['saas']]);
    expect(f[0]!.message).toBe(
      'Lonely (lonely, server) has no relationship: link it to what it runs on or serves (a relationships import, or on its page), or retire it if it is gone.',
    );
    expect(await keysOf(svc, 'orphan', { rules: { orphan: { exemptTypes: ['saas'] } } })).toEqual([['lonely']]);
  });
});

describe('missing-owner and missing-criticality', () => {
  it('missing-owner fires on a blank owner, not on an exempt type', async () => {
    const svc = await cmdb(
      [
        hub,
        ['a', 'server', 'A', { owner: null }],
        ['b', 'server', 'B', { owner: '  ' }],
        ['c', 'dns', 'C', { owner: null }],
        ['d', 'server', 'D'],
      ],
      linked(['a', 'b', 'c', 'd']),
    );
    expect(await keysOf(svc, 'missing-owner')).toEqual([['a'], ['b'], ['c']]);
    expect(await keysOf(svc, 'missing-owner', { rules: { 'missing-owner': { exemptTypes: ['dns'] } } })).toEqual([['a'], ['b']]);
  });

  it('missing-owner fires on an owner that names no team ("-", "N/A", "TBD"), saying so; not on a team', async () => {
    const svc = await cmdb(
      [
        hub,
        ['dash', 'server', 'Dash', { owner: ' - ' }],
        ['na', 'server', 'NA', { owner: 'N/A' }],
        ['tbd', 'server', 'TBD', { owner: 'tbd ' }],
        ['team', 'server', 'Team', { owner: 'team-na' }],
        ['uni', 'server', 'Uni', { owner: 'équipe' }],
        ['gone', 'server', 'Gone', { owner: '?', status: 'retired' }],
      ],
      linked(['dash', 'na', 'tbd', 'team', 'uni', 'gone']),
    );
    const f = await findings(svc, 'missing-owner');
    expect(f.map((x) => x.keys)).toEqual([['dash'], ['na'], ['tbd']]);
    expect(f[1]!.message).toBe(
      'NA (na, server) has owner "N/A", which names no team: set the team responsible for it (the owner column of its import, or edit it on its page), so impact answers know whom to notify.',
    );
  });

  it("namesNoOwner (a merge's test for one value) says what the missing-owner rule's SQL says, for every owner", async () => {
    const owners = [
      ' - ',
      'N/A',
      'tbd ',
      'team-na',
      'équipe',
      '?',
      '\t',
      ' \tTBD',
      'None',
      'NULL',
      'n / a',
      'unKnown',
      '\u212Anown',
      '…',
      '42',
      '',
    ];
    const svc = await cmdb(
      [hub, ...owners.map((owner, i): Ci => [`o${i}`, 'server', `O${i}`, { owner }])],
      linked(owners.map((_, i) => `o${i}`)),
    );
    const flagged = new Set((await keysOf(svc, 'missing-owner')).flat());
    // As stored: the API keeps text as an import would (trimmed, NFC; blank is none).
    const stored = await Promise.all(owners.map(async (_, i) => (await ok(svc, 'getCi', { key: `o${i}` })).ci.owner));
    expect(stored.map((o) => [o, namesNoOwner(o)])).toEqual(stored.map((o, i) => [o, flagged.has(`o${i}`)]));
  });

  it('missing-criticality fires only in production environments, compared case-insensitively', async () => {
    const svc = await cmdb(
      [
        hub,
        ['p', 'server', 'P', { environment: 'Production', criticality: null }],
        ['q', 'server', 'Q', { environment: 'PRD', criticality: null }],
        ['s', 'server', 'S', { environment: 'staging', criticality: null }],
        ['n', 'server', 'N', { environment: null, criticality: null }],
        ['r', 'server', 'R', { environment: 'prod' }],
      ],
      linked(['p', 'q', 's', 'n', 'r']),
    );
    const f = await findings(svc, 'missing-criticality');
    expect(f.map((x) => x.keys)).toEqual([['p'], ['q']]);
    expect(f[0]!.message).toContain('is in production (environment "Production") without a criticality');
    expect(await keysOf(svc, 'missing-criticality', { rules: { 'missing-criticality': { productionEnvironments: ['Staging'] } } })).toEqual(
      [['s']],
    );
  });

  it('missing-criticality fires on a value not on the scale ("n/a", "-"), which ranks no risk; not on a word the scale knows', async () => {
    const svc = await cmdb(
      [
        hub,
        ['na', 'server', 'NA', { environment: 'production', criticality: 'n/a' }],
        ['dash', 'server', 'Dash', { environment: 'production', criticality: ' - ' }],
        ['cap', 'server', 'Cap', { environment: 'production', criticality: 'High' }],
        ['sn', 'server', 'SN', { environment: 'production', criticality: '1 - Most Critical' }],
        ['stg', 'server', 'Stg', { environment: 'staging', criticality: 'n/a' }],
        ['old', 'server', 'Old', { environment: 'production', criticality: 'n/a', status: 'retired' }],
      ],
      linked(['na', 'dash', 'cap', 'sn', 'stg', 'old']),
    );
    const f = await findings(svc, 'missing-criticality');
    expect(f.map((x) => x.keys)).toEqual([['dash'], ['na']]);
    expect(f.find((x) => x.keys[0] === 'na')!.message).toBe(
      'NA (na, server) is in production (environment "production") with criticality "n/a", which is not on the scale: set critical, high, medium or low, so impact answers can rank the risk.',
    );
  });
});

describe('stale', () => {
  it('fires past the days allowed (per type overriding the default), counting the last import that wrote it', async () => {
    const svc = await cmdb(
      [hub, ['old', 'server', 'Old'], ['new', 'server', 'New'], ['vm', 'virtual_machine', 'VM'], ['imp', 'server', 'Imported']],
      linked(['old', 'new', 'vm', 'imp']),
    );
    const at = svc.db.prepare('UPDATE cis SET updated_at = ? WHERE key = ?');
    at.run('2026-08-01T00:00:00.000Z', 'old'); // 122 days before NOW
    at.run('2026-11-20T00:00:00.000Z', 'new');
    at.run('2026-10-15T00:00:00.000Z', 'vm'); // 47 days
    at.run('2026-01-01T00:00:00.000Z', 'imp');
    at.run('2026-01-01T00:00:00.000Z', 'hub');
    // The import that last wrote "imp" finished recently: it was refreshed then.
    svc.db
      .prepare("INSERT INTO imports(id, started_at, finished_at) VALUES (7, '2026-11-29T00:00:00.000Z', '2026-11-29T00:01:00.000Z')")
      .run();
    svc.db.prepare("UPDATE cis SET import_id = 7 WHERE key = 'imp'").run();
    const f = await findings(svc, 'stale');
    expect(f.map((x) => x.keys)).toEqual([['hub'], ['old']]);
    expect(f[1]!.message).toBe(
      'Old (old, server) was last refreshed on 2026-08-01 (122 days ago), over the 90 days allowed for server: re-import it from its source or check it still exists, and retire it if it is gone.',
    );
    expect(await keysOf(svc, 'stale', { rules: { stale: { days: 365, byType: { virtual_machine: 30 } } } })).toEqual([['vm']]);
    // An undone import does not count as a refresh.
    svc.db.prepare("UPDATE imports SET undone_at = '2026-11-30T00:00:00.000Z' WHERE id = 7").run();
    expect(await keysOf(svc, 'stale')).toEqual([['hub'], ['imp'], ['old']]);
  });
});

describe('stale, after re-imports that change nothing', () => {
  const CIS = 'key,type,name,owner,criticality\nweb-1,server,Web 1,team-a,high\nweb-2,server,Web 2,team-a,high\n';
  const RELS = 'source,target,type\nweb-1,web-2,connects_to\n';
  const file = (name: string, content: string) => ({ name, content });
  /** Both CIs imported from assets.csv long ago (their dates and the import's moved back in SQL). */
  async function importedLongAgo(): Promise<CmdbService> {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('assets.csv', CIS), relationships: file('rels.csv', RELS), mode: 'sync' });
    svc.db.prepare("UPDATE cis SET updated_at = '2026-01-01T00:00:00.000Z'").run();
    svc.db.prepare("UPDATE imports SET started_at = '2026-01-01T00:00:00.000Z', finished_at = '2026-01-01T00:01:00.000Z'").run();
    return svc;
  }
  const lastImport = (svc: CmdbService) => svc.db.prepare('SELECT max(id) FROM imports').pluck().get() as number;

  it('a sync of the same export that lists a CI unchanged refreshes it: it was seen', async () => {
    const svc = await importedLongAgo();
    expect(await keysOf(svc, 'stale')).toEqual([['web-1'], ['web-2']]);
    const again = await ok(svc, 'importCsv', { cis: file('assets.csv', CIS), mode: 'sync' });
    expect(again.counts.unchanged).toBe(2);
    expect(await keysOf(svc, 'stale')).toEqual([]);
    // Undone, it counts for nothing.
    await ok(svc, 'undoImport', { id: lastImport(svc) });
    expect(await keysOf(svc, 'stale')).toEqual([['web-1'], ['web-2']]);
  });

  it('a sync that skipped a row repeating an earlier key (its CI listed all the same) refreshes; one that skipped another bad row does not', async () => {
    const svc = await importedLongAgo();
    const twice = `${CIS}web-2,server,Web 2,team-a,high\n`;
    const dup = await ok(svc, 'importCsv', { cis: file('assets.csv', twice), mode: 'sync', skipBadRows: true });
    expect(dup.counts).toMatchObject({ unchanged: 2, rejected: 1 });
    expect(await keysOf(svc, 'stale')).toEqual([]);
    await ok(svc, 'undoImport', { id: lastImport(svc) });
    // A row without its type may be a CI the file lists: that sync retired nothing and saw nothing.
    const bad = await ok(svc, 'importCsv', {
      cis: file('assets.csv', `${CIS}web-3,,Web 3,team-a,high\n`),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(bad.counts).toMatchObject({ unchanged: 2, rejected: 1 });
    expect(await keysOf(svc, 'stale')).toEqual([['web-1'], ['web-2']]);
    // Nor does a sync of a file without rows (a failed export): it retired nothing and saw nothing (found by a reviewer).
    await ok(svc, 'undoImport', { id: lastImport(svc) });
    await ok(svc, 'importCsv', { cis: file('assets.csv', 'key,type,name,owner,criticality\n'), mode: 'sync' });
    expect(await keysOf(svc, 'stale')).toEqual([['web-1'], ['web-2']]);
  });

  it('a CI brought back by undoing its merge was not seen by a sync that ran while it was merged away', async () => {
    const svc = await importedLongAgo();
    const rec = await ok(svc, 'mergeCis', { keep: 'web-1', merge: 'web-2' });
    svc.db.prepare("UPDATE merges SET at = '2026-02-01T00:00:00.000Z'").run();
    // The export no longer lists web-2 (merged away): the sync retires nothing, it is not there.
    await ok(svc, 'importCsv', { cis: file('assets.csv', CIS.split('\n').slice(0, 2).join('\n') + '\n'), mode: 'sync' });
    await ok(svc, 'undoMerge', { id: rec.id });
    // web-1 was in that sync; web-2 was last seen by the sync before the merge.
    expect(await keysOf(svc, 'stale')).toEqual([['web-2']]);
    // A sync after the undo that lists it counts again.
    await ok(svc, 'importCsv', { cis: file('assets.csv', CIS), mode: 'sync' });
    expect(await keysOf(svc, 'stale')).toEqual([]);
  });

  it('does not refresh through an upsert, a sync of another source, or a sync with rejected rows', async () => {
    const svc = await importedLongAgo();
    await ok(svc, 'importCsv', { cis: file('assets.csv', CIS) }); // upsert: retires nothing, so proves nothing
    await ok(svc, 'importCsv', { cis: file('other.csv', 'key,type,name\nx-1,server,X 1\n'), mode: 'sync' });
    const rejected = await ok(svc, 'importCsv', {
      cis: file('assets.csv', CIS + 'web-3,server,,team-a,high\n'),
      mode: 'sync',
      skipBadRows: true,
    });
    expect(rejected.counts.rejected).toBe(1); // so it retires nothing, and proves nothing
    // A sync of the source's relationships file alone lists no CI: it proves nothing about them.
    await ok(svc, 'importCsv', { relationships: file('rels.csv', RELS), mode: 'sync', source: 'assets.csv' });
    expect(await keysOf(svc, 'stale')).toEqual([['web-1'], ['web-2']]);
  });
});

describe('retired-dependency', () => {
  it("fires when a live CI depends on a retired one, by the type's dependent end; not through a none-strength type", async () => {
    const svc = await cmdb(
      [
        ['app', 'application', 'App'],
        ['db', 'database', 'DB', { status: 'retired' }],
        ['cluster', 'cluster', 'Cluster'],
        ['node', 'server', 'Node', { status: 'retired' }],
        ['backup', 'storage', 'Backup'],
        ['gone', 'application', 'Gone', { status: 'retired' }],
      ],
      [
        ['app', 'db', 'depends_on'],
        ['node', 'cluster', 'member_of'], // the cluster depends on its member
        ['backup', 'db', 'backup_of'], // none: no impact
        ['gone', 'db', 'depends_on'], // retired itself
      ],
    );
    const f = await findings(svc, 'retired-dependency');
    expect(f.map((x) => x.keys)).toEqual([
      ['app', 'db'],
      ['cluster', 'node'],
    ]);
    expect(f[0]!.message).toBe(
      'App (app) depends on DB (db), which is retired: point it at what replaced DB (or remove the relationship), or retire it too.',
    );
    expect(f[0]!.severity).toBe('error');
  });

  it('a retired member of a redundancy group: the members left, the number needed, and no "retire it too" for the cluster (found by a tester)', async () => {
    const svc = await cmdb(
      [
        ['cl', 'cluster', 'Cluster'],
        ['h1', 'server', 'Host 1'],
        ['h2', 'server', 'Host 2', { status: 'retired' }],
        ['h3', 'server', 'Host 3', { status: 'retired' }],
        ['h4', 'server', 'Host 4', { status: 'retired' }],
        ['lb', 'load_balancer', 'LB pair'],
        ['n1', 'server', 'Node 1'],
        ['n2', 'server', 'Node 2'],
        ['n3', 'server', 'Node 3', { status: 'retired' }],
        ['q', 'cluster', 'Quorum'],
        ['v1', 'server', 'Voter 1'],
        ['v2', 'server', 'Voter 2', { status: 'retired' }],
      ],
      [
        ['h1', 'cl', 'member_of', 'hosts'],
        ['h2', 'cl', 'member_of', 'hosts'],
        ['h3', 'cl', 'member_of', 'hosts'],
        ['h4', 'cl', 'member_of', 'hosts'],
        ['lb', 'n1', 'depends_on', 'nodes'],
        ['lb', 'n2', 'depends_on', 'nodes'],
        ['lb', 'n3', 'depends_on', 'nodes'],
        ['v1', 'q', 'member_of', 'voters', 2],
        ['v2', 'q', 'member_of', 'voters', 2],
      ],
    );
    const f = await findings(svc, 'retired-dependency');
    const of = (keys: string[]) => f.find((x) => x.keys.join() === keys.join())?.message;
    expect(of(['cl', 'h2'])).toBe(
      'Cluster (cl) depends on Host 2 (h2), which is retired, in its redundancy group "hosts": 1 of its 4 members is not retired and it needs 1, so it has no spare: losing that one takes it down. Remove the relationship to Host 2, and link what replaced it into the group.',
    );
    expect(of(['lb', 'n3'])).toContain('in its redundancy group "nodes": 2 of its 3 members are not retired and it needs 1, 1 spare.');
    expect(of(['q', 'v2'])).toContain(
      'in its redundancy group "voters": 1 of its 2 members is not retired and it needs 2, so it counts as down whatever stays up.',
    );
    for (const x of f) expect(x.message).not.toContain('retire it too');
  });
});

describe('hard-cycle', () => {
  it('lists a cycle of hard dependencies in order; a cycle through a soft dependency is not one', async () => {
    const svc = await cmdb(
      [
        ['a', 'application', 'A'],
        ['b', 'application', 'B'],
        ['c', 'application', 'C'],
        ['x', 'application', 'X'],
        ['y', 'application', 'Y'],
        ['s', 'server', 'S'],
      ],
      [
        ['a', 'b', 'depends_on'],
        ['b', 'c', 'runs_on'],
        ['c', 'a', 'hosted_on'],
        ['x', 'y', 'depends_on'],
        ['y', 'x', 'uses'], // soft
      ],
    );
    // The store refuses a relationship of a CI with itself; a CMDB written by other tools may hold one.
    svc.db
      .prepare(
        "INSERT INTO relationships(source_id, target_id, type, created_at, updated_at) SELECT id, id, 'depends_on', created_at, updated_at FROM cis WHERE key = 's'",
      )
      .run();
    const f = await findings(svc, 'hard-cycle');
    expect(f.map((x) => x.keys)).toEqual([['a', 'b', 'c'], ['s']]);
    expect(f[0]!.message).toMatch(/^A \(a\) -> B \(b\) -> C \(c\) -> A \(a\): these CIs depend on each other through hard dependencies/);
    expect(f[1]!.message).toContain('S (s) hard-depends on itself');
  });

  it('finds a cycle in a long chain without overflowing the stack', async () => {
    const svc = freshService();
    const n = 20_000;
    const now = '2026-12-01T00:00:00.000Z';
    const ins = svc.db.prepare("INSERT INTO cis(key, type, name, owner, created_at, updated_at) VALUES (?, 'server', ?, 't', ?, ?)");
    const rel = svc.db.prepare(
      "INSERT INTO relationships(source_id, target_id, type, created_at, updated_at) VALUES (?, ?, 'depends_on', ?, ?)",
    );
    svc.db.transaction(() => {
      for (let i = 1; i <= n; i++) ins.run(`c${i}`, `C${i}`, now, now);
      for (let i = 1; i <= n; i++) rel.run(i, i === n ? 1 : i + 1, now, now);
    })();
    const f = await findings(svc, 'hard-cycle');
    expect(f).toHaveLength(1);
    expect(f[0]!.keys.slice(0, 3)).toEqual(['c1', 'c2', 'c3']);
    expect(f[0]!.keys).toHaveLength(n);
  });
});

describe('unsatisfiable-group', () => {
  it("fires when min_up exceeds the group's hard members; not when it can be met", async () => {
    const svc = await cmdb(
      [
        ['app', 'application', 'App'],
        ['db1', 'database', 'DB1'],
        ['db2', 'database', 'DB2'],
        ['web', 'application', 'Web'],
        ['n1', 'server', 'N1'],
        ['n2', 'server', 'N2'],
      ],
      [
        ['app', 'db1', 'depends_on', 'pool', 3],
        ['app', 'db2', 'depends_on', 'pool', 3],
        ['web', 'n1', 'runs_on', 'nodes', 2],
        ['web', 'n2', 'runs_on', 'nodes', 2],
      ],
    );
    const f = await findings(svc, 'unsatisfiable-group');
    expect(f.map((x) => x.keys)).toEqual([['app', 'db1', 'db2']]);
    // Two CIs related twice, in two groups (the other one first): the message names the group at fault, by the relationship's type.
    const twice = await cmdb(
      [
        ['app', 'application', 'App'],
        ['db1', 'database', 'DB1'],
        ['db2', 'database', 'DB2'],
      ],
      [
        ['app', 'db1', 'depends_on', 'hosts'],
        ['app', 'db1', 'runs_on', 'pool', 3],
        ['app', 'db2', 'runs_on', 'pool', 3],
      ],
    );
    expect((await findings(twice, 'unsatisfiable-group'))[0]!.message).toContain('its redundancy group "pool"');
    expect(f[0]!.message).toBe(
      'App (app) needs 3 of its redundancy group "pool" up, but the group has only 2 (DB1 (db1) and DB2 (db2)), so it counts as down whatever stays up: lower min_up to 2 or add the missing members.',
    );
  });
});

describe('mixed-group', () => {
  it('fires on a group of more than one type or min_up (a CMDB written before imports and edits refused one); not on a consistent group', async () => {
    const svc = await cmdb(
      [
        ['app', 'application', 'App'],
        ['db1', 'database', 'DB1'],
        ['db2', 'database', 'DB2'],
        ['web', 'application', 'Web'],
        ['n1', 'server', 'N1'],
        ['n2', 'server', 'N2'],
        ['n3', 'server', 'N3'],
        ['ok', 'application', 'Ok'],
      ],
      [
        ['app', 'db1', 'depends_on', 'pool'],
        ['app', 'db2', 'runs_on', 'other'],
        ['web', 'n1', 'runs_on', 'nodes', 1],
        ['web', 'n2', 'runs_on', 'nodes', 1],
        ['web', 'n3', 'runs_on', 'spare', 2],
        ['ok', 'n1', 'runs_on', 'nodes', 1],
        ['ok', 'n2', 'runs_on', 'nodes', 1],
      ],
    );
    expect(await keysOf(svc, 'mixed-group')).toEqual([]);
    // What an earlier version let an import write: one label over two types, and two min_up in one group.
    svc.db.prepare("UPDATE relationships SET redundancy_group = 'pool' WHERE redundancy_group = 'other'").run();
    svc.db.prepare("UPDATE relationships SET redundancy_group = 'nodes' WHERE redundancy_group = 'spare'").run();
    const f = await findings(svc, 'mixed-group');
    expect(f.map((x) => [x.keys, x.severity])).toEqual([
      [['app', 'db1', 'db2'], 'warning'],
      [['web', 'n1', 'n2', 'n3'], 'warning'],
    ]);
    expect(f[0]!.message).toBe(
      `App (app)'s redundancy group "pool" holds relationships of 2 types (depends_on and runs_on) (members DB1 (db1) and DB2 (db2)); an import or edit no longer makes such a group: put each type in a group of its own (rename the group on one type).`,
    );
    expect(f[1]!.message).toBe(
      `Web (web)'s redundancy group "nodes" holds min_up 1 and 2 (members N1 (n1), N2 (n2) and N3 (n3)); an import or edit no longer makes such a group: give the whole group one min_up (impact takes the largest, 2).`,
    );
    expect(await keysOf(svc, 'mixed-group', { rules: { 'mixed-group': { enabled: false } } })).toEqual([]);
  });
});

describe('unreviewed-type', () => {
  it('one finding per flagged type naming its CIs; none for a reviewed type', async () => {
    const svc = await cmdb([hub, ['w1', 'widget', 'W1'], ['w2', 'widget', 'W2'], ['s', 'server', 'S']], linked(['w1', 'w2', 's']));
    expect(svc.db.prepare("SELECT flagged FROM ci_types WHERE name = 'widget'").pluck().get()).toBe(1);
    const f = await findings(svc, 'unreviewed-type');
    expect(f.map((x) => x.keys)).toEqual([['w1', 'w2']]);
    expect(f[0]!.message).toContain('2 CIs have the type "widget", which an import created and flagged for review');
    svc.db.prepare("UPDATE ci_types SET flagged = 0 WHERE name = 'widget'").run();
    expect(await keysOf(svc, 'unreviewed-type')).toEqual([]);
  });
});

describe('unreviewed-rel-type', () => {
  it('one finding per flagged relationship type an import created, naming the CIs that depend through it, once each; none once reviewed', async () => {
    const svc = await cmdb(
      [hub, ['app', 'application', 'App'], ['db', 'database', 'DB'], ['cache', 'database', 'Cache']],
      linked(['app', 'db', 'cache']),
    );
    // An export's relationship type the registry does not know: the import creates it, flagged, read as a hard depends_on.
    const r = await ok(svc, 'importCsv', {
      relationships: { name: 'rels.csv', content: 'source,target,type\napp,db,frobnicates\napp,cache,frobnicates\ndb,cache,frobnicates\n' },
    });
    expect(r.createdRelTypes).toEqual(['frobnicates']);
    const f = await findings(svc, 'unreviewed-rel-type');
    expect(f.map((x) => [x.keys, x.severity])).toEqual([[['app', 'db'], 'warning']]);
    expect(f[0]!.message).toBe(
      '3 relationships of the type "frobnicates", which an import created and flagged for review, are read as a hard dependency of the source on the target (the source goes down with it), so the impact answers of App (app) and DB (db) rest on that guess: map it to a known type on the next import (in the app, the file card’s “Values to map” box after a dry run; else relTypeValues in a mapping, docs/import.md), or turn this rule off in the rules file if the reading is right.',
    );
    // A flagged type no relationship uses has nothing to say; the rules file turns the rule off.
    svc.db
      .prepare(
        "INSERT INTO rel_types (name, label, reverse_label, dependent, strength, flagged) VALUES ('unused', 'unused', 'unused by', 'source', 'hard', 1)",
      )
      .run();
    expect(await keysOf(svc, 'unreviewed-rel-type')).toEqual([['app', 'db']]);
    expect(await keysOf(svc, 'unreviewed-rel-type', { rules: { 'unreviewed-rel-type': { enabled: false } } })).toEqual([]);
    // Its reading as the registry holds it: a soft type whose target depends.
    svc.db.prepare("UPDATE rel_types SET strength = 'soft', dependent = 'target' WHERE name = 'frobnicates'").run();
    const soft = await findings(svc, 'unreviewed-rel-type');
    expect(soft[0]!.keys).toEqual(['db', 'cache']);
    expect(soft[0]!.message).toContain('are read as a soft dependency of the target on the source (the target is degraded with it)');
    svc.db.prepare("UPDATE rel_types SET flagged = 0 WHERE name = 'frobnicates'").run();
    expect(await keysOf(svc, 'unreviewed-rel-type')).toEqual([]);
  });

  it('for a few CIs (an impact answer), the same finding as the whole report for each CI that depends through the type', async () => {
    const svc = await cmdb(
      [hub, ['app', 'application', 'App'], ['db', 'database', 'DB'], ['other', 'server', 'Other']],
      linked(['app', 'db', 'other']),
    );
    await ok(svc, 'importCsv', { relationships: { name: 'rels.csv', content: 'source,target,type\napp,db,frobnicates\n' } });
    const health = new HealthService(
      svc.db,
      ':memory:',
      () => svc.impacts.indexHolder.get(),
      () => NOW,
    );
    const config = healthConfig(undefined);
    const ids = (keys: string[]) => new Set(keys.map((k) => svc.db.prepare('SELECT id FROM cis WHERE key = ?').pluck().get(k) as number));
    const index = svc.impacts.indexHolder.get();
    expect(rawFindings(svc.db, config, index, NOW, ids(['app'])).raw.filter((f) => f.rule === 'unreviewed-rel-type')).toHaveLength(1);
    // The target does not depend through it, and a CI with no such relationship is not named.
    expect(rawFindings(svc.db, config, index, NOW, ids(['db', 'other'])).raw.filter((f) => f.rule === 'unreviewed-rel-type')).toHaveLength(
      0,
    );
    expect(health.health({ rule: 'unreviewed-rel-type', offset: 0, limit: 10 }).total).toBe(1);
  });
});

describe('rules that name CI types', () => {
  it('warns of a type the CMDB does not have (a typo would exempt nothing, without a word); not of one it has', async () => {
    const svc = await cmdb([hub, ['vm', 'virtual_machine', 'VM']], linked(['vm']));
    const rules = { rules: { orphan: { exemptTypes: ['virtual-machine', 'server'] }, stale: { byType: { vm: 30, server: 60 } } } };
    const r = await ok(svc, 'health', { rules, limit: 0 });
    expect(r.warnings).toEqual([
      `orphan.exemptTypes names "virtual-machine", a type the CMDB's type registry does not know: check the spelling (a type is written as the CIs show it, lower case with _, e.g. virtual_machine), or remove it.`,
      `stale.byType names "vm", a type the CMDB's type registry does not know: check the spelling (a type is written as the CIs show it, lower case with _, e.g. virtual_machine), or remove it.`,
    ]);
    expect((await ok(svc, 'health', { limit: 0 })).warnings).toEqual([]);
  });
});

describe('severity from the rules file', () => {
  it('a finding carries the configured severity', async () => {
    const svc = await cmdb([['lonely', 'server', 'Lonely']]);
    expect((await findings(svc, 'orphan', { rules: { orphan: { severity: 'error' } } }))[0]!.severity).toBe('error');
    expect(healthConfig().severity.orphan).toBe('info');
  });
});
