/**
 * Advice in an import's messages that names a control, in the words of the surface that reads it. The engine
 * writes each such piece of advice as the CLI says it (`ADVICE.x.cli`: an option, a mapping key); an import run
 * for the app's import wizard (the desktop app, `cmdb serve` in a browser) has its messages, notes and row errors
 * given back with the wizard's words for the same advice (`app`): the control the wizard has for it, or what to
 * do in the file where it has none (it has no encoding or delimiter choice: it detects them). The rules stay
 * where the messages are made; this table is the one rendering of each piece of advice per surface (and
 * SOURCE_ADVICE, of advice that names a source, for each source a message names).
 */
import type { ImportResult, RowError } from '../../../shared/domain.js';
import { CmdbError, type ErrorInfo } from '../../../shared/errors.js';
import { shellWord } from '../../../shared/next-command.js';

/** Who reads an import's messages: the `cmdb` command, or the app's import wizard. */
export type Surface = 'cli' | 'app';

/** The app's doors (`ui`, the desktop app; `web`, `cmdb serve`) show the import wizard; any other reads as the CLI. */
export function surfaceOf(actor: string): Surface {
  return actor === 'ui' || actor === 'web' ? 'app' : 'cli';
}

/** Each piece of advice as the CLI says it and as the wizard says it (no phrase holds another). */
export const ADVICE = {
  skipBadRows: { cli: 'run again with --skip-bad-rows', app: 'import again with “Skip bad rows” (How to import)' },
  evenSkipping: { cli: 'even with --skip-bad-rows', app: 'even with “Skip bad rows”' },
  sourceOwn: { cli: 'under its own --source NAME', app: 'under its own Source (How to import)' },
  sourceNamed: { cli: '(--source NAME; ', app: '(type it as the Source under How to import; ' },
  sourceNew: { cli: 'give its name with --source NEW', app: 'type its name as the Source (How to import)' },
  modeUpsert: { cli: 'import with --mode upsert', app: 'import with the mode “Create and update”' },
  updateOnlyMode: { cli: 'the update-only mode (--mode update-only)', app: 'the mode “Update only”' },
  updateOnlyImports: { cli: '--mode update-only imports no new CI', app: 'the mode “Update only” imports no new CI' },
  ciDefaultType: { cli: 'in the mapping (ciDefaults.type)', app: 'in the Default Type box of the file’s column mapping' },
  relDefaultType: { cli: 'in the mapping (relDefaults.type)', app: 'in the Default Type box of the file’s column mapping' },
  keyInMapping: { cli: 'in a mapping (--mapping FILE.json)', app: 'as its Key (id) in the file’s column mapping' },
  allowRenames: { cli: 'add --allow-renames', app: 'import again with “Allow renames” (How to import)' },
  relationshipsAlone: {
    cli: 'import its relationships in an import of their own (--relationships FILE, without --cis)',
    app: 'import it again as a relationships file alone',
  },
  cisThenRelationships: {
    cli: "import its CIs alone with --skip-bad-rows (each CI's first row), then the same file as --relationships alone",
    app: 'import it as a CIs file with “Skip bad rows” (each CI’s first row), then again as a relationships file alone',
  },
  leaveColumnOut: {
    cli: 'leave the column out of the import (its header under "ignore": { "cis": [...] } in a mapping)',
    app: 'set that field to no column in the file’s column mapping',
  },
  mapColumn: { cli: 'or map one with a mapping (--mapping FILE.json)', app: 'or choose its column in the file’s column mapping' },
  emptyTarget: {
    cli: 'set "emptyTarget": "skip" in the mapping',
    app: 'import with “Skip bad rows” (How to import) to leave those rows’ relationships out',
  },
  emptyTargetSkipped: { cli: '("emptyTarget": "skip")', app: '(the profile skips empty targets)' },
  shortRows: {
    cli: 'read missing last cells as empty with "shortRows": "empty" in the mapping',
    app: 'put a value in the last column of every row (Excel then writes every delimiter) and choose the file again',
  },
  encodingNamed: {
    cli: 'give it with --encoding',
    app: 'save it as UTF-8 (in Excel, “CSV UTF-8”) and choose it again',
  },
  encodingMixed: {
    cli: ", or give its encoding (--encoding windows-1252, or mac-roman for Excel for Mac's CSV)",
    app: ' (in Excel, “CSV UTF-8”) and choose it again',
  },
  delimiterPipe: { cli: 'give --delimiter pipe', app: 'save it with commas, semicolons or tabs instead (a pipe is not detected)' },
  delimiterDetected: {
    cli: 'leave --delimiter out (it is detected) or give that one',
    app: 'save it with that delimiter throughout (it is detected)',
  },
} as const satisfies Record<string, Record<Surface, string>>;

const PHRASES = Object.values(ADVICE);

/**
 * The source `name` as the CLI's option takes it: a shell word (shared/next-command.ts), quoted too when it
 * would end in `.`, `,` or `:`, so that a message's punctuation after it is not read as part of it.
 */
function sourceWord(name: string): string {
  const word = shellWord(name);
  return word === name && /[.,:]$/.test(name) ? `'${name}'` : word;
}

/**
 * Advice to sync under a source the message names (a sync refused for its new source names each earlier one):
 * the CLI's option with the name as the shell reads it, the wizard's Source (its "Set Source to" buttons) with
 * the name in quotes. inWords reads the name back from the CLI's words.
 */
export const SOURCE_ADVICE = {
  cli: (name: string) => `add --source ${sourceWord(name)}`,
  app: (name: string) => `set Source to “${name}”`,
} as const satisfies Record<Surface, (name: string) => string>;

/** SOURCE_ADVICE.cli in a message: the name single-quoted (`'\''` for a quote in it), or a bare word not ending in `.,:`. */
const SOURCE_IN_CLI_WORDS = /add --source ('(?:[^']|'\\'')*'|[\w@%+=:,./-]*[\w@%+=/-])/g;

/** The name a shell reads from `word` as sourceWord wrote it. */
const unquoted = (word: string): string => (word.startsWith("'") ? word.slice(1, -1).replaceAll(`'\\''`, "'") : word);

/** A message as `surface` says it: the engine's words are the CLI's; for the app, each piece of advice in the wizard's. */
export function inWords(text: string, surface: Surface): string {
  if (surface === 'cli') return text;
  let out = text;
  for (const p of PHRASES) if (out.includes(p.cli)) out = out.replaceAll(p.cli, p.app);
  return out.replace(SOURCE_IN_CLI_WORDS, (_, word: string) => SOURCE_ADVICE.app(unquoted(word)));
}

/** The CLI's undo commands an undo refusal names (undo-refusal.ts), and where the app has each of them. */
const UNDO_COMMANDS: ReadonlyArray<[RegExp, (id: string) => string]> = [
  [/\(cmdb undo-import (\d+)\)/g, () => '(its Undo in the import log)'],
  [/\(cmdb undo-merge (\d+)\)/g, () => '(its Undo under Health, Recent merges)'],
];

/**
 * An undo's refusal as `surface` says it: the app names its Undo buttons where the CLI names its commands, and
 * its imports by number as its result and import log do (import #3).
 */
export function undoErrorInWords(err: unknown, surface: Surface): unknown {
  if (surface === 'cli' || !(err instanceof CmdbError)) return err;
  let message = err.message;
  for (const [command, app] of UNDO_COMMANDS) message = message.replace(command, (_, id: string) => app(id));
  message = message.replace(/\b([Ii]mport) (\d+)\b/g, '$1 #$2');
  return new CmdbError(err.code, message, err.details);
}

const errorsInWords = (errors: readonly RowError[], surface: Surface): RowError[] =>
  errors.map((e) => ({ ...e, message: inWords(e.message, surface) }));

/** An import's result as `surface` says it: its row errors and notes. */
export function resultInWords(r: ImportResult, surface: Surface): ImportResult {
  if (surface === 'cli') return r;
  return { ...r, errors: errorsInWords(r.errors, surface), warnings: r.warnings.map((w) => inWords(w, surface)) };
}

/** The details a rejected import carries (its row errors, its result), as `surface` says them. */
function detailsInWords(details: unknown, surface: Surface): unknown {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return details;
  const d = details as { errors?: unknown; result?: unknown };
  return {
    ...d,
    ...(Array.isArray(d.errors) ? { errors: errorsInWords(d.errors as RowError[], surface) } : {}),
    ...(d.result && typeof d.result === 'object' ? { result: resultInWords(d.result as ImportResult, surface) } : {}),
  };
}

/** An error from an import or a preview as `surface` says it (anything but a CmdbError as it is). */
export function errorInWords(err: unknown, surface: Surface): unknown {
  if (surface === 'cli' || !(err instanceof CmdbError)) return err;
  return new CmdbError(err.code, inWords(err.message, surface), detailsInWords(err.details, surface));
}

/** An error's info (a job's failure) as `surface` says it. */
export function errorInfoInWords(info: ErrorInfo, surface: Surface): ErrorInfo {
  if (surface === 'cli') return info;
  const out: ErrorInfo = { ...info, message: inWords(info.message, surface) };
  if (info.details !== undefined) out.details = detailsInWords(info.details, surface);
  return out;
}
