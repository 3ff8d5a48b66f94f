/**
 * Defaults docs/cli.md states for an option, against what the command's own
 * --help says: a reader who trusts the docs gets what they describe.
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
