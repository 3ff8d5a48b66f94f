/**
 * Defaults docs/cli.md states for an option, against what the command's own
 * --help says, and every option the docs about the CLI name, against the
 * options the commands take: a reader who trusts the docs gets what they describe.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmdb, ensureCliBuilt, ROOT } from './helpers.js';

const CLI_MD = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8').replace(/\s+/g, ' ');

/** The `(default: "N")` commander prints for an option of a command. */
function helpDefault(command: string, option: string): string | undefined {
  const help = cmdb([command, '--help']).stdout.replace(/\s+/g, ' ');
  const at = help.indexOf(`${option} <`);
  return at < 0 ? undefined : /\(default: "([^"]*)"\)/.exec(help.slice(at))?.[1];
}

describe('docs/cli.md option defaults', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('cmdb graph --depth: the default the docs give is the one the command uses', () => {
    const documented = /`--depth N` \(default (\d+)\)/.exec(CLI_MD)?.[1];
    expect(documented).toBeDefined();
    expect(documented).toBe(helpDefault('graph', '--depth'));
  });
});

/** Options those docs name that belong to other tools (node, npm run bench), or that show a misspelling. */
const NOT_CMDB = new Set(['--expose-gc', '--import', '--full', '--titel']);

/** Every long option of every `cmdb` command (and subcommand), from their --help. */
function cliOptions(): Set<string> {
  const opts = new Set<string>();
  const read = (args: string[]): string => {
    const help = cmdb([...args, '--help']).stdout;
    for (const o of help.match(/--[a-z][a-z-]*/g) ?? []) opts.add(o);
    return help;
  };
  const commands = (help: string) => [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);
  for (const c of commands(read([])).filter((c) => c !== 'help')) {
    const help = read([c]);
    if (help.includes('Commands:')) for (const sub of commands(help).filter((x) => x !== 'help')) read([c, sub]);
  }
  return opts;
}

describe('options the docs name', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('are options a cmdb command takes (docs/health.md named --report FILE, which none takes: found by a change manager)', () => {
    const known = cliOptions();
    const unknown: string[] = [];
    for (const doc of ['README.md', 'docs/cli.md', 'docs/impact.md', 'docs/health.md', 'docs/baselines.md', 'docs/import.md']) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const o of new Set(text.match(/--[a-z][a-z-]+/g) ?? [])) if (!known.has(o) && !NOT_CMDB.has(o)) unknown.push(`${doc} ${o}`);
    }
    expect(unknown).toEqual([]);
  }, 120_000);
});
