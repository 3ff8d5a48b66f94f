/**
 * Reading a CSV file as a stream of rows with their line numbers: encoding
 * and delimiter detection, decoding, and csv-parse's stream API. Nothing here
 * holds the whole file: rows flow through one at a time.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { type CsvError, parse, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { CmdbError } from '../../../shared/errors.js';

/** Where a CSV comes from: text already in memory (the UI, the web host) or a file on disk. */
export type CsvSource = { name: string; content: string } | { name: string; path: string };

export const ENCODINGS = ['utf8', 'utf16le', 'utf16be', 'windows1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const DELIMITERS = [',', ';', '\t'] as const;

export interface ReadOptions {
  /** Forced encoding; detected when absent. */
  encoding?: Encoding | undefined;
  /** Forced delimiter; detected when absent. */
  delimiter?: string | undefined;
}

/** One data row, or a row the parser could not read (bad quoting). */
export type CsvItem = { line: number; values: string[]; error?: undefined } | { line: number; values?: undefined; error: string };

export interface OpenedCsv {
  file: string;
  headers: string[];
  /** Indexes of the columns that have a header (columns with an empty header are ignored). */
  encoding: Encoding;
  delimiter: string;
  bytesTotal: number;
  bytesRead(): number;
  /** SHA-256 of the bytes read so far (of the whole file once the rows are consumed). */
  digest(): string;
  warnings: string[];
  /** Data rows after the header, in file order. Iterate once. */
  rows: AsyncIterable<CsvItem>;
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
  throw new CmdbError('INVALID_REQUEST', `Unknown encoding "${raw}". Use utf8, utf16le, utf16be or windows-1252.`);
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

/** The encoding of a file from its first bytes: a byte-order mark, else UTF-8 when the bytes are valid UTF-8, else Windows-1252. */
export function detectEncoding(sample: Buffer, complete: boolean): { encoding: Encoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  const end = complete ? sample.length : utf8SafeEnd(sample, sample.length);
  return { encoding: isUtf8(sample.subarray(0, end)) ? 'utf8' : 'windows1252', bomLength: 0 };
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

/** The delimiter of a CSV from its first line (quotes respected): the most frequent of comma, semicolon and tab. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  let n = 0;
  for (const [d, k] of counts) {
    if (k > n) {
      best = d;
      n = k;
    }
  }
  return best;
}

function decodeSample(buf: Buffer, encoding: Encoding, bomLength: number): string {
  const body = buf.subarray(bomLength);
  if (encoding === 'utf8') return body.toString('utf8');
  if (encoding === 'utf16be') return iconv.decode(body, 'utf16-be', { stripBOM: true });
  return iconv.decode(body, encoding === 'utf16le' ? 'utf16le' : 'windows-1252', { stripBOM: true });
}

/** Validates UTF-8 on the fly (without copying), failing with the byte offset of the first bad byte. */
class Utf8Check extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = utf8SafeEnd(buf, buf.length);
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) return done(this.invalid(body));
    this.carry = Buffer.from(buf.subarray(end));
    this.offset += end;
    done(null, body);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length > 0) return done(this.invalid(this.carry));
    done();
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
    return new CmdbError(
      'CSV_ERROR',
      `${this.file}: the file is not valid UTF-8 (bad byte near byte ${this.offset + at + 1}), although its beginning was. Give its encoding, for example --encoding windows-1252, or save it as UTF-8.`,
      { file: this.file },
    );
  }
}

/** Re-encodes a non-UTF-8 byte stream as UTF-8 for the parser. */
function decoderStream(encoding: Exclude<Encoding, 'utf8'>): Transform {
  const name = encoding === 'utf16le' ? 'utf16le' : encoding === 'utf16be' ? 'utf16-be' : 'windows-1252';
  const decoder = iconv.getDecoder(name, { stripBOM: true });
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const s = decoder.write(chunk);
      done(null, s ? Buffer.from(s, 'utf8') : undefined);
    },
    flush(done) {
      const s = decoder.end();
      done(null, s ? Buffer.from(s, 'utf8') : undefined);
    },
  });
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

/** Encoding and delimiter of a source, detected or forced. */
export function sniff(
  source: CsvSource,
  options: ReadOptions = {},
): { encoding: Encoding; delimiter: string; size: number; bomLength: number } {
  const { sample, complete, size } = readHead(source);
  // Text handed over in memory is already decoded; only a BOM character may remain.
  const detected =
    'content' in source
      ? { encoding: 'utf8' as Encoding, bomLength: source.content.charCodeAt(0) === 0xfeff ? 3 : 0 }
      : detectEncoding(sample, complete);
  const encoding = options.encoding ?? detected.encoding;
  const bomLength = options.encoding && options.encoding !== detected.encoding ? 0 : detected.bomLength;
  const delimiter = options.delimiter ?? detectDelimiter(decodeSample(sample, encoding, bomLength));
  return { encoding, delimiter, size, bomLength };
}

function quoteMessage(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed, so the rest of the file could not be read. Close the quote (a field that contains a quote, delimiter or line break must be wrapped in double quotes, with inner quotes doubled)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text follows a closing quote inside a field. Double the inner quotes ("" for ") or wrap the whole field in quotes';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote appears in the middle of an unquoted field. Wrap the field in double quotes and double the inner quote';
    default:
      return `the row cannot be read (${err.message}). Check its quoting and delimiters`;
  }
}

/**
 * Opens a CSV for streaming: reads and checks the header, then yields the
 * data rows. Throws CSV_ERROR for an empty file, a missing or duplicated
 * header, or a header-only file (a sync of an empty file would retire everything).
 */
export async function openCsv(source: CsvSource, options: ReadOptions = {}): Promise<OpenedCsv> {
  const file = source.name;
  const { encoding, delimiter, size } = sniff(source, options);
  let bytesRead = 0;
  let input: Readable;
  if ('content' in source) {
    const text = source.content.charCodeAt(0) === 0xfeff ? source.content.slice(1) : source.content;
    input = Readable.from(chunksOf(text), { objectMode: false });
  } else {
    input = createReadStream(source.path, { highWaterMark: 1 << 20 });
  }
  const hash = createHash('sha256');
  input.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    hash.update(chunk);
  });
  const pending: CsvItem[] = [];
  let prevEnd = 0;
  let prevEmpty = 0;
  let parsedEnd = 0;
  let parsedEmpty = 0;
  const parser: Parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // on_record and on_skip run in parse order (ahead of the consumer), so they track where the next record starts.
    on_record: (record: string[], context: { lines: number; empty_lines: number }) => {
      parsedEnd = context.lines;
      parsedEmpty = context.empty_lines;
      return record;
    },
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      const e = err as CsvError & { lines?: number; empty_lines?: number };
      const line = parsedEnd + 1 + Math.max(0, (e.empty_lines ?? parsedEmpty) - parsedEmpty);
      pending.push({ line: Math.min(line, e.lines ?? line), error: quoteMessage(err) });
      parsedEnd = e.lines ?? parsedEnd;
      parsedEmpty = e.empty_lines ?? parsedEmpty;
    },
  });
  const decoded = encoding === 'utf8' ? input.pipe(new Utf8Check(file)) : input.pipe(decoderStream(encoding));
  const forward = (err: Error) => parser.destroy(err);
  input.on('error', forward);
  decoded.on('error', forward);
  decoded.pipe(parser);

  type Rec = { record: string[]; info: { lines: number; empty_lines: number } };
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<Rec>;
  const next = async (): Promise<Rec | null> => {
    try {
      const r = await iterator.next();
      return r.done ? null : r.value;
    } catch (err) {
      throw toCsvError(file, err, prevEnd);
    }
  };

  try {
    return await readHeader();
  } catch (err) {
    input.destroy();
    parser.destroy();
    throw err;
  }

  async function readHeader(): Promise<OpenedCsv> {
    const first = await next();
    if (!first) {
      const quoteError = pending[0];
      if (quoteError)
        throw new CmdbError('CSV_ERROR', `${file} line ${quoteError.line}: ${quoteError.error}.`, { file, line: quoteError.line });
      throw new CmdbError(
        'CSV_ERROR',
        `${file}: the file is empty. Export it again with a header row (column names) and at least one data row.`,
        { file },
      );
    }
    prevEnd = first.info.lines;
    prevEmpty = first.info.empty_lines;
    const headerLine = prevEnd;
    const warnings: string[] = [];
    const headers = first.record.map((h) => h.replace(/^\uFEFF/, '').trim());
    checkHeaders(file, headers, headerLine, warnings);

    const firstRow = await next();
    if (!firstRow && pending.length === 0) {
      throw new CmdbError(
        'CSV_ERROR',
        `${file}: the file has a header row but no data rows. Nothing to import; check that you exported the data and not only the column names.`,
        { file, line: headerLine },
      );
    }

    async function* rows(): AsyncGenerator<CsvItem> {
      let r: Rec | null = firstRow;
      while (r) {
        const line = prevEnd + 1 + (r.info.empty_lines - prevEmpty);
        prevEnd = r.info.lines;
        prevEmpty = r.info.empty_lines;
        while (pending.length > 0) yield pending.shift()!;
        yield { line, values: r.record };
        r = await next();
      }
      while (pending.length > 0) yield pending.shift()!;
    }

    return {
      file,
      headers,
      encoding,
      delimiter,
      bytesTotal: size,
      bytesRead: () => bytesRead,
      digest: () => hash.copy().digest('hex'),
      warnings,
      rows: rows(),
      destroy: () => {
        input.destroy();
        parser.destroy();
      },
    };
  }
}

function* chunksOf(text: string): Generator<Buffer> {
  const size = 1 << 19;
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size), 'utf8');
}

function toCsvError(file: string, err: unknown, line: number): CmdbError {
  if (err instanceof CmdbError) return err;
  const e = err as { message?: string; lines?: number; code?: string };
  const where = e.lines ?? line;
  return new CmdbError('CSV_ERROR', `${file} line ${where}: the CSV cannot be read (${e.message ?? String(err)}).`, { file, line: where });
}

function checkHeaders(file: string, headers: string[], line: number, warnings: string[]): void {
  if (headers.every((h) => h === '')) {
    throw new CmdbError('CSV_ERROR', `${file} line ${line}: the header row is empty. The first row must name the columns.`, {
      file,
      line,
    });
  }
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    if (h === '') {
      warnings.push(`${file}: column ${i + 1} has no header name; its values are ignored.`);
      return;
    }
    const k = h.toLowerCase();
    const prev = seen.get(k);
    if (prev !== undefined) {
      throw new CmdbError(
        'CSV_ERROR',
        `${file} line ${line}: the header "${h}" appears twice (columns ${prev + 1} and ${i + 1}). Rename or remove one of them so each column has its own name.`,
        { file, line, column: h },
      );
    }
    seen.set(k, i);
  });
}

/** The header, the first rows, the detected encoding and delimiter: what a wizard shows before mapping. */
export async function previewCsv(
  source: CsvSource,
  options: ReadOptions & { rows?: number } = {},
): Promise<{ headers: string[]; rows: string[][]; encoding: Encoding; delimiter: string; warnings: string[] }> {
  const csv = await openCsv(source, options);
  const rows: string[][] = [];
  try {
    for await (const item of csv.rows) {
      if (item.values) rows.push(item.values);
      if (rows.length >= (options.rows ?? 20)) break;
    }
  } finally {
    csv.destroy();
  }
  return { headers: csv.headers, rows, encoding: csv.encoding, delimiter: csv.delimiter, warnings: csv.warnings };
}
