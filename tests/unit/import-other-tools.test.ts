/**
 * Exports as other tools write them (tests/fixtures/import), imported the way
 * docs/import.md says, with no more mapping than a new user would write: an
 * Excel "CSV UTF-8" sheet with its blank rows and columns, an iTop export
 * (semicolons, BOM, `Organization->Name` headers, iTop's status list), a
 * Lansweeper asset report (its header names and asset states) and a
 * ServiceNow list export written with display values (class labels).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMappingFile } from '../../electron/cli/import-commands.js';
import { cmdb, ensureCliBuilt, fails, freshService, ok, ROOT, tempDir } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');

describe('exports from other tools', () => {
  it('an Excel sheet: `Server Name` is the name, and the blank rows below the data are not row errors', async () => {
    const svc = freshService();
    const path = join(FX, 'excel-blank-rows.csv');
    const p = await ok(svc, 'previewCsv', { file: { path } });
    expect(p.suggested.cis).toMatchObject({ name: 'Server Name', owner: 'Owner', status: 'Status' });
    const r = await ok(svc, 'importCsv', { cis: { path }, mapping: { ciDefaults: { type: 'server' } } });
    expect(r.counts).toMatchObject({ created: 2, rejected: 0 });
    expect(r.errors).toEqual([]);
    // The empty columns beside the data: one note, not one per column.
    expect(r.warnings).toEqual(['excel-blank-rows.csv: columns 7, 8 have no header name; their values are ignored.']);
    expect((await ok(svc, 'getCi', { key: 'server:app02.corp.local' })).ci).toMatchObject({
      owner: 'Zoë Dubois',
      status: 'retired',
      attributes: { 'IP Address': '10.1.1.2', 'Purchase Date': '3/3/2021', status_source: 'Decommissioned' },
    });
  });

  it('a sheet with empty rows above its header: the first row with a name in it is the header, and lines keep their numbers', async () => {
    const svc = freshService();
    const content = ',,\n , ,\nkey,type,name\na,server,A\nb,server,\n';
    const r = await fails(svc, 'importCsv', { cis: { name: 'sheet.csv', content } });
    // The header found on line 3; the bad row named on its own line (5).
    expect(r.message).toContain('sheet.csv line 5');
    const ok1 = await ok(svc, 'importCsv', { cis: { name: 'sheet.csv', content: ',,\nkey,type,name\na,server,A\n' } });
    expect(ok1.counts).toMatchObject({ created: 1, rejected: 0 });
  });

  it("an iTop export: iTop's status list lands on the scale, nothing left unrecognised", async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', {
      cis: { path: join(FX, 'itop-server.csv') },
      mapping: { cis: { owner: 'Organization->Name' }, ciDefaults: { type: 'server' } },
    });
    expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const status = async (key: string) => (await ok(svc, 'getCi', { key })).ci.status;
    expect([await status('101'), await status('102'), await status('103'), await status('104')]).toEqual([
      'operational',
      'planned',
      'non-operational',
      'retired',
    ]);
    expect((await ok(svc, 'getCi', { key: '102' })).ci).toMatchObject({ owner: 'Demo', criticality: 'medium' });
  });

  it('an iTop link export (no type column): one type for every row from relDefaults; without it, the error says so', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: { path: join(FX, 'itop-server.csv') },
      mapping: { ciDefaults: { type: 'server' } },
    });
    await ok(svc, 'importCsv', {
      cis: { name: 'itop-appsolution.csv', content: 'id;Name\n7;Intranet\n8;Portail Client\n' },
      mapping: { ciDefaults: { type: 'application' } },
    });
    const relationships = { path: join(FX, 'itop-lnk-appsolution-fci.csv') };
    const ends = { source: 'Application solution->Name', target: 'Functional CI->Name' };
    const refused = await fails(svc, 'importCsv', { relationships, mapping: { relationships: ends } });
    expect(refused.message).toContain('no column holds the relationship type (type)');
    expect(refused.message).toContain('relDefaults.type');
    const r = await ok(svc, 'importCsv', { relationships, mapping: { relationships: ends, relDefaults: { type: 'depends_on' } } });
    expect(r.counts).toMatchObject({ relationshipsCreated: 3, relationshipsRejected: 0 });
    const out = async (key: string) => (await ok(svc, 'getCi', { key })).outgoing.map((o) => `${o.type} ${o.other.key}`).sort();
    expect(await out('8')).toEqual(['depends_on 101', 'depends_on 103']);
    expect(await out('7')).toEqual(['depends_on 102']);
  });

  it('a Lansweeper report: AssetName and AssetType found without a mapping, its asset states on the scale', async () => {
    const svc = freshService();
    const path = join(FX, 'lansweeper-assets.csv');
    const p = await ok(svc, 'previewCsv', { file: { path } });
    expect(p.suggested.cis).toMatchObject({ name: 'AssetName', type: 'AssetType', status: 'State' });
    const r = await ok(svc, 'importCsv', { cis: { path }, mapping: { typeValues: { Windows: 'workstation', Linux: 'server' } } });
    expect(r.counts).toMatchObject({ created: 6, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const got = await ok(svc, 'listCis', { limit: 10 });
    expect(Object.fromEntries(got.items.map((c) => [c.name, c.status]))).toEqual({
      WS0001: 'operational',
      WS0002: 'non-operational',
      DEV0003: 'non-operational',
      DEV0004: 'maintenance',
      DEV0005: 'standby',
      DEV0006: 'retired',
    });
    // Serial numbers keep their leading zeros: values are text.
    expect((await ok(svc, 'getCi', { key: 'workstation:WS0001' })).ci.attributes.Serialnumber).toBe('0001234567');
  });

  it('a ServiceNow list export with display values: class labels map to types, none created for review', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { path: join(FX, 'servicenow-server-labels.csv') } });
    expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
    expect(r.createdTypes).toEqual([]);
    const type = async (key: string) => (await ok(svc, 'getCi', { key })).ci.type;
    expect([await type('5abf42d8'), await type('105b0d72'), await type('13af999d'), await type('9c1d0e22')]).toEqual([
      'server',
      'hypervisor',
      'server',
      'database',
    ]);
    expect((await ok(svc, 'getCi', { key: '13af999d' })).ci.status).toBe('maintenance');
  });
});

describe('ServiceNow classes by name and by label', () => {
  it('an export with display values gets the same types as one with class names, CSDM classes included', async () => {
    const pairs: Array<[string, string, string]> = [
      ['cmdb_ci_service_auto', 'Application Service', 'service'],
      ['cmdb_ci_service_discovered', 'Mapped Application Service', 'service'],
      ['cmdb_ci_service_technical', 'Technical Service', 'service'],
      ['service_offering', 'Service Offering', 'service'],
      ['cmdb_ci_business_app', 'Business Application', 'application'],
      ['cmdb_ci_app_server_tomcat', 'Tomcat', 'application'],
      ['cmdb_ci_cloud_service_account', 'Cloud Service Account', 'cloud_resource'],
      ['cmdb_ci_hpux_server', 'HP-UX Server', 'server'],
      ['cmdb_ci_linux_server', 'Linux Server', 'server'],
    ];
    const rows = pairs.flatMap(([cls, label], i) => [`n${i},by-name-${i},${cls}`, `l${i},by-label-${i},${label}`]);
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { name: 'cmdb_ci.csv', content: `sys_id,name,sys_class_name\n${rows.join('\n')}\n` } });
    expect(r.createdTypes).toEqual([]);
    for (const [i, [cls, label, type]] of pairs.entries()) {
      expect((await ok(svc, 'getCi', { key: `n${i}` })).ci.type, cls).toBe(type);
      expect((await ok(svc, 'getCi', { key: `l${i}` })).ci.type, label).toBe(type);
    }
  });
});

describe('ServiceNow relationship pairs written the other way round', () => {
  it('`Hosts::Hosted on`, `Runs::Runs on`, `Used by::Depends on` are the known pairs with the ends swapped, not new hard types', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: {
        name: 'cmdb_ci.csv',
        content:
          'sys_id,name,sys_class_name\nv1,web01,cmdb_ci_linux_server\nh1,esx01,cmdb_ci_esx_server\nd1,orders,cmdb_ci_db_instance\na1,shop,cmdb_ci_appl\n',
      },
    });
    const r = await ok(svc, 'importCsv', {
      relationships: {
        name: 'cmdb_rel_ci.csv',
        content: 'parent,type,child\nesx01,Hosts::Hosted on,web01\nweb01,Runs::Runs on,shop\norders,Used by::Depends on,shop\n',
      },
    });
    expect(r.counts).toMatchObject({ relationshipsCreated: 3, relationshipsRejected: 0 });
    expect(r.createdRelTypes).toEqual([]);
    const out = async (key: string) => (await ok(svc, 'getCi', { key })).outgoing.map((o) => `${o.type} ${o.other.key}`).sort();
    expect(await out('v1')).toEqual(['hosted_on h1']);
    expect(await out('a1')).toEqual(['depends_on d1', 'runs_on v1']);
    expect(await out('h1')).toEqual([]);
  });
});

describe('cmdb import and preview, as a new user meets them', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('preview says which required field no column holds, and how to give it, before the import stops there', () => {
    const r = cmdb(['preview', join(FX, 'itop-server.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Note: no column was recognised for type, which the import needs. Name the columns in a mapping ("cis": { "type": "COLUMN" }), or give every row one type with ciDefaults.type',
    );
    // A link export reads as a CIs file (no source or target header): the note says how to give it as relationships.
    expect(cmdb(['preview', join(FX, 'itop-lnk-appsolution-fci.csv')]).stdout).toContain(
      'If the file links CIs (a column per end), import it with --relationships and map "relationships": { "source", "target" }.',
    );
    // A file whose required columns are all found gets no such note.
    expect(cmdb(['preview', join(FX, 'servicenow-server-labels.csv')]).stdout).not.toContain('no column was recognised');
  });

  it('a rejected import names the option that imports the good rows', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,name,type\na,A,server\nb,,server\n');
    const r = cmdb(['import', '--db', join(dir, 'x.db'), '--cis', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Nothing was imported: fix the rows, or run again with --skip-bad-rows to import the others.');
  });

  it('a mapping file with a wrongly spelled key says which keys that place takes, in one sentence each', () => {
    const dir = tempDir();
    const file = join(dir, 'm.json');
    writeFileSync(file, '{"cis": {"Name": "Server Name"}, "ciDefault": {"type": "server"}, "statusValues": {"In Service": "up"}}');
    let message = '';
    try {
      readMappingFile(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(
      'cis: Unrecognized key: "Name" (cis takes id, name, type, status, environment, owner, criticality, description)',
    );
    expect(message).toContain('(root): Unrecognized key: "ciDefault" (the mapping takes cis, relationships, ciDefaults, relDefaults,');
    expect(message).toContain('Map each value to one of those. See "Mappings"');
    expect(message).not.toContain('..');
  });

  it('--cis given twice is refused rather than the first file dropped', () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const r = cmdb(['import', '--db', db, '--cis', join(FX, 'itop-server.csv'), '--cis', join(FX, 'excel-blank-rows.csv')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--cis is given twice');
    expect(existsSync(db)).toBe(false);
  });
});
