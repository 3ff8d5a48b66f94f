/**
 * CSV files in the import wizard. The page never decodes them: it hands the
 * bytes to the engine (uploadCsv in api.ts), which detects the encoding and
 * delimiter as it does for the CLI, and refers to the file by id after that.
 */
import type { RowError } from '../../../shared/domain.js';
import { errorsToCsv, type FileRef } from '../../../shared/import.js';

/** A file the engine holds for the wizard. */
export type LoadedFile = FileRef;

/** The row errors as a CSV report (file, line, column, message) to download: the same report as `cmdb import --errors`, with Windows line ends. */
export function errorsCsv(errors: readonly RowError[]): string {
  return errorsToCsv(errors, { newline: '\r\n' });
}
