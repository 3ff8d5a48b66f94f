/** The row error report as CSV (file,line,column,message), written as errors are found. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { RowError } from '../../../shared/domain.js';

export const ERROR_COLUMNS = ['file', 'line', 'column', 'message'] as const;

/** The report for a list of errors, as CSV text. */
export function errorsToCsv(errors: readonly RowError[]): string {
  return stringify([[...ERROR_COLUMNS], ...errors.map((e) => [e.file, String(e.line), e.column ?? '', e.message])]);
}

/** Streams row errors to a CSV file; the header is written at once, so an import without errors leaves a header-only report. */
export class ErrorsCsvWriter {
  private readonly fd: number;
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, stringify([[...ERROR_COLUMNS]]));
  }

  write(e: RowError): void {
    this.count++;
    writeSync(this.fd, stringify([[e.file, String(e.line), e.column ?? '', e.message]]));
  }

  close(): void {
    closeSync(this.fd);
  }
}
