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
  return { cis, rels };
}

/** Closes both files (an import that fails or is cancelled stops reading them). */
export function closeSources(sources: Sources): void {
  sources.cis?.destroy();
  sources.rels?.destroy();
}
