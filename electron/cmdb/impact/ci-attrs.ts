/**
 * The CI fields an impact answer aggregates (type, criticality, owner) as one
 * small code per node, so counts, owners, business services and risk over
 * hundreds of thousands of impacted CIs need no query. Built per distinct
 * value through the columns' indexes (ids only: no string per row), kept and
 * rebuilt with the graph index.
 */
import type { Db } from '../db.js';
import type { GraphIndex } from './graph-index.js';

export interface AttrColumn {
  /** Per node: index into `values`, -1 when NULL or unknown. */
  codes: Int32Array;
  values: string[];
}

export class CiAttrs {
  private constructor(
    readonly type: AttrColumn,
    readonly criticality: AttrColumn,
    readonly owner: AttrColumn,
    readonly buildMs: number,
  ) {}

  static build(db: Db, index: GraphIndex): CiAttrs {
    const t0 = performance.now();
    return db.transaction(() => {
      const column = (name: 'type' | 'criticality' | 'owner'): AttrColumn => {
        const codes = new Int32Array(index.nodeCount).fill(-1);
        const values = db.prepare(`SELECT DISTINCT ${name} FROM cis WHERE ${name} IS NOT NULL ORDER BY ${name}`).pluck().all() as string[];
        const ids = db.prepare(`SELECT id FROM cis WHERE ${name} = ?`).pluck();
        values.forEach((v, code) => {
          for (const id of ids.iterate(v) as IterableIterator<number>) {
            const node = index.nodeOf(id);
            if (node >= 0) codes[node] = code;
          }
        });
        return { codes, values };
      };
      const type = column('type');
      const criticality = column('criticality');
      const owner = column('owner');
      return new CiAttrs(type, criticality, owner, performance.now() - t0);
    })();
  }
}
