/**
 * Column mapping: which header holds which field, suggested from header
 * names (ServiceNow, iTop, BMC, cloud inventories and spreadsheet habits),
 * and the value maps for CI and relationship types (ServiceNow class names,
 * `Depends on::Used by`, BMC classes, AWS and Azure resource types).
 */
import { CmdbError } from '../../../shared/errors.js';
import { CI_MAP_FIELDS, type CiMapField, REL_MAP_FIELDS, type RelMapField } from '../../../shared/import-fields.js';
import type { Mapping } from '../../../shared/import.js';
import { isEnvironmentName, ownEntry, statusOf } from '../../../shared/vocab.js';
import { normaliseTypeName } from '../types-registry.js';
import { ATTRIBUTES_JSON } from './default-import.js';
import { headersByName } from '../../../shared/json-key.js';
import { normalizeName } from '../../../shared/normalize-name.js';
import { type JsonKeyColumn, jsonKeyColumn } from './json-keys.js';
import { titleLineHint } from './row-cells.js';

/** Header name squashed for matching: `CI Name` -> `ciname`, `sys_class_name` -> `sysclassname`. */
export function squash(header: string): string {
  // In NFC first, so that `Kritikalität` with a combining accent (as macOS writes it) is the same word.
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Header synonyms per field, best first. */
const CI_SYNONYMS: Record<CiMapField, string[]> = {
  // BMC Helix CMDB names a CI across datasets by its ReconciliationIdentity (what its relationships name); AWS Config by resourceId.
  id: [
    'id',
    'key',
    'sysid',
    'ciid',
    'cikey',
    'externalid',
    'uniqueid',
    'identifier',
    'objectid',
    'uuid',
    'assetid',
    'reconciliationidentity',
    'resourceid',
    'deviceid',
    // RVTools' `VM UUID` (vCenter's instance UUID: `VM ID` is a vm-123 numbered per vCenter).
    'vmuuid',
    // Freshservice's assets, and Snipe-IT's: the tag each asset carries, unique in the tool.
    'assettag',
    // The EC2 console's instance list (Export instances to CSV).
    'instanceid',
  ],
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
    'resourcename',
    // RVTools (vInfo and the other VM tabs): the VM's name is `VM`, or `vInfoVMName` with the tab's prefix.
    'vm',
    'vmname',
    // A sheet kept in German, French or Spanish: Bezeichnung, Nom, Nombre.
    'nom',
    'nombre',
    'bezeichnung',
    // i-doit's object list in German (`Objekttitel`, `Objekttyp`) and in English (`Object title`).
    'objekttitel',
    'objecttitle',
    // An application or system inventory's own name column (found by a new user: `Application Name`).
    'applicationname',
    'appname',
    'systemname',
  ],
  // BMC's `Class Id` (BMC_COMPUTERSYSTEM) comes before `type`: beside it, BMC's `Type` is a category (Processing Unit).
  // Jira Service Management Assets writes `Object Type`; AWS Config `resourceType`.
  type: [
    'classid',
    'type',
    'objecttype',
    'objekttyp',
    'resourcetype',
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
    // Typ (German), Tipo (Spanish, Italian, Portuguese); French says Type.
    'typ',
    'tipo',
  ],
  // Lansweeper's asset state is `Statename`; Device42's `in_service` (yes or no) is read as a status by its own column,
  // when its values are yes or no (VALUE_CHECKED).
  status: [
    'status',
    // i-doit's lifecycle column (`CMDB status`, in German `CMDB-Status`): beside it, its German `Zustand` is the condition
    // (Normal, Defekt), not the status (found by a tester).
    'cmdbstatus',
    'operationalstatus',
    'installstatus',
    'state',
    'lifecyclestatus',
    'lifecycle',
    'operationalstate',
    'assetlifecyclestatus',
    // Freshservice's asset state (In Use, In Stock, Missing, Retired).
    'assetstate',
    'statename',
    'inservice',
    // RVTools' Powerstate (poweredOn, poweredOff, suspended); the EC2 console's Instance state (running, stopped).
    'powerstate',
    'instancestate',
    // Statut (French), Estado (Spanish), Zustand (German).
    'statut',
    'estado',
    'zustand',
  ],
  // Device42's service_level holds the environment (Production, QA, Development), when its values are such names (VALUE_CHECKED).
  // Umgebung (German), Environnement (French), Entorno (Spanish).
  environment: ['environment', 'env', 'usedfor', 'stage', 'servicelevel', 'umgebung', 'environnement', 'entorno'],
  // Freshservice's `Managed By Group` is the team, its `Managed By` one person of it.
  owner: [
    'owner',
    'ownedby',
    'supportgroup',
    'owninggroup',
    'managedbygroup',
    'managedby',
    'assignmentgroup',
    'team',
    'ownergroup',
    'assignedto',
    // Verantwortlich, Eigentümer (German), Propriétaire, Responsable (French, Spanish), Propietario (Spanish).
    'verantwortlich',
    'verantwortlicher',
    'eigentümer',
    'besitzer',
    'propriétaire',
    'responsable',
    'propietario',
  ],
  // ServiceNow spells it busines_criticality on cmdb_ci and cmdb_ci_service (sic), business_criticality on some classes;
  // iTop's field code is business_criticity.
  criticality: [
    'criticality',
    'businesscriticality',
    'businescriticality',
    'busnesscriticality',
    'businesscriticity',
    'priority',
    'importance',
    'businessimpact',
    // Freshservice's Impact (Low, Medium, High).
    'impact',
    // Kritikalität (German), Criticité (French), Criticidad (Spanish).
    'kritikalität',
    'criticité',
    'criticidad',
  ],
  // RVTools' Annotation is a VM's notes in vCenter.
  description: ['description', 'shortdescription', 'comments', 'comment', 'notes', 'details', 'annotation', 'beschreibung', 'descripción'],
};

const REL_SYNONYMS: Record<RelMapField, string[]> = {
  // BMC_BaseRelationship: Source.ReconciliationIdentity, Destination.ReconciliationIdentity, and its class in Class Id.
  source: [
    'source',
    'parent',
    'from',
    'sourceci',
    'sourcekey',
    'sourceid',
    'parentci',
    'parentname',
    'fromci',
    'dependent',
    'sourcereconciliationidentity',
    // A dependency list in a spreadsheet: `Source Name`/`Target Name`, `Consumer`/`Provider` (the consumer depends on the provider).
    'sourcename',
    'fromname',
    'consumer',
    // ManageEngine ServiceDesk Plus's relationship export: `CI Name`, `Relationship`, `Related CI` (found by a tester).
    'ciname',
  ],
  target: [
    'target',
    'child',
    'to',
    'targetci',
    'targetkey',
    'targetid',
    'childci',
    'childname',
    'toci',
    'dependency',
    'destinationreconciliationidentity',
    'destination',
    'targetname',
    'toname',
    'provider',
    'dependson',
    'relatedci',
    'relatedciname',
  ],
  type: ['type', 'relationshiptype', 'reltype', 'relationship', 'relation', 'relationtype', 'linktype', 'classid'],
  redundancy_group: ['redundancygroup', 'group', 'redundancy', 'clustergroup', 'failovergroup'],
  min_up: ['minup', 'minimumup', 'minavailable', 'minimumavailable', 'quorum'],
  source_type: ['sourcetype', 'sourceclass', 'parentclass', 'parenttype', 'sourcecitype', 'parentsysclassname', 'citype'],
  target_type: ['targettype', 'targetclass', 'childclass', 'childtype', 'targetcitype', 'childsysclassname', 'relatedcitype'],
};

/**
 * Synonyms taken only when the column's first values read as the field's. Device42 writes the environment in
 * `service_level` and yes or no in `in_service`; in other sheets a service level is a tier (Gold, 24x7) and
 * "In service" a date, which would land in environment and status. Such a column stays an attribute. An
 * `Instance ID` is a key only when it holds EC2 instance ids.
 */
const VALUE_CHECKED: Readonly<Record<string, (value: string) => boolean>> = {
  inservice: (v) => statusOf(v, 'in_service') !== null,
  servicelevel: isEnvironmentName,
  // The EC2 console's `Instance ID` (i-0a1b...): BMC's `InstanceId` is an id per dataset, not the CI's key.
  instanceid: (v) => /^i-[0-9a-f]{8,17}$/.test(v.trim()),
};

/** Data rows a mapping is suggested from, besides the headers (the import's first rows, or a preview's). */
export const MAPPING_SAMPLE_ROWS = 100;

/** A file's first data rows, read column by column: what a value-checked synonym is checked against. */
export type ColumnSample = (index: number) => string[];

/** The sample of `rows` (cells as read; a short row's missing cells are empty). */
export function sampleOf(rows: ReadonlyArray<readonly string[]>): ColumnSample {
  return (i) => rows.map((r) => r[i] ?? '');
}

/** Whether synonym `syn` may take column `index`: always, unless it is value-checked; then only when the sample has values and every one agrees. */
function valuesAgree(syn: string, index: number, sample: ColumnSample | undefined): boolean {
  const check = ownEntry(VALUE_CHECKED, syn);
  if (!check) return true;
  const values = sample ? sample(index).filter((v) => v.trim() !== '') : [];
  return values.length > 0 && values.every(check);
}

/** ServiceNow's prefix for the columns an instance adds to a table (`u_owner`, `u_environment`). */
const CUSTOM_PREFIX = /^u_/i;
/**
 * The fields a custom column may give, read by the name after its prefix: those that describe a CI. Never
 * its key, name or type (a `u_asset_id` must not re-key CIs that were keyed by type and name, and a sync
 * would then retire them all), and nothing of a relationship (a `u_group` is no redundancy group).
 */
const CUSTOM_CI_FIELDS: readonly CiMapField[] = ['status', 'environment', 'owner', 'criticality', 'description'];

/** Whether `header` is a custom column (see CUSTOM_PREFIX). */
export function isCustomColumn(header: string): boolean {
  return CUSTOM_PREFIX.test(header);
}

/**
 * RVTools' CSV exports (and its older workbooks) name a column by its tab and field, `vInfoVMName`,
 * `vInfoPowerstate`, `vHostName`, where its workbook says `VM`, `Powerstate`, `Host`: the tab's prefix is
 * not part of the name the suggestion reads.
 */
const RVTOOLS_TAB_PREFIX =
  /^(?:v(?:Info|CPU|Memory|Disk|Partition|Network|CD|USB|Snapshot|Tools|RP|Cluster|Host|HBA|NIC|Switch|Port|SC_VMK|Datastore|MultiPath|License|FileInfo|Health|Source|MetaData|Floppy)|dv(?:Switch|Port))(?=[A-Z])/;

/** A header as the suggestion compares it with the synonyms: squashed, without an RVTools tab prefix. */
function suggestionName(header: string): string {
  return squash(header.replace(RVTOOLS_TAB_PREFIX, ''));
}

/**
 * Name synonyms of an application inventory's own column (`Application Name`, found by a new user), not taken in
 * a file that also has a column of hosts: there it is a server list naming the application each server runs, and
 * every server would be named after its application (found by a reviewer).
 */
const APP_NAMES = new Set(['applicationname', 'appname', 'systemname']);
const HOST_COLUMN = /^(server|host|device|computer|machine|node|vm)/;

function suggestFor<F extends string>(
  headers: string[],
  synonyms: Record<F, string[]>,
  fields: readonly F[],
  sample?: ColumnSample,
  customFields: readonly F[] = [],
): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  const used = new Set<string>();
  const squashed = headers.map((h, i) => ({ h, s: suggestionName(h), i }));
  // Custom columns are read by the name after their prefix, after every header that matches as it is, so a
  // standard column (owned_by) is taken before a custom one (u_owner), and only for `customFields`.
  const custom = headers.flatMap((h, i) => (isCustomColumn(h) ? [{ h, s: squash(h.replace(CUSTOM_PREFIX, '')), i }] : []));
  const hosts = squashed.some(({ s }) => HOST_COLUMN.test(s));
  // Field by field, the best synonym rank wins; a header is used once.
  for (const [candidates, wanted] of [
    [squashed, fields],
    [custom, customFields],
  ] as const) {
    for (const f of wanted) {
      if (out[f] !== undefined) continue;
      for (const syn of synonyms[f]) {
        if (hosts && APP_NAMES.has(syn)) continue;
        const hit = candidates.find(({ h, s, i }) => s === syn && !used.has(h) && valuesAgree(syn, i, sample));
        if (hit) {
          out[f] = hit.h;
          used.add(hit.h);
          break;
        }
      }
    }
  }
  return out;
}

/**
 * The columns a CI's status is read from, best first, when the status column's cell is empty: the file's
 * other columns of a usual status name that no field takes (ServiceNow's install_status beside its
 * operational_status, which a CI that is installed but not yet in operation leaves empty), in the order the
 * names are looked for (CI_SYNONYMS.status). None when the status column has no usual status name: a mapping
 * that reads the status from a column of its own reads it from that column only.
 */
export function statusFallbacks(
  headers: readonly string[],
  statusIndex: number | undefined,
  free: ReadonlyArray<{ name: string; index: number }>,
  sample?: ColumnSample,
): number[] {
  const synonyms = CI_SYNONYMS.status;
  const rank = (h: string) => synonyms.indexOf(suggestionName(h));
  if (statusIndex === undefined || statusIndex >= headers.length || rank(headers[statusIndex]!) === -1) return [];
  return free
    .map(({ name, index }) => ({ index, r: rank(name) }))
    .filter(({ index, r }) => r !== -1 && valuesAgree(synonyms[r]!, index, sample))
    .sort((a, b) => a.r - b.r || a.index - b.index)
    .map(({ index }) => index);
}

/**
 * For each column of a usual status name, the columns a CI's status is read from where its cell is empty, were
 * it the status column and every other column free (statusFallbacks): a preview's, for a screen whose mapping
 * may change (statusFallbacksFor drops those the screen maps to a field or ignores).
 */
export function statusFallbacksByColumn(headers: string[], sample?: ColumnSample): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  headers.forEach((h, i) => {
    const free = headers.flatMap((name, index) => (index !== i && name !== '' ? [{ name, index }] : []));
    const fallbacks = statusFallbacks(headers, i, free, sample);
    if (fallbacks.length > 0) out[h] = fallbacks.map((j) => headers[j]!);
  });
  return out;
}

/**
 * Relationship ends read only beside their partner: alone, each is as likely a CI's own column (a CIs sheet's
 * `Provider`, a reference column `Depends On`), and would make a CIs file look like a relationships file.
 */
const PAIRED_ENDS: Record<'source' | 'target', Record<string, string>> = {
  source: { sourcename: 'targetname', fromname: 'toname', consumer: 'provider' },
  target: { targetname: 'sourcename', toname: 'fromname', provider: 'consumer', dependson: 'dependent' },
};

/** The relationship fields suggested from the headers, without an end whose synonym needs a partner it lacks. */
function suggestRelationships(headers: string[], sample?: ColumnSample): Partial<Record<RelMapField, string>> {
  const out = suggestFor(headers, REL_SYNONYMS, REL_MAP_FIELDS, sample);
  const name = (h: string | undefined) => (h === undefined ? undefined : suggestionName(h));
  const [source, target] = [name(out.source), name(out.target)];
  const unpaired = (end: 'source' | 'target', own: string | undefined, other: string | undefined) =>
    own !== undefined && Object.hasOwn(PAIRED_ENDS[end], own) && PAIRED_ENDS[end][own] !== other;
  if (unpaired('source', source, target)) delete out.source;
  if (unpaired('target', target, source)) delete out.target;
  return out;
}

/** Whether a header row looks like a relationships file rather than a CIs file. */
export function looksLikeRelationships(headers: string[]): boolean {
  const rel = suggestRelationships(headers);
  return rel.source !== undefined && rel.target !== undefined;
}

/**
 * A mapping suggested from header names, for a CIs file, a relationships file, or both; `cisSample` (the CIs
 * file's first rows) lets the value-checked synonyms be taken (see VALUE_CHECKED).
 */
export function suggestMapping(input: {
  cis?: string[] | undefined;
  relationships?: string[] | undefined;
  cisSample?: ColumnSample | undefined;
}): Mapping {
  const m: Mapping = {};
  if (input.cis) m.cis = suggestFor(input.cis, CI_SYNONYMS, CI_MAP_FIELDS, input.cisSample, CUSTOM_CI_FIELDS);
  if (input.relationships) m.relationships = suggestRelationships(input.relationships);
  return m;
}

/** A mapping resolved against one file's headers: column index per field and the attribute columns. */
export interface ResolvedColumns<F extends string> {
  index: Partial<Record<F, number>>;
  attributes: Array<{ name: string; index: number }>;
  /** The `attributes_json` column (attributes as a JSON object), when the file has one that no field takes. */
  attributesJson: number | undefined;
  /** Fields read from a key of a JSON column (`tags.owner`, CIs only): their index is headers.length + their place here. */
  jsonKeys: JsonKeyColumn[];
  /**
   * Custom columns the suggestion reads as a field (`u_owner` as the owner). An earlier import kept such a column
   * as an attribute of its name; an update removes that attribute, so the value is not kept twice, once stale.
   */
  retired: string[];
}

/**
 * Resolves a file's columns: the mapping's headers (case-insensitive), else
 * the suggestion from header names (and `sample`, the file's first rows, for
 * the value-checked ones). A mapped header that the file lacks is a
 * CSV_ERROR naming it.
 */
export function resolveColumns<F extends string>(
  file: string,
  headers: string[],
  explicit: Partial<Record<F, string>> | undefined,
  kind: 'cis' | 'relationships',
  ignore: string[] = [],
  headerLine = 1,
  sample?: ColumnSample,
): ResolvedColumns<F> {
  // Custom columns are suggested only when no mapping is given: a mapping (the wizard's, a profile's) already
  // holds them where the suggestion put them, and a field it leaves out was left out on purpose.
  const suggestion = (
    kind === 'cis'
      ? suggestFor(headers, CI_SYNONYMS, CI_MAP_FIELDS, sample, explicit ? [] : CUSTOM_CI_FIELDS)
      : suggestRelationships(headers, sample)
  ) as Partial<Record<F, string>>;
  const retired: string[] = [];
  /** A custom column read as a field it names (see ResolvedColumns.retired). */
  const retire = (field: F, header: string) => {
    if (kind === 'cis' && isCustomColumn(header) && (CUSTOM_CI_FIELDS as readonly string[]).includes(field)) retired.push(header);
  };
  const byName = headersByName(headers);
  const index: Partial<Record<F, number>> = {};
  const taken = new Set<number>();
  const ignored = new Set(ignore.map((h) => h.trim().toLowerCase()));
  /**
   * Columns the suggestion may not use: those mapped, except a CI key's (`"id": "Name"` keys CIs by name, and
   * Name is still the name), and those ignored (a CIs export read as relationships: its `Type` is no relationship type).
   */
  const blocked = new Set<number>(headers.flatMap((h, i) => (ignored.has(h.toLowerCase()) ? [i] : [])));
  const jsonKeys: JsonKeyColumn[] = [];
  /** Fields the mapping reads from no column (`""`): no usual name fills them either. */
  const none = new Set<F>();
  if (explicit) {
    for (const [field, header] of Object.entries(explicit) as Array<[F, string]>) {
      if (header.trim() === '') {
        none.add(field);
        continue;
      }
      const i = byName.get(header.trim().toLowerCase());
      const fromJson = i === undefined && kind === 'cis' ? jsonKeyColumn(header, byName) : null;
      if (fromJson) {
        index[field] = headers.length + jsonKeys.push(fromJson) - 1;
        continue;
      }
      if (i === undefined) {
        throw new CmdbError(
          'CSV_ERROR',
          `${file}: the mapping puts ${field} in column "${header}", but the file has no such column. Its columns are: ${headers.filter(Boolean).join(', ')}.${titleLineHint(headers) ?? ' Fix the mapping.'}`,
          { file, line: headerLine, column: header },
        );
      }
      index[field] = i;
      taken.add(i);
      retire(field, headers[i]!);
      if (!(kind === 'cis' && field === 'id')) blocked.add(i);
    }
  }
  // Fields the mapping leaves out are still found by their usual names, unless their column is already mapped.
  for (const [field, header] of Object.entries(suggestion) as Array<[F, string]>) {
    if (index[field] !== undefined || none.has(field)) continue;
    const i = byName.get(header.toLowerCase())!;
    if (!blocked.has(i)) {
      index[field] = i;
      taken.add(i);
      blocked.add(i);
      retire(field, header);
    }
  }
  const json = byName.get(ATTRIBUTES_JSON);
  const attributesJson = json !== undefined && !taken.has(json) && !ignored.has(ATTRIBUTES_JSON) ? json : undefined;
  const attributes = headers
    .map((name, i) => ({ name, index: i }))
    .filter(({ name, index: i }) => name !== '' && !taken.has(i) && i !== attributesJson && !ignored.has(name.toLowerCase()));
  return { index, attributes, attributesJson, jsonKeys, retired };
}

/** ServiceNow class names onto the registry's CI types (after `cmdb_ci_` is stripped). */
const SERVICENOW_CLASSES: Record<string, string> = {
  server: 'server',
  linux_server: 'server',
  win_server: 'server',
  unix_server: 'server',
  solaris_server: 'server',
  aix_server: 'server',
  hpux_server: 'server',
  esx_server: 'hypervisor',
  hyper_v_server: 'hypervisor',
  vm_instance: 'virtual_machine',
  vmware_instance: 'virtual_machine',
  virtual_machine_object: 'virtual_machine',
  ec2_instance: 'virtual_machine',
  appl: 'application',
  // CSDM: a business application is an application of the portfolio; technical services and offerings are services.
  business_app: 'application',
  application: 'application',
  app_server: 'application',
  app_server_tomcat: 'application',
  service: 'business_service',
  business_service: 'business_service',
  service_discovered: 'service',
  service_auto: 'service',
  service_technical: 'service',
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
  // ServiceNow's cluster classes (a vCenter cluster is a cluster of hypervisors; Windows, Unix, Oracle RAC...).
  vcenter_cluster: 'cluster',
  vmware_cluster: 'cluster',
  win_cluster: 'cluster',
  unix_cluster: 'cluster',
  linux_cluster: 'cluster',
  server_cluster: 'cluster',
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
  'hp-ux server': 'server',
  'esx server': 'hypervisor',
  'hyper-v server': 'hypervisor',
  'virtual machine instance': 'virtual_machine',
  'vmware virtual machine instance': 'virtual_machine',
  'application server': 'application',
  tomcat: 'application',
  'business application': 'application',
  'application service': 'service',
  'mapped application service': 'service',
  'technical service': 'service',
  'service offering': 'service',
  'cloud service account': 'cloud_resource',
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
  'vmware vcenter cluster': 'cluster',
  'vcenter cluster': 'cluster',
  'windows cluster': 'cluster',
  'unix cluster': 'cluster',
  'linux cluster': 'cluster',
  'server cluster': 'cluster',
};

/** BMC Helix CMDB (Remedy) class ids onto the registry's CI types (after `BMC_` is stripped, lower-cased). */
const BMC_CLASSES: Record<string, string> = {
  computersystem: 'server',
  mainframe: 'server',
  virtualsystemenabler: 'hypervisor',
  application: 'application',
  applicationsystem: 'application',
  softwareserver: 'application',
  database: 'database',
  businessservice: 'business_service',
  technicalservice: 'service',
  applicationservice: 'service',
  cluster: 'cluster',
  storagesubsystem: 'storage',
};

/**
 * iTop's classes, as an export of a parent class (Functional CI) writes them in `finalclass`: matched exactly
 * (iTop's own spelling), so a file's own `webserver` or `Nas` stays its own type. Server and Hypervisor need no
 * entry; classes without a registry equivalent (PC, Printer, Farm) are created and flagged.
 */
const ITOP_CLASSES: Record<string, string> = {
  VirtualMachine: 'virtual_machine',
  ApplicationSolution: 'application',
  BusinessProcess: 'business_service',
  DBServer: 'database',
  DatabaseSchema: 'database',
  WebServer: 'application',
  WebApplication: 'application',
  MiddlewareInstance: 'application',
  NetworkDevice: 'network_device',
  StorageSystem: 'storage',
  NASFileSystem: 'storage',
};

/**
 * Cloud inventories' resource types onto the registry's CI types: AWS Config
 * (`AWS::EC2::Instance`) and Azure Resource Graph
 * (`microsoft.compute/virtualmachines`), lower-cased.
 */
const CLOUD_RESOURCE_TYPES: Record<string, string> = {
  'aws::ec2::instance': 'virtual_machine',
  'aws::ec2::volume': 'storage',
  'aws::s3::bucket': 'storage',
  'aws::efs::filesystem': 'storage',
  'aws::rds::dbinstance': 'database',
  'aws::rds::dbcluster': 'database',
  'aws::dynamodb::table': 'database',
  'aws::elasticache::cachecluster': 'cache',
  'aws::sqs::queue': 'message_queue',
  'aws::elasticloadbalancing::loadbalancer': 'load_balancer',
  'aws::elasticloadbalancingv2::loadbalancer': 'load_balancer',
  'aws::eks::cluster': 'kubernetes_cluster',
  'aws::lambda::function': 'application',
  'aws::route53::hostedzone': 'dns',
  'microsoft.compute/virtualmachines': 'virtual_machine',
  'microsoft.compute/disks': 'storage',
  'microsoft.storage/storageaccounts': 'storage',
  'microsoft.sql/servers/databases': 'database',
  'microsoft.dbforpostgresql/flexibleservers': 'database',
  'microsoft.dbformysql/flexibleservers': 'database',
  'microsoft.documentdb/databaseaccounts': 'database',
  'microsoft.cache/redis': 'cache',
  'microsoft.servicebus/namespaces': 'message_queue',
  'microsoft.network/loadbalancers': 'load_balancer',
  'microsoft.network/applicationgateways': 'load_balancer',
  'microsoft.containerservice/managedclusters': 'kubernetes_cluster',
  'microsoft.web/sites': 'application',
  'microsoft.network/dnszones': 'dns',
};

/**
 * The registry's CI types as a sheet kept in German, French or Spanish writes them, as normalizeName reads
 * them (`Anwendung`, `Base de données`, `Máquina virtual`): matched as the whole cell. Words that are the
 * type's own English name (`Server`, `Application`, `Container`) need no entry.
 */
const LOCAL_TYPE_WORDS: Record<string, string> = {
  // German
  anwendung: 'application',
  applikation: 'application',
  datenbank: 'database',
  virtuellemaschine: 'virtual_machine',
  dienst: 'service',
  geschaftsdienst: 'business_service',
  geschaftsservice: 'business_service',
  geschaeftsdienst: 'business_service',
  netzwerkgerat: 'network_device',
  netzwerkgeraet: 'network_device',
  // Not Speicher alone: in a hardware list it is the memory.
  speichersystem: 'storage',
  lastverteiler: 'load_balancer',
  warteschlange: 'message_queue',
  // French
  serveur: 'server',
  basededonnees: 'database',
  machinevirtuelle: 'virtual_machine',
  hyperviseur: 'hypervisor',
  conteneur: 'container',
  servicemetier: 'business_service',
  equilibreurdecharge: 'load_balancer',
  equipementreseau: 'network_device',
  stockage: 'storage',
  filedemessages: 'message_queue',
  // Spanish
  aplicacion: 'application',
  servidor: 'server',
  basededatos: 'database',
  maquinavirtual: 'virtual_machine',
  hipervisor: 'hypervisor',
  contenedor: 'container',
  servicio: 'service',
  serviciodenegocio: 'business_service',
  balanceadordecarga: 'load_balancer',
  dispositivodered: 'network_device',
  almacenamiento: 'storage',
  colademensajes: 'message_queue',
};

/**
 * A CI type value from a file onto a registry type name: the mapping's value
 * map, then ServiceNow classes (names or labels), the types' German, French and Spanish words, BMC class ids, cloud
 * resource types and iTop classes, then normalised (an unknown `cmdb_ci_` or `BMC_` class
 * without its prefix).
 */
export function mapCiType(raw: string, valueMap: Record<string, string> | undefined): string {
  const mapped = valueMap && (ownEntry(valueMap, raw) ?? ownEntry(valueMap, raw.trim()));
  if (mapped !== undefined) return normaliseTypeName(mapped);
  const lower = raw.trim().toLowerCase();
  const label = ownEntry(SERVICENOW_CLASS_LABELS, lower.replace(/\s+/g, ' ')) ?? ownEntry(LOCAL_TYPE_WORDS, normalizeName(raw));
  if (label !== undefined) return label;
  const cloud = ownEntry(CLOUD_RESOURCE_TYPES, lower);
  if (cloud !== undefined) return cloud;
  const itop = ownEntry(ITOP_CLASSES, raw.trim());
  if (itop !== undefined) return itop;
  const n = normaliseTypeName(raw);
  if (n.startsWith('cmdb_ci_')) return ownEntry(SERVICENOW_CLASSES, n.slice(8)) ?? n.slice(8);
  // CSDM's service offerings are a table of their own, outside cmdb_ci_.
  if (n === 'service_offering') return 'service';
  if (n.startsWith('bmc_') && n.length > 4) return ownEntry(BMC_CLASSES, n.slice(4)) ?? n.slice(4);
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

/**
 * BMC Helix CMDB relationship classes (`BMC_HOSTEDSYSTEMCOMPONENTS` in `Class
 * Id`, after `BMC_` is stripped) onto registry types. BMC's Source is the end
 * the Destination relies on (the host, the antecedent, the collection), so
 * each is reversed: the destination is the dependent. The bare names
 * (`HOSTEDSYSTEMCOMPONENTS` in `Name`) are understood only where no other
 * tool uses the word; `DEPENDENCY` and `IMPACT` need their class id.
 */
const BMC_REL_CLASSES: Record<string, { type: string; reverse: boolean; bareName: boolean }> = {
  hostedsystemcomponents: { type: 'hosted_on', reverse: true, bareName: true },
  dependency: { type: 'depends_on', reverse: true, bareName: false },
  impact: { type: 'depends_on', reverse: true, bareName: false },
  memberofcollection: { type: 'member_of', reverse: true, bareName: true },
};

/**
 * A relationship type named by one wording rather than a pair: `Used by`, `Hosts`, `Backs up`, `Stored on`,
 * `Connected to` (Freshservice, ManageEngine and Lansweeper write these). Each half of a known pair
 * (SERVICENOW_PAIRS) reads as the pair reads it from that end; the reverse wordings of the registry's own
 * types and a few other tools' wordings come first. Without this, each became a new type, and a new type is a
 * hard dependency: a cable (`Connected to`) or a backup (`Backs up`) took its other end down with it.
 */
const BARE_NAMES: Record<string, { type: string; reverse: boolean }> = (() => {
  const names: Record<string, { type: string; reverse: boolean }> = {
    used_by: { type: 'depends_on', reverse: true },
    hosts: { type: 'hosted_on', reverse: true },
    runs: { type: 'runs_on', reverse: true },
    has_member: { type: 'member_of', reverse: true },
    members: { type: 'member_of', reverse: true },
    connected_to: { type: 'connects_to', reverse: false },
    connected_with: { type: 'connects_to', reverse: false },
    is_connected_to: { type: 'connects_to', reverse: false },
    installed_on: { type: 'runs_on', reverse: false },
  };
  for (const [pair, known] of Object.entries(SERVICENOW_PAIRS)) {
    const [left, right] = pair.split('::').map(normaliseTypeName) as [string, string];
    names[left] ??= known;
    names[right] ??= { type: known.type, reverse: !known.reverse };
  }
  return names;
})();

/**
 * A relationship type value onto a registry type and direction: the
 * mapping's value map, a known ServiceNow pair, a pair's left part for an
 * unknown pair (created flagged), or the normalised name.
 */
export function mapRelType(raw: string, valueMap: Record<string, string> | undefined): { type: string; reverse: boolean } {
  const mapped = valueMap && (ownEntry(valueMap, raw) ?? ownEntry(valueMap, raw.trim()));
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
    const known = ownEntry(SERVICENOW_PAIRS, `${left}::${right}`);
    if (known) return known;
    // A known pair written the other way round (`Hosts::Hosted on`): the same type, its ends swapped.
    const flipped = ownEntry(SERVICENOW_PAIRS, `${right}::${left}`);
    if (flipped) return { type: flipped.type, reverse: !flipped.reverse };
    return plainRelType(raw.slice(0, sep));
  }
  return plainRelType(raw);
}

/** A relationship type named by one word or phrase: a known wording (BARE_NAMES; `used by` is read from the other end), else the name. */
function plainRelType(raw: string): { type: string; reverse: boolean } {
  const n = normaliseTypeName(raw);
  const bare = ownEntry(BMC_REL_CLASSES, n);
  const bmc = n.startsWith('bmc_') ? ownEntry(BMC_REL_CLASSES, n.slice(4)) : bare?.bareName ? bare : undefined;
  if (bmc) return { type: bmc.type, reverse: bmc.reverse };
  // "Is used by", "Is Member Of" (ServiceDesk Plus): the wording without its "is" (found by a tester: each became a
  // new hard type, `is_used_by` the wrong way round and `is_member_of` without its cluster's redundancy).
  return ownEntry(BARE_NAMES, n) ?? (n.startsWith('is_') ? ownEntry(BARE_NAMES, n.slice(3)) : undefined) ?? { type: n, reverse: false };
}
