/**
 * A process that has the CMDB open keeps SQLite's locks on it: opening the file again in the same process (the
 * import's own connection, a read-only snapshot) must not read it with the file system, whose close drops every
 * POSIX lock the process holds on the file. Without them another program (sqlite3, a backup script) closing the
 * CMDB takes itself for the last user and deletes the -wal and -shm this process still uses: from then on each
 * sees another database (found by a tester).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { tempDir } from './helpers.js';

/** The POSIX locks this process holds on the file (Linux: /proc/locks), or null where they cannot be read. */
function locksHeld(path: string): string[] | null {
  if (!existsSync('/proc/locks')) return null;
  const { ino } = statSync(path);
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .filter((l) => l.includes(` ${process.pid} `) && l.includes(`:${ino} `));
}

function sqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the CMDB opened twice in one process', () => {
  it('keeps its lock on the file, so another program closing it leaves the -wal and -shm in place', () => {
    const path = join(tempDir(), 'cmdb.db');
    const main = openDatabase(path);
    main.prepare("INSERT INTO cis(key, name, type, created_at, updated_at) VALUES ('a', 'A', 'server', 'x', 'x')").run();
    const before = locksHeld(path);
    // A second connection of this process, opened and closed (the import's, a read-only snapshot's).
    openDatabase(path).close();
    openDatabase(path, { readonly: true }).close();
    if (before !== null) {
      expect(before.length).toBeGreaterThan(0);
      expect(locksHeld(path)).toEqual(before);
    }
    if (sqlite3()) {
      expect(execFileSync('sqlite3', [path, 'SELECT count(*) FROM cis'], { encoding: 'utf8' }).trim()).toBe('1');
      expect(existsSync(`${path}-wal`)).toBe(true);
      main.prepare("INSERT INTO cis(key, name, type, created_at, updated_at) VALUES ('b', 'B', 'server', 'x', 'x')").run();
      expect(execFileSync('sqlite3', [path, 'SELECT count(*) FROM cis'], { encoding: 'utf8' }).trim()).toBe('2');
    }
    main.close();
  });
});
