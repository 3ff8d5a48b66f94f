import type { Migration } from './index.js';

/**
 * Import provenance on the rows themselves: a CI or relationship created by
 * an import names that import in `created_import_id`, instead of one history
 * row per created row (history.ts shows the 'create' entry from it, undo
 * deletes by it). Updates, retirements and deletes keep their field-level
 * history rows. `imports.history_mark` is the newest history id when the
 * import committed: history after it is "later" for undo's refusal check.
 * Nothing looks rows up by their last import_id, so those two indexes go.
 */
export const migration004: Migration = {
  version: 4,
  name: 'import provenance on created rows',
  up: `
    ALTER TABLE cis ADD COLUMN created_import_id INTEGER REFERENCES imports(id);
    ALTER TABLE relationships ADD COLUMN created_import_id INTEGER REFERENCES imports(id);
    ALTER TABLE imports ADD COLUMN history_mark INTEGER;
    CREATE INDEX cis_created_import ON cis(created_import_id) WHERE created_import_id IS NOT NULL;
    CREATE INDEX relationships_created_import ON relationships(created_import_id) WHERE created_import_id IS NOT NULL;
    DROP INDEX cis_import;
    DROP INDEX relationships_import;
  `,
};
