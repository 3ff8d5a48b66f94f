/**
 * Reading a CSV file as a stream of rows with their line numbers: encoding
 * delimiter and line-end detection, decoding, and PapaParse (csv-reader.ts)
 * fed the decoded text chunk by chunk. Nothing here holds the whole file:
 * rows flow through a batch at a time.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CmdbError } from '../../../shared/errors.js';
import { closingQuote, CsvReader, detectNewline, leadingComments, type Newline, type ScanItem } from './csv-reader.js';
import { alignedTableError, rowValues, titleLineHint } from './row-cells.js';
import { iconv, iconvName, singleByteEncoding } from './single-byte.js';
import { ADVICE } from './advice.js';
import { UnnamedColumns } from './unnamed-columns.js';

/** Where a CSV comes from: text already in memory (the UI, the web host) or a file on disk. */
export type CsvSource = { name: string; content: string } | { name: string; path: string };

export const ENCODINGS = ['utf8', 'utf16le', 'utf16be', 'windows1252', 'macintosh'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface ReadOptions {
  /** Forced encoding; detected when absent. */
  encoding?: Encoding | undefined;
  /** Forced delimiter; detected when absent. */
  delimiter?: string | undefined;
}

/** One data row, or a row the parser could not read (bad quoting). */
export type CsvItem = ScanItem;

export interface OpenedCsv {
  file: string;
  headers: string[];
  /** The line the header row is on (rows of empty cells above it are skipped). */
  headerLine: number;
  encoding: Encoding;
  delimiter: string;
  bytesTotal: number;
  bytesRead(): number;
  /** SHA-256 of the bytes read so far (of the whole file once the rows are consumed). */
  digest(): string;
  warnings: string[];
  /**
   * The notes on the columns without a header name (named `Column4` in `headers`, as Excel names them): kept when
   * a row read holds a value there, else ignored. Ask once the rows are read; `seen` adds the columns with a value
   * in rows read elsewhere (the relationship planner's thread).
   */
  unnamedColumnNotes(seen?: readonly number[]): string[];
  /** Indexes (from 0) of the columns without a header name in which a row read so far holds a value. */
  unnamedWithData(): number[];
  /** Indexes (from 0) of the columns without a header name that no attribute keeps, as far as the rows read tell. */
  unnamedUnkept(): number[];
  /** The file is its column names only: no data row (a sync of it retires and removes nothing). */
  noRows: boolean;
  /** The first two readable data rows' values (fewer when the file has fewer): a header of one name above rows of several is a title line. */
  headRows: ReadonlyArray<readonly string[]>;
  /** Data rows after the header, in file order, in batches (one per chunk read). Iterate once. */
  batches: AsyncIterable<CsvItem[]>;
  /** Stops reading (on cancel or failure). */
  destroy(): void;
}

const SNIFF_BYTES = 1 << 20;

/** Normalises a user-given encoding name (`--encoding cp1252`, `UTF-16`, `latin1`...). */
export function parseEncoding(raw: string): Encoding {
  const s = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (s === 'utf8') return 'utf8';
  if (s === 'utf16le' || s === 'utf16' || s === 'ucs2') return 'utf16le';
  if (s === 'utf16be') return 'utf16be';
  if (['windows1252', 'cp1252', 'win1252', 'latin1', 'iso88591', 'ansi'].includes(s)) return 'windows1252';
  if (['macroman', 'macintosh', 'mac', 'xmacroman', 'cp10000'].includes(s)) return 'macintosh';
  throw new CmdbError('INVALID_REQUEST', `Unknown encoding "${raw}". Use utf8, utf16le, utf16be, windows-1252 or mac-roman.`);
}

/** Normalises a user-given delimiter (`,` `;` `tab` `\t`). */
export function parseDelimiter(raw: string): string {
  const s = raw.trim().toLowerCase();
  if (s === 'tab' || s === '\\t' || raw === '\t') return '\t';
  if (s === 'comma' || s === ',') return ',';
  if (s === 'semicolon' || s === ';') return ';';
  if (s === 'pipe' || s === '|') return '|';
  throw new CmdbError('INVALID_REQUEST', `Unknown delimiter "${raw}". Use comma, semicolon, tab or pipe.`);
}

/**
 * The encoding of a file from its first bytes: a byte-order mark; else UTF-16 when the bytes say so without
 * one; else UTF-8 when the bytes are valid UTF-8, else Windows-1252 or Mac Roman, whichever the bytes read
 * as (single-byte.ts).
 */
export function detectEncoding(sample: Buffer, complete: boolean): { encoding: Encoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return utf16Mark(sample, 'utf16le', complete);
  if (sample[0] === 0xfe && sample[1] === 0xff) return utf16Mark(sample, 'utf16be', complete);
  const unmarked = utf16WithoutMark(sample);
  if (unmarked !== null) return { encoding: unmarked, bomLength: 0 };
  const end = complete ? sample.length : utf8SafeEnd(sample, sample.length);
  const utf8 = isUtf8(sample.subarray(0, end)) || mostlyUtf8(sample.subarray(0, end));
  return { encoding: utf8 ? 'utf8' : singleByteEncoding(sample), bomLength: 0 };
}

/**
 * UTF-8 with a few lines that are not: a row pasted in from a Windows-1252 export, or a character cut
 * short. Read as a single-byte code page, every accented letter of the rest would be stored wrong
 * (`Zürich` as `ZÃ¼rich`) without an error; read as UTF-8, the reader stops at the first bad byte and
 * names its line (Utf8Decoder). Told line by line, from the lines whose bytes above 0x7F are all valid
 * UTF-8 characters against the lines with a byte that is not:
 *
 * - a line of Western text in UTF-8 (an accented letter of U+00A0-U+017F, a typographic quote or dash,
 *   the euro or trade mark sign) is UTF-8 when such lines are at least as many as the bad ones: a
 *   single-byte file spells one only by a capital Â-Å, or Mac Roman's ¬ √ ƒ ≈, right before a symbol
 *   or an accented letter, which its text does not write;
 * - other clean lines count when there are at least two and twice as many as the bad ones: a
 *   single-byte file makes such a line only by chance (Mac Roman's `’` before an accented small letter
 *   reads as one UTF-8 character, `d’été`), while its other accented letters spoil most of its lines.
 */
function mostlyUtf8(sample: Buffer): boolean {
  let clean = 0;
  let western = 0;
  let bad = 0;
  let valid = false;
  let plain = false;
  let invalid = false;
  const endLine = () => {
    if (invalid) bad++;
    else if (valid) clean++;
    if (!invalid && plain) western++;
    valid = plain = invalid = false;
  };
  for (let i = 0; i < sample.length;) {
    const b = sample[i]!;
    if (b < 0x80) {
      if (b === 0x0a || b === 0x0d) endLine();
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= sample.length && isUtf8(sample.subarray(i, i + len))) {
      valid = true;
      plain ||= westernCharacter(sample, i, len);
      i += len;
    } else {
      invalid = true;
      i++;
    }
  }
  endLine();
  return (western >= 1 && western >= bad) || (clean >= 2 && clean >= 2 * bad);
}

/** The valid UTF-8 character at `i` is one Western text writes: U+00A0-U+017F, U+2010-U+2044 (quotes, dashes, ellipsis), € or ™. */
function westernCharacter(sample: Buffer, i: number, len: number): boolean {
  if (len === 2) return (sample[i]! === 0xc2 && sample[i + 1]! >= 0xa0) || (sample[i]! >= 0xc3 && sample[i]! <= 0xc5);
  if (len !== 3) return false;
  const cp = ((sample[i]! & 0x0f) << 12) | ((sample[i + 1]! & 0x3f) << 6) | (sample[i + 2]! & 0x3f);
  return (cp >= 0x2010 && cp <= 0x2044) || cp === 0x20ac || cp === 0x2122;
}

/**
 * A UTF-16 byte-order mark, and what follows it. UTF-16 writes every delimiter and line break with a zero byte;
 * text after the mark without one, and valid as UTF-8, is UTF-8 behind a wrong mark (Snipe-IT's older reports
 * write the UTF-16 BE mark in front of UTF-8): read as UTF-8 after the mark's two bytes.
 */
function utf16Mark(sample: Buffer, encoding: 'utf16le' | 'utf16be', complete: boolean): { encoding: Encoding; bomLength: number } {
  const body = sample.subarray(2, 2 + 4096);
  const end = complete && body.length === sample.length - 2 ? body.length : utf8SafeEnd(body, body.length);
  if (body.length > 0 && !body.includes(0) && isUtf8(body.subarray(0, end))) return { encoding: 'utf8', bomLength: 2 };
  return { encoding, bomLength: 2 };
}

/**
 * UTF-16 written without a byte-order mark (some exporters and PowerShell's `-Encoding Unicode` on a
 * stream): a header and its delimiters are ASCII, which UTF-16 writes as a zero byte beside each
 * character, on the odd bytes (little-endian) or the even ones (big-endian). Text in UTF-8 or
 * Windows-1252 has no zero bytes at all. Decided on the first 1,024 bytes: at least half the characters
 * with a zero on one side and none on the other.
 */
function utf16WithoutMark(sample: Buffer): 'utf16le' | 'utf16be' | null {
  const pairs = Math.floor(Math.min(sample.length, 1024) / 2);
  if (pairs < 4) return null;
  let zeroHigh = 0; // a zero in the second byte of a pair: little-endian ASCII
  let zeroLow = 0;
  for (let i = 0; i < pairs; i++) {
    const a = sample[2 * i]!;
    const b = sample[2 * i + 1]!;
    if (a !== 0 && b === 0) zeroHigh++;
    else if (a === 0 && b !== 0) zeroLow++;
  }
  if (zeroHigh * 2 >= pairs && zeroLow === 0) return 'utf16le';
  if (zeroLow * 2 >= pairs && zeroHigh === 0) return 'utf16be';
  return null;
}

/** The end of the last complete UTF-8 sequence in buf[0..len), so a chunk boundary never splits a character. */
function utf8SafeEnd(buf: Buffer, len: number): number {
  for (let i = len - 1; i >= Math.max(0, len - 4); i--) {
    const b = buf[i]!;
    if (b < 0x80) return len;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return i + need <= len ? len : i;
    }
  }
  return len;
}

const DELIMITERS = [',', ';', '\t'] as const;
/** Lines read to choose a delimiter: the header and the rows below it. */
const SNIFF_LINES = 20;

/**
 * The delimiter of a CSV from its first lines (quotes respected): of comma, semicolon and tab, the one the
 * header has and the most rows below it have as often (a header `Notes (rack, row, slot)` in a semicolon
 * file has more commas, which its rows do not repeat); then the one the header has most.
 */
export function detectDelimiter(text: string): string {
  const lines = delimiterCounts(text);
  const header = lines[0];
  if (!header) return ',';
  let best: string = ',';
  let bestScore = [-1, 0];
  for (const d of DELIMITERS) {
    const h = header.get(d) ?? 0;
    if (h === 0) continue;
    const score = [lines.slice(1).filter((l) => (l.get(d) ?? 0) === h).length, h];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * How often each candidate delimiter appears, outside quotes, on each of the first non-blank lines. A quote
 * opens a quoted field only at a line's start or after a candidate delimiter (elsewhere it is a character of
 * the field, `24"`), as the reader has it (csv-reader.ts).
 */
function delimiterCounts(text: string): Array<Map<string, number>> {
  const lines: Array<Map<string, number>> = [];
  let counts = new Map<string, number>();
  let blank = true;
  let fieldStart = true;
  for (let i = 0; i < text.length && lines.length < SNIFF_LINES; i++) {
    const c = text[i]!;
    if (c === '"' && fieldStart) {
      i = closingQuote(text, i);
      blank = false;
      fieldStart = false;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (!blank) lines.push(counts);
      counts = new Map();
      blank = true;
      fieldStart = true;
      continue;
    }
    if (c.trim() !== '') blank = false;
    fieldStart = (DELIMITERS as readonly string[]).includes(c);
    if (fieldStart) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  if (!blank && lines.length < SNIFF_LINES) lines.push(counts);
  return lines;
}

function decodeSample(buf: Buffer, encoding: Encoding, bomLength: number): string {
  const body = buf.subarray(bomLength);
  if (encoding === 'utf8') return body.toString('utf8');
  return iconv().decode(body, iconvNameOf(encoding), { stripBOM: true });
}

/** Validates UTF-8 chunk by chunk (without copying), failing with the byte offset of the first bad byte. */
class Utf8Check {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** Line breaks before `offset`, for the line of a bad byte. */
  private lines = 0;

  constructor(private readonly file: string) {}

  write(chunk: Buffer): string {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = utf8SafeEnd(buf, buf.length);
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) throw this.invalid(body);
    this.carry = Buffer.from(buf.subarray(end));
    this.offset += end;
    this.lines += countLineBreaks(body, body.length);
    return body.toString('utf8');
  }

  end(): string {
    if (this.carry.length > 0) throw this.invalid(this.carry);
    return '';
  }

  private invalid(body: Buffer): CmdbError {
    // Binary search for the longest valid prefix (cut at character boundaries).
    let lo = 0;
    let hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (isUtf8(body.subarray(0, utf8SafeEnd(body, mid)))) lo = mid;
      else hi = mid - 1;
    }
    const at = utf8SafeEnd(body, lo);
    const line = this.lines + countLineBreaks(body, at) + 1;
    return new CmdbError(
      'CSV_ERROR',
      `${this.file} line ${line}: not valid UTF-8 (byte ${this.offset + at + 1}), though the file is UTF-8 before it: it mixes encodings (rows pasted in from another export?) or a character was cut short. Save it as UTF-8 again${ADVICE.encodingMixed.cli}.`,
      { file: this.file, line },
    );
  }
}

/** Line breaks in buf[0..end): line feeds, or in a file of lone carriage returns (old Mac Excel), those. */
function countLineBreaks(buf: Buffer, end: number): number {
  const count = (byte: number) => {
    let n = 0;
    for (let i = buf.indexOf(byte); i !== -1 && i < end; i = buf.indexOf(byte, i + 1)) n++;
    return n;
  };
  const lf = count(10);
  return lf > 0 || buf.indexOf(10) !== -1 ? lf : count(13);
}

/** iconv-lite's name for an encoding other than UTF-8. */
function iconvNameOf(encoding: Exclude<Encoding, 'utf8'>): string {
  return encoding === 'utf16le' ? 'utf16le' : encoding === 'utf16be' ? 'utf16-be' : iconvName(encoding);
}

/** Decodes a non-UTF-8 byte stream chunk by chunk (a character split across chunks is kept for the next). */
function decoderFor(encoding: Exclude<Encoding, 'utf8'>): { write(b: Buffer): string; end(): string } {
  const decoder = iconv().getDecoder(iconvNameOf(encoding), { stripBOM: true });
  return {
    write: (b) => decoder.write(b),
    end: () => decoder.end() ?? '',
  };
}

function readHead(source: CsvSource): { sample: Buffer; complete: boolean; size: number } {
  if ('content' in source) {
    const size = Buffer.byteLength(source.content, 'utf8');
    return { sample: Buffer.from(source.content.slice(0, SNIFF_BYTES), 'utf8'), complete: source.content.length <= SNIFF_BYTES, size };
  }
  if (!existsSync(source.path)) throw new CmdbError('FILE_NOT_FOUND', `${source.path}: no such file. Check the path.`);
  const size = statSync(source.path).size;
  const fd = openSync(source.path, 'r');
  try {
    const sample = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    const n = readSync(fd, sample, 0, sample.length, 0);
    return { sample: sample.subarray(0, n), complete: n >= size, size };
  } finally {
    closeSync(fd);
  }
}

/** How a spreadsheet's own file begins: a zip (.xlsx, .ods, .numbers) or an OLE compound file (.xls). */
const WORKBOOK_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])];

/**
 * Refuses a spreadsheet saved in its own format (however it is named: an .xlsx renamed .csv reads as binary with
 * NUL characters), saying how to save it as CSV.
 */
function refuseWorkbook(file: string, sample: Buffer): void {
  if (!WORKBOOK_MAGIC.some((m) => sample.subarray(0, m.length).equals(m))) return;
  throw new CmdbError(
    'CSV_ERROR',
    `${file} is a spreadsheet workbook (Excel's .xlsx or .xls, or another zip file), not CSV text. Open it in Excel and save it as "CSV UTF-8 (Comma delimited)" (or export it as CSV from the tool that made it), then import that file.`,
    { file },
  );
}

/**
 * A first line above the header that is no part of the table: Excel's `sep=;` (it names the delimiter) and the
 * `#TYPE System.Object` line Windows PowerShell's Export-Csv writes unless told -NoTypeInformation.
 */
export type Preamble = 'sep' | 'type';
const PREAMBLES: Record<Preamble, RegExp> = { sep: /^sep=/i, type: /^#TYPE / };

/** Encoding and delimiter of a source, detected or forced. */
export function sniff(
  source: CsvSource,
  options: ReadOptions = {},
): { encoding: Encoding; delimiter: string; newline: Newline; size: number; bomLength: number; preamble: Preamble | null } {
  const { sample, complete, size } = readHead(source);
  refuseWorkbook(source.name, sample);
  // Text handed over in memory is already decoded; only a BOM character may remain.
  const detected =
    'content' in source
      ? { encoding: 'utf8' as Encoding, bomLength: source.content.charCodeAt(0) === 0xfeff ? 3 : 0 }
      : detectEncoding(sample, complete);
  const encoding = options.encoding ?? detected.encoding;
  const bomLength = options.encoding && options.encoding !== detected.encoding ? 0 : detected.bomLength;
  const text = decodeSample(sample, encoding, bomLength);
  // Excel's "sep=;" first line names the delimiter; Windows PowerShell's "#TYPE ..." line names the object type.
  const sep = /^\uFEFF?sep=(.)\r?\n/i.exec(text);
  const typeLine = sep ? null : /^\uFEFF?#TYPE [^\r\n]*\r?\n/.exec(text);
  const afterPreamble = text.slice((sep ?? typeLine)?.[0].length ?? 0).replace(/^\uFEFF/, '');
  // draw.io's settings above its table (csv-reader.ts leadingComments): not rows, nor a guide to the delimiter.
  const body = afterPreamble.slice(leadingComments(afterPreamble).chars);
  const delimiter = options.delimiter ?? sep?.[1] ?? detectDelimiter(body);
  const newline = detectNewline(body, delimiter);
  return { encoding, delimiter, newline, size, bomLength, preamble: sep ? 'sep' : typeLine ? 'type' : null };
}

/**
 * Opens a CSV for streaming: reads and checks the header, then yields the
 * data rows in batches (one per chunk read). Throws CSV_ERROR for an empty
 * file, a missing or duplicated header, or a header-only file (a sync of an
 * empty file would retire everything).
 *
 * The file is read as a stream of 64 KB chunks (small batches of rows die young, easy on the GC), each decoded and handed to
 * the streaming reader (csv-reader.ts, PapaParse); records and unreadable rows come
 * back in file order, each with the line it starts on.
 */
export async function openCsv(
  source: CsvSource,
  options: ReadOptions = {},
  /** A preview notes repeated headers in the warnings and reads on; an import refuses the file. */
  duplicateHeaders: 'refuse' | 'note' = 'refuse',
): Promise<OpenedCsv> {
  const file = source.name;
  const { encoding, delimiter, newline, size, preamble, bomLength } = sniff(source, options);
  let bytesRead = 0;
  const hash = createHash('sha256');
  let stream: Readable | null = null;
  let chunks: AsyncIterator<Buffer>;
  if ('content' in source) {
    const text = source.content.charCodeAt(0) === 0xfeff ? source.content.slice(1) : source.content;
    chunks = chunksOf(text);
  } else {
    // A UTF-16 mark in front of UTF-8 is no UTF-8 text: skipped (the file's digest still covers it).
    const skip = encoding === 'utf8' && bomLength === 2 ? 2 : 0;
    if (skip > 0) {
      hash.update(readHead(source).sample.subarray(0, skip));
      bytesRead = skip;
    }
    stream = createReadStream(source.path, { highWaterMark: 1 << 16, start: skip });
    chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  const decoder = encoding === 'utf8' ? new Utf8Check(file) : decoderFor(encoding);
  const scanner = new CsvReader(delimiter, newline);
  let done = false;
  /** The next batch of items, or null at the end of the file. */
  const nextBatch = async (): Promise<CsvItem[] | null> => {
    while (!done) {
      const r = await chunks.next();
      const batch: CsvItem[] = [];
      if (r.done) {
        done = true;
        scanner.write(decoder.end(), batch);
        scanner.end(batch);
      } else {
        const raw = r.value;
        bytesRead += raw.length;
        hash.update(raw);
        scanner.write(decoder.write(raw), batch);
      }
      if (batch.length > 0) return batch;
    }
    return null;
  };
  const destroy = () => {
    done = true;
    stream?.destroy();
  };

  try {
    // The header: the first record.
    let first = await nextBatch();
    while (first !== null && first.length === 0) first = await nextBatch();
    if (first === null) {
      throw new CmdbError(
        'CSV_ERROR',
        `${file}: the file is empty. Export it again with a header row (column names) and at least one data row.`,
        {
          file,
        },
      );
    }
    if (preamble && first[0]?.values !== undefined && PREAMBLES[preamble].test(first[0].values[0] ?? '')) {
      const line = first.shift()!.values!.join(delimiter).trim();
      while (first !== null && first.length === 0) first = await nextBatch();
      if (first === null) {
        throw new CmdbError(
          'CSV_ERROR',
          `${file}: the file has no header row after its "${line}" line. Export it again with the column names.`,
          {
            file,
          },
        );
      }
    }
    const head = first.shift()!;
    if (head.error !== undefined) throw new CmdbError('CSV_ERROR', `${file} line ${head.line}: ${head.error}.`, { file, line: head.line });
    const headerLine = head.line;
    const warnings: string[] = [];
    const headers = head.values.map((h) => h.replace(/^\uFEFF/, '').trim());
    const unnamed = new UnnamedColumns(file, headers);
    if (scanner.commentLines > 0) {
      const n = scanner.commentLines;
      warnings.push(
        `${file}: the ${n === 1 ? 'line' : `${n} lines`} above the header starting with # (draw.io's CSV settings, "# label: ...") ${n === 1 ? 'was' : 'were'} skipped as comments.`,
      );
    }
    checkHeaders(file, headers, headerLine, warnings, duplicateHeaders);
    unnamed.name(headers, titleLineHint(headers) !== null);
    let pendingBatch: CsvItem[] | null = first;
    if (pendingBatch.length === 0) pendingBatch = await nextBatch();
    const noRows = pendingBatch === null;
    if (pendingBatch === null) {
      // An export of nothing (a CMDB without relationships) is a file of no rows, said in case only the column
      // names were exported. A sync of it retires and removes nothing (retire.ts, unlisted-rels.ts): a failed
      // scheduled export often writes the header alone.
      warnings.push(
        `${file}: the file has a header row but no data rows; read as listing nothing. If the data should be there, export it again with its rows.`,
      );
      pendingBatch = [];
    }
    const firstRows = pendingBatch;
    async function* batches(): AsyncGenerator<CsvItem[]> {
      unnamed.scan(firstRows);
      yield firstRows;
      for (let b = await nextBatch(); b !== null; b = await nextBatch()) {
        unnamed.scan(b);
        yield b;
      }
      unnamed.complete = true;
    }
    return {
      file,
      headers,
      headerLine,
      encoding,
      delimiter,
      bytesTotal: size,
      bytesRead: () => bytesRead,
      digest: () => hash.copy().digest('hex'),
      warnings,
      unnamedColumnNotes: (seen) => unnamed.notes(seen),
      unnamedWithData: () => unnamed.withData(),
      unnamedUnkept: () => unnamed.unkept(),
      noRows,
      headRows: firstRows.flatMap((r) => (r.values === undefined ? [] : [r.values])).slice(0, 2),
      batches: batches(),
      destroy,
    };
  } catch (err) {
    destroy();
    throw err;
  }
}

/**
 * The first `n` data rows' cells (fewer when the file has fewer; unreadable rows left out), and the file's
 * batches again from its first row: what a mapping is suggested from before the rows are applied.
 */
export async function peekRows(csv: OpenedCsv, n: number): Promise<{ rows: string[][]; batches: AsyncIterable<CsvItem[]> }> {
  const it = csv.batches[Symbol.asyncIterator]();
  const held: CsvItem[][] = [];
  const rows: string[][] = [];
  let ended = false;
  while (rows.length < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    held.push(r.value);
    for (const item of r.value) if (item.values !== undefined && rows.length < n) rows.push(item.values);
  }
  async function* again(): AsyncGenerator<CsvItem[]> {
    yield* held.splice(0);
    if (!ended) for (let r = await it.next(); r.done !== true; r = await it.next()) yield r.value;
  }
  return { rows, batches: again() };
}

/**
 * Text in memory, in chunks. Between chunks it yields to the event loop, as a
 * file read does, so a long import of text still hears a cancel and lets the
 * host answer other requests.
 */
async function* chunksOf(text: string): AsyncGenerator<Buffer> {
  const size = 1 << 19;
  for (let i = 0; i < text.length; i += size) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    yield Buffer.from(text.slice(i, i + size), 'utf8');
  }
}

/**
 * A header row is never all empty: rows of empty cells are skipped before it (csv-reader.ts). Headers that
 * repeat (without case) are refused, all of them named in one message, or with `duplicates: 'note'` (a
 * preview, which shows the file all the same) noted in the warnings.
 */
function checkHeaders(file: string, headers: string[], line: number, warnings: string[], duplicates: 'refuse' | 'note'): void {
  const aligned = alignedTableError({ file, headers, headerLine: line });
  if (aligned) throw aligned;
  const title = titleLineHint(headers);
  if (title) warnings.push(`${file}:${title}`);
  const repeated = repeatedHeaders(headers);
  if (repeated.length === 0) return;
  const message = `${file} line ${line}: ${repeatedHeadersText(repeated)}. Rename or remove the extra columns so each column has its own name.`;
  if (duplicates === 'note') warnings.push(`${message} An import refuses the file until then.`);
  else throw new CmdbError('CSV_ERROR', message, { file, line, column: repeated[0]!.header });
}

/** Headers that appear more than once (case ignored; empty ones are not names): each, as first written, with its columns (from 1). */
function repeatedHeaders(headers: readonly string[]): Array<{ header: string; columns: number[] }> {
  const byName = new Map<string, { header: string; columns: number[] }>();
  headers.forEach((h, i) => {
    if (h === '') return;
    const k = h.toLowerCase();
    const e = byName.get(k);
    if (e) e.columns.push(i + 1);
    else byName.set(k, { header: h, columns: [i + 1] });
  });
  return [...byName.values()].filter((e) => e.columns.length > 1);
}

/** `the header "owner" appears twice (columns 3 and 5)`, or every such header at once. */
function repeatedHeadersText(repeated: ReadonlyArray<{ header: string; columns: number[] }>): string {
  const list = (c: number[]) => `${c.slice(0, -1).join(', ')} and ${c[c.length - 1]}`;
  const times = (n: number) => (n === 2 ? 'twice' : `${n} times`);
  if (repeated.length === 1) {
    const { header, columns } = repeated[0]!;
    return `the header "${header}" appears ${times(columns.length)} (columns ${list(columns)})`;
  }
  return `${repeated.length} headers appear more than once: ${repeated
    .map(({ header, columns }) => `"${header}" ${times(columns.length)} (columns ${list(columns)})`)
    .join(', ')}`;
}

/** How many of the rows a preview shows are named when they cannot be imported; the rest are counted. */
const PREVIEW_BAD_ROWS = 5;

/**
 * The header, the first rows, the detected encoding and delimiter: what a wizard shows before mapping. A row
 * among them that the import would reject as it reads (bad quoting, a ragged row) is named in the warnings,
 * rather than left out of the rows without a word.
 */
export async function previewCsv(
  source: CsvSource,
  options: ReadOptions & { rows?: number } = {},
): Promise<{ headers: string[]; rows: string[][]; encoding: Encoding; delimiter: string; warnings: string[]; ignoredColumns: number[] }> {
  const csv = await openCsv(source, options, 'note');
  const rows: string[][] = [];
  const bad: string[] = [];
  const layout = { headers: csv.headers, nCols: csv.headers.length };
  let read = 0;
  try {
    outer: for await (const batch of csv.batches) {
      for (const item of batch) {
        if (read++ >= (options.rows ?? 20)) break outer;
        const v = rowValues(item, layout);
        if (Array.isArray(v)) {
          rows.push(v);
          continue;
        }
        bad.push(`${csv.file} line ${item.line}${v.column ? `, column ${v.column}` : ''}: ${v.message.replace(/\.$/, '')}.`);
        if (item.values) rows.push(item.values);
      }
    }
  } finally {
    csv.destroy();
  }
  const warnings = [
    ...csv.warnings,
    ...csv.unnamedColumnNotes(),
    ...bad.slice(0, PREVIEW_BAD_ROWS).map((b) => `${b} The import would reject this row.`),
  ];
  if (bad.length > PREVIEW_BAD_ROWS)
    warnings.push(`${csv.file}: ${bad.length - PREVIEW_BAD_ROWS} more of the rows read have such a problem.`);
  const ignoredColumns = csv.unnamedUnkept();
  return { headers: csv.headers, rows, encoding: csv.encoding, delimiter: csv.delimiter, warnings, ignoredColumns };
}
