/**
 * A medium estate shaped like a real inventory export (issue 19's 98,125 CIs
 * and 317,778 relationships, 28 MB): the default CSV format with four
 * attribute columns, keys that are not in type order, and a relationships
 * file in no useful order (an export sorted by record id), so consecutive
 * rows rarely share a source. Deterministic from the seed. Also writes the
 * same export with a fraction of its CIs changed (the weekly re-import).
 *
 *   node --import tsx tests/bench/medium-estate.ts DIR [CIS] [SEED]
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../../electron/cmdb/generate.js';
import { toCsv } from '../../shared/csv.js';

const CI_HEADER = [
  'id',
  'name',
  'type',
  'status',
  'environment',
  'owner',
  'criticality',
  'description',
  'location',
  'vendor',
  'model',
  'serial',
];
const REL_HEADER = ['source', 'target', 'type'];

/** Types with their share of the estate, their key prefix, vendors and models. */
const KINDS = [
  { type: 'business_service', share: 0.01, prefix: 'BSV', vendors: [''], models: [''] },
  { type: 'application', share: 0.05, prefix: 'APP', vendors: ['in-house', 'SAP', 'Oracle', 'Salesforce'], models: [''] },
  {
    type: 'database',
    share: 0.04,
    prefix: 'DBI',
    vendors: ['Oracle', 'Microsoft', 'PostgreSQL', 'MongoDB'],
    models: ['19c', '2019', '15', '6.0'],
  },
  {
    type: 'server',
    share: 0.5,
    prefix: 'SRV',
    vendors: ['Dell', 'HPE', 'Lenovo', 'VMware'],
    models: ['R740', 'DL380 Gen10', 'SR650', 'VM'],
  },
  { type: 'host', share: 0.05, prefix: 'ESX', vendors: ['Dell', 'HPE'], models: ['R840', 'DL560 Gen10'] },
  { type: 'network', share: 0.05, prefix: 'NET', vendors: ['Cisco', 'Juniper', 'Arista'], models: ['C9300', 'EX4300', '7050X'] },
  {
    type: 'storage',
    share: 0.01,
    prefix: 'STO',
    vendors: ['NetApp', 'Pure', 'Dell EMC'],
    models: ['AFF A400', 'FlashArray X70', 'Unity 480'],
  },
  {
    type: 'software',
    share: 0.29,
    prefix: 'SWI',
    vendors: ['Microsoft', 'Red Hat', 'Apache', 'Oracle'],
    models: ['IIS 10', 'RHEL 8', 'Tomcat 9', 'Java 17'],
  },
] as const;
const STATUSES = ['Operational', 'Operational', 'Operational', 'Operational', 'In Maintenance', 'Non-Operational'];
const ENVS = ['Production', 'Production', 'Test', 'Development', 'Staging'];
const CRIT = ['1 - most critical', '2 - somewhat critical', '3 - less critical', '4 - not critical'];
const SITES = ['London DC1', 'Frankfurt DC2', 'Dublin DC3', 'Amsterdam DC4', 'Paris DC5', 'Madrid DC6'];
const TEAMS = Array.from({ length: 60 }, (_, i) => `Team ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1} Operations`);

interface Ci {
  kind: number;
  row: string[];
}

/** The estate's CIs, in the export's order (by key, which is not by type). */
function planCis(n: number, rnd: () => number): Ci[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const cis: Ci[] = [];
  let made = 0;
  KINDS.forEach((k, kind) => {
    const count = kind === KINDS.length - 1 ? n - made : Math.round(n * k.share);
    made += count;
    for (let i = 0; i < count; i++) {
      const site = pick(SITES);
      const key = `${k.prefix}${String(Math.floor(rnd() * 9e9) + 1e9)}${String(i).padStart(5, '0')}`;
      const name = `${k.type.replace('_', '-')}-${site.slice(0, 3).toLowerCase()}-${String(i).padStart(6, '0')}`;
      const v = Math.floor(rnd() * k.vendors.length);
      cis.push({
        kind,
        row: [
          key,
          name,
          k.type,
          pick(STATUSES),
          pick(ENVS),
          pick(TEAMS),
          pick(CRIT),
          `${k.type.replace('_', ' ')} ${name} at ${site}`,
          site,
          k.vendors[v]!,
          k.models[v] ?? '',
          k.type === 'server' || k.type === 'host' ? `SN${Math.floor(rnd() * 1e10)}` : '',
        ],
      });
    }
  });
  return cis.sort((a, b) => (a.row[0]! < b.row[0]! ? -1 : 1));
}

/** Which kinds a kind's CIs point at, the relationship type, and how many each (about 3.24 per CI over the estate). */
const LINKS: Record<string, Array<{ to: string; type: string; each: number }>> = {
  business_service: [{ to: 'application', type: 'depends_on', each: 6 }],
  application: [
    { to: 'server', type: 'runs_on', each: 8 },
    { to: 'database', type: 'depends_on', each: 2 },
  ],
  database: [{ to: 'server', type: 'runs_on', each: 2 }],
  server: [
    { to: 'host', type: 'hosted_on', each: 1 },
    { to: 'network', type: 'connects_to', each: 2 },
    { to: 'storage', type: 'depends_on', each: 1 },
  ],
  host: [
    { to: 'network', type: 'connects_to', each: 4 },
    { to: 'storage', type: 'depends_on', each: 2 },
  ],
  network: [{ to: 'network', type: 'connects_to', each: 2 }],
  storage: [],
  software: [{ to: 'server', type: 'runs_on', each: 1 }],
};

/** The relationships of the CIs `from` (all of them unless given) to CIs of `cis`, in a shuffled order. */
function planRels(cis: Ci[], rnd: () => number, from: Ci[] = cis): string[][] {
  const byKind = new Map<string, string[]>();
  for (const c of cis) {
    const t = c.row[2]!;
    if (!byKind.has(t)) byKind.set(t, []);
    byKind.get(t)!.push(c.row[0]!);
  }
  const rels: string[][] = [];
  const seen = new Set<string>();
  for (const c of from) {
    for (const l of LINKS[c.row[2]!] ?? []) {
      const pool = byKind.get(l.to) ?? [];
      for (let k = 0; k < l.each && pool.length > 1; k++) {
        const to = pool[Math.floor(rnd() * pool.length)]!;
        const id = `${c.row[0]} ${to} ${l.type}`;
        if (to === c.row[0] || seen.has(id)) continue;
        seen.add(id);
        rels.push([c.row[0]!, to, l.type]);
      }
    }
  }
  // An export in record-id order: shuffled.
  for (let i = rels.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rels[i], rels[j]] = [rels[j]!, rels[i]!];
  }
  return rels;
}

async function writeCsv(path: string, header: readonly string[], rows: string[][]): Promise<void> {
  const stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  stream.write(toCsv([header], { exact: true }));
  for (let i = 0; i < rows.length; i += 4096) stream.write(toCsv(rows.slice(i, i + 4096), { exact: true, header: false }));
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

export interface MediumEstate {
  cisFile: string;
  relsFile: string;
  /** The same CIs export with `changedFraction` of its CIs changed (owner, status or an attribute): DIR/changed/cis.csv, the same name so a sync retires by the same source. */
  changedCisFile: string;
  /**
   * A week's churn, in DIR/churn/ (the same file names): `changedFraction` of the CIs gone (with their
   * relationships) and as many new ones, linked as the estate's own are.
   */
  churnCisFile: string;
  churnRelsFile: string;
  cis: number;
  relationships: number;
  changed: number;
  /** CIs gone from the churned export, and new in it. */
  churned: number;
}

/**
 * The churned export: every `every`th CI gone, with the relationships that name it, and as many new CIs (of
 * the gone CIs' kinds, new keys and names), each linked as planRels links its kind. Deterministic from `rnd`.
 */
function churn(planned: Ci[], rels: string[][], every: number, rnd: () => number): { cis: string[][]; rels: string[][]; churned: number } {
  const gone = new Set<string>();
  const added: Ci[] = [];
  planned.forEach((c, i) => {
    if (i % every !== Math.floor(every / 2)) return;
    gone.add(c.row[0]!);
    const row = [...c.row];
    row[0] = `${c.row[0]!.slice(0, 3)}N${String(added.length).padStart(9, '0')}`;
    row[1] = `${c.row[1]}-new`;
    added.push({ kind: c.kind, row });
  });
  const kept = planned.filter((c) => !gone.has(c.row[0]!));
  const newRels = planRels([...kept, ...added], rnd, added);
  return {
    // The export is in key order: the new CIs among the rest.
    cis: [...kept, ...added].sort((a, b) => (a.row[0]! < b.row[0]! ? -1 : 1)).map((c) => c.row),
    rels: [...rels.filter(([s, t]) => !gone.has(s!) && !gone.has(t!)), ...newRels],
    churned: added.length,
  };
}

/** Writes DIR/cis.csv, DIR/relationships.csv, DIR/changed/cis.csv and DIR/churn/{cis,relationships}.csv. */
export async function writeMediumEstate(dir: string, cis = 98_125, seed = 19, changedFraction = 0.01): Promise<MediumEstate> {
  const rnd = mulberry32(seed);
  const planned = planCis(cis, rnd);
  const rels = planRels(planned, rnd);
  await mkdir(dir, { recursive: true });
  const cisFile = join(dir, 'cis.csv');
  const relsFile = join(dir, 'relationships.csv');
  const changedCisFile = join(dir, 'changed', 'cis.csv');
  await mkdir(join(dir, 'changed'), { recursive: true });
  await writeCsv(
    cisFile,
    CI_HEADER,
    planned.map((c) => c.row),
  );
  await writeCsv(relsFile, REL_HEADER, rels);
  const every = Math.max(1, Math.round(1 / changedFraction));
  let changed = 0;
  const changedRows = planned.map((c, i) => {
    if (i % every !== every - 1) return c.row;
    changed++;
    const r = [...c.row];
    // Three kinds of change in turn: a new owner, a new status, a new attribute value.
    if (changed % 3 === 0) r[5] = `${r[5]} (moved)`;
    else if (changed % 3 === 1) r[3] = r[3] === 'Operational' ? 'In Maintenance' : 'Operational';
    else r[8] = `${r[8]} annex`;
    return r;
  });
  await writeCsv(changedCisFile, CI_HEADER, changedRows);
  const churned = churn(planned, rels, every, rnd);
  await mkdir(join(dir, 'churn'), { recursive: true });
  const churnCisFile = join(dir, 'churn', 'cis.csv');
  const churnRelsFile = join(dir, 'churn', 'relationships.csv');
  await writeCsv(churnCisFile, CI_HEADER, churned.cis);
  await writeCsv(churnRelsFile, REL_HEADER, churned.rels);
  return {
    cisFile,
    relsFile,
    changedCisFile,
    churnCisFile,
    churnRelsFile,
    cis: planned.length,
    relationships: rels.length,
    changed,
    churned: churned.churned,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, n, seed] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node --import tsx tests/bench/medium-estate.ts DIR [CIS] [SEED]\n');
    process.exit(2);
  }
  const r = await writeMediumEstate(dir, n ? Number(n) : undefined, seed ? Number(seed) : undefined);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
