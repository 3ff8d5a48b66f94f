/**
 * A synthetic CMDB shaped like a real estate, at any size, for the benchmark
 * and for trying the app on something big. Deterministic from the seed and
 * streaming: every CI and relationship is derived from its index and a small
 * seeded PRNG, so nothing is held in memory but the plan (a few counts), and a
 * million CIs with three million relationships write in bounded memory.
 *
 * The shape, top to bottom (A -> B: A depends on B unless said otherwise):
 *   business services -> applications -> services (microservices on
 *   Kubernetes, or "legacy" services on VM pairs) -> databases (replica
 *   pairs), Kafka clusters (3 brokers, 2 must be up), caches -> VMs /
 *   containers -> hypervisors / Kubernetes nodes (node pools) -> access switch
 *   pairs -> core switch pairs; hypervisors and nodes -> storage arrays.
 * Shared infrastructure takes heavy fan-in: every service uses a DNS pair,
 * applications and a quarter of services the auth service, one storage array
 * holds about a third of the hypervisors, and every access switch hangs off a
 * core switch pair, so a few CIs have a blast radius of well over 10% of the
 * estate. A few deliberate service cycles, and `connects_to` rings between
 * switches, make the graph not a DAG.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CmdbError } from '../../shared/errors.js';
import { toCsv } from '../../shared/csv.js';

/** Columns of the generated CIs file (docs/import.md, "CSV formats"; the last three are attributes). */
export const CI_HEADER = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description', 'location', 'vendor', 'ip'];
/** Columns of the generated relationships file. */
export const REL_HEADER = ['source', 'target', 'type', 'redundancy_group', 'min_up'];

/** The smallest estate the generator makes: below this the layers cannot all be present. */
export const MIN_CIS = 200;

/** mulberry32: a small, fast, seeded PRNG with good enough spread for synthetic data. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SegName =
  | 'bs'
  | 'app'
  | 'svc'
  | 'db'
  | 'mq'
  | 'cache'
  | 'cloud'
  | 'saas'
  | 'vm'
  | 'k8sc'
  | 'k8sn'
  | 'ctr'
  | 'hv'
  | 'lb'
  | 'sw'
  | 'core'
  | 'san'
  | 'dns';

/** Output order: top of the stack first. */
const SEG_ORDER: readonly SegName[] = [
  'bs',
  'app',
  'svc',
  'db',
  'mq',
  'cache',
  'cloud',
  'saas',
  'vm',
  'k8sc',
  'k8sn',
  'ctr',
  'hv',
  'lb',
  'sw',
  'core',
  'san',
  'dns',
];

const SEG_TYPE: Record<SegName, string> = {
  bs: 'business_service',
  app: 'application',
  svc: 'service',
  db: 'database',
  mq: 'message_queue',
  cache: 'cache',
  cloud: 'cloud_resource',
  saas: 'saas',
  vm: 'virtual_machine',
  k8sc: 'kubernetes_cluster',
  k8sn: 'kubernetes_node',
  ctr: 'container',
  hv: 'hypervisor',
  lb: 'load_balancer',
  sw: 'network_device',
  core: 'network_device',
  san: 'storage',
  dns: 'dns',
};

const SEG_PREFIX: Record<SegName, string> = {
  bs: 'bs',
  app: 'app',
  svc: 'svc',
  db: 'db',
  mq: 'mq',
  cache: 'cache',
  cloud: 'cloud',
  saas: 'saas',
  vm: 'vm',
  k8sc: 'k8s',
  k8sn: 'k8n',
  ctr: 'ctr',
  hv: 'hv',
  lb: 'lb',
  sw: 'sw',
  core: 'core-sw',
  san: 'san',
  dns: 'dns',
};

/** The counts and derived ranges of one estate: everything the rows are computed from. */
export interface EstatePlan {
  cis: number;
  seed: number;
  /** Business domains (each owned by a team); logical CIs are spread over them in blocks. */
  domains: number;
  counts: Record<SegName, number>;
  /** Services 0 and 1 are the auth and SSO services; of the rest, 3 in 10 are legacy services on VM pairs. */
  legacyServices: number;
  k8sServices: number;
  /** VM ranges: database replicas, Kafka brokers, cache hosts, legacy service pairs, general-purpose. */
  vmBase: { db: number; mq: number; cache: number; legacy: number; general: number };
  cycles: { period: number; count: number };
  /** Keys of CIs with a large blast radius, for benchmarks and demos. */
  hubs: { storage: string; coreSwitch: string; dns: string; auth: string; accessSwitch: string };
}

const round = Math.round;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** How many j in [0, n) are legacy services: j >= 2 and j % 10 < 3. */
function legacyBelow(n: number): number {
  const all = Math.floor(n / 10) * 3 + Math.min(n % 10, 3);
  return all - Math.min(n, 2);
}

function isLegacy(i: number): boolean {
  return i >= 2 && i % 10 < 3;
}

/** Splits `total` items into `parts` contiguous blocks; the block of item `i`. */
function blockOf(i: number, total: number, parts: number): number {
  return Math.floor((i * parts) / total);
}

/** The [start, end) items of block `k` when `total` items are split into `parts` blocks. */
function blockRange(k: number, total: number, parts: number): [number, number] {
  return [Math.ceil((k * total) / parts), Math.ceil(((k + 1) * total) / parts)];
}

/** Works out the size of every layer for an estate of `cis` CIs. Throws below MIN_CIS. */
export function planEstate(cis: number, seed = 1): EstatePlan {
  if (!Number.isInteger(cis) || cis < MIN_CIS) {
    throw new CmdbError('INVALID_REQUEST', `--cis must be a whole number of at least ${MIN_CIS} (got ${cis}).`);
  }
  if (!Number.isInteger(seed)) throw new CmdbError('INVALID_REQUEST', `--seed must be a whole number (got ${seed}).`);
  const n = cis;
  const c = {} as Record<SegName, number>;
  c.bs = Math.max(2, round(n * 0.003));
  c.app = Math.max(4, round(n * 0.02));
  c.svc = Math.max(12, round(n * 0.1));
  c.db = Math.max(2, round(n * 0.025));
  c.mq = Math.max(1, round(n * 0.005));
  c.cache = Math.max(1, round(n * 0.01));
  c.cloud = Math.max(1, round(n * 0.01));
  c.saas = clamp(round(n * 0.0002), 2, 300);
  c.k8sc = Math.max(1, round(n / 25000));
  c.k8sn = Math.max(3, round(n * 0.035));
  c.hv = Math.max(2, round(n * 0.012));
  c.lb = 2 * Math.max(1, round(n * 0.001));
  c.sw = 2 * Math.max(1, round(n * 0.002));
  c.core = 4;
  c.san = clamp(round(n / 20000), 3, 60);
  c.dns = 4;
  const legacyServices = legacyBelow(c.svc);
  const k8sServices = c.svc - legacyServices;
  const general = Math.max(2, round(n * 0.04));
  const vmBase = { db: 0, mq: 2 * c.db, cache: 2 * c.db + 3 * c.mq, legacy: 0, general: 0 };
  vmBase.legacy = vmBase.cache + c.cache;
  vmBase.general = vmBase.legacy + 2 * legacyServices;
  c.vm = vmBase.general + general;
  c.ctr = 0;
  const others = SEG_ORDER.reduce((s, k) => s + c[k], 0);
  c.ctr = n - others;
  if (c.ctr < k8sServices) {
    throw new CmdbError('INVALID_REQUEST', `--cis ${n} is too small for a layered estate; use at least ${MIN_CIS * 2}.`);
  }
  const cycleCount = clamp(round(c.svc / 4000), 3, 25);
  const period = Math.max(5, Math.floor((c.svc - 4) / cycleCount));
  const w = (s: SegName) => Math.max(6, String(c[s]).length);
  const key = (s: SegName, i: number) => `${SEG_PREFIX[s]}-${String(i + 1).padStart(s === 'core' || s === 'dns' ? 2 : w(s), '0')}`;
  return {
    cis: n,
    seed,
    domains: Math.max(2, round(n / 2500)),
    counts: c,
    legacyServices,
    k8sServices,
    vmBase,
    cycles: { period, count: cycleCount },
    hubs: { storage: key('san', 0), coreSwitch: key('core', 0), dns: key('dns', 0), auth: key('svc', 0), accessSwitch: key('sw', 0) },
  };
}

// ---------------------------------------------------------------- vocabulary

const DOMAIN_WORDS = [
  'payments',
  'checkout',
  'catalog',
  'search',
  'identity',
  'orders',
  'billing',
  'shipping',
  'inventory',
  'pricing',
  'loyalty',
  'marketing',
  'analytics',
  'reporting',
  'hr',
  'finance',
  'crm',
  'support',
  'messaging',
  'notifications',
  'fraud',
  'risk',
  'ledger',
  'treasury',
  'claims',
  'policy',
  'underwriting',
  'logistics',
  'warehouse',
  'procurement',
  'vendor',
  'content',
  'media',
  'recommendations',
  'reviews',
  'accounts',
  'onboarding',
  'compliance',
  'audit',
  'documents',
];
const DOMAIN_SUFFIX = ['core', 'eu', 'us', 'apac', 'mobile', 'partner', 'b2b', 'retail', 'internal', 'legacy'];
const APP_ROLES = ['portal', 'backoffice', 'mobile-app', 'api-gateway', 'console', 'batch', 'web', 'hub'];
const SVC_ROLES = [
  'api',
  'worker',
  'scheduler',
  'gateway',
  'ledger',
  'events',
  'sync',
  'adapter',
  'engine',
  'store',
  'importer',
  'exporter',
  'router',
  'validator',
  'aggregator',
];
const SITES = ['fra1', 'fra2', 'ams1', 'lon1', 'dub1', 'nyc1', 'sin1'];
const SITE_WEIGHTS = [0.3, 0.18, 0.16, 0.14, 0.1, 0.08, 0.04];
const CLOUD_REGIONS = ['aws:eu-west-1', 'aws:eu-central-1', 'aws:us-east-1', 'azure:westeurope', 'gcp:europe-west4'];
const SAAS = [
  'Salesforce',
  'Workday',
  'ServiceNow',
  'Okta',
  'Slack',
  'Zendesk',
  'Stripe',
  'Twilio',
  'SendGrid',
  'Datadog',
  'PagerDuty',
  'Jira',
];
const CLOUD_KINDS = ['s3-bucket', 'sqs-queue', 'kms-key', 'secret', 'blob-container', 'pubsub-topic', 'dynamodb-table'];
const DB_KINDS = ['postgres', 'mysql', 'oracle', 'mssql', 'mongodb'];
const VENDORS: Partial<Record<SegName, string[]>> = {
  db: ['PostgreSQL', 'Oracle', 'Microsoft', 'MongoDB', 'MariaDB'],
  mq: ['Apache Kafka', 'Confluent'],
  cache: ['Redis', 'Memcached'],
  vm: ['VMware', 'Red Hat', 'Canonical', 'Microsoft'],
  k8sc: ['Red Hat OpenShift', 'Rancher', 'Amazon EKS'],
  k8sn: ['Red Hat', 'Canonical', 'SUSE'],
  ctr: ['Docker'],
  hv: ['VMware', 'Dell', 'HPE', 'Lenovo'],
  lb: ['F5', 'Citrix', 'HAProxy'],
  sw: ['Cisco', 'Arista', 'Juniper'],
  core: ['Cisco', 'Arista'],
  san: ['NetApp', 'Pure Storage', 'Dell EMC', 'HPE'],
  dns: ['Infoblox', 'BIND'],
  cloud: ['Amazon Web Services', 'Microsoft Azure', 'Google Cloud'],
};
const STATUS = ['operational', 'maintenance', 'planned', 'retired'];
const STATUS_WEIGHTS = [0.93, 0.03, 0.02, 0.02];
const ENVS = ['production', 'staging', 'test', 'development'];
const ENV_WEIGHTS = [0.62, 0.14, 0.1, 0.14];
const CRIT = ['critical', 'high', 'medium', 'low'];
const PLATFORM_TEAMS: Partial<Record<SegName, string>> = {
  vm: 'team-compute',
  k8sc: 'team-platform',
  k8sn: 'team-platform',
  hv: 'team-compute',
  lb: 'team-network',
  sw: 'team-network',
  core: 'team-network',
  san: 'team-storage',
  dns: 'team-network',
  saas: 'team-procurement',
};

function domainName(d: number): string {
  const base = DOMAIN_WORDS[d % DOMAIN_WORDS.length]!;
  const round = Math.floor(d / DOMAIN_WORDS.length);
  return round === 0 ? base : `${base}-${DOMAIN_SUFFIX[(round - 1) % DOMAIN_SUFFIX.length]}${round > DOMAIN_SUFFIX.length ? round : ''}`;
}

function weighted(r: number, weights: readonly number[]): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (r < acc) return i;
  }
  return weights.length - 1;
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** A skewed pick in [0, n): the first items are much more popular (roughly Zipf). */
function skewed(rng: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * rng() ** 2.2));
}

function ipOf(ordinal: number, container: boolean): string {
  const o = ordinal + 1;
  return container ? `100.${64 + ((o >>> 16) & 63)}.${(o >>> 8) & 255}.${o & 255}` : `10.${(o >>> 16) & 255}.${(o >>> 8) & 255}.${o & 255}`;
}

// ---------------------------------------------------------------- rows

/** The estate's rows: key lookups and the CI and relationship records, as generators. */
export class Estate {
  private readonly width: Record<SegName, number>;
  private readonly offset: Record<SegName, number>;

  constructor(readonly plan: EstatePlan) {
    this.width = {} as Record<SegName, number>;
    this.offset = {} as Record<SegName, number>;
    let o = 0;
    for (const s of SEG_ORDER) {
      this.width[s] = s === 'core' || s === 'dns' ? 2 : Math.max(6, String(plan.counts[s]).length);
      this.offset[s] = o;
      o += plan.counts[s];
    }
  }

  key(s: SegName, i: number): string {
    return `${SEG_PREFIX[s]}-${String(i + 1).padStart(this.width[s], '0')}`;
  }

  private domainOf(s: SegName, i: number): number {
    return blockOf(i, this.plan.counts[s], this.plan.domains);
  }

  /** A random index of segment `s` inside domain `d` (its block of that segment). */
  private inDomain(rng: () => number, s: SegName, d: number): number {
    const n = this.plan.counts[s];
    const [lo, hi] = blockRange(d, n, this.plan.domains);
    if (hi > lo) return lo + Math.floor(rng() * (hi - lo));
    return Math.min(n - 1, Math.floor((d * n) / this.plan.domains));
  }

  /** CI records, in layer order, each matching CI_HEADER. */
  *ciRecords(): Generator<string[]> {
    const rng = mulberry32(this.plan.seed ^ 0x9e3779b9);
    for (const s of SEG_ORDER) {
      const n = this.plan.counts[s];
      for (let i = 0; i < n; i++) yield this.ciRecord(s, i, rng);
    }
  }

  private ciRecord(s: SegName, i: number, rng: () => number): string[] {
    const ordinal = this.offset[s] + i;
    const logical = s === 'bs' || s === 'app' || s === 'svc' || s === 'db' || s === 'mq' || s === 'cache' || s === 'cloud';
    const d = logical ? this.domainOf(s, i) : -1;
    const dom = d >= 0 ? domainName(d) : '';
    const seq = (k: number) => String(k).padStart(2, '0');
    let name: string;
    let description = '';
    let criticality: string;
    let environment = ENVS[weighted(rng(), ENV_WEIGHTS)]!;
    let location = SITES[weighted(rng(), SITE_WEIGHTS)]!;
    let ip = '';
    const vendorList = VENDORS[s];
    let vendor = vendorList ? pick(rng, vendorList) : '';
    const critR = rng();
    const status = STATUS[weighted(rng(), STATUS_WEIGHTS)]!;
    switch (s) {
      case 'bs':
        name = `${dom} ${pick(rng, ['online', 'in-store', 'partner', 'customer', 'internal'])} service ${seq(i % 100)}`;
        description = `Business service for ${dom}; customer facing`;
        criticality = CRIT[weighted(critR, [0.3, 0.4, 0.2, 0.1])]!;
        environment = 'production';
        break;
      case 'app':
        name = `${dom}-${APP_ROLES[i % APP_ROLES.length]}-${seq(i % 100)}`;
        description = `${dom} application (${APP_ROLES[i % APP_ROLES.length]})`;
        criticality = CRIT[weighted(critR, [0.15, 0.35, 0.35, 0.15])]!;
        break;
      case 'svc':
        name =
          i === 0 ? 'identity-auth' : i === 1 ? 'identity-sso-gateway' : `${dom}-${SVC_ROLES[(i * 7) % SVC_ROLES.length]}-${seq(i % 100)}`;
        description = isLegacy(i) ? `${dom} service on a VM pair` : `${dom} microservice on Kubernetes`;
        criticality = i < 2 ? 'critical' : CRIT[weighted(critR, [0.1, 0.3, 0.4, 0.2])]!;
        if (i < 2) environment = 'production';
        break;
      case 'db': {
        const kind = DB_KINDS[i % DB_KINDS.length]!;
        name = `${dom}-${kind}-${seq(i % 100)}`;
        description = `${kind} database for ${dom}`;
        criticality = CRIT[weighted(critR, [0.2, 0.4, 0.3, 0.1])]!;
        break;
      }
      case 'mq':
        name = `${dom}-kafka-${seq(i % 100)}`;
        description = `Kafka cluster for ${dom} events`;
        criticality = CRIT[weighted(critR, [0.2, 0.4, 0.3, 0.1])]!;
        break;
      case 'cache':
        name = `${dom}-redis-${seq(i % 100)}`;
        criticality = CRIT[weighted(critR, [0.05, 0.25, 0.5, 0.2])]!;
        break;
      case 'cloud':
        name = `${dom}-${CLOUD_KINDS[i % CLOUD_KINDS.length]}-${seq(i % 100)}`;
        location = pick(rng, CLOUD_REGIONS);
        vendor = location.startsWith('aws') ? 'Amazon Web Services' : location.startsWith('azure') ? 'Microsoft Azure' : 'Google Cloud';
        criticality = CRIT[weighted(critR, [0.05, 0.25, 0.5, 0.2])]!;
        break;
      case 'saas':
        vendor = SAAS[i % SAAS.length]!;
        name = i < SAAS.length ? vendor : `${vendor} ${Math.floor(i / SAAS.length) + 1}`;
        location = 'saas';
        environment = 'production';
        criticality = CRIT[weighted(critR, [0.2, 0.3, 0.3, 0.2])]!;
        break;
      case 'vm':
        name = `${location}-vm-${String(i + 1).padStart(this.width.vm, '0')}`;
        ip = ipOf(ordinal, false);
        criticality = CRIT[weighted(critR, [0.05, 0.3, 0.45, 0.2])]!;
        break;
      case 'k8sc':
        name = `${location}-k8s-${seq(i + 1)}`;
        environment = i % 4 === 3 ? 'staging' : 'production';
        criticality = environment === 'production' ? 'critical' : 'medium';
        break;
      case 'k8sn':
        name = `${location}-k8s-node-${String(i + 1).padStart(this.width.k8sn, '0')}`;
        ip = ipOf(ordinal, false);
        criticality = 'high';
        break;
      case 'ctr':
        name = `ctr-${String(i + 1).padStart(this.width.ctr, '0')}`;
        ip = ipOf(ordinal, true);
        location = '';
        criticality = CRIT[weighted(critR, [0.02, 0.2, 0.5, 0.28])]!;
        break;
      case 'hv':
        name = `${location}-esx-${String(i + 1).padStart(this.width.hv, '0')}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = 'high';
        break;
      case 'lb':
        name = `${location}-lb-${seq(Math.floor(i / 2) + 1)}${i % 2 === 0 ? 'a' : 'b'}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = 'critical';
        break;
      case 'sw':
        name = `${location}-access-sw-${String(Math.floor(i / 2) + 1).padStart(4, '0')}${i % 2 === 0 ? 'a' : 'b'}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = 'high';
        break;
      case 'core':
        location = SITES[i % 2]!;
        name = `${location}-core-sw-${seq(i + 1)}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = 'critical';
        description = 'Core switch; every access switch uplinks to a core pair';
        break;
      case 'san':
        name = `${location}-array-${seq(i + 1)}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = i === 0 ? 'critical' : 'high';
        break;
      case 'dns':
        location = SITES[i % 2]!;
        name = `${location}-dns-${seq(i + 1)}`;
        ip = ipOf(ordinal, false);
        environment = 'production';
        criticality = 'critical';
        description = 'Internal DNS resolver';
        break;
    }
    const owner = d >= 0 ? `team-${dom}` : (PLATFORM_TEAMS[s] ?? 'team-platform');
    return [this.key(s, i), name, SEG_TYPE[s], status, environment, owner, criticality, description, location, vendor, ip];
  }

  /** Relationship records, matching REL_HEADER; every endpoint is a generated CI key. */
  *relRecords(): Generator<string[]> {
    const rng = mulberry32(this.plan.seed ^ 0x85ebca6b);
    const out: string[][] = [];
    for (const s of SEG_ORDER) {
      const n = this.plan.counts[s];
      for (let i = 0; i < n; i++) {
        out.length = 0;
        this.rels(s, i, rng, out);
        for (const r of out) yield r;
      }
    }
  }

  private rels(s: SegName, i: number, rng: () => number, out: string[][]): void {
    const p = this.plan;
    const c = p.counts;
    const me = this.key(s, i);
    const rel = (target: string, type: string, group = '', minUp = '') => out.push([me, target, type, group, minUp]);
    const distinct = (k: number, lo: number, hi: number): number[] => {
      const span = hi - lo;
      if (span <= 0) return [];
      if (k >= span) return Array.from({ length: span }, (_, j) => lo + j);
      const got = new Set<number>();
      while (got.size < k) got.add(lo + Math.floor(rng() * span));
      return [...got];
    };
    const dnsPair = (d: number) => {
      const base = (d % 2) * 2;
      rel(this.key('dns', base), 'depends_on', `dns-pair-${base / 2 + 1}`, '1');
      rel(this.key('dns', base + 1), 'depends_on', `dns-pair-${base / 2 + 1}`, '1');
    };
    const swPair = (pair: number) => {
      const g = `sw-pair-${String(pair + 1).padStart(4, '0')}`;
      rel(this.key('sw', 2 * pair), 'depends_on', g, '1');
      rel(this.key('sw', 2 * pair + 1), 'depends_on', g, '1');
    };
    const corePair = (pair: number) => {
      const g = `core-pair-${pair + 1}`;
      rel(this.key('core', 2 * pair), 'depends_on', g, '1');
      rel(this.key('core', 2 * pair + 1), 'depends_on', g, '1');
    };
    // One array takes about 30% of the hosts at any size; the others share the rest, unevenly.
    const san = () => this.key('san', rng() < 0.3 ? 0 : 1 + skewed(rng, c.san - 1));
    switch (s) {
      case 'bs': {
        const d = this.domainOf(s, i);
        const [lo, hi] = blockRange(d, c.app, p.domains);
        for (const a of distinct(2 + Math.floor(rng() * 4), lo, hi)) rel(this.key('app', a), 'depends_on');
        if (rng() < 0.2) {
          const other = Math.floor(rng() * c.app);
          if (other < lo || other >= hi) rel(this.key('app', other), 'depends_on');
        }
        break;
      }
      case 'app': {
        const d = this.domainOf(s, i);
        const [lo, hi] = blockRange(d, c.svc, p.domains);
        for (const v of distinct(3 + Math.floor(rng() * 5), Math.max(lo, 2), hi)) rel(this.key('svc', v), 'depends_on');
        rel(this.key('svc', 0), 'depends_on');
        if (rng() < 0.5) rel(this.key('svc', 1), 'uses');
        const pair = Math.floor(rng() * (c.lb / 2));
        rel(this.key('lb', 2 * pair), 'depends_on', `${this.key('lb', 2 * pair)}-pair`, '1');
        rel(this.key('lb', 2 * pair + 1), 'depends_on', `${this.key('lb', 2 * pair)}-pair`, '1');
        if (rng() < 0.3) rel(this.key('saas', skewed(rng, c.saas)), 'uses');
        // An application server or batch host of its own domain among the general-purpose VMs.
        const general = c.vm - p.vmBase.general;
        const [glo, ghi] = blockRange(d, general, p.domains);
        const g = ghi > glo ? glo + Math.floor(rng() * (ghi - glo)) : Math.floor(rng() * general);
        rel(this.key('vm', p.vmBase.general + g), 'depends_on');
        break;
      }
      case 'svc': {
        const d = this.domainOf(s, i);
        dnsPair(d);
        if (i >= 2) {
          const [, hi] = blockRange(d, c.svc, p.domains);
          // Services sit in four tiers (i % 4) and call only nearby services of a lower tier (never
          // the next one), so call chains stay short and the only cycles are the deliberate ones below.
          const k = Math.floor(rng() * 4);
          const lower: number[] = [];
          for (let j = i + 2; j < Math.min(hi, i + 40); j++) if (j % 4 > i % 4) lower.push(j);
          for (const v of distinct(Math.min(k, lower.length), 0, lower.length)) rel(this.key('svc', lower[v]!), 'depends_on');
          if (rng() < 0.7) rel(this.key('db', this.inDomain(rng, 'db', d)), 'depends_on');
          if (rng() < 0.5) rel(this.key('cache', this.inDomain(rng, 'cache', d)), 'uses');
          if (rng() < 0.3) rel(this.key('mq', this.inDomain(rng, 'mq', d)), 'depends_on');
          if (rng() < 0.25) rel(this.key('svc', 0), 'depends_on');
          if (rng() < 0.15) rel(this.key('cloud', this.inDomain(rng, 'cloud', d)), 'uses');
          this.cycleRels(i, rel);
        }
        if (isLegacy(i)) {
          const r = legacyBelow(i);
          const g = `${me}-nodes`;
          rel(this.key('vm', p.vmBase.legacy + 2 * r), 'runs_on', g, '1');
          rel(this.key('vm', p.vmBase.legacy + 2 * r + 1), 'runs_on', g, '1');
        }
        break;
      }
      case 'db': {
        const g = `${me}-replicas`;
        rel(this.key('vm', p.vmBase.db + 2 * i), 'hosted_on', g, '1');
        rel(this.key('vm', p.vmBase.db + 2 * i + 1), 'hosted_on', g, '1');
        // Every tenth database has a disaster-recovery standby: the next one is its backup.
        if (i % 10 === 9) rel(this.key('db', i - 1), 'backup_of');
        break;
      }
      case 'mq': {
        const g = `${me}-brokers`;
        for (let b = 0; b < 3; b++) rel(this.key('vm', p.vmBase.mq + 3 * i + b), 'hosted_on', g, '2');
        break;
      }
      case 'cache':
        rel(this.key('vm', p.vmBase.cache + i), 'hosted_on');
        break;
      case 'vm':
        rel(this.key('hv', Math.floor(rng() * c.hv)), 'hosted_on');
        rel(this.key('dns', Math.floor(rng() * 4)), 'uses');
        if (i >= p.vmBase.general && rng() < 0.3) {
          const peer = p.vmBase.general + Math.floor(rng() * (c.vm - p.vmBase.general));
          if (peer !== i) rel(this.key('vm', peer), 'connects_to');
        }
        break;
      case 'k8sc':
        dnsPair(i);
        break;
      case 'k8sn': {
        const cl = blockOf(i, c.k8sn, c.k8sc);
        const [lo, hi] = blockRange(cl, c.k8sn, c.k8sc);
        const pool = hi - lo;
        rel(this.key('k8sc', cl), 'member_of', `${this.key('k8sc', cl)}-pool`, String(Math.max(1, Math.ceil(pool / 2))));
        // Seven in ten nodes are VMs on a hypervisor (and use its datastore); the rest are bare
        // metal on a switch pair, with persistent volumes on an array.
        if (i % 10 < 7) rel(this.key('hv', Math.floor(rng() * c.hv)), 'hosted_on');
        else {
          swPair(Math.floor(rng() * (c.sw / 2)));
          rel(san(), 'depends_on');
        }
        break;
      }
      case 'ctr': {
        const k = blockOf(i, c.ctr, p.k8sServices);
        const [lo, hi] = blockRange(k, c.ctr, p.k8sServices);
        const replicas = hi - lo;
        // The k-th Kubernetes service: skip over the legacy ones.
        const svc = this.kthK8sService(k);
        const svcKey = this.key('svc', svc);
        if (replicas > 1) rel(svcKey, 'member_of', `${svcKey}-replicas`, String(Math.max(1, Math.floor(replicas / 2))));
        else rel(svcKey, 'member_of');
        // Replicas of one service stay in one cluster, spread over its nodes.
        const cl = svc % c.k8sc;
        const [nlo, nhi] = blockRange(cl, c.k8sn, c.k8sc);
        rel(this.key('k8sn', nlo + Math.floor(rng() * Math.max(1, nhi - nlo))), 'runs_on');
        if (rng() < 0.5) rel(this.key('cloud', this.inDomain(rng, 'cloud', this.domainOf('svc', svc))), 'uses');
        break;
      }
      case 'hv':
        rel(san(), 'depends_on');
        swPair(Math.floor(rng() * (c.sw / 2)));
        break;
      case 'lb':
        swPair(Math.floor(rng() * (c.sw / 2)));
        if (i % 2 === 0) rel(this.key('lb', i + 1), 'connects_to');
        break;
      case 'sw':
        corePair(Math.floor(i / 2) % 2);
        if (i % 2 === 0) rel(this.key('sw', i + 1), 'connects_to');
        break;
      case 'core':
        rel(this.key('core', (i + 1) % c.core), 'connects_to');
        break;
      case 'san':
        corePair(i % 2);
        break;
      case 'dns':
        corePair(i % 2);
        break;
    }
  }

  /** Index of the k-th service that is not legacy (services 0 and 1 are Kubernetes services). */
  private kthK8sService(k: number): number {
    // Services 0, 1 and 3..9 are Kubernetes ones; after that, 3..9 of every ten.
    if (k < 2) return k;
    if (k < 9) return k + 1;
    const j = k - 9;
    return 10 * (1 + Math.floor(j / 7)) + 3 + (j % 7);
  }

  /** The deliberate cycles: 2-cycles and 3-cycles among a few services. */
  private cycleRels(i: number, rel: (target: string, type: string) => void): void {
    const { period, count } = this.plan.cycles;
    const n = this.plan.counts.svc;
    for (let back = 0; back <= 2; back++) {
      const b = i - back;
      if (b < 2 || (b - 2) % period !== 0) continue;
      const k = (b - 2) / period;
      if (k >= count || b + 2 >= n) continue;
      const three = k % 2 === 1;
      if (back === 0) rel(this.key('svc', b + 1), 'depends_on');
      else if (back === 1) rel(this.key('svc', three ? b + 2 : b), 'depends_on');
      else if (three) rel(this.key('svc', b), 'depends_on');
    }
  }
}

// ---------------------------------------------------------------- files

/**
 * Writes the header and the records, in batches, through a buffered stream,
 * waiting for the disk when it falls behind. Exact: the estate is import input.
 */
async function writeCsv(path: string, header: readonly string[], records: Iterable<string[]>): Promise<number> {
  const stream: WriteStream = createWriteStream(path, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!stream.write(text)) await Promise.race([new Promise<void>((r) => stream.once('drain', () => r())), failed]);
  };
  await write(toCsv([header], { exact: true }));
  let batch: string[][] = [];
  let rows = 0;
  for (const r of records) {
    batch.push(r);
    rows++;
    if (batch.length === 2048) {
      await write(toCsv(batch, { exact: true, header: false }));
      batch = [];
    }
  }
  if (batch.length > 0) await write(toCsv(batch, { exact: true, header: false }));
  await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]);
  return rows;
}

export interface GenerateOptions {
  cis: number;
  outDir: string;
  seed?: number;
}

export interface GenerateResult {
  cisFile: string;
  relsFile: string;
  cis: number;
  relationships: number;
  seed: number;
  byType: Record<string, number>;
  hubs: EstatePlan['hubs'];
  durationMs: number;
}

/** Writes DIR/cis.csv and DIR/relationships.csv for an estate of `cis` CIs. */
export async function generateCmdb(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const plan = planEstate(opts.cis, opts.seed ?? 1);
  const estate = new Estate(plan);
  await mkdir(opts.outDir, { recursive: true });
  const cisFile = join(opts.outDir, 'cis.csv');
  const relsFile = join(opts.outDir, 'relationships.csv');
  const cis = await writeCsv(cisFile, CI_HEADER, estate.ciRecords());
  const relationships = await writeCsv(relsFile, REL_HEADER, estate.relRecords());
  const byType: Record<string, number> = {};
  for (const s of SEG_ORDER) byType[SEG_TYPE[s]] = (byType[SEG_TYPE[s]] ?? 0) + plan.counts[s];
  return {
    cisFile,
    relsFile,
    cis,
    relationships,
    seed: plan.seed,
    byType,
    hubs: plan.hubs,
    durationMs: Math.round(performance.now() - t0),
  };
}
