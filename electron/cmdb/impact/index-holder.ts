/**
 * Keeps one graph index per connection, built on first use and patched or
 * rebuilt when the data changed: when the connection's data stamp
 * (data-stamp.ts: another connection's commit, or this one's writes of CI
 * data, cheap to read before every analysis) moved, or a generation counter
 * for callers that know better (`markChanged`).
 * When they moved, what changed is read back from the CMDB (index-journal.ts)
 * and the index patched (index-patch.ts, ci-attrs-patch.ts) into a new
 * object, swapped in whole: an analysis still holding the previous one is
 * not affected. A change too large to patch, a change of the relationship
 * types, a change that left no history row or new id (so a write to CIs or
 * relationships must record history, as every write of the store, the
 * importer and undo does) or markChanged rebuild instead.
 * An index someone else already built on the same connection from the same
 * data (GraphIndex.build keeps the last one) is taken instead of building a
 * second copy.
 */
import type { Db } from '../db.js';
import { CiAttrs } from './ci-attrs.js';
import { type ChangedCi, patchAttrs } from './ci-attrs-patch.js';
import { dataStamp } from '../data-stamp.js';
import { GraphIndex } from './graph-index.js';
import { readEdit } from './index-journal.js';
import { patchIndex } from './index-patch.js';

/** Told when an index is patched into another: what the edit changed (CIs created, edited or deleted, by id). */
export type IndexPatchListener = (db: Db, old: GraphIndex, next: GraphIndex, changedCis: readonly number[]) => void;
const patchListeners: IndexPatchListener[] = [];

/**
 * Lets what other modules keep with an index (the health rules' tables of
 * names) follow it to the patched index, updated for what the edit changed,
 * instead of being read again.
 */
export function onIndexPatched(listener: IndexPatchListener): void {
  patchListeners.push(listener);
}

export class IndexHolder {
  private index: GraphIndex | null = null;
  private attrs: CiAttrs | null = null;
  private stamp = '';
  private generation = 0;
  /** Only indexes built after the last markChanged may be taken over. */
  private minSerial = 0;
  /** markChanged was called: rebuild rather than patch. */
  private rebuild = false;
  /** How many times the index was built (for tests and diagnostics). */
  builds = 0;
  /** How many times it was patched after edits instead. */
  patches = 0;
  /** Why patches failed (and the index was rebuilt instead), for tests and diagnostics. */
  readonly patchErrors: string[] = [];
  /** Rows an edit may add and still be patched; by default a share of the index (index-journal.ts patchLimitFor). */
  patchLimit: number | undefined = undefined;

  constructor(private readonly db: Db) {}

  /** Forces a rebuild on next use. */
  markChanged(): void {
    this.generation++;
    this.rebuild = true;
    this.minSerial = GraphIndex.lastBuiltOn(this.db)?.serial ?? this.minSerial;
  }

  private currentStamp(): string {
    return `${dataStamp(this.db)}:${this.generation}`;
  }

  /** The index, patched or rebuilt first when the CMDB changed since it was read. */
  get(): GraphIndex {
    const now = this.currentStamp();
    if (this.index === null || now !== this.stamp) {
      // The stamp is taken before reading: a commit during the read makes the next call look again.
      if (!this.patch()) {
        const shared = GraphIndex.lastBuiltOn(this.db);
        if (shared !== null && shared !== this.index && shared.serial > this.minSerial && shared.stamp === dataStamp(this.db)) {
          this.index = shared;
        } else {
          this.index = GraphIndex.build(this.db);
          this.builds++;
        }
        this.attrs = null;
        this.rebuild = false;
      }
      this.stamp = now;
    }
    return this.index!;
  }

  /** Patches the index (and the CI fields, when read) for what changed; false when it must be rebuilt instead. */
  private patch(): boolean {
    const old = this.index;
    if (old === null || this.rebuild) return false;
    let next: ReturnType<IndexHolder['readPatch']>;
    try {
      next = this.readPatch(old);
    } catch (e) {
      // An answer from a rebuilt index beats no answer; the tests require patches to succeed (impact-index-patch.test.ts).
      this.patchErrors.push(e instanceof Error ? e.message : String(e));
      next = null;
    }
    if (next === null) return false;
    if (this.attrs !== null && (next.cis.length > 0 || next.index.nodeCount !== old.nodeCount)) {
      this.attrs = patchAttrs(this.attrs, next.index, next.cis);
    }
    this.patches++;
    this.index = next.index;
    const changed = next.cis.map((c) => c.id);
    for (const listener of patchListeners) listener(this.db, old, next.index, changed);
    return true;
  }

  /** The patched index and the changed CIs, read in one transaction; null to rebuild. */
  private readPatch(old: GraphIndex): { index: GraphIndex; cis: ChangedCi[] } | null {
    return this.db.transaction(() => {
      const read = readEdit(this.db, old, old.marks, this.patchLimit);
      if (read === null) return null;
      // The data moved but no history row or new id says how (a write that bypassed the
      // store, or one that left the graph alone): rebuild, as before patching. The largest
      // ids may have moved all the same: down, when such a write deleted the newest rows.
      if (read.marks.history === old.marks.history && read.cis.length === 0 && read.edit.dependencies.size === 0) return null;
      const index = patchIndex(old, read.edit, dataStamp(this.db), read.marks);
      return index === null ? null : { index, cis: read.cis };
    })();
  }

  /** The index and the CI fields impact answers aggregate, both current. */
  getWithAttrs(): { index: GraphIndex; attrs: CiAttrs } {
    const index = this.get();
    if (this.attrs === null) this.attrs = CiAttrs.build(this.db, index);
    return { index, attrs: this.attrs };
  }
}
