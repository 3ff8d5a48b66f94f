/** A Node file-system error on a path the person gave (a CSV to read, a file to write, --db), in words with what to do. */
import { CmdbError } from '../../shared/errors.js';

const FILE_SYSTEM_REASONS: Record<string, string> = {
  ENOENT: ': no such file or folder. Check the path.',
  ENOTDIR: ': part of the path is a file, not a folder. Check the path.',
  EISDIR: ' is a folder. Give a file name.',
  EEXIST: ' already exists and is in the way. Choose another path.',
  EACCES: ': permission denied. Check its permissions, or choose another path.',
  EPERM: ': permission denied. Check its permissions, or choose another path.',
  EROFS: ' is on a read-only file system. Choose a writable path.',
  ENOSPC: ': the disk is full. Free some space and try again.',
};

/** The error as a CmdbError naming the path, or null when it is not a file-system error on a path. */
export function fileSystemError(err: unknown): CmdbError | null {
  const e = err as { code?: unknown; path?: unknown; syscall?: unknown };
  if (err instanceof CmdbError || typeof e.code !== 'string' || typeof e.path !== 'string' || typeof e.syscall !== 'string') return null;
  const reason = FILE_SYSTEM_REASONS[e.code] ?? `: ${e.code} (${e.syscall}). Check the path and its permissions.`;
  return new CmdbError('FILE_NOT_FOUND', `${e.path}${reason}`);
}
