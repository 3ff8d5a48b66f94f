/** What every `cmdb` command shares: opening the CMDB, number options, tables, and one-line errors. */
import { existsSync } from 'node:fs';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { api, ciRefProblemsSchema, type MethodName } from '../../shared/api.js';
import { CmdbError, toErrorInfo } from '../../shared/errors.js';
import { shellWord, withDbInMessage } from '../../shared/next-command.js';
import { extensionsText } from '../../shared/file-name.js';
import { cutText, listText } from '../../shared/format.js';
import { busyError } from '../cmdb/busy.js';
import { currentWriter } from '../cmdb/holder.js';
import { CmdbService } from '../cmdb/service.js';
import { defaultDbPath } from '../cmdb/paths.js';
import { knownError } from './known-errors.js';
import { oneLine, printDocument, printLines } from './terminal.js';

export interface GlobalOpts {
  db?: string;
  json?: boolean;
}

/**
 * What a command does to the CMDB. `read` opens it read-only, so a file (or a
 * folder) that cannot be written still answers; `write` needs an existing
 * CMDB it can change; `create` may also make a new file.
 */
export type Access = 'read' | 'write' | 'create';

/** Adds the options every command takes. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option('--db <file>', `the CMDB file (default: $CMDB_DB or ${defaultDbPath()})`)
    .option('--json', 'machine-readable JSON on stdout');
}

export { shellWord };

/**
 * A `cmdb` command to run next, as the output suggests it: with this
 * command's `--db` when one was given, so that it acts on the same CMDB (an
 * `undo-import` without it would undo an import of the default CMDB). `args`
 * come as they are to be typed (quote real values with shellWord).
 */
export function cmdbCommand(opts: GlobalOpts, command: string, ...args: string[]): string {
  return ['cmdb', command, ...(opts.db ? ['--db', shellWord(opts.db)] : []), ...args].join(' ');
}

/** Opens the CMDB named by --db, as `access` needs it. */
export function openService(opts: GlobalOpts, access: Access): CmdbService {
  const path = opts.db ?? defaultDbPath();
  if (access !== 'create' && !existsSync(path)) {
    throw new CmdbError(
      'DB_NOT_FOUND',
      `${path}: no such CMDB file. Import into it first (${cmdbCommand({ db: path }, 'import', '--cis', 'FILE')}), or check the path.`,
    );
  }
  // An empty file is a CMDB only once something creates it there: a command that only reads leaves it as it is.
  if (access === 'read' && statSync(path).size === 0) {
    throw new CmdbError(
      'DB_NOT_FOUND',
      `${path} is empty: no CMDB yet, and it was left untouched. Import into it first (${cmdbCommand({ db: path }, 'import', '--cis', 'FILE')}), or check the path.`,
    );
  }
  if (access === 'create') mkdirSync(dirname(path), { recursive: true });
  // One command per process: an import job may have the file alone (see ImportService).
  return CmdbService.open(path, { source: 'cli', readonly: access === 'read', exclusiveJobs: true });
}

/** A whole number as an option gives it: decimal digits only (Number() would also take 1e3 and 0x10). */
export const WHOLE_NUMBER = /^\s*\d+\s*$/;

/** A whole-number option (`--limit 20`), or undefined when it was not given; refused in words a person can act on. */
export function parseInteger(name: string, v: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = WHOLE_NUMBER.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    // Past what a number holds exactly (a range names its own largest).
    const big = Number.isFinite(n) && !Number.isSafeInteger(n) ? ' (too large)' : '';
    throw new CmdbError('INVALID_REQUEST', `${name} must be a whole number ${range}, not "${v}"${big}.`);
  }
  return n;
}

/**
 * The largest value the contract takes for the number `field` of `method`'s request (its `.max()`), to
 * give parseInteger: an option past it is then refused in the CLI's words, naming its range, not by the
 * schema ("limit: Too big"). Throws for a field that is no number with a maximum (a slip in the caller).
 */
export function requestMax(method: MethodName, field: string): number {
  let schema = (api[method].request as z.ZodObject).shape[field] as unknown;
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap();
  const max = schema instanceof z.ZodNumber ? schema.maxValue : null;
  if (max === null || max >= Number.MAX_SAFE_INTEGER) throw new Error(`${method}.${field} is not a number with a maximum`);
  return max;
}

/** A comma-separated option (`--types a,b`) as a list, or undefined when it names nothing. */
export function parseList(v: string | undefined): string[] | undefined {
  const list = v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}

/** Runs a command body: errors become one line on stderr and a non-zero exit. */
export function action<A extends unknown[]>(fn: (...args: A) => unknown | Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      // Commander passes the command last: its options name the --db that a suggested command must carry.
      const command = args.at(-1) as { opts?: () => GlobalOpts } | undefined;
      fail(err, typeof command?.opts === 'function' ? command.opts() : {});
    }
  };
}

/**
 * Says why on one line of stderr ("cmdb: ..."), then exits: 2 for a bad request, 1 otherwise. An error of a
 * kind the CLI knows is said in its words (knownError); only what is left is called unexpected. A command
 * the engine's message suggests (details.next) is written with the --db of `opts`, as cmdbCommand does.
 */
export function fail(err: unknown, opts: GlobalOpts = {}): never {
  const info = toErrorInfo(knownError(err, opts.db ?? defaultDbPath()));
  const reason = withDbInMessage(info.message, info.details, opts.db).replace(/\s+/g, ' ').trim();
  // An error the engine did not foresee has no advice of its own; its words (often SQLite's or Node's) may end without a stop.
  const advice =
    info.code === 'INTERNAL'
      ? `${/[.!?]$/.test(reason) ? '' : '.'} This is unexpected: please report it with the command that caused it.`
      : '';
  printLines([`cmdb: ${reason}${advice}`], 'stderr');
  process.exit(info.code === 'INVALID_REQUEST' ? 2 : 1);
}

/** Unwraps a service envelope or throws its error. */
export async function unwrap<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new CmdbError(r.error.code as never, r.error.message, r.error.details);
  return r.value;
}

/** The widest a padded column of a table is shown (a terminal line): a longer cell is cut to it, ending "…". */
export const COLUMN_MAX = 80;

/**
 * A plain-text table, one string per row, columns padded. Each cell is shown
 * on one line first (see `oneLine`), so a value with a line break or a control
 * character neither breaks its row nor the alignment; then cut to COLUMN_MAX
 * characters (`wider`: a larger maximum for a column, by its index), so one
 * long value (a 20,000-character name) does not pad every row to its width.
 * The last column pads no row: it is shown whole. `--json` has every value whole.
 */
export function table(rows: string[][], wider: Readonly<Record<number, number>> = {}): string[] {
  const cells = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? oneLine(c) : cutText(oneLine(c), wider[i] ?? COLUMN_MAX))));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
}

/**
 * The keys of the CIs named on the command line, each by key or by a name
 * only one CI has (the service's resolveCis). A ref that names no CI is
 * refused with its close matches and the search that lists them all (or,
 * when nothing matches, which CMDB was searched); a shared name lists its
 * candidates.
 */
export async function resolveKeys(svc: CmdbService, refs: string[], opts: GlobalOpts): Promise<string[]> {
  if (refs.some((ref) => ref.trim() === '')) {
    throw new CmdbError('INVALID_REQUEST', 'A CI was given as an empty value: name each CI by its key or name (check the quotes).');
  }
  const r = await svc.call('resolveCis', { refs });
  if (r.ok) return r.value.cis.map((c) => c.key);
  // A key a merge took says where it went already: searching for it finds nothing.
  const missing = (ciRefProblemsSchema.safeParse(r.error.details).data?.problems ?? []).filter(
    (p) => p.problem === 'not_found' && !p.mergedInto,
  );
  // The message names up to CLOSE_SHOWN close matches of each: the search that lists them all, and which CMDB
  // was searched when one matches nothing (a forgotten --db reads the default CMDB).
  const hint = missing.filter((p) => p.more > 0).map((p) => ` Every match of "${p.ref}": ${cmdbCommand(opts, 'search', shellWord(p.ref))}`);
  if (missing.some((p) => p.candidates.length === 0)) hint.push(` (Searched ${svc.path}: check the spelling, and the --db file.)`);
  // An import writing the CMDB now: its CIs are not there until it commits.
  if (missing.length > 0 && currentWriter(svc.path)) hint.push(` ${busyError(svc.path).message}`);
  throw new CmdbError(r.error.code, `${r.error.message}${hint.join('')}`, r.error.details);
}

/**
 * As resolveKeys, but a ref no CI has now is kept as a key (asked of a baseline, it may have one: a CI
 * deleted since). `refused`: what resolveKeys would have thrown, for when the baseline has none either.
 * Names more than one CI has, and keys a merge took, are refused as by resolveKeys.
 */
export async function resolveKeysOrKeep(
  svc: CmdbService,
  refs: string[],
  opts: GlobalOpts,
): Promise<{ keys: string[]; refused: CmdbError | null }> {
  try {
    return { keys: await resolveKeys(svc, refs, opts), refused: null };
  } catch (err) {
    if (!(err instanceof CmdbError) || err.code !== 'NOT_FOUND') throw err;
    const problems = ciRefProblemsSchema.safeParse(err.details).data?.problems ?? [];
    if (problems.length === 0 || problems.some((p) => p.problem !== 'not_found' || p.mergedInto)) throw err;
    const unknown = new Set(problems.map((p) => p.ref));
    const known = refs.filter((ref) => !unknown.has(ref));
    return { keys: [...(known.length > 0 ? await resolveKeys(svc, known, opts) : []), ...unknown], refused: err };
  }
}

/** Opens the CMDB named by --db as `access` needs it, runs `body` with it, and closes it whatever happens. */
export async function withService<T>(opts: GlobalOpts, access: Access, body: (svc: CmdbService) => T | Promise<T>): Promise<T> {
  const svc = openService(opts, access);
  try {
    return await body(svc);
  } finally {
    svc.close();
  }
}

/**
 * The names of the CIs with these keys, for text a person reads (shared/explain.ts
 * `ciLabel`): a key no CI has any more (deleted since a baseline, say) is left
 * out and reads as itself. Never fails the command over a name.
 */
export async function namesOf(svc: CmdbService, keys: readonly string[]): Promise<Array<{ key: string; name: string }>> {
  const out: Array<{ key: string; name: string }> = [];
  // resolveCis takes at most 10,000 refs a call (a diff listed with a large --limit may name more ends).
  for (let i = 0; i < keys.length; i += NAMES_PER_CALL) out.push(...(await namesOfSome(svc, keys.slice(i, i + NAMES_PER_CALL))));
  return out;
}

const NAMES_PER_CALL = 5000;

async function namesOfSome(svc: CmdbService, keys: readonly string[]): Promise<Array<{ key: string; name: string }>> {
  const ask = async (refs: string[]) => (refs.length === 0 ? null : await svc.call('resolveCis', { refs }));
  let r = await ask([...keys]);
  if (r && !r.ok) {
    // One ref that names no CI (or, as a name, several) fails the whole call: ask again without them.
    const bad = new Set((ciRefProblemsSchema.safeParse(r.error.details).data?.problems ?? []).map((p) => p.ref));
    r = bad.size === 0 ? null : await ask(keys.filter((k) => !bad.has(k)));
  }
  // A ref matched as a name is another CI's name, not the key asked about.
  return r?.ok ? r.value.cis.filter((c) => c.matchedBy === 'key').map((c) => ({ key: c.key, name: c.name })) : [];
}

/**
 * The formats a command writes, each by the names --format takes and the extensions naming it (one table: `md` and
 * `markdown` both Markdown, `.gv` DOT). The first name of each format is the one said and the extension to name.
 */
export type OutputFormats<F extends string> = Readonly<Record<string, F>>;

/** The data files of `cmdb diff` and `cmdb health`: csv, md (Markdown) or json. */
export const DATA_FILE_FORMATS: OutputFormats<'csv' | 'markdown' | 'json'> = {
  csv: 'csv',
  md: 'markdown',
  markdown: 'markdown',
  json: 'json',
};

/** The first name of each format in the table (the one said, and the extension to name). */
const firstNames = (formats: OutputFormats<string>) =>
  Object.entries(formats)
    .filter(([, f], i, all) => all.findIndex(([, g]) => g === f) === i)
    .map(([name]) => name);

/** A format by a name or an extension, the table's own entries only (`constructor` names none). */
const formatNamed = <F extends string>(formats: OutputFormats<F>, name: string): F | undefined =>
  Object.hasOwn(formats, name) ? formats[name] : undefined;

/** Documents' and spreadsheets' own extensions: no command writes them (CSV in an .xlsx file would not open). */
const NOT_WRITTEN = new Set(['pdf', 'doc', 'docx', 'odt', 'rtf', 'xls', 'xlsx', 'ods', 'numbers', 'pages']);

/**
 * The one rule every command writing a file follows (diff, health, impact --export, assess --out, graph): the format
 * is --format's, else the one `out`'s extension names; the two must agree. A document's or a spreadsheet's own
 * extension is refused; one naming no format (.txt, .log, .xml, none) leaves the format to --format, else to
 * `fallback` (undefined: none, the caller's terminal text; an `out` file with no format is then refused). `option`:
 * the option naming `out`; `note`: words added when a file is refused.
 */
export function outputFormat<F extends string>(
  formats: OutputFormats<F>,
  opts: { format?: string | undefined; out?: string | undefined },
  { option = '--out', fallback, note = '' }: { option?: string; fallback?: F; note?: string } = {},
): F | undefined {
  const names = firstNames(formats);
  const ext = opts.out === undefined ? '' : extname(opts.out).slice(1).toLowerCase();
  const byName = ext === '' ? undefined : formatNamed(formats, ext);
  const refuse = () =>
    new CmdbError(
      'INVALID_REQUEST',
      `${option} ${opts.out}: name a ${extensionsText(names)} file (the extension picks the format).${note && ` ${note}`}`,
    );
  if (opts.format !== undefined) {
    const f = formatNamed(formats, opts.format.trim().toLowerCase());
    if (!f) throw new CmdbError('INVALID_REQUEST', `--format must be ${listText(names)}, not "${opts.format}".`);
    // Found by a reviewer: --out h.csv --format json wrote JSON into h.csv (and graph JSON into g.dot).
    if ((byName !== undefined && byName !== f) || NOT_WRITTEN.has(ext))
      throw new CmdbError(
        'INVALID_REQUEST',
        `${option} ${opts.out} and --format ${opts.format} disagree: name the file .${names.find((n) => formats[n] === f)}.`,
      );
    return f;
  }
  if (byName) return byName;
  if (NOT_WRITTEN.has(ext)) throw refuse();
  if (opts.out === undefined || fallback !== undefined) return fallback;
  throw refuse();
}

/**
 * The file an `--out <file>` option names that may be standard output (assess, diff, health, graph): `-` names
 * standard output, as leaving the option out does (`assess --out -` wrote a file named "-").
 */
export function outFile(out: string | undefined): string | undefined {
  return out === '-' ? undefined : out;
}

/** A data file's format (`cmdb diff`, `cmdb health`), by outputFormat; undefined for the text on the terminal. */
export function dataFileFormat(opts: { format?: string | undefined; out?: string | undefined }): 'csv' | 'markdown' | 'json' | undefined {
  return outputFormat(DATA_FILE_FORMATS, opts);
}

/** A data file's content written to `out` (saying so on stderr: `what` written to FILE), else to standard output. */
export function emitDataFile(out: string | undefined, content: string, what: string): void {
  if (out === undefined) return printDocument(content);
  writeFileSync(out, content);
  printLines([`${what} written to ${out}.`], 'stderr');
}
