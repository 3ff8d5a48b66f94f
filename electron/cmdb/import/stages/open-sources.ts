/**
 * The first stage: checks that there is something to import, then opens
 * and sniffs both files (encoding, delimiter, header) before anything is
 * written. A file that cannot be read fails the import here.
 */
import { CmdbError } from '../../../../shared/errors.js';
import { type OpenedCsv, openCsv } from '../source.js';
import type { RunImportInput, Sources } from './context.js';

/** Opens the CIs file and the relationships file (either may be absent, not both). */
export async function openSources(input: RunImportInput): Promise<Sources> {
  if (!input.cis && !input.relationships) {
    throw new CmdbError('INVALID_REQUEST', 'Nothing to import: give a CIs file, a relationships file, or both.');
  }
  const readOpts = { encoding: input.encoding, delimiter: input.delimiter };
  const cis = input.cis ? await openCsv(input.cis, readOpts) : null;
  let rels: OpenedCsv | null;
  try {
    rels = input.relationships ? await openCsv(input.relationships, readOpts) : null;
  } catch (err) {
    cis?.destroy();
    throw err;
  }
  for (const csv of [cis, rels]) {
    const err = csv && titleAboveHeader(csv);
    if (err) {
      cis?.destroy();
      rels?.destroy();
      throw err;
    }
  }
  return { cis, rels };
}

/**
 * A header of one name above a row that reads as the real header: two or more fields, each filled, none the same,
 * and the row under it (if any) as wide. The line read as the header is a title above the real one (Apple Numbers
 * writes the table's name there, a report its name). Every row would be refused as ragged and no column found, and
 * the error said so without naming the title line. A one-column file whose first value holds a comma, or ends in
 * one, is not that: its rows are refused one by one as ragged, as before (found by a reviewer).
 */
function titleAboveHeader(csv: Pick<OpenedCsv, 'file' | 'headers' | 'headerLine' | 'headRows'>): CmdbError | null {
  const [first, second] = csv.headRows;
  if (csv.headers.length !== 1 || first === undefined || first.length < 2) return null;
  const names = first.map((v) => v.trim());
  if (names.some((v) => v === '') || new Set(names.map((v) => v.toLowerCase())).size !== names.length) return null;
  if (second !== undefined && second.length !== first.length) return null;
  const { file, headerLine } = csv;
  return new CmdbError(
    'CSV_ERROR',
    `${file} line ${headerLine}: this line ("${csv.headers[0]}") is read as the header but holds one name, while the first row under it has ${first.length} fields: it is a title above the real header (Apple Numbers writes the table's name there when "Include table names" is ticked; a report tool, its name and date). Delete the line, or export again without it, and import the file again. Nothing was imported.`,
    { file, line: headerLine },
  );
}

/** Closes both files (an import that fails or is cancelled stops reading them). */
export function closeSources(sources: Sources): void {
  sources.cis?.destroy();
  sources.rels?.destroy();
}
