/** The `cmdb` command: the same engine as the app, from a terminal. */
import { Command } from 'commander';
import { registerCoreCommands } from './cli/core-commands.js';

const program = new Command('cmdb')
  .description('CMDB Explorer from the command line: import, search, show, export and assess the impact of changes.')
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (str, write) => write(`cmdb: ${str.replace(/^error: /, '')}`) });

registerCoreCommands(program);

await program.parseAsync(process.argv);
