/**
 * The files the engine writes for people (a change's report, a comparison, the health findings): each format's
 * extension and MIME type, in one table, and a data file (CSV, Markdown or JSON) made by its format's maker.
 */
import type { CsvCell } from '../../shared/csv.js';
import type { DataExportFormat } from '../../shared/domain.js';
import { toCsv } from '../../shared/csv.js';

const FILE_TYPES = {
  markdown: { ext: 'md', mime: 'text/markdown; charset=utf-8' },
  html: { ext: 'html', mime: 'text/html; charset=utf-8' },
  csv: { ext: 'csv', mime: 'text/csv; charset=utf-8' },
  json: { ext: 'json', mime: 'application/json' },
} as const;

export type FileFormat = keyof typeof FILE_TYPES;

/** A file of `format` named after `base`: its name and MIME type. */
export function fileNamed(base: string, format: FileFormat): { filename: string; mime: string } {
  const t = FILE_TYPES[format];
  return { filename: `${base}.${t.ext}`, mime: t.mime };
}

/**
 * A data file: CSV (the rows under their header, through the one CSV writer, with CRLF as spreadsheets write),
 * Markdown (the text made), or JSON (the value, indented); each made only when asked for.
 */
export function dataFile(
  base: string,
  format: DataExportFormat,
  make: { csvRows: () => CsvCell[][]; markdown: () => string; json: () => unknown },
): { filename: string; mime: string; content: string } {
  const content =
    format === 'csv'
      ? toCsv(make.csvRows(), { newline: '\r\n' })
      : format === 'markdown'
        ? make.markdown()
        : `${JSON.stringify(make.json(), null, 2)}\n`;
  return { ...fileNamed(base, format), content };
}
