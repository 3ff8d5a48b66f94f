import type { Migration } from './index.js';

/**
 * Merges of duplicate CIs (issue 18), each with what it did, enough to undo
 * it exactly: the merged CI's whole row (its id and key too), the
 * relationships moved (whole rows as they were, and the rows that replaced them), the
 * ones dropped (whole rows), and the kept CI's row before and after. `undone_at` is
 * set when the merge is undone; a merge is undone once.
 */
export const migration008: Migration = {
  version: 8,
  name: 'merges of duplicate CIs',
  up: `
    CREATE TABLE merges (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      kept_id INTEGER NOT NULL,
      kept_key TEXT NOT NULL,
      merged_id INTEGER NOT NULL,
      merged_key TEXT NOT NULL,
      merged_name TEXT NOT NULL,
      -- JSON: the merged CI's row, every column
      merged_row TEXT NOT NULL,
      -- JSON: the kept CI's row before the merge and after it, every column
      kept_before TEXT NOT NULL,
      kept_after TEXT NOT NULL,
      -- JSON: [{before: row, afterId}] for each relationship moved: the row as it was, and the id of the row
      -- that replaced it between the new ends
      moved TEXT NOT NULL,
      -- JSON: [{row, reason}] for each relationship dropped ('duplicate' or 'self')
      dropped TEXT NOT NULL,
      -- JSON array: the fields and attributes (attributes.<key>) the kept CI took
      filled TEXT NOT NULL,
      source TEXT NOT NULL,
      undone_at TEXT
    ) STRICT;
    CREATE INDEX merges_kept_key ON merges(kept_key);
    CREATE INDEX merges_merged_key ON merges(merged_key);
  `,
};
