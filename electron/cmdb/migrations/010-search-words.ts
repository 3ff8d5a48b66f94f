import type { Migration } from './index.js';

/**
 * The search index splits names, keys and owners into words at hyphens, dots
 * and underscores too, so a word inside one is found: `pay` finds
 * `lnx-pay-01`, `müller` finds `jürgen.müller@example.de`, `cluster` finds
 * the type `kubernetes_cluster`. Migration 1 kept `-`, `_` and `.` inside
 * words, so only a value's first part could be searched. A search for a
 * whole key (`srv-web-02`, `10.20.0.55`) still finds it: the search asks for
 * its words as a phrase (search.ts, toFtsQuery). The index is rebuilt from
 * the CIs here: about 1.6 s for 200,000 CIs, once. A CMDB without CIs (a
 * new one) is left alone: reading the new index in the connection that then
 * bulk-loads it would keep FTS5's cached, empty, layout of it in that
 * transaction, over the index the load copies in (search-index.ts).
 */
export const migration010: Migration = {
  version: 10,
  name: 'search words split at hyphens, dots and underscores',
  up: `
    DROP TABLE ci_fts;
    CREATE VIRTUAL TABLE ci_fts USING fts5(
      key, name, type, owner, description, attributes,
      content = 'cis', content_rowid = 'id',
      tokenize = "unicode61 remove_diacritics 2",
      prefix = '2 3'
    );
    INSERT INTO ci_fts(ci_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM cis);
  `,
};
