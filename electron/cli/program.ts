/** The `cmdb` command's program: every command, registered and run (electron/cli.ts loads it). */
import { Command } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { registerBaselineCommands } from './baseline-commands.js';
import { registerCoreCommands } from './core-commands.js';
import { registerImpactCommands } from './impact-commands.js';
import { registerImportCommands } from './import-commands.js';
import { registerGenerateCommand } from './generate-command.js';
import { registerGraphCommand } from './graph-command.js';
import { registerHealthCommand } from './health-command.js';
import { registerMergeCommands } from './merge-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerUnifyCommand } from './unify-command.js';
import { endQuietlyWhenPipeCloses, printLines } from './terminal.js';

/**
 * A usage error as commander words it, on its own lines (its "(Did you mean --title?)" is a line of its own, not a
 * line break inside a value to show as ↵), saying where the usage is. Each line is still made inert: it may quote
 * the command line.
 */
function usageError(str: string): void {
  const lines = str
    .trim()
    .replace(/^error: /, '')
    .split(/\r?\n/);
  lines[0] = `cmdb: ${lines[0]}`;
  lines[lines.length - 1] += ' (add --help for usage)';
  printLines(lines, 'stderr');
}

const program = new Command('cmdb')
  .description('CMDB Explorer from the command line: import, search, show, export and assess the impact of changes.')
  .version(pkg.version, '-V, --version', 'print the version of CMDB Explorer')
  .configureOutput({ outputError: usageError })
  // A bad command line exits 2, as a bad request does (common.ts fail); help and the version exit 0.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerCoreCommands(program);
registerImpactCommands(program);
registerImportCommands(program);
registerGenerateCommand(program);
registerGraphCommand(program);
registerServeCommand(program);
registerBaselineCommands(program);
registerHealthCommand(program);
registerMergeCommands(program);
registerUnifyCommand(program);

endQuietlyWhenPipeCloses();
await program.parseAsync(process.argv);
