/**
 * Export -> import into a new CMDB: exact exports reproduce every CI and
 * relationship with all their attributes, however awkward the names and
 * values; the default (spreadsheet-safe) export guards formula cells, and
 * the import reads the guard back off, so it reproduces them too (trimmed).
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvReader, detectNewline } from '../../electron/cmdb/import/csv-reader.js';
import { detectDelimiter } from '../../electron/cmdb/import/source.js';
import { CmdbService } from '../../electron/cmdb/service.js';
import { FORMULA_START } from '../../shared/csv.js';
import { cmdb, cmdbContent, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';

/** The cells of a CSV as the importer's reader reads them. */
function cells(text: string): string[][] {
  const reader = new CsvReader(detectDelimiter(text), detectNewline(text));
  return [...reader.write(text), ...reader.end()].map((i) => {
    if (i.values === undefined) throw new Error(`line ${i.line}: ${i.error}`);
    return i.values;
  });
}

/** Exports `from` (exact or safe), imports both files into a new CMDB, and returns it with the files. */
async function roundTrip(from: CmdbService, exact: boolean) {
  const out = await ok(from, 'exportCsv', { exact });
  const to = freshService();
  const hasRels = cells(out.relationships).length > 1; // a header-only file is refused
  const r = await ok(to, 'importCsv', {
    cis: { name: 'cis.csv', content: out.cis },
    ...(hasRels ? { relationships: { name: 'relationships.csv', content: out.relationships } } : {}),
  });
  expect(r.errors).toEqual([]);
  return { to, out };
}

/** Attribute sets no single spreadsheet column could carry as they are. */
const AWKWARD: Array<[string, Record<string, string>]> = [
  ['names that differ only in case, on one CI', { Rack: 'R1', rack: 'r1', RACK: 'R-ONE' }],
  ['names of core columns', { name: 'n', owner: 'o', type: 't', ID: 'i', Status: 's', description: 'd', attributes_json: '{}' }],
  ['an empty name and a blank one', { '': 'no name', ' ': 'a space' }],
  ['empty values', { empty: '', rack: '' }],
  ['surrounding spaces in names and values', { ' lead': 'x', 'trail ': 'y', pad: '  padded  ', tabbed: '\tx\t', nl: 'v\n' }],
  [
    'quotes, line breaks, commas and unicode',
    { 'a "q"': 'say "hi"', 'multi\nline': 'v1\nv2\r\nv3', 'c, d': 'x, y', 'ünï 数据 😀': '✓ 👍' },
  ],
  ['names and values that start like formulas', { '=key': '=1+1', '-neg': '-5', '@at': '@SUM(A1)', plus: '+1' }],
  ['semicolons and tabs in names', { 'a;b;c;d;e;f;g;h;i;j': 'v', 'x\ty\tz\tw\tq\tr\ts\tt\tu': 'w' }],
  ['a JSON-looking value and an attribute named like a field synonym', { hostname: 'h1', note: '{"a": 1}', Parent: 'p' }],
  ['names of what every object has', { constructor: 'c', toString: 't', hasOwnProperty: 'h' }],
  // Cells the import reads as empty (`<none>`, a dash alone) or takes a guard's apostrophe off: they travel in attributes_json.
  [
    'values an import reads otherwise in a cell',
    { none: '<none>', dash: '\u2013', emdash: '\u2014', hyphen: '-', own: "'=1+1", quote: "'" },
  ],
];

describe('exact export -> import', () => {
  it.each(AWKWARD)('reproduces every attribute exactly: %s', async (_what, attributes) => {
    const a = freshService();
    await ok(a, 'createCi', { key: 'one', fields: { type: 'server', name: 'One', attributes } });
    // Another CI with other spellings, and one without attributes, so columns are sparse and shared.
    await ok(a, 'createCi', { key: 'two', fields: { type: 'server', name: 'Two', attributes: { RACK: 'R2', Owner: 'team b', '': '' } } });
    await ok(a, 'createCi', { key: 'three', fields: { type: 'application', name: 'Three', owner: 'ops' } });
    await ok(a, 'createRelationship', { source: 'one', target: 'two', type: 'depends_on', attributes });
    await ok(a, 'createRelationship', { source: 'three', target: 'one', type: 'runs_on', attributes: { source_type: 'st', Target: 'x' } });
    const { to, out } = await roundTrip(a, true);
    expect(cmdbContent(to)).toEqual(cmdbContent(a));
    // And the copy exports the same files again.
    expect(await ok(to, 'exportCsv', { exact: true })).toEqual(out);
  });

  it('keeps a case pair split across CIs that came from two imports', async () => {
    const a = freshService();
    await ok(a, 'importCsv', { cis: { name: 'a.csv', content: 'id,name,type,Rack,Port\nweb-1,Web 1,server,R1,443\n' } });
    await ok(a, 'importCsv', { cis: { name: 'b.csv', content: 'id,name,type,rack\nweb-2,Web 2,server,r2\n' } });
    const { to, out } = await roundTrip(a, true);
    expect(cells(out.cis)[0]).toEqual([
      'id',
      'name',
      'type',
      'status',
      'environment',
      'owner',
      'criticality',
      'description',
      'Port',
      'Rack',
      'attributes_json',
    ]);
    expect((await ok(to, 'getCi', { key: 'web-1' })).ci.attributes).toEqual({ Rack: 'R1', Port: '443' });
    expect((await ok(to, 'getCi', { key: 'web-2' })).ci.attributes).toEqual({ rack: 'r2' });
  });

  it('writes no attributes_json column when every attribute fits a column', async () => {
    const a = freshService();
    await ok(a, 'createCi', { key: 'x', fields: { type: 'server', name: 'X', attributes: { rack: 'R1', 'Serial No': 'S 1' } } });
    const out = await ok(a, 'exportCsv', {});
    expect(out.cis.split('\n')[0]).toBe('\uFEFFid,name,type,status,environment,owner,criticality,description,rack,Serial No');
  });

  it('reproduces any attributes (property)', async () => {
    const awkward = fc.string({
      maxLength: 6,
      unit: fc.constantFrom('a', 'A', 'é', '😀', ' ', '\t', '\n', '\r', '"', ',', ';', '=', '-', '{'),
    });
    const name = fc.oneof(
      awkward,
      fc.constantFrom('name', 'NAME', 'type', 'owner', 'id', 'source', 'attributes_json', 'Rack', 'rack', ' rack', ''),
    );
    const value = fc.oneof(awkward, fc.constantFrom('', ' ', '=1+1', '-1', 'a\nb', '"', ', ', '😀'));
    const attrs = fc.dictionary(name, value, { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(fc.array(attrs, { minLength: 1, maxLength: 4 }), attrs, async (ciAttrs, relAttrs) => {
        const a = freshService();
        for (let i = 0; i < ciAttrs.length; i++) {
          await ok(a, 'createCi', { key: `ci-${i}`, fields: { type: 'server', name: `CI ${i}`, attributes: ciAttrs[i] } });
        }
        if (ciAttrs.length > 1) await ok(a, 'createRelationship', { source: 'ci-0', target: 'ci-1', type: 'uses', attributes: relAttrs });
        const { to } = await roundTrip(a, true);
        expect(cmdbContent(to)).toEqual(cmdbContent(a));
      }),
      { numRuns: 60 },
    );
  });
});

describe('attributes_json on import', () => {
  it('rejects a cell that is not a JSON object of text values, naming the column and what to do', async () => {
    for (const bad of ['{oops', '[1]', '{"port": 443}']) {
      const svc = freshService();
      const content = `id,name,type,attributes_json\nx,X,server,"${bad.replace(/"/g, '""')}"\n`;
      const e = await fails(svc, 'importCsv', { cis: { name: 'c.csv', content } });
      expect(e.code).toBe('IMPORT_REJECTED');
      expect(e.message).toMatch(/c\.csv line 2, column attributes_json: .*JSON object of names and text values/);
    }
  });

  it('rejects an attribute given both in its column and in attributes_json', async () => {
    const e = await fails(freshService(), 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type,rack,attributes_json\nx,X,server,R1,"{""rack"": ""R2""}"\n' },
    });
    expect(e.message).toMatch(/attribute "rack" is given twice/);
  });

  it('is skipped, like any column, when the mapping ignores it', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', {
      cis: { name: 'c.csv', content: 'id,name,type,attributes_json\nx,X,server,not json\n' },
      mapping: { ignore: { cis: ['attributes_json'] } },
    });
    expect(r.errors).toEqual([]);
    expect((await ok(svc, 'getCi', { key: 'x' })).ci.attributes).toEqual({});
  });
});

describe('safe export (the default)', () => {
  const FORMULAS = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'];
  const ORDINARY = ['x-1', '5', 'a=b', "it's", '1,5'];

  it('guards formula cells in names, descriptions and attributes, leaves ordinary values, and imports back as they were', async () => {
    const a = freshService();
    for (const [i, f] of FORMULAS.entries()) {
      await ok(a, 'createCi', {
        key: `f${i}`,
        fields: { type: 'server', name: f, description: f, attributes: { formula: f, plain: ORDINARY[i % ORDINARY.length]! } },
      });
    }
    await ok(a, 'createRelationship', { source: 'f0', target: 'f1', type: 'depends_on', redundancyGroup: '-g', attributes: { w: '=2' } });
    const { to, out } = await roundTrip(a, false);
    // No cell of either file starts like a formula.
    for (const text of [out.cis, out.relationships]) {
      for (const row of cells(text)) for (const c of row) expect(c, JSON.stringify(c)).not.toMatch(FORMULA_START);
    }
    for (const [i, f] of FORMULAS.entries()) {
      const ci = (await ok(to, 'getCi', { key: `f${i}` })).ci;
      // The import reads the guard back off (and trims a core field, as any import does).
      expect(ci.name).toBe(f.trim());
      expect(ci.description).toBe(f.trim());
      // A value with surrounding white space travels in attributes_json (a JSON cell, which starts with "{"), exactly.
      expect(ci.attributes).toEqual({ formula: f, plain: ORDINARY[i % ORDINARY.length] });
    }
    const rel = (await ok(to, 'getCi', { key: 'f0' })).outgoing[0]!;
    expect([rel.redundancyGroup, rel.attributes]).toEqual(['-g', { w: '=2' }]);
  });
});

describe('safe export imported back', () => {
  it('a CI keyed like a formula is the same CI again: a sync of the safe export changes nothing', async () => {
    const a = freshService();
    for (const key of ['=HYPERLINK("http://x")', '+cmd', '-2+3', '@SUM(1)'])
      await ok(a, 'createCi', { key, fields: { type: 'server', name: key, owner: 'x;=1+1', attributes: { offset: '-5' } } });
    await ok(a, 'createRelationship', { source: '+cmd', target: '-2+3', type: 'depends_on' });
    const out = await ok(a, 'exportCsv', {});
    const r = await ok(a, 'importCsv', {
      cis: { name: 'cis.csv', content: out.cis },
      relationships: { name: 'rels.csv', content: out.relationships },
      mode: 'sync',
      source: 'cis.csv',
    });
    expect(r.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4, relationshipsCreated: 0, relationshipsUnchanged: 1 });
  });
});

describe('safe export in a spreadsheet that splits cells at semicolons', () => {
  it('starts no such cell with a formula, whatever the names and values hold (a German or French Excel opening the file)', async () => {
    const a = freshService();
    const payload = 'x;=HYPERLINK(CHAR(104)&A1)';
    await ok(a, 'createCi', {
      key: 'k;=1',
      fields: { type: 'server', name: payload, description: 'a;"=b;-5', attributes: { 'n;@x': 'v;+2', zz: payload } },
    });
    await ok(a, 'createCi', { key: 'other', fields: { type: 'server', name: 'Other' } });
    await ok(a, 'createRelationship', { source: 'k;=1', target: 'other', type: 'depends_on', redundancyGroup: 'g;=1' });
    const out = await ok(a, 'exportCsv', {});
    for (const text of [out.cis, out.relationships]) {
      // What such a spreadsheet sees as cells: each line cut at every semicolon, a leading quote opening a quoted cell.
      const split = text.split(/\r?\n/).flatMap((line) => line.split(';').slice(1));
      expect(split.length).toBeGreaterThan(0);
      for (const c of split) expect(c.replace(/^"+/, ''), JSON.stringify(c)).not.toMatch(FORMULA_START);
    }
    // The exact export still writes every value as stored.
    expect((await ok(a, 'exportCsv', { exact: true })).cis).toContain(payload);
  });
});

describe('cmdb export --exact', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('writes formula cells as they are only with --exact; that export imports back exactly', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const src = join(dir, 'in.csv');
    writeFileSync(src, 'id,name,type,description,offset,Rack\nx,=SUM(1),server,"two\nlines",-5,R1\n');
    expect(cmdb(['import', '--db', db, '--cis', src, '--progress', 'none']).code).toBe(0);

    const safe = join(dir, 'safe.csv');
    const written = cmdb(['export', '--db', db, '--cis', safe]);
    // One CI, though its description spans two lines of the file.
    expect(written.stdout.trim()).toBe(`Wrote 1 CI to ${safe}.`);
    expect(cells(readFileSync(safe, 'utf8'))[1]).toEqual(['x', "'=SUM(1)", 'server', '', '', '', '', 'two\nlines', "'-5", 'R1']);

    const exact = join(dir, 'exact.csv');
    const r = cmdb(['export', '--db', db, '--cis', exact, '--exact']);
    expect(r.code, r.stderr).toBe(0);
    expect(cells(readFileSync(exact, 'utf8'))[1]).toEqual(['x', '=SUM(1)', 'server', '', '', '', '', 'two\nlines', '-5', 'R1']);
    const copy = join(dir, 'b.db');
    expect(cmdb(['import', '--db', copy, '--cis', exact, '--progress', 'none']).code).toBe(0);
    const [a, b] = [CmdbService.open(db), CmdbService.open(copy)];
    try {
      expect(cmdbContent(b)).toEqual(cmdbContent(a));
    } finally {
      a.close();
      b.close();
    }
  });
});
