import { migration001 } from './001-initial.js';
import { migration002 } from './002-import.js';
import { migration003 } from './003-changes.js';
import { migration004 } from './004-import-provenance.js';
import { migration005 } from './005-lean-import-indexes.js';
import { migration006 } from './006-saved-views.js';
import { migration007 } from './007-relationships-by-target-type.js';
import { migration008 } from './008-merges.js';
import { migration009 } from './009-merge-references.js';
import { migration010 } from './010-search-words.js';
import { migration011 } from './011-search-without-prefix-indexes.js';
import { migration012 } from './012-history-prior-import.js';

/** One schema step. Migrations are append-only: never edit a released one. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration transaction. */
  up: string;
  /**
   * Only rebuilds a derived index (the search index), and the index it replaces answers every query the same.
   * A baseline's upgraded copy (baselines/store.ts) skips it and keeps the index it was saved with: the copy
   * is made on every read of the baseline, and the rebuild would cost seconds each time at a million CIs.
   * Migration 10 must not say so (its index splits words differently), and a later migration must not assume
   * a baseline copy's search index has the definition of the latest one.
   */
  derivedIndex?: true;
}

/** Every migration, in order. The runner checks the numbers only increase. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
];
