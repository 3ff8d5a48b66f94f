/**
 * What one row of a relationships file means, before the CMDB is asked:
 * its columns, its required values, its type, its redundancy settings, and
 * the checks of a redundancy group. The import thread and the relationship
 * planner (rel-planner-worker.ts) both use these, so a row gets the same
 * verdict and the same message whichever thread reads it.
 */
import type { Mapping } from '../../../shared/import.js';
import type { Db } from '../db.js';
import { mapRelType, resolveColumns } from './mapping.js';
import {
  cell,
  headerAt,
  fieldColumns,
  isMarkedDeleted,
  isNoteRow,
  isTotalsName,
  memo,
  missingColumn,
  type ParsedRow,
  rowAttributes,
  type RowProblem,
  rowValues,
  shownText,
} from './row-cells.js';
import { ADVICE } from './advice.js';

export type RelField = 'source' | 'target' | 'type' | 'redundancy_group' | 'min_up' | 'source_type' | 'target_type';

/** Where a relationships file keeps each field, from its header and the mapping. */
export interface RelLayout {
  file: string;
  headers: string[];
  idx: Partial<Record<RelField, number>>;
  nCols: number;
  /** The file's columns read as fields (row-cells.ts formulaError). */
  fieldCols: readonly number[];
  attrCols: Array<{ name: string; index: number }>;
  attributesJson: number | undefined;
  /** The mapping's relDefaults.type: the type of a row without one (null: none). */
  defaultType: string | null;
  /** The mapping's emptyTarget is skip: a row with an empty target cell makes no relationship (NO_TARGET). */
  skipEmptyTarget: boolean;
  /**
   * The mapping's emptyCells is keep: an empty redundancy_group, min_up or attribute cell leaves a stored
   * relationship's value (as a file without that column does), and clears no attribute.
   */
  keepEmpty: boolean;
  /** The mapping's shortRows is empty: a short row's missing last cells read as empty. */
  shortRowsEmpty: boolean;
  /** BMC Helix's columns that change what a row means, where the file has them (bmcColumns). */
  bmc: BmcColumns;
}

/**
 * A row a spreadsheet adds under its table that is no relationship at all (its source, target or type empty): a
 * totals row (`Total`), or a note with only its first cell filled, set off by an empty row or written as one.
 */
function sheetArtefact(v: readonly string[], afterBlank: boolean, l: RelLayout): RowProblem | null {
  const first = v.findIndex((c) => c.trim() !== '');
  if (first < 0) return null;
  const text = v[first]!.trim();
  if (isTotalsName(text))
    return {
      artefact: true,
      column: headerAt(l, first),
      message: `"${text}" looks like a spreadsheet's totals row, not a relationship: delete the row from the file.`,
    };
  if (isNoteRow(v, afterBlank))
    return {
      artefact: true,
      column: headerAt(l, 0),
      message: `"${shownText(text)}" alone on its row looks like a note under a spreadsheet's table, not a relationship: delete the row from the file.`,
    };
  return null;
}

/** A row whose target cell is empty, under `"emptyTarget": "skip"`: no relationship, and no error. */
export const NO_TARGET = Object.freeze({ noTarget: true as const });
/** A row BMC Helix marks deleted (`MarkAsDeleted` Yes): no relationship, and no error; a sync removes it. */
export const MARKED_DELETED = Object.freeze({ noTarget: true as const, markedDeleted: true as const });

/**
 * BMC Helix's relationship columns (a BMC_BaseRelationship export) that change what a row means, found by
 * their names among the columns no field takes: `MarkAsDeleted` (Yes: deleted in BMC, no relationship here),
 * `HasImpact` (No: the relationship carries no impact, read as NO_IMPACT_TYPE, which impact does not follow,
 * outside any redundancy group) and `ImpactDirection` (which end's failure reaches the other: with
 * Source-Destination the Destination is the dependent, with Destination-Source the Source, whatever the
 * class; Bidirectional, which one relationship cannot hold, keeps the class's). Each stays an attribute too.
 */
export interface BmcColumns {
  deleted?: number;
  hasImpact?: number;
  direction?: number;
}
const BMC_NAMES = new Map<string, keyof BmcColumns>([
  ['markasdeleted', 'deleted'],
  ['hasimpact', 'hasImpact'],
  ['impactdirection', 'direction'],
]);
/** The built-in type (strength none) a relationship BMC says has no impact is read as. */
export const NO_IMPACT_TYPE = 'connects_to';
const NO = /^(no|false|0)$/i;
const IMPACT_DIRECTION = /^(source|destination)\s*(?:-|to|->)\s*(source|destination)$/i;

function bmcColumns(attrCols: ReadonlyArray<{ name: string; index: number }>): BmcColumns {
  const out: BmcColumns = {};
  for (const { name, index } of attrCols) {
    const k = BMC_NAMES.get(name.replace(/[\s_]/g, '').toLowerCase());
    if (k !== undefined && out[k] === undefined) out[k] = index;
  }
  return out;
}

export function relLayout(file: string, headers: string[], mapping: Mapping, headerLine = 1, attributes = true): RelLayout {
  const cols = resolveColumns<RelField>(file, headers, mapping.relationships, 'relationships', mapping.ignore?.relationships, headerLine);
  const head = { file, headers, headerLine };
  const defaultType = mapping.relDefaults?.type ?? null;
  for (const [f, what, examples] of [
    ['source', 'the source CI (its key or name)', 'Source, Parent, Source CI'],
    ['target', 'the target CI (its key or name)', 'Target, Child, Target CI'],
  ] as const) {
    if (cols.index[f] === undefined) throw missingColumn(head, f, what, examples, takenByMapping(file, headers, mapping, f, headerLine));
  }
  if (cols.index.type === undefined && defaultType === null) {
    throw missingColumn(
      head,
      'type',
      'the relationship type',
      'Type, Relationship type',
      ` or give one type for every row ${ADVICE.relDefaultType.cli}`,
    );
  }
  return {
    file,
    headers,
    idx: cols.index,
    nCols: headers.length,
    fieldCols: fieldColumns(cols.index, headers.length),
    // One file as both CIs and relationships: its other columns are the CIs' fields and attributes, not the relationships'.
    attrCols: attributes ? cols.attributes : [],
    attributesJson: attributes ? cols.attributesJson : undefined,
    defaultType,
    skipEmptyTarget: mapping.emptyTarget === 'skip',
    keepEmpty: mapping.emptyCells === 'keep',
    shortRowsEmpty: mapping.shortRows === 'empty',
    bmc: bmcColumns(cols.attributes),
  };
}

/**
 * Why the usual column of a required field is not read as it: the mapping maps that column to another field
 * (`"redundancy_group": "parent"` leaves ServiceNow's Parent no longer the source). Words for missingColumn's
 * message, empty when not so.
 */
function takenByMapping(file: string, headers: string[], mapping: Mapping, field: RelField, headerLine: number): string {
  const explicit = mapping.relationships;
  if (!explicit) return '';
  const usual = resolveColumns<RelField>(file, headers, undefined, 'relationships', mapping.ignore?.relationships, headerLine).index[field];
  if (usual === undefined) return '';
  const header = headers[usual]!;
  const other = (Object.entries(explicit) as Array<[RelField, string]>).find(
    ([f, h]) => f !== field && h.trim().toLowerCase() === header.trim().toLowerCase(),
  );
  if (!other) return '';
  return `; column ${header} is mapped to ${other[0]}, so it is not read as the ${field} too (a column holds one field): map ${other[0]} to another column (or to none: "${other[0]}": ""), or map ${field} to a column`;
}

/** The header of column i (null when the field has no column). */
/** A row that passed the checks that need no lookup. */
export interface CheckedRel {
  srcRaw: string;
  tgtRaw: string;
  /** The relationship type as the registry names it; reverse: source and target swap (a "Used by" pair). */
  type: string;
  reverse: boolean;
  group: string | null;
  minUp: number | null;
  attrs: Record<string, string>;
  /** Attribute columns left empty (an update removes those attributes). */
  cleared: string[];
}

/** Checks one parsed row (values, or the reader's error for it) without looking anything up. */
export function checkRelRow(
  item: ParsedRow,
  l: RelLayout,
  relTypeOf: (raw: string) => { type: string; reverse: boolean },
  /** The registry's dependent end of a type (read only where an ImpactDirection column says which end fails first). */
  dependentOf: (type: string) => 'source' | 'target' = () => 'source',
  /** An empty row sets this row off from data rows above it (a note under the table; isNoteRow). */
  afterData = false,
): CheckedRel | RowProblem | typeof NO_TARGET | typeof MARKED_DELETED {
  const v = rowValues(item, l, afterData);
  if (!Array.isArray(v)) return v;
  const { idx, bmc } = l;
  if (bmc.deleted !== undefined && isMarkedDeleted(cell(v, bmc.deleted))) return MARKED_DELETED;
  const srcRaw = cell(v, idx.source);
  const tgtRaw = cell(v, idx.target);
  const typeRaw = cell(v, idx.type) ?? l.defaultType;
  // A row without a target under "emptyTarget": "skip" is skipped, whatever it looks like (a CI may be named Total).
  if (srcRaw !== null && tgtRaw === null && l.skipEmptyTarget) return NO_TARGET;
  if (srcRaw === null || tgtRaw === null || typeRaw === null) {
    const artefact = sheetArtefact(v, afterData, l);
    if (artefact) return artefact;
  }
  if (srcRaw === null)
    return { column: headerAt(l, idx.source), message: 'missing required value: the source CI. Fill in its key or name.' };
  if (tgtRaw === null) {
    if (l.skipEmptyTarget) return NO_TARGET;
    return {
      column: headerAt(l, idx.target),
      message: `missing required value: the target CI. Fill in its key or name; if the column is a reference that some rows leave empty, ${ADVICE.emptyTarget.cli}.`,
    };
  }
  if (typeRaw === null) {
    return {
      column: headerAt(l, idx.type),
      message: `missing required value: the relationship type (for example depends_on, runs_on). Fill it in, or give a default type ${ADVICE.relDefaultType.cli}.`,
    };
  }
  const mapped = relTypeOf(typeRaw);
  if (mapped.type === '') {
    return {
      column: headerAt(l, idx.type),
      message: `"${typeRaw}" is not a usable relationship type. Use letters and digits, for example depends_on.`,
    };
  }
  const group = cell(v, idx.redundancy_group);
  const minUpRaw = cell(v, idx.min_up);
  let minUp: number | null = null;
  if (minUpRaw !== null) {
    // A whole number; also as a spreadsheet or pandas writes one from a column of decimals ("2.0", "2,0").
    const whole = /^(\d+)(?:[.,]0+)?$/.exec(minUpRaw)?.[1];
    if (whole === undefined || Number(whole) < 1 || Number(whole) > 1_000_000) {
      return {
        column: headerAt(l, idx.min_up),
        message: `bad min_up "${minUpRaw}": it must be a whole number of 1 or more (how many members of the redundancy group must stay up).`,
      };
    }
    if (group === null) {
      return {
        column: headerAt(l, idx.min_up),
        message: `bad min_up "${minUpRaw}": min_up only means something with a redundancy_group. Fill in the group, or clear min_up.`,
      };
    }
    minUp = Number(whole);
  }
  const a = rowAttributes(v, l);
  if (!('attrs' in a)) return a;
  const cleared = l.keepEmpty ? [] : a.cleared;
  const attrs = a.attrs;
  if (bmc.hasImpact !== undefined && NO.test(cell(v, bmc.hasImpact) ?? '')) {
    // No impact: no dependency, so in no redundancy group either (a group counts the dependencies that hold a CI up).
    return { srcRaw, tgtRaw, type: NO_IMPACT_TYPE, reverse: false, group: null, minUp: null, attrs, cleared };
  }
  let { reverse } = mapped;
  const direction = bmc.direction === undefined ? null : IMPACT_DIRECTION.exec(cell(v, bmc.direction) ?? '');
  if (direction && direction[1]!.toLowerCase() !== direction[2]!.toLowerCase()) {
    // The file's ends as given: reverse stores its Destination as the source. The dependent is the end the
    // impact reaches: the Destination for Source-Destination.
    const destinationDepends = direction[1]!.toLowerCase() === 'source';
    reverse = destinationDepends === (dependentOf(mapped.type) === 'source');
  }
  return { srcRaw, tgtRaw, type: mapped.type, reverse, group, minUp, attrs, cleared };
}

export const unknownKeyMessage = (
  role: 'source' | 'target',
  raw: string,
  known?: (part: string) => boolean,
  /** A stored key that differs from raw only in case (KeyIndex.caseTwin). */
  caseTwin?: string,
): string => severalCisMessage(role, raw, known) ?? noCiMessage(role, raw, 'key', caseTwin);

/**
 * A value no CI has as `what` (key, name, key or name, and a type): with a key that differs from it only in
 * case, the message names that key (keys are case-sensitive: `SRV-3` and `srv-3` are two CIs).
 */
export function noCiMessage(role: 'source' | 'target', raw: string, what: string, caseTwin?: string): string {
  if (caseTwin !== undefined) {
    return `unknown ${role} CI "${raw}": no CI has that ${what}; a CI with key "${caseTwin}" exists (keys are case-sensitive). Write the key as "${caseTwin}", or import a CI "${raw}" first.`;
  }
  return `unknown ${role} CI "${raw}": no CI has that ${what}. Import that CI first, or correct the ${what === 'key' ? 'key' : 'value'}.`;
}

/**
 * For a value no CI has: when it lists several CIs that each exist (`web-1, web-2`, `a;b`, one per
 * line: a multi-reference column, as Jira Assets and spreadsheets write one), says so and what to do;
 * null otherwise. Only asked of values already unknown, so the look-ups cost nothing on good rows.
 */
export function severalCisMessage(role: 'source' | 'target', raw: string, known: ((part: string) => boolean) | undefined): string | null {
  if (known === undefined || !/[,;|\n]/.test(raw)) return null;
  const parts = raw
    .split(/[,;|\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length < 2 || !parts.every(known)) return null;
  return `the ${role} cell "${raw}" names ${parts.length} CIs (${parts.join(', ')}), and a relationship has one ${role}. Write one row for each of them (the other columns repeated).`;
}

export const selfMessage = (srcRaw: string): string => `"${srcRaw}" cannot have a relationship with itself. Correct the source or target.`;

/** A redundancy group as a file declared it: its dependent CI, name, relationship type, min_up and first line. */
export type GroupRow = [dep: number, grp: string, type: string, minUp: number | null, line: number];

/** The redundancy groups a file has declared so far, per dependent CI. */
export interface GroupStore {
  get(dep: number, grp: string): { type: string; minUp: number | null; line: number } | undefined;
  add(dep: number, grp: string, type: string, minUp: number | null, line: number): void;
  setMinUp(dep: number, grp: string, minUp: number): void;
}

/**
 * The groups kept in a table (`schema.table`, created empty): a temporary table of the import's
 * connection, or the planner's scratch database. all() and load() hand them from one to the other.
 */
export function groupTable(db: Db, schema: string, table: string): GroupStore & { all(): GroupRow[]; load(rows: GroupRow[]): void } {
  const t = `${schema}.${table}`;
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${t}(dep INTEGER NOT NULL, grp TEXT NOT NULL, type TEXT NOT NULL, min_up INTEGER,
     line INTEGER NOT NULL, PRIMARY KEY (dep, grp)) WITHOUT ROWID; DELETE FROM ${t};`,
  );
  const get = db.prepare(`SELECT type, min_up AS minUp, line FROM ${t} WHERE dep = ? AND grp = ?`);
  const add = db.prepare(`INSERT INTO ${t}(dep, grp, type, min_up, line) VALUES (?, ?, ?, ?, ?)`);
  const setMinUp = db.prepare(`UPDATE ${t} SET min_up = ? WHERE dep = ? AND grp = ?`);
  return {
    get: (dep, grp) => get.get(dep, grp) as { type: string; minUp: number | null; line: number } | undefined,
    add: (dep, grp, type, minUp, line) => add.run(dep, grp, type, minUp, line),
    setMinUp: (dep, grp, minUp) => setMinUp.run(minUp, dep, grp),
    all: () => db.prepare(`SELECT dep, grp, type, min_up, line FROM ${t}`).raw().all() as GroupRow[],
    load: (rows) => {
      for (const r of rows) add.run(...r);
    },
  };
}

/**
 * A relationship's place in its redundancy group: the first row of a group sets its type (and min_up,
 * or the first later row that gives one); a row that disagrees is a problem that refuses the whole import.
 */
export function checkGroup(
  store: GroupStore,
  l: RelLayout,
  r: { group: string; type: string; minUp: number | null; depId: number; depKey: string; line: number },
): RowProblem | null {
  const g = store.get(r.depId, r.group);
  if (!g) {
    store.add(r.depId, r.group, r.type, r.minUp, r.line);
    return null;
  }
  // Skipped alone, such a row would leave its group half-updated (some members with the new setting, one
  // with the old or none): the import is refused as a whole, naming both lines.
  if (g.type !== r.type) {
    return {
      column: headerAt(l, l.idx.redundancy_group),
      message: `conflicting group settings: redundancy group "${r.group}" of ${r.depKey} has ${g.type} relationships (line ${g.line}) and here ${r.type} (line ${r.line}). A group holds relationships of one type: give its rows one type, or rename one group, and import again.`,
      whole: true,
    };
  }
  if (r.minUp !== null && g.minUp !== null && g.minUp !== r.minUp) {
    return {
      column: headerAt(l, l.idx.min_up),
      message: `conflicting group settings: redundancy group "${r.group}" of ${r.depKey} has min_up ${g.minUp} (line ${g.line}) and here ${r.minUp} (line ${r.line}). Give every row of the group the same min_up (or give it on one row only), and import again.`,
      whole: true,
    };
  }
  if (g.minUp === null && r.minUp !== null) store.setMinUp(r.depId, r.group, r.minUp);
  return null;
}

/** A relationship type mapper that maps each distinct value once. */
export function relTypeMapper(mapping: Mapping): (raw: string) => { type: string; reverse: boolean } {
  return memo((raw: string) => mapRelType(raw, mapping.relTypeValues));
}
