/**
 * How a relationships file's endpoints are found when the value is not a
 * key as given: by name, where a CI a sync retired still shares the name of
 * the one that replaced it, and by a key of another case, which is named in
 * the error (keys are case-sensitive).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyIndex } from '../../electron/cmdb/import/bulk/key-index.js';
import type { RowError } from '../../shared/domain.js';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

afterEach(() => vi.restoreAllMocks());

/** A weekly sync whose second week lists SRV-001 as srv-001: SRV-001 retired, and both named a. */
async function rekeyedByCase(): Promise<CmdbService> {
  const svc = freshService();
  await ok(svc, 'importCsv', { cis: file('w1.csv', 'id,name,type\nSRV-001,a,server\nSRV-002,b,server\n'), mode: 'sync', source: 'weekly' });
  await ok(svc, 'importCsv', { cis: file('w2.csv', 'id,name,type\nsrv-001,a,server\nSRV-002,b,server\n'), mode: 'sync', source: 'weekly' });
  return svc;
}

async function rowErrors(svc: CmdbService, rels: string, mapping?: object): Promise<RowError[]> {
  const e = await fails(svc, 'importCsv', { relationships: file('r.csv', rels), mapping });
  expect(e.code).toBe('IMPORT_REJECTED');
  return (e.details as { errors: RowError[] }).errors;
}

const relsOf = (svc: CmdbService) =>
  svc.db
    .prepare('SELECT s.key, r.type, t.key FROM relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id')
    .raw()
    .all();

describe('an endpoint found by name', () => {
  it('is the one CI in service when a retired CI shares its name', async () => {
    const svc = await rekeyedByCase();
    expect(svc.db.prepare("SELECT key FROM cis WHERE status = 'retired'").pluck().all()).toEqual(['SRV-001']);
    const r = await ok(svc, 'importCsv', { relationships: file('r.csv', 'parent,type,child\na,Depends on::Used by,b\n') });
    expect(r.counts.relationshipsCreated).toBe(1);
    expect(relsOf(svc)).toEqual([['srv-001', 'depends_on', 'SRV-002']]);
  });

  it('is the one in service past 50 retired namesakes (the lookup reads those in service first)', async () => {
    const svc = freshService();
    const old = Array.from({ length: 60 }, (_, i) => `old-${i},a,server,retired`).join('\n');
    await ok(svc, 'importCsv', { cis: file('c.csv', `id,name,type,status\n${old}\nnew-1,a,server,operational\nb,b,server,\n`) });
    const r = await ok(svc, 'importCsv', { relationships: file('r.csv', 'parent,type,child\na,Depends on::Used by,b\n') });
    expect(r.counts.relationshipsCreated).toBe(1);
    expect(relsOf(svc)).toEqual([['new-1', 'depends_on', 'b']]);
  });

  it('still ambiguous: names the retired candidates, and offers a type column only when the types differ', async () => {
    const svc = await rekeyedByCase();
    await ok(svc, 'importCsv', { cis: file('more.csv', 'id,name,type\nSRV-009,a,server\nAPP-1,x,application\nSRV-7,x,server\n') });
    expect(await rowErrors(svc, 'source,target,type\na,b,runs_on\nx,b,runs_on\n')).toEqual([
      {
        file: 'r.csv',
        line: 2,
        column: 'source',
        message:
          'ambiguous source CI "a": 3 CIs have that name, 2 of them not retired (server; keys srv-001, SRV-009, SRV-001 (retired)). Use the CI key in this column.',
      },
      {
        file: 'r.csv',
        line: 3,
        column: 'source',
        message:
          'ambiguous source CI "x": 2 CIs have that name (application, server; keys APP-1, SRV-7). Use the CI key in this column, or add a source type column to tell them apart.',
      },
    ]);
  });

  it('among retired CIs alone is ambiguous, and says they are all retired', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('c.csv', 'id,name,type,status\nA-1,a,server,retired\nA-2,a,server,retired\nB,b,server,\n') });
    expect((await rowErrors(svc, 'source,target,type\na,b,runs_on\n'))[0]!.message).toBe(
      'ambiguous source CI "a": 2 retired CIs have that name (server; keys A-1 (retired), A-2 (retired)). Use the CI key in this column.',
    );
  });
});

describe('a key of another case than a CI has', () => {
  // Enough CIs that a file of a few rows looks each endpoint up, rather than reading every key first.
  const cis = `id,name,type\nSRV-3,app-3,server\ndb-01,Main DB,database\n${Array.from({ length: 40 }, (_, i) => `f-${i},F ${i},server`).join('\n')}\n`;

  it('is named in the error, matched by key or by key or name, with a small file or one that reads every key', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('c.csv', cis) });
    const hint = (role: string, raw: string, what: string, twin: string) =>
      `unknown ${role} CI "${raw}": no CI has that ${what}; a CI with key "${twin}" exists (keys are case-sensitive). Write the key as "${twin}", or import a CI "${raw}" first.`;
    // Small for the CMDB (a look-up each): the first unknown keys are looked for by a scan, the rest in a table of every key.
    const rows = [
      'source,target,type',
      'srv-3,db-01,runs_on',
      'SRV-3,DB-01,runs_on',
      ...Array.from({ length: 6 }, () => 'srv-3,db-01,runs_on'),
    ];
    const readAll = vi.spyOn(KeyIndex.prototype, 'addCis');
    const errors = await rowErrors(svc, `${rows.join('\n')}\n`);
    expect(readAll).toHaveBeenCalledTimes(1); // after the first few scans
    expect(errors.map((e) => e.message)).toEqual([
      hint('source', 'srv-3', 'key or name', 'SRV-3'),
      hint('target', 'DB-01', 'key or name', 'db-01'),
      ...Array.from({ length: 6 }, () => hint('source', 'srv-3', 'key or name', 'SRV-3')),
    ]);
    expect((await rowErrors(svc, 'source,target,type\nsrv-3,db-01,runs_on\n', { endpointMatch: 'key' }))[0]!.message).toBe(
      hint('source', 'srv-3', 'key', 'SRV-3'),
    );
    // No such key in any case: said as before.
    expect((await rowErrors(svc, 'source,target,type\nsrv-4,db-01,runs_on\n'))[0]!.message).toBe(
      'unknown source CI "srv-4": no CI has that key or name. Import that CI first, or correct the value.',
    );
    // Big for the CMDB: every key read once (a KeyIndex), which answers the case question too.
    const many = Array.from({ length: 400 }, (_, i) => (i === 150 ? 'srv-3,db-01,runs_on' : 'SRV-3,db-01,runs_on'));
    const big = await fails(svc, 'importCsv', {
      relationships: file('r.csv', `source,target,type\n${many.join('\n')}\n`),
      skipBadRows: false,
    });
    const bigErrors = (big.details as { errors: RowError[] }).errors;
    expect(readAll).toHaveBeenCalledTimes(2); // once, for the look-ups and the case question alike
    expect(bigErrors.find((e) => e.line === 152)?.message).toBe(hint('source', 'srv-3', 'key or name', 'SRV-3'));
  });
});
