/** Error codes the UI and CLI can act on. */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'NOT_FOUND',
  /** A name given for one CI is shared by several: pick one of the candidates (in details) by its key. */
  'AMBIGUOUS',
  'CONFLICT',
  /** The CMDB is locked by another writer (named in the message and details when known): wait or cancel it, then retry. */
  'BUSY',
  'CSV_ERROR',
  'IMPORT_REJECTED',
  'CANCELLED',
  'DB_NEWER',
  'DB_CORRUPT',
  'DB_NOT_FOUND',
  'DB_READONLY',
  'FILE_NOT_FOUND',
  'UNTRUSTED_SENDER',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses a boundary. (This module stays without zod: the import's worker threads load it.) */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** A schema's failure (zod's ZodError), told by its shape. */
function isSchemaError(err: unknown): err is Error & { issues: Array<{ path: PropertyKey[]; message: string }> } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

/** The envelope every API answer travels in, across IPC, HTTP and the CLI. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * An error with a code a caller can act on and a message a person can read.
 * It is turned into an envelope at every boundary, so its fields survive.
 */
export class CmdbError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CmdbError';
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into the typed error info that crosses a boundary. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof CmdbError) return err.toInfo();
  if (isSchemaError(err)) {
    return {
      code: 'INVALID_REQUEST',
      message: `Invalid request: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      details: err.issues,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** Fails to compile when a switch over a union misses a case. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
