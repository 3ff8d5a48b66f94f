/**
 * Streaming CSV reading with PapaParse: decoded text in (chunk by chunk),
 * records out with the line each starts on, and unreadable records reported
 * in place (bad quoting) so the rest of the file still reads.
 *
 * PapaParse does the RFC 4180 parsing (its low-level `Papa.Parser`, the
 * engine behind its own chunked streaming: `parse(text, 0, ignoreLastRow)`
 * with a step callback per record). This module adds what the importer
 * promises and PapaParse does not give:
 * - the line each record starts on (PapaParse gives the offset where each
 *   record ends; we count line breaks between offsets: \n, \r\n and lone \r
 *   all count, as an editor shows them);
 * - chunking: the text after the last complete record is carried over to the
 *   next chunk (waiting for it to double in size, so a huge quoted field
 *   costs linear time);
 * - bad quoting reported on the record's line, with recovery at the next
 *   physical line (PapaParse would otherwise read on until some later quote,
 *   swallowing the rows in between), and text after a closing quote rejected
 *   (PapaParse accepts it). A quote inside a field that does not start with
 *   one is a character of its value (`Dell 24" P2419H`), as Excel,
 *   LibreOffice and Python's csv read it: a quote opens a quoted field only
 *   at the field's start;
 * - blank records skipped: empty and whitespace-only lines, and records
 *   whose every field is blank (a spreadsheet's empty rows, `,,,,`);
 *   PapaParse runs with them kept, so the line count stays right. The record
 *   after skipped ones says so (`afterBlank`): a note under a sheet's table
 *   is set off by an empty row;
 * - a record longer than the limit (64 Mi characters) reported as one error
 *   on its own line, naming the column whose value ran past the limit; the
 *   rest of it is read past without being held (`RecordSkipper`), and
 *   reading goes on at the next record, on the right line.
 *
 * Text with no quote and no line break but the record separator (most chunks of most exports)
 * takes a shorter path: one record per line, PapaParse's plain split, no
 * per-record callback.
 *
 * One record separator per file (\n, \r\n or \r, see `detectNewline`); a
 * field may hold any line break inside quotes.
 */
import Papa from 'papaparse';
import { formatCount } from '../../../shared/format.js';
import { ADVICE } from './advice.js';

/** A record: its values, or why it cannot be read (with the index of the column at fault, when one is). */
export type ScanItem =
  /** `strayBreak`: a value holds a line break outside quotes (a line end of another kind than the file's: mixed line ends). */
  | { line: number; values: string[]; error?: undefined; afterBlank?: true; strayBreak?: true }
  | { line: number; values?: undefined; error: string; column?: number; afterBlank?: undefined };

export const QUOTE_NOT_CLOSED =
  'bad quoting: a quoted field is never closed, so the rest of the file could not be read. Close the quote (a field that contains a quote, delimiter or line break must be wrapped in double quotes, with inner quotes doubled)';
export const TEXT_AFTER_QUOTE =
  'bad quoting: text follows a closing quote inside a field. Double the inner quotes ("" for ") or wrap the whole field in quotes';

export const NUL_IN_VALUE = `a NUL character (a zero byte) is in this value, and the CMDB does not keep one in text. If the whole file reads wrong, it may be UTF-16 or another encoding: ${ADVICE.encodingNamed.cli}. Otherwise remove the character from the cell`;

/** Why a record longer than `limit` characters is not read, and what to do. */
export function recordTooLong(limit: number): string {
  return `value too long: the row runs past ${formatCount(limit)} characters (the most the importer reads in one row), so none of it was imported. Shorten the long value (keep long text outside the CMDB and put a link in the cell), or close the quote if one was left open`;
}

export type Newline = '\n' | '\r\n' | '\r';

/** The longest record (in characters, its line break included) the reader holds: 64 Mi characters. */
export const MAX_RECORD = 64 * 1024 * 1024;

/** Each record from `first` on with a NUL character in a value becomes an error on that value's column. */
function markNul(out: ScanItem[], first: number): void {
  for (let i = first; i < out.length; i++) {
    const item = out[i]!;
    const column = item.values?.findIndex((v) => v.includes('\0')) ?? -1;
    if (column !== -1) out[i] = { line: item.line, error: NUL_IN_VALUE, column };
  }
}

/**
 * A record with nothing in it: an empty or whitespace-only line, or only
 * delimiters (`,,,,`: the empty rows a spreadsheet writes below its data).
 * Cheap for a real record: its first non-blank field ends the check.
 */
function isBlank(values: string[]): boolean {
  for (const v of values) if (v !== '' && v.trim() !== '') return false;
  return true;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Where the quoted part of a field ends: the index of the quote that closes the one opening at `open` ("" inside
 * it is a quote), or text.length when it does not close in the text.
 */
export function closingQuote(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
  return q === -1 ? text.length : q;
}

/** Line breaks read past a CRLF first line to tell whether the rows below it end in LF. */
const NEWLINE_LOOKAHEAD = 200;

/**
 * The record separator of a CSV: the first line break outside quotes (\n when there is none), but \n where a
 * CRLF first line is followed by bare LF lines only in the next NEWLINE_LOOKAHEAD breaks (a header saved by
 * a Windows editor over rows a Unix tool wrote, found by a tester): read by LF, each CRLF line ends in a CR
 * that only ends its record, where read by CRLF every LF row would run into one record. CRLF rows with an LF
 * one among them stay CRLF, and that row is told as a mixed line end (CsvReader's strayBreak). A quote opens a
 * quoted field only at a field's start, after one of `delimiters` (the file's, or those the importer tells
 * apart); elsewhere it is a character of the field (`24"`). A line break inside quotes is a value's.
 */
export function detectNewline(text: string, delimiters = ',;\t'): Newline {
  let fieldStart = true;
  let first: Newline | null = null;
  let [crlf, lf] = [0, 0];
  for (let i = 0; i < text.length && crlf + lf < NEWLINE_LOOKAHEAD; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE && fieldStart) {
      i = closingQuote(text, i);
      fieldStart = false;
      continue;
    }
    fieldStart = c === LF || c === CR || delimiters.includes(text[i]!);
    if (c !== LF && c !== CR) continue;
    const kind: Newline = c === LF ? '\n' : i + 1 >= text.length || text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    if (kind === '\r\n') i++;
    if (first === null) {
      // \r\n when it cannot tell (the text ends at the CR): the common case, and it also ends a lone-\r record.
      if (kind !== '\r\n') return kind;
      first = kind;
    } else if (kind === '\n') lf++;
    else if (kind === '\r\n') crlf++;
  }
  // Every break after the first is LF: a line break inside a quoted value this scan cannot tell (a quote after a
  // space) leaves a CRLF row after it, and the file stays CRLF (found by a reviewer).
  return first !== null && (lf === 0 || crlf > 0) ? first : '\n';
}

/**
 * A line above the header that comments on the table rather than being part of it, as draw.io's CSV import
 * format writes its settings: `## Hello World`, `# label: %name%`, `# connect: {...}`. Not `#TYPE ...`
 * (PowerShell's, a preamble of its own in source.ts) nor a header whose first column is named `#`.
 */
const COMMENT_LINE = /^(?:##[^\r\n]*|# ?[A-Za-z][\w-]*:[^\r\n]*)(?:\r\n|\n|\r)/;

/** The comment lines at the start of a text (see COMMENT_LINE): how many, and how many characters they take. */
export function leadingComments(text: string): { lines: number; chars: number } {
  let lines = 0;
  let chars = 0;
  for (let m = COMMENT_LINE.exec(text); m !== null; m = COMMENT_LINE.exec(text.slice(chars))) {
    lines++;
    chars += m[0].length;
  }
  return { lines, chars };
}

export class CsvReader {
  /** Comment lines skipped above the header (leadingComments), counted in the line numbers. */
  commentLines = 0;
  private carry = '';
  /** Line where `carry` starts. */
  private line = 1;
  /** When the carry holds an incomplete record, wait for it to double before parsing again (linear time on huge fields). */
  private waitFor = 0;
  private first = true;
  /** Set while reading past a record too long to hold (it starts on `this.line`). */
  private skipper: RecordSkipper | null = null;
  /** Blank records were skipped since the last record read: the next one is `afterBlank`. */
  private blank = false;

  /** `maxRecord`: the longest record held, MAX_RECORD unless a test asks for less. */
  constructor(
    private readonly delimiter: string,
    private readonly newline: Newline = '\n',
    private readonly maxRecord: number = MAX_RECORD,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error('the delimiter must be one character other than a quote or a line break');
    }
  }

  /** Reads a chunk of text; returns the complete records (and errors) it finished. */
  write(text: string, out: ScanItem[] = []): ScanItem[] {
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const comments = leadingComments(text);
      if (comments.lines > 0) {
        text = text.slice(comments.chars);
        this.line += comments.lines;
        this.commentLines = comments.lines;
      }
    }
    let next: string | null = text;
    while (next !== null) {
      if (this.skipper) {
        const at = this.skipper.feed(next);
        if (at === -1) return out;
        this.endSkip(out);
        next = next.slice(at);
      }
      this.carry = this.carry.length > 0 ? this.carry + next : next;
      next = null;
      if (this.carry.length < this.waitFor) return out;
      this.read(false, out);
      if (this.carry.length > this.maxRecord) {
        // The record being read is already too long: read past the rest of it instead of holding it.
        this.skipper = new RecordSkipper(this.delimiter, this.newline, this.maxRecord);
        next = this.carry;
        this.carry = '';
        this.waitFor = 0;
      }
    }
    return out;
  }

  /** Reads what is left at the end of the input. */
  end(out: ScanItem[] = []): ScanItem[] {
    if (this.skipper) this.endSkip(out);
    else this.read(true, out);
    return out;
  }

  /** The too-long record has ended (or the input has): one error on its first line; the next record starts after it. */
  private endSkip(out: ScanItem[]): void {
    const k = this.skipper!;
    this.skipper = null;
    this.blank = false;
    if (k.unclosed()) out.push({ line: this.line, error: QUOTE_NOT_CLOSED });
    else out.push({ line: this.line, error: recordTooLong(this.maxRecord), column: k.fieldAtLimit });
    this.line += k.breaks;
  }

  /** Reads text with no quote and no line break but the record separator: record i starts on line `this.line + i`. */
  private readPlain(s: string, final: boolean, out: ScanItem[]): void {
    const r = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' }).parse(s, 0, !final) as {
      data: string[][];
      meta: { cursor: number };
    };
    const rows = r.data;
    let line = this.line;
    let blank = this.blank;
    for (let i = 0; i < rows.length; i++, line++) {
      const values = rows[i]!;
      if (isBlank(values)) {
        blank = true;
        continue;
      }
      if (blank) {
        out.push({ line, values, afterBlank: true });
        blank = false;
      } else out.push({ line, values });
    }
    this.blank = blank;
    const start = final ? s.length : r.meta.cursor;
    this.carry = start >= s.length ? '' : s.slice(start);
    this.line = line;
    this.waitFor = this.carry.length > 0 ? Math.min(this.carry.length * 2, this.maxRecord + 1) : 0;
  }

  /** Reads the records of the text held; a record with a NUL character in a value is that value's error. */
  private read(final: boolean, out: ScanItem[]): void {
    const first = out.length;
    const hasNul = this.carry.includes('\0'); // one scan of the text: nearly every file has none
    this.readRecords(final, out);
    if (hasNul) markNul(out, first);
  }

  private readRecords(final: boolean, out: ScanItem[]): void {
    const s = this.carry;
    const n = s.length;
    const d = this.delimiter;
    const nl = this.newline;
    let nextQuote = s.indexOf('"');
    if (nextQuote === -1 && n <= this.maxRecord && onlyLineEnd(s, nl)) {
      // No quote and no other line break in this text: each record is one line, and PapaParse's plain split is all it takes.
      this.readPlain(s, final, out);
      return;
    }
    const breaks = new BreakCounter(s);
    const max = this.maxRecord;
    let from = 0; // where the current parse started
    let start = 0; // where the next record starts
    let line = this.line;
    for (;;) {
      let resume = -1; // set when a record with bad quoting makes us parse again from this offset
      const parser: Papa.Parser = new Papa.Parser({
        delimiter: d,
        newline: nl,
        quoteChar: '"',
        // The low-level Parser hands the step the record wrapped in an array (Papa.parse unwraps it; @types describes the unwrapped form).
        step: (r: Papa.ParseStepResult<string[]>) => {
          const end = from + r.meta.cursor;
          const values = (r.data as unknown as string[][])[0]!;
          const recLine = line;
          line += breaks.count(start, end);
          const recStart = start;
          start = end;
          const afterBlank = this.blank;
          this.blank = false;
          if (r.errors.length > 0) {
            const invalid = r.errors.find((e) => e.code === 'InvalidQuotes');
            if (invalid === undefined) {
              // Only "quoted field unterminated": the rest of the input is this one field.
              out.push({ line: recLine, error: QUOTE_NOT_CLOSED });
              return;
            }
            // Text after a closing quote: PapaParse read on to some later quote. Resume after the physical line of the bad quote.
            const closing = badQuote(s, from + (invalid.index ?? 0));
            out.push({ line: recLine, error: TEXT_AFTER_QUOTE, column: fieldAt(s, recStart, closing, d) });
            const at = lineEndAfter(s, closing, n);
            line = recLine + new BreakCounter(s, recStart).count(recStart, at);
            breaks.seek(at);
            start = at;
            resume = at;
            parser.abort();
            return;
          }
          if (end - recStart > max) {
            // Complete in this text, but longer than a record may be (as it would have been, read in smaller chunks).
            const k = new RecordSkipper(d, nl, max);
            k.feed(s.slice(recStart, recStart + max + 1));
            out.push({ line: recLine, error: recordTooLong(max), column: k.fieldAtLimit });
            return;
          }
          if (nextQuote !== -1 && nextQuote < recStart) nextQuote = s.indexOf('"', recStart);
          if (nextQuote !== -1 && nextQuote < end) {
            const bad = checkQuotes(s, recStart, end, values, d);
            if (bad !== null) {
              out.push({ line: recLine, error: bad.message, column: bad.column });
              return;
            }
          }
          if (isBlank(values)) {
            this.blank = true;
            return;
          }
          const item: ScanItem = afterBlank ? { line: recLine, values, afterBlank } : { line: recLine, values };
          if (
            values.some((v) => v.includes('\n') || v.includes('\r')) &&
            strayBreak(s, recStart, values, nextQuote !== -1 && nextQuote < end)
          )
            item.strayBreak = true;
          out.push(item);
        },
      });
      parser.parse(from === 0 ? s : s.slice(from), 0, !final);
      if (resume === -1) break;
      from = resume;
      if (from >= n) break;
    }
    this.carry = start >= n ? '' : s.slice(start);
    this.line = line;
    this.waitFor = this.carry.length > 0 ? Math.min(this.carry.length * 2, this.maxRecord + 1) : 0;
  }
}

/**
 * Reads through a record without keeping it, fed text chunk by chunk: where
 * it ends (the record separator outside quotes), the line breaks it spans,
 * the column being read at its `limit`th character, and whether the input
 * ended inside a quoted field. Quotes as RFC 4180 has them: a quote opens a
 * field only at its start, and "" inside a quoted field is a quote.
 */
class RecordSkipper {
  /** Line breaks passed (\n, \r\n or a lone \r), the record's own end included. */
  breaks = 0;
  /** The index of the field being read at the limit (-1 until then). */
  fieldAtLimit = -1;
  private field = 0;
  private fieldStart = true;
  private quoted = false;
  /** In a quoted field, the last character was a quote: the closing one, or the first of "". */
  private quoteLast = false;
  /** The last character was a CR: a line break of its own unless an LF follows. */
  private crLast = false;
  private seen = 0;
  private readonly d: number;

  constructor(
    delimiter: string,
    private readonly nl: Newline,
    private readonly limit: number,
  ) {
    this.d = delimiter.charCodeAt(0);
  }

  /** Reads on; returns the offset in s just after the record's end, or -1 when the record goes on past s. */
  feed(s: string): number {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.seen++ === this.limit) this.fieldAtLimit = this.field;
      const afterCr = this.crLast;
      this.crLast = c === CR;
      if (c === LF || (afterCr && c !== LF)) this.breaks++;
      if (this.quoted) {
        if (!this.quoteLast) {
          this.quoteLast = c === QUOTE;
          continue;
        }
        this.quoteLast = false;
        if (c === QUOTE) continue; // "" inside quotes
        this.quoted = false; // that quote closed the field; c follows it
      }
      if (c === QUOTE && this.fieldStart) {
        this.quoted = true;
        this.fieldStart = false;
      } else if (c === this.d) {
        this.field++;
        this.fieldStart = true;
      } else if (this.nl === '\r' ? c === CR : c === LF && (this.nl === '\n' || afterCr)) {
        if (c === CR) {
          this.breaks++; // it ends the record here, whatever follows
          this.crLast = false;
        }
        return i + 1;
      } else {
        this.fieldStart = false;
      }
    }
    return -1;
  }

  /** Whether the input ended inside a quoted field (a quote left open, not a long value). */
  unclosed(): boolean {
    return this.quoted && !this.quoteLast;
  }
}

/** Whether every line break in s is the record separator `nl` (a \r at the very end may be half of a \r\n: not plain). */
function onlyLineEnd(s: string, nl: Newline): boolean {
  if (nl === '\n') return s.indexOf('\r') === -1;
  if (nl === '\r') return s.indexOf('\n') === -1;
  let crs = 0;
  for (let i = s.indexOf('\r'); i !== -1; i = s.indexOf('\r', i + 1)) {
    if (s.charCodeAt(i + 1) !== LF) return false;
    crs++;
  }
  let lfs = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lfs++;
  return crs === lfs;
}

/** The first quote at or after `from` that is not a doubled ("") quote: the malformed closing quote of a field opened before `from`. */
function badQuote(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q !== -1 && s.charCodeAt(q + 1) === QUOTE) q = s.indexOf('"', q + 2);
  return q === -1 ? s.length : q;
}

/** The field (from 0) of the record starting at `start` that holds position `at`: the delimiters before it outside quotes. */
function fieldAt(s: string, start: number, at: number, d: string): number {
  let field = 0;
  let fieldStart = true;
  for (let i = start; i < at; i++) {
    const c = s[i];
    if (c === '"' && fieldStart) i = closingQuote(s, i);
    else if (c === d) field++;
    fieldStart = c === d;
  }
  return field;
}

/** Position after the end of the physical line containing `i` (\r\n, \n or \r). */
function lineEndAfter(s: string, i: number, n: number): number {
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === LF) return j + 1;
    if (c === CR) return s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
  }
  return n;
}

/**
 * Checks the quoting of a record PapaParse accepted, from its text s[start, end):
 * a quoted field must close right before a delimiter or the record end (a quote
 * inside an unquoted field is a character of it). Null when fine, else the message and the field at fault.
 */
function checkQuotes(s: string, start: number, end: number, values: string[], d: string): { message: string; column: number } | null {
  const at = (message: string, column: number) => ({ message, column });
  let pos = start;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (s.charCodeAt(pos) === QUOTE) {
      const close = pos + 1 + quotedInner(v);
      if (s.charCodeAt(close) !== QUOTE) return at(TEXT_AFTER_QUOTE, i);
      pos = close + 1;
      if (i < values.length - 1) {
        if (s[pos] !== d) return at(TEXT_AFTER_QUOTE, i);
        pos++;
      } else if (pos < end) {
        const c = s.charCodeAt(pos);
        if (c !== LF && c !== CR) return at(TEXT_AFTER_QUOTE, i);
      }
    } else {
      pos += v.length + 1; // a quote inside is a character of the value
    }
  }
  return null;
}

/** The length of a quoted value as the file writes it between its quotes: each quote in it doubled. */
function quotedInner(v: string): number {
  let inner = v.length;
  for (let q = v.indexOf('"'); q !== -1; q = v.indexOf('"', q + 1)) inner++;
  return inner;
}

/**
 * Whether a value of the record starting at `start` holds a line break outside quotes: a line end of another kind
 * than the file's, which ran two rows together (mixed line ends). Not a quoted value's, walked as checkQuotes
 * walks them where the record has a quote (`quoted`), nor a break that ends the record (a row's own CR in a file of
 * LF rows, which joins nothing).
 */
function strayBreak(s: string, start: number, values: string[], quoted: boolean): boolean {
  let pos = start;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (quoted && s.charCodeAt(pos) === QUOTE) {
      pos += quotedInner(v) + 3; // its quotes and the delimiter after it
      continue;
    }
    const text = i === values.length - 1 ? v.replace(/[\r\n]+$/, '') : v;
    if (text.includes('\n') || text.includes('\r')) return true;
    pos += v.length + 1;
  }
  return false;
}

/** Counts line breaks (\n, \r\n, lone \r) in successive ranges of one string, in amortised linear time. */
class BreakCounter {
  private nextLf: number;
  private nextCr: number;

  constructor(
    private readonly s: string,
    from = 0,
  ) {
    this.nextLf = s.indexOf('\n', from);
    this.nextCr = s.indexOf('\r', from);
  }

  /** Moves the cached positions to `from` (either way). */
  seek(from: number): void {
    this.nextLf = this.s.indexOf('\n', from);
    this.nextCr = this.s.indexOf('\r', from);
  }

  /** Line breaks in s[from, to); ranges must not go backwards (else `seek` first). */
  count(from: number, to: number): number {
    const s = this.s;
    let k = 0;
    if (this.nextLf !== -1 && this.nextLf < from) this.nextLf = s.indexOf('\n', from);
    while (this.nextLf !== -1 && this.nextLf < to) {
      k++;
      this.nextLf = s.indexOf('\n', this.nextLf + 1);
    }
    if (this.nextCr !== -1 && this.nextCr < from) this.nextCr = s.indexOf('\r', from);
    while (this.nextCr !== -1 && this.nextCr < to) {
      if (s.charCodeAt(this.nextCr + 1) !== LF) k++;
      this.nextCr = s.indexOf('\r', this.nextCr + 1);
    }
    return k;
  }
}
