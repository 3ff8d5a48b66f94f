/**
 * Who holds the CMDB for writing. A long writer (an import, an undo) writes a
 * note beside the CMDB file (`<db>.writer.json`) once it has the write lock and
 * removes it when it ends, so whoever finds the CMDB locked, in any process,
 * can say who holds it and since when. A note whose process is gone (killed
 * outright) is stale: it is ignored and removed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** What a long writer says about itself. */
export interface WriterNote {
  /** What it does, as a phrase: "an import of cis.csv". */
  what: string;
  /** Where it runs: "cmdb import", "cmdb serve", "the desktop app". */
  door: string;
  /** How to cancel it, when it can be: "Ctrl-C where cmdb import runs". */
  cancel: string | null;
  pid: number;
  /** The machine (a CMDB on a shared folder): a process elsewhere cannot be checked, so it counts as alive. */
  host: string;
  /** ISO time it took the write lock. */
  startedAt: string;
  /**
   * True for a bulk load into an empty CMDB written through a rollback journal (import/stages/connection.ts): readers are
   * locked out too until it ends, and the CMDB is empty until then.
   */
  filling: boolean;
  /** Tells this note from a later writer's, so ending removes only its own. */
  id: string;
}

/** The note's file beside the CMDB file. */
export function writerNotePath(dbPath: string): string {
  return `${dbPath}.writer.json`;
}

const isFile = (dbPath: string): boolean => dbPath !== '' && dbPath !== ':memory:';

/** Whether process `pid` (on this machine) still runs. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Announces a long writer of the CMDB at `dbPath`. Call it once the write lock is held (any note
 * found then is stale: its writer no longer holds the lock), and `end()` when the lock is released.
 * Best effort: a note that cannot be written (a read-only folder) only loses the explanation.
 */
export function announceWriter(
  dbPath: string,
  about: { what: string; door: string; cancel?: string | undefined; filling?: boolean },
): { end(): void } {
  if (!isFile(dbPath)) return { end() {} };
  const note: WriterNote = {
    what: about.what,
    door: about.door,
    cancel: about.cancel ?? null,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    filling: about.filling ?? false,
    id: randomUUID(),
  };
  const file = writerNotePath(dbPath);
  try {
    // Written aside and renamed into place, so a reader never sees half a note.
    const tmp = `${file}.${note.id}.tmp`;
    writeFileSync(tmp, JSON.stringify(note));
    renameSync(tmp, file);
  } catch {
    return { end() {} };
  }
  let ended = false;
  return {
    end() {
      if (ended) return;
      ended = true;
      // Only our own note: a writer that took the lock after ours may have written its own.
      if (readNote(file)?.id === note.id) rmSync(file, { force: true });
    },
  };
}

/** The live writer announced for the CMDB at `dbPath`, or null. A stale note is removed. */
export function currentWriter(dbPath: string): WriterNote | null {
  if (!isFile(dbPath)) return null;
  const file = writerNotePath(dbPath);
  const note = readNote(file);
  if (!note) return null;
  if (note.host === hostname() && !processAlive(note.pid)) {
    try {
      rmSync(file, { force: true });
    } catch {
      // not ours to remove (a read-only folder): it stays ignored
    }
    return null;
  }
  return note;
}

function readNote(file: string): WriterNote | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // none, or unreadable: no explanation rather than a wrong one
  }
  if (!raw || typeof raw !== 'object') return null;
  const n = raw as Partial<WriterNote>;
  if (typeof n.what !== 'string' || typeof n.door !== 'string' || typeof n.pid !== 'number' || typeof n.startedAt !== 'string') {
    return null;
  }
  return {
    what: n.what,
    door: n.door,
    cancel: typeof n.cancel === 'string' ? n.cancel : null,
    pid: n.pid,
    host: typeof n.host === 'string' ? n.host : hostname(),
    startedAt: n.startedAt,
    filling: n.filling === true,
    id: typeof n.id === 'string' ? n.id : '',
  };
}

/**
 * Where a long write runs and how to cancel it, from the actor recorded in history ('cli', 'web', 'ui')
 * and what it is: an import (the wizard cancels it), an undo or a unify of spellings (Ctrl-C stops the CLI's; it rolls back).
 */
export function doorOf(actor: string, kind: 'import' | 'undo-import' | 'unify-values'): { door: string; cancel?: string } {
  const wizard = (where: string) => (kind === 'import' ? { cancel: `Cancel import in ${where} import wizard` } : {});
  switch (actor) {
    case 'cli':
      return { door: `cmdb ${kind}`, cancel: `Ctrl-C where cmdb ${kind} runs` };
    case 'web':
      return { door: 'cmdb serve', ...wizard("the browser's") };
    case 'ui':
      return { door: 'the desktop app', ...wizard("the app's") };
    default:
      return { door: actor };
  }
}
