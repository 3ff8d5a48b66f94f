/** The row error report as CSV (file,line,column,message), written as errors are found. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { toCsv } from '../../../shared/csv.js';
import type { RowError } from '../../../shared/domain.js';
import { ERROR_COLUMNS, errorReportRow } from '../../../shared/import-fields.js';
import { fileSystemError } from '../fs-errors.js';

/** Streams row errors to a CSV file; the header is written at once, so an import without errors leaves a header-only report. */
export class ErrorsCsvWriter {
  private readonly fd: number;
  count = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      // A folder that is not there, no permission: said in words naming the report's path, before anything is imported.
      throw fileSystemError(err) ?? err;
    }
    writeSync(this.fd, toCsv([[...ERROR_COLUMNS]]));
  }

  write(e: RowError): void {
    this.count++;
    writeSync(this.fd, toCsv([errorReportRow(e)], { header: false }));
  }

  close(): void {
    closeSync(this.fd);
  }
}
