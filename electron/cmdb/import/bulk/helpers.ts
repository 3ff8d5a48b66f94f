/**
 * A big load into an empty CMDB has two helper threads: one builds the search index of the CIs it is
 * sent, the other reads and plans the relationships file once it knows every CI's key (endpoints by
 * key: not when every endpoint is a name). Both start before the transaction (see ATTACH in search-index.ts).
 */
import type { Db } from '../../db.js';
import type { ImportContext, Sources } from '../stages/context.js';
import { LARGE_LOAD_BYTES } from '../stages/context.js';
import { RelPlanner } from './rel-planner.js';
import { ParallelSearchIndex } from './search-index.js';

/** The helper threads of one import (either may be null). */
export interface Helpers {
  searchIndex: ParallelSearchIndex | null;
  planner: RelPlanner | null;
  /**
   * After the transaction, before the connection's settings are restored: stops the helper threads and detaches
   * the search index's scratch database (a helper still writing to it would otherwise hold locks the journal switch waits on).
   */
  close(): Promise<void>;
}

/** Starts the helpers when the load is big enough and goes into an empty CMDB (emptyBefore). */
export function startHelpers(db: Db, ctx: ImportContext, sources: Sources, emptyBefore: boolean): Helpers {
  const { input, mapping } = ctx;
  const helpers = emptyBefore && sources.cis && ctx.mode !== 'update-only' && ctx.bytesTotal >= (input.parallelFrom ?? LARGE_LOAD_BYTES);
  const limits = input.helperLimits;
  const searchIndex = helpers ? ParallelSearchIndex.start(db, limits?.searchLag) : null;
  const planner =
    searchIndex && sources.rels && mapping.endpointMatch !== 'name'
      ? RelPlanner.start({
          source: input.relationships!,
          readOptions: { encoding: input.encoding, delimiter: input.delimiter },
          mapping,
          relTypes: db.prepare('SELECT name, dependent FROM rel_types').raw().all() as Array<[string, 'source' | 'target']>,
          ahead: limits?.planAhead,
        })
      : null;
  return {
    searchIndex,
    planner,
    async close() {
      await searchIndex?.close(db);
      await planner?.close();
    },
  };
}
