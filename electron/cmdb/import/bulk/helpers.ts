/**
 * A load of PARALLEL_FROM_BYTES or more into an empty CMDB has two helper threads: one builds the search
 * index of the CIs it is sent, the other reads and plans the relationships file once it knows every CI's
 * key (endpoints by key: not when every endpoint is a name). Both start before the transaction (see ATTACH
 * in search-index.ts). A re-import of that size (a CMDB that is not empty, a relationships file listing many
 * of its relationships) has the planner alone, reading the stored keys itself once the import has begun.
 */
import type { Db } from '../../db.js';
import type { ImportContext, Sources } from '../stages/context.js';
import { PARALLEL_FROM_BYTES } from '../load-size.js';
import { readsAllKeys, readsAllStored } from '../stages/stored-rels.js';
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
  const helpers = emptyBefore && sources.cis && ctx.mode !== 'update-only' && ctx.bytesTotal >= (input.parallelFrom ?? PARALLEL_FROM_BYTES);
  const limits = input.helperLimits;
  const searchIndex = helpers ? ParallelSearchIndex.start(db, limits?.searchLag) : null;
  const planRequest = {
    source: input.relationships!,
    readOptions: { encoding: input.encoding, delimiter: input.delimiter },
    mapping,
    relTypes: db.prepare('SELECT name, dependent FROM rel_types').raw().all() as Array<[string, 'source' | 'target']>,
    ahead: limits?.planAhead,
    attributes: ctx.ciLinesRejected === null,
  };
  const byKey = sources.rels !== null && mapping.endpointMatch !== 'name';
  const planner =
    searchIndex && byKey
      ? RelPlanner.start(planRequest)
      : replans(db, ctx, sources, emptyBefore)
        ? RelPlanner.start({ ...planRequest, stored: db.name, readsRels: sources.cis !== null })
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

/**
 * Whether a re-import gets the planner: files of PARALLEL_FROM_BYTES or more into a CMDB that is not empty, held in a
 * file that another connection can read while this one writes (WAL), its relationships file listing many of the
 * stored ones and naming more endpoints than the CMDB has CIs.
 */
function replans(db: Db, ctx: ImportContext, sources: Sources, emptyBefore: boolean): boolean {
  const rels = sources.rels;
  if (emptyBefore || rels === null || ctx.mapping.endpointMatch === 'name') return false;
  if (ctx.bytesTotal < (ctx.input.parallelFrom ?? PARALLEL_FROM_BYTES)) return false;
  if (db.memory || db.pragma('main.journal_mode', { simple: true }) !== 'wal') return false;
  const storedCount = (db.prepare('SELECT max(id) FROM relationships').pluck().get() as number | null) ?? 0;
  // The planner holds CI ids in 32-bit arrays: every id this import can give (at most one a byte of the CIs
  // file) must stay below 2^31, or a relationship would be planned to a wrong CI.
  const maxCi = (db.prepare('SELECT max(id) FROM cis').pluck().get() as number | null) ?? 0;
  if (maxCi + (sources.cis?.bytesTotal ?? 0) >= 2 ** 31) return false;
  // The planner reads every stored CI's key before it plans a row: worth it only where the import thread would
  // too (relationships.ts keyLookup, which counts the CIs as their largest id, as here).
  return readsAllKeys(rels.bytesTotal, maxCi) && readsAllStored(rels.bytesTotal, storedCount);
}
