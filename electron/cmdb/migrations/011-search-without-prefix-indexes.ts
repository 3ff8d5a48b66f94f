import type { Migration } from './index.js';

/**
 * The search index without its two- and three-letter prefix indexes
 * (`prefix = '2 3'`). A prefix search (`se*`, `ser*`) is still answered, from
 * the index's terms instead of a copy of them kept per prefix length. At
 * 981,250 CIs the index takes 150 MB instead of 345 MB, a fresh import of them
 * is about 9% faster (the search index's worker no longer holds the import
 * back), and a half-typed search such as `database-m` takes 23-27 ms instead
 * of 7 ms at its median (tests/bench/RESULTS.md).
 *
 * The index is rebuilt from the CIs here, once (8.6 s at 981,250 CIs; the
 * pages it frees are reused as the CMDB grows, the file does not shrink). A
 * baseline saved by an older schema is upgraded in a temporary copy each time
 * it is read: that copy skips this migration (`derivedIndex`) and keeps its
 * index with the prefix indexes, which answers every search the same. A CMDB
 * without CIs (a new one) is left alone, as in migration 10.
 */
export const migration011: Migration = {
  version: 11,
  name: 'search index without prefix indexes',
  derivedIndex: true,
  up: `
    DROP TABLE ci_fts;
    CREATE VIRTUAL TABLE ci_fts USING fts5(
      key, name, type, owner, description, attributes,
      content = 'cis', content_rowid = 'id',
      tokenize = "unicode61 remove_diacritics 2"
    );
    INSERT INTO ci_fts(ci_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM cis);
  `,
};
