/** Reading the types registry and the CMDB's vital statistics. */
import type { CiType, RelType, Stats } from '../../shared/domain.js';
import type { Db } from './db.js';
import { dataStamp } from './data-stamp.js';

type Types = { ciTypes: CiType[]; relTypes: RelType[] };

/**
 * `getTypes` kept while the data is unchanged (`dataStamp`: another
 * connection's commit or this one's writes). Counting relationships by type
 * reads every row (about 300 ms at 568,799), and the graph view, Impact and
 * Compare ask for the types on entry, beside their own call: the host
 * answers one call at a time, so the graph's neighbourhood waited for it.
 * Each answer is a copy, so a caller cannot change the kept one.
 */
export function typesReader(db: Db): () => Types {
  let stamp = '';
  let kept: Types | null = null;
  return () => {
    // Inside a transaction (an import on this connection) the counts may be rolled back, which no stamp would show.
    if (db.inTransaction) return getTypes(db);
    // The stamp is taken before reading: a commit during the read makes the next call read again.
    const now = dataStamp(db);
    if (kept === null || now !== stamp) {
      kept = getTypes(db);
      stamp = now;
    }
    return { ciTypes: kept.ciTypes.map((t) => ({ ...t })), relTypes: kept.relTypes.map((t) => ({ ...t })) };
  };
}

export function getTypes(db: Db): Types {
  const ciTypes = (
    db
      .prepare(
        `SELECT t.name, t.label, t.flagged, t.builtin, (SELECT count(*) FROM cis c WHERE c.type = t.name) AS count
         FROM ci_types t ORDER BY t.name`,
      )
      .all() as Array<{ name: string; label: string; flagged: number; builtin: number; count: number }>
  ).map((t) => ({ ...t, flagged: t.flagged === 1, builtin: t.builtin === 1 }));
  const relCounts = new Map(
    (db.prepare('SELECT type, count(*) AS n FROM relationships GROUP BY type').all() as Array<{ type: string; n: number }>).map((r) => [
      r.type,
      r.n,
    ]),
  );
  const relTypes = (
    db.prepare('SELECT name, label, reverse_label, dependent, strength, flagged, builtin FROM rel_types ORDER BY name').all() as Array<{
      name: string;
      label: string;
      reverse_label: string;
      dependent: 'source' | 'target';
      strength: 'hard' | 'soft' | 'none';
      flagged: number;
      builtin: number;
    }>
  ).map((t) => ({
    name: t.name,
    label: t.label,
    reverseLabel: t.reverse_label,
    dependent: t.dependent,
    strength: t.strength,
    flagged: t.flagged === 1,
    builtin: t.builtin === 1,
    count: relCounts.get(t.name) ?? 0,
  }));
  return { ciTypes, relTypes };
}

export function getStats(db: Db, path: string): Stats {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const byType = db.prepare('SELECT type, count(*) AS count FROM cis GROUP BY type ORDER BY count DESC').all() as Stats['byType'];
  const relationshipsByType = db
    .prepare('SELECT type, count(*) AS count FROM relationships GROUP BY type ORDER BY count DESC')
    .all() as Stats['relationshipsByType'];
  const flagged = db
    .prepare('SELECT name FROM ci_types WHERE flagged = 1 UNION ALL SELECT name FROM rel_types WHERE flagged = 1')
    .pluck()
    .all() as string[];
  const last = db.prepare('SELECT max(finished_at) FROM imports WHERE undone_at IS NULL').pluck().get() as string | null;
  return {
    path,
    cis: n('SELECT count(*) AS n FROM cis'),
    relationships: n('SELECT count(*) AS n FROM relationships'),
    byType,
    relationshipsByType,
    flaggedTypes: flagged,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    lastImportAt: last,
  };
}
