/**
 * Generates the demo CMDB in assets/demo/ (cis.csv, relationships.csv): the
 * estate of an online retailer (shop.example) with a London data centre, an
 * AWS region and SaaS providers, in production and staging.
 *
 * Deterministic: the same output on every run (no clock, no randomness).
 * Run: npx tsx scripts/make-demo.ts [--out DIR]   (default DIR: assets/demo)
 *
 * Before writing, it checks its own output: unique keys, every relationship
 * end exists, no duplicate relationship, and a set of failure scenarios give
 * the answers an engineer expects (evaluated with the redundancy rules of the
 * architecture: groups with min_up, hard/soft/none strengths, member_of read
 * in reverse). A failed check exits non-zero and writes nothing.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toCsv } from '../shared/csv.js';

type Status = 'operational' | 'maintenance' | 'retired' | 'planned';
type Env = 'production' | 'staging';
type Crit = 'critical' | 'high' | 'medium' | 'low';
type Site = 'ldn' | 'aws' | 'saas';
type RelType = 'depends_on' | 'runs_on' | 'hosted_on' | 'member_of' | 'uses' | 'connects_to' | 'backup_of';

const ATTR_COLS = [
  'support_group',
  'cost_centre',
  'contact',
  'location',
  'region',
  'vendor',
  'model',
  'version',
  'ip_address',
  'os',
  'cpu_cores',
  'memory_gb',
  'capacity_tb',
  'instance_type',
  'serial_number',
  'language',
  'repository',
  'url',
] as const;
type AttrCol = (typeof ATTR_COLS)[number];
type Attrs = Partial<Record<AttrCol, string | number>>;

interface CiRec {
  id: string;
  name: string;
  type: string;
  status: Status;
  environment: Env;
  owner: string;
  criticality: Crit;
  description: string;
  site: Site;
  attrs: Attrs;
}

interface RelRec {
  source: string;
  target: string;
  type: RelType;
  group?: string | undefined;
  minUp?: number | undefined;
  protocol?: string | undefined;
  port?: number | undefined;
  note?: string | undefined;
}

// ---------------------------------------------------------------------------
// Teams: every CI has an owning team, a support group and a cost centre.

interface Team {
  contact: string;
  supportGroup: string;
  costCentre: string;
}
const TEAMS: Record<string, Team> = {
  'team-web': { contact: 'amara.okafor@shop.example', supportGroup: 'Web Frontend L2', costCentre: 'CC-4100' },
  'team-checkout': { contact: 'lena.fischer@shop.example', supportGroup: 'Checkout L2', costCentre: 'CC-4110' },
  'team-payments': { contact: 'raj.patel@shop.example', supportGroup: 'Payments L2', costCentre: 'CC-4120' },
  'team-catalogue': { contact: 'tom.wright@shop.example', supportGroup: 'Catalogue L2', costCentre: 'CC-4130' },
  'team-search': { contact: 'mei.lin@shop.example', supportGroup: 'Search L2', costCentre: 'CC-4140' },
  'team-identity': { contact: 'jonas.berg@shop.example', supportGroup: 'Identity L2', costCentre: 'CC-4150' },
  'team-orders': { contact: 'sofia.rossi@shop.example', supportGroup: 'Orders L2', costCentre: 'CC-4160' },
  'team-fulfilment': { contact: 'kwame.mensah@shop.example', supportGroup: 'Fulfilment L2', costCentre: 'CC-4170' },
  'team-customer-care': { contact: 'hannah.doyle@shop.example', supportGroup: 'Customer Care Systems', costCentre: 'CC-4180' },
  'team-comms': { contact: 'diego.alvarez@shop.example', supportGroup: 'Customer Comms L2', costCentre: 'CC-4190' },
  'team-discovery': { contact: 'anya.ivanova@shop.example', supportGroup: 'Discovery L2', costCentre: 'CC-4200' },
  'team-merch': { contact: 'oliver.grant@shop.example', supportGroup: 'Merchandising Systems', costCentre: 'CC-4210' },
  'team-marketing': { contact: 'chloe.martin@shop.example', supportGroup: 'Marketing Technology', costCentre: 'CC-4230' },
  'team-data': { contact: 'fatima.zahra@shop.example', supportGroup: 'Data Engineering', costCentre: 'CC-4220' },
  'team-platform': { contact: 'sam.carter@shop.example', supportGroup: 'Platform Engineering', costCentre: 'CC-5100' },
  'team-dba': { contact: 'ines.moreau@shop.example', supportGroup: 'DBA On-call', costCentre: 'CC-5110' },
  'team-network': { contact: 'patrick.nolan@shop.example', supportGroup: 'Network Operations', costCentre: 'CC-5120' },
  'team-infra': { contact: 'yuki.tanaka@shop.example', supportGroup: 'Infrastructure Ops', costCentre: 'CC-5130' },
  'team-cloud': { contact: 'grace.kim@shop.example', supportGroup: 'Cloud Operations', costCentre: 'CC-5140' },
  'team-sre': { contact: 'marek.nowak@shop.example', supportGroup: 'SRE On-call', costCentre: 'CC-5150' },
  'team-security': { contact: 'leila.haddad@shop.example', supportGroup: 'Security Operations', costCentre: 'CC-5160' },
};

// ---------------------------------------------------------------------------
// The builder.

const cis = new Map<string, CiRec>();
const rels: RelRec[] = [];

interface CiOpts {
  status?: Status;
  environment?: Env;
  criticality: Crit;
  description: string;
  site: Site;
  attrs?: Attrs;
}

function ci(id: string, type: string, name: string, owner: string, o: CiOpts): string {
  if (cis.has(id)) throw new Error(`duplicate CI key ${id}`);
  const team = TEAMS[owner];
  if (!team) throw new Error(`unknown team ${owner} for ${id}`);
  cis.set(id, {
    id,
    name,
    type,
    status: o.status ?? 'operational',
    environment: o.environment ?? 'production',
    owner,
    criticality: o.criticality,
    description: o.description,
    site: o.site,
    attrs: { support_group: team.supportGroup, cost_centre: team.costCentre, contact: team.contact, ...o.attrs },
  });
  return id;
}

function rel(source: string, target: string, type: RelType, extra: Omit<RelRec, 'source' | 'target' | 'type'> = {}): void {
  rels.push({ source, target, type, ...extra });
}

/** A redundant set: `dependent` needs `minUp` of `targets` (same relationship type, one group label). */
function group(
  dependent: string,
  targets: string[],
  label: string,
  minUp: number,
  type: RelType = 'depends_on',
  extra: Partial<RelRec> = {},
) {
  for (const t of targets) rel(dependent, t, type, { ...extra, group: label, minUp });
}

/** Members that a cluster needs at least `minUp` of (member_of: the cluster depends on its members). */
function members(cluster: string, memberIds: string[], label: string, minUp: number): void {
  for (const m of memberIds) rel(m, cluster, 'member_of', { group: label, minUp });
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Deterministic FNV-1a hash, for serial numbers. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
const serial = (prefix: string, id: string) => `${prefix}${hash(id).toString(36).toUpperCase().padStart(7, '0')}`;

const ipCounters = new Map<string, number>();
/** The next address in a /16, skipping .0-.9 of each /24. */
function ip(prefix: string): string {
  const n = ipCounters.get(prefix) ?? 0;
  ipCounters.set(prefix, n + 1);
  return `${prefix}.${Math.floor(n / 240)}.${(n % 240) + 10}`;
}
const NET = { mgmt: '10.0', prod: '10.20', stg: '10.40', dr: '10.60', aws: '10.100' };

const LD4 = 'London LD4';
const rackLoc = (rack: string) => `${LD4}, Hall 2, Rack ${rack}`;

// ---------------------------------------------------------------------------
// Network: transit, firewalls, core, top-of-rack pairs, SAN fabric, out-of-band.

const transit = [
  ci('net-transit-colt', 'network_device', 'Internet transit (Colt)', 'team-network', {
    criticality: 'critical',
    description: '10 Gbit/s internet transit circuit into LD4, first of two carriers.',
    site: 'ldn',
    attrs: { vendor: 'Colt', location: LD4, model: '10G DIA' },
  }),
  ci('net-transit-lumen', 'network_device', 'Internet transit (Lumen)', 'team-network', {
    criticality: 'critical',
    description: '10 Gbit/s internet transit circuit into LD4, second carrier.',
    site: 'ldn',
    attrs: { vendor: 'Lumen', location: LD4, model: '10G DIA' },
  }),
];

const coreSw = [1, 2].map((n) =>
  ci(`sw-core-ldn-${pad(n)}`, 'network_device', `Core switch LDN ${pad(n)}`, 'team-network', {
    criticality: 'critical',
    description: 'Data-centre core/spine switch; the pair carries all east-west and north-south traffic in LD4.',
    site: 'ldn',
    attrs: {
      vendor: 'Arista',
      model: '7280R3',
      version: 'EOS 4.31.2F',
      ip_address: ip(NET.mgmt),
      location: rackLoc('A10'),
      serial_number: serial('JPE', `core${n}`),
    },
  }),
);

const fw = [1, 2].map((n) =>
  ci(`fw-edge-ldn-${pad(n)}`, 'network_device', `Edge firewall LDN ${pad(n)}`, 'team-security', {
    criticality: 'critical',
    description: 'Perimeter firewall, active/passive pair with the other edge firewall.',
    site: 'ldn',
    attrs: {
      vendor: 'Palo Alto Networks',
      model: 'PA-5450',
      version: 'PAN-OS 11.1.2',
      ip_address: ip(NET.mgmt),
      location: rackLoc('A10'),
      serial_number: serial('PA', `fw${n}`),
    },
  }),
);
for (const f of fw) {
  group(f, transit, 'internet-transit', 1);
  group(f, coreSw, 'core-switches', 1);
}

const racks = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'];
const torPair = new Map<string, string[]>();
for (const rack of racks) {
  const pair = ['1', '2'].map((side) =>
    ci(`sw-tor-ldn-${rack.toLowerCase()}-${side}`, 'network_device', `ToR switch ${rack}-${side}`, 'team-network', {
      criticality: 'high',
      description: `Top-of-rack leaf switch ${side} of 2 in rack ${rack}; every host in the rack is dual-homed to both.`,
      site: 'ldn',
      attrs: {
        vendor: 'Arista',
        model: '7050X3',
        version: 'EOS 4.31.2F',
        ip_address: ip(NET.mgmt),
        location: rackLoc(rack),
        serial_number: serial('JPE', `tor${rack}${side}`),
      },
    }),
  );
  for (const sw of pair) group(sw, coreSw, 'core-switches', 1);
  torPair.set(rack, pair);
}
const tor = (rack: string) => torPair.get(rack)!;

const fcSw = ['a', 'b'].map((side) =>
  ci(`sw-fc-ldn-${side}`, 'network_device', `SAN fabric switch ${side.toUpperCase()}`, 'team-infra', {
    criticality: 'critical',
    description: `Fibre Channel switch, fabric ${side.toUpperCase()}; hosts and arrays connect to both fabrics.`,
    site: 'ldn',
    attrs: { vendor: 'Brocade', model: 'G720', version: 'FOS 9.2.0', ip_address: ip(NET.mgmt), location: rackLoc('A10') },
  }),
);

const oobSw = [1, 2].map((n) =>
  ci(`sw-oob-ldn-${pad(n)}`, 'network_device', `Out-of-band management switch ${pad(n)}`, 'team-network', {
    criticality: 'low',
    description: 'Management network for iDRAC/console ports. Not in the data path.',
    site: 'ldn',
    attrs: { vendor: 'Cisco', model: 'Catalyst 9200', version: 'IOS-XE 17.9', ip_address: ip(NET.mgmt), location: rackLoc('A10') },
  }),
);

// ---------------------------------------------------------------------------
// Storage and backup.

const sanProd = [1, 2].map((n) =>
  ci(`san-ldn-${pad(n)}`, 'storage', `Flash array LDN ${pad(n)}`, 'team-infra', {
    criticality: 'critical',
    description: `All-flash SAN array (dual controller) holding the VMFS datastores of production hypervisors ${n === 1 ? '01-08' : '09-16'}.`,
    site: 'ldn',
    attrs: {
      vendor: 'Pure Storage',
      model: 'FlashArray//X70 R4',
      version: 'Purity 6.5.4',
      capacity_tb: 180,
      ip_address: ip(NET.mgmt),
      location: rackLoc('A10'),
      serial_number: serial('PURE', `san${n}`),
    },
  }),
);
for (const s of sanProd) group(s, fcSw, 'fc-fabrics', 1);

const nas = ci('nas-ldn-01', 'storage', 'NAS LDN 01 (staging datastores)', 'team-infra', {
  environment: 'staging',
  criticality: 'medium',
  description: 'NFS filer for staging datastores and shared file exports.',
  site: 'ldn',
  attrs: {
    vendor: 'NetApp',
    model: 'AFF A250',
    version: 'ONTAP 9.14.1',
    capacity_tb: 60,
    ip_address: ip(NET.mgmt),
    location: rackLoc('A09'),
    serial_number: serial('NTAP', 'nas1'),
  },
});
group(nas, tor('A09'), 'tor-a09', 1);

const backup = ci('stor-backup-ldn-01', 'storage', 'Backup appliance LDN 01', 'team-infra', {
  criticality: 'high',
  description: 'Immutable backup appliance: nightly backups of every production database, 35-day retention.',
  site: 'ldn',
  attrs: {
    vendor: 'Rubrik',
    model: 'r6410',
    version: 'CDM 9.1',
    capacity_tb: 240,
    ip_address: ip(NET.mgmt),
    location: rackLoc('A10'),
    serial_number: serial('RBK', 'bkp1'),
  },
});
group(backup, tor('A10'), 'tor-a10', 1);

// ---------------------------------------------------------------------------
// Compute: vSphere clusters of hypervisors, production and staging.

const HV_PER_RACK = 2;
const hvProd: string[] = [];
for (let i = 1; i <= 16; i++) {
  const rack = racks[Math.floor((i - 1) / HV_PER_RACK)]!;
  const id = ci(`hv-ldn-${pad(i)}`, 'hypervisor', `ESXi host LDN ${pad(i)}`, 'team-infra', {
    status: i === 7 ? 'maintenance' : 'operational',
    criticality: 'high',
    description:
      i === 7
        ? 'Production ESXi host; in maintenance mode for a DIMM replacement; its VMs were moved to other hosts.'
        : 'Production ESXi host in the LDN production vSphere cluster.',
    site: 'ldn',
    attrs: {
      vendor: 'Dell',
      model: 'PowerEdge R760',
      version: 'ESXi 8.0 U2',
      cpu_cores: 64,
      memory_gb: 1024,
      ip_address: ip(NET.mgmt),
      location: rackLoc(rack),
      serial_number: serial('DL', `hv${i}`),
    },
  });
  group(id, tor(rack), `tor-${rack.toLowerCase()}`, 1);
  rel(id, sanProd[i <= 8 ? 0 : 1]!, 'depends_on', { protocol: 'fc', note: 'VMFS datastores' });
  rel(oobSw[i % 2]!, id, 'connects_to', { note: 'iDRAC' });
  hvProd.push(id);
}
const vsphereProd = ci('cl-vsphere-ldn-prod', 'cluster', 'vSphere cluster LDN production', 'team-infra', {
  criticality: 'critical',
  description: 'HA/DRS cluster of the 16 production ESXi hosts; sized N+4.',
  site: 'ldn',
  attrs: { vendor: 'VMware', version: 'vCenter 8.0 U2', location: LD4 },
});
members(vsphereProd, hvProd, 'vsphere-prod-hosts', 12);

const hvStg: string[] = [];
for (let i = 1; i <= 4; i++) {
  const id = ci(`hv-ldn-stg-${pad(i)}`, 'hypervisor', `ESXi host LDN staging ${pad(i)}`, 'team-infra', {
    environment: 'staging',
    criticality: 'low',
    description: 'Staging ESXi host.',
    site: 'ldn',
    attrs: {
      vendor: 'Dell',
      model: 'PowerEdge R650',
      version: 'ESXi 8.0 U2',
      cpu_cores: 48,
      memory_gb: 512,
      ip_address: ip(NET.mgmt),
      location: rackLoc('A09'),
      serial_number: serial('DL', `hvstg${i}`),
    },
  });
  group(id, tor('A09'), 'tor-a09', 1);
  rel(id, nas, 'depends_on', { protocol: 'nfs', note: 'NFS datastores' });
  hvStg.push(id);
}
const vsphereStg = ci('cl-vsphere-ldn-stg', 'cluster', 'vSphere cluster LDN staging', 'team-infra', {
  environment: 'staging',
  criticality: 'low',
  description: 'Staging vSphere cluster; no spare capacity.',
  site: 'ldn',
  attrs: { vendor: 'VMware', version: 'vCenter 8.0 U2', location: LD4 },
});
members(vsphereStg, hvStg, 'vsphere-stg-hosts', 3);

// The disaster-recovery site (Slough SL2): warm standby for the critical databases.
const SL2 = 'Slough SL2';
const coreSl2 = [1, 2].map((n) =>
  ci(`sw-core-sl2-${pad(n)}`, 'network_device', `Core switch SL2 ${pad(n)}`, 'team-network', {
    criticality: 'high',
    description: 'Core switch of the DR site.',
    site: 'ldn',
    attrs: { vendor: 'Arista', model: '7280R3', version: 'EOS 4.31.2F', ip_address: ip(NET.mgmt), location: `${SL2}, Suite 4, Rack B05` },
  }),
);
const dci = [1, 2].map((n) => {
  const id = ci(`net-dci-ldn-sl2-${pad(n)}`, 'network_device', `Data-centre interconnect LD4-SL2 ${pad(n)}`, 'team-network', {
    criticality: 'high',
    description: 'Dark-fibre 100G wave between LD4 and SL2 (diverse routes); carries database replication to the DR site.',
    site: 'ldn',
    attrs: { vendor: 'euNetworks', model: '100G wave', location: `${LD4} - ${SL2}` },
  });
  group(id, coreSw, 'core-switches', 1);
  group(id, coreSl2, 'core-switches-sl2', 1);
  return id;
});
const torSl2 = ['B01', 'B02'].map((rack) => {
  const pair = ['1', '2'].map((side) =>
    ci(`sw-tor-sl2-${rack.toLowerCase()}-${side}`, 'network_device', `ToR switch SL2 ${rack}-${side}`, 'team-network', {
      criticality: 'medium',
      description: `Top-of-rack leaf switch ${side} of 2 in SL2 rack ${rack}.`,
      site: 'ldn',
      attrs: {
        vendor: 'Arista',
        model: '7050X3',
        version: 'EOS 4.31.2F',
        ip_address: ip(NET.mgmt),
        location: `${SL2}, Suite 4, Rack ${rack}`,
      },
    }),
  );
  for (const sw of pair) group(sw, coreSl2, 'core-switches-sl2', 1);
  return { rack, pair };
});
const sanSl2 = ci('san-sl2-01', 'storage', 'Flash array SL2 01', 'team-infra', {
  criticality: 'high',
  description: 'SAN array of the DR site.',
  site: 'ldn',
  attrs: {
    vendor: 'Pure Storage',
    model: 'FlashArray//X50 R4',
    version: 'Purity 6.5.4',
    capacity_tb: 90,
    ip_address: ip(NET.mgmt),
    location: `${SL2}, Suite 4, Rack B02`,
    serial_number: serial('PURE', 'sansl2'),
  },
});
group(sanSl2, torSl2[1]!.pair, 'tor-b02', 1);
const hvDr: string[] = [];
for (let i = 1; i <= 6; i++) {
  const { rack, pair } = torSl2[(i - 1) % 2]!;
  const id = ci(`hv-sl2-${pad(i)}`, 'hypervisor', `ESXi host SL2 ${pad(i)}`, 'team-infra', {
    criticality: 'medium',
    description: 'DR-site ESXi host.',
    site: 'ldn',
    attrs: {
      vendor: 'Dell',
      model: 'PowerEdge R750',
      version: 'ESXi 8.0 U2',
      cpu_cores: 48,
      memory_gb: 768,
      ip_address: ip(NET.mgmt),
      location: `${SL2}, Suite 4, Rack ${rack}`,
      serial_number: serial('DL', `hvsl2${i}`),
    },
  });
  group(id, pair, `tor-${rack.toLowerCase()}`, 1);
  rel(id, sanSl2, 'depends_on', { protocol: 'iscsi', note: 'VMFS datastores' });
  hvDr.push(id);
}
const vsphereDr = ci('cl-vsphere-sl2-dr', 'cluster', 'vSphere cluster SL2 DR', 'team-infra', {
  criticality: 'medium',
  description: 'DR cluster; runs the standby databases, sized to take the critical workloads in a site loss.',
  site: 'ldn',
  attrs: { vendor: 'VMware', version: 'vCenter 8.0 U2', location: SL2 },
});
members(vsphereDr, hvDr, 'vsphere-dr-hosts', 4);

// Production VMs are spread round-robin over the hosts, skipping the host in maintenance;
// members of one redundant set land on different hosts.
let hvCursor = 0;
function nextProdHost(): string {
  for (;;) {
    const h = hvProd[hvCursor++ % hvProd.length]!;
    if (cis.get(h)!.status === 'operational') return h;
  }
}
let hvStgCursor = 0;
const nextStgHost = () => hvStg[hvStgCursor++ % hvStg.length]!;
let hvDrCursor = 0;
const nextDrHost = () => hvDr[hvDrCursor++ % hvDr.length]!;

interface VmSpec {
  id: string;
  name: string;
  owner: string;
  crit: Crit;
  description: string;
  os?: string;
  cpu: number;
  mem: number;
  env?: Env;
  status?: Status;
  /** On the DR site rather than LD4. */
  dr?: boolean;
}
function vm(s: VmSpec): string {
  const env = s.env ?? 'production';
  const host = s.dr ? nextDrHost : env === 'production' ? nextProdHost : nextStgHost;
  const id = ci(s.id, 'virtual_machine', s.name, s.owner, {
    environment: env,
    status: s.status ?? 'operational',
    criticality: s.crit,
    description: s.description,
    site: 'ldn',
    attrs: {
      os: s.os ?? 'Ubuntu 22.04 LTS',
      cpu_cores: s.cpu,
      memory_gb: s.mem,
      ip_address: ip(s.dr ? NET.dr : env === 'production' ? NET.prod : NET.stg),
      location: s.dr ? 'Slough SL2' : LD4,
      vendor: 'VMware',
    },
  });
  if ((s.status ?? 'operational') !== 'retired') rel(id, host(), 'hosted_on');
  return id;
}

// ---------------------------------------------------------------------------
// Load balancers, DNS, AWS connectivity.

const lbEdge = [1, 2].map((n) =>
  ci(`lb-edge-prod-${pad(n)}`, 'load_balancer', `Edge load balancer ${pad(n)}`, 'team-network', {
    criticality: 'critical',
    description: 'Public load balancer for www.shop.example (TLS termination, WAF); active/standby pair.',
    site: 'ldn',
    attrs: {
      vendor: 'F5',
      model: 'BIG-IP i7800',
      version: 'TMOS 17.1.1',
      ip_address: ip(NET.prod),
      location: rackLoc('A10'),
      serial_number: serial('F5', `lbe${n}`),
    },
  }),
);
for (const lb of lbEdge) {
  group(lb, fw, 'edge-firewalls', 1);
  group(lb, coreSw, 'core-switches', 1);
}
const lbInt = [1, 2].map((n) =>
  ci(`lb-int-prod-${pad(n)}`, 'load_balancer', `Internal load balancer ${pad(n)}`, 'team-network', {
    criticality: 'critical',
    description: 'Internal VIPs (Kubernetes API, ingress, Kafka bootstrap); active/standby pair.',
    site: 'ldn',
    attrs: {
      vendor: 'F5',
      model: 'BIG-IP i5800',
      version: 'TMOS 17.1.1',
      ip_address: ip(NET.prod),
      location: rackLoc('A10'),
      serial_number: serial('F5', `lbi${n}`),
    },
  }),
);
for (const lb of lbInt) group(lb, coreSw, 'core-switches', 1);
const lbStg = ci('lb-stg-01', 'load_balancer', 'Staging load balancer', 'team-network', {
  environment: 'staging',
  criticality: 'low',
  description: 'Single virtual load balancer for staging.shop.example.',
  site: 'ldn',
  attrs: { vendor: 'F5', model: 'BIG-IP Virtual Edition', version: 'TMOS 17.1.1', ip_address: ip(NET.stg), location: LD4 },
});
group(lbStg, tor('A09'), 'tor-a09', 1);
ci('lb-edge-old-01', 'load_balancer', 'Old edge load balancer (NetScaler)', 'team-network', {
  status: 'retired',
  criticality: 'low',
  description: 'Former public load balancer; replaced by the F5 pair, awaiting physical removal.',
  site: 'ldn',
  attrs: { vendor: 'Citrix', model: 'NetScaler MPX 8900', version: '13.0', location: rackLoc('A10') },
});

const dnsPublic = ci('dns-public-shop', 'dns', 'Public DNS zone shop.example', 'team-network', {
  criticality: 'critical',
  description: 'Authoritative public zone for shop.example (Route 53, anycast).',
  site: 'aws',
  attrs: { vendor: 'Amazon Web Services', model: 'Route 53 hosted zone', region: 'global', url: 'https://shop.example' },
});
const dnsInt = [1, 2].map((n) =>
  ci(`dns-int-ldn-${pad(n)}`, 'dns', `Internal DNS LDN ${pad(n)}`, 'team-network', {
    criticality: 'critical',
    description: 'Internal resolver and authoritative for corp.shop.example; pair behind one anycast address.',
    site: 'ldn',
    attrs: { vendor: 'Infoblox', model: 'IB-2225', version: 'NIOS 9.0.3', ip_address: ip(NET.prod), location: rackLoc('A10') },
  }),
);
for (const d of dnsInt) group(d, coreSw, 'core-switches', 1);

const dx = [1, 2].map((n) =>
  ci(`aws-dx-ldn-${pad(n)}`, 'cloud_resource', `AWS Direct Connect LDN ${pad(n)}`, 'team-cloud', {
    criticality: 'critical',
    description: '10 Gbit/s Direct Connect link between LD4 and eu-west-1; two links on diverse paths.',
    site: 'aws',
    attrs: { vendor: 'Amazon Web Services', model: 'Direct Connect 10G', region: 'eu-west-1', location: LD4 },
  }),
);
for (const d of dx) group(d, coreSw, 'core-switches', 1);

// ---------------------------------------------------------------------------
// AWS eu-west-1.

const awsAttrs = (model: string, extra: Attrs = {}): Attrs => ({ vendor: 'Amazon Web Services', model, region: 'eu-west-1', ...extra });
const vpc = ci('aws-vpc-prod', 'cloud_resource', 'VPC prod eu-west-1', 'team-cloud', {
  criticality: 'critical',
  description: 'Production VPC (10.100.0.0/16) across three availability zones.',
  site: 'aws',
  attrs: awsAttrs('VPC'),
});
const nat = ['a', 'b', 'c'].map((az) => {
  const id = ci(`aws-nat-euw1${az}`, 'cloud_resource', `NAT gateway eu-west-1${az}`, 'team-cloud', {
    criticality: 'high',
    description: `Egress NAT gateway in eu-west-1${az}.`,
    site: 'aws',
    attrs: awsAttrs('NAT Gateway', { location: `AWS eu-west-1${az}` }),
  });
  rel(id, vpc, 'depends_on');
  return id;
});
for (const d of dx) rel(d, vpc, 'connects_to', { note: 'virtual private gateway' });
const eksCp = ci('aws-eks-prod-cp', 'cloud_resource', 'EKS control plane prod', 'team-cloud', {
  criticality: 'critical',
  description: 'Managed Kubernetes control plane of k8s-prod-aws.',
  site: 'aws',
  attrs: awsAttrs('EKS', { version: '1.29' }),
});
rel(eksCp, vpc, 'depends_on');
const alb = ci('aws-alb-prod', 'cloud_resource', 'Application load balancer prod (api.shop.example)', 'team-cloud', {
  criticality: 'critical',
  description: 'Public ALB for api.shop.example (mobile apps and partners), spread over three AZs by AWS.',
  site: 'aws',
  attrs: awsAttrs('ALB', { url: 'https://api.shop.example' }),
});
rel(alb, vpc, 'depends_on');
const waf = ci('aws-waf-prod', 'cloud_resource', 'WAF web ACL prod', 'team-security', {
  criticality: 'high',
  description: 'Managed rule sets and bot control in front of the ALB and the CDN.',
  site: 'aws',
  attrs: awsAttrs('WAF'),
});
rel(alb, waf, 'depends_on');
const certApi = ci('aws-acm-cert-api', 'cloud_resource', 'TLS certificate api.shop.example', 'team-security', {
  criticality: 'critical',
  description: 'ACM certificate of api.shop.example; auto-renewed by DNS validation.',
  site: 'aws',
  attrs: awsAttrs('ACM certificate', { url: 'https://api.shop.example' }),
});
rel(alb, certApi, 'depends_on');
const cdn = ci('aws-cloudfront-shop', 'cloud_resource', 'CDN for static.shop.example', 'team-cloud', {
  criticality: 'high',
  description: 'CloudFront distribution for product images and static assets.',
  site: 'aws',
  attrs: awsAttrs('CloudFront', { region: 'global', url: 'https://static.shop.example' }),
});
const s3 = (id: string, name: string, owner: string, crit: Crit, description: string) =>
  ci(id, 'cloud_resource', name, owner, { criticality: crit, description, site: 'aws', attrs: awsAttrs('S3 bucket') });
const s3Images = s3('aws-s3-product-images', 'S3 product images', 'team-catalogue', 'high', 'Original and resized product images.');
rel(cdn, s3Images, 'depends_on', { note: 'origin' });
rel(cdn, waf, 'depends_on');
const certStatic = ci('aws-acm-cert-static', 'cloud_resource', 'TLS certificate static.shop.example', 'team-security', {
  criticality: 'high',
  description: 'ACM certificate of static.shop.example (us-east-1, as CloudFront requires).',
  site: 'aws',
  attrs: awsAttrs('ACM certificate', { region: 'us-east-1', url: 'https://static.shop.example' }),
});
rel(cdn, certStatic, 'depends_on');
const s3Ml = s3('aws-s3-ml-features', 'S3 ML feature store', 'team-discovery', 'medium', 'Feature files for the recommendation models.');
const s3Fraud = s3('aws-s3-fraud-models', 'S3 fraud models', 'team-payments', 'high', 'Trained fraud-scoring models.');
const s3Templates = s3('aws-s3-notification-templates', 'S3 notification templates', 'team-comms', 'medium', 'Email and SMS templates.');
const s3Lake = s3('aws-s3-data-lake', 'S3 data lake', 'team-data', 'low', 'Raw event and order data for analytics.');
const s3Backups = s3('aws-s3-db-backups', 'S3 database backups', 'team-dba', 'high', 'Snapshots and exports of the RDS databases.');
const sqsReturns = ci('aws-sqs-returns', 'cloud_resource', 'SQS returns queue', 'team-customer-care', {
  criticality: 'medium',
  description: 'Queue of return requests awaiting label generation.',
  site: 'aws',
  attrs: awsAttrs('SQS'),
});
const awsRes = (id: string, name: string, owner: string, crit: Crit, model: string, description: string) => {
  const r = ci(id, 'cloud_resource', name, owner, { criticality: crit, description, site: 'aws', attrs: awsAttrs(model) });
  rel(r, vpc, 'connects_to');
  return r;
};
const ddbWishlist = awsRes(
  'aws-dynamodb-wishlist',
  'DynamoDB table wishlist',
  'team-discovery',
  'low',
  'DynamoDB',
  'Wishlist items per customer.',
);
const ddbSlots = awsRes(
  'aws-dynamodb-delivery-slots',
  'DynamoDB table delivery-slots',
  'team-fulfilment',
  'high',
  'DynamoDB',
  'Delivery slot capacity per postcode area.',
);
const lambdaResize = awsRes(
  'aws-lambda-image-resize',
  'Lambda image-resize',
  'team-catalogue',
  'medium',
  'Lambda',
  'Resizes uploaded product images.',
);
const s3Feeds = s3('aws-s3-product-feeds', 'S3 product feeds', 'team-marketing', 'low', 'Nightly product feeds for marketplaces and ads.');
const s3Invoices = s3('aws-s3-invoices', 'S3 invoices', 'team-orders', 'medium', 'PDF invoices, kept seven years.');
const sqsPriceAlerts = awsRes(
  'aws-sqs-price-alerts',
  'SQS price-alerts queue',
  'team-discovery',
  'low',
  'SQS',
  'Pending price-drop alerts.',
);
const kms = awsRes(
  'aws-kms-prod',
  'KMS keys prod',
  'team-security',
  'critical',
  'KMS',
  'Encryption keys of the production S3 buckets and RDS instances.',
);
for (const b of [s3Images, s3Fraud, s3Backups, s3Invoices]) rel(b, kms, 'depends_on', { note: 'SSE-KMS' });
rel(lambdaResize, s3Images, 'depends_on');
const r53Resolver = ci('dns-aws-resolver', 'dns', 'Route 53 resolver eu-west-1', 'team-cloud', {
  criticality: 'critical',
  description: 'VPC resolver with forwarding rules to the LDN internal DNS for corp.shop.example.',
  site: 'aws',
  attrs: awsAttrs('Route 53 Resolver'),
});
rel(r53Resolver, vpc, 'depends_on');
group(r53Resolver, dnsInt, 'ldn-dns', 1, 'uses', { note: 'conditional forwarding for corp.shop.example' });

// ---------------------------------------------------------------------------
// Kubernetes: on-prem production, AWS production, staging.

function k8sCluster(id: string, name: string, env: Env, site: Site, description: string, attrs: Attrs): string {
  return ci(id, 'kubernetes_cluster', name, 'team-platform', {
    environment: env,
    criticality: env === 'production' ? 'critical' : 'low',
    description,
    site,
    attrs,
  });
}
const k8sLdn = k8sCluster('k8s-prod-ldn', 'Kubernetes prod LDN', 'production', 'ldn', 'On-prem production cluster (RKE2) in LD4.', {
  vendor: 'SUSE Rancher',
  version: 'RKE2 v1.29.4',
  location: LD4,
  url: 'https://k8s-prod-ldn.corp.shop.example:6443',
});
const k8sAws = k8sCluster('k8s-prod-aws', 'Kubernetes prod AWS', 'production', 'aws', 'EKS production cluster in eu-west-1.', {
  vendor: 'Amazon Web Services',
  version: 'EKS 1.29',
  region: 'eu-west-1',
});
const k8sStg = k8sCluster('k8s-stg-ldn', 'Kubernetes staging LDN', 'staging', 'ldn', 'Staging cluster (RKE2) in LD4; mirrors prod LDN.', {
  vendor: 'SUSE Rancher',
  version: 'RKE2 v1.30.1',
  location: LD4,
});

function k8sNode(id: string, name: string, env: Env, role: string, attrs: Attrs, status: Status = 'operational', site: Site = 'ldn') {
  return ci(id, 'kubernetes_node', name, 'team-platform', {
    environment: env,
    status,
    criticality: env === 'production' ? 'high' : 'low',
    description: `${role} node of ${id.replace(/-(cp|w|ng\d-[abc])-?\d+$/, '')}.`,
    site,
    attrs,
  });
}
const ldnCp = [1, 2, 3].map((n) => {
  const id = k8sNode(`k8s-prod-ldn-cp-${pad(n)}`, `k8s prod LDN control plane ${pad(n)}`, 'production', 'Control-plane (etcd)', {
    os: 'SLE Micro 5.5',
    cpu_cores: 8,
    memory_gb: 32,
    ip_address: ip(NET.prod),
    location: LD4,
  });
  rel(id, nextProdHost(), 'hosted_on');
  return id;
});
const ldnWorkers = Array.from({ length: 20 }, (_, i) => {
  const id = k8sNode(`k8s-prod-ldn-w-${pad(i + 1)}`, `k8s prod LDN worker ${pad(i + 1)}`, 'production', 'Worker', {
    os: 'SLE Micro 5.5',
    cpu_cores: 32,
    memory_gb: 256,
    ip_address: ip(NET.prod),
    location: LD4,
  });
  rel(id, nextProdHost(), 'hosted_on');
  return id;
});
members(k8sLdn, ldnCp, 'k8s-prod-ldn-control-plane', 2);
members(k8sLdn, ldnWorkers, 'k8s-prod-ldn-workers', 14);
group(k8sLdn, lbInt, 'internal-lb', 1, 'depends_on', { note: 'API server and ingress VIPs' });
group(k8sLdn, dnsInt, 'ldn-dns', 1);

const awsWorkers: string[] = [];
['a', 'b', 'c'].forEach((az) => {
  for (let i = 1; i <= 8; i++) {
    awsWorkers.push(
      k8sNode(
        `k8s-prod-aws-ng1-${az}-${pad(i)}`,
        `k8s prod AWS node ng1 ${az}${pad(i)}`,
        'production',
        'Worker',
        {
          vendor: 'Amazon Web Services',
          instance_type: 'm6i.4xlarge',
          os: 'Bottlerocket 1.19',
          cpu_cores: 16,
          memory_gb: 64,
          ip_address: ip(NET.aws),
          region: 'eu-west-1',
          location: `AWS eu-west-1${az}`,
        },
        'operational',
        'aws',
      ),
    );
  }
});
members(k8sAws, awsWorkers, 'k8s-prod-aws-workers', 16);
rel(k8sAws, eksCp, 'depends_on');
group(k8sAws, nat, 'nat-gateways', 1, 'depends_on', { note: 'image pulls and SaaS egress' });
rel(k8sAws, r53Resolver, 'depends_on');
for (let i = 1; i <= 2; i++) {
  // Ordered for the next node group; not yet in service, so nothing depends on them.
  k8sNode(
    `k8s-prod-aws-ng2-a-${pad(i)}`,
    `k8s prod AWS node ng2 a${pad(i)} (Graviton)`,
    'production',
    'Planned worker',
    {
      vendor: 'Amazon Web Services',
      instance_type: 'm7g.4xlarge',
      os: 'Bottlerocket 1.20',
      region: 'eu-west-1',
      location: 'AWS eu-west-1a',
    },
    'planned',
    'aws',
  );
}

const stgNodes = Array.from({ length: 10 }, (_, i) => {
  const id = k8sNode(`k8s-stg-ldn-w-${pad(i + 1)}`, `k8s staging LDN worker ${pad(i + 1)}`, 'staging', 'Worker', {
    os: 'SLE Micro 5.5',
    cpu_cores: 16,
    memory_gb: 128,
    ip_address: ip(NET.stg),
    location: LD4,
  });
  rel(id, nextStgHost(), 'hosted_on');
  return id;
});
members(k8sStg, stgNodes, 'k8s-stg-ldn-workers', 6);
rel(k8sStg, lbStg, 'depends_on');
group(k8sStg, dnsInt, 'ldn-dns', 1);

// ---------------------------------------------------------------------------
// Shared platform services.

function svc(id: string, name: string, owner: string, crit: Crit, description: string, attrs: Attrs = {}, env: Env = 'production') {
  return ci(id, 'service', name, owner, { environment: env, criticality: crit, description, site: 'ldn', attrs });
}
const vaultVms = [1, 2, 3].map((n) =>
  vm({
    id: `vm-vault-${pad(n)}`,
    name: `Vault node ${pad(n)}`,
    owner: 'team-security',
    crit: 'critical',
    description: 'HashiCorp Vault raft node.',
    cpu: 4,
    mem: 16,
  }),
);
const vault = svc(
  'svc-vault',
  'Secrets (HashiCorp Vault)',
  'team-security',
  'critical',
  'Secrets and PKI for every workload; raft cluster of three.',
  {
    vendor: 'HashiCorp',
    version: 'Vault 1.16.2',
    url: 'https://vault.corp.shop.example',
  },
);
group(vault, vaultVms, 'vault-raft', 2, 'runs_on');

const harborVm = vm({
  id: 'vm-harbor-01',
  name: 'Harbor registry 01',
  owner: 'team-platform',
  crit: 'high',
  description: 'Container registry host.',
  cpu: 8,
  mem: 32,
});
const harbor = svc(
  'svc-container-registry',
  'Container registry (Harbor)',
  'team-platform',
  'high',
  'Images for every cluster; running pods survive an outage, new ones cannot start.',
  {
    vendor: 'Harbor',
    version: '2.10.2',
    url: 'https://registry.corp.shop.example',
  },
);
rel(harbor, harborVm, 'runs_on');
for (const k of [k8sLdn, k8sAws, k8sStg]) rel(k, harbor, 'uses', { protocol: 'https', port: 443 });

const gitlabVm = vm({
  id: 'vm-gitlab-01',
  name: 'GitLab 01',
  owner: 'team-platform',
  crit: 'medium',
  description: 'GitLab server.',
  cpu: 16,
  mem: 64,
});
const gitlab = svc(
  'svc-gitlab',
  'Source control and CI/CD (GitLab)',
  'team-platform',
  'medium',
  'Repositories, pipelines and deployments.',
  {
    vendor: 'GitLab',
    version: '16.11',
    url: 'https://git.corp.shop.example',
  },
);
rel(gitlab, gitlabVm, 'runs_on');
for (const k of [k8sLdn, k8sAws, k8sStg]) rel(gitlab, k, 'connects_to', { note: 'deploys' });

const monVms = [1, 2].map((n) =>
  vm({
    id: `vm-prometheus-${pad(n)}`,
    name: `Prometheus ${pad(n)}`,
    owner: 'team-sre',
    crit: 'medium',
    description: 'Metrics and alerting.',
    cpu: 8,
    mem: 64,
  }),
);
const monitoring = svc(
  'svc-monitoring',
  'Monitoring (Prometheus, Grafana, Alertmanager)',
  'team-sre',
  'high',
  'Metrics, dashboards and paging.',
  {
    vendor: 'Grafana Labs',
    version: 'Prometheus 2.51',
    url: 'https://grafana.corp.shop.example',
  },
);
group(monitoring, monVms, 'prometheus-ha', 1, 'runs_on');
for (const k of [k8sLdn, k8sAws, k8sStg]) rel(monitoring, k, 'connects_to', { note: 'scrapes' });

const logVms = [1, 2, 3].map((n) =>
  vm({
    id: `vm-logging-${pad(n)}`,
    name: `Log cluster node ${pad(n)}`,
    owner: 'team-sre',
    crit: 'medium',
    description: 'OpenSearch node for logs.',
    cpu: 8,
    mem: 64,
  }),
);
const logging = svc('svc-logging', 'Central logging (OpenSearch)', 'team-sre', 'medium', 'Log aggregation and search, 30-day retention.', {
  vendor: 'OpenSearch',
  version: '2.13',
  url: 'https://logs.corp.shop.example',
});
group(logging, logVms, 'logging-nodes', 2, 'runs_on');
for (const k of [k8sLdn, k8sAws, k8sStg]) rel(k, logging, 'connects_to', { note: 'ships logs' });

const bastions = [1, 2].map((n) =>
  vm({
    id: `vm-bastion-ldn-${pad(n)}`,
    name: `Bastion LDN ${pad(n)}`,
    owner: 'team-security',
    crit: 'medium',
    description: 'SSH jump host for operators.',
    cpu: 2,
    mem: 4,
  }),
);
for (const b of bastions)
  for (const k of [k8sLdn, k8sStg]) rel(b, k, 'connects_to', { protocol: 'ssh', port: 22, note: 'operator access' });

const adVms = [1, 2].map((n) =>
  vm({
    id: `vm-ad-ldn-${pad(n)}`,
    name: `Domain controller LDN ${pad(n)}`,
    owner: 'team-security',
    crit: 'high',
    description: 'Active Directory domain controller.',
    os: 'Windows Server 2022',
    cpu: 4,
    mem: 16,
  }),
);
const ad = svc(
  'svc-active-directory',
  'Active Directory (corp.shop.example)',
  'team-security',
  'high',
  'Staff and service accounts; source directory for Okta.',
  {
    vendor: 'Microsoft',
    version: 'Windows Server 2022',
  },
);
group(ad, adVms, 'domain-controllers', 1, 'runs_on');
for (const b of bastions) rel(b, ad, 'depends_on', { protocol: 'ldaps', port: 636, note: 'operator sign-in' });
const smtpVms = [1, 2].map((n) =>
  vm({
    id: `vm-smtp-relay-${pad(n)}`,
    name: `SMTP relay ${pad(n)}`,
    owner: 'team-sre',
    crit: 'medium',
    description: 'Postfix relay for internal mail.',
    cpu: 2,
    mem: 4,
  }),
);
const smtp = svc('svc-smtp-relay', 'Internal SMTP relay', 'team-sre', 'medium', 'Relays alert and system mail from internal hosts.', {
  vendor: 'Postfix',
  version: '3.6',
});
group(smtp, smtpVms, 'smtp-relays', 1, 'runs_on');
rel(monitoring, smtp, 'uses', { protocol: 'smtp', port: 25, note: 'alert email' });
const ntp = [1, 2].map((n) =>
  ci(`srv-ntp-ldn-${pad(n)}`, 'server', `NTP time server LDN ${pad(n)}`, 'team-network', {
    criticality: 'medium',
    description: 'GPS-disciplined stratum-1 time server.',
    site: 'ldn',
    attrs: {
      vendor: 'Meinberg',
      model: 'LANTIME M300',
      version: '7.08',
      ip_address: ip(NET.mgmt),
      location: rackLoc('A10'),
      serial_number: serial('MBG', `ntp${n}`),
    },
  }),
);
for (const d of dnsInt) for (const n of ntp) rel(d, n, 'connects_to', { protocol: 'ntp', port: 123 });
const backupSl2 = ci('stor-backup-sl2-01', 'storage', 'Backup appliance SL2 01', 'team-infra', {
  criticality: 'medium',
  description: 'Off-site copy of every backup taken in LD4 (replicated nightly).',
  site: 'ldn',
  attrs: {
    vendor: 'Rubrik',
    model: 'r6410',
    version: 'CDM 9.1',
    capacity_tb: 240,
    ip_address: ip(NET.mgmt),
    location: 'Slough SL2, Suite 4, Rack B01',
    serial_number: serial('RBK', 'bkp2'),
  },
});
rel(backupSl2, backup, 'backup_of', { note: 'nightly replication' });
group(backupSl2, torSl2[0]!.pair, 'tor-b01', 1);
const mediaServer = ci('srv-backup-media-ldn-01', 'server', 'Tape media server LDN 01', 'team-infra', {
  criticality: 'low',
  description: 'Monthly tape copies for long-term retention.',
  site: 'ldn',
  attrs: {
    vendor: 'Dell',
    model: 'PowerEdge R650xs',
    os: 'Windows Server 2022',
    ip_address: ip(NET.mgmt),
    location: rackLoc('A10'),
    serial_number: serial('DL', 'media1'),
  },
});
rel(mediaServer, backup, 'backup_of', { note: 'monthly tape' });

// ---------------------------------------------------------------------------
// SaaS.

function saas(id: string, name: string, owner: string, crit: Crit, vendor: string, description: string, extra: Partial<CiOpts> = {}) {
  return ci(id, 'saas', name, owner, { criticality: crit, description, site: 'saas', ...extra, attrs: { vendor, ...extra.attrs } });
}
const stripe = saas(
  'saas-stripe',
  'Stripe (card payments)',
  'team-payments',
  'critical',
  'Stripe',
  'Card payment processing and 3-D Secure.',
  {
    attrs: { url: 'https://api.stripe.com' },
  },
);
const paypal = saas('saas-paypal', 'PayPal', 'team-payments', 'high', 'PayPal', 'PayPal and Pay Later checkout option.');
saas(
  'saas-adyen',
  'Adyen (card payments, planned)',
  'team-payments',
  'high',
  'Adyen',
  'Second card acquirer; contract signed, integration starts next quarter.',
  {
    status: 'planned',
  },
);
const sendgrid = saas(
  'saas-sendgrid',
  'SendGrid (transactional email)',
  'team-comms',
  'high',
  'Twilio SendGrid',
  'Order confirmation, dispatch and password-reset emails.',
);
const twilio = saas(
  'saas-twilio',
  'Twilio (SMS and voice)',
  'team-comms',
  'medium',
  'Twilio',
  'Delivery SMS and the customer support phone line.',
);
const zendesk = saas(
  'saas-zendesk',
  'Zendesk (support desk)',
  'team-customer-care',
  'high',
  'Zendesk',
  'Tickets, chat and the help centre.',
);
const avalara = saas('saas-avalara', 'Avalara (tax)', 'team-checkout', 'high', 'Avalara', 'VAT and sales-tax calculation at checkout.');
const loqate = saas(
  'saas-loqate',
  'Loqate (address lookup)',
  'team-checkout',
  'medium',
  'GBG Loqate',
  'Address autocomplete and validation.',
);
const carriers = [
  saas('saas-dhl', 'DHL shipping API', 'team-fulfilment', 'high', 'DHL', 'Labels and tracking for DHL parcels.'),
  saas('saas-royal-mail', 'Royal Mail Click & Drop API', 'team-fulfilment', 'high', 'Royal Mail', 'Labels and tracking for Royal Mail.'),
  saas('saas-dpd', 'DPD shipping API', 'team-fulfilment', 'high', 'DPD', 'Labels and tracking for DPD.'),
];
const okta = saas('saas-okta', 'Okta (staff SSO)', 'team-security', 'high', 'Okta', 'Single sign-on for staff tools.');
const contentful = saas(
  'saas-contentful',
  'Contentful (CMS)',
  'team-web',
  'medium',
  'Contentful',
  'Editorial content, banners and landing pages.',
);
const launchdarkly = saas(
  'saas-launchdarkly',
  'LaunchDarkly (feature flags)',
  'team-platform',
  'medium',
  'LaunchDarkly',
  'Feature flags; SDKs fall back to cached defaults.',
);
const snowflake = saas(
  'saas-snowflake',
  'Snowflake (data warehouse)',
  'team-data',
  'medium',
  'Snowflake',
  'Sales and stock reporting warehouse.',
);
const sift = saas('saas-sift', 'Sift (fraud signals)', 'team-payments', 'high', 'Sift', 'Device and behaviour signals for fraud scoring.');
const maps = saas('saas-google-maps', 'Google Maps Platform', 'team-web', 'low', 'Google', 'Maps and geocoding for the store finder.');
const wms = saas(
  'saas-manhattan-wms',
  'Manhattan Active WM (warehouse)',
  'team-fulfilment',
  'critical',
  'Manhattan Associates',
  'Warehouse management for the two distribution centres.',
);
const awin = saas('saas-awin', 'Awin (affiliates)', 'team-marketing', 'low', 'Awin', 'Affiliate network tracking and payouts.');
const onetrust = saas(
  'saas-onetrust',
  'OneTrust (cookie consent)',
  'team-security',
  'high',
  'OneTrust',
  'Cookie banner and consent records (GDPR).',
);
const braze = saas('saas-braze', 'Braze (marketing messages)', 'team-marketing', 'low', 'Braze', 'Marketing email and push campaigns.');
const fx = saas(
  'saas-openexchangerates',
  'Open Exchange Rates',
  'team-checkout',
  'medium',
  'Open Exchange Rates',
  'Daily currency rates for prices shown in EUR and USD.',
);
const merchantCenter = saas(
  'saas-google-merchant',
  'Google Merchant Center',
  'team-marketing',
  'low',
  'Google',
  'Product listings on Google Shopping.',
);
const genesys = saas(
  'saas-genesys',
  'Genesys Cloud (contact centre)',
  'team-customer-care',
  'high',
  'Genesys',
  'Contact-centre telephony, queues and call recording.',
);
const m365 = saas('saas-m365', 'Microsoft 365', 'team-security', 'medium', 'Microsoft', 'Staff email, calendars and documents.');
const slack = saas('saas-slack', 'Slack', 'team-sre', 'medium', 'Salesforce', 'Staff chat and incident channels.');
saas('saas-pingdom', 'Pingdom (synthetic checks)', 'team-sre', 'low', 'SolarWinds', 'External uptime checks of www and api.shop.example.', {
  attrs: { url: 'https://my.pingdom.com' },
});
const pagerduty = saas('saas-pagerduty', 'PagerDuty', 'team-sre', 'high', 'PagerDuty', 'On-call schedules and paging.');
const sdwanOrch = saas(
  'saas-sdwan-orchestrator',
  'SD-WAN orchestrator',
  'team-network',
  'medium',
  'VMware VeloCloud',
  'Cloud controller of the distribution-centre SD-WAN edges; edges keep forwarding without it.',
);
const stripeTest = saas(
  'saas-stripe-test',
  'Stripe test mode',
  'team-payments',
  'low',
  'Stripe',
  'Stripe test-mode account used by staging.',
  {
    environment: 'staging',
  },
);
const mailtrap = saas(
  'saas-mailtrap',
  'Mailtrap (staging email sink)',
  'team-comms',
  'low',
  'Mailtrap',
  'Catches every email staging sends.',
  {
    environment: 'staging',
  },
);

rel(monitoring, pagerduty, 'uses', { protocol: 'https', port: 443, note: 'paging' });
rel(monitoring, slack, 'uses', { protocol: 'https', port: 443, note: 'alert channel' });
rel(okta, ad, 'uses', { note: 'AD agent directory sync' });

// Distribution centres: each needs its SD-WAN edge pair, core pair and wireless to pick and pack.
const distributionCentres: string[] = [];
for (const [code, town] of [
  ['dav', 'Daventry'],
  ['wak', 'Wakefield'],
] as const) {
  const loc = `${town} distribution centre`;
  const nd = (id: string, name: string, model: string, vendor: string, crit: Crit, description: string) =>
    ci(id, 'network_device', name, 'team-network', {
      criticality: crit,
      description,
      site: 'ldn',
      attrs: { vendor, model, ip_address: ip(NET.mgmt), location: loc, serial_number: serial('NW', id) },
    });
  const edges = [1, 2].map((n) =>
    nd(
      `net-sdwan-${code}-${pad(n)}`,
      `SD-WAN edge ${town} ${pad(n)}`,
      'Edge 3810',
      'VMware VeloCloud',
      'high',
      `SD-WAN edge ${n} of 2 at ${town} (two ISPs).`,
    ),
  );
  for (const e of edges) rel(e, sdwanOrch, 'uses', { note: 'management plane' });
  const cores = [1, 2].map((n) =>
    nd(
      `sw-core-${code}-${pad(n)}`,
      `Core switch ${town} ${pad(n)}`,
      'Catalyst 9500',
      'Cisco',
      'high',
      `Site core switch ${n} of 2 at ${town}.`,
    ),
  );
  for (const c of cores) group(c, edges, `sdwan-${code}`, 1);
  const wlc = nd(
    `wlc-${code}-01`,
    `Wireless controller ${town}`,
    'Catalyst 9800-40',
    'Cisco',
    'high',
    `Wi-Fi for the handheld scanners at ${town}.`,
  );
  group(wlc, cores, `core-${code}`, 1);
  const site = ci(`svc-dc-${town.toLowerCase()}`, 'service', `${town} DC site systems`, 'team-fulfilment', {
    criticality: 'high',
    description: `What the ${town} distribution centre needs on site to pick, pack and dispatch: network, Wi-Fi for scanners, label printing.`,
    site: 'ldn',
    attrs: { location: loc },
  });
  group(site, cores, `core-${code}`, 1);
  rel(site, wlc, 'depends_on');
  const printSrv = ci(`srv-print-${code}-01`, 'server', `Label print server ${town}`, 'team-fulfilment', {
    criticality: 'high',
    description: `Drives the parcel label printers on the ${town} packing lines.`,
    site: 'ldn',
    attrs: {
      vendor: 'HPE',
      model: 'ProLiant DL20 Gen11',
      os: 'Windows Server 2022',
      ip_address: ip(NET.mgmt),
      location: loc,
      serial_number: serial('HPE', code),
    },
  });
  group(printSrv, cores, `core-${code}`, 1);
  rel(site, printSrv, 'depends_on');
  distributionCentres.push(site);
}

// Head office: staff network and remote access.
const hqFw = [1, 2].map((n) =>
  ci(`fw-hq-${pad(n)}`, 'network_device', `Head office firewall ${pad(n)}`, 'team-security', {
    criticality: 'medium',
    description: 'Head-office perimeter firewall, HA pair.',
    site: 'ldn',
    attrs: {
      vendor: 'Fortinet',
      model: 'FortiGate 400F',
      version: 'FortiOS 7.4.3',
      ip_address: ip(NET.mgmt),
      location: 'Head office, London EC2',
    },
  }),
);
const vpn = ci('net-vpn-hq', 'network_device', 'Staff VPN concentrator', 'team-security', {
  criticality: 'medium',
  description: 'Remote-access VPN for staff and on-call engineers.',
  site: 'ldn',
  attrs: {
    vendor: 'Palo Alto Networks',
    model: 'GlobalProtect (PA-3440)',
    version: 'PAN-OS 11.1.2',
    ip_address: ip(NET.mgmt),
    location: rackLoc('A10'),
  },
});
group(vpn, fw, 'edge-firewalls', 1);
rel(vpn, ad, 'depends_on', { protocol: 'ldaps', port: 636, note: 'staff sign-in' });
for (const f of hqFw) rel(f, vpn, 'connects_to', { note: 'site-to-site tunnel' });

// ---------------------------------------------------------------------------
// Data stores: databases with replicas, Redis, Kafka, Elasticsearch.

interface DbFamily {
  fam: string;
  name: string;
  engine: string;
  version: string;
  port: number;
  replicas: number;
  crit: Crit;
  /** Has an asynchronous standby at the DR site. */
  dr?: boolean;
}
const DB_FAMILIES: DbFamily[] = [
  { fam: 'orders', name: 'Orders', engine: 'PostgreSQL', version: '15.6', port: 5432, replicas: 2, crit: 'critical', dr: true },
  { fam: 'catalogue', name: 'Catalogue', engine: 'PostgreSQL', version: '15.6', port: 5432, replicas: 2, crit: 'high', dr: true },
  { fam: 'accounts', name: 'Accounts', engine: 'PostgreSQL', version: '15.6', port: 5432, replicas: 1, crit: 'critical', dr: true },
  { fam: 'payments', name: 'Payments', engine: 'PostgreSQL', version: '15.6', port: 5432, replicas: 1, crit: 'critical', dr: true },
  { fam: 'inventory', name: 'Inventory', engine: 'MySQL', version: '8.0.36', port: 3306, replicas: 1, crit: 'critical', dr: true },
  { fam: 'fulfilment', name: 'Fulfilment', engine: 'PostgreSQL', version: '14.11', port: 5432, replicas: 1, crit: 'high' },
  { fam: 'promotions', name: 'Promotions', engine: 'PostgreSQL', version: '15.6', port: 5432, replicas: 0, crit: 'medium' },
  { fam: 'kong', name: 'API gateway config', engine: 'PostgreSQL', version: '14.11', port: 5432, replicas: 1, crit: 'high' },
];
const dbPrimary = (fam: string) => `db-${fam}-primary`;
const dbReplicas = new Map<string, string[]>();
const dbPort = new Map<string, number>();
const dbProtocol = (engine: string) => (engine === 'MySQL' ? 'mysql' : 'postgres');
const dbProto = new Map<string, string>();

for (const f of DB_FAMILIES) {
  const primaryVm = vm({
    id: `vm-db-${f.fam}-01`,
    name: `${f.name} DB host 01`,
    owner: 'team-dba',
    crit: f.crit,
    description: `Database host for the ${f.name.toLowerCase()} ${f.engine} primary.`,
    os: 'Rocky Linux 9.3',
    cpu: 16,
    mem: 128,
  });
  const primary = ci(dbPrimary(f.fam), 'database', `${f.name} DB (primary)`, 'team-dba', {
    criticality: f.crit,
    description: `${f.engine} primary of the ${f.name.toLowerCase()} database; takes every write.`,
    site: 'ldn',
    attrs: { vendor: f.engine, version: f.version, ip_address: cis.get(primaryVm)!.attrs.ip_address, location: LD4 },
  });
  rel(primary, primaryVm, 'runs_on');
  rel(backup, primary, 'backup_of', { note: 'nightly full, 15-minute WAL' });
  dbPort.set(primary, f.port);
  dbProto.set(primary, dbProtocol(f.engine));
  const reps: string[] = [];
  for (let r = 1; r <= f.replicas; r++) {
    const repVm = vm({
      id: `vm-db-${f.fam}-${pad(r + 1)}`,
      name: `${f.name} DB host ${pad(r + 1)}`,
      owner: 'team-dba',
      crit: f.crit,
      description: `Database host for ${f.name.toLowerCase()} replica ${pad(r)}.`,
      os: 'Rocky Linux 9.3',
      cpu: 16,
      mem: 128,
    });
    const rep = ci(`db-${f.fam}-replica-${pad(r)}`, 'database', `${f.name} DB (replica ${pad(r)})`, 'team-dba', {
      status: f.fam === 'catalogue' && r === 2 ? 'maintenance' : 'operational',
      criticality: f.crit,
      description:
        f.fam === 'catalogue' && r === 2
          ? `Streaming replica of the ${f.name.toLowerCase()} primary; being rebuilt after a disk failure (out of the read pool until Friday).`
          : `Streaming read replica of the ${f.name.toLowerCase()} primary; promotable on failover.`,
      site: 'ldn',
      attrs: { vendor: f.engine, version: f.version, ip_address: cis.get(repVm)!.attrs.ip_address, location: LD4 },
    });
    rel(rep, repVm, 'runs_on');
    // Without its primary a replica still serves reads, but they go stale.
    rel(rep, primary, 'uses', { protocol: 'replication', port: f.port, note: 'streaming replication' });
    dbPort.set(rep, f.port);
    dbProto.set(rep, dbProtocol(f.engine));
    reps.push(rep);
  }
  dbReplicas.set(f.fam, reps);
  if (f.dr) {
    const drVm = vm({
      id: `vm-db-${f.fam}-dr`,
      name: `${f.name} DB DR host`,
      owner: 'team-dba',
      crit: 'medium',
      dr: true,
      description: `DR-site database host for the ${f.name.toLowerCase()} standby.`,
      os: 'Rocky Linux 9.3',
      cpu: 16,
      mem: 128,
    });
    const drDb = ci(`db-${f.fam}-dr`, 'database', `${f.name} DB (DR standby)`, 'team-dba', {
      criticality: 'medium',
      description: `Asynchronous standby of the ${f.name.toLowerCase()} primary at SL2; promoted by runbook DR-07 if LD4 is lost.`,
      site: 'ldn',
      attrs: { vendor: f.engine, version: f.version, ip_address: cis.get(drVm)!.attrs.ip_address, location: SL2 },
    });
    rel(drDb, drVm, 'runs_on');
    rel(drDb, primary, 'uses', { protocol: 'replication', port: f.port, note: 'asynchronous replication over the DCI' });
    group(drDb, dci, 'dci', 1, 'depends_on', { note: 'replication path' });
  }
}

// Databases on AWS RDS (Multi-AZ: AWS fails over inside the instance).
const RDS = [
  { fam: 'reviews', name: 'Reviews', crit: 'low' as Crit, owner: 'team-discovery' },
  { fam: 'returns', name: 'Returns', crit: 'medium' as Crit, owner: 'team-customer-care' },
  { fam: 'loyalty', name: 'Loyalty', crit: 'low' as Crit, owner: 'team-discovery' },
];
for (const r of RDS) {
  const inst = ci(`aws-rds-${r.fam}`, 'cloud_resource', `RDS instance ${r.fam}-prod`, 'team-cloud', {
    criticality: r.crit,
    description: `Multi-AZ RDS instance for the ${r.name.toLowerCase()} database.`,
    site: 'aws',
    attrs: awsAttrs('RDS Multi-AZ', { instance_type: 'db.r6g.large', ip_address: ip(NET.aws) }),
  });
  rel(inst, vpc, 'depends_on');
  const id = ci(dbPrimary(r.fam), 'database', `${r.name} DB`, 'team-dba', {
    criticality: r.crit,
    description: `PostgreSQL database of the ${r.name.toLowerCase()} service on RDS.`,
    site: 'aws',
    attrs: { vendor: 'PostgreSQL', version: '16.2', region: 'eu-west-1' },
  });
  rel(id, inst, 'hosted_on');
  rel(s3Backups, id, 'backup_of', { note: 'daily snapshot export' });
  dbPort.set(id, 5432);
  dbProto.set(id, 'postgres');
}

function redisCluster(fam: string, name: string, crit: Crit) {
  const nodes = [1, 2, 3].map((n) => {
    const host = vm({
      id: `vm-redis-${fam}-${pad(n)}`,
      name: `Redis ${fam} host ${pad(n)}`,
      owner: 'team-platform',
      crit,
      description: `Host of Redis ${fam} node ${pad(n)}.`,
      cpu: 4,
      mem: 32,
    });
    const node = ci(`cache-redis-${fam}-${pad(n)}`, 'cache', `Redis ${fam} node ${pad(n)}`, 'team-platform', {
      criticality: crit,
      description: `Redis node ${pad(n)} of the ${name.toLowerCase()} cluster (Sentinel).`,
      site: 'ldn',
      attrs: { vendor: 'Redis', version: '7.2.4', ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
    });
    rel(node, host, 'runs_on');
    return node;
  });
  const cluster = ci(`cl-redis-${fam}`, 'cluster', name, 'team-platform', {
    criticality: crit,
    description: `Redis with Sentinel, three nodes; needs two for quorum.`,
    site: 'ldn',
    attrs: { vendor: 'Redis', version: '7.2.4', location: LD4 },
  });
  members(cluster, nodes, `redis-${fam}-nodes`, 2);
  return cluster;
}
const redisSessions = redisCluster('sessions', 'Redis sessions cluster', 'critical');
const redisCart = redisCluster('cart', 'Redis cart cluster', 'critical');

const kafkaBrokers = [1, 2, 3].map((n) => {
  const host = vm({
    id: `vm-kafka-prod-${pad(n)}`,
    name: `Kafka host ${pad(n)}`,
    owner: 'team-platform',
    crit: 'critical',
    description: `Host of Kafka broker ${pad(n)}.`,
    cpu: 16,
    mem: 64,
  });
  const b = ci(`mq-kafka-prod-broker-${pad(n)}`, 'message_queue', `Kafka broker ${pad(n)}`, 'team-platform', {
    criticality: 'critical',
    description: `Kafka broker ${pad(n)} of 3 (KRaft, replication factor 3, min.insync.replicas 2).`,
    site: 'ldn',
    attrs: { vendor: 'Apache Kafka', version: '3.7.0', ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
  });
  rel(b, host, 'runs_on');
  return b;
});
const kafka = ci('mq-kafka-prod', 'message_queue', 'Kafka prod cluster', 'team-platform', {
  criticality: 'critical',
  description: 'Event backbone: orders, stock, payments and customer events. Producers need 2 of 3 brokers (min.insync.replicas 2).',
  site: 'ldn',
  attrs: { vendor: 'Apache Kafka', version: '3.7.0', location: LD4, url: 'kafka-bootstrap.corp.shop.example:9093' },
});
members(kafka, kafkaBrokers, 'kafka-prod-brokers', 2);
group(kafka, lbInt, 'internal-lb', 1, 'depends_on', { note: 'bootstrap VIP' });
const kafkaControllers = [1, 2, 3].map((n) => {
  const host = vm({
    id: `vm-kafka-ctl-${pad(n)}`,
    name: `Kafka controller host ${pad(n)}`,
    owner: 'team-platform',
    crit: 'critical',
    description: `Host of KRaft controller ${pad(n)}.`,
    cpu: 4,
    mem: 16,
  });
  const c = ci(`mq-kafka-prod-controller-${pad(n)}`, 'message_queue', `Kafka KRaft controller ${pad(n)}`, 'team-platform', {
    criticality: 'critical',
    description: `KRaft metadata controller ${pad(n)} of 3; the cluster needs a quorum of two.`,
    site: 'ldn',
    attrs: { vendor: 'Apache Kafka', version: '3.7.0', ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
  });
  rel(c, host, 'runs_on');
  return c;
});
members(kafka, kafkaControllers, 'kafka-prod-controllers', 2);
const schemaVms = [1, 2].map((n) =>
  vm({
    id: `vm-schema-registry-${pad(n)}`,
    name: `Schema registry host ${pad(n)}`,
    owner: 'team-platform',
    crit: 'critical',
    description: 'Host of a schema registry node.',
    cpu: 2,
    mem: 8,
  }),
);
const schemaRegistry = svc(
  'svc-schema-registry',
  'Kafka schema registry',
  'team-platform',
  'critical',
  'Avro schemas of every Kafka topic; producers and consumers need it to (de)serialise.',
  {
    vendor: 'Confluent',
    version: '7.6.0',
    url: 'https://schema-registry.corp.shop.example',
  },
);
group(schemaRegistry, schemaVms, 'schema-registry-nodes', 1, 'runs_on');
rel(schemaRegistry, kafka, 'depends_on', { protocol: 'kafka', port: 9093, note: '_schemas topic' });
const connectVms = [1, 2, 3].map((n) =>
  vm({
    id: `vm-kafka-connect-${pad(n)}`,
    name: `Kafka Connect worker ${pad(n)}`,
    owner: 'team-data',
    crit: 'medium',
    description: 'Kafka Connect worker.',
    cpu: 8,
    mem: 32,
  }),
);
const kafkaConnect = svc(
  'svc-kafka-connect',
  'Kafka Connect (CDC and sinks)',
  'team-data',
  'medium',
  'Debezium change capture from the order database and sinks to the data lake.',
  {
    vendor: 'Confluent',
    version: '7.6.0',
  },
);
group(kafkaConnect, connectVms, 'connect-workers', 2, 'runs_on');
rel(kafkaConnect, kafka, 'depends_on', { protocol: 'kafka', port: 9093 });
rel(kafkaConnect, schemaRegistry, 'depends_on', { protocol: 'https', port: 443 });

const esNodes = [1, 2, 3, 4, 5].map((n) => {
  const host = vm({
    id: `vm-es-prod-${pad(n)}`,
    name: `Search node host ${pad(n)}`,
    owner: 'team-search',
    crit: 'high',
    description: `Host of Elasticsearch node ${pad(n)}.`,
    cpu: 16,
    mem: 128,
  });
  const node = ci(`es-search-prod-${pad(n)}`, 'database', `Elasticsearch node ${pad(n)}`, 'team-search', {
    criticality: 'high',
    description: `Elasticsearch data/master node ${pad(n)} of the product search cluster.`,
    site: 'ldn',
    attrs: { vendor: 'Elastic', version: '8.13.2', ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
  });
  rel(node, host, 'runs_on');
  return node;
});
const es = ci('cl-es-search-prod', 'cluster', 'Elasticsearch product search cluster', 'team-search', {
  criticality: 'high',
  description: 'Product search index, five nodes with one replica per shard; needs three nodes for capacity and a master quorum.',
  site: 'ldn',
  attrs: { vendor: 'Elastic', version: '8.13.2', location: LD4 },
});
members(es, esNodes, 'es-prod-nodes', 3);

// ---------------------------------------------------------------------------
// Applications and microservices.

interface Dep {
  to: string;
  type: RelType;
  group?: string;
  minUp?: number;
}
const d = (to: string): Dep => ({ to, type: 'depends_on' });
const u = (to: string): Dep => ({ to, type: 'uses' });
const g = (tos: string[], label: string, minUp: number, type: RelType = 'depends_on'): Dep[] =>
  tos.map((to) => ({ to, type, group: label, minUp }));
const readPool = (fam: string) => g(dbReplicas.get(fam)!, `${fam}-read-replicas`, 1);

interface AppSpec {
  slug: string;
  name: string;
  team: string;
  crit: Crit;
  lang: string;
  version: string;
  /** Where it runs: a Kubernetes cluster, or VMs of its own. */
  on: 'ldn' | 'aws' | { vms: number; cpu: number; mem: number };
  description: string;
  deps: Dep[];
}

const A = (slug: string) => `app-${slug}`;
const APPS: AppSpec[] = [
  {
    slug: 'storefront-web',
    name: 'Storefront Web',
    team: 'team-web',
    crit: 'critical',
    lang: 'TypeScript (Next.js)',
    version: '24.11.3',
    on: 'ldn',
    description: 'Server-rendered web shop at www.shop.example: every page a customer sees.',
    deps: [
      d(A('catalogue-api')),
      d(A('cart-service')),
      d(redisSessions),
      u(A('accounts-api')),
      u(A('recommendations')),
      u(A('reviews-service')),
      u(A('content-api')),
      u(A('consent-service')),
      u(launchdarkly),
      u(cdn),
    ],
  },
  {
    slug: 'content-api',
    name: 'Content API',
    team: 'team-web',
    crit: 'medium',
    lang: 'TypeScript',
    version: '3.4.0',
    on: 'aws',
    description: 'Caches and serves editorial content from the CMS.',
    deps: [u(contentful)],
  },
  {
    slug: 'api-gateway',
    name: 'API Gateway (Kong)',
    team: 'team-platform',
    crit: 'critical',
    lang: 'Lua (Kong)',
    version: '3.6.1',
    on: 'ldn',
    description: 'Routes, authenticates and rate-limits api.shop.example for the mobile apps and partners.',
    deps: [d(dbPrimary('kong')), d(A('auth-service'))],
  },
  {
    slug: 'mobile-bff',
    name: 'Mobile BFF',
    team: 'team-web',
    crit: 'high',
    lang: 'Kotlin',
    version: '8.2.0',
    on: 'aws',
    description: 'Backend-for-frontend of the iOS and Android apps.',
    deps: [
      d(A('catalogue-api')),
      d(A('cart-service')),
      d(A('checkout-api')),
      d(A('search-api')),
      u(A('recommendations')),
      u(A('order-history-api')),
    ],
  },
  {
    slug: 'checkout-api',
    name: 'Checkout API',
    team: 'team-checkout',
    crit: 'critical',
    lang: 'Java (Spring Boot)',
    version: '5.18.2',
    on: 'ldn',
    description: 'Turns a basket into an order: delivery options, tax, payment authorisation, order creation.',
    deps: [
      d(A('cart-service')),
      d(A('order-service')),
      d(A('payment-gateway')),
      d(A('pricing-service')),
      d(A('inventory-service')),
      d(A('tax-service')),
      d(A('auth-service')),
      u(A('promotions-service')),
      u(A('address-validation')),
      u(A('gift-card-service')),
      u(A('loyalty-service')),
      u(A('delivery-slots')),
      u(A('currency-service')),
      u(A('payment-methods')),
    ],
  },
  {
    slug: 'cart-service',
    name: 'Cart Service',
    team: 'team-checkout',
    crit: 'critical',
    lang: 'Go',
    version: '2.9.1',
    on: 'ldn',
    description: 'Baskets of signed-in and guest customers.',
    deps: [d(redisCart), d(A('pricing-service')), u(A('promotions-service'))],
  },
  {
    slug: 'order-service',
    name: 'Order Service',
    team: 'team-orders',
    crit: 'critical',
    lang: 'Java (Spring Boot)',
    version: '7.3.0',
    on: 'ldn',
    description: 'System of record for orders; publishes order events to Kafka.',
    deps: [d(dbPrimary('orders')), d(kafka), d(schemaRegistry)],
  },
  {
    slug: 'order-history-api',
    name: 'Order History API',
    team: 'team-orders',
    crit: 'high',
    lang: 'Go',
    version: '1.12.4',
    on: 'aws',
    description: 'Read-only order history for accounts, support and the mobile app; reads from the order replicas.',
    deps: [...readPool('orders')],
  },
  {
    slug: 'payment-gateway',
    name: 'Payment Gateway',
    team: 'team-payments',
    crit: 'critical',
    lang: 'Java (Spring Boot)',
    version: '4.21.0',
    on: 'ldn',
    description: 'Authorises, captures and refunds payments through the payment providers.',
    deps: [d(dbPrimary('payments')), d(A('fraud-check')), d(stripe), d(vault), d(kafka), u(paypal)],
  },
  {
    slug: 'fraud-check',
    name: 'Fraud Check',
    team: 'team-payments',
    crit: 'critical',
    lang: 'Python',
    version: '3.8.5',
    on: 'aws',
    description: 'Scores each payment for fraud; falls back to static rules when Sift is unavailable.',
    deps: [d(s3Fraud), u(sift)],
  },
  {
    slug: 'refund-service',
    name: 'Refund Service',
    team: 'team-payments',
    crit: 'high',
    lang: 'Java (Spring Boot)',
    version: '2.4.1',
    on: 'ldn',
    description: 'Issues full and partial refunds.',
    deps: [d(dbPrimary('payments')), d(A('payment-gateway')), d(A('order-service'))],
  },
  {
    slug: 'gift-card-service',
    name: 'Gift Card Service',
    team: 'team-payments',
    crit: 'medium',
    lang: 'Go',
    version: '1.6.0',
    on: 'ldn',
    description: 'Gift card balances and redemptions.',
    deps: [d(dbPrimary('payments'))],
  },
  {
    slug: 'pricing-service',
    name: 'Pricing Service',
    team: 'team-catalogue',
    crit: 'critical',
    lang: 'Go',
    version: '4.0.7',
    on: 'ldn',
    description: 'Current prices and price history; reads from the catalogue replicas.',
    deps: [...readPool('catalogue'), u(A('currency-service'))],
  },
  {
    slug: 'catalogue-api',
    name: 'Catalogue API',
    team: 'team-catalogue',
    crit: 'high',
    lang: 'Java (Quarkus)',
    version: '6.2.3',
    on: 'ldn',
    description: 'Products, categories and attributes for the shop and the apps.',
    deps: [...readPool('catalogue'), d(A('pricing-service')), u(A('image-service')), u(A('inventory-service')), u(A('bundle-service'))],
  },
  {
    slug: 'catalogue-admin',
    name: 'Catalogue Admin',
    team: 'team-merch',
    crit: 'medium',
    lang: 'Java (Quarkus)',
    version: '6.2.3',
    on: 'ldn',
    description: 'Writes product data and publishes product-change events.',
    deps: [d(dbPrimary('catalogue')), d(kafka), d(okta), u(A('sftp-gateway'))],
  },
  {
    slug: 'image-service',
    name: 'Product Image Service',
    team: 'team-catalogue',
    crit: 'medium',
    lang: 'Rust',
    version: '0.14.2',
    on: 'aws',
    description: 'Resizes product images on upload and serves them through the CDN.',
    deps: [d(s3Images), d(cdn), d(lambdaResize)],
  },
  {
    slug: 'inventory-service',
    name: 'Inventory Service',
    team: 'team-fulfilment',
    crit: 'critical',
    lang: 'Java (Spring Boot)',
    version: '3.15.0',
    on: 'ldn',
    description: 'Stock levels and reservations across both distribution centres.',
    deps: [d(dbPrimary('inventory')), d(kafka), d(schemaRegistry)],
  },
  {
    slug: 'search-api',
    name: 'Search API',
    team: 'team-search',
    crit: 'high',
    lang: 'Kotlin',
    version: '2.7.1',
    on: 'ldn',
    description: 'Product search, autocomplete and facets.',
    deps: [d(es), u(A('pricing-service'))],
  },
  {
    slug: 'search-indexer',
    name: 'Search Indexer',
    team: 'team-search',
    crit: 'medium',
    lang: 'Kotlin',
    version: '2.7.1',
    on: 'ldn',
    description: 'Consumes product and stock events and updates the search index.',
    deps: [d(kafka), d(schemaRegistry), d(es), d(A('catalogue-api'))],
  },
  {
    slug: 'recommendations',
    name: 'Recommendations',
    team: 'team-discovery',
    crit: 'medium',
    lang: 'Python',
    version: '5.1.0',
    on: 'aws',
    description: '"Customers also bought" and personalised ranking.',
    deps: [d(s3Ml), u(A('search-api'))],
  },
  {
    slug: 'reviews-service',
    name: 'Reviews Service',
    team: 'team-discovery',
    crit: 'low',
    lang: 'TypeScript',
    version: '1.9.2',
    on: 'aws',
    description: 'Product ratings and reviews.',
    deps: [d(dbPrimary('reviews'))],
  },
  {
    slug: 'wishlist-service',
    name: 'Wishlist Service',
    team: 'team-discovery',
    crit: 'low',
    lang: 'TypeScript',
    version: '1.3.0',
    on: 'aws',
    description: 'Saved items of signed-in customers.',
    deps: [d(ddbWishlist)],
  },
  {
    slug: 'loyalty-service',
    name: 'Loyalty Service',
    team: 'team-discovery',
    crit: 'low',
    lang: 'Go',
    version: '2.0.4',
    on: 'aws',
    description: 'Loyalty points earned and redeemed.',
    deps: [d(dbPrimary('loyalty')), u(kafka)],
  },
  {
    slug: 'promotions-service',
    name: 'Promotions Service',
    team: 'team-checkout',
    crit: 'medium',
    lang: 'Java (Spring Boot)',
    version: '3.3.2',
    on: 'ldn',
    description: 'Vouchers, multi-buy offers and campaign rules.',
    deps: [d(dbPrimary('promotions'))],
  },
  {
    slug: 'tax-service',
    name: 'Tax Service',
    team: 'team-checkout',
    crit: 'high',
    lang: 'Go',
    version: '1.4.6',
    on: 'ldn',
    description: 'Wraps the tax provider; no fallback, an order cannot be priced without it.',
    deps: [d(avalara)],
  },
  {
    slug: 'address-validation',
    name: 'Address Validation',
    team: 'team-checkout',
    crit: 'medium',
    lang: 'TypeScript',
    version: '1.1.8',
    on: 'aws',
    description: 'Address autocomplete at checkout.',
    deps: [d(loqate)],
  },
  {
    slug: 'auth-service',
    name: 'Auth Service',
    team: 'team-identity',
    crit: 'critical',
    lang: 'Java (Spring Boot)',
    version: '9.0.2',
    on: 'ldn',
    description: 'Customer sign-in, sessions and tokens (OAuth 2 / OIDC).',
    deps: [d(dbPrimary('accounts')), d(redisSessions), d(vault)],
  },
  {
    slug: 'accounts-api',
    name: 'Accounts API',
    team: 'team-identity',
    crit: 'high',
    lang: 'Java (Spring Boot)',
    version: '6.5.0',
    on: 'ldn',
    description: 'Customer accounts, addresses and preferences.',
    deps: [d(dbPrimary('accounts')), d(A('auth-service')), d(A('customer-profile'))],
  },
  {
    slug: 'customer-profile',
    name: 'Customer Profile',
    team: 'team-identity',
    crit: 'high',
    lang: 'Go',
    version: '2.2.1',
    on: 'ldn',
    description: 'Read model of customer data; reads from the accounts replica.',
    deps: [...readPool('accounts'), u(kafka)],
  },
  {
    slug: 'notification-service',
    name: 'Notification Service',
    team: 'team-comms',
    crit: 'medium',
    lang: 'TypeScript',
    version: '4.6.0',
    on: 'aws',
    description: 'Sends order confirmations, dispatch notices and password resets from order events.',
    deps: [d(kafka), d(schemaRegistry), d(s3Templates), u(sendgrid), u(twilio)],
  },
  {
    slug: 'fulfilment-service',
    name: 'Fulfilment Service',
    team: 'team-fulfilment',
    crit: 'high',
    lang: 'Java (Spring Boot)',
    version: '5.0.1',
    on: 'ldn',
    description: 'Routes paid orders to a distribution centre and tracks them to dispatch.',
    deps: [
      d(dbPrimary('fulfilment')),
      d(kafka),
      d(A('inventory-service')),
      d(A('warehouse-integration')),
      d(A('shipping-service')),
      d(A('label-printing')),
    ],
  },
  {
    slug: 'warehouse-integration',
    name: 'Warehouse Integration',
    team: 'team-fulfilment',
    crit: 'high',
    lang: 'Java',
    version: '2.18.0',
    on: { vms: 2, cpu: 8, mem: 32 },
    description: 'Connector between the order systems and the warehouse management system.',
    deps: [d(wms), d(kafka)],
  },
  {
    slug: 'shipping-service',
    name: 'Shipping Service',
    team: 'team-fulfilment',
    crit: 'high',
    lang: 'Go',
    version: '3.1.3',
    on: 'aws',
    description: 'Carrier selection, labels and tracking; any one of the three carriers will do.',
    deps: [...g(carriers, 'carriers', 1), u(twilio)],
  },
  {
    slug: 'returns-service',
    name: 'Returns Service',
    team: 'team-customer-care',
    crit: 'medium',
    lang: 'TypeScript',
    version: '2.5.0',
    on: 'aws',
    description: 'Return requests, labels and refunds on receipt.',
    deps: [d(dbPrimary('returns')), d(sqsReturns), d(A('order-history-api')), d(A('refund-service')), u(A('shipping-service'))],
  },
  {
    slug: 'support-portal',
    name: 'Customer Support Portal',
    team: 'team-customer-care',
    crit: 'medium',
    lang: 'TypeScript',
    version: '3.0.9',
    on: 'aws',
    description: 'Agent view of a customer: orders, returns, tickets.',
    deps: [d(zendesk), d(A('order-history-api')), d(A('accounts-api')), d(okta), u(A('returns-service')), u(A('invoice-service'))],
  },
  {
    slug: 'admin-backoffice',
    name: 'Merchandising Backoffice',
    team: 'team-merch',
    crit: 'medium',
    lang: 'TypeScript',
    version: '7.1.0',
    on: 'ldn',
    description: 'Staff tool for ranges, prices and promotions.',
    deps: [d(A('catalogue-admin')), d(A('promotions-service')), d(okta)],
  },
  {
    slug: 'store-locator',
    name: 'Store Locator',
    team: 'team-web',
    crit: 'low',
    lang: 'TypeScript',
    version: '1.0.6',
    on: 'aws',
    description: 'Finds the nearest shop and collection point.',
    deps: [d(maps)],
  },
  {
    slug: 'reporting-etl',
    name: 'Reporting ETL',
    team: 'team-data',
    crit: 'low',
    lang: 'Python (Airflow)',
    version: '2.9.0',
    on: { vms: 1, cpu: 8, mem: 64 },
    description: 'Nightly loads of orders and stock into the warehouse.',
    deps: [d(dbReplicas.get('orders')![1]!), d(snowflake), d(s3Lake), u(kafkaConnect)],
  },
  {
    slug: 'erp-connector',
    name: 'ERP Connector (SAP)',
    team: 'team-data',
    crit: 'medium',
    lang: 'Java',
    version: '1.22.0',
    on: { vms: 1, cpu: 8, mem: 32 },
    description: 'Sends orders, refunds and stock movements to SAP S/4HANA finance.',
    deps: [d(kafkaConnect), d(kafka), d(A('order-service'))],
  },
  {
    slug: 'delivery-slots',
    name: 'Delivery Slots',
    team: 'team-fulfilment',
    crit: 'high',
    lang: 'Go',
    version: '2.3.0',
    on: 'aws',
    description: 'Offers and books delivery slots at checkout.',
    deps: [d(ddbSlots), u(A('shipping-service'))],
  },
  {
    slug: 'store-stock',
    name: 'Store Stock',
    team: 'team-fulfilment',
    crit: 'medium',
    lang: 'Java (Spring Boot)',
    version: '1.7.2',
    on: 'ldn',
    description: 'Stock in each shop, for click & collect.',
    deps: [...readPool('inventory'), u(kafka)],
  },
  {
    slug: 'click-collect',
    name: 'Click & Collect',
    team: 'team-fulfilment',
    crit: 'medium',
    lang: 'TypeScript',
    version: '2.0.1',
    on: 'aws',
    description: 'Reserve online, collect in a shop.',
    deps: [d(A('store-stock')), d(A('order-service')), u(A('store-locator')), u(A('notification-service'))],
  },
  {
    slug: 'currency-service',
    name: 'Currency Service',
    team: 'team-checkout',
    crit: 'high',
    lang: 'Go',
    version: '1.2.0',
    on: 'ldn',
    description: 'Converts prices for EUR and USD customers; serves the last known rates when the provider is down.',
    deps: [u(fx)],
  },
  {
    slug: 'payment-methods',
    name: 'Payment Methods',
    team: 'team-payments',
    crit: 'high',
    lang: 'Java (Spring Boot)',
    version: '2.1.4',
    on: 'ldn',
    description: 'Saved cards (tokens) and wallet preferences.',
    deps: [d(dbPrimary('payments')), d(vault)],
  },
  {
    slug: 'invoice-service',
    name: 'Invoice Service',
    team: 'team-orders',
    crit: 'medium',
    lang: 'Kotlin',
    version: '1.9.0',
    on: 'ldn',
    description: 'Generates PDF invoices from order events.',
    deps: [d(kafka), d(s3Invoices), ...readPool('orders')],
  },
  {
    slug: 'consent-service',
    name: 'Consent Service',
    team: 'team-web',
    crit: 'high',
    lang: 'TypeScript',
    version: '1.4.3',
    on: 'aws',
    description: 'Records cookie and marketing consent; the shop falls back to "necessary cookies only".',
    deps: [u(onetrust)],
  },
  {
    slug: 'price-alerts',
    name: 'Price Alerts',
    team: 'team-discovery',
    crit: 'low',
    lang: 'Python',
    version: '0.9.1',
    on: 'aws',
    description: 'Tells customers when a watched product drops in price.',
    deps: [d(kafka), d(sqsPriceAlerts), u(A('notification-service'))],
  },
  {
    slug: 'reviews-moderation',
    name: 'Reviews Moderation',
    team: 'team-discovery',
    crit: 'low',
    lang: 'Python',
    version: '1.0.2',
    on: 'aws',
    description: 'Screens new reviews before they are published.',
    deps: [d(dbPrimary('reviews'))],
  },
  {
    slug: 'product-feed',
    name: 'Product Feed Export',
    team: 'team-marketing',
    crit: 'low',
    lang: 'Python',
    version: '2.2.0',
    on: 'aws',
    description: 'Nightly product feeds for Google Shopping and marketplaces.',
    deps: [d(A('catalogue-api')), d(s3Feeds), d(merchantCenter)],
  },
  {
    slug: 'affiliate-tracking',
    name: 'Affiliate Tracking',
    team: 'team-marketing',
    crit: 'low',
    lang: 'TypeScript',
    version: '1.3.1',
    on: 'aws',
    description: 'Reports affiliate-referred orders.',
    deps: [d(kafka), d(awin)],
  },
  {
    slug: 'customer-segments',
    name: 'Customer Segments',
    team: 'team-marketing',
    crit: 'low',
    lang: 'Python',
    version: '1.1.0',
    on: 'aws',
    description: 'Builds marketing audiences from order history.',
    deps: [d(snowflake)],
  },
  {
    slug: 'marketing-sync',
    name: 'Marketing Sync',
    team: 'team-marketing',
    crit: 'low',
    lang: 'TypeScript',
    version: '1.5.0',
    on: 'aws',
    description: 'Pushes audiences and consent to the marketing platform.',
    deps: [d(braze), d(A('customer-segments')), d(A('consent-service'))],
  },
  {
    slug: 'basket-recovery',
    name: 'Basket Recovery',
    team: 'team-marketing',
    crit: 'low',
    lang: 'TypeScript',
    version: '0.8.0',
    on: 'aws',
    description: 'Reminds customers of abandoned baskets.',
    deps: [d(kafka), d(A('marketing-sync'))],
  },
  {
    slug: 'sftp-gateway',
    name: 'Partner SFTP Gateway',
    team: 'team-data',
    crit: 'medium',
    lang: 'Go',
    version: '1.4.0',
    on: { vms: 2, cpu: 4, mem: 8 },
    description: 'Suppliers drop price and range files here for the catalogue.',
    deps: [d(s3Lake)],
  },
  {
    slug: 'label-printing',
    name: 'Label Printing',
    team: 'team-fulfilment',
    crit: 'high',
    lang: 'C#',
    version: '4.2.1',
    on: { vms: 2, cpu: 4, mem: 16 },
    description: 'Print servers for parcel labels at the distribution centres.',
    deps: [d(A('shipping-service'))],
  },
  {
    slug: 'subscriptions',
    name: 'Subscriptions',
    team: 'team-checkout',
    crit: 'medium',
    lang: 'Kotlin',
    version: '1.6.2',
    on: 'aws',
    description: 'Places repeat orders on schedule.',
    deps: [d(A('payment-methods')), d(A('order-service')), d(A('checkout-api')), u(A('notification-service'))],
  },
  {
    slug: 'marketplace-sellers',
    name: 'Marketplace Seller Portal',
    team: 'team-catalogue',
    crit: 'medium',
    lang: 'TypeScript',
    version: '2.8.0',
    on: 'aws',
    description: 'Sellers manage listings, stock and payouts.',
    deps: [d(A('catalogue-admin')), d(A('auth-service')), u(A('payment-gateway'))],
  },
  {
    slug: 'support-chatbot',
    name: 'Support Chatbot',
    team: 'team-customer-care',
    crit: 'low',
    lang: 'Python',
    version: '0.12.0',
    on: 'aws',
    description: 'Answers "where is my order" before handing over to an agent.',
    deps: [d(zendesk), u(A('order-history-api'))],
  },
  {
    slug: 'fraud-cases',
    name: 'Fraud Case Management',
    team: 'team-payments',
    crit: 'medium',
    lang: 'Java (Spring Boot)',
    version: '1.3.5',
    on: 'ldn',
    description: 'Review queue for payments held by the fraud check.',
    deps: [d(dbPrimary('payments')), d(okta)],
  },
  {
    slug: 'stock-forecast',
    name: 'Stock Forecasting',
    team: 'team-data',
    crit: 'low',
    lang: 'Python',
    version: '3.0.0',
    on: 'aws',
    description: 'Weekly demand forecasts for buyers.',
    deps: [d(snowflake), d(s3Lake)],
  },
  {
    slug: 'search-suggest',
    name: 'Search Suggestions',
    team: 'team-search',
    crit: 'medium',
    lang: 'Kotlin',
    version: '2.7.1',
    on: 'ldn',
    description: 'Autocomplete suggestions as customers type.',
    deps: [d(es)],
  },
  {
    slug: 'bundle-service',
    name: 'Product Bundles',
    team: 'team-catalogue',
    crit: 'low',
    lang: 'Go',
    version: '1.0.9',
    on: 'ldn',
    description: 'Bundles and "complete the look" sets.',
    deps: [...readPool('catalogue')],
  },
  {
    slug: 'tax-reporting',
    name: 'Tax Reporting',
    team: 'team-data',
    crit: 'medium',
    lang: 'Java',
    version: '2.0.3',
    on: { vms: 1, cpu: 4, mem: 16 },
    description: 'Quarterly VAT returns from the ledger and the tax provider.',
    deps: [d(avalara), d(A('erp-connector'))],
  },
];

/** Which CIs live where, for cross-site traffic (LDN <-> AWS goes over Direct Connect). */
const siteOf = (id: string): Site => {
  const app = APPS.find((a) => A(a.slug) === id);
  if (app) return app.on === 'aws' ? 'aws' : 'ldn';
  return cis.get(id)?.site ?? 'saas';
};

function protocolFor(target: string): { protocol?: string; port?: number } {
  if (dbProto.has(target)) return { protocol: dbProto.get(target)!, port: dbPort.get(target)! };
  if (target === kafka) return { protocol: 'kafka', port: 9093 };
  if (target.startsWith('cl-redis')) return { protocol: 'redis', port: 6379 };
  if (target === es) return { protocol: 'https', port: 9200 };
  return { protocol: 'https', port: 443 };
}

for (const a of APPS) {
  const id = ci(A(a.slug), 'application', a.name, a.team, {
    criticality: a.crit,
    description: a.description,
    site: a.on === 'aws' ? 'aws' : 'ldn',
    attrs: {
      language: a.lang,
      version: a.version,
      repository: `https://git.corp.shop.example/${a.team.replace('team-', '')}/${a.slug}`,
      url: `https://${a.slug}.${a.on === 'aws' ? 'aws' : 'ldn'}.corp.shop.example`,
      location: a.on === 'aws' ? 'AWS eu-west-1' : LD4,
    },
  });
  if (a.on === 'ldn') rel(id, k8sLdn, 'runs_on', { note: `namespace ${a.slug}` });
  else if (a.on === 'aws') rel(id, k8sAws, 'runs_on', { note: `namespace ${a.slug}` });
  else {
    const spec = a.on;
    const hosts = Array.from({ length: spec.vms }, (_, i) =>
      vm({
        id: `vm-${a.slug}-${pad(i + 1)}`,
        name: `${a.name} host ${pad(i + 1)}`,
        owner: a.team,
        crit: a.crit,
        description: `Application server of ${a.name}.`,
        cpu: spec.cpu,
        mem: spec.mem,
      }),
    );
    if (hosts.length > 1) group(id, hosts, `${a.slug}-hosts`, 1, 'runs_on');
    else rel(id, hosts[0]!, 'runs_on');
  }
  let crossSite = false;
  for (const dep of a.deps) {
    rel(id, dep.to, dep.type, { group: dep.group, minUp: dep.minUp, ...protocolFor(dep.to) });
    const s = siteOf(dep.to);
    if (s !== 'saas' && s !== siteOf(id)) crossSite = true;
  }
  if (crossSite) group(id, dx, 'direct-connect', 1, 'depends_on', { note: 'LDN <-> AWS traffic' });
}

// ---------------------------------------------------------------------------
// Business services.

interface BsSpec {
  slug: string;
  name: string;
  team: string;
  crit: Crit;
  url?: string;
  description: string;
  web?: boolean;
  deps: Dep[];
}
const webEntry: Dep[] = [...g(lbEdge, 'edge-load-balancers', 1), d(dnsPublic), d(A('storefront-web'))];
const BUSINESS: BsSpec[] = [
  {
    slug: 'checkout',
    name: 'Checkout',
    team: 'team-checkout',
    crit: 'critical',
    url: 'https://www.shop.example/checkout',
    description: 'Customers pay for their basket and place an order. Revenue stops when it stops.',
    web: true,
    deps: [d(A('checkout-api')), d(A('cart-service'))],
  },
  {
    slug: 'payments',
    name: 'Payments',
    team: 'team-payments',
    crit: 'critical',
    description: 'Card, PayPal and gift-card payments, fraud screening and refunds.',
    deps: [d(A('payment-gateway')), d(A('fraud-check')), u(A('refund-service')), u(A('gift-card-service')), u(A('fraud-cases'))],
  },
  {
    slug: 'catalogue',
    name: 'Product Catalogue',
    team: 'team-catalogue',
    crit: 'high',
    url: 'https://www.shop.example/c/',
    description: 'Browsing categories and product pages with prices, images and stock.',
    web: true,
    deps: [d(A('catalogue-api')), d(A('pricing-service')), u(A('image-service')), u(A('reviews-service')), u(A('recommendations'))],
  },
  {
    slug: 'search',
    name: 'Product Search',
    team: 'team-search',
    crit: 'high',
    url: 'https://www.shop.example/search',
    description: 'Search box, autocomplete and search results.',
    web: true,
    deps: [d(A('search-api')), u(A('search-indexer')), u(A('search-suggest'))],
  },
  {
    slug: 'accounts',
    name: 'Customer Accounts',
    team: 'team-identity',
    crit: 'high',
    url: 'https://www.shop.example/account',
    description: 'Sign-in, registration, addresses, order history and wishlists.',
    web: true,
    deps: [d(A('accounts-api')), d(A('auth-service')), u(A('order-history-api')), u(A('wishlist-service')), u(A('invoice-service'))],
  },
  {
    slug: 'mobile-app',
    name: 'Mobile App',
    team: 'team-web',
    crit: 'high',
    url: 'https://api.shop.example',
    description: 'The iOS and Android shopping apps (about 40% of orders).',
    deps: [d(alb), d(dnsPublic), d(A('api-gateway')), d(A('mobile-bff'))],
  },
  {
    slug: 'fulfilment',
    name: 'Order Fulfilment',
    team: 'team-fulfilment',
    crit: 'high',
    description: 'Picking, packing and dispatch of paid orders from the distribution centres.',
    deps: [
      d(A('fulfilment-service')),
      d(A('warehouse-integration')),
      d(A('shipping-service')),
      d(A('inventory-service')),
      ...g(distributionCentres, 'distribution-centres', 1),
    ],
  },
  {
    slug: 'order-confirmation',
    name: 'Order Confirmation & Notifications',
    team: 'team-comms',
    crit: 'medium',
    description: 'Order confirmation emails, dispatch and delivery notifications by email and SMS.',
    deps: [d(A('notification-service'))],
  },
  {
    slug: 'customer-support',
    name: 'Customer Support',
    team: 'team-customer-care',
    crit: 'medium',
    description: 'Contact centre agents answering customers by chat, email and phone.',
    deps: [d(A('support-portal')), d(genesys), u(twilio), u(A('support-chatbot'))],
  },
  {
    slug: 'returns',
    name: 'Returns & Refunds',
    team: 'team-customer-care',
    crit: 'medium',
    url: 'https://www.shop.example/returns',
    description: 'Customers book a return and get their money back.',
    deps: [d(A('returns-service')), d(A('refund-service'))],
  },
  {
    slug: 'promotions',
    name: 'Promotions & Vouchers',
    team: 'team-checkout',
    crit: 'medium',
    description: 'Voucher codes, multi-buy offers and campaigns.',
    deps: [d(A('promotions-service'))],
  },
  {
    slug: 'loyalty',
    name: 'Loyalty Programme',
    team: 'team-discovery',
    crit: 'low',
    description: 'Points on every order, redeemable at checkout.',
    deps: [d(A('loyalty-service'))],
  },
  {
    slug: 'store-finder',
    name: 'Store Finder',
    team: 'team-web',
    crit: 'low',
    url: 'https://www.shop.example/stores',
    description: 'Find a shop or collection point.',
    web: true,
    deps: [d(A('store-locator'))],
  },
  {
    slug: 'click-and-collect',
    name: 'Click & Collect',
    team: 'team-fulfilment',
    crit: 'medium',
    url: 'https://www.shop.example/click-and-collect',
    description: 'Reserve online and collect from a shop within two hours.',
    web: true,
    deps: [d(A('click-collect')), d(A('checkout-api'))],
  },
  {
    slug: 'online-marketing',
    name: 'Online Marketing',
    team: 'team-marketing',
    crit: 'low',
    description: 'Shopping ads, affiliates, marketing email and basket reminders.',
    deps: [u(A('product-feed')), u(A('affiliate-tracking')), u(A('marketing-sync')), u(A('basket-recovery'))],
  },
  {
    slug: 'subscriptions',
    name: 'Subscribe & Save',
    team: 'team-checkout',
    crit: 'medium',
    url: 'https://www.shop.example/subscriptions',
    description: 'Repeat deliveries of everyday products at a discount.',
    deps: [d(A('subscriptions'))],
  },
  {
    slug: 'marketplace',
    name: 'Marketplace',
    team: 'team-catalogue',
    crit: 'medium',
    url: 'https://sellers.shop.example',
    description: 'Third-party sellers list products on the shop.',
    deps: [d(A('marketplace-sellers'))],
  },
  {
    slug: 'staff-workplace',
    name: 'Staff Workplace',
    team: 'team-security',
    crit: 'medium',
    description: 'Sign-in, email, chat and remote access for head-office staff and engineers (internal).',
    deps: [d(okta), d(m365), u(slack), u('net-vpn-hq')],
  },
  {
    slug: 'merchandising',
    name: 'Merchandising',
    team: 'team-merch',
    crit: 'medium',
    description: 'Staff manage ranges, prices and promotions (internal).',
    deps: [d(A('admin-backoffice')), u(A('stock-forecast'))],
  },
  {
    slug: 'sales-reporting',
    name: 'Sales Reporting',
    team: 'team-data',
    crit: 'low',
    description: 'Daily sales, margin and stock reports for the business (internal).',
    deps: [d(A('reporting-etl')), d(snowflake)],
  },
  {
    slug: 'finance-integration',
    name: 'Finance Integration',
    team: 'team-data',
    crit: 'medium',
    description: 'Orders and refunds posted to the general ledger (internal).',
    deps: [d(A('erp-connector')), u(A('tax-reporting'))],
  },
];
for (const b of BUSINESS) {
  const id = ci(`bs-${b.slug}`, 'business_service', b.name, b.team, {
    criticality: b.crit,
    description: b.description,
    site: 'ldn',
    attrs: b.url ? { url: b.url } : {},
  });
  for (const dep of [...(b.web ? webEntry : []), ...b.deps]) rel(id, dep.to, dep.type, { group: dep.group, minUp: dep.minUp });
}

// ---------------------------------------------------------------------------
// Staging: a copy of every containerised application on the staging cluster,
// with one small database per family, one Redis, one Kafka broker, one search node.

const stgDb = new Map<string, string>();
for (const fam of [...DB_FAMILIES.map((f) => f.fam), ...RDS.map((r) => r.fam)]) {
  const f = DB_FAMILIES.find((x) => x.fam === fam);
  const engine = f?.engine ?? 'PostgreSQL';
  const host = vm({
    id: `vm-db-stg-${fam}`,
    name: `Staging ${fam} DB host`,
    owner: 'team-dba',
    crit: 'low',
    env: 'staging',
    description: `Staging database host for ${fam}.`,
    os: 'Rocky Linux 9.3',
    cpu: 4,
    mem: 16,
  });
  const id = ci(`db-${fam}-stg`, 'database', `${fam.charAt(0).toUpperCase()}${fam.slice(1)} DB (staging)`, 'team-dba', {
    environment: 'staging',
    criticality: 'low',
    description: `Staging ${engine} database for ${fam}, refreshed weekly from an anonymised production copy.`,
    site: 'ldn',
    attrs: { vendor: engine, version: f?.version ?? '16.2', ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
  });
  rel(id, host, 'runs_on');
  stgDb.set(fam, id);
  dbProto.set(id, dbProtocol(engine));
  dbPort.set(id, f?.port ?? 5432);
}
function stgSingle(id: string, type: string, name: string, owner: string, description: string, vendor: string, version: string): string {
  const host = vm({
    id: `vm-${id}`,
    name: `${name} host`,
    owner,
    crit: 'low',
    env: 'staging',
    description: `Host of ${name}.`,
    cpu: 4,
    mem: 16,
  });
  const c = ci(id, type, name, owner, {
    environment: 'staging',
    criticality: 'low',
    description,
    site: 'ldn',
    attrs: { vendor, version, ip_address: cis.get(host)!.attrs.ip_address, location: LD4 },
  });
  rel(c, host, 'runs_on');
  return c;
}
const redisStg = stgSingle(
  'cache-redis-stg',
  'cache',
  'Redis staging',
  'team-platform',
  'Single Redis for all staging services.',
  'Redis',
  '7.2.4',
);
const kafkaStg = stgSingle(
  'mq-kafka-stg',
  'message_queue',
  'Kafka staging',
  'team-platform',
  'Single-broker Kafka for staging.',
  'Apache Kafka',
  '3.7.0',
);
const esStg = stgSingle(
  'es-search-stg',
  'database',
  'Elasticsearch staging',
  'team-search',
  'Single-node search index for staging.',
  'Elastic',
  '8.13.2',
);

/** The staging counterpart of a production dependency, or null when staging has none (it is skipped). */
function stagingOf(target: string): string | null {
  const m = /^db-([a-z]+)-(primary|replica-\d+)$/.exec(target);
  if (m) return stgDb.get(m[1]!) ?? null;
  if (target.startsWith('app-')) return `${target}-stg`;
  if (target === redisSessions || target === redisCart) return redisStg;
  if (target === kafka) return kafkaStg;
  if (target === es) return esStg;
  if (target === stripe) return stripeTest;
  if (target === sendgrid) return mailtrap;
  if (target === vault) return vault;
  // The staging Kafka runs its schema registry and connectors in-process.
  if (target === schemaRegistry || target === kafkaConnect) return kafkaStg;
  if (target.startsWith('saas-')) return target;
  return null;
}
for (const a of APPS) {
  const id = ci(`${A(a.slug)}-stg`, 'application', `${a.name} (staging)`, a.team, {
    environment: 'staging',
    criticality: 'low',
    description: `Staging copy of the production service; deployed from main on every merge.`,
    site: 'ldn',
    attrs: {
      language: a.lang,
      version: a.version.replace(/\.(\d+)$/, (_, p: string) => `.${Number(p) + 1}-rc.1`),
      repository: `https://git.corp.shop.example/${a.team.replace('team-', '')}/${a.slug}`,
      url: `https://${a.slug}.stg.corp.shop.example`,
      location: LD4,
    },
  });
  if (a.on === 'ldn' || a.on === 'aws') rel(id, k8sStg, 'runs_on', { note: `namespace ${a.slug}` });
  else {
    const host = vm({
      id: `vm-${a.slug}-stg-01`,
      name: `${a.name} staging host`,
      owner: a.team,
      crit: 'low',
      env: 'staging',
      description: `Staging application server of ${a.name}.`,
      cpu: 2,
      mem: 8,
    });
    rel(id, host, 'runs_on');
  }
  const seen = new Set<string>();
  for (const dep of a.deps) {
    const t = stagingOf(dep.to);
    // Staging runs no replicas: a read pool collapses to the one staging database, ungrouped.
    if (t === null || seen.has(t) || (!cis.has(t) && !t.startsWith('app-'))) continue;
    seen.add(t);
    rel(id, t, dep.type, protocolFor(t));
  }
}

// ---------------------------------------------------------------------------
// Retired estate: the old monolith and its hosts, kept for the record.

const legacyVms = [1, 2].map((n) =>
  vm({
    id: `vm-legacy-atg-${pad(n)}`,
    name: `Legacy ATG host ${pad(n)}`,
    owner: 'team-web',
    crit: 'low',
    status: 'retired',
    description: 'Host of the retired ATG monolith; powered off, awaiting deletion.',
    os: 'RHEL 6.10',
    cpu: 8,
    mem: 32,
  }),
);
const legacy = ci('app-legacy-shop', 'application', 'Legacy Shop (ATG monolith)', 'team-web', {
  status: 'retired',
  criticality: 'low',
  description: 'The previous web shop, replaced by Storefront Web and the microservices in 2023.',
  site: 'ldn',
  attrs: { language: 'Java (Oracle ATG)', version: '11.3', location: LD4 },
});
group(legacy, legacyVms, 'legacy-atg-hosts', 1, 'runs_on');

// ---------------------------------------------------------------------------
// Self-checks: integrity, then impact scenarios.

function checkIntegrity(): void {
  const seen = new Set<string>();
  for (const r of rels) {
    if (!cis.has(r.source)) throw new Error(`relationship from unknown CI ${r.source}`);
    if (!cis.has(r.target)) throw new Error(`relationship ${r.source} -> unknown CI ${r.target}`);
    if (r.source === r.target) throw new Error(`self relationship on ${r.source}`);
    const k = `${r.source}|${r.target}|${r.type}`;
    if (seen.has(k)) throw new Error(`duplicate relationship ${k}`);
    seen.add(k);
  }
  // Every member of one redundancy group of one dependent must agree on min_up.
  const minUps = new Map<string, number | undefined>();
  for (const r of rels) {
    if (!r.group) continue;
    const dep = r.type === 'member_of' ? r.target : r.source;
    const k = `${dep}|${r.group}`;
    if (minUps.has(k) && minUps.get(k) !== r.minUp) throw new Error(`min_up disagrees in group ${k}`);
    minUps.set(k, r.minUp);
  }
}

const STRENGTH: Record<RelType, 'hard' | 'soft' | 'none'> = {
  depends_on: 'hard',
  runs_on: 'hard',
  hosted_on: 'hard',
  member_of: 'hard',
  uses: 'soft',
  connects_to: 'none',
  backup_of: 'none',
};
type State = 'ok' | 'degraded' | 'down';

/** States of every CI when `failed` go down, by the architecture's redundancy rules (to a fixed point). */
function impact(failed: string[]): Map<string, State> {
  const deps = new Map<string, Array<{ on: string; strength: 'hard' | 'soft'; group?: string; minUp: number }>>();
  for (const r of rels) {
    const strength = STRENGTH[r.type];
    if (strength === 'none') continue;
    const [dependent, on] = r.type === 'member_of' ? [r.target, r.source] : [r.source, r.target];
    const list = deps.get(dependent) ?? [];
    list.push({ on, strength, group: r.group, minUp: r.minUp ?? 1 });
    deps.set(dependent, list);
  }
  const state = new Map<string, State>();
  for (const f of failed) state.set(f, 'down');
  const get = (id: string): State => state.get(id) ?? 'ok';
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, list] of deps) {
      if (failed.includes(id)) continue;
      let down = false;
      let degraded = false;
      const groups = new Map<string, { up: number; total: number; minUp: number }>();
      for (const e of list) {
        const s = get(e.on);
        if (e.strength === 'soft') {
          if (s !== 'ok') degraded = true;
          continue;
        }
        if (e.group) {
          const gs = groups.get(e.group) ?? { up: 0, total: 0, minUp: e.minUp };
          gs.total++;
          if (s !== 'down') gs.up++;
          if (s === 'degraded') degraded = true;
          groups.set(e.group, gs);
        } else if (s === 'down') down = true;
        else if (s === 'degraded') degraded = true;
      }
      for (const gs of groups.values()) {
        if (gs.up < gs.minUp) down = true;
        else if (gs.up < gs.total) degraded = true;
      }
      const next: State = down ? 'down' : degraded ? 'degraded' : 'ok';
      if (next !== get(id)) {
        state.set(id, next);
        changed = true;
      }
    }
  }
  return state;
}

const SCENARIOS: Array<{ fail: string[]; expect: Record<string, State> }> = [
  { fail: ['lb-edge-prod-01'], expect: { 'bs-checkout': 'degraded', 'bs-catalogue': 'degraded', 'bs-mobile-app': 'ok' } },
  { fail: ['lb-edge-prod-01', 'lb-edge-prod-02'], expect: { 'bs-checkout': 'down', 'bs-search': 'down', 'bs-mobile-app': 'ok' } },
  {
    fail: ['db-orders-primary'],
    expect: { 'bs-checkout': 'down', 'app-order-service': 'down', 'bs-catalogue': 'ok', 'app-order-history-api': 'degraded' },
  },
  { fail: ['db-orders-replica-01'], expect: { 'app-order-history-api': 'degraded', 'bs-checkout': 'ok', 'bs-accounts': 'degraded' } },
  { fail: ['saas-sendgrid'], expect: { 'bs-order-confirmation': 'degraded', 'bs-checkout': 'ok', 'app-notification-service': 'degraded' } },
  { fail: ['mq-kafka-prod-broker-01'], expect: { 'mq-kafka-prod': 'degraded', 'bs-checkout': 'degraded' } },
  {
    fail: ['mq-kafka-prod-broker-01', 'mq-kafka-prod-broker-02'],
    expect: { 'mq-kafka-prod': 'down', 'bs-checkout': 'down', 'bs-fulfilment': 'down' },
  },
  { fail: ['saas-stripe'], expect: { 'bs-payments': 'down', 'bs-checkout': 'down', 'bs-catalogue': 'ok' } },
  { fail: ['saas-paypal'], expect: { 'bs-payments': 'degraded', 'bs-checkout': 'degraded' } },
  { fail: ['saas-dhl'], expect: { 'app-shipping-service': 'degraded', 'bs-fulfilment': 'degraded' } },
  {
    fail: ['saas-dhl', 'saas-royal-mail', 'saas-dpd'],
    expect: { 'app-shipping-service': 'down', 'bs-fulfilment': 'down', 'bs-checkout': 'degraded', 'bs-payments': 'ok' },
  },
  { fail: ['aws-dx-ldn-01'], expect: { 'bs-checkout': 'degraded', 'bs-accounts': 'degraded' } },
  { fail: ['aws-dx-ldn-01', 'aws-dx-ldn-02'], expect: { 'bs-checkout': 'down', 'app-order-history-api': 'down' } },
  { fail: ['saas-avalara'], expect: { 'app-tax-service': 'down', 'bs-checkout': 'down' } },
  { fail: ['saas-zendesk'], expect: { 'bs-customer-support': 'down', 'bs-checkout': 'ok' } },
  { fail: ['k8s-prod-ldn-w-01'], expect: { 'k8s-prod-ldn': 'degraded', 'bs-checkout': 'degraded' } },
  { fail: ['sw-tor-ldn-a01-1'], expect: { 'hv-ldn-01': 'degraded', 'bs-checkout': 'degraded' } },
  { fail: ['sw-tor-ldn-a01-1', 'sw-tor-ldn-a01-2'], expect: { 'hv-ldn-01': 'down', 'hv-ldn-02': 'down' } },
  { fail: ['san-ldn-01'], expect: { 'hv-ldn-01': 'down', 'hv-ldn-09': 'ok', 'cl-vsphere-ldn-prod': 'down' } },
  { fail: ['saas-launchdarkly'], expect: { 'app-storefront-web': 'degraded', 'bs-checkout': 'degraded' } },
  { fail: ['saas-openexchangerates'], expect: { 'app-currency-service': 'degraded', 'bs-checkout': 'degraded' } },
  { fail: ['saas-onetrust'], expect: { 'app-storefront-web': 'degraded', 'bs-catalogue': 'degraded' } },
  { fail: ['net-dci-ldn-sl2-01', 'net-dci-ldn-sl2-02'], expect: { 'db-orders-dr': 'down', 'bs-checkout': 'ok' } },
  { fail: ['cl-vsphere-sl2-dr'], expect: { 'bs-checkout': 'ok' } },
  { fail: ['stor-backup-ldn-01'], expect: { 'db-orders-primary': 'ok', 'bs-checkout': 'ok' } },
];

function checkScenarios(): void {
  const problems: string[] = [];
  for (const s of SCENARIOS) {
    const st = impact(s.fail);
    for (const [id, want] of Object.entries(s.expect)) {
      if (!cis.has(id)) problems.push(`scenario ${s.fail.join('+')}: no CI ${id}`);
      const got = st.get(id) ?? 'ok';
      if (got !== want) problems.push(`losing ${s.fail.join(' + ')}: ${id} is ${got}, expected ${want}`);
    }
  }
  // Staging never takes production down.
  const st = impact([k8sStg, ...stgNodes, redisStg, kafkaStg, esStg, ...stgDb.values(), nas, lbStg]);
  for (const [id, s] of st)
    if (s !== 'ok' && cis.get(id)!.environment === 'production') problems.push(`staging failure reaches production CI ${id}`);
  if (problems.length > 0) throw new Error(`impact self-check failed:\n  ${problems.join('\n  ')}`);
}

checkIntegrity();
checkScenarios();
if (process.env.DEMO_EXPLAIN) {
  // Debug aid: DEMO_EXPLAIN=ci-a,ci-b prints what losing them does to production business services.
  const st = impact(process.env.DEMO_EXPLAIN.split(','));
  for (const [id, s] of st) if (s !== 'ok' && id.startsWith('bs-')) process.stdout.write(`${id}: ${s}\n`);
}

// ---------------------------------------------------------------------------
// Output.

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : join(here, '..', 'assets', 'demo');
mkdirSync(outDir, { recursive: true });

const ciHeader = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description', ...ATTR_COLS];
// Business services first, then down the stack to the network and the outside world, so the
// file reads top-down; within a type, in the order the estate was built.
const TYPE_ORDER = [
  'business_service',
  'application',
  'service',
  'database',
  'cache',
  'message_queue',
  'cluster',
  'kubernetes_cluster',
  'kubernetes_node',
  'virtual_machine',
  'hypervisor',
  'server',
  'storage',
  'load_balancer',
  'network_device',
  'dns',
  'cloud_resource',
  'saas',
];
const rank = (type: string) => {
  const i = TYPE_ORDER.indexOf(type);
  if (i < 0) throw new Error(`type ${type} missing from TYPE_ORDER`);
  return i;
};
const ordered = [...cis.values()].map((c, i) => ({ c, i })).sort((x, y) => rank(x.c.type) - rank(y.c.type) || x.i - y.i);
const position = new Map(ordered.map(({ c }, i) => [c.id, i]));
rels.sort((x, y) => position.get(x.source)! - position.get(y.source)! || position.get(x.target)! - position.get(y.target)!);
const ciRows = ordered.map(({ c }) => [
  c.id,
  c.name,
  c.type,
  c.status,
  c.environment,
  c.owner,
  c.criticality,
  c.description,
  ...ATTR_COLS.map((k) => (c.attrs[k] === undefined ? '' : String(c.attrs[k]))),
]);
const relHeader = ['source', 'target', 'type', 'redundancy_group', 'min_up', 'protocol', 'port', 'note'];
const relRows = rels.map((r) => [
  r.source,
  r.target,
  r.type,
  r.group ?? '',
  r.minUp === undefined ? '' : String(r.minUp),
  r.protocol ?? '',
  r.port === undefined ? '' : String(r.port),
  r.note ?? '',
]);
// Exact: the demo is the app's own input, read back by the importer value for value.
writeFileSync(join(outDir, 'cis.csv'), toCsv([ciHeader, ...ciRows], { exact: true }));
writeFileSync(join(outDir, 'relationships.csv'), toCsv([relHeader, ...relRows], { exact: true }));

const byType = new Map<string, number>();
for (const c of cis.values()) byType.set(c.type, (byType.get(c.type) ?? 0) + 1);
process.stdout.write(
  `Wrote ${cis.size} CIs and ${rels.length} relationships to ${outDir} (${SCENARIOS.length} impact scenarios checked).\n` +
    [...byType.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `  ${t}: ${n}`)
      .join('\n') +
    '\n',
);
