/**
 * More exports from other tools (tests/fixtures/import), imported the way
 * docs/import.md says: BMC Helix CMDB (BMC_ComputerSystem and
 * BMC_BaseRelationship, whose Source is the end the Destination relies on),
 * Jira Service Management Assets (an object export whose reference
 * attributes name other objects), NetBox (devices, clusters, virtual
 * machines, cables; device and virtual machine IDs are numbered apart), and
 * the AWS Config and Azure Resource Graph inventories, and RVTools' vCenter
 * inventory (vInfo, vHost, vCluster).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../shared/import.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { cmdb, ensureCliBuilt, fails, freshService, ok, ROOT, tempDir } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');
const fx = (name: string) => ({ path: join(FX, name) });

/** What goes down or is degraded when `key` goes down, by CI name. */
async function impactOf(svc: CmdbService, key: string): Promise<Record<string, string>> {
  const r = await ok(svc, 'impact', { keys: [key] });
  return Object.fromEntries(r.impacted.filter((c) => c.key !== key).map((c) => [c.name, c.state]));
}

describe('BMC Helix CMDB', () => {
  it('imports without a mapping: ReconciliationIdentity keys, Class Id types, and each relationship class the way impact runs', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('bmc-baserelationship.csv') });
    expect(p.kind).toBe('relationships');
    expect(p.suggested.relationships).toMatchObject({
      source: 'Source.ReconciliationIdentity',
      target: 'Destination.ReconciliationIdentity',
      type: 'Class Id',
    });
    const r = await ok(svc, 'importCsv', { cis: fx('bmc-computersystem.csv'), relationships: fx('bmc-baserelationship.csv') });
    expect(r.counts).toMatchObject({ created: 8, rejected: 0, relationshipsCreated: 7, relationshipsRejected: 0 });
    expect(r.createdTypes).toEqual([]);
    expect(r.createdRelTypes).toEqual([]);
    expect(r.unrecognisedValues).toEqual([]);
    const host = (await ok(svc, 'getCi', { key: 'RE00505696A6A0ZHp5TQ2I5CAg4EQE' })).ci;
    expect(host).toMatchObject({ name: 'esx-fra-01', type: 'server', status: 'operational', criticality: 'critical' });
    // The host down takes its virtual machines down, and what runs on them: not the other way round.
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4EQE')).toEqual({
      'vm-pay-app01': 'down',
      'vm-old-report': 'down',
      'Payments Gateway': 'down',
      'Online Payments': 'down',
    });
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4ES2')).toEqual({ 'Payments Gateway': 'down', 'Online Payments': 'down' });
  });
});

describe('BMC Helix CMDB: HasImpact, ImpactDirection and MarkAsDeleted (found by a tester)', () => {
  /** The fixture's relationships with a MarkAsDeleted column, and the rows' settings changed as `change` says (by ReconciliationIdentity). */
  function relsWith(change: Record<string, { HasImpact?: string; ImpactDirection?: string; MarkAsDeleted?: string }>): string {
    const lines = readFileSync(join(FX, 'bmc-baserelationship.csv'), 'utf8').trim().split('\n');
    const out = [`${lines[0]},"MarkAsDeleted"`];
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const c = change[cells[0]!.replace(/"/g, '')] ?? {};
      if (c.HasImpact) cells[7] = `"${c.HasImpact}"`;
      if (c.ImpactDirection) cells[8] = `"${c.ImpactDirection}"`;
      out.push(`${cells.join(',')},"${c.MarkAsDeleted ?? 'No'}"`);
    }
    const path = join(tempDir(), 'BMC_BaseRelationship.csv');
    writeFileSync(path, `${out.join('\n')}\n`);
    return path;
  }
  const CHANGED = {
    // vm-pay-app01 -> Payments Gateway carries no impact in BMC.
    RE00505696A6A0ZHp5TQ2I5CAg5B01: { HasImpact: 'No' },
    // Online Payments' impact runs to Payments Gateway, against the class's direction.
    RE00505696A6A0ZHp5TQ2I5CAg5C01: { ImpactDirection: 'Destination-Source' },
    // The host's old report VM: deleted in BMC.
    RE00505696A6A0ZHp5TQ2I5CAg5A03: { MarkAsDeleted: 'Yes' },
  };

  it('a relationship without impact is no dependency, one whose impact runs the other way has its ends swapped, one marked deleted is left out', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('bmc-computersystem.csv'), relationships: { path: relsWith(CHANGED) } });
    expect(r.counts).toMatchObject({ relationshipsCreated: 6, relationshipsRejected: 0 });
    expect(r.warnings).toContain('BMC_BaseRelationship.csv: 1 row is marked deleted (MarkAsDeleted: Yes) and makes no relationship.');
    // The host takes down the VM it hosts, but not the old report VM (deleted) nor the gateway (no impact).
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4EQE')).toEqual({ 'vm-pay-app01': 'down' });
    const app = await ok(svc, 'getCi', { key: 'RE00505696A6A0ZHp5TQ2I5CAg4ER1' });
    expect([...app.outgoing, ...app.incoming].map((x) => x.type).sort()).toEqual(['connects_to', 'hosted_on']);
    // The database down takes the gateway down; the online service is no longer below it, but above.
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4ES2')).toEqual({ 'Payments Gateway': 'down' });
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4ES3')).toEqual({ 'Payments Gateway': 'down' });
  });

  it('ImpactDirection says which end depends whatever the class (one the importer does not know too), and a row without impact leaves its redundancy group (found by a reviewer)', async () => {
    const svc = freshService();
    const cis =
      'ReconciliationIdentity,Name,Class Id\nRE-SYS,pay-sys,BMC_COMPUTERSYSTEM\nRE-CPU,cpu0,BMC_COMPUTERSYSTEM\nRE-NIC,nic0,BMC_COMPUTERSYSTEM\nRE-APP,pay-app,BMC_APPLICATION\nRE-DB1,db1,BMC_DATABASE\nRE-DB2,db2,BMC_DATABASE\n';
    const head =
      'ReconciliationIdentity,Class Id,Source.ReconciliationIdentity,Destination.ReconciliationIdentity,HasImpact,ImpactDirection,redundancy_group,min_up';
    const rels = [
      head,
      // The CPU's failure reaches the system (Destination-Source), of a class without a built-in reading.
      'R1,BMC_COMPONENT,RE-SYS,RE-CPU,Yes,Destination-Source,,',
      // The system's failure reaches the NIC's reading here (Source-Destination): the NIC depends on it.
      'R2,BMC_COMPONENT,RE-SYS,RE-NIC,Yes,Source-Destination,,',
      // The app needs 1 of its two databases; the second link carries no impact: out of the group.
      'R3,BMC_DEPENDENCY,RE-DB1,RE-APP,Yes,Source-Destination,dbs,1',
      'R4,BMC_DEPENDENCY,RE-DB2,RE-APP,No,Source-Destination,dbs,1',
    ].join('\n');
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'cs.csv', content: cis },
      relationships: { name: 'rel.csv', content: `${rels}\n` },
    });
    expect(r.counts).toMatchObject({ relationshipsCreated: 4, relationshipsRejected: 0 });
    expect(await impactOf(svc, 'RE-CPU')).toEqual({ 'pay-sys': 'down', nic0: 'down' });
    expect(await impactOf(svc, 'RE-NIC')).toEqual({});
    expect(await impactOf(svc, 'RE-DB1')).toEqual({ 'pay-app': 'down' });
    expect(await impactOf(svc, 'RE-DB2')).toEqual({});
  });

  /** The fixture's CIs with a MarkAsDeleted column that marks the CI `deleted` (a key, or 'none'). */
  const cisWith = (deleted: string) => {
    const lines = readFileSync(join(FX, 'bmc-computersystem.csv'), 'utf8').trim().split('\n');
    const out = [`${lines[0]},"MarkAsDeleted"`, ...lines.slice(1).map((l) => `${l},"${l.includes(deleted) ? 'Yes' : 'No'}"`)];
    const path = join(tempDir(), 'BMC_ComputerSystem.csv');
    writeFileSync(path, `${out.join('\n')}\n`);
    return { path };
  };

  it('a CI row marked deleted makes no CI, and a sync retires one its source had', async () => {
    const svc = freshService();
    const dbVm = 'RE00505696A6A0ZHp5TQ2I5CAg4ER2';
    const first = await ok(svc, 'importCsv', { cis: cisWith(dbVm), source: 'bmc' });
    expect(first.counts).toMatchObject({ created: 7, rejected: 0 });
    expect(first.warnings).toContain('BMC_ComputerSystem.csv: 1 row is marked deleted (MarkAsDeleted: Yes) and makes no CI.');
    expect(await fails(svc, 'getCi', { key: dbVm })).toMatchObject({ code: 'NOT_FOUND' });
    // Listed live, then marked deleted by the next export: the sync retires it.
    await ok(svc, 'importCsv', { cis: cisWith('none'), source: 'bmc', mode: 'sync' });
    const r = await ok(svc, 'importCsv', { cis: cisWith(dbVm), source: 'bmc', mode: 'sync' });
    expect(r.counts).toMatchObject({ retired: 1, rejected: 0 });
    // Retired with its MarkAsDeleted attribute as the row has it, not last week's No (found by a tester); undo puts it back.
    const retired = (await ok(svc, 'getCi', { key: dbVm })).ci;
    expect([retired.status, retired.attributes.MarkAsDeleted]).toEqual(['retired', 'Yes']);
    await ok(svc, 'undoImport', { id: r.importId! });
    const back = (await ok(svc, 'getCi', { key: dbVm })).ci;
    expect([back.status, back.attributes.MarkAsDeleted]).toEqual(['operational', 'No']);
    // Left out of an export (retired with its No), then marked deleted by the next: the attribute follows (found by a reviewer).
    const without = readFileSync(cisWith('none').path, 'utf8')
      .split('\n')
      .filter((l) => !l.includes(dbVm))
      .join('\n');
    await ok(svc, 'importCsv', { cis: { name: 'BMC_ComputerSystem.csv', content: without }, source: 'bmc', mode: 'sync' });
    expect((await ok(svc, 'getCi', { key: dbVm })).ci.status).toBe('retired');
    const marked = await ok(svc, 'importCsv', { cis: cisWith(dbVm), source: 'bmc', mode: 'sync' });
    expect(marked.counts).toMatchObject({ retired: 0, rejected: 0 });
    const now = await ok(svc, 'getCi', { key: dbVm });
    expect([now.ci.status, now.ci.attributes.MarkAsDeleted]).toEqual(['retired', 'Yes']);
    expect(now.history[0]).toMatchObject({ summary: 'Marked deleted by bmc', importId: marked.importId });
    await ok(svc, 'undoImport', { id: marked.importId! });
    expect((await ok(svc, 'getCi', { key: dbVm })).ci.attributes.MarkAsDeleted).toBe('No');
  });

  it('a relationship naming a CI marked deleted makes no relationship and no error (endpoints by key, and by key or name), and a sync removes it (found by a reviewer)', async () => {
    const dbVm = 'RE00505696A6A0ZHp5TQ2I5CAg4ER2'; // hosted on esx-fra-02, and PAYDB depends on it
    const note =
      'BMC_BaseRelationship.csv: 2 rows name a CI marked deleted (MarkAsDeleted: Yes) in BMC_ComputerSystem.csv and make no relationship.';
    for (const endpointMatch of ['auto', 'key'] as const) {
      const svc = freshService();
      const r = await ok(svc, 'importCsv', {
        cis: cisWith(dbVm),
        relationships: { path: relsWith({}) },
        mapping: { endpointMatch },
      });
      expect(r.counts, endpointMatch).toMatchObject({ created: 7, rejected: 0, relationshipsCreated: 5, relationshipsRejected: 0 });
      expect(r.warnings, endpointMatch).toContain(note);
    }
    // Stored from an earlier export, then marked deleted: the sync retires it and removes its relationships.
    const svc = freshService();
    const source = 'bmc';
    await ok(svc, 'importCsv', { cis: cisWith('none'), relationships: { path: relsWith({}) }, source });
    const r = await ok(svc, 'importCsv', { cis: cisWith(dbVm), relationships: { path: relsWith({}) }, source, mode: 'sync' });
    expect(r.counts).toMatchObject({
      retired: 1,
      rejected: 0,
      relationshipsRemoved: 2,
      relationshipsUnchanged: 5,
      relationshipsRejected: 0,
    });
    expect(r.warnings).toContain(note.replace('relationship.', 'relationship; a sync removes any this source has.'));
    const vm = await ok(svc, 'getCi', { key: dbVm });
    expect([vm.ci.status, vm.outgoing.length + vm.incoming.length]).toEqual(['retired', 0]);
  });

  it('a CI marked deleted is told from a live CI of its name and from a CI whose key is its name; a file keyed by type and name too (found by a reviewer)', async () => {
    const file = (name: string, content: string) => ({ name, content: `${content}\n` });
    const head = 'id,name,type,MarkAsDeleted';
    const source = 'bmc';
    // Replaced: the old CI, marked deleted, has the new one's name. The relationship by name is the new one's.
    const svc = freshService();
    const rels = file('rels.csv', 'source,target,type\nshop,web-01,runs_on');
    await ok(svc, 'importCsv', {
      cis: file('cis.csv', `${head}\nOLD-1,web-01,server,No\nAPP-1,shop,application,No`),
      relationships: rels,
      source,
    });
    const r = await ok(svc, 'importCsv', {
      cis: file('cis.csv', `${head}\nOLD-1,web-01,server,Yes\nNEW-1,web-01,server,No\nAPP-1,shop,application,No`),
      relationships: rels,
      source,
      mode: 'sync',
    });
    expect(r.counts).toMatchObject({ retired: 1, relationshipsCreated: 1, relationshipsRemoved: 1, relationshipsRejected: 0 });
    expect((await ok(svc, 'getCi', { key: 'NEW-1' })).incoming.map((x) => x.other.key)).toEqual(['APP-1']);
    expect(r.warnings.join('\n')).not.toContain('name a CI marked deleted');

    // A deleted row's name is another source's key: that CI is no deleted one.
    const two = freshService();
    await ok(two, 'importCsv', { cis: file('other.csv', 'id,name,type\nweb-01,Web 01,server'), source: 'asset' });
    const b = await ok(two, 'importCsv', {
      cis: file('bmc.csv', `${head}\nOI-9,web-01,server,Yes\nOI-1,shop,application,No`),
      relationships: file('bmcrels.csv', 'source,target,type\nOI-1,web-01,runs_on'),
      source,
    });
    expect(b.counts).toMatchObject({ relationshipsCreated: 1, relationshipsRejected: 0 });

    // Keyed by type and name (no key column): the CI marked deleted is retired with its relationship.
    const three = freshService();
    const grels = file('grels.csv', 'source,target,type\nbeta,alpha,depends_on');
    await ok(three, 'importCsv', {
      cis: file('g.csv', 'name,type,MarkAsDeleted\nalpha,server,No\nbeta,server,No'),
      relationships: grels,
      source,
    });
    const g = await ok(three, 'importCsv', {
      cis: file('g.csv', 'name,type,MarkAsDeleted\nalpha,server,Yes\nbeta,server,No'),
      relationships: grels,
      source,
      mode: 'sync',
    });
    expect(g.counts).toMatchObject({ retired: 1, relationshipsRemoved: 1, relationshipsUnchanged: 0 });
    const alpha = await ok(three, 'getCi', { key: 'server:alpha' });
    expect([alpha.ci.status, alpha.incoming.length]).toEqual(['retired', 0]);
  });

  it('a sync of an export that marks a relationship deleted removes it', async () => {
    const svc = freshService();
    const source = 'bmc';
    await ok(svc, 'importCsv', { cis: fx('bmc-computersystem.csv'), relationships: { path: relsWith({}) }, source });
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4EQE')).toHaveProperty('vm-old-report', 'down');
    const deleted = { RE00505696A6A0ZHp5TQ2I5CAg5A03: { MarkAsDeleted: 'Yes' } };
    const r = await ok(svc, 'importCsv', { relationships: { path: relsWith(deleted) }, mode: 'sync', source });
    expect(r.counts).toMatchObject({ relationshipsRemoved: 1, relationshipsUnchanged: 6 });
    expect(r.warnings).toContain(
      'BMC_BaseRelationship.csv: 1 row is marked deleted (MarkAsDeleted: Yes) and makes no relationship; a sync removes any this source has.',
    );
    expect(await impactOf(svc, 'RE00505696A6A0ZHp5TQ2I5CAg4EQE')).not.toHaveProperty('vm-old-report');
  });
});

describe('Jira Service Management Assets', () => {
  const cisMapping: Mapping = {
    cis: { id: 'Key' },
    typeValues: { Host: 'hypervisor', 'Virtual Machine': 'virtual_machine', Database: 'database', Application: 'application' },
  };
  const runningOn: Mapping = { relationships: { source: 'Key', target: 'Running on' }, relDefaults: { type: 'runs_on' } };

  it('an object export: Object Type is the type, its statuses on the scale', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('jsm-assets-objects.csv') });
    expect(p.suggested.cis).toMatchObject({ id: 'Key', name: 'Name', type: 'Object Type', status: 'Status' });
    const r = await ok(svc, 'importCsv', { cis: fx('jsm-assets-objects.csv'), mapping: cisMapping });
    expect(r.counts).toMatchObject({ created: 9, rejected: 0 });
    expect(r.createdTypes).toEqual([]);
    // Action Needed says nothing about whether the CI runs: it is named, not guessed.
    expect(r.unrecognisedValues).toEqual([{ field: 'status', column: 'Status', value: 'Action Needed', count: 1 }]);
    const status = async (key: string) => (await ok(svc, 'getCi', { key })).ci.status;
    expect([await status('ITAM-203'), await status('ITAM-402'), await status('ITAM-103')]).toEqual([
      'non-operational',
      'retired',
      'non-operational',
    ]);
  });

  it('a reference attribute read as relationships: an empty reference is no relationship under "emptyTarget": "skip", and an error without it', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: fx('jsm-assets-objects.csv'), mapping: cisMapping });
    const refused = await fails(svc, 'importCsv', { relationships: fx('jsm-assets-objects.csv'), mapping: runningOn });
    expect(refused.message).toContain('jsm-assets-objects.csv line 2, column Running on: missing required value: the target CI');
    expect(refused.message).toContain('set "emptyTarget": "skip" in the mapping');
    const r = await ok(svc, 'importCsv', {
      relationships: fx('jsm-assets-objects.csv'),
      mapping: { ...runningOn, emptyTarget: 'skip' },
    });
    expect(r.counts).toMatchObject({ relationshipsCreated: 6, relationshipsRejected: 0 });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContain('jsm-assets-objects.csv: 3 rows have no Running on and make no relationship ("emptyTarget": "skip").');
    // A second reference column (by key), a second pass.
    const deps = await ok(svc, 'importCsv', {
      relationships: fx('jsm-assets-objects.csv'),
      mapping: { relationships: { source: 'Key', target: 'Depends on' }, relDefaults: { type: 'depends_on' }, emptyTarget: 'skip' },
    });
    expect(deps.counts).toMatchObject({ relationshipsCreated: 1, relationshipsRejected: 0 });
    expect(await impactOf(svc, 'ITAM-101')).toEqual({
      'vm-web-01': 'down',
      'Web Shop': 'down',
      'vm-crm-old': 'down',
      'Legacy CRM': 'down',
    });
    expect(await impactOf(svc, 'ITAM-202')).toEqual({ 'orders-db': 'down', 'Web Shop': 'down' });
  });

  it('"emptyTarget": "skip" still rejects a reference to a CI that does not exist', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: 'Key,Name,Object Type\nA-1,web,Host\n' }, mapping: cisMapping });
    const r = await fails(svc, 'importCsv', {
      relationships: { name: 'a.csv', content: 'Key,Running on\nA-1,\nA-1,ghost\n' },
      mapping: { ...runningOn, emptyTarget: 'skip' },
    });
    expect(r.message).toContain('a.csv line 3, column Running on: unknown target CI "ghost"');
  });
});

describe('NetBox', () => {
  it('devices keyed by name, typed by role; cluster membership and virtual machines from the same exports; a host down degrades, not downs, its cluster', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', {
      cis: fx('netbox-clusters.csv'),
      mapping: { cis: { id: 'Name' }, typeValues: { 'VMware vSphere': 'cluster' } },
    });
    const devices = await ok(svc, 'importCsv', {
      cis: fx('netbox-devices.csv'),
      relationships: fx('netbox-devices.csv'),
      mapping: {
        // `"id": "Name"` keys the devices by name, and Name is still their name.
        cis: { id: 'Name', type: 'Role' },
        typeValues: { 'Core Switch': 'network_device', 'Access Switch': 'network_device', Firewall: 'network_device', PDU: 'pdu' },
        relationships: { source: 'Name', target: 'Cluster', redundancy_group: 'Cluster' },
        relDefaults: { type: 'member_of' },
        emptyTarget: 'skip',
        // The device type (PowerEdge R750) is no relationship type.
        ignore: { relationships: ['Type'] },
      },
    });
    expect(devices.counts).toMatchObject({ created: 10, rejected: 0, relationshipsCreated: 3, relationshipsRejected: 0 });
    expect(devices.createdRelTypes).toEqual([]);
    expect(devices.unrecognisedValues).toEqual([]);
    const esx03 = (await ok(svc, 'getCi', { key: 'lon1-esx03' })).ci;
    expect(esx03).toMatchObject({ name: 'lon1-esx03', type: 'hypervisor', status: 'non-operational' });
    expect(esx03.attributes).toMatchObject({ ID: '5', Type: 'PowerEdge R740', status_source: 'Failed' });
    const vms = await ok(svc, 'importCsv', {
      cis: fx('netbox-virtual-machines.csv'),
      relationships: fx('netbox-virtual-machines.csv'),
      mapping: {
        cis: { id: 'Name' },
        ciDefaults: { type: 'virtual_machine' },
        relationships: { source: 'Name', target: 'Cluster' },
        relDefaults: { type: 'runs_on' },
      },
    });
    expect(vms.counts).toMatchObject({ created: 5, updated: 0, relationshipsCreated: 5, relationshipsRejected: 0 });
    expect(vms.warnings).toEqual([]);
    const cables = await ok(svc, 'importCsv', {
      relationships: fx('netbox-cables.csv'),
      mapping: {
        relationships: { source: 'Side A', target: 'Side B' },
        relTypeValues: { 'DAC Passive': 'connects_to', SMF: 'connects_to', CAT6: 'connects_to', Power: 'depends_on' },
      },
    });
    expect(cables.counts).toMatchObject({ relationshipsCreated: 5, relationshipsRejected: 0 });
    const vmsDegraded = {
      'vm-web-01': 'degraded',
      'vm-web-02': 'degraded',
      'vm-db-01': 'degraded',
      'vm-build-01': 'degraded',
      'vm-old-ftp': 'degraded',
    };
    expect(await impactOf(svc, 'lon1-esx01')).toEqual({ 'lon1-vsphere-prod': 'degraded', ...vmsDegraded });
    expect(await impactOf(svc, 'lon1-pdu-a02a')).toEqual({ 'lon1-esx01': 'down', 'lon1-vsphere-prod': 'degraded', ...vmsDegraded });
    expect(await impactOf(svc, 'lon1-core-sw01')).toEqual({});
  });

  it('virtual machines keyed by their ID after devices keyed by theirs: refused as a key collision; allowed, the rows that take over a device are named', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: fx('netbox-devices.csv'), mapping: { cis: { type: 'Role' } } });
    const vms = { cis: fx('netbox-virtual-machines.csv'), mapping: { ciDefaults: { type: 'virtual_machine' } }, dryRun: true };
    // Every row renames a device of another source (import/stages/renames.ts, import-key-collisions.test.ts).
    const refused = await fails(svc, 'importCsv', vms);
    expect(refused.message).toContain(
      'netbox-virtual-machines.csv: import refused: its keys (column ID) are numbers that name other CIs: 5 of the 5 rows whose key is a stored CI\'s would rename that CI (line 2: key "1" is lon1-core-sw01 from netbox-devices.csv; this file names it vm-web-01;',
    );
    const r = await ok(svc, 'importCsv', { ...vms, allowRenames: true });
    expect(r.counts).toMatchObject({ created: 0, updated: 5 });
    expect(r.warnings).toEqual([
      expect.stringContaining('netbox-virtual-machines.csv: 5 rows would rename CIs another source wrote (line 2: key "1"'),
      "netbox-virtual-machines.csv: 5 rows rename CIs of another type (line 2: key 1 is lon1-core-sw01, a core_switch; the file calls it vm-web-01, a virtual_machine). If the file's keys are another list's numbers (NetBox numbers devices and virtual machines apart), these rows would overwrite other CIs: key the file by a column unique across both lists (map id to another column).",
    ]);
    // A rename alone, or a new type alone, is an ordinary update (a rename of another source's CI is noted).
    const one = await ok(svc, 'importCsv', {
      cis: { name: 'r.csv', content: 'ID,Name,Role\n1,lon1-core-sw01-new,Core Switch\n2,lon1-fw01,Router\n' },
      mapping: { cis: { type: 'Role' } },
    });
    expect(one.counts).toMatchObject({ updated: 2 });
    expect(one.warnings).toEqual([expect.stringContaining('r.csv: 1 row renamed a CI another source wrote')]);
  });
});

describe('RVTools (VMware vCenter inventory)', () => {
  const clusters: Mapping = { ciDefaults: { type: 'cluster' } };
  const hosts: Mapping = {
    cis: { name: 'Host', status: 'in Maintenance Mode' },
    ciDefaults: { type: 'hypervisor' },
    statusValues: { True: 'maintenance', False: 'operational' },
    relationships: { source: 'Object ID', target: 'Cluster', redundancy_group: 'Cluster' },
    relDefaults: { type: 'member_of' },
    emptyTarget: 'skip',
  };
  const vms: Mapping = {
    ciDefaults: { type: 'virtual_machine' },
    relationships: { source: 'VM UUID', target: 'Cluster' },
    relDefaults: { type: 'runs_on' },
    emptyTarget: 'skip',
  };

  it('vInfo reads VM, VM UUID and Powerstate without a mapping; clusters, hosts in a redundancy group per cluster, and VMs on the cluster', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('rvtools-vinfo.csv') });
    expect(p.kind).toBe('cis');
    expect(p.suggested.cis).toEqual({ id: 'VM UUID', name: 'VM', status: 'Powerstate', description: 'Annotation' });
    expect((await ok(svc, 'importCsv', { cis: fx('rvtools-vcluster.csv'), mapping: clusters })).counts).toMatchObject({ created: 1 });
    const h = await ok(svc, 'importCsv', { cis: fx('rvtools-vhost.csv'), relationships: fx('rvtools-vhost.csv'), mapping: hosts });
    expect(h.counts).toMatchObject({ created: 2, rejected: 0, relationshipsCreated: 2, relationshipsRejected: 0 });
    const v = await ok(svc, 'importCsv', { cis: fx('rvtools-vinfo.csv'), relationships: fx('rvtools-vinfo.csv'), mapping: vms });
    expect(v.counts).toMatchObject({ created: 6, rejected: 0, relationshipsCreated: 6, relationshipsRejected: 0 });
    expect(v.createdTypes).toEqual([]);
    expect(v.createdRelTypes).toEqual([]);
    expect(v.unrecognisedValues).toEqual([]);
    const status = async (key: string) => (await ok(svc, 'getCi', { key })).ci.status;
    expect(await status('50201a3c-7d1e-4b6a-9c5e-1f0e8a7b1001')).toBe('operational'); // poweredOn
    expect(await status('50201a3c-7d1e-4b6a-9c5e-1f0e8a7b1004')).toBe('non-operational'); // poweredOff
    expect(await status('50201a3c-7d1e-4b6a-9c5e-1f0e8a7b1005')).toBe('non-operational'); // suspended
    expect(await status('host-2002')).toBe('maintenance');
    const db = (await ok(svc, 'getCi', { key: '50201a3c-7d1e-4b6a-9c5e-1f0e8a7b1003' })).ci;
    expect(db).toMatchObject({ name: 'shop-db-01', type: 'virtual_machine', description: "Orders database, Müller's team" });
    expect(db.attributes).toMatchObject({ Host: 'fra-esx-01.corp.example', 'VM ID': 'vm-1003', Template: 'False' });
    const vmNames = ['shop-web-01', 'shop-web-02', 'shop-db-01', 'legacy-ftp', 'batch-report', 'tpl-rhel9'];
    // One host lost while the other is in maintenance mode (it runs no VMs): the cluster has none left running, so
    // it and its VMs go down, and the reason says the other was down already. Back in service, it holds them up.
    expect(await impactOf(svc, 'host-2001')).toEqual(Object.fromEntries([['FRA-Prod-01', 'down'], ...vmNames.map((n) => [n, 'down'])]));
    const one = await ok(svc, 'impact', { keys: ['host-2001'] });
    expect(one.impacted.find((c) => c.name === 'FRA-Prod-01')!.path.at(-1)!.why!.group!.notRunning).toEqual([
      { key: 'host-2002', status: 'maintenance' },
    ]);
    await ok(svc, 'updateCi', { key: 'host-2002', fields: { status: 'operational' } });
    expect(await impactOf(svc, 'host-2001')).toEqual(
      Object.fromEntries([['FRA-Prod-01', 'degraded'], ...vmNames.map((n) => [n, 'degraded'])]),
    );
    const both = await ok(svc, 'impact', { keys: ['host-2001', 'host-2002'] });
    expect(Object.fromEntries(both.impacted.filter((c) => !c.key.startsWith('host-')).map((c) => [c.name, c.state]))).toEqual(
      Object.fromEntries([['FRA-Prod-01', 'down'], ...vmNames.map((n) => [n, 'down'])]),
    );
  });

  it("the CSV export's tab-prefixed headers (vInfoVMName, vHostName) are read as the workbook's names", async () => {
    const svc = freshService();
    const suggest = async (headers: string[]) => (await ok(svc, 'suggestMapping', { cis: headers })).mapping.cis;
    expect(await suggest(['vInfoVMName', 'vInfoPowerstate', 'vInfoTemplate', 'vInfoCluster', 'vInfoHost', 'vInfoUUID'])).toEqual({
      id: 'vInfoUUID',
      name: 'vInfoVMName',
      status: 'vInfoPowerstate',
    });
    expect(await suggest(['vHostName', 'vHostDatacenter', 'vHostCluster', 'vHostCpuModel'])).toEqual({ name: 'vHostName' });
    expect(await suggest(['vFloppyVMName', 'vFloppyPowerstate', 'vFloppyTemplate'])).toEqual({
      name: 'vFloppyVMName',
      status: 'vFloppyPowerstate',
    });
    // Only a tab's prefix before a capital is one: a column of another tool that starts alike keeps its name.
    expect(await suggest(['vinfoname', 'Hostname'])).toEqual({ name: 'Hostname' });
  });
});

describe('cloud inventories', () => {
  it('an AWS Config advanced query: resourceId, resourceType and resourceName found; an instance without a name is a clear row error', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('aws-config-advanced-query.csv') });
    expect(p.suggested.cis).toMatchObject({ id: 'resourceId', name: 'resourceName', type: 'resourceType' });
    const r = await fails(svc, 'importCsv', { cis: fx('aws-config-advanced-query.csv') });
    expect(r.message).toContain('aws-config-advanced-query.csv line 2, column resourceName: missing required value');
    // Named by their id instead: every resource imports, its type on the registry's.
    const named = await ok(svc, 'importCsv', {
      cis: fx('aws-config-advanced-query.csv'),
      mapping: { cis: { id: 'resourceId', name: 'resourceId' } },
    });
    expect(named.counts).toMatchObject({ created: 6, rejected: 0 });
    expect(named.createdTypes).toEqual([]);
    const type = async (key: string) => (await ok(svc, 'getCi', { key })).ci.type;
    expect([await type('i-0a1b2c3d4e5f60001'), await type('vol-0123456789abcdef0'), await type('orders-prod')]).toEqual([
      'virtual_machine',
      'storage',
      'database',
    ]);
  });

  it("the EC2 console's instance list: Instance ID keys, Instance state on the scale, its dashes read as empty cells", async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: fx('aws-ec2-console-instances.csv') });
    // Instance type is a size (t3.medium), not a CI type: it stays an attribute.
    expect(p.suggested.cis).toEqual({ id: 'Instance ID', name: 'Name', status: 'Instance state' });
    // An InstanceId that holds no EC2 ids (BMC's, per dataset) is no key.
    const bmcLike = await ok(svc, 'importCsv', {
      cis: { name: 'bmc.csv', content: 'Name,Class Id,InstanceId\nweb-01,BMC_COMPUTERSYSTEM,OI-9F3A2B\n' },
      dryRun: true,
    });
    expect(bmcLike.rows[0]!.key).toBe('server:web-01');
    const r = await ok(svc, 'importCsv', {
      cis: fx('aws-ec2-console-instances.csv'),
      mapping: { ciDefaults: { type: 'virtual_machine' } },
    });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const status = async (key: string) => (await ok(svc, 'getCi', { key })).ci.status;
    expect([await status('i-0a1b2c3d4e5f60011'), await status('i-0a1b2c3d4e5f60013'), await status('i-0a1b2c3d4e5f60014')]).toEqual([
      'operational',
      'non-operational',
      'non-operational',
    ]);
    const worker = (await ok(svc, 'getCi', { key: 'i-0a1b2c3d4e5f60013' })).ci;
    expect(worker).toMatchObject({ name: 'shop-worker', type: 'virtual_machine' });
    // The console's "–" in an empty cell is no value: no `Public IPv4 address: –`.
    expect(worker.attributes).not.toHaveProperty('Public IPv4 address');
    expect(worker.attributes).not.toHaveProperty('Elastic IP');
    expect(worker.attributes).toMatchObject({ 'Instance type': 'm6i.large', 'Availability Zone': 'eu-central-1a' });
  });

  it('an Azure Resource Graph download: ARM ids as keys, resource types on the registry, tags kept as given', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('azure-resource-graph.csv') });
    expect(r.counts).toMatchObject({ created: 6, rejected: 0 });
    expect(r.createdTypes).toEqual(['microsoft_sql_servers']);
    const vm = (
      await ok(svc, 'getCi', {
        key: '/subscriptions/8f2d9c1e-3b4a-4c5d-9e6f-7a8b9c0d1e2f/resourceGroups/rg-shop-prod/providers/Microsoft.Compute/virtualMachines/vm-shop-web-01',
      })
    ).ci;
    expect(vm).toMatchObject({ name: 'vm-shop-web-01', type: 'virtual_machine' });
    expect(vm.attributes.tags).toBe('{"environment":"prod","owner":"team-shop","criticality":"high"}');
  });
});

describe('fields from a key of a JSON column (tags)', () => {
  it('Azure tags as an object: owner, environment and criticality from them; the tags column still kept whole', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', {
      cis: fx('azure-resource-graph.csv'),
      mapping: { cis: { owner: 'tags.owner', environment: 'tags.environment', criticality: 'tags.criticality' } },
    });
    expect(r.counts).toMatchObject({ created: 6, rejected: 0 });
    const vm = (
      await ok(svc, 'getCi', {
        key: '/subscriptions/8f2d9c1e-3b4a-4c5d-9e6f-7a8b9c0d1e2f/resourceGroups/rg-shop-prod/providers/Microsoft.Compute/virtualMachines/vm-shop-web-01',
      })
    ).ci;
    expect(vm).toMatchObject({ owner: 'team-shop', environment: 'prod', criticality: 'high' });
    expect(vm.attributes.tags).toBe('{"environment":"prod","owner":"team-shop","criticality":"high"}');
    const api = (
      await ok(svc, 'getCi', {
        key: '/subscriptions/8f2d9c1e-3b4a-4c5d-9e6f-7a8b9c0d1e2f/resourceGroups/rg-shop-prod/providers/Microsoft.Web/sites/app-shop-api',
      })
    ).ci;
    expect(api).toMatchObject({ owner: null, environment: null, criticality: null });
  });

  it('AWS tags as key/value pairs: the name from the Name tag; a row without it is named as lacking the name', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', {
      cis: fx('aws-config-advanced-query.csv'),
      mapping: { cis: { name: 'tags.Name', owner: 'TAGS.owner', description: 'configuration.instanceType' } },
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ created: 2, rejected: 4 });
    expect(r.errors[0]).toMatchObject({
      line: 4,
      column: 'tags.Name',
      message: expect.stringContaining('missing required value: the CI name'),
    });
    // A header with a dot in it (configuration.instanceType) is a column of its own.
    expect((await ok(svc, 'getCi', { key: 'i-0a1b2c3d4e5f60001' })).ci).toMatchObject({
      name: 'web-prod-1',
      owner: 'team-web',
      description: 'm6i.large',
    });
    expect((await ok(svc, 'getCi', { key: 'i-0a1b2c3d4e5f60002' })).ci.owner).toBeNull();
  });

  it('a cell that is not JSON is a row error naming it; a mapping naming neither a column nor a JSON column is refused', async () => {
    const svc = freshService();
    const content = 'id,name,type,tags\na,A,server,"{""owner"":""x""}"\nb,B,server,owner=y\n';
    const r = await fails(svc, 'importCsv', { cis: { name: 't.csv', content }, mapping: { cis: { owner: 'tags.owner' } } });
    expect(r.message).toContain(
      't.csv line 3, column tags: tags is not a JSON object or a list of key/value pairs, so tags.owner cannot be read from it.',
    );
    const refused = await fails(svc, 'importCsv', { cis: { name: 't.csv', content }, mapping: { cis: { owner: 'labels.owner' } } });
    expect(refused.message).toContain('the mapping puts owner in column "labels.owner", but the file has no such column');
  });
});

describe('a Google Sheets download', () => {
  const mapping: Mapping = { cis: { type: 'Role' }, typeValues: { 'Web server': 'server', Database: 'database' } };

  it('CRLF, no line end after the last row, a number with a thousands separator: every row imports, the number as shown', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: fx('google-sheets-servers.csv'), mapping });
    expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
    expect(r.unrecognisedValues).toEqual([]);
    const web = (await ok(svc, 'getCi', { key: 'server:web-01' })).ci;
    expect(web).toMatchObject({ criticality: 'critical', environment: 'Production' });
    expect(web.attributes).toMatchObject({ 'RAM (GB)': '1,024', 'Go-live': '15/01/2024' });
    expect((await ok(svc, 'getCi', { key: 'server:test-01' })).ci.attributes['RAM (GB)']).toBe('8');
  });

  it("a sheet's totals row and formulas saved as text are imported, and named in notes with what to do", async () => {
    const svc = freshService();
    const content =
      'Hostname,Type,Cost\n"=HYPERLINK(""https://sn/x?id=1"",""web-01"")",server,1\nweb-2,server,"1,234"\nTotal,server,"1,235"\n';
    const r = await ok(svc, 'importCsv', { cis: { name: 'sheet.csv', content }, mapping: { cis: { name: 'Hostname' } } });
    expect(r.counts.created).toBe(3);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        `sheet.csv: line 4 names a CI "Total", as a spreadsheet's totals row does, not a CI: delete that row from the file, then undo this import (import ${r.importId}) and import it again.`,
        `sheet.csv: line 2 has a spreadsheet formula for the CI name (=HYPERLINK("https://sn/x?id=1","web-01")): the sheet was saved with its formulas, and the CMDB keeps their text. Save the sheet's values (copy, paste as values) before exporting it, then undo this import (import ${r.importId}) and import it again.`,
      ]),
    );
    // A totals row with nothing but its name is refused as one, not as a CI whose type is to be filled in.
    const bare = await fails(svc, 'importCsv', {
      cis: { name: 't.csv', content: 'name,type,owner\nAlpha,application,alice\nGrand Total,,\n' },
    });
    expect(bare.message).toContain(
      `t.csv line 3, column name: "Grand Total" with no type looks like a spreadsheet's totals row, not a CI: delete the row from the file.`,
    );
    // Its label in the key column and a count in the name column (Excel's Total;3): the same (found by a tester).
    const keyed = 'Asset Tag;Server Name;Type;Owner\n000101;app-01;Server;Team A\n000102;app-02;Server;Team A\n;;;\nTotal;2;;\n';
    // (A CMDB of its own: the one above holds a CI named Total, which such a row could then be.)
    const sheets = freshService();
    const counted = await fails(sheets, 'importCsv', { cis: { name: 'assets.csv', content: keyed } });
    expect(counted.message).toContain(
      `assets.csv line 5, column Asset Tag: "Total" with no type looks like a spreadsheet's totals row, not a CI: delete the row from the file.`,
    );
    // It is no CI the file lists: with the bad rows skipped, a sync still retires what the file no longer lists.
    await ok(sheets, 'importCsv', {
      cis: { name: 'assets.csv', content: `${keyed.split('\n;;;')[0]}\n000103;app-03;Server;Team A\n` },
      mode: 'sync',
    });
    const again = await ok(sheets, 'importCsv', { cis: { name: 'assets.csv', content: keyed }, mode: 'sync', skipBadRows: true });
    expect(again.counts).toMatchObject({ rejected: 1, retired: 1 });
    expect(again.warnings.filter((w) => w.startsWith('Sync'))).toEqual([]);
    // But a row read as a note or a totals row that names a CI the CMDB has may be that CI, its other cells
    // lost: the sync retires nothing (found by a reviewer).
    const lost = `${keyed.split('\n;;;')[0]}\n;;;\n000103;;;\n`;
    const kept = await ok(sheets, 'importCsv', {
      cis: { name: 'assets.csv', content: lost },
      mode: 'sync',
      skipBadRows: true,
      dryRun: true,
    });
    expect(kept.counts).toMatchObject({ rejected: 1, retired: 0 });
    expect(kept.warnings.filter((w) => w.startsWith('Sync'))).toEqual([
      'Sync retired nothing: 1 CI row was rejected, and a rejected row may be a CI the file still lists. Fix the rows and sync again.',
    ]);
    // A name that only starts with "=" or holds "total" is no such row.
    const plain = await ok(svc, 'importCsv', { cis: { name: 'p.csv', content: 'name,type\n=web,server\ntotal-db,database\n' } });
    expect(plain.warnings.filter((w) => w.includes('totals row') || w.includes('formula'))).toEqual([]);
  });

  it("notes under a sheet's table (a row with only its first cell, below an empty row or written as a note) are named as totals rows are", async () => {
    // A sheet's table, empty rows, then notes (found by a tester: they became CIs without a word).
    const content =
      'Name,Type,Owner,Environment,Notes,IP,IP2,Comment\napp01,server,Team A,Prod,,10.0.0.1,10.0.1.1,\n,,,,,,,\n' +
      'app02,server,Team A,Prod,,10.0.0.2,,\n,,,,,,,\n,,,,,,,\nNotes:,,,,,,,\n* app03 retired in June,,,,,,,\n';
    const sheet = { name: 'sheet3.csv', content };
    const mapping = { ciDefaults: { type: 'server' } };
    const note = (then: string) =>
      `sheet3.csv: 2 rows (the first on line 7) name CIs "Notes:" and have nothing else filled in, as a note under a spreadsheet's table does, not a CI: delete those rows from the file${then}.`;
    // Into an empty CMDB (the bulk load) and into one that holds CIs: the same rows, the same note.
    for (const seeded of [false, true]) {
      const svc = freshService();
      if (seeded) await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: 'name,type\nother,server\n' } });
      const dry = await ok(svc, 'importCsv', { cis: sheet, mapping, dryRun: true });
      expect(dry.warnings).toContain(note(''));
      const r = await ok(svc, 'importCsv', { cis: sheet, mapping });
      expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
      expect(r.warnings).toContain(note(`, then undo this import (import ${r.importId}) and import it again`));
    }
    // Without a type to give them, they are refused as notes, not as CIs whose type is to be filled in.
    const svc = freshService();
    const bare = await fails(svc, 'importCsv', { cis: sheet });
    expect((bare.details as { errors: unknown[] }).errors).toEqual([
      {
        file: 'sheet3.csv',
        line: 7,
        column: 'Name',
        message: `"Notes:" alone on its row looks like a note under a spreadsheet's table, not a CI: delete the row from the file.`,
      },
      {
        file: 'sheet3.csv',
        line: 8,
        column: 'Name',
        message: `"* app03 retired in June" alone on its row looks like a note under a spreadsheet's table, not a CI: delete the row from the file.`,
      },
    ]);
    // Under a first column that is not the name, too (the note is in the first column, the name left empty).
    const keyed = await fails(svc, 'importCsv', {
      cis: { name: 'k.csv', content: 'id,name,type\na-1,A,server\n\nUpdated weekly by ops,,\n' },
    });
    expect(keyed.message).toContain(`k.csv line 4, column id: "Updated weekly by ops" alone on its row looks like a note`);
    // Written alone, without the sheet's empty cells (a line added by hand): the same, not a ragged row.
    for (const line of ['\nUpdated weekly by ops', 'Notes: see the wiki', 'Total']) {
      const alone = await fails(svc, 'importCsv', { cis: { name: 'k.csv', content: `id,name,type\na-1,A,server\n${line}\n` } });
      expect(alone.message, line).toMatch(
        /k\.csv line \d, column id: ".*" (alone on its row looks like a note|with no name looks like a spreadsheet's totals row)/,
      );
    }
    // One field below the header and empty rows, before any data: no note, a ragged row (found by a reviewer).
    const first = await fails(svc, 'importCsv', {
      cis: { name: 'k.csv', content: 'id,name,type\n\nweb-05\n' },
      mapping: { ciDefaults: { type: 'server' } },
    });
    expect(first.message).toContain('ragged row');
    // One field that is no note, below the table: still a ragged row.
    expect((await fails(svc, 'importCsv', { cis: { name: 'k.csv', content: 'id,name,type\na-1,A,server\nweb-02\n' } })).message).toContain(
      'ragged row',
    );
    // A CI with only its name filled is no note: under the header (however many empty rows), or with no empty row above it.
    const names = 'name,owner\n\nweb-01,\nweb-02,team-a\nweb-03,\n';
    const plain = await ok(svc, 'importCsv', { cis: { name: 'n.csv', content: names }, mapping });
    expect(plain.counts.created).toBe(3);
    expect(plain.warnings.filter((w) => w.includes('note under'))).toEqual([]);
  });

  it('a title line above the header: the error says so and what to do, not "fix the mapping"; below empty rows, the header is named at its line', async () => {
    const svc = freshService();
    const hint =
      'The header row names only its first column ("Server inventory (updated weekly)"): if that line is a title above the real header, delete it';
    const mapped = await fails(svc, 'importCsv', { cis: fx('google-sheets-title-row.csv'), mapping });
    expect(mapped.message).toContain('the mapping puts type in column "Role", but the file has no such column');
    expect(mapped.message).toContain(hint);
    expect(mapped.message).not.toContain('Fix the mapping');
    expect((await fails(svc, 'importCsv', { cis: fx('google-sheets-title-row.csv') })).message).toContain(hint);
    const p = await ok(svc, 'previewCsv', { file: fx('google-sheets-title-row.csv') });
    expect(p.warnings.join('\n')).toContain(hint);
    // Below empty rows, the header is named at its own line, and so is what it lacks.
    const below = await fails(svc, 'importCsv', { cis: { name: 'b.csv', content: ',,\n,,\nHost,Kind,Team\nweb-01,server,A\n' } });
    expect(below.message).toContain('b.csv line 3: no column holds the CI name (name).');
    expect(below.details).toMatchObject({ line: 3, column: 'name' });
    const rels = await fails(svc, 'importCsv', { relationships: { name: 'r.csv', content: '\nfrom,to\na,b\n' } });
    expect(rels.message).toContain('r.csv line 2: no column holds the relationship type (type).');
    // A title of several cells: the error that follows it says so too.
    const cells = await fails(svc, 'importCsv', {
      cis: { name: 't.csv', content: 'Report: Servers,Generated 2024-11-03,,\nHost,Kind,Team,Site\nweb-01,server,A,LDN\n' },
    });
    expect(cells.message).toContain(
      'If the first line ("Report: Servers", "Generated 2024-11-03") is a title above the real header, delete it (the header is the first line with a name in it).',
    );
    // A title written without delimiters (a report tool's): a header of one column, and rows of two.
    const bare = { name: 'bare.csv', content: 'Server inventory - exported 2024-05-01\r\nName,Type\r\nweb-1,server\r\n' };
    const bareErr = await fails(svc, 'importCsv', { cis: bare });
    expect(bareErr.message).toBe(
      'bare.csv line 1: this line ("Server inventory - exported 2024-05-01") is read as the header but holds one name, while the first row under it has 2 fields: it is a title above the real header (Apple Numbers writes the table\'s name there when "Include table names" is ticked; a report tool, its name and date). Delete the line, or export again without it, and import the file again. Nothing was imported.',
    );
    expect(bareErr.details).toMatchObject({ line: 1 });
    // Apple Numbers' table names, one word each, above both files: refused at the title, naming it, with nothing written
    // (the error named a missing column, "The columns are: Servers", found by a tester).
    const numbers = await fails(svc, 'importCsv', {
      cis: { name: 'Servers.csv', content: 'Servers\nName,Type,Status\nmail-01,Server,Live\nmail-02,Server,Live\n' },
      relationships: { name: 'Links.csv', content: 'Links\nFrom,To,Kind\nmail-01,mail-02,depends on\n' },
    });
    expect(numbers.message).toMatch(
      /^Servers\.csv line 1: this line \("Servers"\) is read as the header but holds one name, while the first row under it has 3 fields/,
    );
    const links = await fails(svc, 'importCsv', {
      relationships: { name: 'Links.csv', content: 'Links\nFrom,To,Kind\nmail-01,mail-02,depends on\n' },
    });
    expect(links.message).toMatch(/^Links\.csv line 1: this line \("Links"\) is read as the header/);
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    // A file of one column is no title: its rows are one field too (a list of names to update, say).
    const oneColumn = await fails(svc, 'importCsv', { cis: { name: 'one.csv', content: 'Name\nmail-01\nmail-02\n' } });
    expect(oneColumn.message).not.toContain('title above the real header');
    // Nor is one whose first value ends in a comma, or holds one: those rows alone are ragged, the rest import
    // under --skip-bad-rows (found by a reviewer).
    const typed = { ciDefaults: { type: 'server' } };
    const names = async (content: string) =>
      (await ok(svc, 'importCsv', { cis: { name: 'names.csv', content }, mapping: typed, skipBadRows: true, dryRun: true })).counts;
    expect(await names('name\nweb01,\nweb02\nweb03\n')).toMatchObject({ created: 3, rejected: 0 });
    expect(await names('name\nCart Service, EU\nweb02\nweb03\n')).toMatchObject({ created: 2, rejected: 1 });
    const barePreview = await ok(svc, 'previewCsv', { file: bare });
    expect(barePreview.warnings.join('\n')).toContain(
      "bare.csv line 2: ragged row: it has 2 fields but the header has 1. If the header line is a title above the real header (a report's name and date), delete it.",
    );
    // A delimiter given wrongly leaves the header one column holding the real one.
    const semi = await fails(svc, 'importCsv', { cis: { name: 'c.csv', content: 'name,type\nweb-01,server\n' }, delimiter: ';' });
    expect(semi.message).toContain(
      'The header is one column that holds ",": if the file is separated by ",", leave --delimiter out (it is detected) or give that one.',
    );
    // A pipe is not detected: the remedy names it.
    const pipe = await fails(svc, 'importCsv', { cis: { name: 'p.csv', content: 'name|type\nweb-01|server\n' } });
    expect(pipe.message).toContain('The header is one column that holds "|": if the file is separated by "|", give --delimiter pipe.');
    // A one-column file, or a header that names its columns, is no title.
    const one = await ok(svc, 'previewCsv', { file: { name: 'one.csv', content: 'name\nweb-01\n' } });
    expect(one.warnings).toEqual([]);
  });
});

describe('cmdb import, what it says about new types', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('names new relationship types apart from CI types, and says how they are read until mapped', () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const cis = join(FX, 'bmc-computersystem.csv');
    expect(cmdb(['import', '--db', db, '--cis', cis]).code).toBe(0);
    const rels = join(dir, 'rels.csv');
    writeFileSync(rels, 'source,target,type\nesx-fra-01,vm-pay-app01,HOSTS_VM\n');
    const r = cmdb(['import', '--db', db, '--relationships', rels]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'New relationship types added to the registry and flagged for review, each read as a hard depends_on (the source goes down with the target) until mapped to a known type (relTypeValues in a mapping, docs/import.md): hosts_vm',
    );
    expect(r.stdout).not.toContain('New CI types');
  });
});

describe("a spreadsheet's formula errors (#N/A, #REF!, LibreOffice's Err:502)", () => {
  it('are each a row error on their column, saying to fix the formula, not values (found by a tester)', async () => {
    const svc = freshService();
    const cis =
      'id,name,type,owner,criticality\nweb-1,Web 1,server,#N/A,high\nweb-2,Web 2,server,team-web,Err:502\nweb-3,Web 3,server,team-web,low\n';
    const r = await ok(svc, 'importCsv', { cis: { name: 'sheet.csv', content: cis }, skipBadRows: true });
    expect(r.counts).toMatchObject({ created: 1, rejected: 2 });
    expect(r.errors.map((e) => [e.line, e.column, e.message.split(',')[0]])).toEqual([
      [2, 'owner', 'spreadsheet formula error: the cell holds #N/A'],
      [3, 'criticality', 'spreadsheet formula error: the cell holds Err:502'],
    ]);
    expect(r.errors[0]!.message).toContain(
      'Fix the formula in the sheet (or paste the values you mean over it) and export the file again.',
    );
    // Without --skip-bad-rows nothing is imported; a relationship's end #N/A is told the same way, not as a CI to import first.
    const whole = await fails(svc, 'importCsv', { cis: { name: 'sheet.csv', content: cis } });
    expect(whole.message).toContain('sheet.csv line 2, column owner: spreadsheet formula error: the cell holds #N/A');
    const rels = await ok(svc, 'importCsv', {
      relationships: { name: 'rels.csv', content: 'source,target,type\nweb-3,#REF!,depends_on\n' },
      skipBadRows: true,
    });
    expect(rels.errors.map((e) => [e.line, e.column, e.message.slice(0, 43)])).toEqual([
      [2, 'target', 'spreadsheet formula error: the cell holds #'],
    ]);
    // A column left out, or kept as an attribute (a lookup column nobody maps), refuses nothing (found by a reviewer).
    const lookup = 'id,name,type,Lookup,Rack\nweb-4,Web 4,server,#N/A,#REF!\n';
    const kept = await ok(svc, 'importCsv', { cis: { name: 'lookup.csv', content: lookup }, mapping: { ignore: { cis: ['Lookup'] } } });
    expect([kept.counts.created, kept.errors]).toEqual([1, []]);
    // A value that only starts like one is a value.
    const fine = await ok(svc, 'importCsv', {
      cis: { name: 'fine.csv', content: 'id,name,type,owner\n#N/A-1,Err 502,server,Errors team\n' },
    });
    expect(fine.counts.created).toBe(1);
  });
});
