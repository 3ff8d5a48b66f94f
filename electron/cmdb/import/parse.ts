/** CSV text to header + rows, with line numbers for every row. */
import { parse } from 'csv-parse/sync';
import { CmdbError } from '../../../shared/errors.js';

export interface ParsedRow {
  /** 1-based line number in the file where the row starts. */
  line: number;
  values: string[];
}

export interface ParsedCsv {
  file: string;
  headers: string[];
  rows: ParsedRow[];
}

/** Guesses the delimiter from the header line: comma, semicolon or tab. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

export function parseCsvText(file: string, text: string, delimiter?: string): ParsedCsv {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new CmdbError('CSV_ERROR', `${file}: the file is empty. Export it again with a header row and at least one data row.`, { file });
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, {
      delimiter: delimiter ?? detectDelimiter(body),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    const line = e.lines ?? 0;
    throw new CmdbError(
      'CSV_ERROR',
      `${file} line ${line}: the CSV is malformed (${e.message ?? 'parse error'}). Check the quoting on that line: a field that contains a quote, comma or line break must be wrapped in double quotes, with inner quotes doubled.`,
      { file, line },
    );
  }
  const head = records[0];
  if (!head) throw new CmdbError('CSV_ERROR', `${file}: the file has no header row.`, { file });
  const headers = head.record.map((h) => h.trim());
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const k = h.toLowerCase();
    if (h === '') {
      throw new CmdbError('CSV_ERROR', `${file} line 1, column ${i + 1}: a header is empty. Give every column a name.`, {
        file,
        line: 1,
        column: i + 1,
      });
    }
    if (seen.has(k)) {
      throw new CmdbError(
        'CSV_ERROR',
        `${file} line 1: the header "${h}" appears twice (columns ${seen.get(k)! + 1} and ${i + 1}). Rename or remove one of them.`,
        { file, line: 1, column: h },
      );
    }
    seen.set(k, i);
  });
  // info.lines is the line where the record ends; a record starts after the previous one ends.
  const rows: ParsedRow[] = [];
  let prevEnd = head.info.lines;
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    rows.push({ line: prevEnd + 1, values: r.record });
    prevEnd = r.info.lines;
  }
  return { file, headers, rows };
}
