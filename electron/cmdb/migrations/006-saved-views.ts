import type { Migration } from './index.js';

/** Saved graph views (issue 16): a name, an optional note and the view's spec as JSON (shared/graph.ts graphViewSpecSchema). */
export const migration006: Migration = {
  version: 6,
  name: 'saved graph views',
  up: `
    CREATE TABLE saved_views (
      name TEXT PRIMARY KEY,
      note TEXT,
      spec TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
