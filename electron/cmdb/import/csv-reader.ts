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
 *   swallowing the rows in between), and a quote inside an unquoted field,
 *   or text after a closing quote, rejected (PapaParse accepts both);
 * - empty and whitespace-only lines skipped (PapaParse runs with them kept,
 *   so the line count stays right).
 *
 * Text with no quote and no line break but the record separator (most chunks of most exports)
 * takes a shorter path: one record per line, PapaParse's plain split, no
 * per-record callback.
 *
 * One record separator per file (\n, \r\n or \r, see `detectNewline`); a
 * field may hold any line break inside quotes.
 */
import Papa from 'papaparse';

export type ScanItem = { line: number; values: string[]; error?: undefined } | { line: number; values?: undefined; error: string };

export const QUOTE_NOT_CLOSED =
  'bad quoting: a quoted field is never closed, so the rest of the file could not be read. Close the quote (a field that contains a quote, delimiter or line break must be wrapped in double quotes, with inner quotes doubled)';
export const TEXT_AFTER_QUOTE =
  'bad quoting: text follows a closing quote inside a field. Double the inner quotes ("" for ") or wrap the whole field in quotes';
export const QUOTE_IN_FIELD =
  'bad quoting: a quote appears in the middle of an unquoted field. Wrap the field in double quotes and double the inner quote';

export type Newline = '\n' | '\r\n' | '\r';

/** Longest record (in characters) buffered while waiting for its end: beyond that, a quote was surely left open. */
const MAX_RECORD = 64 * 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The record separator of a CSV: the first line break outside quotes (\n when there is none). */
export function detectNewline(text: string): Newline {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && c === LF) return '\n';
    else if (!quoted && c === CR) {
      if (i + 1 >= text.length) return '\r\n'; // cannot tell; \r\n is the common case and also ends a lone-\r record
      return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    }
  }
  return '\n';
}

export class CsvReader {
  private carry = '';
  /** Line where `carry` starts. */
  private line = 1;
  /** When the carry holds an incomplete record, wait for it to double before parsing again (linear time on huge fields). */
  private waitFor = 0;
  private first = true;

  constructor(
    private readonly delimiter: string,
    private readonly newline: Newline = '\n',
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
    }
    this.carry = this.carry.length > 0 ? this.carry + text : text;
    if (this.carry.length < this.waitFor) return out;
    this.read(false, out);
    if (this.carry.length > MAX_RECORD) this.read(true, out); // a quote was left open: read the carry as it is
    return out;
  }

  /** Reads what is left at the end of the input. */
  end(out: ScanItem[] = []): ScanItem[] {
    this.read(true, out);
    return out;
  }

  /** Reads text with no quote and no line break but the record separator: record i starts on line `this.line + i`. */
  private readPlain(s: string, final: boolean, out: ScanItem[]): void {
    const r = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' }).parse(s, 0, !final) as {
      data: string[][];
      meta: { cursor: number };
    };
    const rows = r.data;
    let line = this.line;
    for (let i = 0; i < rows.length; i++, line++) {
      const values = rows[i]!;
      if (values.length === 1 && values[0]!.trim() === '') continue; // empty line
      out.push({ line, values });
    }
    const start = final ? s.length : r.meta.cursor;
    this.carry = start >= s.length ? '' : s.slice(start);
    this.line = line;
    this.waitFor = this.carry.length > 0 ? Math.min(this.carry.length * 2, MAX_RECORD + 1) : 0;
  }

  private read(final: boolean, out: ScanItem[]): void {
    const s = this.carry;
    const n = s.length;
    const d = this.delimiter;
    const nl = this.newline;
    let nextQuote = s.indexOf('"');
    if (nextQuote === -1 && onlyLineEnd(s, nl)) {
      // No quote and no other line break in this text: each record is one line, and PapaParse's plain split is all it takes.
      this.readPlain(s, final, out);
      return;
    }
    const breaks = new BreakCounter(s);
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
          if (r.errors.length > 0) {
            const invalid = r.errors.find((e) => e.code === 'InvalidQuotes');
            if (invalid === undefined) {
              // Only "quoted field unterminated": the rest of the input is this one field.
              out.push({ line: recLine, error: QUOTE_NOT_CLOSED });
              return;
            }
            // Text after a closing quote: PapaParse read on to some later quote. Resume after the physical line of the bad quote.
            out.push({ line: recLine, error: TEXT_AFTER_QUOTE });
            const at = lineEndAfter(s, badQuote(s, from + (invalid.index ?? 0)), n);
            line = recLine + new BreakCounter(s, recStart).count(recStart, at);
            breaks.seek(at);
            start = at;
            resume = at;
            parser.abort();
            return;
          }
          if (nextQuote !== -1 && nextQuote < recStart) nextQuote = s.indexOf('"', recStart);
          if (nextQuote !== -1 && nextQuote < end) {
            const error = checkQuotes(s, recStart, end, values, d);
            if (error !== null) {
              out.push({ line: recLine, error });
              return;
            }
          }
          if (values.length === 1 && values[0]!.trim() === '') return; // empty line
          out.push({ line: recLine, values });
        },
      });
      parser.parse(from === 0 ? s : s.slice(from), 0, !final);
      if (resume === -1) break;
      from = resume;
      if (from >= n) break;
    }
    this.carry = start >= n ? '' : s.slice(start);
    this.line = line;
    this.waitFor = this.carry.length > 0 ? Math.min(this.carry.length * 2, MAX_RECORD + 1) : 0;
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
 * a quoted field must close right before a delimiter or the record end, and an
 * unquoted field must hold no quote. Null when fine, else the message.
 */
function checkQuotes(s: string, start: number, end: number, values: string[], d: string): string | null {
  let pos = start;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (s.charCodeAt(pos) === QUOTE) {
      let inner = v.length;
      for (let q = v.indexOf('"'); q !== -1; q = v.indexOf('"', q + 1)) inner++;
      const close = pos + 1 + inner;
      if (s.charCodeAt(close) !== QUOTE) return TEXT_AFTER_QUOTE;
      pos = close + 1;
      if (i < values.length - 1) {
        if (s[pos] !== d) return TEXT_AFTER_QUOTE;
        pos++;
      } else if (pos < end) {
        const c = s.charCodeAt(pos);
        if (c !== LF && c !== CR) return TEXT_AFTER_QUOTE;
      }
    } else {
      if (v.includes('"')) return QUOTE_IN_FIELD;
      pos += v.length + 1;
    }
  }
  return null;
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
