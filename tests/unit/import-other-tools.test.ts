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
import type { CmdbService } from '../../electron/cmdb/service.js';
import { cmdb, ensureCliBuilt, fails, freshService, ok, ROOT, tempDir } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');

/** A CI's outgoing relationships, as "type target-key", sorted. */
async function outgoing(svc: CmdbService, key: string): Promise<string[]> {
  return (await ok(svc, 'getCi', { key })).outgoing.map((o) => `${o.type} ${o.other.key}`).sort();
}

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
    const out = (key: string) => outgoing(svc, key);
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
      // Cluster classes: one type by name and by label (they were vcenter_cluster and vmware_vcenter_cluster; found by a tester).
      ['cmdb_ci_vcenter_cluster', 'VMware vCenter Cluster', 'cluster'],
      ['cmdb_ci_win_cluster', 'Windows Cluster', 'cluster'],
      ['cmdb_ci_unix_cluster', 'Unix Cluster', 'cluster'],
      ['cmdb_ci_cluster', 'Server Cluster', 'cluster'],
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
    const out = (key: string) => outgoing(svc, key);
    expect(await out('v1')).toEqual(['hosted_on h1']);
    expect(await out('a1')).toEqual(['depends_on d1', 'runs_on v1']);
    expect(await out('h1')).toEqual([]);
  });
});

describe('relationship types named by one wording (Freshservice, ManageEngine, Lansweeper)', () => {
  it("`Connected to`, `Backs up`, `Stored on`, `Contains`, `Powered by` are the registry's types, not new hard dependencies", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: {
        name: 'cis.csv',
        content:
          'id,name,type,criticality\nfw,fw-01,firewall,high\nsw,core-sw-01,switch,critical\ndb,orders-db,database,critical\n' +
          'bk,backup-array,storage,low\nsan,san-01,storage,high\nrack,rack-a1,rack,low\npdu,pdu-a1,pdu,low\n',
      },
    });
    const r = await ok(svc, 'importCsv', {
      relationships: {
        name: 'rels.csv',
        content:
          'source,target,type\nsw,fw,Connected to\nbk,db,Backs up\ndb,san,Stored on\nrack,sw,Contains\nsw,pdu,Powered by\nsan,bk,Stores\n',
      },
    });
    expect(r.createdRelTypes).toEqual([]);
    const out = (key: string) => outgoing(svc, key);
    expect(await out('sw')).toEqual(['connects_to fw', 'depends_on pdu', 'hosted_on rack']);
    // `san Stores bk` is read from the other end: the array depends on the SAN.
    expect(await out('bk')).toEqual(['backup_of db', 'depends_on san']);
    expect(await out('db')).toEqual(['depends_on san']);
    // A cable and a backup carry no outage: the firewall and the database take nothing down with them.
    expect((await ok(svc, 'impact', { keys: ['fw'] })).counts).toMatchObject({ down: 0, degraded: 0 });
    expect((await ok(svc, 'impact', { keys: ['db'] })).counts).toMatchObject({ down: 0, degraded: 0 });
    // The database does go down with its storage.
    expect((await ok(svc, 'impact', { keys: ['san'] })).impacted.map((i) => i.key)).toContain('db');
  });
});

describe('wordings with "Is" (ServiceDesk Plus: Is used by, Is Member Of)', () => {
  it('read as the wording without it: the right way round, a member of a cluster with its redundancy (found by a tester)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: {
        name: 'cis.csv',
        content:
          'id,name,type\napp,app,application\ndb,db,database\nn1,node-1,server\nn2,node-2,server\ncl,cluster,cluster\nweb,web,server\n',
      },
    });
    const r = await ok(svc, 'importCsv', {
      relationships: {
        name: 'rels.csv',
        content: 'source,target,type\ndb,app,Is used by\nn1,cl,Is Member Of\nn2,cl,is member of\nweb,db,Is hosted on\n',
      },
    });
    expect(r.createdRelTypes).toEqual([]);
    expect(await outgoing(svc, 'app')).toEqual(['depends_on db']);
    expect(await outgoing(svc, 'n1')).toEqual(['member_of cl']);
    expect(await outgoing(svc, 'web')).toEqual(['hosted_on db']);
    // The cluster survives one node: degraded, not down.
    const one = await ok(svc, 'impact', { keys: ['n1'] });
    expect(one.impacted.find((i) => i.key === 'cl')?.state).toBe('degraded');
  });

  it('a relationship export (CI Name, Relationship, Related CI) previews as a relationships file, and imports without a mapping (found by a tester)', async () => {
    const svc = freshService();
    const rels =
      '\uFEFF"CI Name","CI Type","Relationship","Related CI","Related CI Type"\n"SQLNODE01","Windows Server","Member Of","SQLCLU01","Cluster"\n"HRMS-APP","Application","Depends On","SQLCLU01","Cluster"\n';
    const p = await ok(svc, 'previewCsv', { file: { name: 'sdp-relationships.csv', content: rels } });
    expect(p.kind).toBe('relationships');
    expect(p.suggested.relationships).toMatchObject({
      source: 'CI Name',
      target: 'Related CI',
      type: 'Relationship',
      source_type: 'CI Type',
      target_type: 'Related CI Type',
    });
    await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: 'CI Name,CI Type\nSQLCLU01,Cluster\nSQLNODE01,Windows Server\nHRMS-APP,Application\n' },
    });
    const r = await ok(svc, 'importCsv', { relationships: { name: 'sdp-relationships.csv', content: rels } });
    expect([r.counts.relationshipsCreated, r.errors]).toEqual([2, []]);
    expect(await outgoing(svc, 'application:HRMS-APP')).toEqual(['depends_on cluster:SQLCLU01']);
  });
});

describe('one file as both the CIs and the relationships (a reference column), with bad rows skipped', () => {
  const pods =
    'NAMESPACE,NAME,NODE\nshop,checkout-1,node-a\nshop,redis-master-0,node-b\nshop-stg,redis-master-0,node-a\nshop,cart-1,node-b\n';
  const mapping = {
    cis: { owner: 'NAMESPACE' },
    ciDefaults: { type: 'container' },
    relationships: { source: 'NAME', target: 'NODE' },
    relDefaults: { type: 'runs_on' },
  };
  for (const how of ['content', 'path'] as const)
    it(`a CI row rejected as a duplicate key gives no relationship to the earlier CI of that key (given by ${how})`, async () => {
      const svc = freshService();
      await ok(svc, 'importCsv', { cis: { name: 'nodes.csv', content: 'id,name,type\nnode-a,node-a,server\nnode-b,node-b,server\n' } });
      const dir = tempDir();
      writeFileSync(join(dir, 'pods.csv'), pods);
      const source = how === 'content' ? { name: 'pods.csv', content: pods } : { name: 'pods.csv', path: join(dir, 'pods.csv') };
      // The same file named twice, as docs/import.md's recipe does (a fresh copy of the object for each).
      const r = await ok(svc, 'importCsv', { cis: { ...source }, relationships: { ...source }, mapping, skipBadRows: true });
      expect(r.counts).toMatchObject({ created: 3, rejected: 1, relationshipsCreated: 3, relationshipsRejected: 1 });
      expect(r.errors.map((e) => [e.line, e.message.slice(0, 40)])).toEqual([
        [4, expect.stringContaining('duplicate key') as unknown as string],
        [4, 'its CI (line 4 of this file, rejected ab'],
      ]);
      // The shop redis runs on node-b only: the staging copy's node is not its node.
      expect(await outgoing(svc, 'container:redis-master-0')).toEqual(['runs_on node-b']);
      expect((await ok(svc, 'impact', { keys: ['node-a'] })).impacted.map((i) => i.key).sort()).toEqual(['container:checkout-1', 'node-a']);
    });

  it('two different files with the same line numbers are judged apart', async () => {
    const svc = freshService();
    const cis = 'id,name,type\nnode-a,A,server\nnode-a,A again,server\nnode-b,B,server\n';
    const rels = 'source,target,type\nnode-a,node-b,depends_on\nnode-b,node-a,connects_to\n';
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'cis.csv', content: cis },
      relationships: { name: 'rels.csv', content: rels },
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ created: 2, rejected: 1, relationshipsCreated: 2, relationshipsRejected: 0 });
    // A CIs file alone: the duplicate's message has nothing to say of relationships.
    expect(r.errors[0]!.message).not.toContain('relationships file');
  });

  it('a sheet of one row per dependency: the duplicate CI row says to import its relationships on their own, which keeps each (found by a tester)', async () => {
    const svc = freshService();
    const sheet =
      'CI,CI type,Depends on,Redundancy group\napp,Application,db-1,paydb\napp,Application,db-2,paydb\ndb-1,Database,,\ndb-2,Database,,\n';
    const mapping = {
      cis: { name: 'CI', type: 'CI type' },
      relationships: { source: 'CI', target: 'Depends on', redundancy_group: 'Redundancy group' },
      relDefaults: { type: 'depends_on' },
      emptyTarget: 'skip' as const,
    };
    const both = await fails(svc, 'importCsv', {
      cis: { name: 'cab.csv', content: sheet },
      relationships: { name: 'cab.csv', content: sheet },
      mapping,
    });
    expect(both.message).toContain(
      "This file is also the relationships file: if its rows are one per relationship, import its CIs alone with --skip-bad-rows (each CI's first row), then the same file as --relationships alone, where a CI's several rows are no duplicates",
    );
    // As it says: the CIs (their duplicates skipped), then the relationships on their own, both of them in their group.
    await ok(svc, 'importCsv', { cis: { name: 'cab.csv', content: sheet }, mapping, skipBadRows: true });
    const rels = await ok(svc, 'importCsv', { relationships: { name: 'cab.csv', content: sheet }, mapping });
    expect(rels.counts).toMatchObject({ relationshipsCreated: 2, relationshipsRejected: 0 });
    expect((await ok(svc, 'impact', { keys: ['database:db-1'] })).impacted.find((i) => i.key === 'application:app')?.state).toBe(
      'degraded',
    );
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

  it('with --skip-bad-rows, the one-line rejection names first the error that refuses the whole import (found by a tester)', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    // Line 3 could be skipped; line 4's quote is never closed, which refuses the whole import.
    writeFileSync(bad, 'id,name,type\nA-1,a,server\nB-2,,server\nC-3,"c,server\nD-4,d,server\n');
    const r = cmdb(['import', '--db', join(dir, 'x.db'), '--cis', bad, '--skip-bad-rows']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^cmdb: bad\.csv line 4: bad quoting: a quoted field is never closed/);
    expect(r.stderr).toContain(
      '(and 1 more row error). Nothing was imported, as this error refuses the whole import even when bad rows are skipped: fix the rows.',
    );
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
