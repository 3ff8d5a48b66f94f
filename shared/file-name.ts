/**
 * Which names a CSV file the pages hand over may carry: an upload's
 * (`?name=`) and an inline file's (`{name, content}`) alike. The name is what
 * the import's messages and its log (`cmdb imports`) show as the file, so a
 * page must not make it a path (`/etc/shadow`) or a line of its own. One rule,
 * for both. (No zod here: shared/domain.ts and shared/import.ts both use it.)
 */
import { listText } from './format.js';

/** The extensions (without the dot) of the files the importer reads: every list, filter and message is built from these. */
export const CSV_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;

/** The extensions (without the dot) of a CMDB file the app opens (a file dialog's filter, a file named on its command line). */
export const CMDB_EXTENSIONS = ['cmdb', 'db', 'sqlite', 'sqlite3'] as const;

/** Extensions as a message says them: ".csv, .tsv or .txt". */
export function extensionsText(extensions: readonly string[]): string {
  return listText(extensions.map((e) => `.${e}`));
}

/** The importer's extensions as messages say them: ".csv, .tsv or .txt". */
export const CSV_EXTENSIONS_TEXT = extensionsText(CSV_EXTENSIONS);

/** The file names the importer reads. */
export const CSV_FILE_NAME = new RegExp(`\\.(${CSV_EXTENSIONS.join('|')})$`, 'i');

/** Whether `name` is a bare CSV file name (CSV_EXTENSIONS), no folder, no control character, at most 255 characters. */
export function isUploadName(name: unknown): name is string {
  // No folder separators, no control characters (a line break in a name would split a log line or a message).
  return (
    typeof name === 'string' &&
    CSV_FILE_NAME.test(name) &&
    !/[/\\]/.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
    name.length <= 255
  );
}

/** What a refused name is told, for an inline file's `name`. */
export const FILE_NAME_RULE = `a CSV file name (ending in ${CSV_EXTENSIONS_TEXT}), without folders or control characters, at most 255 characters`;
