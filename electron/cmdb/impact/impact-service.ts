/**
 * The impact side of CmdbService: analyses on the shared graph index, and
 * change assessments saved in the CMDB (table `changes`, migration 3) that
 * say, when reopened, what differs from the result saved with them.
 */
import { CmdbError } from '../../../shared/errors.js';
import { riskCouldReach } from '../../../shared/risk.js';
import { commandLine } from '../../../shared/next-command.js';
import { impactResultSchema } from '../../../shared/impact.js';
import type {
  ChangeDetail,
  ChangeDiff,
  ChangeInput,
  ChangeSummary,
  ExportFormat,
  GroupBy,
  ImpactCompare,
  ImpactDirection,
  ImpactResult,
  ImpactState,
  OtherChange,
  RiskLevel,
} from '../../../shared/impact.js';
import type { HealthRuleId, ImpactHealth } from '../../../shared/health.js';
import type { BaselineService } from '../baselines/baseline-service.js';
import type { CompareQuery } from '../baselines/impact-compare.js';
import type { Db } from '../db.js';
import { byRows, impactHealth, notRunningNotes } from '../health/on-impact.js';
import { loadHealthRules } from '../health/rules-file.js';
import { dataStamp, writeOutsideCis } from '../data-stamp.js';
import { nowIso } from '../rows.js';
import { analyse, type ImpactAnswer, resolveKeys, typeSelection, unknownKeys } from './analysis.js';
import { downstreamImpact, type ImpactRun, STATE_NONE, upstreamImpact } from './engine.js';
import type { CiAttrs } from './ci-attrs.js';
import type { GraphIndex } from './graph-index.js';
import { IndexHolder } from './index-holder.js';
import { changeSubject, keysToName, renderSubject, type ReportSubject } from './report.js';
import { namesByKey } from '../resolve-cis.js';
import { otherChanges } from './change-overlaps.js';
import { MergedKeys } from '../health/merged-keys.js';

interface ChangeRow {
  id: number;
  ref: string;
  title: string;
  planned_window: string | null;
  description: string | null;
  keys: string;
  options: string;
  risk: RiskLevel;
  down: number;
  degraded: number;
  summary: string;
  impacted: string;
  created_at: string;
  updated_at: string;
  legacy?: number;
  /** The saved answer's CIs of unknown criticality (risk.unknown as JSON; null: none, or saved before it existed). */
  risk_unknown?: string | null;
}

/**
 * `legacy`: saved before changed CIs were counted apart (their `down` counted
 * the changed CIs too): those summaries' counts begin with `down`, today's
 * with `changed`. Found by a byte search, not by parsing each (large) summary.
 */
const SUMMARY_COLUMNS = `id, ref, title, planned_window, description, keys, options, risk, down, degraded, created_at, updated_at, (instr(summary, '"counts":{"down":') > 0) AS legacy, json_extract(summary, '$.risk.unknown') AS risk_unknown`;

/** A change by its reference, case aside; of two saved before that differing only in case, the one of that very case first. */
const REF_MATCH = 'ref = @ref COLLATE NOCASE ORDER BY ref = @ref DESC, id LIMIT 1';

export class ImpactService {
  readonly indexHolder: IndexHolder;
  /** The change this service saved last, and the data stamp then: its report on the same data is its saved answer. */
  private lastSaved: { id: number; stamp: string } | null = null;

  constructor(
    private readonly db: Db,
    /**
     * The health rules on CIs by SQLite id (HealthService.rulesForCis: the
     * estate report's when it is current, else the engine's rules run for
     * just those CIs), for the health of an answer.
     */
    private readonly rulesForCis: (ids: number[]) => ReadonlyMap<number, readonly HealthRuleId[]>,
    /** Baselines, for `compare` (issue 17): the same question asked of a baseline. */
    private readonly baselines?: BaselineService,
  ) {
    this.indexHolder = new IndexHolder(db);
  }

  /** How the answer to `query` on the CMDB as it is (`live`: its index and CI fields) differs from the same question asked of baseline `name`. */
  private compareWith(name: string, query: CompareQuery, live: { index: GraphIndex; attrs: CiAttrs }): ImpactCompare {
    if (!this.baselines) throw new CmdbError('INVALID_REQUEST', 'Baselines are not available here; open a CMDB file to compare with one.');
    return this.baselines.compareImpact(name, query, { db: this.db, ...live });
  }

  /**
   * The data-quality findings on an answer's CIs, on the live CMDB (the
   * engine's rules, through rulesForCis; the answer's rows give the CIs' ids).
   * A rules file that cannot be read does not cost the answer: its
   * note says what is wrong instead.
   */
  private withHealth(answer: ImpactAnswer): ImpactAnswer {
    return { ...answer, result: { ...answer.result, health: this.health(answer) } };
  }

  private health({ result, rows }: ImpactAnswer): ImpactHealth {
    let config;
    try {
      config = loadHealthRules(this.db.name).config;
    } catch (err) {
      if (!(err instanceof CmdbError)) throw err;
      return { byRule: [], byKey: {}, notes: [`Data quality not checked: ${err.message}`, ...notRunningNotes(result)] };
    }
    return impactHealth(
      result,
      config,
      byRows(rows, (asked) => this.rulesForCis(asked.map((r) => r.id))),
    );
  }

  impact(req: {
    keys: string[];
    direction: ImpactDirection;
    types?: string[] | undefined;
    depth?: number | undefined;
    limit: number;
    rollUps?: string[] | undefined;
    contactFields?: string[] | undefined;
    within?: { by: GroupBy; id: string } | undefined;
    compare?: string | undefined;
  }): ImpactResult {
    const { index, attrs } = this.indexHolder.getWithAttrs();
    const { compare, ...query } = req;
    // The health is the live answer's only: a baseline's CIs are not in the CMDB now.
    if (compare === undefined) return this.withHealth(analyse(this.db, index, attrs, query)).result;
    // Compared with a baseline, a CI deleted since may be asked about: the answer now leaves it out, the
    // baseline's has it (compare.missingNow). A CI neither has is refused as without a baseline.
    const answer = analyse(this.db, index, attrs, { ...query, allowMissing: true });
    const c = this.compareWith(compare, query, { index, attrs });
    const inBaseline = new Set(c.missingNow);
    const unknown = answer.missingKeys.filter((k) => !inBaseline.has(k));
    if (unknown.length > 0) throw unknownKeys(unknown);
    return { ...this.withHealth(answer).result, compare: c };
  }

  private evaluate(keys: string[], types: string[] | null, depth: number | null, limit: number, allowMissing: boolean): ImpactAnswer {
    const { index, attrs } = this.indexHolder.getWithAttrs();
    const answer = analyse(this.db, index, attrs, {
      wantAll: true,
      keys,
      direction: 'downstream',
      types: types ?? undefined,
      depth: depth ?? undefined,
      limit,
      allowMissing,
    });
    return this.withHealth(answer);
  }

  /** Saves (or, for a reference already saved, updates) a change with its result now. */
  saveChange(input: ChangeInput): { change: ChangeSummary; created: boolean; result: ImpactResult; others?: OtherChange[] } {
    // Taken before the evaluation: another connection's commit while it runs leaves the saved answer older than the
    // CMDB, and the report must not say it has not changed since (found by a developer reading the save).
    const stamp = dataStamp(this.db);
    const answer = this.evaluate(input.keys, input.types ?? null, input.depth ?? null, 1000, false);
    const { impacted: _list, ...summary } = answer.result;
    const now = nowIso();
    const params = {
      ref: input.ref,
      title: input.title,
      window: input.window ?? null,
      description: input.description ?? null,
      keys: JSON.stringify(answer.result.changed.map((c) => c.key)),
      options: JSON.stringify({ types: input.types && input.types.length > 0 ? input.types : null, depth: input.depth ?? null }),
      risk: answer.result.risk.level,
      down: answer.result.counts.down,
      degraded: answer.result.counts.degraded,
      summary: JSON.stringify(summary),
      impacted: JSON.stringify(answer.all),
      now,
    };
    let savedId: number | null = null;
    const created = writeOutsideCis(this.db, () =>
      this.db
        .transaction(() => {
          // The same reference, case aside (chg1001 is CHG1001: a second record of one change, found by a tester), keeping its case.
          const existing = this.db.prepare(`SELECT id FROM changes WHERE ${REF_MATCH}`).get({ ref: input.ref }) as
            { id: number } | undefined;
          if (existing) {
            this.db
              .prepare(
                `UPDATE changes SET title = @title, planned_window = @window, description = @description, keys = @keys,
                 options = @options, risk = @risk, down = @down, degraded = @degraded, summary = @summary,
                 impacted = @impacted, updated_at = @now WHERE id = @id`,
              )
              .run({ ...params, id: existing.id });
            savedId = existing.id;
            return false;
          }
          this.db
            .prepare(
              `INSERT INTO changes(ref, title, planned_window, description, keys, options, risk, down, degraded, summary, impacted, created_at, updated_at)
               VALUES (@ref, @title, @window, @description, @keys, @options, @risk, @down, @degraded, @summary, @impacted, @now, @now)`,
            )
            .run(params);
          return true;
        })
        .immediate(),
    );
    const change = toSummary(this.findRow(savedId === null ? { ref: input.ref } : { id: savedId }, SUMMARY_COLUMNS));
    this.lastSaved = dataStamp(this.db) === stamp ? { id: change.id, stamp } : null;
    const others = this.othersOf(change.id, change.keys, answer.all);
    return { change, created, result: answer.result, ...(others.length > 0 ? { others } : {}) };
  }

  listChanges(req: { query?: string | undefined; ref?: string | undefined; offset: number; limit: number }): {
    items: ChangeSummary[];
    total: number;
  } {
    if (req.ref !== undefined) {
      const row = this.rowOf(req, SUMMARY_COLUMNS);
      return row ? { items: [toSummary(row)], total: 1 } : { items: [], total: 0 };
    }
    const where = req.query ? "WHERE ref LIKE @q ESCAPE '\\' OR title LIKE @q ESCAPE '\\'" : '';
    const q = req.query ? `%${req.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
    const params = { q, limit: req.limit, offset: req.offset };
    const total = (this.db.prepare(`SELECT count(*) AS n FROM changes ${where}`).get(q ? { q } : {}) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM changes ${where} ORDER BY updated_at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all(q ? params : { limit: req.limit, offset: req.offset }) as ChangeRow[];
    return { items: rows.map(toSummary), total };
  }

  /** The change, its saved result, the analysis run now, and what differs. */
  getChange(req: { id?: number | undefined; ref?: string | undefined; limit: number; compare?: string | undefined }): ChangeDetail {
    return this.changeDetail(req, false);
  }

  /** getChange's answer; `everyCi`: listing every impacted CI, whatever depth the change lists on screen (its report). */
  private changeDetail(
    req: { id?: number | undefined; ref?: string | undefined; limit: number; compare?: string | undefined },
    everyCi: boolean,
  ): ChangeDetail {
    const row = this.requireFullRow(req);
    const change = toSummary(row);
    const answer = this.evaluate(change.keys, change.types, everyCi ? null : change.depth, req.limit, true);
    const saved = parseSaved(row.summary);
    const after = new Map(answer.all);
    // A CI merged since is the CI kept: its saved state is compared with the kept CI's, and the merge is said (the
    // changed CI merged away read as one no longer impacted, and the kept one as newly down; found by a tester).
    const { before, merged } = savedUnderMerges(this.db, JSON.parse(row.impacted) as Array<[string, ImpactState]>, after);
    const diff: ChangeDiff = {
      changed: false,
      riskFrom: row.risk,
      riskTo: answer.result.risk.level,
      added: [],
      removed: [],
      stateChanged: [],
      missingKeys: answer.missingKeys,
    };
    for (const [key, state] of after) {
      const was = before.get(key);
      if (was === undefined) diff.added.push({ key, state });
      else if (was !== state) diff.stateChanged.push({ key, from: was, to: state });
    }
    // A changed CI deleted since is said apart (missingKeys), not as one no longer impacted.
    const gone = new Set(answer.missingKeys);
    for (const [key, state] of before) if (!after.has(key) && !gone.has(key)) diff.removed.push({ key, state });
    diff.changed =
      diff.riskFrom !== diff.riskTo || diff.added.length + diff.removed.length + diff.stateChanged.length + diff.missingKeys.length > 0;
    // The same CIs in the same states may hang on fewer spares: a member retired since (found by a change manager).
    const idle = { from: saved.notRunning?.count ?? 0, to: answer.result.notRunning?.count ?? 0 };
    if (idle.from !== idle.to) diff.notRunning = idle;
    if (merged.length > 0) diff.merged = merged;
    const asked = {
      keys: change.keys,
      direction: 'downstream' as const,
      types: change.types ?? undefined,
      depth: change.depth ?? undefined,
    };
    const compare = req.compare === undefined ? {} : { compare: this.compareWith(req.compare, asked, this.indexHolder.getWithAttrs()) };
    const others = this.othersOf(row.id, change.keys, answer.all);
    return { change, saved, current: answer.result, diff, ...compare, ...(others.length > 0 ? { others } : {}) };
  }

  /**
   * The other saved changes on the same CIs as change `id` (change-overlaps.ts), on the CMDB as it is now: the
   * engine's walks over the graph index, one upstream from this change's CIs and one downstream per other change
   * on their dependencies (no listing, no CI rows read).
   */
  private othersOf(id: number, keys: string[], all: ReadonlyArray<[string, ImpactState]>): OtherChange[] {
    const { index, attrs } = this.indexHolder.getWithAttrs();
    const options = { mask: typeSelection(index, undefined).mask, notRunning: attrs.notRunning() };
    const nodesOf = (asked: readonly string[]): Array<[string, number]> =>
      resolveKeys(this.db, asked, true)
        .rows.map((r): [string, number] => [r.key, index.nodeOf(r.id)])
        .filter(([, node]) => node >= 0);
    // This change's CIs as graph nodes, and what they depend on, found once for all the other changes.
    const mine = nodesOf(keys);
    let upstream: ImpactRun | null = null;
    return otherChanges(
      this.db,
      id,
      keys,
      all.map(([k]) => k),
      {
        dependsOn: (theirs) => {
          upstream ??= upstreamImpact(
            index,
            mine.map(([, node]) => node),
            options,
          );
          const up = upstream;
          return nodesOf(theirs).some(([, node]) => up.depth[node]! > 0);
        },
        reached: (theirs) => {
          const run = downstreamImpact(
            index,
            nodesOf(theirs).map(([, node]) => node),
            options,
          );
          return mine.filter(([, node]) => run.state[node] !== STATE_NONE).map(([k]) => k);
        },
      },
    );
  }

  /** A saved change's title, window or description edited, its assessment kept (api.ts editChange). */
  editChange(req: {
    ref: string;
    title?: string | undefined;
    window?: string | null | undefined;
    description?: string | null | undefined;
  }): {
    change: ChangeSummary;
  } {
    const { id } = this.findRow({ ref: req.ref }, 'id');
    writeOutsideCis(this.db, () =>
      this.db
        .prepare(
          `UPDATE changes SET title = coalesce(@title, title),
           planned_window = CASE WHEN @setWindow THEN @window ELSE planned_window END,
           description = CASE WHEN @setDescription THEN @description ELSE description END WHERE id = @id`,
        )
        .run({
          id,
          title: req.title ?? null,
          setWindow: req.window === undefined ? 0 : 1,
          window: req.window ?? null,
          setDescription: req.description === undefined ? 0 : 1,
          description: req.description ?? null,
        }),
    );
    return { change: toSummary(this.findRow({ id }, SUMMARY_COLUMNS)) };
  }

  deleteChange(req: { id: number }): { deleted: boolean } {
    const r = writeOutsideCis(this.db, () => this.db.prepare('DELETE FROM changes WHERE id = ?').run(req.id));
    if (r.changes === 0)
      throw new CmdbError('NOT_FOUND', `No change assessment with id ${req.id}. It may have been deleted already; reload.`);
    return { deleted: true };
  }

  /** The report of a change, re-evaluated now, as a file's name, type and content. */
  exportChange(req: { id?: number | undefined; ref?: string | undefined; format: ExportFormat; compare?: string | undefined }): {
    filename: string;
    mime: string;
    content: string;
  } {
    // Every impacted CI, whatever depth the change lists on screen (impactReportSubject).
    const detail = this.changeDetail({ id: req.id, ref: req.ref, limit: 1_000_000, compare: req.compare }, true);
    // Its report right after it was saved (`cmdb assess` saves, then writes the report) read "re-evaluated" and
    // "Since it was saved: the same CIs are impacted": noise on a change just made (found by a change manager).
    const asSaved = this.lastSaved?.id === detail.change.id && this.lastSaved.stamp === dataStamp(this.db);
    return renderSubject(this.withNames(changeSubject(detail, asSaved), req.format), req.format, nowIso());
  }

  /** A report's subject with the names of the CIs its result names by key alone (`keysToName`). */
  withNames(subject: ReportSubject, format: ExportFormat): ReportSubject {
    return { ...subject, names: namesByKey(this.db, keysToName(subject, format)) };
  }

  private requireFullRow(req: { id?: number | undefined; ref?: string | undefined }): ChangeRow {
    return this.findRow(req, `*, ${SUMMARY_COLUMNS.slice(SUMMARY_COLUMNS.indexOf('(instr'))}`);
  }

  /** The change of this id, or of this reference (case aside), with `columns`; undefined when there is none. */
  private rowOf(req: { id?: number | undefined; ref?: string | undefined }, columns: string): ChangeRow | undefined {
    return (
      req.id !== undefined
        ? this.db.prepare(`SELECT ${columns} FROM changes WHERE id = ?`).get(req.id)
        : this.db.prepare(`SELECT ${columns} FROM changes WHERE ${REF_MATCH}`).get({ ref: req.ref })
    ) as ChangeRow | undefined;
  }

  private findRow(req: { id?: number | undefined; ref?: string | undefined }, columns: string): ChangeRow {
    if (req.id === undefined && req.ref === undefined) throw new CmdbError('INVALID_REQUEST', 'Give the change id or its reference.');
    const row = this.rowOf(req, columns);
    if (!row) {
      const next = { command: 'changes', args: [] };
      throw new CmdbError(
        'NOT_FOUND',
        `No change assessment ${req.id !== undefined ? `with id ${req.id}` : `"${req.ref}"`}. See the saved ones under Saved changes in the app, or list them with: ${commandLine(next)}`,
        { next },
      );
    }
    return row;
  }
}

/**
 * A saved result as the schema reads it now, so changes saved before a field
 * existed still open: missing optional fields stay absent, and a summary
 * saved before the changed CIs were counted apart (no `counts.changed`),
 * whose `down` counted the changed CIs too (every changed CI is down), gets
 * them moved from `down` to `changed` exactly, from its own list of changed
 * CIs: in the totals, per type, per criticality and per owner.
 */
export function parseSaved(summary: string): ChangeDetail['saved'] {
  const raw = JSON.parse(summary) as { counts?: { changed?: unknown } };
  const legacy = raw.counts !== undefined && raw.counts.changed === undefined;
  const parsed = impactResultSchema.omit({ impacted: true }).safeParse(raw);
  if (!parsed.success) {
    throw new CmdbError(
      'INTERNAL',
      `A saved change's result cannot be read (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}). Save the change again.`,
    );
  }
  const saved = parsed.data;
  if (legacy && saved.direction === 'downstream') {
    const moveOne = (entry: { changed: number; down: number } | undefined) => {
      if (!entry || entry.down === 0) return;
      entry.down--;
      entry.changed++;
    };
    for (const c of saved.changed) {
      moveOne(saved.counts);
      moveOne(saved.counts.byType.find((r) => r.type === c.type));
      moveOne(saved.counts.byCriticality.find((r) => r.criticality === c.criticality));
      moveOne(saved.owners.find((r) => r.owner === c.owner));
    }
  }
  return saved;
}

/**
 * A saved answer's CIs by key, a key a merge took since read as the CI kept (when the answer now has it), and the
 * merges so read, in the saved order. The saved answer keeps the keys it had (merge-refs.ts: it is history).
 */
function savedUnderMerges(
  db: Db,
  saved: ReadonlyArray<[string, ImpactState]>,
  now: ReadonlyMap<string, ImpactState>,
): { before: Map<string, ImpactState>; merged: Array<{ from: string; to: string }> } {
  const before = new Map<string, ImpactState>();
  const merged: Array<{ from: string; to: string }> = [];
  let merges: MergedKeys | null = null;
  for (const [key, state] of saved) {
    let k = key;
    if (!now.has(key)) {
      const kept = (merges ??= new MergedKeys(db)).into(key)?.keptKey;
      if (kept !== undefined && now.has(kept)) {
        k = kept;
        merged.push({ from: key, to: kept });
      }
    }
    if (!before.has(k)) before.set(k, state);
  }
  return { before, merged };
}

function toSummary(r: Omit<ChangeRow, 'summary' | 'impacted'>): ChangeSummary {
  const options = JSON.parse(r.options) as { types?: string[] | null; depth?: number | null };
  return {
    id: r.id,
    ref: r.ref,
    title: r.title,
    window: r.planned_window,
    description: r.description,
    keys: JSON.parse(r.keys) as string[],
    types: options.types ?? null,
    depth: options.depth ?? null,
    risk: r.risk,
    // What its CIs of unknown criticality could bring the risk to: a list showing "low" alone hid "up to critical" (found by a tester).
    riskUpTo: r.risk_unknown
      ? riskCouldReach({ level: r.risk, unknown: JSON.parse(r.risk_unknown) as { down: number; degraded: number } })
      : null,
    // Saved before changed CIs were counted apart: their `down` counted the changed CIs too.
    down: r.legacy ? Math.max(0, r.down - (JSON.parse(r.keys) as string[]).length) : r.down,
    degraded: r.degraded,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
