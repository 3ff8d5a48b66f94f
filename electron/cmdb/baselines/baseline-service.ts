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
import { type Baseline, type Diff, type DiffRequest, NOW } from '../../../shared/baseline.js';
import type { ImpactCompare } from '../../../shared/impact.js';
import { connect, type Db } from '../db.js';
import { GraphIndex } from '../impact/graph-index.js';
import { compareAnswers, type CompareQuery, type ImpactSide } from './impact-compare.js';
import { computeDiff } from './diff.js';
import { diffFile, type DiffFormat, relationshipEnds } from './diff-export.js';
import { namesByKey } from '../resolve-cis.js';
import { baselineError, BaselineStore, damageOf, type OpenedBaseline, readable } from './store.js';

/** A baseline opened for impact questions: its connection and graph index, kept while the same baseline is asked about. */
interface IndexedBaseline {
  name: string;
  createdAt: string;
  opened: OpenedBaseline;
  db: Db;
  index: GraphIndex;
}

const isNow = (point: string) => point.trim().toLowerCase() === NOW;

export class BaselineService {
  readonly store: BaselineStore;
  private indexed: IndexedBaseline | null = null;

  constructor(
    private readonly db: Db,
    dbPath: string,
  ) {
    this.store = new BaselineStore(db, dbPath);
  }

  saveBaseline(req: { name: string; note: string | null }): Promise<Baseline> {
    return this.store.save(req.name, req.note);
  }

  listBaselines(): { baselines: Baseline[] } {
    return { baselines: this.store.list() };
  }

  deleteBaseline(req: { name: string }): { deleted: boolean } {
    if (this.indexed?.name === req.name) this.dropIndexed();
    return this.store.delete(req.name);
  }

  diff(req: DiffRequest): Diff {
    return this.diffHolding(req);
  }

  /** The diff, holding at most `inMemoryRows` differing rows per table in memory before it is done in SQL (tests lower it). */
  diffHolding(req: DiffRequest, inMemoryRows?: number): Diff {
    return this.withPoints(req.from, req.to, (from, to) =>
      computeDiff(this.db, from, to, { fromName: req.from, toName: req.to, types: req.types, limit: req.limit, inMemoryRows }),
    );
  }

  /** Every entry of the diff as a file (CSV, Markdown or JSON). */
  exportDiff(req: Omit<DiffRequest, 'limit'> & { format: DiffFormat }): { filename: string; mime: string; content: string } {
    const d = this.diff({ ...req, limit: Number.MAX_SAFE_INTEGER });
    // Markdown names each relationship end; the CMDB as it is now names the ends the diff's own CI lists do not.
    return diffFile(d, req.format, req.format === 'markdown' ? namesByKey(this.db, relationshipEnds(d)) : []);
  }

  /**
   * Runs `body` with the two points attached: `main` for now, an alias for
   * each baseline (one attachment when both name the same baseline).
   */
  private withPoints<T>(fromPoint: string, toPoint: string, body: (from: string, to: string) => T): T {
    const opened: OpenedBaseline[] = [];
    const attached: string[] = [];
    const schemaOf = new Map<string, string>();
    const wasQueryOnly = this.db.pragma('query_only', { simple: true }) === 1;
    try {
      for (const point of [fromPoint, toPoint]) {
        if (isNow(point) || schemaOf.has(point)) continue;
        const b = this.store.open(point);
        opened.push(b);
        const alias = `baseline_${attached.length}`;
        this.db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(b.file);
        attached.push(alias);
        schemaOf.set(point, alias);
      }
      this.db.pragma('query_only = ON');
      const schema = (p: string) => (isNow(p) ? 'main' : schemaOf.get(p)!);
      return body(schema(fromPoint), schema(toPoint));
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
    const b = this.indexedBaseline(name);
    try {
      return compareAnswers(live, b, query, { name, createdAt: b.createdAt });
    } catch (err) {
      throw damageOf(err) === null || readable(b.db) ? err : baselineError(name, this.store.fileOf(name), err);
    }
  }

  /** The baseline's connection and graph index: built once per baseline (a baseline never changes), the last one kept. */
  private indexedBaseline(name: string): IndexedBaseline {
    // A name deleted and saved again is another baseline: known by when it was saved.
    const info = this.store.info(name);
    if (this.indexed?.name === name && this.indexed.createdAt === info.createdAt) return this.indexed;
    this.dropIndexed();
    const opened = this.store.open(name, info);
    try {
      const db = connect(opened.file, { readonly: true, fileMustExist: true });
      this.indexed = { name, createdAt: opened.info.createdAt, opened, db, index: GraphIndex.build(db) };
      return this.indexed;
    } catch (err) {
      opened.release();
      throw baselineError(name, this.store.fileOf(name), err);
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
