/**
 * Tolerance: UTF-8 with and without BOM, UTF-16 LE/BE with BOM,
 * Windows-1252 (detected or forced), comma/semicolon/tab (detected or
 * forced), CRLF and quoted line breaks, all read from files on disk.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, parseEncoding } from '../../electron/cmdb/import/source.js';
import { singleByteEncoding } from '../../electron/cmdb/import/single-byte.js';
import { fails, freshService, ok, tempDir } from './helpers.js';
import { detectNewline } from '../../electron/cmdb/import/csv-reader.js';

const TEXT = 'id,name,type,description\r\nc-1,Café Zürich,server,"two\r\nlines, with comma"\r\nc-2,Señor “Smart” Ü,server,plain\r\n';

function write(dir: string, name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function importFile(path: string, extra: Record<string, unknown> = {}) {
  const svc = freshService();
  const r = await ok(svc, 'importCsv', { cis: { path }, ...extra });
  const c1 = (await ok(svc, 'getCi', { key: 'c-1' })).ci;
  const c2 = (await ok(svc, 'getCi', { key: 'c-2' })).ci;
  return { r, c1, c2 };
}

describe('encodings', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['UTF-8', Buffer.from(TEXT, 'utf8'), 'utf8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf8'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf16le')]), 'utf16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(TEXT, 'utf16-be')]), 'utf16be'],
    ['UTF-16 LE without a BOM', iconv.encode(TEXT, 'utf16le'), 'utf16le'],
    ['UTF-16 BE without a BOM', iconv.encode(TEXT, 'utf16-be'), 'utf16be'],
    ['Windows-1252', iconv.encode(TEXT, 'windows-1252'), 'windows1252'],
    // Excel for Mac's "Comma Separated Values" and "CSV (Macintosh)".
    ['Mac Roman', iconv.encode(TEXT, 'macintosh'), 'macintosh'],
  ];
  for (const [label, bytes, enc] of cases) {
    it(`reads ${label} (CRLF, a quoted line break) and detects it`, async () => {
      const dir = tempDir();
      const path = write(dir, 'cis.csv', bytes);
      const { r, c1, c2 } = await importFile(path);
      expect(r.counts.created).toBe(2);
      expect(c1.name).toBe('Café Zürich');
      expect(c1.description).toBe('two\r\nlines, with comma');
      expect(c2.name).toBe('Señor “Smart” Ü');
      const svc = freshService();
      expect((await ok(svc, 'previewCsv', { file: { path } })).encoding).toBe(enc);
    });
  }

  it('--encoding forces a reading; a file that turns invalid UTF-8 late gets a clear message', async () => {
    const dir = tempDir();
    const path = write(dir, 'cis.csv', iconv.encode(TEXT, 'windows-1252'));
    const { c1 } = await importFile(path, { encoding: 'cp1252' });
    expect(c1.name).toBe('Café Zürich');
    // Valid UTF-8 for the first megabyte, then a Windows-1252 byte.
    const big = `id,name,type\n${Array.from({ length: 40000 }, (_, i) => `k${i},name ${i} padding padding,server`).join('\n')}\n`;
    const late = write(dir, 'late.csv', Buffer.concat([Buffer.from(big, 'utf8'), iconv.encode('z-1,Zürich,server\n', 'windows-1252')]));
    const svc = freshService();
    const e = await fails(svc, 'importCsv', { cis: { path: late } });
    expect(e.code).toBe('CSV_ERROR');
    expect(e.message).toMatch(/not valid UTF-8 .*--encoding windows-1252/);
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    const forced = await ok(svc, 'importCsv', { cis: { path: late }, encoding: 'windows-1252' });
    expect(forced.counts.created).toBe(40001);
  });

  it('a small UTF-8 file with a row in another encoding, or a character cut short, is refused naming the line, not read as Windows-1252', async () => {
    const dir = tempDir();
    const utf8 = 'id,name,type,location\nz-1,Zürich gateway,server,Straße 1\nz-2,Genève edge,server,Rue 2\n';
    const mixed = write(
      dir,
      'mixed.csv',
      Buffer.concat([Buffer.from(utf8, 'utf8'), iconv.encode('z-3,Köln core,server,Weg 3\n', 'windows-1252')]),
    );
    const cut = write(
      dir,
      'cut.csv',
      Buffer.concat([Buffer.from(utf8, 'utf8'), Buffer.from('z-3,Malmö', 'utf8').subarray(0, -1), Buffer.from(',server,x\n')]),
    );
    const svc = freshService();
    for (const path of [mixed, cut]) {
      const e = await fails(svc, 'importCsv', { cis: { path } });
      expect(e.code).toBe('CSV_ERROR');
      expect(e.message).toMatch(/^(mixed|cut)\.csv line 4: not valid UTF-8 \(byte \d+\), though the file is UTF-8 before it/);
    }
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    // Lone carriage returns (old Mac Excel) count as line breaks too.
    const cr = write(
      dir,
      'cr.csv',
      Buffer.concat([Buffer.from(utf8.replace(/\n/g, '\r'), 'utf8'), iconv.encode('z-3,Köln,server,x\r', 'windows-1252')]),
    );
    expect((await fails(svc, 'importCsv', { cis: { path: cr } })).message).toMatch(/^cr\.csv line 4: not valid UTF-8/);
    // One line of Western UTF-8 and one pasted from Windows-1252, and six against four: UTF-8 with bad lines, not Mac Roman or Windows-1252.
    const oneEach = write(
      dir,
      'one-each.csv',
      Buffer.from('name,type,owner\nsrv-z\xc3\xbcrich,server,\xc3\x89quipe\nsrv-k\xf6ln,server,x\n', 'latin1'),
    );
    expect((await fails(svc, 'importCsv', { cis: { path: oneEach } })).message).toMatch(/^one-each\.csv line 3: not valid UTF-8/);
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => `s-${i},server,Zürich`),
      ...Array.from({ length: 4 }, (_, i) => `t-${i},server,Köln`),
    ];
    const sixFour = write(
      dir,
      'six-four.csv',
      Buffer.concat([
        Buffer.from(['name,type,location', ...rows.slice(0, 6), ''].join('\n'), 'utf8'),
        iconv.encode(rows.slice(6).join('\n') + '\n', 'windows-1252'),
      ]),
    );
    expect((await fails(svc, 'importCsv', { cis: { path: sixFour } })).message).toMatch(/^six-four\.csv line 8: not valid UTF-8/);
    expect((await ok(svc, 'stats', {})).cis).toBe(0);
    // Mac Roman's ’ before an accented small letter reads as one UTF-8 character (d’été): not enough to call it UTF-8.
    const french =
      'id,name,type,location\nf-1,Serveur d’été,server,Salle d’équipement\nf-2,Bâtiment A,server,Entrée\nf-3,l’équipe,server,\n';
    const mac = write(dir, 'mac.csv', iconv.encode(french, 'macintosh'));
    await ok(svc, 'importCsv', { cis: { path: mac } });
    expect(svc.db.prepare("SELECT name FROM cis WHERE key LIKE 'f-%' ORDER BY key").pluck().all()).toEqual([
      'Serveur d’été',
      'Bâtiment A',
      'l’équipe',
    ]);
  });

  it('tells Windows-1252 from Mac Roman by how the words read, one accented word a file', () => {
    const words = [
      'Zürich',
      'München',
      'Düsseldorf',
      'Genève',
      'Málaga',
      'Köln',
      'Jürgen Müller',
      'São Paulo',
      'Åre',
      'Straße',
      'Besançon',
      'ESPAÑA',
      'Señor',
      'Ørsted',
      'Hôtel de Ville',
      'café',
      'naïve',
      'Frühling',
      'Bäckerei',
      'Göteborg',
      'Łódź', // not in either: written as '?', nothing to tell by
    ];
    for (const word of words) {
      const line = `id,name,type\nsrv-1,${word},server\n`;
      if (iconv.decode(iconv.encode(line, 'macintosh'), 'macintosh') !== line) continue; // not all in Mac Roman
      expect([word, singleByteEncoding(iconv.encode(line, 'windows-1252'))]).toEqual([word, 'windows1252']);
      expect([word, singleByteEncoding(iconv.encode(line, 'macintosh'))]).toEqual([word, 'macintosh']);
    }
    // Punctuation alone tells nothing: the commoner Windows-1252.
    for (const text of ['a,b\nx,don’t\n', 'a,b\nx,100 €\n', 'a,b\nx,2020 – 2024\n', 'a,b\nx,20°C\n'])
      expect(singleByteEncoding(iconv.encode(text, 'windows-1252'))).toBe('windows1252');
    expect(['mac-roman', 'MacRoman', 'macintosh', 'x-mac-roman'].map(parseEncoding)).toEqual(Array(4).fill('macintosh'));
  });

  it('tells them apart by where typographic quotes and dashes stand, in a file with no accented letter (English, Word and Excel)', () => {
    const texts = [
      'id,name,type,description\na,web–01,server,Rack “A” – 2nd floor\nc,app-01,application,Don’t reboot\n',
      'id,name,description\na,“Edge” router,Owner’s note\n',
      'id,name,description\na,Core switch,Moved 2019–2020 — see ticket\n',
      'id,name,description\na,Core switch,‘Legacy’ build\n',
    ];
    for (const text of texts) {
      expect([text, singleByteEncoding(iconv.encode(text, 'windows-1252'))]).toEqual([text, 'windows1252']);
      expect([text, singleByteEncoding(iconv.encode(text, 'macintosh'))]).toEqual([text, 'macintosh']);
    }
  });

  it('detectEncoding: BOMs, valid UTF-8, and bytes that are not', () => {
    expect(detectEncoding(Buffer.from('abc'), true)).toEqual({ encoding: 'utf8', bomLength: 0 });
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), true)).toEqual({ encoding: 'utf8', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]), true)).toEqual({ encoding: 'utf16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x41]), true)).toEqual({ encoding: 'utf16be', bomLength: 2 });
    // A UTF-16 mark in front of UTF-8 (no zero byte behind it): UTF-8 after the mark's two bytes.
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a,b\né,c\n')]), true)).toEqual({
      encoding: 'utf8',
      bomLength: 2,
    });
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n')]), true)).toEqual({
      encoding: 'utf8',
      bomLength: 2,
    });
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]), true)).toEqual({
      encoding: 'utf16le',
      bomLength: 2,
    });
    expect(detectEncoding(Buffer.from([0x43, 0x61, 0x66, 0xe9]), true).encoding).toBe('windows1252');
    // A sample cut in the middle of a character is still UTF-8.
    const cut = Buffer.from('aé', 'utf8').subarray(0, 2);
    expect(detectEncoding(cut, false).encoding).toBe('utf8');
  });
});

describe('line ends', () => {
  it('a file that mixes CRLF and LF is refused saying so, not only as a ragged row', async () => {
    const dir = tempDir();
    const path = write(dir, 'cis.csv', Buffer.from('id,name,type\r\nc-1,a,server\r\nc-2,b,server\nc-3,c,server\r\n', 'utf8'));
    const e = await fails(freshService(), 'importCsv', { cis: { path } });
    expect(e.message).toMatch(/cis\.csv line 3: ragged row: .* the file mixes line ends \(CRLF and LF\)/);
  });

  it('a CRLF header over LF rows (a header saved again on Windows) reads row by row (found by a tester)', async () => {
    const dir = tempDir();
    const text = 'id,name,type,"Rack"\r\nc-1,a,server,R1\nc-2,"b\nsecond line",server,R2\nc-3,c,server,"R3"\n';
    const path = write(dir, 'cis.csv', Buffer.from(text, 'utf8'));
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { path } });
    expect([r.counts.created, r.errors]).toEqual([3, []]);
    const rows = svc.db.prepare('SELECT key, name, type, attributes FROM cis ORDER BY key').raw().all();
    expect(rows).toEqual([
      ['c-1', 'a', 'server', '{"Rack":"R1"}'],
      ['c-2', 'b\nsecond line', 'server', '{"Rack":"R2"}'],
      ['c-3', 'c', 'server', '{"Rack":"R3"}'],
    ]);
    // Which line end is the rows': the first one's kind, unless most of the breaks after it are bare LF.
    expect(detectNewline('a,b\r\n1,2\n3,4\n')).toBe('\n');
    expect(detectNewline('a,b\r\n1,2\r\n3,4\n5,6\r\n')).toBe('\r\n');
    expect(detectNewline('a,b\r\n1,"x\ny\nz"\r\n')).toBe('\r\n');
    expect(detectNewline('a,b\r\n')).toBe('\r\n');
    expect(detectNewline('a,b\n1,2\r\n3,4\r\n')).toBe('\n');
    expect(detectNewline('a,b\r1,2\n')).toBe('\r');
    // A quoted value after a space is not read as quoted by the scan: its line breaks do not outvote the CRLF rows (found by a reviewer).
    const spaced = 'id, name, type, description\r\ns1, S1, server, "line one\nline two"\r\ns2, S2, server, "a\nb\nc"\r\n';
    expect(detectNewline(spaced)).toBe('\r\n');
  });
});

describe('a NUL character in a cell', () => {
  it("is that row's error, naming the column, and the import stops with nothing written; --skip-bad-rows imports the rest", async () => {
    const dir = tempDir();
    const path = write(dir, 'cis.csv', Buffer.from('id,name,type\nc-1,ok,server\nc-2,bad\0name,server\n', 'utf8'));
    const svc = freshService();
    const e = await fails(svc, 'importCsv', { cis: { path } });
    expect(e.message).toMatch(/cis\.csv line 3, column name: a NUL character/);
    expect((await ok(svc, 'listCis', {})).total).toBe(0);
    const r = await ok(svc, 'importCsv', { cis: { path }, skipBadRows: true });
    expect(r.counts).toMatchObject({ created: 1, rejected: 1 });
  });
});

describe('delimiters', () => {
  for (const [label, d] of [
    ['semicolon', ';'],
    ['tab', '\t'],
    ['comma', ','],
  ] as const) {
    it(`detects ${label}`, async () => {
      const dir = tempDir();
      const rows = [
        ['id', 'name', 'type', 'description'],
        ['c-1', 'Café Zürich', 'server', '"two\r\nlines, with comma"'],
        ['c-2', 'Señor “Smart” Ü', 'server', 'plain'],
      ];
      const path = write(dir, 'cis.csv', Buffer.from(`${rows.map((r) => r.join(d)).join('\r\n')}\r\n`, 'utf8'));
      const { c1 } = await importFile(path);
      expect(c1.description).toBe('two\r\nlines, with comma');
    });
  }

  it('--delimiter forces one; detectDelimiter ignores delimiters inside quotes', async () => {
    expect(detectDelimiter('"a;b;c",x,y\n1,2,3')).toBe(',');
    expect(detectDelimiter('a\tb;c\td\n')).toBe('\t');
    // A header with more commas than semicolons, in a semicolon file: the rows below do not repeat the commas.
    expect(detectDelimiter('Name;Type;Notes (rack, row, slot)\r\na;server;R1, row 2, slot 3\r\nb;server;\r\nc;server;spare\r\n')).toBe(';');
    // Semicolons in the cells of a comma file do not win either; a header alone decides by its own counts.
    expect(detectDelimiter('id,name,notes\n1,a,x;y;z\n2,b,w\n')).toBe(',');
    expect(detectDelimiter(',,\n\nname,type,cost;eur\n')).toBe(',');
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { name: 'p.csv', content: 'id|name|type\na|A, Inc.|server\n' }, delimiter: 'pipe' });
    expect(r.counts.created).toBe(1);
    expect((await ok(svc, 'getCi', { key: 'a' })).ci.name).toBe('A, Inc.');
  });

  it('an Excel "sep=" first line names the delimiter and is not the header', async () => {
    const svc = freshService();
    const content = 'sep=;\r\nid;name;type\r\na;A, Inc.;server\r\nb;;server\r\n';
    const p = await ok(svc, 'previewCsv', { file: { name: 'x.csv', content } });
    expect(p).toMatchObject({
      delimiter: ';',
      headers: ['id', 'name', 'type'],
      rows: [
        ['a', 'A, Inc.', 'server'],
        ['b', '', 'server'],
      ],
    });
    const r = await ok(svc, 'importCsv', { cis: { name: 'x.csv', content }, dryRun: true });
    expect(r.errors).toEqual([{ file: 'x.csv', line: 4, column: 'name', message: expect.stringMatching(/missing required value/) }]);
  });

  it('trailing empty columns from spreadsheets are tolerated, with a note', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', { cis: { name: 's.csv', content: 'id,name,type,,\na,A,server,,\nb,B,server,,,\n' } });
    expect(r.counts.created).toBe(2);
    expect(r.warnings.join(' ')).toMatch(/columns 4, 5 have no header name; their values are ignored/);
  });
});
