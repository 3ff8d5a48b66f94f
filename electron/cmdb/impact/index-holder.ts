/**
 * Keeps one graph index per connection, built on first use and rebuilt when
 * the data changed. Two signals, both cheap to read before every analysis:
 * - `PRAGMA data_version` changes when another connection (an import worker,
 *   another process) commits;
 * - `total_changes()` counts every row this connection inserted, updated or
 *   deleted (edits, imports, undo), whatever code path made the write;
 * plus a generation counter for callers that know better (`markChanged`).
 * An index someone else already built on the same connection from the same
 * data (GraphIndex.build keeps the last one) is taken instead of building a
 * second copy.
 */
import type { Db } from '../db.js';
import { CiAttrs } from './ci-attrs.js';
import { dataStamp, GraphIndex } from './graph-index.js';

export class IndexHolder {
  private index: GraphIndex | null = null;
  private attrs: CiAttrs | null = null;
  private stamp = '';
  private generation = 0;
  /** Only indexes built after the last markChanged may be taken over. */
  private minSerial = 0;
  private readonly dataVersion;
  private readonly totalChanges;
  /** How many times the index was built (for tests and diagnostics). */
  builds = 0;

  constructor(private readonly db: Db) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /** Forces a rebuild on next use. */
  markChanged(): void {
    this.generation++;
    this.minSerial = GraphIndex.lastBuiltOn(this.db)?.serial ?? this.minSerial;
  }

  private currentStamp(): string {
    return `${this.dataVersion.get() as number}:${this.totalChanges.get() as number}:${this.generation}`;
  }

  /** The index, rebuilt first when the CMDB changed since it was built. */
  get(): GraphIndex {
    const now = this.currentStamp();
    if (this.index === null || now !== this.stamp) {
      // The stamp is taken before reading: a commit during the build makes the next call rebuild.
      const shared = GraphIndex.lastBuiltOn(this.db);
      if (shared !== null && shared !== this.index && shared.serial > this.minSerial && shared.stamp === dataStamp(this.db)) {
        this.index = shared;
      } else {
        this.index = GraphIndex.build(this.db);
        this.builds++;
      }
      this.attrs = null;
      this.stamp = now;
    }
    return this.index;
  }

  /** The index and the CI fields impact answers aggregate, both current. */
  getWithAttrs(): { index: GraphIndex; attrs: CiAttrs } {
    const index = this.get();
    if (this.attrs === null) this.attrs = CiAttrs.build(this.db, index);
    return { index, attrs: this.attrs };
  }

  /**
   * Runs a write that does not touch the graph (saving a change assessment)
   * without making a fresh index look stale.
   */
  ownWrite<T>(fn: () => T): T {
    const fresh = this.index !== null && this.currentStamp() === this.stamp;
    const out = fn();
    if (fresh) this.stamp = this.currentStamp();
    return out;
  }
}
