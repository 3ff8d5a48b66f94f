/**
 * A value longer than the CSV reader's limit (64 Mi characters), imported
 * from a file: one row error on its real line and column, nothing cut, no
 * phantom rows; a rejected import leaves the CMDB exactly as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD, recordTooLong } from '../../electron/cmdb/import/csv-reader.js';
import { dumpDb, fails, freshService, ok, tempDir } from './helpers.js';

describe('a value past the record limit', () => {
  it.each([false, true])('is one row error naming its line and column; the CMDB is unchanged (quoted: %s)', async (quoted) => {
    const dir = tempDir();
    const path = join(dir, 'cis.csv');
    const big = 'x'.repeat(MAX_RECORD + 1_000_000);
    writeFileSync(path, `id,name,type,description\na,A,server,${quoted ? `"${big}"` : big}\nb,B,server,ok\n`);
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'before.csv', content: 'id,name,type\nold,Old,server\n' } });
    const before = dumpDb(svc.db);

    const err = await fails(svc, 'importCsv', { cis: { name: 'cis.csv', path } });
    expect(err.code).toBe('IMPORT_REJECTED');
    const rowError = { file: 'cis.csv', line: 2, column: 'description', message: recordTooLong(MAX_RECORD) };
    expect((err.details as { errors: unknown[] }).errors).toEqual([rowError]);
    expect(err.message).toMatch(/^cis\.csv line 2, column description: value too long/);
    expect(dumpDb(svc.db)).toBe(before);

    const r = await ok(svc, 'importCsv', { cis: { name: 'cis.csv', path }, skipBadRows: true });
    expect(r.errors).toEqual([rowError]);
    expect(r.counts).toMatchObject({ created: 1, rejected: 1 });
    expect((await ok(svc, 'getCi', { key: 'b' })).ci.description).toBe('ok');
    expect((await fails(svc, 'getCi', { key: 'a' })).code).toBe('NOT_FOUND');
  });
});
