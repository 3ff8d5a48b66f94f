import type { Migration } from './index.js';

/**
 * The importer's own tables: saved column-mapping profiles, and the import
 * log's extra detail (options, what an import added to the types registry,
 * its outcome) so an import can be reviewed and undone.
 */
export const migration002: Migration = {
  version: 2,
  name: 'import profiles and import log detail',
  up: `
    CREATE TABLE import_profiles (
      name TEXT PRIMARY KEY,
      mapping TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    ALTER TABLE imports ADD COLUMN status TEXT NOT NULL DEFAULT 'committed';
    ALTER TABLE imports ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE imports ADD COLUMN created_types TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE imports ADD COLUMN created_rel_types TEXT NOT NULL DEFAULT '[]';

    -- sync mode retires the CIs of one source that a file no longer lists
    CREATE INDEX cis_source ON cis(source);
  `,
};
