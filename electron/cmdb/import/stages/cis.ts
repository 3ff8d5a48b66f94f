/**
 * The CI stage: each row of the CIs file, as it streams in, is checked
 * (ci-rows.ts), then created, updated (with field-level history), left
 * unchanged or skipped as the mode says. Into an empty CMDB (a bulk load) no
 * row is looked up first, and once the per-row results are no longer noted
 * the CIs are written CI_BATCH to a statement; created CIs also go to the
 * helper threads (search index, relationship planner). A created CI has no
 * history row: its created_import_id records the create (history.ts shows it).
 */
import type { Statement } from 'better-sqlite3';
import type { Changes } from '../../history.js';
import { ciTypeLabel } from '../../../../shared/ci-types.js';
import { SOURCE_ATTRIBUTE } from '../../../../shared/import-vocab.js';
import { BatchedInsert } from '../bulk/batched-insert.js';
import {
  type CheckedCi,
  type CiField,
  type CiLayout,
  checkCiRow,
  ciLayout,
  duplicateKeyMessage,
  newCiValues,
  OPTIONAL_FIELDS,
  updatedValue,
} from '../ci-rows.js';
import { MAPPING_SAMPLE_ROWS, sampleOf } from '../mapping.js';
import { cell, headerAt } from '../row-cells.js';
import { type CsvItem, type OpenedCsv, peekRows } from '../source.js';
import { type ImportContext, PROGRESS_EVERY } from './context.js';
import { mergeAttributes } from './merge.js';
import { CaseTwins } from './case-twins.js';
import { SheetArtefacts, storedCiNamer } from './sheet-artefacts.js';
import { RekeyedCis } from './rekeyed.js';
import { RelistedCis, type Revived } from './relisted.js';
import { SEARCHED, SearchUpdates } from './search-updates.js';
import { SeenRows } from './seen.js';
import { KeyRenames, retypedRenames } from './renames.js';
import { CiFileKeys } from './foreign-ends.js';
import { ReformattedKeys } from './reformatted-keys.js';
import { SourceSplit } from './source-split.js';
import { type ExistingCi, sameDigest, StoredCis } from './stored-cis.js';
import { UpdateOnlySkips } from './update-only-skips.js';

/** CIs per INSERT statement in a bulk load. */
const CI_BATCH = 64;

/** A bulk load's CI waiting in the batch. */
type PendingCi = { key: string; name: string; type: string; vals: Array<string | null>; attrsJson: string; line: number };

/** Reads and applies the CIs file; afterwards the CI indexes are back if the load dropped them. */
export async function importCis(ctx: ImportContext, csv: OpenedCsv): Promise<void> {
  const { db, counts, rows, rowsLimit, mode, bulk, importId, createdTypes, ciTypes } = ctx;
  const file = csv.file;
  // The first rows confirm the columns that only their values tell (Device42's service_level, mapping.ts).
  const { rows: firstRows, batches } = await peekRows(csv, MAPPING_SAMPLE_ROWS);
  const CL = ciLayout(file, csv.headers, ctx.mapping, csv.headerLine, sampleOf(firstRows), mode === 'update-only');
  ctx.vocabs = CL.vocab.flatMap((c) => [c.norm, ...c.fallbacks.map((f) => f.norm)]);
  const idx = CL.idx;
  ctx.typeColumns.cis = headerAt(CL, idx.type);
  const keyColumn = CL.keyColumn;
  const knownTypes = new Set(db.prepare('SELECT name FROM ci_types').pluck().all() as string[]);
  const addType = db.prepare('INSERT OR IGNORE INTO ci_types(name, label, flagged) VALUES (?, ?, 1)');
  const retiredAttributes = CL.retired.map((h) => h.toLowerCase());
  const { digestFields, unchanged } = digestMatch(CL);
  // Rows whose numbered key names a stored CI they would rename: most of them, a key collision, refuse the import (renames.ts).
  const renames = new KeyRenames(ctx, file, keyColumn ?? 'id', idx.name === undefined ? null : CL.headers[idx.name]!);
  // Rows whose numbered key a spreadsheet formatted (1,001 for the stored 1001): refused (reformatted-keys.ts).
  const reformatted = bulk ? null : new ReformattedKeys(db, file, keyColumn ?? 'id');
  // A sync under a new source by default (a dated file name) that re-exports an earlier source is refused in the loop.
  const split = SourceSplit.of(ctx, file, renames);
  // Whether the file is keyed by numbers, for the check of its relationships file's ends (foreign-ends.ts).
  const fileKeys = bulk ? null : new CiFileKeys(file, keyColumn ?? 'id');
  ctx.ciFileKeys = fileKeys;
  const stored = bulk ? null : new StoredCis(db, digestFields, split !== null);
  const searchUpdates = new SearchUpdates(db);
  const { insertNewCi, ciBatch, createdOn, createdLine } = ciWriter(ctx, file, CL, searchUpdates);
  const updateCi = ciUpdater(ctx, searchUpdates);
  const seen = ctx.seenCis;
  const renamedAndRetyped = retypedRenames(file, ctx.dryRun);
  const rekeyed = bulk ? null : new RekeyedCis(db);
  // A file without a key column is keyed by type and name: its note on keys of another case speaks of names.
  const caseTwins = new CaseTwins(db, !bulk, idx.id === undefined);
  const artefacts = new SheetArtefacts();
  const skips = mode === 'update-only' ? new UpdateOnlySkips(db, !bulk) : null;
  // A CI a sync retired, listed again by a file without a status column (or, under "emptyCells": "keep", with
  // its status cell empty): its status before that retirement.
  const relisted = bulk || (idx.status !== undefined && !CL.keepEmpty) ? null : new RelistedCis(db, ctx.source);
  const applyUpdate = storedUpdater(ctx, { file, CL, retiredAttributes, updateCi, renamedAndRetyped, renames, relisted });
  const { reject, rejectRow } = ciRejections(ctx, file, CL, ciBatch);
  // The attribute that keeps BMC's MarkAsDeleted column: a CI a sync retires as marked deleted takes the row's cell.
  const markAttribute = CL.attrCols.find((a) => a.index === CL.markedDeleted)?.name ?? null;
  let n = 0;
  for await (const batch of batches)
    for (const item of batch) {
      ctx.rowsDone++;
      if (++n % PROGRESS_EVERY === 0) {
        ctx.checkCancel();
        ctx.progress('applying', csv);
      }
      const line = item.line;
      // An empty row between this row and rows above it (not above the first row: that is the header's).
      const c = checkCiRow(item, CL, ciTypes.of, item.afterBlank === true && n > 1);
      if ('markedDeleted' in c) {
        ctx.cisMarkedDeleted.add(file, c.key, c.name, { attribute: markAttribute, value: c.mark });
        continue;
      }
      if (!('key' in c)) {
        rejectRow(item, c);
        continue;
      }
      const { key, rawType, attrs, cleared } = c;
      fileKeys?.add(key);
      caseTwins.add(key, line, c.name);
      artefacts.check(c.name, line, c.note);
      const v = c.values;
      // Null only in an update-only file of keys (ciLayout), whose rows never create a CI: read below as the stored CI's.
      const type = c.type!;
      const name = c.name!;
      if (c.type !== null && !knownTypes.has(type)) {
        if (addType.run(type, ciTypeLabel(type)).changes > 0) createdTypes.push(type);
        knownTypes.add(type);
      }

      if (bulk) {
        // Nothing existed before this import: a key already present was created by an earlier row of this file.
        if (mode === 'update-only') {
          counts.skipped++;
          ctx.noteRow({ file, line, key, action: 'skip', changes: null });
          ctx.noteCiLeftOut([key, c.name], { file, line, why: 'skipped' });
          skips!.add(key, line);
          continue;
        }
        if (ciBatch && rows.length >= rowsLimit) {
          const vals = newCiValues(v, CL);
          const attrsJson = JSON.stringify(attrs);
          counts.created++; // taken back if the batch finds the key already written
          searchUpdates.beforeCreate();
          ciBatch.params.push(key, type, name, vals[0], vals[1], vals[2], vals[3], vals[4], attrsJson);
          ciBatch.add({ key, name, type, vals, attrsJson, line });
          continue;
        }
        ciBatch?.flush();
        const r = insertNewCi(key, type, name, v, attrs, line);
        if (r.changes === 0) {
          reject(line, keyColumn, duplicateKeyMessage(key, createdLine(key), ctx.ciLinesRejected !== null), true);
          continue;
        }
        counts.created++;
        if (rows.length < rowsLimit)
          ctx.noteRow({ file, line, key, action: 'create', changes: createdChanges(type, name, newCiValues(v, CL), attrs) });
        continue;
      }

      const found = stored!.get(key);
      if (found) {
        if (found.import_id === importId) {
          // Created by an earlier row of this file, or updated by one (which marked it seen).
          reject(
            line,
            keyColumn,
            duplicateKeyMessage(key, createdOn.lineOf(found.id) || seen.lineOf(found.id), ctx.ciLinesRejected !== null),
            true,
          );
          continue;
        }
        const prev = seen.mark(found.id, line);
        if (prev !== 0) {
          reject(line, keyColumn, duplicateKeyMessage(key, prev), true);
          continue;
        }
        split?.list(found.source, key);
        if (mode === 'create-only') {
          counts.skipped++;
          ctx.noteRow({ file, line, key, action: 'skip', changes: null });
          continue;
        }
        const revivedTo = idx.status === undefined || cell(v, idx.status) === null ? relisted?.statusBefore(found.id) : undefined;
        // The commonest row of a re-import changes nothing: its digest is the stored one, and nothing more is read.
        if (revivedTo === undefined && unchanged(found.digest, rawType !== null ? type : null, c.name, v, attrs, cleared)) {
          counts.unchanged++;
          renames.unchanged(key, found.source);
          ctx.noteRow({ file, line, key, action: 'unchanged', changes: null });
          continue;
        }
        const existing = stored!.full(found.id);
        const changes = applyUpdate(existing, c, line, revivedTo);
        if (changes === null) {
          counts.unchanged++;
          renames.unchanged(key, existing.source);
          ctx.noteRow({ file, line, key, action: 'unchanged', changes: null });
          continue;
        }
        counts.updated++;
        if (changes.source) split?.took(found.source, key);
        ctx.noteRow({ file, line, key, action: 'update', changes });
        continue;
      }
      reformatted?.unmatched(line, key);
      if (mode === 'update-only') {
        counts.skipped++;
        ctx.noteRow({ file, line, key, action: 'skip', changes: null });
        ctx.noteCiLeftOut([key, c.name], { file, line, why: 'skipped' });
        skips!.add(key, line);
        continue;
      }
      insertNewCi(key, type, name, v, attrs, line);
      // No history row for a create: the row's created_import_id records it (history.ts shows the entry).
      counts.created++;
      split?.list(null, key);
      if (rows.length < rowsLimit)
        ctx.noteRow({ file, line, key, action: 'create', changes: createdChanges(type, name, newCiValues(v, CL), attrs) });
    }
  const shared = split?.end();
  if (shared) ctx.warnings.push(shared);
  const reformattedNote = reformatted?.end(ctx.dryRun);
  if (reformattedNote) ctx.warnings.push(reformattedNote);
  const renamed = renames.end();
  if (renamed) ctx.warnings.push(renamed);
  ctx.bytesBefore += csv.bytesRead();
  ctx.warnings.push(...renamedAndRetyped.warnings(), ...artefacts.warnings(file, importId, ctx.dryRun));
  if (ctx.cisMarkedDeleted.any) ctx.warnings.push(ctx.cisMarkedDeleted.ciNote(mode));
  ciBatch?.flush();
  if (relisted) ctx.warnings.push(...relisted.warnings(ctx.dryRun));
  if (rekeyed) ctx.warnings.push(...rekeyedNotes(ctx, CL, rekeyed));
  ctx.warnings.push(
    ...caseTwins.warnings({
      file,
      importId,
      dryRun: ctx.dryRun,
      storedSaid: rekeyed?.caseChanged ?? false,
      lineOf: (id) => createdOn.lineOf(id) || seen.lineOf(id),
    }),
  );
  if (skips) ctx.warnings.push(...skips.warnings(file, ctx.dryRun));
  searchUpdates.finish();
  cisWritten(ctx, csv, stored);
}

/**
 * How a row is compared with a stored CI (stored-cis.ts): by the fields the file has (type and name unless it
 * gives neither, an update-only file of keys: ciLayout; the optional fields with a column) and the attributes.
 * `unchanged` says whether a row's values match a stored CI's digest.
 */
function digestMatch(CL: CiLayout) {
  const { idx } = CL;
  const present = OPTIONAL_FIELDS.filter((f) => idx[f] !== undefined);
  const withType = idx.type !== undefined || Boolean(CL.defaults.type);
  const withName = idx.name !== undefined;
  const digestFields: CiField[] = [...(withType ? (['type'] as const) : []), ...(withName ? (['name'] as const) : []), ...present];
  // A field's value, or undefined where an empty cell keeps the stored one ("emptyCells": "keep"): any stored value matches.
  const fieldValues = new Array<string | null | undefined>(digestFields.length);
  const unchanged = (
    digest: string,
    type: string | null,
    name: string | null,
    v: string[],
    attrs: Record<string, string>,
    cleared: string[],
  ): boolean => {
    if ((withType && type === null) || cleared.some((k) => Object.hasOwn(attrs, k))) return false;
    let i = 0;
    if (withType) fieldValues[i++] = type;
    if (withName) fieldValues[i++] = name;
    for (const f of present) fieldValues[i++] = updatedValue(v, CL, f);
    return sameDigest(digest, fieldValues, JSON.stringify(attrs));
  };
  return { digestFields, unchanged };
}

/**
 * A CI row's rejection: its error (after the batch's, so errors come in line order), counted. `listed`: the
 * row leaves no CI of the file unlisted (it repeats an earlier row's key, or is a totals row or a note that
 * names no CI the CMDB has), so a sync still retires (ImportContext.rejectedNoneMissing).
 */
function ciRejections(ctx: ImportContext, file: string, CL: CiLayout, ciBatch: { flush(): void } | null) {
  const reject = (line: number, column: string | null, message: string, listed: boolean) => {
    ciBatch?.flush();
    ctx.rowError(file, line, column, message);
    ctx.counts.rejected++;
    if (listed) ctx.rejectedNoneMissing.cis++;
  };
  const namesStoredCi = storedCiNamer(ctx.db);
  /** A row the checks refused (ci-rows.ts checkCiRow), noted as left out. */
  const rejectRow = (item: CsvItem, problem: { column: string | null; message: string; artefact?: true }) => {
    const raw = Array.isArray(item.values) ? (item.values as string[]) : [];
    reject(item.line, problem.column, problem.message, problem.artefact === true && !namesStoredCi(raw));
    ctx.noteCiLeftOut([cell(raw, CL.idx.id), cell(raw, CL.idx.name)], { file, line: item.line, why: 'rejected' });
  };
  return { reject, rejectRow };
}

/** The notes on CIs created under other keys than the source's (rekeyed.ts); by name too, for a file keyed by type and name. */
function rekeyedNotes(ctx: ImportContext, CL: CiLayout, rekeyed: RekeyedCis): string[] {
  const { counts, dryRun } = ctx;
  const file = CL.file;
  const out = rekeyed.warnings(file, ctx.source, counts.created + counts.updated + counts.unchanged, ctx.seenCis, dryRun);
  // Keyed by type and name: a name column of the CMDB's keys makes second CIs.
  if (CL.idx.id === undefined) out.push(...rekeyed.namedAsKeys(file, CL.idx.name === undefined ? null : CL.headers[CL.idx.name]!, dryRun));
  return out;
}

/** After the last CI row: the planner and the search index's worker told, and the CI indexes a bulk load dropped built again. */
function cisWritten(ctx: ImportContext, csv: OpenedCsv, stored: StoredCis | null): void {
  const { trace, search, dropped } = ctx;
  trace(
    `CIs read and written (${ctx.rowsDone} rows)${search ? `, ${Math.round(search.waitedMs)} ms of it waiting for the search index` : ''}${
      stored ? `, ${stored.lookups} looked up by key` : ''
    }`,
  );
  ctx.plan?.cisDone(() => ctx.cisMarkedDeleted.keyList());
  search?.end();
  if (dropped) {
    // The relationships pass looks CIs up by name: their indexes come back now.
    ctx.progress('validating', csv);
    for (const sql of dropped.cisIndexes) ctx.db.exec(sql);
    dropped.cisIndexes = [];
    trace('CI indexes built');
  }
  ctx.checkCancel();
}

/**
 * Compares a row with the stored CI it names and writes what differs (the fields the file has columns for,
 * the attributes, the source), with its history row; null when nothing differs. `revivedTo`: the status a
 * CI a sync retired gets back when the file lists it again, with its status text from the source.
 */
function storedUpdater(
  ctx: ImportContext,
  o: {
    file: string;
    CL: CiLayout;
    retiredAttributes: string[];
    updateCi: ReturnType<typeof ciUpdater>;
    renamedAndRetyped: ReturnType<typeof retypedRenames>;
    renames: KeyRenames;
    relisted: RelistedCis | null;
  },
) {
  const { history, now, importId, actor } = ctx;
  const { CL, retiredAttributes, updateCi, renamedAndRetyped, renames, relisted } = o;
  const optIdx = OPTIONAL_FIELDS.map((f) => CL.idx[f]);
  return (existing: ExistingCi, c: CheckedCi, line: number, revivedTo: Revived | undefined): Changes | null => {
    const { key, rawType, cleared } = c;
    let attrs = c.attrs;
    const v = c.values;
    const after: Record<CiField, string | null> = {
      type: rawType !== null ? c.type : existing.type,
      name: c.name ?? existing.name,
      status: existing.status,
      environment: existing.environment,
      owner: existing.owner,
      criticality: existing.criticality,
      description: existing.description,
    };
    // A field with a column: its cell, or (an empty cell) the mapping's default, as for a new CI; under
    // "emptyCells": "keep", an empty cell keeps the stored value.
    OPTIONAL_FIELDS.forEach((f, k) => {
      if (optIdx[k] === undefined) return;
      const value = updatedValue(v, CL, f);
      if (value !== undefined) after[f] = value;
    });
    if (revivedTo !== undefined) {
      after.status = revivedTo.status;
      relisted!.note(`${after.name} (${key})`, revivedTo.status);
      // The status text the retirement removed comes back with the status (the file says no status for it).
      const text = SOURCE_ATTRIBUTE.status;
      if (revivedTo.text !== null && !Object.hasOwn(attrs, text)) attrs = { ...attrs, [text]: revivedTo.text };
    }
    const changes: Changes = {};
    for (const f of ['type', 'name', ...OPTIONAL_FIELDS] as const) {
      if (after[f] !== existing[f]) changes[f] = { from: existing[f], to: after[f] };
    }
    if (changes.name && c.type !== null && c.type !== existing.type) renamedAndRetyped.note(line, key, existing, c.name!, c.type);
    // A custom column now read as a field retires the attribute of its name (unless the row gives that attribute itself).
    const mergedJson = mergeAttributes(existing.attributes, attrs, cleared, changes, retiredAttributes);
    if (Object.keys(changes).length === 0) return null;
    // An update takes the CI into this import's source (a sync of that source may retire it): history keeps the
    // source it had, for undo. Not an update-only import's: it enriches CIs another export lists (owners from a
    // team sheet), and that export's weekly sync must still retire one it no longer lists.
    if (existing.source !== ctx.source && ctx.mode !== 'update-only') {
      changes.source = { from: existing.source, to: ctx.source };
      ctx.cisTakenIntoSource++;
    }
    renames.updated(line, key, existing, c.name);
    updateCi(existing, after, mergedJson, changes);
    history.run(
      now,
      'ci',
      existing.id,
      key,
      null,
      'update',
      `Changed ${Object.keys(changes).join(', ')}`,
      JSON.stringify(changes),
      actor,
      importId,
      existing.import_id ?? 0,
    );
    return changes;
  };
}

/**
 * How this import writes a new CI: insertNewCi one at a time (the row's result wanted), or, in a bulk load,
 * ciBatch CI_BATCH to a statement. A bulk load's created CI goes to the helper threads too.
 */
function ciWriter(ctx: ImportContext, file: string, CL: CiLayout, searchUpdates: SearchUpdates) {
  const { db, counts, bulk, search, plan, source, now, importId } = ctx;
  const keyColumn = CL.keyColumn;
  const insertCi = db.prepare(
    `INSERT INTO cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id, created_import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
  );
  /** A bulk load's created CI goes to the helper threads too. The search index's columns: key, name, type, owner, description, attributes. */
  const created = (id: number, key: string, name: string, type: string, vals: Array<string | null>, attrsJson: string) => {
    search?.add(id, key, name, type, vals[2]!, vals[4]!, attrsJson);
    plan?.addKey(key, id);
  };
  /**
   * The line of the row that created each CI this import created, by id: a later row with its key is
   * told which line has it. 4 bytes a CI (SeenRows), kept where the per-row work already has the id.
   */
  const createdOn = new SeenRows();
  const ciIdOf = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
  /** The line of the row that created the CI of `key` (0 if not this import). */
  const createdLine = (key: string): number => {
    const id = ciIdOf.get(key) as number | undefined;
    return id === undefined ? 0 : createdOn.lineOf(id);
  };
  /** A CI this import creates; created_import_id records the create (no history row). */
  const insertNewCi = (key: string, type: string, name: string, v: string[], attrs: Record<string, string>, line: number) => {
    const vals = newCiValues(v, CL);
    const attrsJson = JSON.stringify(attrs);
    searchUpdates.beforeCreate();
    const r = insertCi.run(key, type, name, vals[0], vals[1], vals[2], vals[3], vals[4], attrsJson, source, now, now, importId, importId);
    if (r.changes > 0) {
      createdOn.mark(Number(r.lastInsertRowid), line);
      if (bulk) created(Number(r.lastInsertRowid), key, name, type, vals, attrsJson);
      else plan?.addKey(key, Number(r.lastInsertRowid)); // a re-import's planner knows the stored keys, not the new ones
    }
    return r;
  };
  // A bulk load writes its CIs CI_BATCH to a statement once the per-row results are no longer wanted.
  const ciBatch = bulk
    ? new BatchedInsert<PendingCi>({
        db,
        into: 'cis(key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id, created_import_id)',
        row: '(?, ?, ?, ?, ?, ?, ?, ?, ?, @source, @now, @now, @importId, @importId)',
        unique: 'key',
        perRow: 9,
        width: CI_BATCH,
        shared: { source, now, importId },
        table: 'cis',
        idOf: (p) => ciIdOf.get(p.key) as number | undefined,
        identity: (p) => p.key,
        written: (p, id) => {
          createdOn.mark(id, p.line);
          created(id, p.key, p.name, p.type, p.vals, p.attrsJson);
        },
        duplicate: (p) => {
          ctx.rowError(file, p.line, keyColumn, duplicateKeyMessage(p.key, createdLine(p.key)));
          counts.rejected++;
          ctx.rejectedNoneMissing.cis++;
          counts.created--;
        },
      })
    : null;
  return { insertNewCi, ciBatch, createdOn, createdLine };
}

/**
 * Updates a stored CI: only the columns that changed (and the source, when it did), with the import's
 * time and id. Setting an unchanged column would still rewrite its index entries and, for the searched
 * columns, the CI's search-index entry.
 */
function ciUpdater(ctx: ImportContext, search: SearchUpdates) {
  const { db, source, now, importId } = ctx;
  const statements = new Map<string, Statement>();
  return (existing: ExistingCi, after: Record<CiField, string | null>, mergedJson: string, changes: Changes) => {
    if (SEARCHED.some((c) => c in changes)) search.before(existing.id);
    const cols = (['type', 'name', ...OPTIONAL_FIELDS] as const).filter((f) => f in changes);
    const values: Array<string | number | null> = cols.map((f) => after[f]);
    const set: string[] = [...cols];
    if ('attributes' in changes) {
      set.push('attributes');
      values.push(mergedJson);
    }
    if ('source' in changes) {
      set.push('source');
      values.push(source);
    }
    const sig = set.join(',');
    let st = statements.get(sig);
    if (!st) {
      st = db.prepare(`UPDATE cis SET ${set.map((c) => `${c} = ?, `).join('')}updated_at = ?, import_id = ? WHERE id = ?`);
      statements.set(sig, st);
    }
    st.run(...values, now, importId, existing.id);
  };
}

/** A created CI's changes, for its row result. */
function createdChanges(type: string, name: string, vals: Array<string | null>, attrs: Record<string, string>): Changes {
  const c: Changes = { type: { from: null, to: type }, name: { from: null, to: name } };
  OPTIONAL_FIELDS.forEach((f, k) => {
    if (vals[k] !== null && vals[k] !== undefined) c[f] = { from: null, to: vals[k] };
  });
  if (Object.keys(attrs).length > 0) c.attributes = { from: null, to: attrs };
  return c;
}
