/**
 * Why an import cannot be undone (undo.ts): every later change that touches what it touched, each named by
 * what made it (a later import, a merge in force, an edit by hand, a merge undone since under new ids), with
 * the CIs it touched by name and key, and what to do first, in words a change manager reads.
 */
import { ciLabel } from '../../../shared/ci-label.js';
import { CmdbError } from '../../../shared/errors.js';
import { cutList } from '../../../shared/format.js';
import { formatCount } from '../../../shared/format.js';
import { commandLine, type NextCommand } from '../../../shared/next-command.js';
import type { Db } from '../db.js';
import { json } from './log.js';

/** One later change that keeps an import from being undone. */
export interface LaterChange {
  /** What made it: a later import, a merge in force, an edit by hand, or a merge undone since under new ids. */
  kind: 'import' | 'merge' | 'edit' | 'undone-merge';
  /** The import's or the merge's number; null for edits by hand. */
  id: number | null;
  /** Who edited by hand ('ui', 'cli'...); '' for the others. */
  by: string;
  /** When: the newest of its entries. */
  at: string;
  /** How many of the import's CIs it touched, and the first few of them by key. */
  count: number;
  keys: string[];
}

/** How many CIs each later change names, how many later changes the refusal describes, and how many steps it lists. */
const CIS_NAMED = 3;
const CHANGES_NAMED = 5;
const STEPS_NAMED = 10;

/**
 * The grouping of touching rows (kind, num, by, ci_key, ord, at): one row per named CI of each later change,
 * with the change's CI count and newest time.
 */
const GROUPED = `
  per_ci AS (SELECT kind, num, by, ci_key, min(ord) AS first, max(at) AS at FROM keyed GROUP BY kind, num, by, ci_key),
  ranked AS (SELECT kind, num, by, ci_key,
                    row_number() OVER (PARTITION BY kind, num, by ORDER BY first) AS k,
                    count(*) OVER (PARTITION BY kind, num, by) AS n,
                    max(at) OVER (PARTITION BY kind, num, by) AS newest
             FROM per_ci)
  SELECT kind, num, by, ci_key, n, newest FROM ranked WHERE k <= ${CIS_NAMED} ORDER BY kind, num, by, k`;

interface GroupedRow {
  kind: LaterChange['kind'];
  num: number | null;
  by: string;
  ci_key: string | null;
  n: number;
  newest: string;
}

/**
 * The later changes that touch what import `id` touched, newest first; none when it can be undone. History
 * after the import is after its mark (the newest history id when it committed), else after its own last entry.
 */
export function laterChanges(db: Db, id: number, mark: number | null | undefined): LaterChange[] {
  const last = mark ?? (db.prepare('SELECT max(id) FROM history WHERE import_id = ?').pluck().get(id) as number | null);
  if (last === null) return [];
  const out = new Map<string, LaterChange>();
  for (const r of touchingRows(db, id, last)) {
    const k = `${r.kind}:${r.num}:${r.by}`;
    const c = out.get(k) ?? { kind: r.kind, id: r.num, by: r.by, at: r.newest, count: r.n, keys: [] };
    if (r.ci_key !== null) c.keys.push(r.ci_key);
    out.set(k, c);
  }
  // A merge in force that deleted a CI this import created, also when none of its history entries is read as later.
  for (const m of mergedAway(db, id)) {
    const k = `merge:${m.id}:`;
    if (!out.has(k)) out.set(k, { kind: 'merge', id: m.id, by: '', at: m.at, count: 1, keys: [m.merged_key] });
  }
  return [...out.values()].sort((a, b) => (a.at === b.at ? (b.id ?? 0) - (a.id ?? 0) : a.at < b.at ? 1 : -1));
}

/** CIs this import created that a merge in force has since deleted (their relationships moved to the CI kept). */
function mergedAway(db: Db, id: number): Array<{ id: number; at: string; merged_key: string }> {
  return db
    .prepare(
      `SELECT id, at, merged_key FROM merges WHERE undone_at IS NULL AND json_extract(merged_row, '$.created_import_id') = ? ORDER BY id`,
    )
    .all(id) as Array<{ id: number; at: string; merged_key: string }>;
}

/**
 * The later changes' rows, grouped (GROUPED): relationships a later import created (they have no history row)
 * at a CI this import created or changed, and later history entries on what it touched (on its rows, or naming
 * one of its CIs at either end). Not an undone import's entries, nor those of a merge undone since under its own
 * id and of that merge's undo: together they changed nothing. An entry without an import is a merge's when it
 * has a merge's time, else an edit by hand. One query, so a CI both ways is counted once.
 */
function touchingRows(db: Db, id: number, last: number): GroupedRow[] {
  // No later history at all (the commonest case when nothing else was imported since): its part reads nothing.
  const any = db
    .prepare(
      `SELECT EXISTS(SELECT 1 FROM history WHERE id > ? AND (import_id IS NULL OR import_id NOT IN (SELECT id FROM imports WHERE undone_at IS NOT NULL)))`,
    )
    .pluck()
    .get(last) as number;
  const mine = (end: string) =>
    `(${end}.created_import_id = @id OR EXISTS (SELECT 1 FROM history m WHERE m.entity = 'ci' AND m.entity_id = ${end}.id AND +m.import_id = @id))`;
  return db
    .prepare(
      `WITH mine AS (SELECT entity, entity_id, ci_key FROM history WHERE import_id = @id),
            -- Its CIs by key: those it changed, those it created, and those it created that a merge has deleted since.
            mine_cis AS (SELECT ci_key FROM mine WHERE entity = 'ci' UNION SELECT key FROM cis WHERE created_import_id = @id
                         UNION SELECT merged_key FROM merges
                         WHERE undone_at IS NULL AND json_extract(merged_row, '$.created_import_id') = @id),
            touching AS (
              SELECT h.id, h.at, h.ci_key, h.source, h.import_id,
                     CASE WHEN h.import_id IS NULL THEN
                       (SELECT mg.id FROM merges mg WHERE mg.at = h.at AND mg.undone_at IS NULL ORDER BY mg.id DESC LIMIT 1) END AS merge_id,
                     CASE WHEN h.import_id IS NULL THEN
                       (SELECT mg.id FROM merges mg WHERE h.at IN (mg.at, mg.undone_at) AND mg.undone_at IS NOT NULL ORDER BY mg.id DESC LIMIT 1)
                     END AS undone_merge_id
              FROM history h
              WHERE @any AND h.id > @last
                AND (h.import_id IS NULL OR h.import_id NOT IN (SELECT id FROM imports WHERE undone_at IS NOT NULL))
                AND NOT (h.import_id IS NULL AND EXISTS (
                  SELECT 1 FROM merges mg
                  WHERE mg.undone_at IS NOT NULL AND h.at IN (mg.at, mg.undone_at)
                    AND (h.ci_key IN (mg.merged_key, mg.kept_key) OR h.related_key IN (mg.merged_key, mg.kept_key))
                    AND EXISTS (SELECT 1 FROM history b WHERE b.entity = 'ci' AND b.entity_id = mg.merged_id
                                  AND b.action = 'create' AND b.at = mg.undone_at AND b.ci_key = mg.merged_key)))
                AND (EXISTS (SELECT 1 FROM mine m WHERE m.entity = h.entity AND m.entity_id = h.entity_id)
                     OR (h.entity = 'ci' AND EXISTS (SELECT 1 FROM cis c WHERE c.id = h.entity_id AND c.created_import_id = @id))
                     OR (h.entity = 'relationship' AND EXISTS (SELECT 1 FROM relationships r WHERE r.id = h.entity_id AND r.created_import_id = @id))
                     OR h.ci_key IN (SELECT ci_key FROM mine_cis)
                     OR h.related_key IN (SELECT ci_key FROM mine_cis))),
            keyed AS (
              SELECT 'import' AS kind, r.created_import_id AS num, '' AS by, CASE WHEN ${mine('s')} THEN s.key ELSE t.key END AS ci_key,
                     r.id AS ord, r.created_at AS at
              FROM relationships r JOIN imports i ON i.id = r.created_import_id AND i.undone_at IS NULL
              JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id
              WHERE r.created_import_id > @id AND (${mine('s')} OR ${mine('t')})
              UNION ALL
              SELECT CASE WHEN import_id IS NOT NULL THEN 'import' WHEN merge_id IS NOT NULL THEN 'merge'
                          WHEN undone_merge_id IS NOT NULL THEN 'undone-merge' ELSE 'edit' END,
                     coalesce(import_id, merge_id, undone_merge_id),
                     CASE WHEN coalesce(import_id, merge_id, undone_merge_id) IS NULL THEN source ELSE '' END,
                     ci_key, id, at
              FROM touching),
       ${GROUPED}`,
    )
    .all({ id, last, any }) as GroupedRow[];
}

/** Undoing them would not help: an edit by hand, or a merge undone since under new ids, stays in history for good. */
const lasting = (c: LaterChange) => c.kind === 'edit' || c.kind === 'undone-merge';

/** What a later change did, in a sentence's words: what made it, then which of the import's CIs it touched (a merge: which CI into which). */
function changeText(db: Db, c: LaterChange, labelOf: (key: string) => string): string {
  const cis = cutList(c.keys.map(labelOf), CIS_NAMED, c.count);
  const some = c.count > c.keys.length ? `${formatCount(c.count)} of the same CIs: ${cis}` : cis;
  if (c.kind === 'import') {
    const imp = db.prepare('SELECT mode, files FROM imports WHERE id = ?').get(c.id) as { mode: string; files: string } | undefined;
    const files = imp ? json<string[]>(imp.files, []).join(', ') : '';
    return `import ${c.id}${imp ? ` (${imp.mode}${files ? `, ${files}` : ''})` : ''} changed ${some}`;
  }
  if (c.kind === 'edit') return `edits by hand (${c.by}) changed ${some}`;
  const merge = db.prepare('SELECT merged_key, merged_name, kept_key FROM merges WHERE id = ?').get(c.id) as
    { merged_key: string; merged_name: string; kept_key: string } | undefined;
  if (!merge) return `merge #${c.id} changed ${some}`;
  const merged = ciLabel({ key: merge.merged_key, name: merge.merged_name });
  const what = `merge #${c.id} merged ${merged} into ${labelOf(merge.kept_key)}`;
  return c.kind === 'merge' ? what : `${what} and was undone since, bringing ${merged} back under a new id`;
}

/** The steps, newest first: each later import and merge to undo, with its command; null when undoing would not help. */
function undoSteps(later: LaterChange[]): { text: string; next: NextCommand[] } | null {
  if (later.some(lasting)) return null;
  const next = later.map((c) => ({ command: c.kind === 'import' ? 'undo-import' : 'undo-merge', args: [String(c.id)] }));
  const names = later.map((c, i) => `${c.kind === 'import' ? `import ${c.id}` : `merge #${c.id}`} (${commandLine(next[i]!)})`);
  const rest = names.length - STEPS_NAMED;
  return { text: names.slice(0, STEPS_NAMED).join(', then ') + (rest > 0 ? `, then the ${formatCount(rest)} before them` : ''), next };
}

/**
 * The refusal: every later change (the first few, then how many more), then what to do first: undo each later
 * import and merge, newest first, then this import again; or, when an edit by hand is among them, that the
 * import can no longer be undone as a whole, and what to do instead.
 */
export function laterChangesConflict(db: Db, id: number, later: LaterChange[]): CmdbError {
  // A CI by its name now, else (merged away) by the name it had when merged.
  const nameOf = db.prepare(
    `SELECT coalesce((SELECT name FROM cis WHERE key = @key),
                     (SELECT merged_name FROM merges WHERE merged_key = @key ORDER BY id DESC LIMIT 1))`,
  );
  const labelOf = (key: string) => ciLabel({ key, name: nameOf.pluck().get({ key }) as string | null });
  const described = later.slice(0, CHANGES_NAMED).map((c) => changeText(db, c, labelOf));
  const more = later.length - described.length;
  const whats = `${described.join('; ')}${more > 0 ? `; and ${formatCount(more)} more later change${more === 1 ? '' : 's'}` : ''}`;
  const head = `Import ${id} cannot be undone: ${later.length === 1 ? 'a later change touches' : `${formatCount(later.length)} later changes touch`} the same CIs, and undoing it now would throw ${later.length === 1 ? 'it' : 'them'} away: ${whats}.`;
  const steps = undoSteps(later);
  const todo = steps
    ? ` First undo ${steps.text}; then import ${id} can be undone.`
    : ` An edit by hand, or a merge undone since, cannot be undone, so import ${id} can no longer be undone as a whole: put its changes right by hand (each CI's history lists them), or import the earlier file again.`;
  return new CmdbError('CONFLICT', head + todo, { id, later, next: steps?.next ?? [] });
}
