/**
 * The one --format/--out rule of the commands that write a file (electron/cli/common.ts outputFormat): the
 * extension picks the format when --format is absent, the two must agree when both name one, a document's or a
 * spreadsheet's own extension is refused, and an extension that names no format leaves it to --format or the
 * command's default (found by a reviewer: `--out report.log` and `--format graphml --out g.xml` were refused as
 * disagreeing, and `constructor` passed as a format).
 */
import { describe, expect, it } from 'vitest';
import { DATA_FILE_FORMATS, outputFormat } from '../../electron/cli/common.js';

const GRAPH = { json: 'json', graphml: 'graphml', dot: 'dot', gv: 'dot', drawio: 'drawio' } as const;

describe('outputFormat', () => {
  it('an extension naming no format leaves it to --format, else to the default', () => {
    expect(outputFormat(DATA_FILE_FORMATS, { out: 'report.log' }, { fallback: 'markdown' })).toBe('markdown');
    expect(outputFormat(DATA_FILE_FORMATS, { format: 'md', out: 'r.log' })).toBe('markdown');
    expect(outputFormat(GRAPH, { format: 'graphml', out: 'g.xml' })).toBe('graphml');
    expect(outputFormat(GRAPH, { out: 'g.gv' })).toBe('dot');
    expect(() => outputFormat(DATA_FILE_FORMATS, { out: 'report.log' })).toThrow(
      '--out report.log: name a .csv, .md or .json file (the extension picks the format).',
    );
  });

  it('refuses a format the extension contradicts, and a document or spreadsheet', () => {
    expect(() => outputFormat(GRAPH, { format: 'json', out: 'g.dot' })).toThrow(
      '--out g.dot and --format json disagree: name the file .json.',
    );
    expect(() => outputFormat(DATA_FILE_FORMATS, { format: 'csv', out: 'h.xlsx' })).toThrow(
      '--out h.xlsx and --format csv disagree: name the file .csv.',
    );
    expect(() => outputFormat(DATA_FILE_FORMATS, { out: 'h.pdf' }, { fallback: 'markdown' })).toThrow(
      '--out h.pdf: name a .csv, .md or .json file (the extension picks the format).',
    );
  });

  it("names only the table's own formats: not an object's inherited names", () => {
    expect(() => outputFormat(GRAPH, { format: 'constructor' })).toThrow(
      '--format must be json, graphml, dot or drawio, not "constructor".',
    );
    expect(() => outputFormat(GRAPH, { out: 'g.constructor' })).toThrow(
      '--out g.constructor: name a .json, .graphml, .dot or .drawio file (the extension picks the format).',
    );
    expect(outputFormat(GRAPH, { out: 'g.constructor' }, { fallback: 'json' })).toBe('json');
  });
});
