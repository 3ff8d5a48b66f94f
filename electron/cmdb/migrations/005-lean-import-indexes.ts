import type { Migration } from './index.js';

/**
 * The two created_import_id indexes go. Only undo reads rows by the import
 * that created them, once per undo, and a scan of the table serves it; a
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
