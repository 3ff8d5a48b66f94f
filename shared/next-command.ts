/**
 * A `cmdb` command an engine message suggests running next ("delete it first
 * (cmdb baseline delete b1)"), kept as data in the error's details beside the
 * message. The engine does not know which CMDB file a person named on the
 * command line, so the message writes the command as it is typed at the
 * default CMDB; the CLI writes it again with its own --db (electron/cli/common.ts
 * `fail`), so that pasting it acts on the same CMDB.
 */
export interface NextCommand {
  /** The command after `cmdb`, e.g. `baseline delete`. */
  command: string;
  /** Its arguments as values (a placeholder such as NAME as it is): each is quoted for the shell when it is written. */
  args: string[];
}

/** A word as a POSIX shell reads it back: as it is when it is safe, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command as typed in a shell: `cmdb COMMAND [--db FILE] ARGS`, with --db only when `db` is given. */
export function commandLine(next: NextCommand, db?: string): string {
  return ['cmdb', next.command, ...(db ? ['--db', shellWord(db)] : []), ...next.args.map(shellWord)].join(' ');
}

function isNextCommand(v: unknown): v is NextCommand {
  const n = v as Partial<NextCommand> | null | undefined;
  return typeof n?.command === 'string' && Array.isArray(n.args) && n.args.every((a) => typeof a === 'string');
}

/** The suggested commands an error's details carry (`details.next`: one, or a list), none when it has none. */
export function nextCommandsOf(details: unknown): NextCommand[] {
  const next = (details as { next?: unknown } | null | undefined)?.next;
  return (Array.isArray(next) ? next : [next]).filter(isNextCommand);
}

/** A character that would continue a shell word: a command is replaced only where it ends (`undo-merge 1` is not in `undo-merge 12`). */
const WORD_GOES_ON = /[\w@%+=:,./'-]/;

/**
 * `message` with its suggested commands (`details.next`) written for the CMDB file `db`: the same
 * commands, with --db. The message as it is when it suggests none, or when no file was named (the default
 * then applies).
 */
export function withDbInMessage(message: string, details: unknown, db: string | undefined): string {
  if (!db) return message;
  let out = message;
  for (const next of nextCommandsOf(details)) {
    const plain = commandLine(next);
    const pieces = out.split(plain);
    out = pieces.reduce(
      (acc, piece, i) => (i === 0 ? piece : acc + (WORD_GOES_ON.test(piece[0] ?? '') ? plain : commandLine(next, db)) + piece),
      '',
    );
  }
  return out;
}
