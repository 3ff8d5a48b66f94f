/**
 * Files the engine may read, by id. A door that acts for the person (the
 * CLI, Electron's main process for files picked or dropped, the web host for
 * an upload it stored) opens a file by path and gets an id; the pages refer
 * to the file by that id only, so no page can make the engine read a path of
 * its choosing. Uploads (temporary files) are deleted when let go.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { CmdbError } from '../../../shared/errors.js';
import { CSV_FILE_NAME, type FileRef, notCsvText } from '../../../shared/import.js';
import { fileSystemError } from '../fs-errors.js';

interface Grant {
  path: string;
  name: string;
  size: number;
  temporary: boolean;
}

/**
 * Checks that `path` names a regular, readable CSV file and returns its size.
 * Opens without blocking (a FIFO or device named .csv would otherwise stall
 * the host) and checks what was opened, not what the name pointed to before.
 */
export function checkCsvFile(path: string): number {
  // Only the file names the importer reads: the engine is not to be pointed at other files by mistake.
  if (!CSV_FILE_NAME.test(path)) {
    throw new CmdbError('INVALID_REQUEST', notCsvText(path));
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw fileSystemError(err) ?? err;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CmdbError('INVALID_REQUEST', `${path} is a folder. Name a CSV file in it.`);
    if (!st.isFile()) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `${path} is not a regular file (a pipe, socket or device). Save the data to a file and import that.`,
      );
    }
    return st.size;
  } finally {
    closeSync(fd);
  }
}

export class FileGrants {
  private readonly grants = new Map<string, Grant>();

  /** `max`: how many files are kept granted; past it the oldest is let go (and deleted if it was an upload). */
  constructor(private readonly max = 64) {}

  /** Checks the file and grants it; answers with the id pages use. */
  open(path: string, options: { name?: string | undefined; temporary?: boolean } = {}): FileRef {
    let size: number;
    try {
      size = checkCsvFile(path);
    } catch (err) {
      if (options.temporary) rmSync(path, { force: true });
      throw err;
    }
    const fileId = `f-${randomBytes(12).toString('hex')}`;
    const name = options.name ?? basename(path);
    this.grants.set(fileId, { path, name, size, temporary: options.temporary ?? false });
    while (this.grants.size > this.max) this.release(this.grants.keys().next().value as string);
    return { fileId, name, size };
  }

  /** The file behind an id, checked again (it may have been replaced since it was granted). */
  resolve(fileId: string): { name: string; path: string } {
    const g = this.grants.get(fileId);
    if (!g) {
      throw new CmdbError(
        'NOT_FOUND',
        `No file ${fileId}: it was let go (the host restarted, or many files were opened since). Choose the file again.`,
      );
    }
    checkCsvFile(g.path);
    return { name: g.name, path: g.path };
  }

  release(fileId: string): void {
    const g = this.grants.get(fileId);
    if (!g) return;
    this.grants.delete(fileId);
    if (g.temporary) rmSync(g.path, { force: true });
  }

  /** Lets go of every file, deleting the uploads. */
  dispose(): void {
    for (const id of [...this.grants.keys()]) this.release(id);
  }
}
