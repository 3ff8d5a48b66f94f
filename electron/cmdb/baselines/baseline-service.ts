/**
 * The baselines side of CmdbService: save, list and delete baselines; the
 * difference between two points in time (baseline names or `now`) and its
 * export; and the same impact question asked of a baseline (`compare`).
 *
 * A diff runs on the live CMDB's connection: the live CMDB is `main`, each
 * baseline named is attached for the length of the diff, with `query_only`
 * on, and detached after, so neither the baselines nor the CMDB can be
 * written by it.
 */
import { resolve } from 'node:path';
import { type Baseline, type Diff, type DiffPoint, type DiffRequest, NOW } from '../../../shared/baseline.js';
import { CmdbError } from '../../../shared/errors.js';
import type { ImpactCompare } from '../../../shared/impact.js';
import { connect, type Db } from '../db.js';
import { CiAttrs } from '../impact/ci-attrs.js';
import { GraphIndex } from '../impact/graph-index.js';
import { compareAnswers, type CompareQuery, type ImpactSide } from './impact-compare.js';
import { computeDiff } from './diff.js';
import { diffFile, relationshipEnds } from './diff-export.js';
import type { DataExportFormat } from '../../../shared/domain.js';
import { namesByKey } from '../resolve-cis.js';
import { realFile } from './layout.js';
import { baselineError, BaselineStore, damageOf, type OpenedBaseline, readable, SAVE_ONE } from './store.js';
import { commandLine } from '../../../shared/next-command.js';
import { nowIso } from '../rows.js';

/** A baseline opened for impact questions: its connection, graph index and CI fields, kept while the same baseline is asked about. */
interface IndexedBaseline {
  name: string;
  createdAt: string;
  opened: OpenedBaseline;
  db: Db;
  index: GraphIndex;
  attrs: CiAttrs;
}

const isNow = (point: string) => point.trim().toLowerCase() === NOW;

export class BaselineService {
  readonly store: BaselineStore;
  private indexed: IndexedBaseline | null = null;

  /** The CMDB file, as a diff names it (the real file's full path: through a link, the file it links to). */
  private readonly cmdbFile: string;

  constructor(
    private readonly db: Db,
    dbPath: string,
  ) {
    this.store = new BaselineStore(db, dbPath);
    this.cmdbFile = dbPath === '' || dbPath === ':memory:' ? ':memory:' : resolve(realFile(dbPath));
  }

  saveBaseline(req: { name: string; note: string | null }): Promise<Baseline> {
    return this.store.save(req.name, req.note);
  }

  listBaselines(): { baselines: Baseline[]; unreadable: string[]; otherFolders: string[] } {
    return this.store.list();
  }

  deleteBaseline(req: { name: string }): { deleted: boolean } {
    if (this.indexed?.name === this.store.resolve(req.name)) this.dropIndexed();
    return this.store.delete(req.name);
  }

  diff(req: DiffRequest): Diff {
    return this.diffHolding(req);
  }

  /** The diff, holding at most `inMemoryRows` differing rows per table in memory before it is done in SQL (tests lower it). */
  diffHolding(req: DiffRequest, inMemoryRows?: number): Diff {
    return this.withPoints(req.from, req.to, (from, to, [fromName, toName], [fromPoint, toPoint]) => {
      const {
        from: f,
        to: t,
        ...d
      } = computeDiff(this.db, from, to, { fromName, toName, types: req.types, limit: req.limit, inMemoryRows });
      const types = req.types && req.types.length > 0 ? [...new Set(req.types)] : null;
      return { from: f, to: t, provenance: { cmdb: this.cmdbFile, from: fromPoint, to: toPoint, types }, ...d };
    });
  }

  /** Every entry of the diff as a file (CSV, Markdown or JSON). */
  exportDiff(req: Omit<DiffRequest, 'limit'> & { format: DataExportFormat }): { filename: string; mime: string; content: string } {
    const d = this.diff({ ...req, limit: Number.MAX_SAFE_INTEGER });
    // Markdown names each relationship end; the CMDB as it is now names the ends the diff's own CI lists do not.
    return diffFile(d, req.format, req.format === 'markdown' ? namesByKey(this.db, relationshipEnds(d)) : []);
  }

  /**
   * Runs `body` with the two points attached: `main` for now, an alias for
   * each baseline (one attachment when both name the same baseline), and the
   * points' names as saved (a baseline is found in any letter case).
   */
  private withPoints<T>(
    fromPoint: string,
    toPoint: string,
    body: (from: string, to: string, names: [string, string], points: [DiffPoint, DiffPoint]) => T,
  ): T {
    const opened: OpenedBaseline[] = [];
    const attached: string[] = [];
    const schemaOf = new Map<string, string>();
    const wasQueryOnly = this.db.pragma('query_only', { simple: true }) === 1;
    try {
      const [fromName, toName] = [fromPoint, toPoint].map((p) => (isNow(p) ? NOW : this.store.resolve(p.trim()))) as [string, string];
      const pointOf = new Map<string, DiffPoint>();
      for (const name of [fromName, toName]) {
        if (name === NOW || schemaOf.has(name)) continue;
        const b = this.store.open(name);
        opened.push(b);
        pointOf.set(name, { kind: 'baseline', at: b.info.createdAt, note: b.info.note });
        const alias = `baseline_${attached.length}`;
        this.db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(b.file);
        attached.push(alias);
        schemaOf.set(name, alias);
      }
      this.db.pragma('query_only = ON');
      const schema = (name: string) => (name === NOW ? 'main' : schemaOf.get(name)!);
      const readAt: DiffPoint = { kind: NOW, at: nowIso(), note: null };
      const point = (name: string) => pointOf.get(name) ?? readAt;
      return body(schema(fromName), schema(toName), [fromName, toName], [point(fromName), point(toName)]);
    } catch (err) {
      // A damaged baseline: say which, not that the CMDB is (the service's default for SQLite's word).
      // Only then are the baselines checked: a check reads every page of each.
      if (damageOf(err) === null) throw err;
      const damaged = [...schemaOf].find(([, alias]) => !readable(this.db, alias));
      throw damaged ? baselineError(damaged[0], this.store.fileOf(damaged[0]), err) : err;
    } finally {
      if (!wasQueryOnly) this.db.pragma('query_only = OFF');
      for (const alias of attached) this.db.exec(`DETACH DATABASE ${alias}`);
      for (const b of opened) b.release();
    }
  }

  /**
   * How the answer to `query` now (on `live`, the CMDB's connection and
   * graph index) differs from the same question asked of baseline `name`.
   * Asked-about CIs the baseline lacks are listed apart (missingKeys), not
   * refused.
   */
  compareImpact(name: string, query: CompareQuery, live: ImpactSide): ImpactCompare {
    if (isNow(name)) {
      // The answer itself is the CMDB as it is: comparing it with "now" compares it with itself.
      const names = this.store.names();
      throw new CmdbError(
        'INVALID_REQUEST',
        `Compare with a baseline, not "${NOW}": the answer is already the CMDB as it is now. ` +
          (names.length === 0
            ? `This CMDB has no baselines yet. Save one with: ${commandLine(SAVE_ONE)}`
            : `The baselines are: ${names.join(', ')}.`),
        { name, baselines: names, ...(names.length === 0 ? { next: SAVE_ONE } : {}) },
      );
    }
    const b = this.indexedBaseline(this.store.resolve(name.trim(), false));
    try {
      return compareAnswers(live, b, query, { name: b.name, createdAt: b.createdAt });
    } catch (err) {
      throw damageOf(err) === null || readable(b.db) ? err : baselineError(b.name, this.store.fileOf(b.name), err);
    }
  }

  /** The baseline's connection and graph index: built once per baseline (a baseline never changes), the last one kept. */
  private indexedBaseline(name: string): IndexedBaseline {
    // A name deleted and saved again is another baseline: known by when it was saved.
    const info = this.store.info(name);
    if (this.indexed?.name === info.name && this.indexed.createdAt === info.createdAt) return this.indexed;
    this.dropIndexed();
    const opened = this.store.open(info.name, info);
    try {
      const db = connect(opened.file, { readonly: true, fileMustExist: true });
      const index = GraphIndex.build(db);
      this.indexed = { name: info.name, createdAt: opened.info.createdAt, opened, db, index, attrs: CiAttrs.build(db, index) };
      return this.indexed;
    } catch (err) {
      opened.release();
      throw baselineError(info.name, this.store.fileOf(info.name), err);
    }
  }

  private dropIndexed(): void {
    if (!this.indexed) return;
    this.indexed.db.close();
    this.indexed.opened.release();
    this.indexed = null;
  }

  close(): void {
    this.dropIndexed();
  }
}
