/**
 * The first stage (import/stages/open-sources.ts): nothing to import is
 * refused before any file is read; both files
 * are opened and sniffed (delimiter, header, warnings) before anything is
 * written; a relationships file that cannot be opened fails the stage.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeSources, openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { tempDir } from './helpers.js';

describe('opening the sources', () => {
  it('refuses an import with no file; a sync of a relationships file alone opens (it removes what the file no longer lists)', async () => {
    await expect(openSources({})).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^Nothing to import/) });
    const s = await openSources({ mode: 'sync', relationships: { name: 'r.csv', content: 'source,target,type\na,b,runs_on\n' } });
    expect([s.cis, s.rels?.file]).toEqual([null, 'r.csv']);
    closeSources(s);
  });

  it('opens and sniffs both files: delimiter, headers, sizes and warnings', async () => {
    const dir = tempDir();
    const rels = join(dir, 'rels.csv');
    writeFileSync(rels, 'source\ttarget\ttype\na\tb\truns_on\n');
    const s = await openSources({
      cis: { name: 'cis.csv', content: 'id;name;type;;owner\na;A;server;x;t\n' },
      relationships: { name: 'rels.csv', path: rels },
    });
    expect(s.cis).toMatchObject({ file: 'cis.csv', delimiter: ';', headers: ['id', 'name', 'type', 'Column4', 'owner'] });
    // Whether the column without a name holds values is known once the rows are read (unnamed-columns.ts).
    expect(s.cis!.warnings).toEqual([]);
    expect(s.rels).toMatchObject({ file: 'rels.csv', delimiter: '\t', headers: ['source', 'target', 'type'], warnings: [] });
    expect(s.rels!.bytesTotal).toBe(statSync(rels).size);
    closeSources(s);
  });

  it('only one file: the other is null', async () => {
    const s = await openSources({ relationships: { name: 'r.csv', content: 'source,target,type\na,b,runs_on\n' } });
    expect(s.cis).toBeNull();
    expect(s.rels!.headers).toEqual(['source', 'target', 'type']);
    closeSources(s);
  });

  it('a relationships file that is not there fails the stage (the CIs file is closed again)', async () => {
    await expect(
      openSources({
        cis: { name: 'cis.csv', content: 'id,name,type\na,A,server\n' },
        relationships: { name: 'r.csv', path: '/nonexistent/r.csv' },
      }),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
