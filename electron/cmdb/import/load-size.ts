/** How big an import's files are for it to load in bulk; a module of its own so the CLI's entry can read it cheaply. */

/**
 * Files at least this big (and bigger than the CMDB, at ~100 bytes a row) defer index maintenance to the end,
 * and get helper threads (bulk/helpers.ts).
 */
export const LARGE_LOAD_BYTES = 16 * 1024 * 1024;
