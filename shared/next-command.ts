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

/** The suggested command an error's details carry (`details.next`), or null. */
export function nextCommandOf(details: unknown): NextCommand | null {
  const next = (details as { next?: unknown } | null | undefined)?.next as Partial<NextCommand> | undefined;
  if (typeof next?.command !== 'string' || !Array.isArray(next.args) || !next.args.every((a) => typeof a === 'string')) return null;
  return { command: next.command, args: next.args };
}

/**
 * `message` with its suggested command (`details.next`) written for the CMDB file `db`: the same command,
 * with --db. The message as it is when it suggests none, or when no file was named (the default then applies).
 */
export function withDbInMessage(message: string, details: unknown, db: string | undefined): string {
  const next = nextCommandOf(details);
  if (!next || !db) return message;
  return message.split(commandLine(next)).join(commandLine(next, db));
}
