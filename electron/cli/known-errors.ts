/**
 * The one rule for what `cmdb` says about an error that is not a CmdbError yet: each kind a person can act on
 * (a busy, read-only or damaged CMDB; a port `cmdb serve` cannot listen on; a file that cannot be read or
 * written) becomes a CmdbError in words with what to do. What is left is unforeseen: fail() says so (INTERNAL).
 * Errors the engine and the web host refuse in words of their own (an invalid token, say) arrive as CmdbErrors.
 */
import { CmdbError } from '../../shared/errors.js';
import { describeDbError } from '../cmdb/db.js';
import { fileSystemError } from '../cmdb/fs-errors.js';

/** `err` as a CmdbError when it is of a kind the CLI knows, else as it is. `dbPath`: the command's CMDB, which SQLite's errors are about. */
export function knownError(err: unknown, dbPath: string): unknown {
  if (err instanceof CmdbError) return err;
  // SQLite's, in the words the service uses for the same error (describeDbError): every door says them alike.
  return listenError(err) ?? fileSystemError(err) ?? describeDbError(dbPath, err);
}

/**
 * A port the web host could not listen on (`cmdb serve --port`), as a request error: one in use, or one this
 * user may not take (below 1024 on most systems). Null for anything else.
 */
function listenError(err: unknown): CmdbError | null {
  const e = err as { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown };
  if (e?.syscall !== 'listen' || typeof e.port !== 'number') return null;
  const where = `Port ${e.port}${typeof e.address === 'string' ? ` on ${e.address}` : ''}`;
  const todo = 'Choose another --port, or leave --port out for a free one.';
  if (e.code === 'EADDRINUSE') {
    return new CmdbError('INVALID_REQUEST', `${where} is in use by another program (or another \`cmdb serve\`). ${todo}`);
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') {
    return new CmdbError(
      'INVALID_REQUEST',
      `${where} may not be used by this user (ports below 1024 usually need administrator rights). ${todo}`,
    );
  }
  return null;
}
