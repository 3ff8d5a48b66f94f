/** The `cmdb` command: the same engine as the app, from a terminal. */
import { Command } from 'commander';
import { registerCoreCommands } from './cli/core-commands.js';
import { registerImpactCommands } from './cli/impact-commands.js';
import { registerImportCommands } from './cli/import-commands.js';
import { registerGenerateCommand } from './cli/generate-command.js';
import { registerServeCommand } from './cli/serve-command.js';

const program = new Command('cmdb')
  .description('CMDB Explorer from the command line: import, search, show, export and assess the impact of changes.')
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (str, write) => write(`cmdb: ${str.replace(/^error: /, '')}`) });

registerCoreCommands(program);
registerImpactCommands(program);
registerImportCommands(program);
registerGenerateCommand(program);
registerServeCommand(program);

await program.parseAsync(process.argv);
