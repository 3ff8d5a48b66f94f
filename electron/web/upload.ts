/** `POST /api/upload`: a CSV file's bytes from the page, streamed to a private folder, never held in memory. */
import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { CSV_EXTENSIONS_TEXT, isUploadName } from '../../shared/import.js';
import { HttpError, tooLarge } from './http.js';
import { newUploadPath } from './uploads-folder.js';

/**
 * Streams the body of an upload named `name` into a new folder under
 * `uploads` (under a file name of its own: uploads-folder.ts) and returns
 * the stored file's path; refuses a name that is not a
 * bare CSV file name, and a body over `limit` bytes (the folder is removed).
 */
export async function storeUpload(req: IncomingMessage, name: string, uploads: string, limit: number): Promise<string> {
  if (!isUploadName(name)) {
    throw new HttpError(400, {
      code: 'INVALID_REQUEST',
      message: `Upload a CSV file by its name (?name=FILE${CSV_EXTENSIONS_TEXT}, without folders); got "${String(name).slice(0, 100)}".`,
    });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(name, limit, ' Import it with `cmdb import` instead.');
  const { dir, path } = newUploadPath(uploads, name);
  let size = 0;
  try {
    await pipeline(
      req,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw tooLarge(name, limit, ' Import it with `cmdb import` instead.');
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx', mode: 0o600 }),
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return path;
}
