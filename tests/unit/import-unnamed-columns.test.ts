/**
 * Columns without a header name: one that holds values (a column under Excel's merged heading) is kept under
 * the name Excel gives it in a table (`Column4`), in the preview, the dry run, the import and a sync alike, and in
 * the relationship planner's thread; one that holds none is ignored, as before.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { freshService, ok, ROOT } from './helpers.js';
import { isPlaceName } from '../../shared/import-fields.js';

/** Five rows of a German Excel export (BOM, CRLF, `;`): column 4, under the merged heading "Standort", holds the rack; column 9 nothing. */
const SHEET = join(ROOT, 'tests', 'fixtures', 'import', 'excel-de-merged-heading.csv');

describe('columns without a header name', () => {
  it('one that holds values is kept as Column4, in the preview, the dry run, the import and a sync', async () => {
    const svc = freshService();
    const p = await ok(svc, 'previewCsv', { file: { path: SHEET } });
    expect(p.headers).toEqual([
      'Bezeichnung',
      'Typ',
      'Status',
      'Column4',
      'Standort',
      'Verantwortlich',
      'Kosten (€)',
      'Inbetriebnahme',
      'Column9',
      'Kommentar',
    ]);
    expect(p.rows[0]![3]).toBe('R1');
    const kept =
      /column 4 has no header name but holds values, kept under the name Column4, as Excel names such a column in a table: a mapping can name it so\. To give it a name of your own, write a header above it in the file\./;
    const ignored = 'excel-de-merged-heading.csv: column 9 has no header name; its values are ignored.';
    expect(p.warnings).toEqual([expect.stringMatching(kept), ignored]);
    // The columns the wizard lists as kept are all but column 9 (and those a field takes).
    expect(p.ignoredColumns).toEqual([8]);
    const dry = await ok(svc, 'importCsv', { cis: { path: SHEET }, dryRun: true });
    expect(dry.warnings).toEqual([expect.stringMatching(kept), ignored]);
    const r = await ok(svc, 'importCsv', { cis: { path: SHEET }, mode: 'sync', source: 'sheet' });
    expect(r.counts).toMatchObject({ created: 4, rejected: 0 });
    expect(r.warnings).toEqual([expect.stringMatching(kept), ignored]);
    const ci = (await ok(svc, 'getCi', { key: 'server:srv-münchen-01' })).ci;
    expect(ci.attributes).toMatchObject({ Column4: 'R1', Standort: 'Düsseldorf' });
    expect(Object.keys(ci.attributes)).not.toContain('Column9');
    // The next week's sync finds the rack under the same name: nothing changes.
    const again = await ok(svc, 'importCsv', { cis: { path: SHEET }, mode: 'sync', source: 'sheet' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4, retired: 0 });
    // A mapping names it like any column.
    const svc2 = freshService();
    await ok(svc2, 'importCsv', { cis: { path: SHEET }, mapping: { cis: { description: 'Column4' } } });
    const mapped = (await ok(svc2, 'getCi', { key: 'server:srv-münchen-01' })).ci;
    expect(mapped.description).toBe('R1');
    expect(Object.keys(mapped.attributes)).not.toContain('Column4');
  });

  it("a first column without a name (pandas' and R's row numbers) is ignored, not kept: a sync in another order changes nothing (found by a reviewer)", async () => {
    const svc = freshService();
    const week1 = ',id,name,type,owner\n0,web-1,Web 1,server,team-a\n1,web-2,Web 2,server,team-a\n2,db-1,DB 1,database,team-b\n';
    const week2 = ',id,name,type,owner\n0,db-1,DB 1,database,team-b\n1,web-1,Web 1,server,team-a\n2,web-2,Web 2,server,team-a\n';
    const r = await ok(svc, 'importCsv', { cis: { name: 'p.csv', content: week1 }, mode: 'sync', source: 'inv' });
    expect(r.warnings).toEqual(['p.csv: column 1 has no header name; its values are ignored.']);
    expect((await ok(svc, 'getCi', { key: 'web-1' })).ci.attributes).toEqual({});
    const again = await ok(svc, 'importCsv', { cis: { name: 'p.csv', content: week2 }, mode: 'sync', source: 'inv' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('an empty one never clears what another file keeps under its name (found by a reviewer)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'a.csv', content: 'id,name,type,owner,Column5\nx1,X1,server,a,rack-7\n' } });
    const r = await ok(svc, 'importCsv', { cis: { name: 'b.csv', content: 'id,name,type,owner,\nx1,X1,server,b,\n' } });
    expect(r.warnings).toEqual(['b.csv: column 5 has no header name; its values are ignored.']);
    expect((await ok(svc, 'getCi', { key: 'x1' })).ci).toMatchObject({ owner: 'b', attributes: { Column5: 'rack-7' } });
  });

  it('one that holds no value is ignored, with the note it had', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { name: 's.csv', content: 'id,name,type,,\na,A,server,,\nb,B,server, ,\n' } });
    expect(r.warnings).toEqual(['s.csv: columns 4, 5 have no header name; their values are ignored.']);
    expect((await ok(svc, 'getCi', { key: 'a' })).ci.attributes).toEqual({});
  });

  it('a name another column has already is taken with _2 after it, and the note says why', async () => {
    const svc = freshService();
    const content = 'id,name,type,,column4\na,A,server,R1,x\nb,B,server,,y\n';
    const p = await ok(svc, 'previewCsv', { file: { name: 's.csv', content } });
    expect(p.headers).toEqual(['id', 'name', 'type', 'Column4_2', 'column4']);
    const r = await ok(svc, 'importCsv', { cis: { name: 's.csv', content } });
    expect(r.warnings).toEqual([
      expect.stringContaining(
        's.csv: column 4 has no header name but holds values, kept under the name Column4_2 (another column is named Column4), as Excel',
      ),
    ]);
    expect((await ok(svc, 'getCi', { key: 'a' })).ci.attributes).toEqual({ Column4_2: 'R1', column4: 'x' });
  });

  it('a title line above the header keeps its unnamed columns unnamed, with the title hint', async () => {
    const svc = freshService();
    const r = await ok(svc, 'previewCsv', { file: { name: 't.csv', content: 'Server inventory,,\nid,name,type\na,A,server\n' } });
    expect(r.headers).toEqual(['Server inventory', '', '']);
    expect(r.warnings).toContain('t.csv: columns 2, 3 have no header name; their values are ignored.');
    expect(r.warnings.join(' ')).toMatch(/title above the real header/);
    // The columns the note ignores are the preview's ignored columns: the wizard lists none of them as kept (found by a tester).
    expect(r.ignoredColumns).toEqual([1, 2]);
  });

  it("the preview's ignored columns are those its notes ignore, and those without a value in the rows read", async () => {
    const svc = freshService();
    const preview = (content: string) => ok(svc, 'previewCsv', { file: { name: 'u.csv', content } });
    // A first column of row numbers; column 4 holds a value (kept as Column4); column 5 none so far.
    const p = await preview(',id,name,,,type\n0,a,A,R1,,server\n1,b,B,,,server\n');
    expect(p.headers).toEqual(['', 'id', 'name', 'Column4', 'Column5', 'type']);
    expect(p.ignoredColumns).toEqual([0, 4]);
    expect((await preview('id,name,type\na,A,server\n')).ignoredColumns).toEqual([]);
  });

  for (const parallelFrom of [0, Number.POSITIVE_INFINITY])
    it(`a relationships file's column without a name is kept the same way (${parallelFrom === 0 ? 'the planner' : 'the import thread'} reads it)`, async () => {
      const db = openDatabase(':memory:');
      try {
        const cis = `id,name,type\n${Array.from({ length: 20 }, (_, i) => `k-${i},Node ${i},server`).join('\n')}\n`;
        const rels = `source,target,type,,\n${Array.from({ length: 19 }, (_, i) => `k-${i},k-${i + 1},depends_on,p${i},`).join('\n')}\n`;
        const r = await runImport(db, {
          cis: { name: 'cis.csv', content: cis },
          relationships: { name: 'rels.csv', content: rels },
          parallelFrom,
        });
        expect(r.warnings).toEqual([
          expect.stringContaining('rels.csv: column 4 has no header name but holds values, kept under the name Column4,'),
          'rels.csv: column 5 has no header name; its values are ignored.',
        ]);
        const attrs = db.prepare('SELECT attributes FROM relationships ORDER BY id LIMIT 1').pluck().get() as string;
        expect(JSON.parse(attrs)).toEqual({ Column4: 'p0' });
      } finally {
        db.close();
      }
    });
});

describe('isPlaceName', () => {
  it('is the name a column without a header gets by its place, and nothing else', () => {
    expect(
      [
        ['Column4', 3],
        ['Column4_2', 3],
        ['Column41', 3],
        ['Column4_x', 3],
        ['Rack', 3],
        ['Column5', 3],
      ].map(([h, i]) => isPlaceName(h as string, i as number)),
    ).toEqual([true, true, false, false, false, false]);
  });
});
