/**
 * The secondary indexes and search triggers a big load drops, to build them
 * once at the end rather than maintain them row by row.
 */
import type { Db } from '../../db.js';
import type { ParallelSearchIndex } from './search-index.js';

/** Secondary objects dropped for a bulk load into an empty CMDB, recreated at the end. */
export interface Dropped {
  cisIndexes: string[];
  otherIndexes: string[];
  triggers: string[];
}

/** Drops the secondary (non-unique) indexes of cis, relationships and history, and the search triggers. */
export function dropSecondary(db: Db): Dropped {
  const indexes = db
    .prepare(
      `SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('cis', 'relationships', 'history') AND sql NOT LIKE 'CREATE UNIQUE%'`,
    )
    .all() as Array<{ name: string; tbl_name: string; sql: string }>;
  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'cis' AND name LIKE 'cis\\_fts\\_%' ESCAPE '\\'`)
    .all() as Array<{ name: string; sql: string }>;
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  return {
    cisIndexes: indexes.filter((i) => i.tbl_name === 'cis').map((i) => i.sql),
    otherIndexes: indexes.filter((i) => i.tbl_name !== 'cis').map((i) => i.sql),
    triggers: triggers.map((t) => t.sql),
  };
}

/** Builds the dropped indexes again, and the search index: copied from its worker when it has one, else rebuilt. */
export async function restoreSecondary(
  db: Db,
  d: Dropped,
  trace: (what: string) => void,
  search: ParallelSearchIndex | null,
): Promise<void> {
  for (const sql of [...d.cisIndexes, ...d.otherIndexes]) db.exec(sql);
  trace('indexes built');
  for (const sql of d.triggers) db.exec(sql);
  if (d.triggers.length > 0) {
    const copied = search !== null && (await search.copyInto(db, db.prepare('SELECT count(*) FROM cis').pluck().get() as number));
    if (!copied) db.exec("INSERT INTO ci_fts(ci_fts) VALUES ('rebuild')");
    trace(copied ? 'search index copied from its worker' : 'search index rebuilt');
  }
}
