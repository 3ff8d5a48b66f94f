/**
 * The demo estate, read from its source tables in assets/demo/source/ and
 * written as the app's default CSV formats (assets/demo/cis.csv and
 * relationships.csv). The tables say what the estate is; this module only
 * joins, expands, checks and orders:
 *
 * - `teams.csv`: each owning team's contact, support group and cost centre,
 *   copied into every CI the team owns.
 * - `cis-*.csv`: one CI a row. An empty status means operational, an empty
 *   environment production; attribute columns a file does not need are left
 *   out of it.
 * - `relationships.csv`: one relationship a row, or several: a source or a
 *   target cell may hold several keys separated by spaces (a redundant set, or
 *   the members of a cluster), each pair one relationship with the row's other
 *   values.
 *
 * Deterministic: the same tables give the same bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { toCsv } from '../../shared/csv.js';

/** Attribute columns of the generated cis.csv, in order. */
export const ATTR_COLS = [
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

// Business services first, then down the stack to the network and the outside world, so the
// file reads top-down; within a type, in the order of the source tables.
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
const REL_TYPES = new Set(['depends_on', 'runs_on', 'hosted_on', 'member_of', 'uses', 'connects_to', 'backup_of']);
const STATUSES = new Set(['operational', 'maintenance', 'retired', 'planned']);
const ENVIRONMENTS = new Set(['production', 'staging']);
const CRITICALITIES = new Set(['critical', 'high', 'medium', 'low']);

const CI_HEADER = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description', ...ATTR_COLS];
const REL_HEADER = ['source', 'target', 'type', 'redundancy_group', 'min_up', 'protocol', 'port', 'note'];
const TEAM_COLS = ['support_group', 'cost_centre', 'contact'];
const TEAM_HEADER = ['team', ...TEAM_COLS];
// The source tables' CI columns: those of the output but the ones a CI takes from its team.
const CI_SOURCE_HEADER = CI_HEADER.filter((col) => !TEAM_COLS.includes(col));

/** One CI as the generated cis.csv has it: a value for every column of {@link CI_HEADER}. */
export type DemoCi = Record<string, string>;
/** One relationship as the generated relationships.csv has it: a value for every column of its header. */
export type DemoRel = Record<string, string>;

/** The demo estate: its CIs and relationships in file order, and the two CSV files. */
export interface DemoEstate {
  cis: DemoCi[];
  relationships: DemoRel[];
  cisCsv: string;
  relationshipsCsv: string;
}

type Row = Record<string, string>;

/** The rows of a source table, each a record by header; a column not in `columns` is an error (a typo would drop its values). */
function readTable(path: string, columns: readonly string[]): Row[] {
  const parsed = Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  const unknown = (parsed.meta.fields ?? []).filter((f) => !columns.includes(f));
  if (unknown.length > 0) throw new Error(`${path}: unknown column ${unknown.join(', ')}`);
  return parsed.data;
}

function readCis(dir: string): DemoCi[] {
  const teams = new Map(readTable(join(dir, 'teams.csv'), TEAM_HEADER).map((t) => [t.team!, t]));
  const files = readdirSync(dir)
    .filter((f) => /^cis-.*\.csv$/.test(f))
    .sort();
  const rows = files.flatMap((f) => readTable(join(dir, f), CI_SOURCE_HEADER).map((row) => ({ row, file: f })));
  return rows.map(({ row, file }) => {
    const team = teams.get(row.owner ?? '');
    if (!team) throw new Error(`${file}: unknown team ${row.owner} for ${row.id}`);
    const ci: DemoCi = {};
    for (const col of CI_HEADER) ci[col] = row[col] ?? '';
    ci.status ||= 'operational';
    ci.environment ||= 'production';
    for (const col of TEAM_COLS) ci[col] = team[col] ?? '';
    return ci;
  });
}

function readRelationships(dir: string): DemoRel[] {
  const keys = (cell: string | undefined) => (cell ?? '').split(/\s+/).filter((k) => k !== '');
  const path = join(dir, 'relationships.csv');
  return readTable(path, REL_HEADER).flatMap((row, i) => {
    if (keys(row.source).length === 0 || keys(row.target).length === 0) throw new Error(`${path}: row ${i + 2} lacks a source or a target`);
    return keys(row.source).flatMap((source) =>
      keys(row.target).map((target) => {
        const rel: DemoRel = {};
        for (const col of REL_HEADER) rel[col] = row[col] ?? '';
        return { ...rel, source, target };
      }),
    );
  });
}

/** Problems with the estate's integrity: unknown values, keys, ends; duplicates; groups whose min_up disagrees. */
export function integrityProblems(cis: readonly DemoCi[], rels: readonly DemoRel[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const c of cis) {
    if (ids.has(c.id!)) problems.push(`duplicate CI key ${c.id}`);
    ids.add(c.id!);
    if (!TYPE_ORDER.includes(c.type!)) problems.push(`${c.id}: type ${c.type} missing from TYPE_ORDER`);
    if (!STATUSES.has(c.status!)) problems.push(`${c.id}: unknown status ${c.status}`);
    if (!ENVIRONMENTS.has(c.environment!)) problems.push(`${c.id}: unknown environment ${c.environment}`);
    if (!CRITICALITIES.has(c.criticality!)) problems.push(`${c.id}: unknown criticality ${c.criticality}`);
  }
  const seen = new Set<string>();
  // Every member of one redundancy group of one dependent must agree on min_up.
  const minUps = new Map<string, string>();
  for (const r of rels) {
    const k = `${r.source}|${r.target}|${r.type}`;
    if (!REL_TYPES.has(r.type!)) problems.push(`relationship ${k}: unknown type`);
    if (!ids.has(r.source!)) problems.push(`relationship from unknown CI ${r.source}`);
    if (!ids.has(r.target!)) problems.push(`relationship ${r.source} -> unknown CI ${r.target}`);
    if (r.source === r.target) problems.push(`self relationship on ${r.source}`);
    if (seen.has(k)) problems.push(`duplicate relationship ${k}`);
    seen.add(k);
    if (!r.redundancy_group) continue;
    const g = `${r.type === 'member_of' ? r.target : r.source}|${r.redundancy_group}`;
    if (minUps.has(g) && minUps.get(g) !== r.min_up) problems.push(`min_up disagrees in group ${g}`);
    minUps.set(g, r.min_up!);
  }
  return problems;
}

/**
 * The estate described by the source tables in `sourceDir`, checked and in
 * file order: CIs by {@link TYPE_ORDER} then table order; relationships by
 * the position of their source, then of their target. Throws on a problem of
 * integrity.
 */
export function buildDemo(sourceDir: string): DemoEstate {
  const unordered = readCis(sourceDir);
  const rels = readRelationships(sourceDir);
  const problems = integrityProblems(unordered, rels);
  if (problems.length > 0) throw new Error(`demo integrity check failed:\n  ${problems.join('\n  ')}`);
  const rank = (c: DemoCi) => TYPE_ORDER.indexOf(c.type!);
  const cis = unordered.map((c, i) => ({ c, i })).sort((x, y) => rank(x.c) - rank(y.c) || x.i - y.i);
  const position = new Map(cis.map(({ c }, i) => [c.id!, i]));
  const at = (id: string | undefined) => position.get(id!)!;
  rels.sort((x, y) => at(x.source) - at(y.source) || at(x.target) - at(y.target));
  const ordered = cis.map(({ c }) => c);
  // Exact: the demo is the app's own input, read back by the importer value for value.
  return {
    cis: ordered,
    relationships: rels,
    cisCsv: toCsv([CI_HEADER, ...ordered.map((c) => CI_HEADER.map((col) => c[col]))], { exact: true }),
    relationshipsCsv: toCsv([REL_HEADER, ...rels.map((r) => REL_HEADER.map((col) => r[col]))], { exact: true }),
  };
}
