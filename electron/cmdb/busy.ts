/**
 * A locked CMDB, explained: SQLite's "database is locked" becomes a BUSY
 * error naming the writer that holds the CMDB (holder.ts) and what to do, and
 * a long write refuses at once, rather than after the busy timeout, when another
 * long writer holds the CMDB.
 */
import { CmdbError } from '../../shared/errors.js';
import type { Db } from './db.js';
import { announceWriter, currentWriter } from './holder.js';

/** True for SQLite's "database is locked" and "database table is locked" (SQLITE_BUSY_*, SQLITE_LOCKED_*). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The BUSY error for the CMDB at `dbPath`: who holds it (when a writer announced itself) and what to do. */
export function busyError(dbPath: string): CmdbError {
  const writer = currentWriter(dbPath);
  if (!writer) {
    return new CmdbError(
      'BUSY',
      `The CMDB is busy: another program has ${dbPath} open for writing (another app window, \`cmdb serve\` or a \`cmdb\` command importing, undoing or editing). Wait for it to finish, then try again.`,
      { path: dbPath, writer: null },
    );
  }
  const who = `${writer.what} (${writer.door}, process ${writer.pid}, started ${startedLabel(writer.startedAt)})`;
  const next = writer.cancel
    ? `Wait for it to finish or cancel it (${writer.cancel}), then try again.`
    : 'Wait for it to finish, then try again.';
  const message = writer.filling
    ? `The CMDB is being filled by ${who}; it is empty until that import finishes. ${next}`
    : `The CMDB is busy: ${who} is writing to it. ${next}`;
  return new CmdbError('BUSY', message, { path: dbPath, writer });
}

/** A BUSY error for SQLite's lock errors, anything else unchanged. */
export function explainBusy(err: unknown, dbPath: string): unknown {
  return isBusyError(err) ? busyError(dbPath) : err;
}

/** "14:02:11" today, "2025-03-01 14:02:11" on another day (local time). */
function startedLabel(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const now = new Date();
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/**
 * Runs `fn`, a first lock taken (BEGIN IMMEDIATE, an opening read), without waiting behind a long writer:
 * it tries without waiting; when the CMDB is locked by a writer that announced itself, it refuses at once
 * naming it (waiting the whole busy timeout would end the same way); otherwise, a short write by someone
 * else, it waits the connection's busy timeout as usual. `fn` must take its lock before it changes anything.
 */
export function withoutWaitingOnWriter<T>(db: Db, fn: () => T): T {
  if (db.memory) return fn();
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } catch (err) {
    if (!isBusyError(err) || timeout === 0 || currentWriter(db.name)) throw explainBusy(err, db.name);
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  try {
    return fn();
  } catch (err) {
    throw explainBusy(err, db.name);
  }
}

/** Begins a write transaction (`sql`, default BEGIN IMMEDIATE) as withoutWaitingOnWriter does; on failure no transaction is left open. */
export function beginWrite(db: Db, sql = 'BEGIN IMMEDIATE'): void {
  withoutWaitingOnWriter(db, () => {
    try {
      db.exec(sql);
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  });
}

/**
 * Runs `fn` as one long write transaction announced as `about` (holder.ts): refused at once, naming
 * the holder, when another long writer has the CMDB; committed when `fn` returns, rolled back when it throws.
 */
export function longWrite<T>(db: Db, about: Parameters<typeof announceWriter>[1], fn: () => T): T {
  beginWrite(db);
  const writer = announceWriter(db.name, about);
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw explainBusy(err, db.name);
  } finally {
    writer.end();
  }
}
