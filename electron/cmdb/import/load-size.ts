/** How big an import's files are for it to load in bulk; a module of its own so the CLI's entry can read it cheaply. */

/**
 * Files at least this big (and bigger than the CMDB, at ~100 bytes a row) defer index maintenance to the end;
 * into an empty CMDB they are written through a rollback journal (stages/connection.ts).
 */
export const LARGE_LOAD_BYTES = 16 * 1024 * 1024;

/**
 * Files from this size on get helper threads (bulk/helpers.ts): into an empty CMDB, the search index's and the
 * relationship planner's; a re-import, the planner, when its relationships file lists many of the stored ones.
 * Measured (medians of 6, alternating): the medium estate's relationships file synced alone (15.9 MB) 1.97 s
 * without the planner and 1.43 s with it, the 30,000-CI estate's two files (10.3 MB) 0.89 s and 0.82 s; into a
 * new CMDB, 30,000 CIs (10.3 MB) 1.60 s without the helpers and 1.38 s with them, 15,000 CIs (5.1 MB) 0.90 s
 * and 0.86 s.
 */
export const PARALLEL_FROM_BYTES = 4 * 1024 * 1024;
