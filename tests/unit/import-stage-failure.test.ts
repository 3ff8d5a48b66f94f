/**
 * What a failed import says (import/stages/failure.ts): a cancel is
 * CANCELLED, a CmdbError passes as it is, SQLite's busy error names the
 * holder (or, in a load that needed the CMDB alone, says so), and anything
 * else is INTERNAL, always with "nothing was imported".
 */
import { describe, expect, it } from 'vitest';
import { CmdbError } from '../../shared/errors.js';
import { Cancelled } from '../../electron/cmdb/import/stages/context.js';
import { importFailure } from '../../electron/cmdb/import/stages/failure.js';
import { freshService } from './helpers.js';

/** SQLite's busy error as better-sqlite3 throws it. */
function busy(): Error {
  return Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
}

describe('import failure words', () => {
  const db = () => freshService().db;
  const writer = () => {
    let ended = 0;
    return { end: () => void ended++, ended: () => ended };
  };

  it('a cancel is CANCELLED', () => {
    expect(importFailure(new Cancelled(), db(), writer(), false)).toMatchObject({
      code: 'CANCELLED',
      message: 'The import was cancelled. Nothing was imported.',
    });
  });

  it('a CmdbError passes as it is', () => {
    const e = new CmdbError('CSV_ERROR', 'cis.csv line 2: bad.');
    expect(importFailure(e, db(), writer(), false)).toBe(e);
  });

  it("busy: the import's own holder note ends first; a load that needed the CMDB alone says so", () => {
    const w = writer();
    const plain = importFailure(busy(), db(), w, false);
    expect(plain.code).toBe('BUSY');
    expect(w.ended()).toBe(1);
    const alone = importFailure(busy(), db(), writer(), true);
    expect(alone).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/needed it alone\. Nothing was imported/) });
  });

  it('anything else is INTERNAL, with its message', () => {
    expect(importFailure(new Error('boom'), db(), writer(), false)).toMatchObject({
      code: 'INTERNAL',
      message: 'The import failed and nothing was imported: boom',
    });
  });
});
