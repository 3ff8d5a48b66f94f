/**
 * The import log: the committed imports, newest first (undo.ts reverts one).
 */
import type { ImportRecord } from '../../../shared/import.js';
import type { Db } from '../db.js';

/** A row of the imports table. */
export interface ImportRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  files: string;
  content_hash: string | null;
  mode: string;
  source: string | null;
  history_mark?: number | null;
  counts: string;
  duration_ms: number | null;
  undone_at: string | null;
  created_types: string;
  created_rel_types: string;
}

/** JSON text parsed, or the fallback when it is empty or not JSON. */
export function json<T>(s: string | null, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

function toRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    files: json<string[]>(r.files, []),
    contentHash: r.content_hash,
    mode: r.mode,
    source: r.source,
    counts: json<ImportRecord['counts']>(r.counts, {}),
    durationMs: r.duration_ms,
    undoneAt: r.undone_at,
    createdTypes: json<string[]>(r.created_types, []),
    createdRelTypes: json<string[]>(r.created_rel_types, []),
  };
}

/** The imports, newest first. */
export function listImports(db: Db, limit = 50, offset = 0): { items: ImportRecord[]; total: number } {
  const rows = db
    .prepare(`SELECT * FROM imports WHERE status = 'committed' ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(limit, offset) as ImportRow[];
  const total = db.prepare(`SELECT count(*) FROM imports WHERE status = 'committed'`).pluck().get() as number;
  return { items: rows.map(toRecord), total };
}
