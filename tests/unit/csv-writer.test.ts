/**
 * The one CSV writer (shared/csv.ts): the formula guard of safe files, and
 * exact files that the importer's reader reads back value for value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReader, detectNewline } from '../../electron/cmdb/import/csv-reader.js';
import { detectDelimiter } from '../../electron/cmdb/import/source.js';
import { guardFormula, toCsv, unguardFormula, UTF8_BOM } from '../../shared/csv.js';
import { errorsToCsv } from '../../shared/import.js';
import { errorsCsv } from '../../renderer/src/import/files.js';

function readBack(text: string): string[][] {
  const reader = new CsvReader(detectDelimiter(text), detectNewline(text));
  const items = [...reader.write(text), ...reader.end()];
  return items.map((i) => {
    if (i.values === undefined) throw new Error(`line ${i.line}: ${i.error}`);
    return i.values;
  });
}

const FORMULAS = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=1\n+2', '-'];
/** FORMULAS as guarded: an apostrophe first, and after a line break a formula follows (where a reader that reads no quotes starts a cell). */
const GUARDED = ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r'=1", "'=1\n'+2", "'-"];
const ORDINARY = ['1', '0.5', 'a=b', 'x-1', ' -1', "'quoted", 'a, "b"', 'line\nbreak', 'ünï 数据 😀', ''];

describe('toCsv', () => {
  it('guards every cell that starts like a formula, negative numbers included, and reads back with the apostrophe', () => {
    const text = toCsv([['h', 'v'], ...FORMULAS.map((f) => ['x', f])]);
    expect(readBack(text).slice(1)).toEqual(GUARDED.map((g) => ['x', g]));
    expect(text).toContain(`"'=1+1"`);
    expect(FORMULAS.map(guardFormula)).toEqual(GUARDED);
    expect(GUARDED.map(unguardFormula)).toEqual(FORMULAS);
  });

  it('leaves ordinary values alone', () => {
    expect(readBack(toCsv([['h', 'v'], ...ORDINARY.map((o) => ['x', o])])).slice(1)).toEqual(ORDINARY.map((o) => ['x', o]));
    expect(ORDINARY.map(guardFormula)).toEqual(ORDINARY);
  });

  it('guards a cell that starts with a NUL, which a reader may drop to leave the formula first (ASVS 1.2.10)', () => {
    expect(guardFormula('\0=HYPERLINK("http://x")')).toBe(`'\0=HYPERLINK("http://x")`);
    expect(toCsv([['h'], ['\0=1+1']])).toBe(`${UTF8_BOM}h\n"'\0=1+1"\n`);
  });

  it('guards a formula after a semicolon, where a spreadsheet whose locale splits cells at ";" starts a cell', () => {
    // Excel in a German or French locale opens a .csv splitting at semicolons: quoting the comma field does not help there.
    const cases: Array<[string, string]> = [
      ['x;=HYPERLINK(CHAR(104)&A1)', "x;'=HYPERLINK(CHAR(104)&A1)"],
      ["a;b;=cmd|' /C calc'!A0", "a;b;'=cmd|' /C calc'!A0"],
      ['x;"=1+1', `x;"'=1+1`],
      ['x;-5;+1;@a', "x;'-5;'+1;'@a"],
      ['=1;=2', "'=1;'=2"],
    ];
    for (const [value, guarded] of cases) expect(guardFormula(value)).toBe(guarded);
    expect(readBack(toCsv([['h', 'v'], ...cases.map(([v]) => ['x', v])])).slice(1)).toEqual(cases.map(([, g]) => ['x', g]));
    expect(toCsv([['a;=1', 'b']])).toBe(`${UTF8_BOM}"a;'=1",b\n`);
    // After a line break inside a value too: such a reader reads no quotes, so the break ends the row and what follows
    // starts the next line's first cell (found by a security review).
    const breaks: Array<[string, string]> = [
      ['Svc\n=2+3;', "Svc\n'=2+3;"],
      ['team\r\n@SUM(9*9);', "team\r\n'@SUM(9*9);"],
      ['a\n\r=1', "a\n'\r'=1"],
      ['a\n"-5', `a\n"'-5`],
    ];
    for (const [value, guarded] of breaks) {
      expect(guardFormula(value)).toBe(guarded);
      expect(unguardFormula(guarded)).toBe(value);
    }
    const text = toCsv([
      ['name', 'owner'],
      ['Svc\n=2+3;', 'team\n@SUM(9*9);'],
    ]);
    for (const line of text.split(/\r?\n/).slice(1))
      expect(
        line.split(';').some((cell) => /^[=+\-@]/.test(cell.replace(/^"+/, ''))),
        line,
      ).toBe(false);
    // Semicolons before ordinary text, and exact files, are left alone.
    expect(guardFormula('a;b; c;x-1')).toBe('a;b; c;x-1');
    expect(toCsv([['h'], ['x;=1']], { exact: true })).toBe('h\nx;=1\n');
  });

  it('guards the header row too', () => {
    expect(toCsv([['=cmd', 'b']])).toBe(`${UTF8_BOM}"'=cmd",b\n`);
  });

  it('writes every value as it is in exact mode, and the reader reads it back', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...FORMULAS, ...ORDINARY)), { minLength: 3, maxLength: 3 }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        (rows, newline) => {
          const all = [['a', 'b', 'c'], ...rows];
          const text = toCsv(all, { exact: true, newline });
          // A row of blank cells only is a spreadsheet's empty row, which the reader skips by design (csv-reader.ts).
          expect(readBack(text)).toEqual(all.filter((r) => r.some((v) => v.trim() !== '')));
        },
      ),
      { numRuns: 300 },
    );
    // The case that once failed at random (seed 553266262): blank rows are not read back.
    expect(
      readBack(
        toCsv(
          [
            ['a', 'b', 'c'],
            ['', ' ', ''],
          ],
          { exact: true },
        ),
      ),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('quotes semicolons and tabs in the header, so a reader that guesses the delimiter from it still finds the comma', () => {
    const header = ['id', 'a;b;c;d;e', 'f\tg\th\ti'];
    const text = toCsv([header, ['1', 'x;y', 'z']], { exact: true });
    expect(detectDelimiter(text)).toBe(',');
    expect(readBack(text)).toEqual([header, ['1', 'x;y', 'z']]);
    expect(text.split('\n')[1]).toBe('1,x;y,z');
    // Rows that continue a file are data rows: no header quoting.
    expect(toCsv([['a;b;c', 'd']], { header: false })).toBe('a;b;c,d\n');
  });

  it('ends every row with the newline asked for, and writes nulls as empty cells', () => {
    expect(
      toCsv(
        [
          ['a', 'b'],
          [null, 3],
        ],
        { newline: '\r\n' },
      ),
    ).toBe(`${UTF8_BOM}a,b\r\n,3\r\n`);
    expect(toCsv([])).toBe('');
  });

  it('starts a safe file with a UTF-8 byte-order mark (Excel on Windows reads UTF-8 by it), not an exact file or rows that continue one', () => {
    const safe = toCsv([['site'], ['München']]);
    expect(safe.startsWith('\uFEFFsite\n')).toBe(true);
    expect(Buffer.from(safe, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv([['site'], ['München']], { exact: true })).toBe('site\nMünchen\n');
    expect(toCsv([['München']], { header: false })).toBe('München\n');
    // The importer's reader takes the mark for the encoding: the header reads back as written.
    expect(readBack(safe)).toEqual([['site'], ['München']]);
  });

  it('guards what the row-error report echoes from a file (a header, a value in the message), in the CLI and the app alike', () => {
    const e = { file: 'in.csv', line: 2, column: '=HYPERLINK("http://x")', message: '-bad "value"' };
    const rows = [
      ['file', 'line', 'column', 'message'],
      ['in.csv', '2', `'=HYPERLINK("http://x")`, `'-bad "value"`],
    ];
    expect(readBack(errorsToCsv([e]))).toEqual(rows);
    expect(readBack(errorsCsv([e]))).toEqual(rows);
  });
});
