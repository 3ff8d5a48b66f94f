/**
 * Criticality and status at import: ServiceNow's choice lists (labels and
 * numeric codes, by column) onto the registry's scales without a mapping, a
 * mapping's criticalityValues / statusValues for other words, the file's
 * text kept in criticality_source / status_source, unrecognised values stored
 * as given and named with their counts (preview, dry run, report, CLI text),
 * re-import idempotent, and value maps off the scale refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMappingFile } from '../../electron/cli/import-commands.js';
import { resultLines } from '../../electron/cli/import-output.js';
import { sampleOf, suggestMapping } from '../../electron/cmdb/import/mapping.js';
import { isEnvironmentName } from '../../shared/vocab.js';
import { FieldVocab, MAX_LISTED, unrecognisedInRows, unrecognisedLines, unrecognisedReport } from '../../shared/import-vocab.js';
import { mappingSchema } from '../../shared/import.js';
import { cmdb, ensureCliBuilt, fails, freshService, ok, ROOT, tempDir } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');
const SERVICES = join(FX, 'servicenow-cmdb_ci_service.csv');
const file = (name: string, content: string) => ({ name, content });

/** A spreadsheet with a house criticality scale and status words. */
const GOLD = `id,name,type,criticality,status
a1,alpha,server,Gold,Green
a2,beta,server,Gold,Green
a3,gamma,server,Silver,Green
a4,delta,server,Gold,Retired
a5,epsilon,server,high,Quarantined
a6,zeta,server,Silver,
`;

describe('ServiceNow choice lists', () => {
  it('busines_criticality and operational_status headers are found, and their values land on the scales with the text kept', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: { path: SERVICES } });
    expect(p.suggested.cis).toMatchObject({ criticality: 'busines_criticality', status: 'operational_status', environment: 'used_for' });
    expect(p.unrecognisedValues).toEqual([]);
    const r = await ok(svc, 'importCsv', { cis: { path: SERVICES }, rowsLimit: 0 });
    expect(r.counts).toMatchObject({ created: 6, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const ci = async (key: string) => (await ok(svc, 'getCi', { key })).ci;
    const got = await Promise.all(['b1c001', 'b1c002', 'b1c003', 'b1c004', 'b1c005', 'b1c006'].map(ci));
    expect(got.map((c) => [c.type, c.criticality, c.status])).toEqual([
      ['business_service', 'critical', 'operational'],
      ['business_service', 'high', 'operational'],
      ['business_service', 'medium', 'maintenance'],
      ['business_service', 'low', 'non-operational'],
      ['business_service', 'high', 'standby'],
      ['business_service', 'low', 'retired'],
    ]);
    expect(got[0]!.attributes).toEqual({ install_status: '1', criticality_source: '1 - most critical', status_source: '1' });
    expect(got[4]!.attributes).toMatchObject({ criticality_source: '2 - somewhat critical', status_source: 'DR Standby' });
  });

  it('the same file imported again changes nothing, by the bulk path or the row-by-row one', async () => {
    for (const rowsLimit of [0, 200]) {
      const svc = freshService();
      await ok(svc, 'importCsv', { cis: { path: SERVICES }, rowsLimit });
      const again = await ok(svc, 'importCsv', { cis: { path: SERVICES } });
      expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
      const gold = file('gold.csv', GOLD);
      const mapping = { criticalityValues: { Gold: 'critical' } };
      await ok(svc, 'importCsv', { cis: gold, mapping, rowsLimit });
      expect((await ok(svc, 'importCsv', { cis: gold, mapping })).counts).toMatchObject({ updated: 0, unchanged: 6 });
    }
  });

  it('business_criticality is found too; install_status codes are read by their own list', async () => {
    expect(suggestMapping({ cis: ['name', 'business_criticality', 'install_status'] }).cis).toEqual({
      name: 'name',
      criticality: 'business_criticality',
      status: 'install_status',
    });
    const svc = freshService();
    // Code 7 is "Retired" in install_status but "Pipeline" (planned) in operational_status.
    await ok(svc, 'importCsv', { cis: file('i.csv', 'name,type,install_status\nold,server,7\n') });
    await ok(svc, 'importCsv', { cis: file('o.csv', 'name,type,operational_status\nnew,server,7\n') });
    expect((await ok(svc, 'getCi', { key: 'server:old' })).ci.status).toBe('retired');
    expect((await ok(svc, 'getCi', { key: 'server:new' })).ci.status).toBe('planned');
  });

  it('a row whose operational_status is empty takes its status from install_status, in every path (found by a tester)', async () => {
    const snow =
      'sys_id,name,sys_class_name,operational_status,install_status\n' +
      'k1,WIN-APP-07,Windows Server,,Installed\nk2,old-01,Linux Server,,7\nk3,lnux100,Linux Server,Operational,Retired\nk4,bare,Linux Server,,\n';
    const statuses = async (svc: ReturnType<typeof freshService>) =>
      Promise.all(['k1', 'k2', 'k3', 'k4'].map(async (k) => (await ok(svc, 'getCi', { key: k })).ci.status));
    // Without a mapping and with the wizard's (which names operational_status), into an empty CMDB (the bulk
    // load) and into one that holds CIs; the dry run says the same.
    for (const mapping of [undefined, { cis: { status: 'operational_status' } }]) {
      for (const seeded of [false, true]) {
        const svc = freshService();
        if (seeded) await ok(svc, 'importCsv', { cis: file('seed.csv', 'name,type\nother,server\n') });
        const dry = await ok(svc, 'importCsv', { cis: file('snow.csv', snow), mapping, dryRun: true });
        expect(dry.rows.map((r) => r.changes?.status?.to ?? null)).toEqual(['operational', 'retired', 'operational', null]);
        const r = await ok(svc, 'importCsv', { cis: file('snow.csv', snow), mapping });
        expect(r.unrecognisedValues).toEqual([]);
        expect(await statuses(svc)).toEqual(['operational', 'retired', 'operational', null]);
        // install_status's code 7 is Retired (in operational_status it is Pipeline); the text read is kept.
        expect((await ok(svc, 'getCi', { key: 'k2' })).ci.attributes).toMatchObject({ install_status: '7', status_source: '7' });
        expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toMatchObject({ status_source: 'Installed' });
        // Read again, nothing changes.
        expect((await ok(svc, 'importCsv', { cis: file('snow.csv', snow), mapping })).counts).toMatchObject({ unchanged: 4, updated: 0 });
      }
    }
    // A mapping that reads the status from a column of its own reads it from that column only.
    const svc = freshService();
    const own = 'name,type,Phase,install_status\nweb,server,,Installed\n';
    await ok(svc, 'importCsv', { cis: file('own.csv', own), mapping: { cis: { status: 'Phase' } } });
    expect((await ok(svc, 'getCi', { key: 'server:web' })).ci.status).toBeNull();
  });

  it('a status not on the scale read from install_status is named with the column it stood in for, by the import and by the preview', async () => {
    const snow =
      'sys_id,name,sys_class_name,operational_status,install_status\n' +
      'k1,WIN-APP-07,Windows Server,,Awaiting Rack\nk2,WIN-APP-08,Windows Server,Gold-ish,Awaiting Rack\nk3,WIN-APP-09,Windows Server,,Installed\n';
    const fromFallback = { field: 'status', column: 'install_status', fallbackOf: 'operational_status', value: 'Awaiting Rack', count: 1 };
    const own = { field: 'status', column: 'operational_status', value: 'Gold-ish', count: 1 };
    for (const seeded of [false, true]) {
      const svc = freshService();
      if (seeded) await ok(svc, 'importCsv', { cis: file('seed.csv', 'name,type\nother,server\n') });
      const dry = await ok(svc, 'importCsv', { cis: file('snow.csv', snow), dryRun: true });
      expect(dry.unrecognisedValues).toEqual([own, fromFallback]);
    }
    // The preview reads its rows' status as the import does, and says which columns stand in (the CLI prints them).
    const p = await ok(freshService(), 'previewCsv', { file: file('snow.csv', snow) });
    expect(p.suggested.cis?.status).toBe('operational_status');
    expect(p.statusFallbacks).toEqual({ operational_status: ['install_status'], install_status: ['operational_status'] });
    expect(p.unrecognisedValues).toEqual([own, fromFallback]);
    // A file with one status column has none.
    expect((await ok(freshService(), 'previewCsv', { file: file('gold.csv', GOLD), rows: 3 })).statusFallbacks).toEqual({});
  });

  it('a value later given on the scale drops the kept text; an export that carries it keeps it', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type,criticality\nk1,one,server,1 - most critical\n') });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toEqual({ criticality_source: '1 - most critical' });
    const r = await ok(svc, 'importCsv', { cis: file('b.csv', 'id,name,type,criticality\nk1,one,server,critical\n') });
    expect(r.counts.updated).toBe(1);
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toEqual({});
    const trip = 'id,name,type,criticality,criticality_source\nk1,one,server,critical,1 - most critical\n';
    await ok(svc, 'importCsv', { cis: file('c.csv', trip) });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toEqual({ criticality_source: '1 - most critical' });
    expect((await ok(svc, 'importCsv', { cis: file('c.csv', trip) })).counts.unchanged).toBe(1);
  });

  it('an emptied cell drops the kept text with the value; a default fills it again, the same file again changes nothing', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type,criticality,status\nk1,one,server,1 - most critical,Live\n') });
    expect((await ok(svc, 'getCi', { key: 'k1' })).ci.attributes).toEqual({
      criticality_source: '1 - most critical',
      status_source: 'Live',
    });
    await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type,criticality,status\nk1,one,server,,\n') });
    const emptied = (await ok(svc, 'getCi', { key: 'k1' })).ci;
    expect([emptied.criticality, emptied.status, emptied.attributes]).toEqual([null, null, {}]);
    // The mapping's defaults fill an empty cell of an existing CI as of a new one.
    const mapping = { ciDefaults: { environment: 'production', criticality: 'high' } };
    const withDefaults = { cis: file('b.csv', 'id,name,type,environment,criticality\nk1,one,server,,\nk2,two,server,,\n'), mapping };
    const first = await ok(svc, 'importCsv', withDefaults);
    expect(first.counts).toMatchObject({ created: 1, updated: 1 });
    for (const key of ['k1', 'k2']) {
      const ci = (await ok(svc, 'getCi', { key })).ci;
      expect([ci.environment, ci.criticality]).toEqual(['production', 'high']);
    }
    expect((await ok(svc, 'importCsv', { ...withDefaults, dryRun: true })).counts).toMatchObject({ updated: 0, unchanged: 2 });
    expect((await ok(svc, 'importCsv', withDefaults)).counts).toMatchObject({ updated: 0, unchanged: 2 });
  });
});

describe('unrecognised values', () => {
  it('are stored as given and named with their counts in the preview, the dry run and the report', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: file('gold.csv', GOLD), rows: 3 });
    // The preview reads the rows it shows.
    expect(p.unrecognisedValues).toEqual([
      { field: 'criticality', column: 'criticality', value: 'Gold', count: 2 },
      { field: 'criticality', column: 'criticality', value: 'Silver', count: 1 },
      { field: 'status', column: 'status', value: 'Green', count: 3 },
    ]);
    const dry = await ok(svc, 'importCsv', { cis: file('gold.csv', GOLD), dryRun: true });
    const expected = [
      { field: 'criticality', column: 'criticality', value: 'Gold', count: 3 },
      { field: 'criticality', column: 'criticality', value: 'Silver', count: 2 },
      { field: 'status', column: 'status', value: 'Green', count: 3 },
      { field: 'status', column: 'status', value: 'Quarantined', count: 1 },
    ];
    expect(dry.unrecognisedValues).toEqual(expected);
    const done = await ok(svc, 'importCsv', { cis: file('gold.csv', GOLD), rowsLimit: 0 });
    expect(done.unrecognisedValues).toEqual(expected);
    const a1 = (await ok(svc, 'getCi', { key: 'a1' })).ci;
    expect([a1.criticality, a1.status, a1.attributes]).toEqual(['Gold', 'Green', {}]);
    const a4 = (await ok(svc, 'getCi', { key: 'a4' })).ci;
    expect([a4.status, a4.attributes]).toEqual(['retired', {}]); // "Retired": only its case differs, nothing kept
    const lines = resultLines(done, {}, undefined);
    const at = lines.indexOf("Values not on the registry's scales:");
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "  criticality: 'Gold' x 3, 'Silver' x 2 not on the scale critical/high/medium/low; stored as given. Map them with criticalityValues in the mapping.",
      "  status: 'Green' x 3, 'Quarantined' x 1 not on the scale operational/non-operational/maintenance/standby/planned/retired; stored as given. Map them with statusValues in the mapping.",
    ]);
    expect(resultLines({ ...done, unrecognisedValues: done.unrecognisedValues.slice(3) }, {}, undefined)).toContain(
      "Values not on the registry's scales: status: 'Quarantined' x 1 not on the scale operational/non-operational/maintenance/standby/planned/retired; stored as given. Map them with statusValues in the mapping.",
    );
  });

  it('a mapping translates them (by exact text, then case and spacing aside); what it leaves out is still named', async () => {
    const svc = freshService();
    const mapping = { criticalityValues: { gold: 'Critical', Silver: 'high' }, statusValues: { Green: 'operational' } };
    const r = await ok(svc, 'importCsv', { cis: file('gold.csv', GOLD), mapping });
    expect(r.unrecognisedValues).toEqual([{ field: 'status', column: 'status', value: 'Quarantined', count: 1 }]);
    const a1 = (await ok(svc, 'getCi', { key: 'a1' })).ci;
    expect([a1.criticality, a1.status]).toEqual(['critical', 'operational']);
    expect(a1.attributes).toEqual({ criticality_source: 'Gold', status_source: 'Green' });
    expect((await ok(svc, 'getCi', { key: 'a3' })).ci.criticality).toBe('high');
    // The preview reads with value maps too (the wizard's own mapping).
    expect(unrecognisedInRows(['c'], [['Gold'], ['Bronze']], { criticality: 'c' }, { criticalityValues: { Gold: 'low' } })).toEqual([
      { field: 'criticality', column: 'c', value: 'Bronze', count: 1 },
    ]);
  });

  it('each distinct text is looked up once; past the values remembered, the rest are summed in a warning', () => {
    const v = new FieldVocab('criticality', 'Tier', undefined);
    for (let i = 0; i < 3; i++) expect(v.normalise('1 - Most Critical')).toBe('critical');
    for (let i = 0; i < 10_050; i++) v.normalise(`tier-${i}`);
    v.normalise('tier-1');
    const report = unrecognisedReport([v]);
    expect(report.values).toHaveLength(MAX_LISTED);
    expect(report.values[0]).toEqual({ field: 'criticality', column: 'Tier', value: 'tier-1', count: 2 });
    // 9,999 remembered (one slot holds the recognised text), 100 listed: 9,899 + 51 not remembered.
    expect(report.warnings).toEqual([
      '9950 more rows hold criticality values not on the scale beyond the 100 listed; they were stored as given.',
    ]);
    expect(unrecognisedLines([])).toEqual([]);
  });
});

describe('mappings with value maps and defaults', () => {
  it('a value map target off the scale is refused with a clear message, at import, in a mapping file and as a profile', async () => {
    const svc = freshService();
    const bad = { criticalityValues: { Gold: 'urgent' } };
    const e = await fails(svc, 'importCsv', { cis: file('gold.csv', GOLD), mapping: bad });
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toContain(
      'criticalityValues maps "Gold" to "urgent", which is not on the criticality scale (critical, high, medium, low). Map each value to one of those.',
    );
    expect((await fails(svc, 'saveMappingProfile', { name: 'x', mapping: bad })).message).toMatch(/not on the criticality scale/);
    const path = join(tempDir(), 'm.json');
    writeFileSync(path, JSON.stringify({ statusValues: { Green: 'up and running' } }));
    expect(() => readMappingFile(path)).toThrow(
      /statusValues\.Green: statusValues maps "Green" to "up and running", which is not on the status scale/,
    );
    expect(mappingSchema.safeParse({ ciDefaults: { criticality: 'Gold' } }).error?.issues[0]?.message).toBe(
      'the default criticality "Gold" is not on the criticality scale (critical, high, medium, low) nor a word for one. Give one of those, or map it in criticalityValues.',
    );
  });

  it('defaults are normalised too; a profile keeps its value maps', async () => {
    const svc = freshService();
    const mapping = { ciDefaults: { criticality: 'Gold', status: 'Installed' }, criticalityValues: { Gold: 'critical' } };
    await ok(svc, 'saveMappingProfile', { name: 'house', mapping });
    expect((await ok(svc, 'listMappingProfiles', {})).items[0]!.mapping).toEqual(mapping);
    await ok(svc, 'importCsv', { cis: file('d.csv', 'name,type\nsolo,server\n'), profile: 'house' });
    expect((await ok(svc, 'getCi', { key: 'server:solo' })).ci).toMatchObject({ criticality: 'critical', status: 'operational' });
  });
});

describe('cmdb preview and cmdb import --dry-run', () => {
  it('name the values off the scales for a person, and carry them in --json', () => {
    ensureCliBuilt();
    const path = join(tempDir(), 'gold.csv');
    writeFileSync(path, GOLD);
    const p = cmdb(['preview', path, '--rows', '3']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain("Values not on the registry's scales (in the 3 rows shown):");
    expect(p.stdout).toContain("  criticality: 'Gold' x 2, 'Silver' x 1 not on the scale critical/high/medium/low;");
    const dry = cmdb(['import', '--db', join(tempDir(), 'x.db'), '--cis', path, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("  status: 'Green' x 3, 'Quarantined' x 1 not on the scale operational/non-operational/");
    const json = cmdb(['import', '--db', join(tempDir(), 'x.db'), '--cis', path, '--dry-run', '--json']);
    expect(JSON.parse(json.stdout).unrecognisedValues).toHaveLength(4);
    // A status read from install_status where operational_status is empty: the preview says where it reads it
    // from, and each value read there is named with its column.
    const snow = join(tempDir(), 'snow.csv');
    writeFileSync(
      snow,
      'name,sys_class_name,operational_status,install_status\nw7,server,,Awaiting Rack\nw8,server,Awaiting Rack,Installed\n',
    );
    const sp = cmdb(['preview', snow]);
    expect(sp.stdout).toContain('  status           <- operational_status, or where it is empty install_status');
    expect(sp.stdout).toContain("status: 'Awaiting Rack' x 1, 'Awaiting Rack' x 1 (in install_status) not on the scale");
  });
});

describe('values that spell what every object has', () => {
  it('`constructor`, `__proto__`, `valueOf` are unknown words: stored as given and named, types created; the import does not fail', async () => {
    const svc = freshService();
    const cis = file(
      'odd.csv',
      'id,name,type,status,criticality\nc1,one,constructor,__proto__,valueOf\nc2,two,server,constructor,toString\n',
    );
    const rels = file('odd-rels.csv', 'source,target,type\nc1,c2,constructor\nc2,c1,Hosts::constructor\n');
    const r = await ok(svc, 'importCsv', { cis, relationships: rels, mapping: { typeValues: {}, relTypeValues: {} } });
    expect(r.counts).toMatchObject({ created: 2, rejected: 0, relationshipsCreated: 2, relationshipsRejected: 0 });
    expect(r.createdTypes).toEqual(['constructor']);
    expect(r.createdRelTypes).toEqual(['constructor']);
    expect((await ok(svc, 'getCi', { key: 'c1' })).ci).toMatchObject({ type: 'constructor', status: '__proto__', criticality: 'valueOf' });
    expect(r.unrecognisedValues.map((u) => `${u.field} ${u.value}`).sort()).toEqual([
      'criticality toString',
      'criticality valueOf',
      'status __proto__',
      'status constructor',
    ]);
  });
});

describe('synonyms taken only when the values agree', () => {
  const headers = ['name', 'type', 'service_level', 'in_service'];
  it('service_level is the environment and in_service the status only when the sampled values are environments and yes/no', () => {
    const sample = (rows: string[][]) => sampleOf(rows);
    // Headers alone cannot tell: neither is taken.
    expect(suggestMapping({ cis: headers }).cis).toEqual({ name: 'name', type: 'type' });
    expect(
      suggestMapping({
        cis: headers,
        cisSample: sample([
          ['a', 'server', 'Production', 'yes'],
          ['b', 'server', ' QA ', 'No'],
        ]),
      }).cis,
    ).toEqual({
      name: 'name',
      type: 'type',
      environment: 'service_level',
      status: 'in_service',
    });
    // Empty cells say nothing either way; a column with none filled is not taken.
    expect(
      suggestMapping({
        cis: headers,
        cisSample: sample([
          ['a', 'server', '', ''],
          ['b', 'server', 'dev', ''],
        ]),
      }).cis,
    ).toEqual({
      name: 'name',
      type: 'type',
      environment: 'service_level',
    });
    // One tier or one date among them, and the column stays an attribute.
    expect(
      suggestMapping({
        cis: headers,
        cisSample: sample([
          ['a', 'server', 'Production', 'yes'],
          ['b', 'server', 'Gold', '2019-04-01'],
        ]),
      }).cis,
    ).toEqual({ name: 'name', type: 'type' });
  });
  it('environment names: punctuation, case and spacing aside; tiers, hours and hosts are not', () => {
    for (const v of ['Production', 'PROD', 'Pre-Prod', 'pre production', 'UAT', 'Non-Prod', 'DR', 'dev'])
      expect(isEnvironmentName(v), v).toBe(true);
    for (const v of ['Gold', '24x7', 'Business hours', 'Tier 1', 'srv-prod-01', '', 'constructor'])
      expect(isEnvironmentName(v), v).toBe(false);
  });
});

describe('status and criticality words of other tools and sheets (found by a tester)', () => {
  it('French iTop and GLPI states, Online/Enabled/Disabled, and P1-P5 or "1 - Critical" land on the scales', async () => {
    const svc = freshService();
    const csv = `id,name,type,status,criticality
f1,F1,server,Implémentation,P1
f2,F2,server,Obsolète,P2
f3,F3,server,En stock,P3
f4,F4,server,En réparation,P4
f5,F5,server,Réformé,P5
f6,F6,server,Online,1 - Critical
f7,F7,server,Disabled,2 - High
f8,F8,server,Enabled,Priority 3
f9,F9,server,EOL,4 - Low
f10,F10,server,En service,sev1
`;
    const r = await ok(svc, 'importCsv', { cis: file('sheet.csv', csv) });
    // EOL (out of vendor support, often still running) and Sev1 say nothing the scales hold: named, stored as given.
    expect(r.unrecognisedValues.map((u) => [u.field, u.value])).toEqual([
      ['criticality', 'sev1'],
      ['status', 'EOL'],
    ]);
    const got = (k: string) => ok(svc, 'getCi', { key: k }).then((d) => [d.ci.status, d.ci.criticality]);
    expect(await Promise.all(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'].map(got))).toEqual([
      ['planned', 'critical'],
      ['retired', 'high'],
      ['non-operational', 'medium'],
      ['maintenance', 'low'],
      ['retired', 'low'],
      ['operational', 'critical'],
      ['non-operational', 'high'],
      ['operational', 'medium'],
      ['EOL', 'low'],
      ['operational', 'sev1'],
    ]);
  });
});

describe("a new user's inventory (found by a tester)", () => {
  it('"In Production" is operational, and an Application Name column is the name, without a mapping', async () => {
    const svc = freshService();
    const csv =
      'Asset Tag;Application Name;CI Class;Lifecycle Status\nAT-1;Order Portal;Application;In Production\nAT-2;HR Portal;Application;In Prod\n';
    const p = await ok(svc, 'previewCsv', { file: file('apps.csv', csv) });
    expect(p.suggested.cis).toMatchObject({ name: 'Application Name' });
    const r = await ok(svc, 'importCsv', { cis: file('apps.csv', csv) });
    expect(r.unrecognisedValues).toEqual([]);
    expect((await ok(svc, 'getCi', { key: 'AT-1' })).ci).toMatchObject({ name: 'Order Portal', status: 'operational' });
    expect((await ok(svc, 'getCi', { key: 'AT-2' })).ci.status).toBe('operational');
    // Beside a column of hosts it is the application each server runs, not the server's name (found by a reviewer).
    const servers = await ok(svc, 'previewCsv', {
      file: file('servers.csv', 'Asset Tag,Server,Application Name,Type\nA1,srv-01,Payroll,server\n'),
    });
    expect(servers.suggested.cis?.name).toBeUndefined();
  });
});

describe("a column whose words are partly not the scale's (found by a tester)", () => {
  // A CAB sheet: its Status is the change's state, of which Planned and Closed are status words too.
  const sheet =
    'CI,CI type,Status,Priority\napp-payments,Application,Approved,P2\ndb-pay-01,Database,Scheduled,P3\ndb-pay-02,Database,Planned,P3\nlb-01,Load balancer,Closed,P4\n';

  it('says how its known words were read, and to leave the column out if it is not the field; in the wizard in its words', async () => {
    const svc = freshService();
    const dry = await ok(svc, 'importCsv', {
      cis: file('cab.csv', sheet),
      mapping: { cis: { name: 'CI', type: 'CI type' } },
      dryRun: true,
    });
    expect(dry.warnings).toContain(
      'Column Status: "Approved", "Scheduled" are states of a change, not of a CI, and the column\'s other words would be read as the CIs\' status: "Planned" as planned, "Closed" as retired. If the column is a change\'s state, leave the column out of the import (its header under "ignore": { "cis": [...] } in a mapping) and import it again.',
    );
    const done = await ok(freshService(':memory:', 'ui'), 'importCsv', {
      cis: file('cab.csv', sheet),
      mapping: { cis: { name: 'CI', type: 'CI type' } },
    });
    expect(done.warnings.find((w) => w.startsWith('Column Status:'))).toContain(
      'set that field to no column in the file’s column mapping, undo this import and import it again.',
    );
    // Left out as it says: no status read, and no note.
    const svc2 = freshService();
    const left = await ok(svc2, 'importCsv', {
      cis: file('cab.csv', sheet),
      mapping: { cis: { name: 'CI', type: 'CI type' }, ignore: { cis: ['Status'] } },
    });
    expect(left.warnings.filter((w) => w.startsWith('Column'))).toEqual([]);
    expect(svc2.db.prepare('SELECT count(*) FROM cis WHERE status IS NOT NULL').pluck().get()).toBe(0);
    // A typo among an export's own words is an unknown word, reported as ever, with no note on the column (found by a reviewer).
    const typo = await ok(freshService(), 'importCsv', {
      cis: file('t.csv', 'id,name,type,status\na,A,server,Operational\nb,B,server,Operationl\nc,C,server,Retired\n'),
      dryRun: true,
    });
    expect(typo.warnings).toEqual([]);
    expect(typo.unrecognisedValues.map((u) => u.value)).toEqual(['Operationl']);
    // A column of known words only gets no note.
    const plain = await ok(freshService(), 'importCsv', {
      cis: file('s.csv', 'id,name,type,status\na,A,server,Planned\nb,B,server,Live\n'),
      dryRun: true,
    });
    expect(plain.warnings).toEqual([]);
  });
});

describe('rows Excel writes short (found by a tester)', () => {
  // Excel leaves out the delimiters of a block's empty last cells: rows 17 to 20 have 3 fields under a header of 5.
  const full = Array.from({ length: 16 }, (_, i) => `srv-${i + 1};Server ${i + 1};server;Live;team-a`);
  const short = Array.from({ length: 4 }, (_, i) => `srv-${i + 17};Server ${i + 17};server`);
  const csv = ['id;name;type;status;owner', ...full, ...short].join('\r\n') + '\r\n';

  it('are refused by default, the message saying why a row may be short and what to do; "shortRows": "empty" reads them, by either path', async () => {
    for (const first of [null, 'id,name,type\nother,Other,server\n']) {
      const svc = freshService();
      // A CMDB with a CI takes the row-by-row path; an empty one the bulk path.
      if (first) await ok(svc, 'importCsv', { cis: file('first.csv', first) });
      const refused = await ok(svc, 'importCsv', { cis: file('excel.csv', csv), dryRun: true });
      expect(refused.errors.map((e) => e.line)).toEqual([18, 19, 20, 21]);
      expect(refused.errors[0]!.message).toBe(
        'ragged row: it has 3 fields but the header has 5. Check for a missing delimiter; if its last 2 cells are empty in the sheet (Excel leaves out their delimiters in some rows), read missing last cells as empty with "shortRows": "empty" in the mapping.',
      );
      const done = await ok(svc, 'importCsv', { cis: file('excel.csv', csv), mapping: { shortRows: 'empty' } });
      expect(done.counts).toMatchObject({ created: 20, rejected: 0 });
      const s17 = (await ok(svc, 'getCi', { key: 'srv-17' })).ci;
      expect([s17.name, s17.status, s17.owner]).toEqual(['Server 17', null, null]);
      // A row with more fields than the header is still refused.
      const long = await ok(svc, 'importCsv', {
        cis: file('long.csv', 'id;name;type\nx1;X1;server;extra\n'),
        mapping: { shortRows: 'empty' },
        dryRun: true,
      });
      expect(long.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^ragged row: it has 4 fields but the header has 3/)]);
    }
  });

  it('a row that runs on past a line end of another kind is not read short, and a quoted line break is no mixed line end (found by a tester)', async () => {
    const svc = freshService();
    // CRLF rows, one ending in LF: it and the next are read as one row of 7 fields under 8; padded, web-03 was lost into web-02.
    const mixed =
      'id,name,type,owner,environment,status,criticality,description\r\nweb-01,Web 01,server,a,production,Live,low,x\r\nweb-02,Web 02,server\nweb-03,Web 03,server,,\r\n';
    const refused = await ok(svc, 'importCsv', { cis: file('mixed.csv', mixed), mapping: { shortRows: 'empty' }, dryRun: true });
    expect(refused.errors.map((e) => [e.line, e.message])).toEqual([
      [3, expect.stringContaining('the file mixes line ends (CRLF and LF)')],
    ]);
    // Two rows run together into as many fields as the header: refused too, not read as one CI of type "server\nweb-03".
    const even = 'id,name,type,owner\r\nweb-01,Web 01,server,a\r\nweb-02,Web 02,server\nweb-03,Web 03\r\n';
    const runOn = await ok(svc, 'importCsv', { cis: file('even.csv', even), dryRun: true });
    expect(runOn.errors.map((e) => [e.line, e.message])).toEqual([
      [3, expect.stringMatching(/^row runs on: it holds a line break outside quotes\. It runs on past a line end of another kind/)],
    ]);
    // A quoted field elsewhere in the record does not hide a bare line break in another (found by a reviewer).
    const quotedElsewhere = 'id,name,type,owner\r\n"web-02",Web 02,server\nweb-03,x\r\n';
    const q = await ok(svc, 'importCsv', { cis: file('q.csv', quotedElsewhere), dryRun: true });
    expect(q.errors.map((e) => [e.line, e.message])).toEqual([[2, expect.stringContaining('the file mixes line ends (CRLF and LF)')]]);
    // A row's own line end at its end joins nothing: LF rows after a CRLF one, and the other way, import (found by a reviewer).
    const ends = await ok(svc, 'importCsv', {
      cis: file('ends.csv', 'id,name,type,owner\nweb-11,Web 11,server,a\r\nweb-12,Web 12,server,b\n'),
    });
    expect([ends.counts.created, ends.errors]).toEqual([2, []]);
    // LF rows, a quoted value holding a line break, the owner cell missing: short, not mixed line ends.
    const quoted = 'id,name,type,description,owner\nweb-01,Web 01,server,"line one\nline two"\n';
    const short = await ok(svc, 'importCsv', { cis: file('quoted.csv', quoted), dryRun: true });
    expect(short.errors.map((e) => e.message)).toEqual([expect.stringContaining('Excel leaves out their delimiters in some rows')]);
    const read = await ok(svc, 'importCsv', { cis: file('quoted.csv', quoted), mapping: { shortRows: 'empty' } });
    expect(read.counts.created).toBe(1);
    expect((await ok(svc, 'getCi', { key: 'web-01' })).ci.description).toBe('line one\nline two');
  });
});
