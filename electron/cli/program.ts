/** The `cmdb` command: the same engine as the app, from a terminal. */
import { Command } from 'commander';
import { registerBaselineCommands } from './cli/baseline-commands.js';
import { registerCoreCommands } from './cli/core-commands.js';
import { registerImpactCommands } from './cli/impact-commands.js';
import { registerImportCommands } from './cli/import-commands.js';
import { registerGenerateCommand } from './cli/generate-command.js';
import { registerGraphCommand } from './cli/graph-command.js';
import { registerHealthCommand } from './cli/health-command.js';
import { registerMergeCommands } from './cli/merge-commands.js';
import { registerServeCommand } from './cli/serve-command.js';
import { endQuietlyWhenPipeCloses, printLines } from './cli/terminal.js';

const program = new Command('cmdb')
  .description('CMDB Explorer from the command line: import, search, show, export and assess the impact of changes.')
  // A usage error is one line, like every other error, and says where the usage is; it may quote the command line.
  .configureOutput({ outputError: (str) => printLines([`cmdb: ${str.trim().replace(/^error: /, '')} (add --help for usage)`], 'stderr') });

registerCoreCommands(program);
registerImpactCommands(program);
registerImportCommands(program);
registerGenerateCommand(program);
registerGraphCommand(program);
registerServeCommand(program);
registerBaselineCommands(program);
registerHealthCommand(program);
registerMergeCommands(program);

endQuietlyWhenPipeCloses();
await program.parseAsync(process.argv);
