/** The file extensions the app reads, written once (shared/file-name.ts) and every list, filter and message built from them. */
import { describe, expect, it } from 'vitest';
import { classifyFile } from '../../electron/argv.js';
import type { IncomingMessage } from 'node:http';
import { handleUpload } from '../../electron/ipc-upload.js';
import { storeUpload } from '../../electron/web/upload.js';
import {
  CMDB_EXTENSIONS,
  CSV_EXTENSIONS,
  CSV_EXTENSIONS_TEXT,
  CSV_FILE_NAME,
  extensionsText,
  FILE_NAME_RULE,
  isUploadName,
} from '../../shared/file-name.js';
import { notCsvText } from '../../shared/import.js';

describe('the extensions of CSV and CMDB files, in one place (found by a reviewer)', () => {
  it('the name rule takes each CSV extension in any case, and nothing else', () => {
    for (const ext of CSV_EXTENSIONS) {
      expect(CSV_FILE_NAME.test(`a.${ext}`)).toBe(true);
      expect(isUploadName(`a.${ext.toUpperCase()}`)).toBe(true);
    }
    for (const name of ['a.csv.exe', 'a.xlsx', 'acsv', 'a.json', 'a.db']) expect(isUploadName(name)).toBe(false);
  });

  it('the command line opens each extension as what it is', () => {
    for (const ext of CMDB_EXTENSIONS) expect(classifyFile(`/x/data.${ext}`, '/')).toEqual({ kind: 'cmdb', path: `/x/data.${ext}` });
    for (const ext of CSV_EXTENSIONS) expect(classifyFile(`/x/cis.${ext}`, '/')).toEqual({ kind: 'csv', path: `/x/cis.${ext}` });
    expect(classifyFile('/x/cis.xlsx', '/')).toBeNull();
  });

  it('messages read as they did: ".csv, .tsv or .txt"', async () => {
    expect(CSV_EXTENSIONS_TEXT).toBe('.csv, .tsv or .txt');
    expect([extensionsText([]), extensionsText(['db']), extensionsText(['a', 'b'])]).toEqual(['', '.db', '.a or .b']);
    expect(FILE_NAME_RULE).toBe(
      'a CSV file name (ending in .csv, .tsv or .txt), without folders or control characters, at most 255 characters',
    );
    expect(notCsvText('hosts.bin')).toBe('hosts.bin is not a CSV file. Import files ending in .csv, .tsv or .txt.');
    expect(await handleUpload({ name: 'cis.xlsx', bytes: new Uint8Array() }, null)).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'Choose a CSV file (.csv, .tsv or .txt).' },
    });
    await expect(storeUpload({} as IncomingMessage, 'cis.xlsx', '/nowhere', 1)).rejects.toThrow(
      'Upload a CSV file by its name (?name=FILE.csv, .tsv or .txt, without folders); got "cis.xlsx".',
    );
  });
});
