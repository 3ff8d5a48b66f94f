/**
 * The streaming CSV reader (PapaParse underneath) against csv-parse as the
 * reference: on any valid CSV, cut into chunks anywhere, both read the same
 * records, and the reader gives each record the line it starts on. Bad
 * quoting is reported in place.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvReader,
  detectNewline,
  MAX_RECORD,
  QUOTE_NOT_CLOSED,
  recordTooLong,
  TEXT_AFTER_QUOTE,
  type ScanItem,
} from '../../electron/cmdb/import/csv-reader.js';

function scanAll(text: string, delimiter: string, cuts: number[], maxRecord?: number): ScanItem[] {
  const sc = new CsvReader(delimiter, detectNewline(text, delimiter), maxRecord);
  const out: ScanItem[] = [];
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(text.length, c);
    if (to > at) sc.write(text.slice(at, to), out);
    at = Math.max(at, to);
  }
  sc.write(text.slice(at), out);
  sc.end(out);
  return out;
}

const fieldArb = fc.stringMatching(/^[a-zé"',;\t\r\n ]{0,8}$/);

describe('CsvReader', () => {
  it('reads what csv-parse reads, with start lines, however the text is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fieldArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        (records, delimiter, eol, cuts) => {
          // Records of blank fields only (blank lines, `,,`) the reader skips; leave them out of the comparison.
          const rows = records.filter((r) => r.some((v) => v.trim() !== ''));
          const opts = {
            delimiter,
            record_delimiter: eol === '\n' ? ('unix' as const) : ('windows' as const),
            quoted_match: /^\s|\s$|"|\r|\n/,
          };
          const pieces = rows.map((r) => stringify([r], opts));
          const text = pieces.join('');
          const expected = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
          const got = scanAll(text, delimiter, cuts);
          expect(got.map((g) => g.values)).toEqual(expected);
          // Each record starts on the line after all the line breaks (\r\n, \n or \r) before it.
          let before = '';
          rows.forEach((_, i) => {
            expect(got[i]!.line).toBe(1 + (before.match(/\r\n|\r|\n/g)?.length ?? 0));
            before += pieces[i];
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads a quote inside a field that does not start with one as a character, as csv-parse's relax_quotes does (Excel, Python's csv)", () => {
    // Each field is written bare unless it must be quoted: it starts with a quote, or holds the delimiter or a line break.
    const inchArb = fc.stringMatching(/^[a-z"' ;,\t\r\n]{0,8}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(inchArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        (records, delimiter, eol, cuts) => {
          const rows = records.filter((r) => r.some((v) => v.trim() !== ''));
          const bare = (v: string) => !v.startsWith('"') && !v.includes(delimiter) && !/[\r\n]/.test(v);
          const pieces = rows.map((r) => r.map((v) => (bare(v) ? v : `"${v.replaceAll('"', '""')}"`)).join(delimiter) + eol);
          const text = pieces.join('');
          const expected = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
          const got = scanAll(text, delimiter, cuts);
          expect(got.map((g) => g.values)).toEqual(expected);
          let before = '';
          rows.forEach((_, i) => {
            expect(got[i]!.line).toBe(1 + (before.match(/\r\n|\r|\n/g)?.length ?? 0));
            before += pieces[i];
          });
        },
      ),
      { numRuns: 400 },
    );
    // A monitor's size in inches, in a file whose first line break comes after one: the records and their lines.
    const text = 'mon-01,monitor,Dell 24" P2419H\r\nsrv-01,server,R640 8x2.5" SAS\r\n"quoted, ""fine""",x,y\r\n';
    expect(detectNewline(text)).toBe('\r\n');
    // One inch mark before the first line break opens no quoted field: the line end is found.
    expect(detectNewline('name,Size (")\r\nmon-01,24\r\n', ',')).toBe('\r\n');
    for (let cut = 0; cut <= text.length; cut++) {
      expect(scanAll(text, ',', [cut])).toEqual([
        { line: 1, values: ['mon-01', 'monitor', 'Dell 24" P2419H'] },
        { line: 2, values: ['srv-01', 'server', 'R640 8x2.5" SAS'] },
        { line: 3, values: ['quoted, "fine"', 'x', 'y'] },
      ]);
    }
  });

  it('reports bad quoting at the line of the record and reads on', () => {
    const text = 'a,b\n1,"x"y\n2,ok\n3,x"y\n\n4,"multi\nline"\n5,"open\n6,never\n';
    const got = scanAll(text, ',', [5, 13, 22]);
    expect(got).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, error: TEXT_AFTER_QUOTE, column: 1 },
      { line: 3, values: ['2', 'ok'] },
      { line: 4, values: ['3', 'x"y'] },
      { line: 6, values: ['4', 'multi\nline'], afterBlank: true },
      { line: 8, error: QUOTE_NOT_CLOSED },
    ]);
  });

  it('handles a lone CR line end, a BOM, a missing final line end, and escaped quotes across chunk ends', () => {
    expect(scanAll('\ufeffa,b\r1,2\r3,4', ',', [])).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', '2'] },
      { line: 3, values: ['3', '4'] },
    ]);
    const text = 'a\n"say ""hi"""\n"x"\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(scanAll(text, ',', [cut])).toEqual([
        { line: 1, values: ['a'] },
        { line: 2, values: ['say "hi"'] },
        { line: 3, values: ['x'] },
      ]);
    }
  });
});

describe('CsvReader edge cases', () => {
  it("skips a spreadsheet's blank rows (only delimiters, quoted empties, spaces) and keeps the lines of the others", () => {
    // Excel writes the empty rows and columns below and beside its data as delimiters only.
    const text = 'name,type,,\r\na,server,,\r\n,,,\r\n"","", ,\r\nb,server,,\r\n,,,\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(scanAll(text, ',', [cut])).toEqual([
        { line: 1, values: ['name', 'type', '', ''] },
        { line: 2, values: ['a', 'server', '', ''] },
        // The record after the skipped ones says so: a note under a sheet's table is set off by an empty row.
        { line: 5, values: ['b', 'server', '', ''], afterBlank: true },
      ]);
    }
  });

  it('rejects spaces or text after a closing quote that PapaParse would accept, and a bad quote inside a multi-line field', () => {
    const text = 'a,b\n"x" ,1\n"multi\nli"ne",2\n3,4\n"a,""b""",c"d"e\n5,"x""y" z\n6,7\n';
    for (let cut = 0; cut <= text.length; cut++) {
      // The column is named however the file is cut (PapaParse finds some of these, the reader's own check the rest).
      expect(scanAll(text, ',', [cut])).toEqual([
        { line: 1, values: ['a', 'b'] },
        { line: 2, error: TEXT_AFTER_QUOTE, column: 0 },
        { line: 3, error: TEXT_AFTER_QUOTE, column: 0 },
        { line: 5, values: ['3', '4'] },
        { line: 6, values: ['a,"b"', 'c"d"e'] },
        { line: 7, error: TEXT_AFTER_QUOTE, column: 1 },
        { line: 8, values: ['6', '7'] },
      ]);
    }
  });

  it('counts every line break style inside quoted fields, and reads a field far longer than a chunk', () => {
    const big = 'x'.repeat(50_000) + '\n' + 'y'.repeat(50_000);
    const text = `k;v\r\n"a\rb\nc\r\nd";1\r\n;\r\n"${big}";2\r\n`;
    const cuts = Array.from({ length: 40 }, (_, i) => i * 2600);
    expect(scanAll(text, ';', cuts)).toEqual([
      { line: 1, values: ['k', 'v'] },
      { line: 2, values: ['a\rb\nc\r\nd', '1'] },
      { line: 7, values: [big, '2'], afterBlank: true },
    ]);
  });
});

describe('CsvReader plain and quoted text', () => {
  it.each([
    ['\n', '\n'],
    ['\r\n', '\n'],
    ['\r\n', '\r\n'],
    ['\r', '\r'],
  ])(
    'keeps line numbers across chunks read by the quote-free path and by the quoted path, cut anywhere (%j, %j in the field)',
    (eol, inField) => {
      const text = `a,b|1,2||3,4|"x${inField}y",5|6,7|  |8,9`.replace(/\|/g, eol);
      for (let cut = 0; cut <= text.length; cut++) {
        for (const second of [cut + 3, cut + 9]) {
          expect(scanAll(text, ',', [cut, second])).toEqual([
            { line: 1, values: ['a', 'b'] },
            { line: 2, values: ['1', '2'] },
            { line: 4, values: ['3', '4'], afterBlank: true },
            { line: 5, values: [`x${inField}y`, '5'] },
            { line: 7, values: ['6', '7'] },
            { line: 9, values: ['8', '9'], afterBlank: true },
          ]);
        }
      }
    },
  );
});

describe('CsvReader record limit', () => {
  /** A field as a CSV writer writes it: quoted when it holds the delimiter, a quote, a line break or surrounding spaces. */
  const quote = (f: string, d: string) => (/^\s|\s$|["\r\n]/.test(f) || f.includes(d) ? `"${f.replace(/"/g, '""')}"` : f);

  it('reports a record longer than the limit once, on its line and at the column that ran past it; the rest reads on, however chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fieldArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 4, max: 30 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 6 }),
        (records, delimiter, eol, limit, cuts) => {
          const rows = records.filter((r) => r.some((v) => v.trim() !== ''));
          const pieces = rows.map((r) => r.map((f) => quote(f, delimiter)).join(delimiter) + eol);
          const expected: ScanItem[] = [];
          let line = 1;
          rows.forEach((r, i) => {
            const piece = pieces[i]!;
            if (piece.length > limit) {
              // The column whose text (its delimiter, or the line end, counted with it) holds the character past the limit.
              let column = 0;
              for (let end = quote(r[0]!, delimiter).length + 1; end <= limit && column < r.length - 1;) {
                column++;
                end += quote(r[column]!, delimiter).length + 1;
              }
              expected.push({ line, error: recordTooLong(limit), column });
            } else {
              expected.push({ line, values: r });
            }
            line += piece.match(/\r\n|\r|\n/g)?.length ?? 0;
          });
          expect(scanAll(pieces.join(''), delimiter, cuts, limit)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a long quoted field with line breaks past the limit, then the next record on its own line, cut anywhere', () => {
    const text = 'a,b\n1,"x\ny\r\nz ""q"" long"\n2,ok\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(scanAll(text, ',', [cut], 12)).toEqual([
        { line: 1, values: ['a', 'b'] },
        { line: 2, error: recordTooLong(12), column: 1 },
        { line: 5, values: ['2', 'ok'] },
      ]);
    }
  });

  it('says a quote was left open, not that a value is too long, when the file ends inside the quotes', () => {
    const text = 'a,b\n1,"never closed, and long\nmore\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(scanAll(text, ',', [cut], 10)).toEqual([
        { line: 1, values: ['a', 'b'] },
        { line: 2, error: QUOTE_NOT_CLOSED },
      ]);
    }
  });

  it.each([false, true])(
    'at the real limit (64 Mi characters), read in 64 KB chunks: one error, nothing cut, no phantom rows (quoted: %s)',
    (quoted) => {
      const big = 'x'.repeat(MAX_RECORD + 3_000_000);
      const text = `id,name,type,description\na,A,server,${quoted ? `"${big}"` : big}\nb,B,server,ok\n`;
      const cuts = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => i * 65536);
      expect(scanAll(text, ',', cuts)).toEqual([
        { line: 1, values: ['id', 'name', 'type', 'description'] },
        { line: 2, error: recordTooLong(MAX_RECORD), column: 3 },
        { line: 3, values: ['b', 'B', 'server', 'ok'] },
      ]);
    },
  );
});
