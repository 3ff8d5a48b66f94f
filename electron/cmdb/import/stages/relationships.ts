/**
 * The relationship stage: each row of the relationships file is checked
 * (rel-rows.ts), its endpoints found (by key, or by name), its redundancy
 * group checked against the file's other rows, then created, updated (with
 * field-level history), left unchanged or skipped as the mode says. In a
 * bulk load with a planner (bulk/rel-planner.ts) the rows come planned from
 * the other thread and are only written here, REL_BATCH to a statement, in
 * the order of the relationships' unique index (bulk/sorted-rels.ts); in a
 * big re-import they come planned too, and are compared here with the stored
 * relationships (read once, stored-rels.ts).
 */
import type { Changes } from '../../history.js';
import { parseAttributes } from '../../rows.js';
import { unknownRelType } from '../../types-registry.js';
import { BatchedInsert } from '../bulk/batched-insert.js';
import { SortedRels } from '../bulk/sorted-rels.js';
import { KeyIndex } from '../bulk/key-index.js';
import { Unpacker } from '../bulk/packed.js';
import { MergedKeys } from '../../health/merged-keys.js';
import {
  checkGroup,
  checkRelRow,
  groupTable,
  MARKED_DELETED,
  NO_TARGET,
  type RelLayout,
  relLayout,
  selfMessage,
  noCiMessage,
  severalCisMessage,
  unknownKeyMessage,
} from '../rel-rows.js';
import { cell, headerAt } from '../row-cells.js';
import type { CsvItem, OpenedCsv } from '../source.js';
import { Cancelled, type ImportContext, PROGRESS_EVERY } from './context.js';
import { mergeAttributes } from './merge.js';
import { readsAllKeys, readsAllStored, StoredRels } from './stored-rels.js';
import { storedCiNamer } from './sheet-artefacts.js';
import { WrittenLines } from './written-lines.js';
import { ForeignEnds } from './foreign-ends.js';
import { markedRowsNote } from './marked-deleted.js';
import { ADVICE } from '../advice.js';
import { ciLabel } from '../../../../shared/ci-label.js';

/** Relationships per INSERT statement in a bulk load. */
const REL_BATCH = 256;

interface ExistingRel {
  id: number;
  redundancy_group: string | null;
  min_up: number | null;
  attributes: string;
  import_id: number | null;
}

/** A CI at one end of a relationship; its key when the row named it by key (else read when wanted). */
type End = { id: number; key?: string };
/** An endpoint's CI; or none, with why; or a CI its CIs file marks deleted (marked-deleted.ts): no relationship, no error. */
type Endpoint = { id: number; key: string } | { error: string } | typeof DELETED_END;
const DELETED_END = Object.freeze({ deleted: true as const });
/** A row naming a CI its CIs file marks deleted (marked-deleted.ts): no relationship, and no error. */
const NAMES_DELETED = Object.freeze({ namesDeleted: true as const });
/** A row without attributes. */
const NO_ATTRS: { attrs: Record<string, string>; cleared: string[] } = { attrs: {}, cleared: [] };

/** Reads (or takes from the planner) and applies the relationships file. */
export async function importRelationships(ctx: ImportContext, csv: OpenedCsv): Promise<void> {
  const { trace } = ctx;
  const plan = ctx.plan;
  const L = relLayout(csv.file, csv.headers, ctx.mapping, csv.headerLine, ctx.ciLinesRejected === null);
  ctx.typeColumns.relationships = headerAt(L, L.idx.type);
  ctx.relGroupColumns = {
    group: headerAt(L, L.idx.redundancy_group),
    minUp: headerAt(L, L.idx.min_up),
    headerLine: csv.headerLine,
  };
  const w = relWriter(ctx, csv.file, L);
  const { reject, dependentOf, createRel, held, groups } = w;
  // Rows linking two CIs outside this import by numbers, where its CIs file is keyed by names: refused (foreign-ends.ts).
  const foreign = new ForeignEnds(ctx, csv.file, [headerAt(L, L.idx.source) ?? 'source', headerAt(L, L.idx.target) ?? 'target'], w.keyOf);
  const { apply, unchangedPlain } = relApplier(ctx, csv.file, L, w);
  ctx.cisDone = true;
  /** A row of a file that is the CIs file too, whose CI row was rejected: rejected as well (ImportContext.ciLinesRejected). */
  const ciRejected = (line: number): boolean => {
    if (!ctx.ciLinesRejected?.has(line)) return false;
    reject(
      line,
      null,
      `its CI (line ${line} of this file, rejected above) was not imported, so neither is the relationship this row gives it.`,
    );
    return true;
  };

  let n = 0;
  const counted = () => {
    ctx.rowsDone++;
    if (++n % PROGRESS_EVERY === 0) {
      ctx.checkCancel();
      ctx.progress('applying', csv, relsBytes);
    }
  };
  // A bulk load's relationships are planned on the other core (rel-planner-worker.ts: the same checks,
  // endpoints by key, redundancy groups); here they are only written. A row the planner cannot finish
  // (an endpoint to find by name) hands the rest of the file back to this thread, from that line.
  let resumeAt = 0;
  let relsBytes: number | null = null;
  /** Rows without a target under "emptyTarget": "skip" (the planner hands the file back at the first). */
  let noTarget = 0;
  let markedDeleted = 0;
  let namesDeleted = 0;
  /** The stored relationships, once read (null: not readable so, see StoredRels.read). */
  let stored: StoredRels | null | undefined;
  if (plan) {
    plan.cisDone(() => ctx.cisMarkedDeleted.keyList()); // an import without a CIs file creates none
    // A re-import's planner hands over rows to compare with the stored relationships, which it read first (on
    // its core, while this one did the CIs); read here if it failed before, or when there were no CIs (this
    // core reads them while that one reads the file).
    if (plan.readsStored) ctx.storedRels = stored = (plan.readsStoredRels ? await plan.storedRels() : null) ?? StoredRels.read(ctx.db);
    let taken = 0;
    // An earlier import's CIs the CIs file marks deleted: the planner finds them by key (it is not told).
    const deletedIds = ctx.cisMarkedDeleted.any ? ctx.cisMarkedDeleted.storedIds(ctx.db, ctx.importId, ctx.seenCis) : null;
    try {
      const typeNames: string[] = [];
      for await (const m of plan.results()) {
        if (m.type === 'rows') {
          taken += m.lines.length;
          relsBytes = m.bytesRead;
          typeNames.push(...m.newTypes);
          const groupsOf = m.groups ? new Unpacker(m.groups) : null;
          const attrsOf = m.attrs ? new Unpacker(m.attrs) : null;
          let e = 0;
          for (let i = 0; i < m.lines.length; i++) {
            counted();
            const line = m.lines[i]!;
            const group = groupsOf?.next() ?? null;
            const attrsJson = attrsOf?.next() ?? '{}';
            if (e < m.problems.length && m.problems[e]![0] === i) {
              const [, column, message, whole] = m.problems[e++]!;
              reject(line, column, message, whole);
              continue;
            }
            if (ciRejected(line)) continue;
            if (deletedIds?.size && (deletedIds.has(m.ends[2 * i]!) || deletedIds.has(m.ends[2 * i + 1]!))) {
              namesDeleted++;
              continue;
            }
            const type = typeNames[m.typeIdx[i]!]!;
            dependentOf(type);
            const minUp = m.minUps[i]!;
            // A re-import's row (no attribute columns: the planner hands those files back) is compared with the stored one.
            if (stored !== undefined) {
              const src = m.ends[2 * i]!;
              const tgt = m.ends[2 * i + 1]!;
              foreign.row(line, { id: src }, { id: tgt });
              const plainId = group === null && minUp === 0 ? (stored?.plainId(src, tgt, type) ?? null) : null;
              if (plainId !== null && unchangedPlain(line, plainId)) continue;
              apply(line, { id: src }, { id: tgt }, type, group, minUp === 0 ? null : minUp, NO_ATTRS, plainId);
            } else createRel(line, m.ends[2 * i]!, m.ends[2 * i + 1]!, type, group, minUp === 0 ? null : minUp, attrsJson);
          }
          plan.consumed(m.lines.length);
        } else if (m.type === 'handover') {
          ctx.relTypes.add(m.typeCounts);
          groups.load(m.groups);
          namesDeleted += m.namesDeleted;
          resumeAt = m.line;
          relsBytes = null;
          trace(`relationships planned up to line ${m.line}; the rest is read here`);
          break;
        } else {
          resumeAt = Number.POSITIVE_INFINITY;
          ctx.relTypes.add(m.typeCounts);
          namesDeleted += m.namesDeleted;
          ctx.relsDigest = m.digest;
          ctx.relsUnnamedSeen = m.unnamedWithData;
          relsBytes = m.bytesRead;
          break;
        }
      }
    } catch (err) {
      // A planner that fails before handing over a row costs nothing but time: this thread reads the file.
      if (taken > 0 || err instanceof Cancelled) throw err;
      trace(`the relationship planner failed (${err instanceof Error ? err.message : String(err)}); relationships read here`);
      resumeAt = 0;
      relsBytes = null;
    }
  }
  if (resumeAt !== Number.POSITIVE_INFINITY) {
    // Made only now: for a re-import it reads the stored relationships, unless the planned rows had them read.
    const applyRow = rowApplier(ctx, L, w, apply, csv.bytesTotal, stored, foreign);
    /** The file's first data row: a row set off by an empty row below it is after data (a note under the table). */
    let firstLine = 0;
    for await (const batch of csv.batches)
      for (const item of batch) {
        if (firstLine === 0) firstLine = item.line;
        if (item.line < resumeAt) continue;
        counted();
        if (ciRejected(item.line)) continue;
        const r = applyRow(item, item.afterBlank === true && item.line > firstLine);
        if (r === NO_TARGET) noTarget++;
        else if (r === MARKED_DELETED) markedDeleted++;
        else if (r === NAMES_DELETED) namesDeleted++;
      }
  }
  if (markedDeleted > 0) ctx.warnings.push(markedRowsNote(csv.file, markedDeleted, 'relationship', ctx.mode));
  if (namesDeleted > 0) ctx.warnings.push(ctx.cisMarkedDeleted.relNote(csv.file, namesDeleted, ctx.mode));
  if (w.conflicts.rows > 0) ctx.warnings.push(groupConflictNote(csv.file, w.conflicts.rows, ctx.dryRun));
  if (noTarget > 0) {
    const column = headerAt(L, L.idx.target);
    ctx.warnings.push(
      `${csv.file}: ${noTarget} row${noTarget === 1 ? ' has' : 's have'} no ${column} and make${noTarget === 1 ? 's' : ''} no relationship ${ADVICE.emptyTargetSkipped.cli}.`,
    );
  }
  held?.flush();
  foreign.end();
  ctx.bytesBefore += relsBytes ?? csv.bytesRead();
  ctx.checkCancel();
}

/**
 * How this import writes relationships: reject a row, the dependent end of a type (adding a type the
 * registry lacks), createRel (batched in a bulk load once per-row results are no longer noted), and the
 * file's redundancy groups.
 */
/** Rows at odds with an earlier row of their redundancy group refuse the import, as a sync would leave the group half-updated. */
function groupConflictNote(file: string, n: number, dryRun: boolean): string {
  const rows = n === 1 ? 'a row is' : `${n} rows are`;
  return `${file}: ${rows} at odds with an earlier row of ${n === 1 ? 'its' : 'their'} redundancy group (see the row errors): the import ${dryRun ? 'would be' : 'is'} refused as a whole, ${ADVICE.evenSkipping.cli}, as skipping ${n === 1 ? 'it' : 'them'} would leave the group half-updated.`;
}

function relWriter(ctx: ImportContext, file: string, L: RelLayout) {
  const { db, counts, rows, rowsLimit, bulk, now, importId, createdRelTypes } = ctx;
  const idx = L.idx;
  const header = (i: number | undefined) => headerAt(L, i);
  const relTypes = new Map(
    (db.prepare('SELECT name, dependent FROM rel_types').all() as Array<{ name: string; dependent: 'source' | 'target' }>).map((t) => [
      t.name,
      t.dependent,
    ]),
  );
  const addRelType = db.prepare(
    'INSERT OR IGNORE INTO rel_types(name, label, reverse_label, dependent, strength, flagged) VALUES (?, ?, ?, ?, ?, 1)',
  );
  const keyById = db.prepare('SELECT key FROM cis WHERE id = ?').pluck();
  const keyOf = (id: number) => keyById.get(id) as string;
  const insertRel = db.prepare(
    `INSERT INTO relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id, created_import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, target_id, type) DO NOTHING`,
  );
  const labelById = db.prepare('SELECT key, name FROM cis WHERE id = ?');
  /**
   * A row repeating an earlier row's relationship (line `earlier`, or 0 when not known), named by its CIs' names
   * and keys (a ServiceNow export's keys are sys_ids nobody reads), with what to do. Counted apart from the other
   * rejections: the file lists the relationship all the same (ImportContext.rejectedNoneMissing).
   */
  const rejectDuplicate = (line: number, src: number, type: string, tgt: number, earlier = 0) => {
    const label = (id: number) => ciLabel(labelById.get(id) as { key: string; name: string });
    if (earlier === 0) {
      const id = relIdOf.get(src, tgt, type) as number | undefined;
      if (id !== undefined) earlier = written.get(id);
    }
    const where = earlier > 0 ? `line ${earlier}` : 'an earlier row';
    reject(
      line,
      header(idx.target),
      `duplicate relationship ${label(src)} ${type} ${label(tgt)}: ${where} of this file lists the same source, target and type. ${ctx.skipBadRows ? 'The earlier row is imported; delete this one from the file' : `Delete this row, or ${ADVICE.skipBadRows.cli} (the earlier row is imported)`}.`,
    );
    ctx.rejectedNoneMissing.relationships++;
  };
  // A bulk load writes its relationships REL_BATCH to a statement once the per-row results are no longer wanted,
  // in the order of their unique index (bulk/sorted-rels.ts). Each row: source id, target id, type, group, min_up,
  // attributes (null for none: most rows have none, and a null binds for less than a string). The row's line is
  // all that is kept besides.
  const relIdOf = db.prepare('SELECT id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?').pluck();
  const written = new WrittenLines();
  const relBatch = bulk
    ? new BatchedInsert<number>({
        db,
        into: 'relationships(source_id, target_id, type, redundancy_group, min_up, attributes, created_at, updated_at, import_id, created_import_id)',
        row: "(?, ?, ?, ?, ?, coalesce(?, '{}'), @now, @now, @importId, @importId)",
        unique: 'source_id, target_id, type',
        perRow: 6,
        width: REL_BATCH,
        shared: { now, importId },
        table: 'relationships',
        idOf: (_line, r) => relIdOf.get(r[0], r[1], r[2]) as number | undefined,
        identity: (_line, r) => `${r[0] as number} ${r[1] as number} ${r[2] as string}`,
        duplicate: (line, r) => held!.duplicate(line, r),
        written: (line, id) => written.set(id, line),
      })
    : null;
  const held = relBatch
    ? new SortedRels(relBatch, (line, src, type, tgt) => {
        rejectDuplicate(line, src, type, tgt);
        counts.relationshipsCreated--;
      })
    : null;
  // Redundancy groups seen in this file, per dependent CI: in a temporary table, not in memory (a big
  // estate has close to a million of them).
  const groups = groupTable(db, 'temp', 'import_groups');

  /** Rows at odds with their redundancy group's earlier rows (RowProblem.whole): each refuses the import. */
  const conflicts = { rows: 0 };
  const reject = (line: number, column: string | null, message: string, whole = false) => {
    held?.flush(); // so errors come in line order
    if (whole) conflicts.rows++;
    ctx.rowError(file, line, column, message, whole);
    counts.relationshipsRejected++;
  };
  /** The registry's dependent end of a type, adding (and flagging) a type the registry lacks. */
  const dependentOf = (type: string): 'source' | 'target' => {
    let dependent = relTypes.get(type);
    if (dependent === undefined) {
      const u = unknownRelType(type);
      if (addRelType.run(u.name, u.label, u.reverseLabel, u.dependent, u.strength).changes > 0) createdRelTypes.push(type);
      relTypes.set(type, u.dependent);
      dependent = u.dependent;
    }
    return dependent;
  };
  /** A relationship this import creates: batched in a bulk load once per-row results are no longer noted. */
  const createRel = (
    line: number,
    src: number,
    tgt: number,
    type: string,
    group: string | null,
    minUp: number | null,
    attrsJson: string,
  ) => {
    if (held && rows.length >= rowsLimit) {
      counts.relationshipsCreated++; // taken back if it turns out a duplicate
      held.add(line, src, tgt, type, group, minUp, attrsJson === '{}' ? null : attrsJson);
      return;
    }
    held?.flush();
    const r = insertRel.run(src, tgt, type, group, minUp, attrsJson, now, now, importId, importId);
    if (r.changes === 0) {
      rejectDuplicate(line, src, type, tgt);
      return;
    }
    written.set(Number(r.lastInsertRowid), line);
    counts.relationshipsCreated++;
    if (rows.length < rowsLimit) {
      const changes: Changes = {
        source: { from: null, to: keyOf(src) },
        target: { from: null, to: keyOf(tgt) },
        type: { from: null, to: type },
      };
      if (group !== null) changes.redundancyGroup = { from: null, to: group };
      if (minUp !== null) changes.minUp = { from: null, to: minUp };
      const attrs = parseAttributes(attrsJson);
      if (Object.keys(attrs).length > 0) changes.attributes = { from: null, to: attrs };
      ctx.noteRow({ file, line, key: `${keyOf(src)} ${type} ${keyOf(tgt)}`, action: 'create', changes });
    }
  };
  return { reject, rejectDuplicate, dependentOf, createRel, held, groups, keyOf, conflicts };
}

/**
 * An endpoint's CI: by key (the last source found is remembered: files list the relationships of one
 * source together), else by name (with the row's type column, if any, to tell same-named CIs apart, and
 * of several, the one alone not retired). A key no CI has is named with a CI key of another case.
 */
function endpointResolver(ctx: ImportContext, relsBytes: number) {
  const { db, ciTypeOf } = ctx;
  // CIs the CIs file marks deleted: by the keys and names its rows give, and those an earlier import stored.
  const deleted = ctx.cisMarkedDeleted.any ? ctx.cisMarkedDeleted : null;
  const deletedIds = deleted?.storedIds(db, ctx.importId, ctx.seenCis) ?? new Set<number>();
  const match = ctx.mapping.endpointMatch ?? 'auto';
  const keys = keyLookup(db, match === 'name' ? 0 : relsBytes);
  const idByKey = keys.get;
  // The CIs in service first: with many retired namesakes, one in service is never past the limit.
  const byName = db.prepare(
    "SELECT id, key, type, status FROM cis WHERE name = ? COLLATE NOCASE ORDER BY status IS 'retired', id LIMIT 50",
  );
  // The last source found by key: files list the relationships of one source together (no CI changes in this pass).
  let lastSource: { id: number; key: string } | null = null;
  // A key a merge took: the file still lists the duplicate (importing it again would recreate it).
  const merged = new MergedKeys(db);
  const unknown = (role: 'source' | 'target', raw: string) => {
    const hint = merged.hint(raw);
    if (hint !== null) return `unknown ${role} CI "${raw}": ${hint}.`;
    const left = ctx.cisLeftOut.get(raw);
    if (!left) return null;
    const why = left.why === 'rejected' ? 'was rejected (see its error)' : `was skipped (${ADVICE.updateOnlyImports.cli})`;
    return `unknown ${role} CI "${raw}": its row (line ${left.line} of ${left.file}) ${why}, so there is no CI to relate. Fix that row, or leave this relationship out.`;
  };
  return (raw: string, typeHint: string | null, role: 'source' | 'target'): Endpoint => {
    if (match !== 'name') {
      if (role === 'source' && lastSource !== null && raw === lastSource.key) return lastSource;
      const id = idByKey(raw);
      if (id !== undefined) {
        if (deletedIds.has(id)) return DELETED_END;
        const e = { id, key: raw };
        if (role === 'source') lastSource = e;
        return e;
      }
      if (deleted?.hasKey(raw)) return DELETED_END;
      if (match === 'key')
        return { error: unknown(role, raw) ?? unknownKeyMessage(role, raw, (p) => idByKey(p) !== undefined, keys.caseTwin(raw)) };
    }
    let found = byName.all(raw) as NamedCi[];
    if (typeHint !== null) {
      const t = ciTypeOf(typeHint);
      found = found.filter((c) => c.type === t);
    }
    if (deleted !== null) {
      // A stored CI marked deleted is not meant (a live namesake is); one found by name alone, or no CI, marked deleted: no relationship.
      const live = found.filter((c) => !deletedIds.has(c.id));
      if (live.length === 0 && (found.length > 0 || deleted.hasName(raw))) return DELETED_END;
      found = live;
    }
    // A sync retires a CI a re-keyed export lists no longer, and the new key's CI has its name: the one in service is meant.
    const inService = found.length > 1 ? found.filter((c) => c.status !== 'retired') : found;
    if (inService.length === 1) return { id: inService[0]!.id, key: inService[0]!.key };
    if (found.length === 0) {
      return {
        error:
          unknown(role, raw) ??
          severalCisMessage(role, raw, (p) => (match !== 'name' && idByKey(p) !== undefined) || byName.get(p) !== undefined) ??
          noCiMessage(
            role,
            raw,
            `${match === 'name' ? '' : 'key or '}name${typeHint ? ` with type ${typeHint}` : ''}`,
            match === 'name' ? undefined : keys.caseTwin(raw),
          ),
      };
    }
    return { error: ambiguousMessage(role, raw, found, inService, typeHint !== null) };
  };
}

/** A CI a name finds. */
type NamedCi = { id: number; key: string; type: string; status: string | null };

/**
 * Several CIs share the name a row gives, and more than one of them is in service (or all are retired): the
 * candidates, retired ones marked, and what tells them apart. A type column helps only when their types differ.
 */
function ambiguousMessage(
  role: 'source' | 'target',
  raw: string,
  found: readonly NamedCi[],
  inService: readonly NamedCi[],
  hasTypeColumn: boolean,
): string {
  const shown = [...inService, ...found.filter((c) => c.status === 'retired')];
  const kinds = [...new Set(found.map((c) => c.type))].join(', ');
  const keys = shown
    .slice(0, 3)
    .map((c) => (c.status === 'retired' ? `${c.key} (retired)` : c.key))
    .join(', ');
  const retired = found.length - inService.length;
  const which =
    inService.length === 0
      ? `${found.length} retired CIs have that name`
      : `${found.length} CIs have that name${retired > 0 ? `, ${inService.length} of them not retired` : ''}`;
  const types = new Set((inService.length > 0 ? inService : found).map((c) => c.type));
  const byType = types.size > 1 && !hasTypeColumn ? `, or add a ${role} type column to tell them apart` : '';
  return `ambiguous ${role} CI "${raw}": ${which} (${kinds}; keys ${keys}${shown.length > 3 ? ', ...' : ''}). Use the CI key in this column${byType}.`;
}

/** A CI's id by key, and (for the message about a key no CI has) a stored key that differs from one only in case. */
interface KeyLookup {
  get(key: string): number | undefined;
  caseTwin(key: string): string | undefined;
}

/** SQL look-ups of a key's case twin (a scan each) before a small file's lookup reads every key into a KeyIndex. */
const CASE_SCANS = 4;

/**
 * A CI's id by key. A relationships file with many rows for the CMDB's size reads every key once into a
 * KeyIndex (no CI changes during the relationship pass); a small one looks each up. A key's case twin is
 * asked only of keys no CI has: a small file's first few scan the CIs, and any more read the KeyIndex (so a
 * file of unknown keys costs one read of the keys, not a scan each).
 */
function keyLookup(db: ImportContext['db'], relsBytes: number): KeyLookup {
  let lookup: ((key: string) => number | undefined) | null = null;
  let index: KeyIndex | null = null;
  let scans = 0;
  const choose = () => {
    const ciCount = (db.prepare('SELECT max(id) FROM cis').pluck().get() as number | null) ?? 0;
    // Reading one CI's key into the map costs about what one look-up does, and holds it in memory: only
    // when the file looks up more endpoints than the CMDB has CIs.
    if (readsAllKeys(relsBytes, ciCount)) {
      // The planner's KeyIndex (typed arrays over packed keys): a string just parsed from the file is looked
      // up there several times faster than in a Map or an object, and the keys stay out of the heap's way.
      const all = new KeyIndex();
      all.addCis(db);
      index = all; // the case question's too
      return (key: string) => all.get(key);
    }
    const idByKey = db.prepare('SELECT id FROM cis WHERE key = ?').pluck();
    return (key: string) => idByKey.get(key) as number | undefined;
  };
  const twinByScan = db.prepare('SELECT key FROM cis WHERE key = ? COLLATE NOCASE AND key != ? LIMIT 1').pluck();
  return {
    // Decided at the first look-up: a bulk load's planner may resolve every endpoint itself.
    get: (key) => (lookup ??= choose())(key),
    caseTwin: (key) => {
      if (index === null && scans++ < CASE_SCANS) return twinByScan.get(key, key) as string | undefined;
      if (index === null) {
        index = new KeyIndex();
        index.addCis(db);
      }
      return index.caseTwin(key);
    },
  };
}

/** One row read here (not planned by the worker): every check, then create or update. */
function rowApplier(
  ctx: ImportContext,
  L: RelLayout,
  w: ReturnType<typeof relWriter>,
  apply: ReturnType<typeof relApplier>['apply'],
  relsBytes: number,
  /** The stored relationships if already read. */
  readBefore: StoredRels | null | undefined,
  foreign: ForeignEnds,
) {
  const { db, bulk, relTypeOf } = ctx;
  const { reject, dependentOf, groups } = w;
  const idx = L.idx;
  const header = (i: number | undefined) => headerAt(L, i);
  const resolve = endpointResolver(ctx, relsBytes);
  const namesStoredCi = storedCiNamer(db);
  // A file listing many of the stored relationships (a re-import) reads them all once, so that a plain row
  // (no group, min_up or attributes) matching a plain relationship is unchanged without a read each.
  const storedCount =
    bulk || readBefore !== undefined ? 0 : ((db.prepare('SELECT max(id) FROM relationships').pluck().get() as number | null) ?? 0);
  const stored =
    readBefore !== undefined ? readBefore : storedCount > 0 && readsAllStored(relsBytes, storedCount) ? StoredRels.read(db) : null;
  ctx.storedRels = stored;
  return (item: CsvItem, afterData: boolean): typeof NO_TARGET | typeof MARKED_DELETED | typeof NAMES_DELETED | void => {
    const line = item.line;
    const c = checkRelRow(item, L, relTypeOf, dependentOf, afterData);
    if ('noTarget' in c) return c;
    if (!('srcRaw' in c)) {
      // A totals row or a note under the table lists no relationship: a sync still removes (unless it names a stored CI).
      if (c.artefact && !namesStoredCi(item.values as string[])) ctx.rejectedNoneMissing.relationships++;
      return reject(line, c.column, c.message);
    }
    const v = item.values!;
    const { srcRaw, tgtRaw, group, minUp, type } = c;
    const s = resolve(srcRaw, cell(v, idx.source_type), 'source');
    if ('deleted' in s) return NAMES_DELETED;
    if ('error' in s) return reject(line, header(idx.source), s.error);
    const t = resolve(tgtRaw, cell(v, idx.target_type), 'target');
    if ('deleted' in t) return NAMES_DELETED;
    if ('error' in t) return reject(line, header(idx.target), t.error);
    const src = c.reverse ? t : s;
    const tgt = c.reverse ? s : t;
    if (src.id === tgt.id) return reject(line, header(idx.target), selfMessage(srcRaw));
    foreign.row(line, src, tgt);
    const dependent = dependentOf(type);
    if (group !== null) {
      const dep = dependent === 'source' ? src : tgt;
      const problem = checkGroup(groups, L, { group, type, minUp, depId: dep.id, depKey: dep.key, line });
      if (problem) return reject(line, problem.column, problem.message, problem.whole);
    }
    const plainRow = group === null && minUp === null && Object.keys(c.attrs).length === 0;
    apply(line, src, tgt, type, group, minUp, c, plainRow ? (stored?.plainId(src.id, tgt.id, type) ?? null) : null);
  };
}

/**
 * A checked row with its endpoints found: created, or compared with the stored relationship and updated (with
 * field-level history), left unchanged or skipped as the mode says. plainId: the plain stored relationship a
 * plain row matches, found without a read (stored-rels.ts), or null to read it back.
 */
function relApplier(ctx: ImportContext, file: string, L: RelLayout, w: ReturnType<typeof relWriter>) {
  const { db, counts, rows, rowsLimit, bulk, mode, now, importId, actor, history } = ctx;
  const { rejectDuplicate, createRel, keyOf } = w;
  const idx = L.idx;
  const getRel = db.prepare(
    'SELECT id, redundancy_group, min_up, attributes, import_id FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
  );
  const updateRel = db.prepare(
    'UPDATE relationships SET redundancy_group = ?, min_up = ?, attributes = ?, updated_at = ?, import_id = ? WHERE id = ?',
  );
  const seen = ctx.seenRels;
  /** Stored relationships this import has updated: read back from now on, not taken as plain. */
  const updated = new Set<number>();
  const existingRel = (srcId: number, tgtId: number, type: string, plainId: number | null): ExistingRel | undefined => {
    // Plain and not written by this import: what reading it back would give.
    if (plainId !== null && !updated.has(plainId))
      return { id: plainId, redundancy_group: null, min_up: null, attributes: '{}', import_id: null };
    return getRel.get(srcId, tgtId, type) as ExistingRel | undefined;
  };
  /**
   * A plain row matching a plain stored relationship, the commonest row of a re-import: unchanged, marked seen
   * and counted, and true; false when apply() has more to say (a duplicate, a relationship this import has
   * updated, create-only's skip, a row result to note).
   */
  const unchangedPlain = (line: number, plainId: number): boolean => {
    // A row result to note: while rows are kept, unless only changing rows are (an unchanged one is not kept).
    const noting = rows.length < rowsLimit && ctx.input.rowsKept !== 'changes';
    if (bulk || mode === 'create-only' || noting || updated.has(plainId)) return false;
    if (seen.mark(plainId, line) !== 0) return false; // apply() marks it again and reports the duplicate
    counts.relationshipsUnchanged++;
    return true;
  };
  const apply = (
    line: number,
    src: End,
    tgt: End,
    type: string,
    group: string | null,
    minUp: number | null,
    { attrs, cleared }: { attrs: Record<string, string>; cleared: string[] },
    plainId: number | null,
  ) => {
    const relKey = () => `${src.key ?? keyOf(src.id)} ${type} ${tgt.key ?? keyOf(tgt.id)}`;
    const note = (action: 'unchanged' | 'skip') => {
      if (rows.length < rowsLimit) ctx.noteRow({ file, line, key: relKey(), action, changes: null });
    };
    const existing = bulk ? undefined : existingRel(src.id, tgt.id, type, plainId);
    if (existing) {
      // Written by this import: created on a line rejectDuplicate finds, or updated on the line it was listed on.
      if (existing.import_id === importId) return rejectDuplicate(line, src.id, type, tgt.id, seen.lineOf(existing.id));
      const prev = seen.mark(existing.id, line);
      if (prev !== 0) return rejectDuplicate(line, src.id, type, tgt.id, prev);
      if (mode === 'create-only') {
        counts.relationshipsSkipped++;
        return note('skip');
      }
      const changes: Changes = {};
      // A column the file lacks keeps the stored value, and so does an empty cell under "emptyCells": "keep".
      const newGroup = idx.redundancy_group !== undefined && (group !== null || !L.keepEmpty) ? group : existing.redundancy_group;
      const newMinUp = idx.min_up !== undefined && (minUp !== null || !L.keepEmpty) ? minUp : existing.min_up;
      if (newGroup !== existing.redundancy_group) changes.redundancyGroup = { from: existing.redundancy_group, to: newGroup };
      if (newMinUp !== existing.min_up) changes.minUp = { from: existing.min_up, to: newMinUp };
      const mergedJson = mergeAttributes(existing.attributes, attrs, cleared, changes);
      if (Object.keys(changes).length === 0) {
        counts.relationshipsUnchanged++;
        return note('unchanged');
      }
      // A relationship belongs to the import that last wrote it (a sync of its source removes it when unlisted), but
      // not to an update-only one: that enriches what another export lists, as it keeps a CI's source (cis.ts).
      updateRel.run(newGroup, newMinUp, mergedJson, now, mode === 'update-only' ? existing.import_id : importId, existing.id);
      updated.add(existing.id);
      const key = relKey();
      history.run(
        now,
        'relationship',
        existing.id,
        src.key ?? keyOf(src.id),
        tgt.key ?? keyOf(tgt.id),
        'update',
        key,
        JSON.stringify(changes),
        actor,
        importId,
        existing.import_id ?? 0,
      );
      counts.relationshipsUpdated++;
      return ctx.noteRow({ file, line, key, action: 'update', changes });
    }
    if (mode === 'update-only') {
      counts.relationshipsSkipped++;
      return note('skip');
    }
    createRel(line, src.id, tgt.id, type, group, minUp, JSON.stringify(attrs));
  };
  return { apply, unchangedPlain };
}
