/**
 * A file's type values as one import reads them: each distinct value mapped
 * once (the hot loop sees the same few a million times) and its rows
 * counted, so the result can name the values that make a new type
 * (ImportResult.newTypeValues) for the mapping's typeValues or relTypeValues.
 */
import type { NewTypeValue } from '../../../shared/domain.js';
import { MAX_LISTED } from '../../../shared/import-vocab.js';

/** Distinct values counted; past this a value is mapped each time and not counted (as row-cells.ts memo stops caching). */
const MAX_DISTINCT = 10_000;

export class TypeTally<T> {
  private readonly seen = new Map<string, { mapped: T; count: number }>();
  /** The value the current row counted (null: none yet), for takeBack. */
  private current: string | null = null;

  constructor(private readonly map: (raw: string) => T) {}

  /** The value's type (the mapper's answer), its row counted. */
  readonly of = (raw: string): T => {
    let s = this.seen.get(raw);
    if (s === undefined) {
      if (this.seen.size >= MAX_DISTINCT) return this.map(raw);
      s = { mapped: this.map(raw), count: 0 };
      this.seen.set(raw, s);
    }
    s.count++;
    this.current = raw;
    return s.mapped;
  };

  /** A new row begins (takeBack takes back only what this one counted). */
  nextRow(): void {
    this.current = null;
  }

  /** Takes back the current row's count: the row is handed to the import thread, which reads and counts it again. */
  takeBack(): void {
    if (this.current !== null) this.seen.get(this.current)!.count--;
    this.current = null;
  }

  /** The rows of each value so far, to send from the relationship planner's thread. */
  counts(): Array<[value: string, count: number]> {
    return [...this.seen].map(([v, s]) => [v, s.count]);
  }

  /** Adds the counts of rows another thread read (the planner's). */
  add(counts: ReadonlyArray<[value: string, count: number]>): void {
    for (const [v, n] of counts) {
      let s = this.seen.get(v);
      if (s === undefined) {
        if (this.seen.size >= MAX_DISTINCT) continue;
        s = { mapped: this.map(v), count: 0 };
        this.seen.set(v, s);
      }
      s.count += n;
    }
  }

  /**
   * The values read as one of `created` (the types this import added), most frequent first, the first MAX_LISTED:
   * `typeOf` names the type of a mapper's answer.
   */
  newValues(field: NewTypeValue['field'], column: string | null, created: readonly string[], typeOf: (m: T) => string): NewTypeValue[] {
    if (created.length === 0) return [];
    const made = new Set(created);
    const out: NewTypeValue[] = [];
    for (const [value, s] of this.seen) {
      const type = typeOf(s.mapped);
      if (s.count > 0 && made.has(type)) out.push({ field, column, value, type, count: s.count });
    }
    return out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, MAX_LISTED);
  }
}
