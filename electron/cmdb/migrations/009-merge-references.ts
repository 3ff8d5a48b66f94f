import type { Migration } from './index.js';

/**
 * What a merge renamed outside the CIs: the saved change assessments and
 * saved graph views that named the merged key and now name the kept one,
 * each with its value before and after, so undoing the merge puts back those
 * nobody changed since (health/merge-refs.ts).
 */
export const migration009: Migration = {
  version: 9,
  name: 'references renamed by merges',
  up: `
    ALTER TABLE merges ADD COLUMN renamed TEXT NOT NULL DEFAULT '{"changes":[],"views":[]}';
  `,
};
