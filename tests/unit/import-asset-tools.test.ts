/**
 * Exports of asset and inventory tools (tests/fixtures/import), imported the
 * way docs/import.md says: an iTop export written with field codes
 * (`business_criticity`, `org_id_friendlyname`, `finalclass`), a Lansweeper
 * report as a German Windows writes it (Windows-1252, semicolons, dates as
 * 03.11.2026), a Snipe-IT custom asset report (`Ready to Deploy (deployed)`,
 * a `Type` that is the checkout's), a Freshservice asset export, a Device42 device export (`service_level`,
 * `in_service`, `virtual_host`), Windows PowerShell's Export-Csv (its `#TYPE`
 * line above the header), an Excel "CSV UTF-8" sheet saved with a
 * European list separator, and a kubectl custom-columns table, which is not
 * CSV and is refused saying so. A refused import leaves the CMDB as it was.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../shared/import.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { dumpDb, fails, freshService, ok, ROOT, tempDir } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');
const fx = (name: string) => ({ path: join(FX, name) });

async function ciOf(svc: CmdbService, key: string) {
  return (await ok(svc, 'getCi', { key })).ci;
}

describe('iTop, exported with field codes', () => {
  it('business_criticity is the criticality, iTop statuses on the scale, cells with quotes and line breaks kept', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('itop-server-codes.csv') });
    expect(p.suggested.cis).toEqual({
      id: 'id',
      name: 'name',
      status: 'status',
      criticality: 'business_criticity',
      description: 'description',
    });
    const r = await ok(svc, 'importCsv', {
      cis: fx('itop-server-codes.csv'),
      mapping: { cis: { owner: 'org_id_friendlyname' }, ciDefaults: { type: 'server' } },
    });
    expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    expect(await ciOf(svc, '1')).toMatchObject({
      name: 'SRV-LYO-01',
      status: 'operational',
      criticality: 'high',
      owner: 'Demo',
      description: 'Serveur web "front" principal',
    });
    const old = await ciOf(svc, '4');
    expect(old).toMatchObject({ status: 'retired', criticality: 'low', description: 'Remplacé par SRV-GRE-01\n(décommissionné)' });
    expect(old.attributes).toMatchObject({ move2production: '2014-06-01', location_id_friendlyname: 'Grenoble' });
    // No location: iTop writes 0 and an empty name; the empty name leaves no attribute.
    expect((await ciOf(svc, '3')).attributes).not.toHaveProperty('location_id_friendlyname');
  });

  it("a Functional CI export: finalclass is the type, iTop's classes on the registry's types", async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('itop-functionalci.csv') });
    expect(r.counts).toMatchObject({ created: 10, rejected: 0 });
    // PC has no equivalent: created and flagged. Every other class lands on a registry type.
    expect(r.createdTypes).toEqual(['pc']);
    const types: Record<string, string> = {};
    for (const key of ['12', '31', '44', '45', '52', '53', '60', '71', '80']) types[key] = (await ciOf(svc, key)).type;
    expect(types).toEqual({
      '12': 'application',
      '31': 'server',
      '44': 'virtual_machine',
      '45': 'hypervisor',
      '52': 'database',
      '53': 'database',
      '60': 'application',
      '71': 'network_device',
      '80': 'business_service',
    });
    expect((await ciOf(svc, '12')).criticality).toBe('high');
  });
});

describe('iTop links, exported with field codes', () => {
  it('the ids of both ends are the keys of the Functional CI export: no name lookup, one type for every row', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: fx('itop-functionalci.csv') });
    const r = await ok(svc, 'importCsv', {
      relationships: fx('itop-lnk-appsolution-fci-codes.csv'),
      mapping: { relationships: { source: 'applicationsolution_id', target: 'functionalci_id' }, relDefaults: { type: 'depends_on' } },
    });
    expect(r.counts).toMatchObject({ relationshipsCreated: 3, relationshipsRejected: 0 });
    const impact = await ok(svc, 'impact', { keys: ['52'] });
    expect(impact.impacted.map((c) => `${c.name} ${c.state}`)).toContain('Portail Client down');
  });
});

describe('Lansweeper, a report exported on a German Windows', () => {
  it('Windows-1252 and semicolons detected; Statename is the status; European dates and umlauts kept as written', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('lansweeper-report-cp1252.csv') });
    expect(p).toMatchObject({ encoding: 'windows1252', delimiter: ';' });
    expect(p.suggested.cis).toMatchObject({ id: 'AssetID', name: 'AssetName', type: 'AssetTypename', status: 'Statename' });
    const r = await ok(svc, 'importCsv', {
      cis: fx('lansweeper-report-cp1252.csv'),
      mapping: { typeValues: { Windows: 'server', Linux: 'server', Switch: 'network_device' } },
    });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const statuses: Record<string, string | null> = {};
    for (const key of ['12', '27', '44']) statuses[key] = (await ciOf(svc, key)).status;
    expect(statuses).toEqual({ '12': 'operational', '27': 'maintenance', '44': 'retired' });
    expect(await ciOf(svc, '12')).toMatchObject({
      description: 'Domänencontroller Büro München',
      attributes: { Lastseen: '03.11.2026 14:22:05', Purchasedate: '15.03.2022', Serialnumber: '7HXK2Q3' },
    });
    expect((await ciOf(svc, '13')).description).toBe('Dateiserver; Abteilung Vertrieb');
    expect((await ciOf(svc, '44')).attributes.Username).toBe('j.weiß');
  });
});

describe('Snipe-IT, a custom asset report', () => {
  const mapping: Mapping = {
    cis: { id: 'Asset Tag', name: 'Asset Tag', type: 'Category' },
    typeValues: { Servers: 'server', Storage: 'storage' },
  };

  it('as a new user meets it: assets without a name are named rows, and the refused import changes nothing', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: fx('itop-server-codes.csv'), mapping: { ciDefaults: { type: 'server' } } });
    const before = dumpDb(svc.db);
    const p = await ok(svc, 'previewCsv', { file: fx('snipeit-custom-report.csv') });
    // The report's Type is what an asset is checked out to (user, location): preview shows it, docs say to map Category.
    expect(p.suggested.cis).toMatchObject({ id: 'ID', name: 'Asset Name', type: 'Type', status: 'Status' });
    const r = await fails(svc, 'importCsv', { cis: fx('snipeit-custom-report.csv') });
    expect(r.message).toContain('snipeit-custom-report.csv line 2, column Asset Name: missing required value: the CI name');
    expect(dumpDb(svc.db)).toBe(before);
  });

  it('keyed and named by asset tag, typed by category: each `LABEL (META)` status on the scale', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('snipeit-custom-report.csv'), mapping });
    expect(r.counts).toMatchObject({ created: 7, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const statuses: Record<string, string | null> = {};
    for (let n = 1; n <= 7; n++) statuses[n] = (await ciOf(svc, `ACME-00000${n}`)).status;
    expect(statuses).toEqual({
      // Checked out: in use, whatever its label says.
      1: 'operational',
      2: 'standby',
      3: 'operational',
      4: 'maintenance',
      5: 'retired',
      6: 'retired',
      7: 'planned',
    });
    expect(await ciOf(svc, 'ACME-000003')).toMatchObject({
      type: 'server',
      attributes: { 'Asset Name': 'srv-build-01', Cost: '7,450.00', Type: 'location', status_source: 'Ready to Deploy (deployed)' },
    });
    expect((await ciOf(svc, 'ACME-000001')).attributes.Model).toBe('MacBook Pro 14"');
  });
});

describe('Freshservice, an asset export', () => {
  it('needs no mapping: Asset Tag keys, Asset Type types, the state and impact on their scales, the managing group as owner', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('freshservice-assets.csv') });
    expect(p.suggested.cis).toEqual({
      id: 'Asset Tag',
      name: 'Display Name',
      type: 'Asset Type',
      status: 'Asset State',
      owner: 'Managed By Group',
      criticality: 'Impact',
      description: 'Description',
    });
    const r = await ok(svc, 'importCsv', { cis: fx('freshservice-assets.csv'), mapping: { typeValues: { Software: 'application' } } });
    expect(r.counts).toMatchObject({ created: 6, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    expect(r.createdTypes).toEqual([]);
    expect(await ciOf(svc, 'ASSET-103')).toMatchObject({
      name: 'pay-db',
      type: 'database',
      status: 'operational',
      owner: 'DBA Team',
      criticality: 'high',
      description: 'Ledger database (PostgreSQL 15, primary)',
      attributes: { 'Managed By': 'Lee Wong', Hostname: 'pay-db.corp.example', status_source: 'In Use' },
    });
    const states: Record<string, string | null> = {};
    for (const key of ['ASSET-077', 'ASSET-140', 'ASSET-009']) states[key] = (await ciOf(svc, key)).status;
    expect(states).toEqual({ 'ASSET-077': 'non-operational', 'ASSET-140': 'non-operational', 'ASSET-009': 'retired' });
    expect((await ciOf(svc, 'ASSET-009')).type).toBe('application');
  });
});

describe("Snipe-IT's older reports: a UTF-16 byte-order mark in front of UTF-8", () => {
  it('the depreciation report reads as the UTF-8 it is, and the import log keeps the digest of the whole file', async () => {
    const svc = freshService();
    const path = join(FX, 'snipeit-depreciation-report.csv');
    const p = await ok(svc, 'previewCsv', { file: { path } });
    expect(p).toMatchObject({ encoding: 'utf8', delimiter: ',' });
    expect(p.headers).toEqual(['Asset Tag', 'Asset', 'Serial', 'Checked Out', 'Location', 'Purchased', 'Cost', 'Current Value', 'Diff']);
    const r = await ok(svc, 'importCsv', {
      cis: { path },
      mapping: { cis: { id: 'Asset Tag', name: 'Asset Tag' }, ciDefaults: { type: 'server' } },
    });
    expect(r.counts).toMatchObject({ created: 3, rejected: 0 });
    expect((await ciOf(svc, 'ACME-000003')).attributes).toMatchObject({ Asset: 'srv-build-01', Cost: '€7,450.00' });
    const log = await ok(svc, 'listImports', {});
    expect(log.items[0]!.contentHash).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });
});

describe('Device42, a device export', () => {
  it('device_id, service_level and in_service found; virtual_host read as runs_on from the same file', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('device42-devices.csv') });
    expect(p.suggested.cis).toMatchObject({
      id: 'device_id',
      name: 'name',
      type: 'type',
      status: 'in_service',
      environment: 'service_level',
    });
    expect(p.unrecognisedValues).toEqual([]);
    const mapping: Mapping = {
      typeValues: { physical: 'server', virtual: 'virtual_machine' },
      relationships: { source: 'device_id', target: 'virtual_host' },
      relDefaults: { type: 'runs_on' },
      emptyTarget: 'skip',
      ignore: { relationships: ['type'] },
    };
    const file = fx('device42-devices.csv');
    // Without emptyTarget, the physical devices (no virtual_host) are row errors naming the way out, and nothing is written.
    const before = dumpDb(svc.db);
    const refused = await fails(svc, 'importCsv', { cis: file, relationships: file, mapping: { ...mapping, emptyTarget: undefined } });
    expect(refused.message).toContain('device42-devices.csv line 2, column virtual_host: missing required value: the target CI.');
    expect(refused.message).toContain('"emptyTarget": "skip"');
    expect(dumpDb(svc.db)).toBe(before);
    const r = await ok(svc, 'importCsv', { cis: file, relationships: file, mapping });
    expect(r.counts).toMatchObject({ created: 7, rejected: 0, relationshipsCreated: 4, relationshipsRejected: 0 });
    expect(r.createdTypes).toEqual([]);
    expect(await ciOf(svc, '204')).toMatchObject({ name: 'test-pay-01', status: 'non-operational', environment: 'QA' });
    expect(await ciOf(svc, '101')).toMatchObject({ type: 'server', status: 'operational', environment: 'Production' });
    expect((await ciOf(svc, '201')).attributes.tags).toBe('payments,web');
    // The file's other columns are its CIs' fields and attributes: none becomes an attribute of its relationships.
    expect(svc.db.prepare('SELECT DISTINCT attributes FROM relationships').pluck().all()).toEqual(['{}']);
    const impact = await ok(svc, 'impact', { keys: ['101'] });
    expect(impact.impacted.filter((c) => c.key !== '101').map((c) => `${c.name} ${c.state}`)).toEqual(
      expect.arrayContaining(['app-pay-01 down', 'db-pay-01 down']),
    );
    expect(impact.impacted).toHaveLength(3);
  });

  it("with a uuid column filled on one row: its empty cells are missing keys, refused by line and column; the docs' mapping keys by device_id", async () => {
    // Found by a tester: the uuid column was taken as the key, and rows without one were keyed `type:name`, a second
    // CI once a later export fills the cell.
    const svc = freshService();
    const content = [
      'device_id,uuid,name,type,service_level,in_service,virtual_host',
      '101,,esx-ams-01,physical,Production,yes,',
      '201,4201a3c4-0000-0000-0000-000000000201,vm-pay-01,virtual,Production,yes,esx-ams-01',
      '202,,vm-pay-02,virtual,Production,yes,esx-ams-01',
    ].join('\n');
    const file = { name: 'device42-devices.csv', content };
    const before = dumpDb(svc.db);
    const refused = await fails(svc, 'importCsv', { cis: file });
    expect(refused.message).toContain('device42-devices.csv line 2, column uuid: missing required value: the CI key');
    expect(refused.message).toContain('map it as the key ("cis": { "id": "COLUMN" })');
    expect(dumpDb(svc.db)).toBe(before);
    const mapping: Mapping = {
      cis: { id: 'device_id' },
      typeValues: { physical: 'server', virtual: 'virtual_machine' },
      relationships: { source: 'device_id', target: 'virtual_host' },
      relDefaults: { type: 'runs_on' },
      emptyTarget: 'skip',
      ignore: { relationships: ['type'] },
    };
    const r = await ok(svc, 'importCsv', { cis: file, relationships: file, mapping });
    expect(r.counts).toMatchObject({ created: 3, rejected: 0, relationshipsCreated: 2 });
    expect(svc.db.prepare('SELECT key FROM cis ORDER BY key').pluck().all()).toEqual(['101', '201', '202']);
    expect((await ciOf(svc, '201')).attributes.uuid).toBe('4201a3c4-0000-0000-0000-000000000201');
  });
});

describe('i-doit, an object list and its relationships (English and German)', () => {
  const mapping: Mapping = {
    cis: { name: 'Title', type: 'Object type', criticality: 'Weighting', owner: 'Contact assignment' },
    typeValues: { 'Database instance': 'database' },
    criticalityValues: {
      '1 (very important)': 'critical',
      '2 (very important)': 'critical',
      '3 (important)': 'high',
      '5 (normal)': 'medium',
      '10 (unimportant)': 'low',
    },
    relationships: { source: 'Object 2 (Slave)', target: 'Object 1 (Master)', type: 'Relation type' },
    relTypeValues: {
      Software: 'runs_on',
      'Cluster memberships': 'member_of',
      'Cluster service assignment': 'runs_on',
      Dependency: 'depends_on',
      'Database access': 'uses',
      'Connected with': 'connects_to',
    },
    ignore: { relationships: ['ID', 'Title'] },
  };

  it('the lifecycle column (CMDB status, CMDB-Status) is the status, not German Zustand (the condition); Objekttitel and Objekttyp found (found by a tester)', async () => {
    const svc = freshService();
    const de = await ok(svc, 'previewCsv', { file: fx('idoit-objects-de.csv') });
    expect(de.suggested.cis).toMatchObject({ id: 'ID', name: 'Objekttitel', type: 'Objekttyp', status: 'CMDB-Status' });
    expect(de.unrecognisedValues).toEqual([]);
    const en = await ok(svc, 'previewCsv', { file: fx('idoit-objects.csv') });
    expect(en.suggested.cis).toMatchObject({ id: 'ID', name: 'Title', type: 'Object type', status: 'CMDB status' });
    const r = await ok(svc, 'importCsv', { cis: fx('idoit-objects-de.csv') });
    expect(r.counts.created).toBe(4);
    const statuses = svc.db.prepare('SELECT name, status FROM cis ORDER BY key').raw().all();
    expect(statuses).toEqual([
      ['SRV-DB-01', 'operational'],
      ['SRV-APP-01', 'maintenance'],
      ['SRV-OLD-07', 'non-operational'],
      ['SRV-SPARE-02', 'non-operational'],
    ]);
  });

  it('imported as docs/import.md says: the slave depends on the master, a cluster member under repair already down', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('idoit-objects.csv'), relationships: fx('idoit-relationships.csv'), mapping });
    expect(r.counts).toMatchObject({ created: 10, rejected: 0, relationshipsCreated: 8, relationshipsRejected: 0 });
    expect(await ciOf(svc, '1023')).toMatchObject({ name: 'SRV-APP-01', status: 'maintenance', criticality: 'high', owner: 'App Ops' });
    expect(await ciOf(svc, '1061')).toMatchObject({ status: 'non-operational' });
    // SRV-APP-01 is under repair: losing SRV-APP-02 takes the ERP cluster down, and the frontend that runs on it.
    const impact = await ok(svc, 'impact', { keys: ['1024'] });
    const states = Object.fromEntries(impact.impacted.map((c) => [c.name, c.state]));
    expect(states).toMatchObject({ 'ERP Cluster': 'down', 'ERP Frontend': 'down' });
    // The relationships read from the slave's end: the frontend depends on the database, the servers are the cluster's members.
    const rels = svc.db
      .prepare(
        'SELECT s.name, r.type, t.name FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY r.id',
      )
      .raw()
      .all();
    expect(rels).toEqual(
      expect.arrayContaining([
        ['ERP Frontend', 'depends_on', 'PostgreSQL ERP'],
        ['SRV-APP-01', 'member_of', 'ERP Cluster'],
        ['PostgreSQL ERP', 'runs_on', 'SRV-DB-01'],
      ]),
    );
  });
});

describe('no-break spaces that Excel leaves inside cells', () => {
  it('read as plain spaces: one CI whichever space a row has, its key and relationship ends alike', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'a.csv', content: 'Hostname,Type,Owner\nsrv\u00a0app-04,Server,Team\u202fA\napp-1,Application,Team B\n' },
    });
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'b.csv', content: 'Hostname,Type,Owner\nsrv app-04,Server,Team A\n' },
      relationships: { name: 'r.csv', content: 'source,target,type\napplication:app-1,server:srv\u00a0app-04,runs_on\n' },
    });
    expect(r.counts).toMatchObject({ created: 0, unchanged: 1, relationshipsCreated: 1, rejected: 0 });
    const ci = (await ok(svc, 'getCi', { key: 'server:srv app-04' })).ci;
    expect(ci).toMatchObject({ name: 'srv app-04', owner: 'Team A' });
    expect((await ok(svc, 'listCis', { query: 'srv' })).total).toBe(1);
  });
});

describe('Google Cloud: gcloud compute instances list as CSV, labels as columns', () => {
  it('ids are keys, every row a VM; TERMINATED is a stopped VM (non-operational), not a retired one', async () => {
    const svc = freshService();
    const content = [
      'name,id,zone,machine_type,status,environment,owner',
      'web-1,4837290011,europe-west1-b,e2-medium,RUNNING,production,team-web',
      'batch-1,4837290012,europe-west1-b,e2-standard-4,TERMINATED,production,team-data',
      'new-1,4837290013,europe-west1-c,e2-small,PROVISIONING,staging,team-web',
      'fix-1,4837290014,europe-west1-c,e2-small,REPAIRING,production,team-web',
      'nap-1,4837290015,europe-west1-c,e2-small,SUSPENDED,production,team-web',
    ].join('\n');
    const mapping = { cis: { id: 'id' }, ciDefaults: { type: 'virtual_machine' } } as Mapping;
    const r = await ok(svc, 'importCsv', { cis: { name: 'gcp.csv', content }, mapping });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
    const statuses = await Promise.all(
      ['4837290011', '4837290012', '4837290013', '4837290014', '4837290015'].map(async (k) => (await ciOf(svc, k)).status),
    );
    expect(statuses).toEqual(['operational', 'non-operational', 'planned', 'maintenance', 'non-operational']);
    expect(await ciOf(svc, '4837290012')).toMatchObject({
      type: 'virtual_machine',
      owner: 'team-data',
      attributes: { status_source: 'TERMINATED' },
    });
  });
});

describe('kubectl, written as tab-separated text as docs/import.md says', () => {
  it('nodes with their STATUS on the scale, pods keyed by namespace, a pending pod (<none>) with no relationship', async () => {
    const svc = freshService();
    const nodes = [
      'NAME\tSTATUS\tROLES\tAGE\tVERSION',
      'worker-1\tReady\t<none>\t90d\tv1.30.2',
      'worker-2\tReady,SchedulingDisabled\t<none>\t90d\tv1.30.2',
    ];
    await ok(svc, 'importCsv', {
      cis: { name: 'nodes.tsv', content: nodes.join('\n') },
      mapping: { cis: { id: 'NAME' }, ciDefaults: { type: 'kubernetes_node' }, statusValues: { Ready: 'operational' } } as Mapping,
    });
    const pods = [
      'KEY\tNAMESPACE\tNAME\tNODE\tSTATUS',
      'shop/web-0\tshop\tweb-0\tworker-1\tRunning',
      'staging/web-0\tstaging\tweb-0\tworker-2\tCrashLoopBackOff',
      'staging/batch-7\tstaging\tbatch-7\t<none>\tPending',
    ].join('\n');
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'pods.tsv', content: pods },
      relationships: { name: 'pods.tsv', content: pods },
      mapping: {
        cis: { id: 'KEY', name: 'NAME', owner: 'NAMESPACE' },
        ciDefaults: { type: 'container' },
        relationships: { source: 'KEY', target: 'NODE' },
        relDefaults: { type: 'runs_on' },
        emptyTarget: 'skip',
      } as Mapping,
    });
    expect(r.counts).toMatchObject({ created: 3, relationshipsCreated: 2, rejected: 0, relationshipsRejected: 0 });
    expect(await ciOf(svc, 'worker-1')).toMatchObject({ status: 'operational', attributes: { AGE: '90d', VERSION: 'v1.30.2' } });
    expect((await ciOf(svc, 'worker-1')).attributes).not.toHaveProperty('ROLES');
    expect((await ciOf(svc, 'worker-2')).status).toBe('maintenance');
    expect(await ciOf(svc, 'staging/web-0')).toMatchObject({ name: 'web-0', owner: 'staging', status: 'non-operational' });
    expect((await ciOf(svc, 'shop/web-0')).owner).toBe('shop');
  });
});

describe('a relationship cell that lists several CIs (a multi-reference column)', () => {
  it('is refused saying it names several CIs and to write one row each, by key and by name', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'key,name,type\nweb-1,Web one,server\nweb-2,Web two,server\napp,App,application\n' },
    });
    const byKey = await fails(svc, 'importCsv', {
      relationships: { name: 'r.csv', content: 'source,target,type\napp,"web-1, web-2",runs_on\n' },
    });
    expect(byKey.message).toContain(
      'the target cell "web-1, web-2" names 2 CIs (web-1, web-2), and a relationship has one target. Write one row for each',
    );
    const byName = await fails(svc, 'importCsv', {
      relationships: { name: 'r.csv', content: 'source,target,type\napp,Web one;Web two,runs_on\n' },
    });
    expect(byName.message).toContain('names 2 CIs (Web one, Web two)');
    // A value that is simply unknown keeps the usual message.
    const plain = await fails(svc, 'importCsv', {
      relationships: { name: 'r.csv', content: 'source,target,type\napp,"web-1, web-9",runs_on\n' },
    });
    expect(plain.message).toContain('unknown target CI "web-1, web-9"');
  });
});

describe('text in another Unicode form (macOS and some exports write accents as combining marks: NFD)', () => {
  it('is the same key, name and relationship end as the composed form; stored composed (NFC)', async () => {
    const svc = freshService();
    const nfd = 'caf\u0065\u0301-db'; // e + combining acute
    const nfc = 'caf\u00e9-db';
    await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: `key,name,type\n${nfd},${nfd},Database\napp-1,app-1,Application\n` } });
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'b.csv', content: `key,name,type\n${nfc},${nfc},Database\n` },
      relationships: { name: 'r.csv', content: `source,target,type\napp-1,${nfd},depends_on\n` },
    });
    expect(r.counts).toMatchObject({ created: 0, unchanged: 1, relationshipsCreated: 1, rejected: 0, relationshipsRejected: 0 });
    const ci = (await ok(svc, 'getCi', { key: nfd })).ci;
    expect(ci.key).toBe(nfc);
    expect(ci.name).toBe(nfc);
    expect((await ok(svc, 'listCis', { query: nfc })).total).toBe(1);
  });
});

describe("service_level and in_service that are not Device42's", () => {
  /** A sheet of `rows` servers: service_level from `level(i)`, in_service from `inService(i)`, notes long enough that 100 rows span two of the reader's 64 KB chunks. */
  function sheet(rows: number, level: (i: number) => string, inService: (i: number) => string): { path: string } {
    const notes = 'x'.repeat(1200);
    const body = Array.from({ length: rows }, (_, i) => `srv-${i + 1},server,${level(i + 1)},${inService(i + 1)},${notes}`);
    const path = join(tempDir(), 'servers.csv');
    writeFileSync(path, ['name,type,service_level,in_service,notes', ...body].join('\n'));
    return { path };
  }

  it('service tiers and in-service dates stay attributes, in the preview and the import; the status and environment are left empty', async () => {
    const svc = freshService();
    const file = sheet(
      3,
      (i) => ['Gold', 'Silver', 'Bronze'][i - 1]!,
      (i) => `2019-0${i}-01`,
    );
    const p = await ok(svc, 'previewCsv', { file });
    expect(p.suggested.cis).toEqual({ name: 'name', type: 'type', description: 'notes' });
    expect(p.unrecognisedValues).toEqual([]);
    const r = await ok(svc, 'importCsv', { cis: file });
    expect(r.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(r.unrecognisedValues ?? []).toEqual([]);
    const ci = await ciOf(svc, 'server:srv-1');
    expect(ci).toMatchObject({ status: null, environment: null });
    expect(ci.attributes).toEqual({ service_level: 'Gold', in_service: '2019-01-01' });
  });

  it('the first 100 rows decide: one tier among them keeps the column an attribute; environments and yes/no are read as before', async () => {
    const svc = freshService();
    // Row 90 is in the reader's second chunk: the sample reads past the first.
    const tiered = sheet(
      150,
      (i) => (i === 90 ? 'Gold' : 'Production'),
      (i) => (i % 2 ? 'yes' : 'no'),
    );
    const r = await ok(svc, 'importCsv', { cis: tiered });
    expect(r.counts).toMatchObject({ created: 150, rejected: 0 });
    expect(await ciOf(svc, 'server:srv-90')).toMatchObject({ environment: null, status: 'non-operational' });
    // The status keeps the file's own word beside it, as for Device42.
    expect((await ciOf(svc, 'server:srv-150')).attributes).toEqual({ service_level: 'Production', status_source: 'no' });
    const svc2 = freshService();
    const named = sheet(
      150,
      (i) => (i === 130 ? 'Gold' : i % 3 ? 'Production' : 'Pre-Prod'),
      () => 'yes',
    );
    const r2 = await ok(svc2, 'importCsv', { cis: named });
    expect(r2.counts).toMatchObject({ created: 150, rejected: 0 });
    expect(await ciOf(svc2, 'server:srv-1')).toMatchObject({ environment: 'Production', status: 'operational' });
    expect((await ciOf(svc2, 'server:srv-1')).attributes).toEqual({ status_source: 'yes' });
    expect(await ciOf(svc2, 'server:srv-3')).toMatchObject({ environment: 'Pre-Prod' });
    // Past the sample, a value is read by the column's mapping like any other.
    expect(await ciOf(svc2, 'server:srv-130')).toMatchObject({ environment: 'Gold' });
    // Every row was applied once, the sampled ones included.
    expect((await ok(svc2, 'listCis', { limit: 500, offset: 0 })).total).toBe(150);
  });
});

describe('an Excel "CSV UTF-8" sheet saved with a European list separator', () => {
  it('BOM and semicolons detected; decimal commas, a header with a comma and a quoted semicolon read as written', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('excel-csv-utf8-semicolon.csv') });
    expect(p).toMatchObject({ encoding: 'utf8', delimiter: ';' });
    expect(p.headers[0]).toBe('Server Name');
    expect(p.suggested.cis).toEqual({ name: 'Server Name', type: 'Type', owner: 'Owner', environment: 'Environment' });
    const r = await ok(svc, 'importCsv', { cis: fx('excel-csv-utf8-semicolon.csv') });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
    expect(r.createdTypes).toEqual([]);
    expect((await ciOf(svc, 'server:srv-fra-01')).attributes).toMatchObject({
      'Load, %': '72,5',
      'Monthly cost (€)': '1.234,50',
      'In service since': '01.03.2021',
    });
    expect(await ciOf(svc, 'virtual_machine:vm-fra-11')).toMatchObject({ owner: 'Team Shop; Team Kasse', status: null });
    expect((await ciOf(svc, 'virtual_machine:vm-fra-12')).owner).toBe('Équipe Données');
    // A small sheet whose header has more commas than semicolons: the rows decide.
    const notes = '\uFEFFServer Name;Type;Notes (free text, e.g. rack, row, slot)\r\nsrv-1;Server;R1, row 2, slot 3\r\nsrv-2;Server;\r\n';
    const n = await ok(svc, 'previewCsv', { file: { name: 'notes.csv', content: notes } });
    expect(n).toMatchObject({ delimiter: ';', headers: ['Server Name', 'Type', 'Notes (free text, e.g. rack, row, slot)'], warnings: [] });
  });
});

describe('a sheet kept in German or French (headers and values in its language)', () => {
  it('German, as Excel on a German Windows saves it (Windows-1252, semicolons): every column found, statuses and criticalities on the scales', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('excel-german-cp1252.csv') });
    expect([p.encoding, p.delimiter]).toEqual(['windows1252', ';']);
    expect(p.suggested.cis).toEqual({
      name: 'Name',
      type: 'Typ',
      status: 'Status',
      environment: 'Umgebung',
      owner: 'Verantwortlich',
      criticality: 'Kritikalität',
      description: 'Beschreibung',
    });
    // Its type words are the registry's types without a mapping (Datenbank needed typeValues; found by a tester).
    const r = await ok(svc, 'importCsv', { cis: fx('excel-german-cp1252.csv') });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
    expect(r.createdTypes).toEqual([]);
    expect(r.unrecognisedValues).toEqual([]);
    const row = async (key: string) => {
      const c = await ciOf(svc, key);
      return [c.status, c.criticality];
    };
    expect(await row('server:sap-prd-01')).toEqual(['operational', 'critical']);
    expect(await row('database:sap-prd-db')).toEqual(['operational', 'high']);
    expect(await row('server:fileserver-alt')).toEqual(['non-operational', 'low']);
    expect(await row('server:backup-01')).toEqual(['maintenance', 'medium']);
    expect(await row('server:sap-qas-01')).toEqual(['planned', 'medium']);
    expect(await ciOf(svc, 'server:fileserver-alt')).toMatchObject({ owner: 'IT-Betrieb', description: 'Wird abgelöst' });
  });

  it('the types written in German, French or Spanish (with or without accents) are the registry types', async () => {
    const words: Array<[string, string]> = [
      ['Anwendung', 'application'],
      ['Virtuelle Maschine', 'virtual_machine'],
      ['Netzwerkgerät', 'network_device'],
      ['Base de données', 'database'],
      ['Base de donnees', 'database'],
      ['Équilibreur de charge', 'load_balancer'],
      ['Serveur', 'server'],
      ['Máquina virtual', 'virtual_machine'],
      ['Aplicación', 'application'],
      ['Base de datos', 'database'],
    ];
    const svc = freshService();
    const rows = words.map(([w], i) => `ci-${i};${w}`).join('\n');
    const r = await ok(svc, 'importCsv', { cis: { name: 'local.csv', content: `Nom;Typ\n${rows}\n` } });
    expect(r.createdTypes).toEqual([]);
    for (const [i, [w, type]] of words.entries()) expect((await ciOf(svc, `${type}:ci-${i}`)).type, w).toBe(type);
  });

  it('French, saved as "CSV UTF-8" with semicolons: Nom, Statut, Propriétaire, Criticité', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('excel-french-utf8.csv') });
    expect(r.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    expect(await ciOf(svc, 'database:bdd-paris-01')).toMatchObject({
      status: 'maintenance',
      criticality: 'critical',
      owner: 'Équipe DBA',
      environment: 'Production',
    });
    expect((await ciOf(svc, 'server:recette-01')).status).toBe('planned');
    // A header with a combining accent (macOS writes NFD) is the same word.
    const nfd = await ok(svc, 'suggestMapping', { cis: ['Nom', 'Type', 'Criticite\u0301'] });
    expect(nfd.mapping.cis).toMatchObject({ criticality: 'Criticite\u0301' });
  });
});

describe("draw.io's CSV import format (its settings above the table)", () => {
  it('the # settings lines are skipped as comments, said so; rows keep their line numbers; a header named # is no comment', async () => {
    const svc = freshService();
    const file = fx('drawio-csv-import.csv');
    const p = await ok(svc, 'previewCsv', { file });
    expect(p.headers).toEqual(['id', 'name', 'type', 'shape', 'fill', 'stroke', 'refs']);
    expect(p.delimiter).toBe(',');
    expect(p.warnings).toEqual([expect.stringContaining('the 14 lines above the header starting with # (draw.io')]);
    // db-1 has no type: its error names line 19, the file's own.
    const before = dumpDb(svc.db);
    const e = await fails(svc, 'importCsv', { cis: file });
    expect(e.details).toMatchObject({ errors: [{ file: 'drawio-csv-import.csv', line: 19, column: 'type' }] });
    expect(dumpDb(svc.db)).toBe(before);
    const r = await ok(svc, 'importCsv', { cis: file, mapping: { ciDefaults: { type: 'database' } } });
    expect(r.counts.created).toBe(4);
    expect((await ciOf(svc, 'db-1')).attributes).toMatchObject({ refs: 'web-1,web-2', shape: 'cylinder' });
    // A spreadsheet's row-number column named "#" is a header, not a comment.
    const dir = tempDir();
    const numbered = join(dir, 'numbered.csv');
    writeFileSync(numbered, '#,id,name,type\n1,n-1,Numbered 1,server\n');
    const n = await ok(svc, 'previewCsv', { file: { path: numbered } });
    expect([n.headers, n.warnings]).toEqual([['#', 'id', 'name', 'type'], []]);
  });
});

describe('Windows PowerShell Export-Csv (an Active Directory computer list)', () => {
  it('the #TYPE line above the header is skipped, lines keep their numbers; with -UseCulture the semicolons are found past it', async () => {
    const svc = freshService();
    const file = fx('powershell-export-csv-adcomputer.csv');
    const p = await ok(svc, 'previewCsv', { file });
    expect(p.headers.slice(0, 4)).toEqual(['DistinguishedName', 'DNSHostName', 'Enabled', 'Name']);
    expect(p.warnings).toEqual([]);
    const mapping: Mapping = {
      cis: { id: 'ObjectGUID', status: 'Enabled', description: 'OperatingSystem' },
      ciDefaults: { type: 'server' },
      statusValues: { True: 'operational', False: 'non-operational' },
    };
    const r = await ok(svc, 'importCsv', { cis: file, mapping });
    expect(r.counts).toMatchObject({ created: 2, rejected: 0 });
    expect(await ciOf(svc, '5b1c2d3e-0000-4a4a-9b9b-222222222222')).toMatchObject({
      name: 'SRV-FS01',
      status: 'non-operational',
      description: 'Windows Server 2019 Standard',
      attributes: { DNSHostName: 'SRV-FS01.corp.local', SamAccountName: 'SRV-FS01$' },
    });
    const culture = '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADComputer\r\n"Name";"Enabled"\r\n"SRV-A";"True"\r\n"SRV-B"\r\n';
    const q = await ok(svc, 'previewCsv', { file: { name: 'de.csv', content: culture } });
    expect(q).toMatchObject({ delimiter: ';', headers: ['Name', 'Enabled'] });
    // The ragged row is named at its own line (4), the #TYPE line counted.
    expect(q.warnings[0]).toMatch(/^de\.csv line 4: ragged row/);
    const bare = await fails(svc, 'previewCsv', { file: { name: 'bare.csv', content: '#TYPE System.Object\r\n' } });
    expect(bare.message).toBe(
      'bare.csv: the file has no header row after its "#TYPE System.Object" line. Export it again with the column names.',
    );
  });
});

describe('a kubectl custom-columns table', () => {
  it('is not CSV: preview and import say so, name the columns and how to write it as tab-separated text (the command given works); the CMDB is unchanged', async () => {
    const svc = freshService();
    const before = dumpDb(svc.db);
    const file = fx('kubectl-custom-columns.txt');
    const p = await fails(svc, 'previewCsv', { file });
    expect(p.message).toContain(
      'kubectl-custom-columns.txt line 1: the header is one column whose names are lined up with spaces (NAMESPACE, NAME, NODE, STATUS, APP)',
    );
    const r = await fails(svc, 'importCsv', { cis: file });
    expect(r.message).toBe(p.message);
    expect(dumpDb(svc.db)).toBe(before);
    // Written as the message says, by the command it gives (tab-separated: a cell may hold a comma), it imports as
    // docs/import.md shows: the nodes, then the pods running on them.
    const command = /pipe it through (awk -v OFS='\\t' '\{\$1=\$1\} 1')/.exec(p.message)?.[1];
    expect(command).toBeDefined();
    const asAdvised = (table: string) => execFileSync('sh', ['-c', command!], { input: table, encoding: 'utf8' });
    const csv = asAdvised(readFileSync(file.path, 'utf8'));
    // kubectl get svc -A: a service's PORT(S) holds commas, and stays one cell.
    const services = await ok(svc, 'previewCsv', {
      file: {
        name: 'svc.tsv',
        content: asAdvised(
          'NAMESPACE   NAME       TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)                      AGE\n' +
            'shop        frontend   LoadBalancer   10.96.33.10   34.120.5.6    80:31380/TCP,443:31390/TCP   30d\n',
        ),
      },
    });
    expect(services.warnings).toEqual([]);
    expect(services.rows).toEqual([['shop', 'frontend', 'LoadBalancer', '10.96.33.10', '34.120.5.6', '80:31380/TCP,443:31390/TCP', '30d']]);
    await ok(svc, 'importCsv', {
      cis: { name: 'nodes.csv', content: 'NAME\nip-10-0-1-23.ec2\nip-10-0-2-41.ec2\n' },
      mapping: { ciDefaults: { type: 'kubernetes_node' } },
    });
    const pods = { name: 'pods.tsv', content: csv };
    const r2 = await ok(svc, 'importCsv', {
      cis: pods,
      relationships: pods,
      mapping: {
        cis: { owner: 'NAMESPACE' },
        ciDefaults: { type: 'container' },
        relationships: { source: 'NAME', target: 'NODE' },
        relDefaults: { type: 'runs_on' },
      },
    });
    expect(r2.counts).toMatchObject({ created: 5, rejected: 0, relationshipsCreated: 5, relationshipsRejected: 0 });
    const impact = await ok(svc, 'impact', { keys: ['kubernetes_node:ip-10-0-2-41.ec2'] });
    expect(impact.impacted.map((c) => c.name).sort()).toEqual([
      'cart-redis-0',
      'checkout-api-7f9c6d8b5-9hx7t',
      'coredns-5d78c9869d-qm8wz',
      'ip-10-0-2-41.ec2',
    ]);
    // A one-column file whose name has single spaces is still CSV.
    const one = await ok(svc, 'previewCsv', { file: { name: 'names.csv', content: 'Server Name\nweb 1\n' } });
    expect(one.rows).toEqual([['web 1']]);
  });
});

describe('preview, on rows the import would reject as it reads them', () => {
  it('names a badly quoted row and a ragged one instead of leaving them out without a word', async () => {
    const svc = freshService();
    const content =
      'ID,Asset Name,Model,Category\n1,a,MacBook Pro 14",Laptops\n2,b,x,Servers,extra\n3,c,y,Servers\n4,d,"Dell" R740,Servers\n';
    const p = await ok(svc, 'previewCsv', { file: { name: 'assets.csv', content } });
    // An inch mark inside a field that does not start with a quote is a character of it, as Excel reads it.
    expect(p.warnings).toEqual([
      'assets.csv line 3: ragged row: it has 5 fields but the header has 4. Check for a missing or extra delimiter, or an unquoted value that contains the delimiter. The import would reject this row.',
      'assets.csv line 5, column Model: bad quoting: text follows a closing quote inside a field. Double the inner quotes ("" for ") or wrap the whole field in quotes. The import would reject this row.',
    ]);
    expect(p.rows.map((r) => r[2])).toEqual(['MacBook Pro 14"', 'x', 'y']);
    const many = 'name,type\n' + Array.from({ length: 8 }, (_, i) => `n${i},server,x\n`).join('');
    const q = await ok(svc, 'previewCsv', { file: { name: 'many.csv', content: many } });
    expect(q.warnings).toHaveLength(6);
    expect(q.warnings[5]).toBe('many.csv: 3 more of the rows read have such a problem.');
  });
});
