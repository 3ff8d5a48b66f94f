/**
 * Which names a CSV file the pages hand over may carry: an upload's
 * (`?name=`) and an inline file's (`{name, content}`) alike. The name is what
 * the import's messages and its log (`cmdb imports`) show as the file, so a
 * page must not make it a path (`/etc/shadow`) or a line of its own. One rule,
 * for both. (No zod here: shared/domain.ts and shared/import.ts both use it.)
 */

/** The file names the importer reads. */
export const CSV_FILE_NAME = /\.(csv|tsv|txt)$/i;

/** Whether `name` is a bare CSV file name: .csv, .tsv or .txt, no folder, no control character, at most 255 characters. */
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
export const FILE_NAME_RULE =
  'a CSV file name (ending in .csv, .tsv or .txt), without folders or control characters, at most 255 characters';
