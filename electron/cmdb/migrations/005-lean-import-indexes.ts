import type { Migration } from './index.js';

/**
 * The two created_import_id indexes go. Only undo reads rows by the import
 * that created them: a handful of table scans per undo (the conflict check,
 * the history it removes, the deletes), which a person waits for once; a
 * million-row import paid for both indexes on every row it wrote.
 */
export const migration005: Migration = {
  version: 5,
  name: 'no created_import_id indexes',
  up: `
    DROP INDEX IF EXISTS cis_created_import;
    DROP INDEX IF EXISTS relationships_created_import;
  `,
};
