/**
 * Column mapping: which header holds which field, suggested from header
 * names (ServiceNow, iTop and spreadsheet habits), and the value maps for CI
 * and relationship types (ServiceNow class names, `Depends on::Used by`).
 */
import { CmdbError } from '../../../shared/errors.js';
import { CI_MAP_FIELDS, type CiMapField, type Mapping, REL_MAP_FIELDS, type RelMapField } from '../../../shared/import.js';
import { normaliseTypeName } from '../types-registry.js';
import { ATTRIBUTES_JSON } from './default-import.js';

/** Header name squashed for matching: `CI Name` -> `ciname`, `sys_class_name` -> `sysclassname`. */
export function squash(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Header synonyms per field, best first. */
const CI_SYNONYMS: Record<CiMapField, string[]> = {
  id: ['id', 'key', 'sysid', 'ciid', 'cikey', 'externalid', 'uniqueid', 'identifier', 'objectid', 'uuid', 'assetid'],
  // Spreadsheets say `Server Name`; Lansweeper `AssetName`, `AssetType`; Device42 and others `Device Name`, `Computer Name`.
  name: [
    'name',
    'ciname',
    'displayname',
    'friendlyname',
    'hostname',
    'servername',
    'assetname',
    'devicename',
    'computername',
    'fqdn',
    'ci',
    'title',
  ],
  type: [
    'type',
    'citype',
    'class',
    'sysclassname',
    'ciclass',
    'classname',
    'finalclass',
    'kind',
    'category',
    'assettype',
    'assettypename',
    'devicetype',
  ],
  status: ['status', 'operationalstatus', 'installstatus', 'state', 'lifecyclestatus', 'lifecycle', 'operationalstate'],
  environment: ['environment', 'env', 'usedfor', 'stage'],
  owner: ['owner', 'ownedby', 'supportgroup', 'owninggroup', 'managedby', 'assignmentgroup', 'team', 'ownergroup', 'assignedto'],
  // ServiceNow spells it busines_criticality on cmdb_ci and cmdb_ci_service (sic), business_criticality on some classes.
  criticality: [
    'criticality',
    'businesscriticality',
    'businescriticality',
    'busnesscriticality',
    'priority',
    'importance',
    'businessimpact',
  ],
  description: ['description', 'shortdescription', 'comments', 'comment', 'notes', 'details'],
};

const REL_SYNONYMS: Record<RelMapField, string[]> = {
  source: ['source', 'parent', 'from', 'sourceci', 'sourcekey', 'sourceid', 'parentci', 'parentname', 'fromci', 'dependent'],
  target: ['target', 'child', 'to', 'targetci', 'targetkey', 'targetid', 'childci', 'childname', 'toci', 'dependency'],
  type: ['type', 'relationshiptype', 'reltype', 'relationship', 'relation', 'relationtype', 'linktype'],
  redundancy_group: ['redundancygroup', 'group', 'redundancy', 'clustergroup', 'failovergroup'],
  min_up: ['minup', 'minimumup', 'minavailable', 'minimumavailable', 'quorum'],
  source_type: ['sourcetype', 'sourceclass', 'parentclass', 'parenttype', 'sourcecitype', 'parentsysclassname'],
  target_type: ['targettype', 'targetclass', 'childclass', 'childtype', 'targetcitype', 'childsysclassname'],
};

function suggestFor<F extends string>(headers: string[], synonyms: Record<F, string[]>, fields: readonly F[]): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  const used = new Set<string>();
  const squashed = headers.map((h) => ({ h, s: squash(h) }));
  // Field by field, the best synonym rank wins; a header is used once.
  for (const f of fields) {
    for (const syn of synonyms[f]) {
      const hit = squashed.find(({ h, s }) => s === syn && !used.has(h));
      if (hit) {
        out[f] = hit.h;
        used.add(hit.h);
        break;
      }
    }
  }
  return out;
}

/** Whether a header row looks like a relationships file rather than a CIs file. */
export function looksLikeRelationships(headers: string[]): boolean {
  const rel = suggestFor(headers, REL_SYNONYMS, REL_MAP_FIELDS);
  return rel.source !== undefined && rel.target !== undefined;
}

/** A mapping suggested from header names, for a CIs file, a relationships file, or both. */
export function suggestMapping(input: { cis?: string[] | undefined; relationships?: string[] | undefined }): Mapping {
  const m: Mapping = {};
  if (input.cis) m.cis = suggestFor(input.cis, CI_SYNONYMS, CI_MAP_FIELDS);
  if (input.relationships) m.relationships = suggestFor(input.relationships, REL_SYNONYMS, REL_MAP_FIELDS);
  return m;
}

/** A mapping resolved against one file's headers: column index per field and the attribute columns. */
export interface ResolvedColumns<F extends string> {
  index: Partial<Record<F, number>>;
  attributes: Array<{ name: string; index: number }>;
  /** The `attributes_json` column (attributes as a JSON object), when the file has one that no field takes. */
  attributesJson: number | undefined;
}

/**
 * Resolves a file's columns: the mapping's headers (case-insensitive), else
 * the suggestion from header names. A mapped header that the file lacks is a
 * CSV_ERROR naming it.
 */
export function resolveColumns<F extends string>(
  file: string,
  headers: string[],
  explicit: Partial<Record<F, string>> | undefined,
  kind: 'cis' | 'relationships',
  ignore: string[] = [],
): ResolvedColumns<F> {
  const suggestion = (
    kind === 'cis' ? suggestFor(headers, CI_SYNONYMS, CI_MAP_FIELDS) : suggestFor(headers, REL_SYNONYMS, REL_MAP_FIELDS)
  ) as Partial<Record<F, string>>;
  const byName = new Map(headers.map((h, i) => [h.toLowerCase(), i]));
  const index: Partial<Record<F, number>> = {};
  const taken = new Set<number>();
  if (explicit) {
    for (const [field, header] of Object.entries(explicit) as Array<[F, string]>) {
      const i = byName.get(header.trim().toLowerCase());
      if (i === undefined) {
        throw new CmdbError(
          'CSV_ERROR',
          `${file}: the mapping puts ${field} in column "${header}", but the file has no such column. Its columns are: ${headers.filter(Boolean).join(', ')}. Fix the mapping.`,
          { file, line: 1, column: header },
        );
      }
      index[field] = i;
      taken.add(i);
    }
  }
  // Fields the mapping leaves out are still found by their usual names, unless their column is already mapped.
  for (const [field, header] of Object.entries(suggestion) as Array<[F, string]>) {
    if (index[field] !== undefined) continue;
    const i = byName.get(header.toLowerCase())!;
    if (!taken.has(i)) {
      index[field] = i;
      taken.add(i);
    }
  }
  const ignored = new Set(ignore.map((h) => h.trim().toLowerCase()));
  const json = byName.get(ATTRIBUTES_JSON);
  const attributesJson = json !== undefined && !taken.has(json) && !ignored.has(ATTRIBUTES_JSON) ? json : undefined;
  const attributes = headers
    .map((name, i) => ({ name, index: i }))
    .filter(({ name, index: i }) => name !== '' && !taken.has(i) && i !== attributesJson && !ignored.has(name.toLowerCase()));
  return { index, attributes, attributesJson };
}

/** ServiceNow class names onto the registry's CI types (after `cmdb_ci_` is stripped). */
const SERVICENOW_CLASSES: Record<string, string> = {
  server: 'server',
  linux_server: 'server',
  win_server: 'server',
  unix_server: 'server',
  solaris_server: 'server',
  aix_server: 'server',
  esx_server: 'hypervisor',
  hyper_v_server: 'hypervisor',
  vm_instance: 'virtual_machine',
  vmware_instance: 'virtual_machine',
  virtual_machine_object: 'virtual_machine',
  appl: 'application',
  application: 'application',
  app_server: 'application',
  app_server_tomcat: 'application',
  service: 'business_service',
  business_service: 'business_service',
  service_discovered: 'service',
  service_auto: 'service',
  db_instance: 'database',
  database: 'database',
  db_mssql_instance: 'database',
  db_ora_instance: 'database',
  db_mysql_instance: 'database',
  db_postgresql_instance: 'database',
  lb: 'load_balancer',
  lb_bigip: 'load_balancer',
  netgear: 'network_device',
  ip_switch: 'network_device',
  ip_router: 'network_device',
  ip_firewall: 'network_device',
  storage_device: 'storage',
  san: 'storage',
  nas_file_system: 'storage',
  cluster: 'cluster',
  kubernetes_cluster: 'kubernetes_cluster',
  kubernetes_node: 'kubernetes_node',
  docker_container: 'container',
  dns_name: 'dns',
  cloud_service_account: 'cloud_resource',
  queue: 'message_queue',
};

/**
 * ServiceNow class labels, as a list export writes the Class column (display
 * values: `Linux Server` rather than `cmdb_ci_linux_server`), lower-cased.
 * Labels whose plain normalised form is already the registry's type
 * (`Application`, `Load Balancer`, `Business Service`) need no entry. Matched
 * as labels only (words and spaces), so a file's own `linux_server` stays its own type.
 */
const SERVICENOW_CLASS_LABELS: Record<string, string> = {
  'linux server': 'server',
  'windows server': 'server',
  'unix server': 'server',
  'solaris server': 'server',
  'aix server': 'server',
  'esx server': 'hypervisor',
  'hyper-v server': 'hypervisor',
  'virtual machine instance': 'virtual_machine',
  'vmware virtual machine instance': 'virtual_machine',
  'application server': 'application',
  'database instance': 'database',
  'msft sql instance': 'database',
  'oracle instance': 'database',
  'mysql instance': 'database',
  'postgresql instance': 'database',
  'ip switch': 'network_device',
  'ip router': 'network_device',
  'ip firewall': 'network_device',
  'network gear': 'network_device',
  'storage device': 'storage',
  'docker container': 'container',
  'dns name': 'dns',
};

/** A CI type value from a file onto a registry type name: the mapping's value map, then ServiceNow classes (names or labels), then normalised. */
export function mapCiType(raw: string, valueMap: Record<string, string> | undefined): string {
  const mapped = valueMap?.[raw] ?? valueMap?.[raw.trim()];
  if (mapped !== undefined) return normaliseTypeName(mapped);
  const label = SERVICENOW_CLASS_LABELS[raw.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (label !== undefined) return label;
  const n = normaliseTypeName(raw);
  if (n.startsWith('cmdb_ci_')) return SERVICENOW_CLASSES[n.slice(8)] ?? n.slice(8);
  return n;
}

/**
 * ServiceNow relationship type pairs (`parent descriptor::child descriptor`)
 * onto registry types. `reverse` means the child is the source in this
 * model: `Members::Member of` lists the cluster as parent, but here the
 * member is the one that is `member_of` the cluster.
 */
export const SERVICENOW_PAIRS: Record<string, { type: string; reverse: boolean }> = {
  'depends on::used by': { type: 'depends_on', reverse: false },
  'runs on::runs': { type: 'runs_on', reverse: false },
  'hosted on::hosts': { type: 'hosted_on', reverse: false },
  'virtualized by::virtualizes': { type: 'hosted_on', reverse: false },
  'located in::houses': { type: 'hosted_on', reverse: false },
  'contains::contained by': { type: 'hosted_on', reverse: true },
  'members::member of': { type: 'member_of', reverse: true },
  'cluster of::cluster': { type: 'member_of', reverse: false },
  'member of::members': { type: 'member_of', reverse: false },
  'uses::used by': { type: 'uses', reverse: false },
  'consumes::consumed by': { type: 'uses', reverse: false },
  'connects to::connected by': { type: 'connects_to', reverse: false },
  'sends data to::receives data from': { type: 'connects_to', reverse: false },
  'receives data from::sends data to': { type: 'connects_to', reverse: false },
  'exchanges data with::exchanges data with': { type: 'connects_to', reverse: false },
  'ip connection::ip connection': { type: 'connects_to', reverse: false },
  'backed up by::backs up': { type: 'backup_of', reverse: true },
  'powered by::powers': { type: 'depends_on', reverse: false },
  'stored on::stores': { type: 'depends_on', reverse: false },
  'allocated to::allocated from': { type: 'depends_on', reverse: false },
  'provided by::provides': { type: 'depends_on', reverse: false },
  'provides::provided by': { type: 'depends_on', reverse: true },
};

/** Plain reverse wordings of the registry's types, read from the dependent's other side. */
const REVERSE_NAMES: Record<string, string> = {
  used_by: 'depends_on',
  hosts: 'hosted_on',
  runs: 'runs_on',
  has_member: 'member_of',
  members: 'member_of',
};

/**
 * A relationship type value onto a registry type and direction: the
 * mapping's value map, a known ServiceNow pair, a pair's left part for an
 * unknown pair (created flagged), or the normalised name.
 */
export function mapRelType(raw: string, valueMap: Record<string, string> | undefined): { type: string; reverse: boolean } {
  const mapped = valueMap?.[raw] ?? valueMap?.[raw.trim()];
  if (mapped !== undefined) {
    const m = mapped.trim();
    if (m.startsWith('~')) return { type: normaliseTypeName(m.slice(1)), reverse: true };
    return { type: normaliseTypeName(m), reverse: false };
  }
  const sep = raw.indexOf('::');
  if (sep >= 0) {
    const left = raw.slice(0, sep).trim().toLowerCase();
    const right = raw
      .slice(sep + 2)
      .trim()
      .toLowerCase();
    const known = SERVICENOW_PAIRS[`${left}::${right}`];
    if (known) return known;
    // A known pair written the other way round (`Hosts::Hosted on`): the same type, its ends swapped.
    const flipped = SERVICENOW_PAIRS[`${right}::${left}`];
    if (flipped) return { type: flipped.type, reverse: !flipped.reverse };
    return plainRelType(raw.slice(0, sep));
  }
  return plainRelType(raw);
}

/** A relationship type named by one word or phrase: a reverse wording (`used by`, `hosts`) read from the other end, else the name. */
function plainRelType(raw: string): { type: string; reverse: boolean } {
  const n = normaliseTypeName(raw);
  const rev = REVERSE_NAMES[n];
  if (rev) return { type: rev, reverse: true };
  return { type: n, reverse: false };
}
