import type { Migration } from './index.js';

/**
 * What an import's update took a CI or relationship from: `history.prior_import_id` is, on an import's update
 * row (an update, a sync's retirement), the import_id the row had before it (0: none, the row was made or last
 * kept by hand). Undo gives the row that import back (undo.ts), and with it the source's claim on it: a sync
 * removes the relationships whose last import was one of its source's. NULL: not recorded (an edit, a merge, an
 * undo's own rows, and every import's row written before this migration: for those, undo takes the import of
 * the row's last history entry before, as it did before this migration).
 */
export const migration012: Migration = {
  version: 12,
  name: 'history keeps the import an update took a row from',
  up: `
    ALTER TABLE history ADD COLUMN prior_import_id INTEGER;
  `,
};
