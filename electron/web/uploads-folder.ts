/**
 * The private temporary folder a host keeps uploaded CSV files in (the web
 * host's and the desktop app's): named with the process id, and removed when
 * the host stops. A host that was killed cannot remove its own: the next one
 * to start removes the folders of processes that are gone, so uploads of up
 * to 4 GB do not pile up in the temporary folder.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_FILE_NAME } from '../../shared/import.js';

const PREFIX = 'cmdb-uploads-';
/** A folder untouched this long is not a live host's, even one whose pid this process cannot see (another pid namespace sharing /tmp). */
const STALE_MS = 24 * 3600 * 1000;

/** Whether process `pid` is running (signal 0 checks, sends nothing; EPERM: running as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this user's upload folders left by processes that are gone; `dir`: the temporary folder (tests give their own). */
export function sweepUploadFolders(dir = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const path = join(dir, name);
    try {
      // A real folder (not a link planted under the name), this user's, and untouched for a day.
      const st = lstatSync(path);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || now - st.mtimeMs < STALE_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** A new uploads folder for this process (readable by this user only), after sweeping those of processes gone. */
export function newUploadsFolder(dir = tmpdir()): string {
  sweepUploadFolders(dir);
  return mkdtempSync(join(dir, `${PREFIX}${process.pid}-`));
}

/**
 * Where to store an upload the person named `name` (a checked upload name): a
 * folder of its own under `uploads`, and a file name of our own with the
 * name's extension. The person's name is kept for display (openFile's `name`),
 * never given to the file system, which may refuse it (a name of 130 "é" is
 * 260 bytes, past the 255 a file name may have) or read it as something else
 * (`a:b.csv` is a stream of `a` on NTFS).
 */
export function newUploadPath(uploads: string, name: string): { dir: string; path: string } {
  const ext = (CSV_FILE_NAME.exec(name)?.[0] ?? '.csv').toLowerCase();
  const dir = mkdtempSync(join(uploads, 'f-'));
  return { dir, path: join(dir, `upload${ext}`) };
}
