/**
 * Export of the whole CMDB in the default CSV formats, which import reads
 * back: every attribute under its own column where a column carries it
 * exactly, the rest in the `attributes_json` column.
 *
 * Safe by default: cells that a spreadsheet would run as a formula get a
 * leading apostrophe (shared/csv.ts). `exact` writes every cell as it is, for
 * a file meant only for re-import.
 */
import { createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';
import { FORMULA_START, toCsv } from '../../shared/csv.js';
import { type Db, openDatabase } from './db.js';
import { fileSystemError } from './fs-errors.js';
import { ATTRIBUTES_JSON, CI_CORE, REL_CORE } from './import/default-import.js';
import { resolveColumns } from './import/mapping.js';
import { cell } from './import/row-cells.js';
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

/**
 * Whether a value reads back unchanged from a cell, as the import reads one (row-cells.ts): trimmed, a formula
 * guard taken off, an empty cell (or `<none>`, or a dash alone) meaning "no attribute". Others go to `attributes_json`.
 */
const fitsCell = (v: string) => cell([v], 0) === v;

/**
 * The attribute names that get a column of their own (header = the name):
 * those that fit a header and that the importer, reading the whole header
 * row, takes for an attribute of that name: not a core column, not a
 * synonym it would map onto a field (`source_type`), not `attributes_json`,
 * and of names that differ only in case (headers are case-insensitive) only
 * the first in sort order. The others go to `attributes_json`.
 */
function attributeColumns(names: ReadonlySet<string>, core: readonly string[], kind: 'cis' | 'relationships'): string[] {
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

/** Rows read from SQLite per chunk: large enough to be quick, small enough that other requests run between chunks. */
const PAGE = 2000;

type Part = 'cis' | 'relationships';

interface TableSpec {
  core: readonly string[];
  /** A page of rows' attributes JSON after `id`, for the first pass. */
  attributesSql: string;
  /** One page of rows after `id`, in id order. */
  pageSql: string;
  cells(row: Record<string, unknown>): string[];
}

const TABLES: Record<Part, TableSpec> = {
  cis: {
    core: CI_CORE,
    attributesSql: `SELECT id, attributes FROM cis WHERE id > ? ORDER BY id LIMIT ${PAGE * 10}`,
    pageSql: `SELECT id, key, name, type, status, environment, owner, criticality, description, attributes
              FROM cis WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
    cells: (c) => [c.key, c.name, c.type, c.status, c.environment, c.owner, c.criticality, c.description].map((v) => (v ?? '') as string),
  },
  relationships: {
    core: REL_CORE,
    attributesSql: `SELECT id, attributes FROM relationships WHERE id > ? ORDER BY id LIMIT ${PAGE * 10}`,
    pageSql: `SELECT r.id, s.key AS source, t.key AS target, r.type, r.redundancy_group, r.min_up, r.attributes
              FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id
              WHERE r.id > ? ORDER BY r.id LIMIT ${PAGE}`,
    cells: (r) => [r.source, r.target, r.type, r.redundancy_group ?? '', r.min_up === null ? '' : String(r.min_up)] as string[],
  },
};

/** Lets the event loop run (other requests of a host) between pages. */
const breathe = (): Promise<void> => new Promise((go) => setImmediate(go));

/** The first pass, a page at a time: the attribute columns of a table, and whether some attribute needs `attributes_json`. */
async function layout(db: Db, part: Part, signal?: AbortSignal): Promise<{ columns: string[]; needsJson: boolean }> {
  const names = new Set<string>();
  let unfit = false;
  const page = db.prepare(TABLES[part].attributesSql);
  for (let after = 0; ;) {
    const rows = page.all(after) as Array<{ id: number; attributes: string }>;
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const { attributes } of rows) {
      if (attributes === '{}') continue;
      for (const [k, v] of Object.entries(parseAttributes(attributes))) {
        names.add(k);
        if (!fitsCell(v)) unfit = true;
      }
    }
    await breathe();
    signal?.throwIfAborted();
  }
  const columns = attributeColumns(names, TABLES[part].core, part);
  return { columns, needsJson: unfit || columns.length < names.size };
}

/**
 * One table as CSV, a chunk of rows at a time: the header, then each page's
 * rows (its core cells, its attribute columns, and `attributes_json` when
 * some row has an attribute that its column cannot carry exactly).
 */
async function* tableChunks(
  db: Db,
  part: Part,
  options: ExportOptions,
  count: (n: number) => void,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const spec = TABLES[part];
  const { columns, needsJson } = await layout(db, part, signal);
  const inColumn = new Set(columns);
  const header = [...spec.core, ...columns, ...(needsJson ? [ATTRIBUTES_JSON] : [])];
  yield toCsv([header], { exact: options.exact });
  const page = db.prepare(spec.pageSql);
  let after = 0;
  for (;;) {
    const rows = page.all(after) as Array<Record<string, unknown> & { id: number; attributes: string }>;
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const body = rows.map((r) => {
      const attributes = parseAttributes(r.attributes);
      const cells = columns.map((k) => {
        const v = Object.hasOwn(attributes, k) ? attributes[k]! : undefined; // not the prototype's `constructor`
        return v !== undefined && fitsCell(v) ? v : '';
      });
      if (!needsJson) return [...spec.cells(r), ...cells];
      const rest = Object.entries(attributes).filter(([k, v]) => !inColumn.has(k) || !fitsCell(v));
      return [...spec.cells(r), ...cells, rest.length > 0 ? JSON.stringify(Object.fromEntries(rest)) : ''];
    });
    count(rows.length);
    yield toCsv(body, { exact: options.exact, header: false });
  }
}

/** A chunk of an export: text of the CIs or the relationships file, in order. */
export interface ExportChunk {
  part: Part;
  text: string;
}

/**
 * The whole CMDB as CSV, chunk by chunk: the CIs file, then the
 * relationships file, read from one snapshot (a file CMDB is read on a
 * connection of its own inside one read transaction, so edits made
 * meanwhile neither show nor wait). Between chunks the event loop runs, so
 * a host answers other requests during a large export; `signal` stops it.
 * `rows` counts the data rows written so far.
 */
export async function* exportChunks(
  db: Db,
  options: ExportOptions = {},
  rows = { cis: 0, relationships: 0 },
  signal?: AbortSignal,
): AsyncGenerator<ExportChunk> {
  const snapshot = db.memory ? db : openDatabase(db.name, { readonly: true });
  try {
    if (snapshot !== db) snapshot.exec('BEGIN');
    for (const part of ['cis', 'relationships'] as const) {
      for await (const text of tableChunks(snapshot, part, options, (n) => (rows[part] += n), signal)) {
        yield { part, text };
        await breathe();
        signal?.throwIfAborted();
      }
    }
  } finally {
    if (snapshot !== db) snapshot.close();
  }
}

/** The whole CMDB as CSV text: a CIs file and a relationships file (small CMDBs; large ones stream with exportChunks). */
export async function exportCsv(
  db: Db,
  options: ExportOptions = {},
): Promise<{ cis: string; relationships: string; rows: { cis: number; relationships: number } }> {
  const out = { cis: '', relationships: '' };
  const rows = { cis: 0, relationships: 0 };
  for await (const chunk of exportChunks(db, options, rows)) out[chunk.part] += chunk.text;
  return { ...out, rows };
}

/** The export written to files as it is made (a CIs file, and a relationships file when named); returns the rows written. */
export async function exportCsvFiles(
  db: Db,
  files: { cis: string; relationships?: string | undefined; exact?: boolean | undefined },
  signal?: AbortSignal,
): Promise<{ rows: { cis: number; relationships: number } }> {
  const rows = { cis: 0, relationships: 0 };
  // Opened here, so a path that cannot be written is refused before anything is read, in words.
  const open = (path: string) => {
    try {
      return createWriteStream(path, { fd: openSync(path, 'w') });
    } catch (err) {
      throw fileSystemError(err) ?? err;
    }
  };
  const out = { cis: open(files.cis), relationships: files.relationships ? open(files.relationships) : null };
  const streams = [out.cis, out.relationships].filter((s) => s !== null);
  let failed: unknown = null;
  for (const s of streams) s.on('error', (err) => (failed ??= fileSystemError(err) ?? err));
  try {
    for await (const chunk of exportChunks(db, { exact: files.exact }, rows, signal)) {
      const stream = out[chunk.part];
      if (failed) throw failed;
      if (stream && !stream.write(chunk.text)) {
        await once(stream, 'drain').catch((err: unknown) => {
          throw fileSystemError(err) ?? err;
        });
      }
    }
  } finally {
    await Promise.all(streams.map((s) => new Promise<void>((done) => s.end(() => done()))));
  }
  if (failed) throw failed;
  return { rows };
}
