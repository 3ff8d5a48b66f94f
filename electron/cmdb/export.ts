/**
 * Export of the whole CMDB in the default CSV formats, which import reads
 * back: every attribute under its own column where a column carries it
 * exactly, the rest in the `attributes_json` column.
 *
 * Safe by default: cells that a spreadsheet would run as a formula get a
 * leading apostrophe (shared/csv.ts). `exact` writes every cell as it is, for
 * a file meant only for re-import.
 */
import { FORMULA_START, toCsv } from '../../shared/csv.js';
import type { Db } from './db.js';
import { ATTRIBUTES_JSON, CI_CORE, REL_CORE } from './import/default-import.js';
import { resolveColumns } from './import/mapping.js';
import { parseAttributes } from './rows.js';

export interface ExportOptions {
  /** No formula guard: every cell as stored, so export -> import reproduces the CMDB exactly. */
  exact?: boolean | undefined;
}

/**
 * Whether an attribute name reads back unchanged as a header: the importer
 * trims headers, ignores empty ones, and a safe export would guard one that
 * starts like a formula.
 */
const fitsHeader = (k: string) => k !== '' && k === k.trim() && !FORMULA_START.test(k);

/** Whether a value reads back unchanged from a cell: cells are read trimmed, and an empty cell means "no attribute". */
const fitsCell = (v: string) => v !== '' && v === v.trim();

/**
 * The attribute names that get a column of their own (header = the name):
 * those that fit a header and that the importer, reading the whole header
 * row, takes for an attribute of that name: not a core column, not a
 * synonym it would map onto a field (`source_type`), not `attributes_json`,
 * and of names that differ only in case (headers are case-insensitive) only
 * the first in sort order. The others go to `attributes_json`.
 */
function attributeColumns(all: Array<Record<string, string>>, core: readonly string[], kind: 'cis' | 'relationships'): string[] {
  const names = new Set<string>();
  for (const a of all) for (const k of Object.keys(a)) names.add(k);
  const byLower = new Map<string, string>();
  for (const k of [...names].sort()) {
    const lower = k.toLowerCase();
    if (fitsHeader(k) && !core.includes(lower) && lower !== ATTRIBUTES_JSON && !byLower.has(lower)) byLower.set(lower, k);
  }
  let columns = [...byLower.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
  // Ask the importer how it reads the header row; drop what it would not read as that attribute, until it reads them all.
  for (;;) {
    const read = resolveColumns('export', [...core, ...columns, ATTRIBUTES_JSON], undefined, kind);
    const attributes = new Set(read.attributes.map((c) => c.name));
    const kept = columns.filter((c) => attributes.has(c));
    if (kept.length === columns.length) return columns;
    columns = kept;
  }
}

/**
 * One table (CIs or relationships) as CSV: the core cells of each row, its
 * attribute columns, and `attributes_json` when some row has an attribute
 * that its column cannot carry exactly.
 */
function table(
  core: readonly string[],
  kind: 'cis' | 'relationships',
  rows: Array<{ cells: string[]; attributes: Record<string, string> }>,
  options: ExportOptions,
): string {
  const columns = attributeColumns(
    rows.map((r) => r.attributes),
    core,
    kind,
  );
  const inColumn = new Set(columns);
  let needsJson = false;
  const body = rows.map((r) => {
    const cells = columns.map((k) => {
      const v = Object.hasOwn(r.attributes, k) ? r.attributes[k]! : undefined; // not the prototype's `constructor`
      return v !== undefined && fitsCell(v) ? v : '';
    });
    const rest = Object.entries(r.attributes).filter(([k, v]) => !inColumn.has(k) || !fitsCell(v));
    const json = rest.length > 0 ? JSON.stringify(Object.fromEntries(rest)) : '';
    if (json !== '') needsJson = true;
    return [...r.cells, ...cells, json];
  });
  const header = [...core, ...columns, ATTRIBUTES_JSON];
  const trim = (row: string[]) => (needsJson ? row : row.slice(0, -1));
  return toCsv([trim(header), ...body.map(trim)], { exact: options.exact });
}

/** The whole CMDB as CSV text: a CIs file and a relationships file. */
export function exportCsv(
  db: Db,
  options: ExportOptions = {},
): { cis: string; relationships: string; rows: { cis: number; relationships: number } } {
  const cis = db
    .prepare('SELECT key, name, type, status, environment, owner, criticality, description, attributes FROM cis ORDER BY id')
    .all() as Array<Record<string, string | null> & { attributes: string }>;
  const rels = db
    .prepare(
      `SELECT s.key AS source, t.key AS target, r.type, r.redundancy_group, r.min_up, r.attributes
       FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id ORDER BY r.id`,
    )
    .all() as Array<{
    source: string;
    target: string;
    type: string;
    redundancy_group: string | null;
    min_up: number | null;
    attributes: string;
  }>;
  return {
    cis: table(
      CI_CORE,
      'cis',
      cis.map((c) => ({
        cells: [c.key, c.name, c.type, c.status, c.environment, c.owner, c.criticality, c.description].map((v) => v ?? ''),
        attributes: parseAttributes(c.attributes),
      })),
      options,
    ),
    relationships: table(
      REL_CORE,
      'relationships',
      rels.map((r) => ({
        cells: [r.source, r.target, r.type, r.redundancy_group ?? '', r.min_up === null ? '' : String(r.min_up)],
        attributes: parseAttributes(r.attributes),
      })),
      options,
    ),
    rows: { cis: cis.length, relationships: rels.length },
  };
}
