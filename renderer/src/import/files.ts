/**
 * Reading CSV files in the renderer: bytes decoded as UTF-8, or as Windows-1252
 * when they are not valid UTF-8 (spreadsheets saved on Windows), since the API
 * takes CSV content as text. The preview needs only the first rows.
 */
import type { RowError } from '../../../shared/domain.js';
import { errorsToCsv } from '../../../shared/import.js';

export interface LoadedFile {
  name: string;
  content: string;
  size: number;
  /** How the bytes were decoded. */
  encoding: 'utf-8' | 'windows-1252';
}

export async function readCsvFile(f: File): Promise<LoadedFile> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  try {
    return { name: f.name, content: new TextDecoder('utf-8', { fatal: true }).decode(bytes), size: f.size, encoding: 'utf-8' };
  } catch {
    return { name: f.name, content: new TextDecoder('windows-1252').decode(bytes), size: f.size, encoding: 'windows-1252' };
  }
}

/** The head of a file, cut at a line end, for the preview (the whole file can be hundreds of megabytes). */
export function head(content: string, chars = 64 * 1024): string {
  if (content.length <= chars) return content;
  const cut = content.lastIndexOf('\n', chars);
  return content.slice(0, cut > 0 ? cut + 1 : chars);
}

/** The row errors as a CSV report (file, line, column, message) to download: the same report as `cmdb import --errors`, with Windows line ends. */
export function errorsCsv(errors: readonly RowError[]): string {
  return errorsToCsv(errors, { newline: '\r\n' });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
