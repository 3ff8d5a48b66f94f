/**
 * The desktop app's upload: the page hands over the bytes of a CSV file the
 * person chose or dropped on its drop zone; the main process stores them in
 * a private temporary folder and has the engine open the copy (as the web
 * host does with an upload). The page never names a path.
 */
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Envelope } from '../shared/errors.js';
import { CSV_EXTENSIONS_TEXT, isUploadName, UPLOAD_LIMIT } from '../shared/import.js';
import { NO_CMDB_OPEN } from './engine-host.js';
import type { IpcEngine } from './ipc.js';
import { newUploadPath, newUploadsFolder } from './web/uploads-folder.js';

let folder: string | null = null;

/** The app's uploads folder (made on first use, readable by this user only). */
function uploadsFolder(): string {
  folder ??= newUploadsFolder();
  return folder;
}

/** Removes the uploads folder (at quit). */
export function removeUploads(): void {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = null;
}

/** Checks an upload from the page, stores it, and opens it for the engine as the main process. */
export async function handleUpload(raw: unknown, engine: IpcEngine | null): Promise<Envelope<unknown>> {
  const req = (typeof raw === 'object' && raw !== null ? raw : {}) as { name?: unknown; bytes?: unknown };
  const { name, bytes } = req;
  if (!isUploadName(name)) {
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `Choose a CSV file (${CSV_EXTENSIONS_TEXT}).` } };
  }
  if (!(bytes instanceof Uint8Array)) {
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `The contents of ${name} did not arrive as bytes.` } };
  }
  if (bytes.byteLength > UPLOAD_LIMIT) {
    return {
      ok: false,
      error: { code: 'INVALID_REQUEST', message: `${name} is larger than the app takes at once; import it with \`cmdb import\` instead.` },
    };
  }
  if (!engine) return { ok: false, error: NO_CMDB_OPEN };
  const { dir, path } = newUploadPath(uploadsFolder(), name);
  await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
  const answer = await engine.call('openFile', { path, name, temporary: true }, 'main');
  if (!answer.ok) rmSync(dir, { recursive: true, force: true });
  return answer;
}
