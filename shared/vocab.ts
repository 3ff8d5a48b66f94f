/**
 * The registry's scales for criticality and status, and the words other
 * tools use for them (ServiceNow's standard choice lists, the status lists of
 * iTop, Lansweeper, NetBox, Jira Service Management Assets, BMC Helix, Snipe-IT and Device42,
 * common spreadsheet habits). The importer normalises values onto these scales (keeping the
 * original); the engine and the renderer rank criticality by them. One place:
 * nothing else decides what a criticality or status value means.
 */

/** The registry's criticality scale, most critical first. */
export const CRITICALITY_SCALE = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITY_SCALE)[number];

/** The registry's status scale. */
export const STATUS_SCALE = ['operational', 'non-operational', 'maintenance', 'standby', 'planned', 'retired'] as const;
export type Status = (typeof STATUS_SCALE)[number];

/**
 * The statuses of a CI that is not running, so not serving as a member of a redundancy group: out of service
 * (`non-operational`), being worked on (`maintenance`: a cluster node being patched or repaired carries no load),
 * not built yet (`planned`) or gone (`retired`). `operational` and `standby` (a spare ready to take over) are
 * running; so is a CI whose status is not set or not a known word: nothing says it is not.
 * Impact counts such a member as already down (docs/impact.md).
 */
export const NOT_RUNNING_STATUSES: readonly Status[] = ['non-operational', 'maintenance', 'planned', 'retired'];

/** Whether a status value (on the scale, or any word statusOf knows) says the CI is not running. */
export function isNotRunning(raw: string | null | undefined): boolean {
  const s = statusOf(raw);
  return s !== null && NOT_RUNNING_STATUSES.includes(s);
}

/**
 * A table's own entry for `key`, never what every object inherits: a file's value may spell `constructor`,
 * `__proto__` or `valueOf`, and must then be an unknown word, not a function.
 */
export function ownEntry<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Lower-cased, inner whitespace collapsed, en/em dashes as hyphens: `1 – Most  Critical` -> `1 - most critical`. */
export function vocabKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\u2012-\u2015]/g, '-')
    .replace(/\s+/g, ' ');
}

/** Criticality words onto the scale: the scale itself, ServiceNow's choice list (value and label), and common synonyms. */
const CRITICALITY_WORDS: Record<string, Criticality> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  // ServiceNow busines_criticality (cmdb_ci, cmdb_ci_service): the choice's value and its label are the same text.
  '1 - most critical': 'critical',
  '2 - somewhat critical': 'high',
  '3 - less critical': 'medium',
  '4 - not critical': 'low',
  'most critical': 'critical',
  'somewhat critical': 'high',
  'less critical': 'medium',
  'not critical': 'low',
  'mission critical': 'critical',
  'mission-critical': 'critical',
  'business critical': 'critical',
  'business-critical': 'critical',
  'very high': 'critical',
  'tier 0': 'critical',
  'tier 1': 'critical',
  'tier 2': 'high',
  'tier 3': 'medium',
  'tier 4': 'low',
  moderate: 'medium',
  normal: 'medium',
  minor: 'low',
  'very low': 'low',
  none: 'low',
  // A sheet kept in German, French or Spanish.
  kritisch: 'critical',
  hoch: 'high',
  mittel: 'medium',
  niedrig: 'low',
  critique: 'critical',
  haute: 'high',
  élevée: 'high',
  moyenne: 'medium',
  basse: 'low',
  faible: 'low',
  crítica: 'critical',
  alta: 'high',
  media: 'medium',
  baja: 'low',
  // Priorities and tiers written short, and ServiceNow-like labels of a custom list.
  p1: 'critical',
  p2: 'high',
  p3: 'medium',
  p4: 'low',
  p5: 'low',
  'priority 1': 'critical',
  'priority 2': 'high',
  'priority 3': 'medium',
  'priority 4': 'low',
  'priority 5': 'low',
  '1 - critical': 'critical',
  '2 - high': 'high',
  '3 - medium': 'medium',
  '4 - low': 'low',
  // BMC Helix CMDB's Priority (a CI's importance), as its export writes the enumeration.
  priority_1: 'critical',
  priority_2: 'high',
  priority_3: 'medium',
  priority_4: 'low',
  priority_5: 'low',
};

/** Status words onto the scale: ServiceNow's operational_status and install_status labels, and common synonyms. */
const STATUS_WORDS: Record<string, Status> = {
  operational: 'operational',
  'non-operational': 'non-operational',
  maintenance: 'maintenance',
  standby: 'standby',
  planned: 'planned',
  retired: 'retired',
  // ServiceNow operational_status labels.
  'non operational': 'non-operational',
  'repair in progress': 'maintenance',
  'dr standby': 'standby',
  ready: 'planned',
  pipeline: 'planned',
  catalog: 'planned',
  // ServiceNow install_status labels.
  installed: 'operational',
  'on order': 'planned',
  'in maintenance': 'maintenance',
  'pending install': 'planned',
  'pending repair': 'maintenance',
  'in stock': 'non-operational',
  stolen: 'retired',
  absent: 'non-operational',
  // iTop's status list (production is among the common habits below), in English and in French.
  implementation: 'planned',
  stock: 'non-operational',
  obsolete: 'retired',
  implémentation: 'planned',
  obsolète: 'retired',
  // Lansweeper's asset states (Active, In stock and Stolen are among the others).
  'non-active': 'non-operational',
  broken: 'non-operational',
  'in repair': 'maintenance',
  spare: 'standby',
  sold: 'retired',
  // NetBox's device and virtual machine statuses (Active, Offline and Planned are among the others).
  staged: 'planned',
  failed: 'non-operational',
  inventory: 'non-operational',
  decommissioning: 'retired',
  // Jira Service Management Assets' default statuses (Running, In Service and In Stock are among the others).
  stopped: 'non-operational',
  closed: 'retired',
  // BMC Helix CMDB's AssetLifecycleStatus (Ordered, In Repair, Down, End of Life and Disposed are among the others).
  deployed: 'operational',
  'on loan': 'operational',
  received: 'planned',
  'being assembled': 'planned',
  'in inventory': 'non-operational',
  reserved: 'standby',
  transferred: 'retired',
  delete: 'retired',
  'return to vendor': 'retired',
  // Snipe-IT's default status labels (Pending and Archived among the others; Pending says nothing alone).
  'ready to deploy': 'standby',
  'out for diagnostics': 'maintenance',
  'out for repair': 'maintenance',
  'broken - not fixable': 'retired',
  'lost/stolen': 'retired',
  // Freshservice's asset states (In Use, In Stock, Retired and Disposed are among the others).
  missing: 'non-operational',
  // i-doit's CMDB status (`CMDB status`) in English and German (in operation, in Betrieb among the others here).
  'in operation': 'operational',
  inoperative: 'non-operational',
  stored: 'non-operational',
  defect: 'non-operational',
  'under repair': 'maintenance',
  eingelagert: 'non-operational',
  defekt: 'non-operational',
  'in reparatur': 'maintenance',
  verschrottet: 'retired',
  // A sheet kept in German, French or Spanish.
  'in betrieb': 'operational',
  'außer betrieb': 'non-operational',
  'ausser betrieb': 'non-operational',
  wartung: 'maintenance',
  'in wartung': 'maintenance',
  geplant: 'planned',
  stillgelegt: 'retired',
  ausgemustert: 'retired',
  'en production': 'operational',
  'en service': 'operational',
  'hors service': 'non-operational',
  // GLPI's usual states in a French install.
  'en stock': 'non-operational',
  'en panne': 'non-operational',
  'en réparation': 'maintenance',
  'en commande': 'planned',
  réformé: 'retired',
  'en maintenance': 'maintenance',
  planifié: 'planned',
  retiré: 'retired',
  'en servicio': 'operational',
  'fuera de servicio': 'non-operational',
  'en mantenimiento': 'maintenance',
  planificado: 'planned',
  retirado: 'retired',
  // Common habits.
  active: 'operational',
  live: 'operational',
  production: 'operational',
  // A lifecycle column's usual words (found by a new user: `In Production` was the one value flagged).
  'in production': 'operational',
  'in prod': 'operational',
  'in use': 'operational',
  'in service': 'operational',
  running: 'operational',
  up: 'operational',
  inactive: 'non-operational',
  down: 'non-operational',
  offline: 'non-operational',
  online: 'operational',
  enabled: 'operational',
  disabled: 'non-operational',
  'under maintenance': 'maintenance',
  repair: 'maintenance',
  'hot standby': 'standby',
  'cold standby': 'standby',
  'in build': 'planned',
  build: 'planned',
  ordered: 'planned',
  decommissioned: 'retired',
  disposed: 'retired',
  'end of life': 'retired',
  archived: 'retired',
  // An instance that is not running: Google Compute Engine's TERMINATED is a stopped VM that starts again
  // (AWS's terminated instance is gone, and leaves the next export; a sync retires it then).
  terminated: 'non-operational',
  // An EC2 instance on its way to terminated.
  'shutting-down': 'non-operational',
  // Google Compute Engine's other instance statuses (RUNNING is among the habits above).
  provisioning: 'planned',
  staging: 'planned',
  stopping: 'non-operational',
  suspending: 'non-operational',
  suspended: 'non-operational',
  repairing: 'maintenance',
  // VMware's power states (RVTools' Powerstate; suspended is above).
  poweredon: 'operational',
  poweredoff: 'non-operational',
  // Kubernetes: a node's STATUS (kubectl get nodes); a cordoned node is being drained for maintenance. (A plain
  // Ready is ServiceNow's above, planned: the kubectl recipe maps it with statusValues.)
  notready: 'non-operational',
  'ready,schedulingdisabled': 'maintenance',
  'notready,schedulingdisabled': 'non-operational',
  // Kubernetes: a pod that cannot run (kubectl get pods STATUS).
  crashloopbackoff: 'non-operational',
  imagepullbackoff: 'non-operational',
  evicted: 'non-operational',
};

/** ServiceNow's numeric codes, for exports of values rather than labels; which list depends on the column. */
const SERVICENOW_OPERATIONAL_CODES: Record<string, Status> = {
  '1': 'operational',
  '2': 'non-operational',
  '3': 'maintenance',
  '4': 'standby',
  '5': 'planned',
  '6': 'retired',
  '7': 'planned',
  '8': 'planned',
};
const SERVICENOW_INSTALL_CODES: Record<string, Status> = {
  '1': 'operational',
  '2': 'planned',
  '3': 'maintenance',
  '4': 'planned',
  '5': 'maintenance',
  '6': 'non-operational',
  '7': 'retired',
  '8': 'retired',
  '100': 'non-operational',
};

/**
 * Snipe-IT's custom asset report writes a status as `LABEL (META)`: the label's name, then `deployed` when the
 * asset is checked out, else the label's type. Checked out means in use whatever the label says
 * (`Ready to Deploy (deployed)`); otherwise the label's name when it is a known word, else its type.
 */
const SNIPE_IT_META: Record<string, Status> = {
  deployed: 'operational',
  deployable: 'standby',
  pending: 'planned',
  undeployable: 'non-operational',
  archived: 'retired',
};

/** Device42's `in_service` column: yes or no. */
const IN_SERVICE: Record<string, Status> = { yes: 'operational', true: 'operational', no: 'non-operational', false: 'non-operational' };

/**
 * Environment names as inventories write them, letters and digits only (`Pre-Prod` -> `preprod`): what tells a
 * column of environments (Device42's `service_level`: Production, QA) from one of service tiers (Gold, 24x7).
 */
const ENVIRONMENT_NAMES = new Set([
  'production',
  'prod',
  'prd',
  'live',
  'preproduction',
  'preprod',
  'staging',
  'stage',
  'stg',
  'uat',
  'acceptance',
  'qa',
  'qualityassurance',
  'test',
  'testing',
  'tst',
  'sit',
  'integration',
  'performance',
  'perf',
  'development',
  'dev',
  'sandbox',
  'lab',
  'demo',
  'training',
  'dr',
  'disasterrecovery',
  'nonproduction',
  'nonprod',
]);

/** Whether a value names an environment (see ENVIRONMENT_NAMES). */
export function isEnvironmentName(raw: string): boolean {
  return ENVIRONMENT_NAMES.has(raw.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
}

/** The scale value a criticality word means, or null when it is not a known word. */
export function criticalityOf(raw: string | null | undefined): Criticality | null {
  if (raw == null) return null;
  return ownEntry(CRITICALITY_WORDS, vocabKey(raw)) ?? null;
}

/**
 * Rank of a criticality value for ordering and risk: critical 4, high 3,
 * medium 2, low 1; 0 for a value not set or not on the scale (unknown).
 */
export function criticalityRank(raw: string | null | undefined): number {
  const c = criticalityOf(raw);
  return c === null ? 0 : 4 - CRITICALITY_SCALE.indexOf(c);
}

/**
 * Criticality values in severity order: critical, high, medium, low (by criticalityRank), then values not on
 * the scale, then not set. Values of one class compare equal: each caller keeps its own order among them. Every
 * list, facet and sort of criticality orders by this, so that none reads alphabetical (critical, high, low, medium).
 */
export function compareCriticality(a: string | null | undefined, b: string | null | undefined): number {
  const unset = (v: string | null | undefined) => (v == null ? 1 : 0);
  return criticalityRank(b) - criticalityRank(a) || unset(a) - unset(b);
}

/**
 * The scale value a status word means, or null when it is not a known word.
 * `column` (the header the value came from) lets ServiceNow's numeric codes
 * be read by their own list: operational_status or install_status.
 */
export function statusOf(raw: string | null | undefined, column?: string): Status | null {
  if (raw == null) return null;
  const k = vocabKey(raw);
  const word = ownEntry(STATUS_WORDS, k);
  if (word) return word;
  const col = (column ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (col === 'operationalstatus') return ownEntry(SERVICENOW_OPERATIONAL_CODES, k) ?? null;
  if (col === 'installstatus') return ownEntry(SERVICENOW_INSTALL_CODES, k) ?? null;
  if (col === 'inservice') return ownEntry(IN_SERVICE, k) ?? null;
  const snipe = /^(.*\S) \((deployed|deployable|pending|undeployable|archived)\)$/.exec(k);
  if (snipe) return snipe[2] === 'deployed' ? 'operational' : (ownEntry(STATUS_WORDS, snipe[1]!) ?? SNIPE_IT_META[snipe[2]!]!);
  return null;
}
