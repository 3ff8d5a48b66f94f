/**
 * Everything `cmdb` writes for people goes through here, so that text from the
 * data (CI names, CSV headers, file names, values quoted in errors) cannot
 * drive the terminal: a name holding `ESC ] 0 ; … BEL` would set the window
 * title, `ESC [ 2 J` would clear the screen, U+009B is a CSI on many
 * terminals, a bidi override reorders what follows it, and a zero-width
 * space makes two keys print the same.
 *
 * The escape notation is the same everywhere: each such character is shown as
 * `\uXXXX` (ESC reads `\u001b`, U+009B reads `\u009b`, RIGHT-TO-LEFT OVERRIDE
 * reads `\u202e`), which is also how JSON writes it, so a value seen on the
 * terminal can be searched for in `--json` output. Line breaks inside a value
 * read ` ↵ `. Backslashes are left as they are (Windows paths stay readable),
 * so `\u001b` in the output may also be those six characters in the data:
 * `--json` gives the exact value.
 */
import { fstatSync } from 'node:fs';
import { BIDI_CONTROL_CLASS, INVISIBLE_CLASS, unicodeEscape } from '../../shared/bidi.js';
import { UTF8_BOM } from '../../shared/csv.js';
import { formatValue, NOT_SET } from '../../shared/format.js';

/**
 * Characters that must not reach a terminal raw: C0 controls, DEL, C1 controls,
 * the bidi marks, embeddings, overrides and isolates (shared/bidi.ts), and the
 * invisible ones (zero-width space, word joiner, the
 * zero-width no-break space U+FEFF, the soft hyphen): `srv-01` and
 * `srv\u200b-01` are two keys, and must not print the same.
 */
const INVISIBLE = `\\u00ad${INVISIBLE_CLASS}`;
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE}]`, 'g');
/** The same, except newline, CRLF and tab: the layout of a multi-line document (a CSV report ends lines with CRLF). */
const UNSAFE_IN_DOCUMENT = new RegExp(
  `\\r(?!\\n)|[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE}]`,
  'g',
);
/** What JSON.stringify leaves raw of the above (it escapes every C0 control itself). */
const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE}]`, 'g');

/** Line breaks, the Unicode line and paragraph separators included. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * A value as one visible line: line breaks read ` ↵ ` and every other control
 * character (tab included), bidi control and invisible character reads `\uXXXX`. Idempotent. For
 * table cells and for every line the CLI prints.
 */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAK, ' ↵ ').replace(UNSAFE, unicodeEscape);
}

/** A multi-line document made safe for a terminal: line ends (LF, CRLF) and tabs kept, every other control escaped. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_IN_DOCUMENT, unicodeEscape);
}

/**
 * `value` as indented JSON in which DEL, the C1 controls and the bidi controls
 * are escaped as `\u00XX` too (JSON.stringify escapes only C0): the same
 * value to a parser, inert on a terminal.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, unicodeEscape);
}

/**
 * A reader that stops early (`cmdb diff --format csv | head`) closes the pipe
 * while `cmdb` still writes: end quietly then, as other command-line tools do,
 * not with a stack trace about EPIPE. Any other write error is thrown as before.
 */
export function endQuietlyWhenPipeCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

/**
 * Ends the process, with the exit code set so far, once stdout and stderr have taken what was written (a pipe
 * takes it later on some systems): for a command whose work is done while threads it started still wind down.
 */
export async function exitOnceWritten(): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((sent) => s.write('', () => sent()))));
  process.exit();
}

/** A value as every command writes it (shared/format.ts formatValue): NOT_SET when not set (null, undefined or ''). */
export const valueText = (v: unknown): string => formatValue(v, NOT_SET);

/** Writes lines for a person, each made one visible line (see `oneLine`), to stdout or stderr. */
export function printLines(lines: readonly string[], to: 'stdout' | 'stderr' = 'stdout'): void {
  if (lines.length === 0) return;
  process[to].write(`${lines.map(oneLine).join('\n')}\n`);
}

/** Writes `value` as JSON on stdout (see `jsonText`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonText(value)}\n`);
}

/**
 * Prints a command's answer: `value` as JSON with --json (a script's view,
 * the service's answer as it is), otherwise the lines `text` makes of it for
 * a person. Every command prints its answer through here.
 */
export function printResult<T>(opts: { json?: boolean | undefined }, value: T, text: (value: T) => readonly string[]): void {
  if (opts.json) printJson(value);
  else printLines(text(value));
}

/**
 * Writes a document (a report) to stdout: byte for byte when stdout is a file
 * (it is the document: `> report.csv` keeps the byte-order mark a spreadsheet
 * reads the encoding by), without that mark into a pipe (the next program reads
 * text: `| head` or a script must not see it before the first header), made
 * terminal-safe when a person is reading it on a terminal.
 */
export function printDocument(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(terminalSafe(withoutBom(text)));
  else process.stdout.write(stdoutIsFile() ? text : withoutBom(text));
}

const withoutBom = (text: string) => (text.startsWith(UTF8_BOM) ? text.slice(1) : text);

function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}

/** Whether stderr is a terminal: a person is watching (progress bars, every row error). */
export function stderrIsTerminal(): boolean {
  return process.stderr.isTTY === true;
}

/** Redraws the one status line (a progress bar) at the bottom of stderr. */
export function statusLine(text: string): void {
  // Carriage return, the line, then "erase to end of line": the only control sequence the CLI emits itself.
  process.stderr.write(`\r${oneLine(text)}\u001b[K`);
}

/** Erases the status line drawn by `statusLine`. */
export function clearStatusLine(): void {
  process.stderr.write('\r\u001b[K');
}
