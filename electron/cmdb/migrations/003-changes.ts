import type { Migration } from './index.js';

/**
 * Change assessments: a named change, its changed CIs, and the impact result
 * saved with it; and a partial index for building the impact graph index.
 */
export const migration003: Migration = {
  version: 3,
  name: 'change assessments, grouped relationships index',
  up: `
    CREATE TABLE changes (
      id INTEGER PRIMARY KEY,
      ref TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      planned_window TEXT,
      description TEXT,
      -- JSON array of the changed CI keys
      keys TEXT NOT NULL,
      -- JSON: {"types": [...] | null, "depth": n | null}
      options TEXT NOT NULL DEFAULT '{}',
      risk TEXT NOT NULL,
      down INTEGER NOT NULL,
      degraded INTEGER NOT NULL,
      -- JSON: the saved analysis without its CI list (counts, risk, services, owners)
      summary TEXT NOT NULL,
      -- JSON: [[key, state], ...] for every impacted CI when saved, to say what differs later
      impacted TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX changes_updated ON changes(updated_at);

    -- The impact index reads redundancy groups apart from the (covering) scan
    -- of every relationship: this small partial index holds just those rows,
    -- in the order of that scan.
    CREATE INDEX relationships_grouped ON relationships(source_id, target_id, type, redundancy_group, min_up)
      WHERE redundancy_group IS NOT NULL OR min_up IS NOT NULL;
  `,
};
