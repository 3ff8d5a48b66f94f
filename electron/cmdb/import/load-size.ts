/** How big an import's files are for it to load in bulk; a module of its own so the CLI's entry can read it cheaply. */

/**
 * Files at least this big (and bigger than the CMDB, at ~100 bytes a row) defer index maintenance to the end,
 * and get helper threads (bulk/helpers.ts).
 */
export const LARGE_LOAD_BYTES = 16 * 1024 * 1024;

/**
 * A re-import's files from this size on plan their relationships on a thread of their own (bulk/helpers.ts,
 * when the relationships file lists many of the stored ones). The medium estate's relationships file alone
 * (15.9 MB, 326,719 relationships, `--mode sync`) took 1.97 s without the planner and 1.43 s with it; the
 * 30,000-CI estate's two files (10.3 MB) 0.89 s and 0.82 s (medians of 6, alternating).
 */
export const REPLAN_BYTES = 4 * 1024 * 1024;
